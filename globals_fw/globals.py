"""The context-local globals: ``current_app``, ``g``, ``request``, ``session``.

One ``ContextVar`` per kind of context (application, request), so each thread, greenlet and
asyncio task sees its own; the proxies resolve through them on every access. They are our
lean proxies (:func:`~globals_fw.local.lean_proxy`), or werkzeug's ``LocalProxy`` with
``GLOBALS_FW_PROXY=werkzeug`` (see :mod:`globals_fw.local`).
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, cast

from .local import make_proxy

if TYPE_CHECKING:
    from .app import App
    from .ctx import AppContext, RequestContext, _AppCtxGlobals
    from .sessions import SessionMixin
    from .wrappers import Request

_APP_UNBOUND = (
    "Working outside of application context. Code that uses current_app or g needs an "
    "application context: run it inside a request, or push one with "
    "'with app.app_context():'."
)
_REQUEST_UNBOUND = (
    "Working outside of request context. Code that uses request or session needs an active "
    "HTTP request: run it inside a view, or push one with "
    "'with app.test_request_context(\"/path\"):' (in tests)."
)

_cv_app: ContextVar[AppContext] = ContextVar("globals_fw.app_ctx")
_cv_request: ContextVar[RequestContext] = ContextVar("globals_fw.request_ctx")

app_ctx: AppContext = cast("AppContext", make_proxy(_cv_app, None, _APP_UNBOUND))
current_app: App = cast("App", make_proxy(_cv_app, "app", _APP_UNBOUND))
g: _AppCtxGlobals = cast("_AppCtxGlobals", make_proxy(_cv_app, "g", _APP_UNBOUND))

request_ctx: RequestContext = cast(
    "RequestContext", make_proxy(_cv_request, None, _REQUEST_UNBOUND)
)
request: Request = cast("Request", make_proxy(_cv_request, "request", _REQUEST_UNBOUND))
session: SessionMixin = cast("SessionMixin", make_proxy(_cv_request, "session", _REQUEST_UNBOUND))
