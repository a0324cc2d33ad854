"""Error handling for the app: handler lookup by code and class, and the default pages.

The core raises its own errors (routing 404/405, body 400/413/415); they are turned into
werkzeug's exceptions of the same status before handlers are looked up, so
``errorhandler(404)`` and ``errorhandler(werkzeug.exceptions.NotFound)`` see every 404,
whoever raised it. Without a handler the core renders the error (JSON or HTML by Accept).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import BadRequest, BadRequestKeyError, default_exceptions
from werkzeug.exceptions import HTTPException as WerkzeugHTTPException
from werkzeug.exceptions import InternalServerError as WerkzeugInternalServerError
from werkzeug.exceptions import MethodNotAllowed as WerkzeugMethodNotAllowed
from werkzeug.routing import RoutingException

from resources_fw.core import (
    HTTPError,
    HTTPException,
    HTTPRedirect,
    InternalServerError,
    MethodNotAllowed,
    from_werkzeug,
    render_exception,
)

from . import signals
from .globals import _cv_request

if TYPE_CHECKING:
    from .config import Config
    from .scaffold import ErrorHandlerSpec
    from .wrappers import Response


def to_werkzeug(exc: HTTPError) -> WerkzeugHTTPException:
    """The werkzeug exception for a core error of the same status (the original kept as
    ``core_error`` so its headers and debug detail still render)."""
    if isinstance(exc, MethodNotAllowed):
        wz: WerkzeugHTTPException = WerkzeugMethodNotAllowed(
            valid_methods=list(exc.allowed), description=exc.description
        )
    else:
        cls = default_exceptions.get(exc.status)
        if cls is not None:
            wz = cls(description=exc.description)
        else:
            wz = WerkzeugHTTPException(description=exc.description)
            wz.code = exc.status
    wz.core_error = exc  # type: ignore[attr-defined]
    return wz


class PropagatedHTTPError(Exception):
    """Carries a trapped HTTP error past the kernel, which would render it."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


