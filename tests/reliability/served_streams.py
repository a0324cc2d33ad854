"""Apps whose streamed body fails after its first chunk, for a real server to serve in a
process of its own (``python -m gunicorn served_streams:resources_app``): the other half of
matrix row 46, next to the werkzeug server in ``test_streaming``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import globals_fw
import resources_fw


def _failing() -> Iterator[bytes]:
    yield b"first"
    raise RuntimeError("broken in the middle of the stream")


class _Failing:
    def on_get(self, req: Any, resp: Any) -> None:
        resp.content_type = "text/plain"
        resp.stream = _failing()


class _Ok:
    def on_get(self, req: Any, resp: Any) -> None:
        resp.content_type = "text/plain"
        resp.text = "ok"


resources_app = resources_fw.App()
resources_app.add_route("/failing", _Failing())
resources_app.add_route("/ok", _Ok())

globals_app = globals_fw.App("served_streams", static_folder=None, template_folder=None)


@globals_app.get("/failing")
def failing() -> Any:
    return globals_app.response_class(
        globals_fw.stream_with_context(_failing()), content_type="text/plain"
    )


@globals_app.get("/ok")
def ok() -> Any:
    return "ok", 200, {"Content-Type": "text/plain"}
