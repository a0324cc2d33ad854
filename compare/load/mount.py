"""One WSGI application per front-end: every reference app mounted under its name.

``/routing``, ``/notes``, ``/html``, ``/files`` and ``/crosscut`` each serve the app of that
name (``compare.apps.registry``); anything else is a plain 404. The servers load
``compare.load.wsgi_resources:app`` or ``compare.load.wsgi_globals:app``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from werkzeug.middleware.dispatcher import DispatcherMiddleware

from compare.apps.registry import APPS, FRONT_ENDS
from resources_fw.core.wsgi import StartResponse, WSGIEnvironment

#: The session secret of the html app under load; signed cookies made by one worker are read
#: by the others, which is what lets a deployment scale out with stateless workers.
SESSION_SECRET = "load-test-only-not-secret"


def _not_found(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
    body = b"Not mounted: use /routing, /notes, /html, /files or /crosscut.\n"
    start_response(
        "404 Not Found",
        [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


def mounted(front_end: str) -> Any:
    """Every reference app of ``front_end`` under ``/<app name>``."""
    if front_end not in FRONT_ENDS:
        raise ValueError(f"Unknown front-end {front_end!r}: use one of {', '.join(FRONT_ENDS)}.")
    apps: dict[str, Any] = {}
    for pair in APPS:
        config: dict[str, Any] = {"secret_key": SESSION_SECRET} if pair.name == "html" else {}
        apps[f"/{pair.name}"] = pair.factory(front_end)(**config)
    return DispatcherMiddleware(_not_found, apps)
