"""The kernel's own trailing-slash redirect keeps the mount point and the query string."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from resources_fw.core import Kernel, Response, Router


def test_redirect_keeps_script_name_and_query(client: Callable[[Any], Any]) -> None:
    router = Router()
    router.add("/docs/", lambda request: Response("docs"))
    app = client(Kernel(router))
    response = app.get(
        "/docs", params={"page": "2"}, status=308, extra_environ={"SCRIPT_NAME": "/app"}
    )
    assert response.headers["Location"].endswith("/app/docs/?page=2")
    assert app.get("/docs", status=308).headers["Location"].endswith("/docs/")