class ErrorHandling:
    """The app's error steps (mixed into :class:`~globals_fw.App`)."""

    error_handler_spec: ErrorHandlerSpec
    config: Config
    response_class: type[Response]
    logger: Any

    @property
    def debug(self) -> bool:
        """Debug mode: tracebacks in 500 pages, exceptions propagate, templates reload."""
        return bool(self.config["DEBUG"])

    @debug.setter
    def debug(self, value: bool) -> None:
        self.config["DEBUG"] = value
        env = self.__dict__.get("jinja_env")
        if self.config["TEMPLATES_AUTO_RELOAD"] is None and env is not None:
            env.auto_reload = value

    @property
    def propagate_exceptions(self) -> bool:
        """Whether unhandled exceptions escape (testing/debug) instead of becoming 500s."""
        rv = self.config["PROPAGATE_EXCEPTIONS"]
        if rv is not None:
            return bool(rv)
        return bool(self.config["TESTING"] or self.config["DEBUG"])

    def finalize_request(self, rv: Any, from_error_handler: bool = False) -> Response:
        raise NotImplementedError

    def make_response(self, rv: Any) -> Response:
        raise NotImplementedError

    def _find_error_handler(
        self, exc: BaseException, blueprints: list[str]
    ) -> Callable[[Any], Any] | None:
        """The handler for ``exc``: by code then by class (MRO), innermost blueprint
        first, then the app."""
        code = exc.code if isinstance(exc, WerkzeugHTTPException) else None
        spec = self.error_handler_spec
        names = (*blueprints, None)
        for c in (code, None) if code is not None else (None,):
            for name in names:
                by_code = spec.get(name)
                handlers = by_code.get(c) if by_code is not None else None
                if not handlers:
                    continue
                for cls in type(exc).__mro__:
                    handler = handlers.get(cls)
                    if handler is not None:
                        return handler
        return None

    def trap_http_exception(self, exc: WerkzeugHTTPException) -> bool:
        """Whether an HTTP error should propagate like any exception (config TRAP_*)."""
        if self.config["TRAP_HTTP_EXCEPTIONS"]:
            return True
        trap_bad = self.config["TRAP_BAD_REQUEST_ERRORS"]
        if trap_bad is None and self.debug and isinstance(exc, BadRequestKeyError):
            return True
        return bool(trap_bad) and isinstance(exc, BadRequest)

    def _may_trap(self) -> bool:
        config = self.config
        return bool(
            config["TRAP_HTTP_EXCEPTIONS"] or config["TRAP_BAD_REQUEST_ERRORS"] or self.debug
        )

    def _blueprints_of_request(self) -> list[str]:
        ctx = _cv_request.get(None)
        return ctx.request.blueprints if ctx is not None else []

    def handle_http_exception(self, exc: WerkzeugHTTPException) -> Any:
        """The registered handler's answer, or the exception itself (rendered later)."""
        if exc.code is None or isinstance(exc, RoutingException):
            return exc
        handler = self._find_error_handler(exc, self._blueprints_of_request())
        if handler is None:
            return exc
        return handler(exc)

    def handle_user_exception(self, exc: Exception) -> Any:
        """Handle an exception raised by a hook or view: HTTP errors by code, others by
        class; re-raised when nothing handles it."""
        if isinstance(exc, HTTPException):
            if isinstance(exc, HTTPRedirect) or not isinstance(exc, HTTPError):
                return exc
            if not self.error_handler_spec and not self._may_trap():
                return exc  # no handler could want it: the core renders it as it is
            wz = to_werkzeug(exc)
            if not self.trap_http_exception(wz):
                return self.handle_http_exception(wz)
            raise wz from exc
        if isinstance(exc, WerkzeugHTTPException):
            if isinstance(exc, BadRequestKeyError) and (
                self.debug or self.config["TRAP_BAD_REQUEST_ERRORS"]
            ):
                exc.show_exception = True  # the missing key, for the developer only
            if not self.trap_http_exception(exc):
                return self.handle_http_exception(exc)
        handler = self._find_error_handler(exc, self._blueprints_of_request())
        if handler is None:
            raise exc
        return handler(exc)

    def handle_exception(self, exc: Exception) -> Response:
        """An exception nothing handled: signal it, then re-raise (testing/debug) or log it
        and answer 500 (through an ``errorhandler(500)`` if there is one)."""
        if signals.got_request_exception.receivers:
            signals.got_request_exception.send(self, exception=exc)
        if self.propagate_exceptions:
            if isinstance(exc, HTTPException | WerkzeugHTTPException):
                raise PropagatedHTTPError(exc)
            raise exc
        self.log_exception(exc)
        server_error = WerkzeugInternalServerError(original_exception=exc)
        handler = self._find_error_handler(server_error, self._blueprints_of_request())
        rv: Any
        if handler is not None:
            rv = handler(server_error)
        else:
            detail = "".join(traceback.format_exception(exc)) if self.debug else None
            rv = InternalServerError(debug_detail=detail)
        return self.finalize_request(rv, from_error_handler=True)

    def log_exception(self, exc: BaseException) -> None:
        """Log an unhandled exception with its traceback (not its data)."""
        ctx = _cv_request.get(None)
        where = f"{ctx.request.path} [{ctx.request.method}]" if ctx is not None else "?"
        self.logger.error(f"Exception on {where}", exc_info=(type(exc), exc, exc.__traceback__))

    def render_http_exception(self, exc: HTTPException | WerkzeugHTTPException) -> Any:
        """The default response for an HTTP exception (negotiated JSON or HTML)."""
        if isinstance(exc, WerkzeugHTTPException):
            if exc.response is not None:
                return self.make_response(exc.response)
            core = getattr(exc, "core_error", None) or from_werkzeug(exc)
        else:
            core = exc
        ctx = _cv_request.get(None)
        if ctx is None:
            raise RuntimeError("an HTTP error can only be rendered during a request")
        return render_exception(core, ctx.request, self.debug, self.response_class)
