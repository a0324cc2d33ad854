"""``App``: a WSGI application that routes to resource responders.

One request runs these named steps: middleware ``process_request``; routing (routes, then
sinks and static routes); ``process_resource``; the responder; and, always, the
``process_response`` methods in reverse. Any exception along the way goes to the error
handler registered for its class (nearest in the MRO) and becomes part of ``resp``.
The WSGI plumbing (request construction, serving, last-resort 500s) is the core kernel's.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException as WerkzeugHTTPException

from .constants import MEDIA_JSON
from .core import errors as core
from .core.kernel import Kernel
from .core.limits import DEFAULT_LIMITS, Limits
from .core.rendering import error_body
from .core.routing import Router, parse_template
from .core.wsgi import HeaderValueError, StartResponse, WSGIApp, WSGIEnvironment, start
from .cors import CORSMiddleware
from .errors import (
    HTTPError,
    HTTPInternalServerError,
    HTTPMethodNotAllowed,
    HTTPRouteNotFound,
    from_core,
)
from .http_status import HTTPStatus
from .media.handlers import Handlers
from .middleware import Prepared, Step, pair_middleware, prepare_middleware
from .request import Request, RequestOptions
from .responders import ResourceRoute, Responder
from .response import Response, ResponseOptions, Wire
from .routing import RouterOptions
from .static import StaticRoute

logger = logging.getLogger("resources_fw")

ErrorHandler = Callable[[Any, Any, Any, dict[str, Any]], Any]
ErrorSerializer = Callable[[Any, Any, Any], Any]
Found = tuple[Responder, dict[str, Any], object | None]
_new = object.__new__


class _Sink:
    __slots__ = ("func", "regex")

    def __init__(self, func: Responder, regex: re.Pattern[str]) -> None:
        self.func = func
        self.regex = regex


class App:
    """The application: ``app = App(); app.add_route("/items/{id:int}", ItemResource())``.

    ``media_type`` is the default for ``req.media`` / ``resp.media`` and responses without a
    Content-Type; ``middleware`` a component or list (with ``independent_middleware=False``
    a component's ``process_response`` runs only if its ``process_request`` did);
    ``cors_enable=True`` adds a permissive :class:`CORSMiddleware`. ``limits`` bounds
    request bodies; ``debug=True`` shows tracebacks in 500 bodies (never in production).
    """

    def __init__(
        self,
        media_type: str = MEDIA_JSON,
        request_type: type[Request] | None = None,
        response_type: type[Response] | None = None,
        middleware: object | Iterable[object] | None = None,
        router: Router | None = None,
        independent_middleware: bool = True,
        cors_enable: bool = False,
        sink_before_static_route: bool = True,
        *,
        limits: Limits = DEFAULT_LIMITS,
        debug: bool = False,
    ) -> None:
        # Form limits come from the same Limits as the body size: one place to configure.
        self.req_options = RequestOptions(
            default_media_type=media_type, media_handlers=Handlers.from_limits(limits)
        )
        self.resp_options = ResponseOptions(default_media_type=media_type)
        self._router = router or Router(syntax="falcon", auto_options=False, slash_redirect=None)
        self.router_options = RouterOptions(self._router)
        # None means the default, as in Falcon's signature.
        self._request_type = request_type or Request
        self._response_type = response_type or Response
        # The core's limits, decoders and last-resort error handling; requests are run by
        # _handle, not by the kernel's own __call__.
        self._kernel = Kernel(
            self._router,
            limits=limits,
            request_class=self._request_type,
            debug=debug,
        )
        self._wrapped: WSGIApp | None = None
        # What wsgi_app is until wrapped: the request pipeline, told not to look for a wrapper.
        self._inner: WSGIApp = functools.partial(self.__call__, inner=True)
        self._sinks: list[_Sink] = []
        self._static_routes: list[StaticRoute] = []
        self._sink_before_static_route = sink_before_static_route
        self._error_handlers: dict[type[BaseException], ErrorHandler] = {}
        self._handler_cache: dict[type[BaseException], ErrorHandler] = {}
        self._serialize_error: ErrorSerializer = self.default_error_serializer
        self._components: list[object] = [CORSMiddleware()] if cors_enable else []
        self._cors_enable = cors_enable
        self._middleware: Prepared = ((), (), ())
        self._independent = independent_middleware
        self._pairs: tuple[tuple[Step | None, Step | None], ...] = ()
        self.add_error_handler(Exception, self._unexpected_error)
        self.add_error_handler(core.HTTPException, self._http_exception)
        self.add_error_handler(core.HTTPError, self._http_error)
        self.add_error_handler(HTTPStatus, self._http_status)
        if middleware is not None:
            self.add_middleware(middleware)
        else:
            self._middleware = prepare_middleware(self._components)
            self._pairs = pair_middleware(self._components)

    @property
    def wsgi_app(self) -> WSGIApp:
        """The WSGI callable behind ``__call__``; wrap it to add WSGI middleware
        (``app.wsgi_app = Middleware(app.wsgi_app)``)."""
        return self._wrapped or self._inner

    @wsgi_app.setter
    def wsgi_app(self, app: WSGIApp) -> None:
        self._wrapped = None if app is self._inner else app

    # -- configuration ------------------------------------------------------------------

    @property
    def debug(self) -> bool:
        return self._kernel.debug

    @debug.setter
    def debug(self, value: bool) -> None:
        self._kernel.debug = value

    @property
    def propagate_exceptions(self) -> bool:
        """Re-raise unexpected exceptions (for tests that want the traceback)."""
        return self._kernel.propagate_exceptions

    @propagate_exceptions.setter
    def propagate_exceptions(self, value: bool) -> None:
        self._kernel.propagate_exceptions = value

    @property
    def router(self) -> Router:
        return self._router

    def add_route(self, uri_template: str, resource: object, *, suffix: str | None = None) -> None:
        """Route ``uri_template`` to ``resource``'s ``on_<method>[_<suffix>]`` responders.

        URI fields (``{id}``, ``{id:int}``, ``{day:dt("%Y-%m-%d")}``...) are passed to the
        responder as keyword arguments. A method without a responder gets 405 with
        ``Allow``; OPTIONS has a default responder; HEAD uses ``on_get`` when there is no
        ``on_head``.
        """
        if not isinstance(uri_template, str):
            raise TypeError(f"URI template {uri_template!r} must be a str such as '/items/{{id}}'")
        if not uri_template.startswith("/"):
            raise ValueError(f"URI template {uri_template!r} must start with '/'")
        if "//" in uri_template:
            raise ValueError(f"URI template {uri_template!r} has an empty segment ('//')")
        template = parse_template(uri_template, "falcon")
        fields = [f.name for f in template.fields]
        target = ResourceRoute(
            uri_template, resource, suffix, fields, self.router_options.default_to_on_request
        )
        self._router.add(template, target, methods=tuple(target.responders))

    def add_sink(self, sink: Responder, prefix: str | re.Pattern[str] = r"/") -> None:
        """Send every unrouted path matching the regex ``prefix`` (from the start) to
        ``sink(req, resp, **named_groups)``. Routes win over sinks; later sinks win."""
        if not callable(sink):
            raise TypeError(f"sink {sink!r} is not callable; it is called as sink(req, resp)")
        regex = re.compile(prefix) if isinstance(prefix, str) else prefix
        self._sinks.insert(0, _Sink(sink, regex))

    def add_static_route(
        self,
        prefix: str,
        directory: str | os.PathLike[str],
        downloadable: bool = False,
        fallback_filename: str | None = None,
    ) -> None:
        """Serve the files under ``directory`` at ``prefix`` (see :mod:`.static`)."""
        route = StaticRoute(prefix, directory, downloadable, fallback_filename)
        self._static_routes.insert(0, route)

    def add_middleware(self, middleware: object | Iterable[object]) -> None:
        """Append one component or several; their methods are ordered once, here."""
        if isinstance(middleware, Iterable) and not isinstance(middleware, str | bytes):
            added = list(middleware)
        else:
            added = [middleware]
        if self._cors_enable and any(isinstance(m, CORSMiddleware) for m in added):
            raise ValueError(
                "cors_enable=True already adds a CORSMiddleware; pass your configured "
                "CORSMiddleware in middleware= instead of using cors_enable"
            )
        components = self._components + added
        self._middleware = prepare_middleware(components)
        self._pairs = pair_middleware(components)
        self._components = components

    def add_error_handler(
        self,
        exception: type[BaseException] | Iterable[type[BaseException]],
        handler: ErrorHandler | None = None,
    ) -> None:
        """Call ``handler(req, resp, ex, params)`` for ``exception`` and its subclasses.

        The most specific registered class wins. Without ``handler``, the exception class's
        static ``handle`` method is used. A handler may raise an ``HTTPError``.
        """
        classes = [exception] if isinstance(exception, type) else list(exception)
        for cls in classes:
            if not (isinstance(cls, type) and issubclass(cls, BaseException)):
                raise TypeError(f"{cls!r} is not an exception class")
            chosen = handler if handler is not None else getattr(cls, "handle", None)
            if chosen is None or not callable(chosen):
                raise TypeError(
                    f"no handler for {cls.__name__}: pass one, or give the class a static "
                    "handle(req, resp, ex, params) method"
                )
            self._error_handlers[cls] = chosen
        self._handler_cache.clear()

    def set_error_serializer(self, serializer: ErrorSerializer) -> None:
        """Replace how errors become bodies: ``serializer(req, resp, exception)`` sets
        ``resp.data``/``resp.text``/``resp.media`` and ``resp.content_type``."""
        self._serialize_error = serializer

    def default_error_serializer(self, req: Request, resp: Response, exc: HTTPError) -> None:
        """JSON (``title``, ``description``...) for API clients, HTML for browsers."""
        body, content_type = error_body(exc, req, self._kernel.debug)
        resp.data = body
        resp.content_type = content_type
        if resp.get_header("Vary") is None:
            resp.set_header("Vary", "Accept")

    # -- one request --------------------------------------------------------------------

    # One frame on purpose (see the docstring): splitting it up costs a call per piece.
    def __call__(  # noqa: C901
        self, environ: WSGIEnvironment, start_response: StartResponse, inner: bool = False
    ) -> Iterable[bytes]:
        """One request, from environ to body iterable (through ``wsgi_app`` when it has
        been wrapped). The common case (no middleware, a bytes body) runs in this one
        frame: a Python call costs 30 to 100 ns, and a whole request about 3 us."""
        if self._wrapped is not None and not inner:
            return self._wrapped(environ, start_response)
        kernel = self._kernel
        req: Request = self._request_type(environ, kernel.limits, kernel.decoders)
        options = req.options = self.req_options
        if self._response_type is Response:  # what its __init__ does, without the frame
            resp = _new(Response)
            resp.options = self.resp_options
            resp._headers = {}
        else:
            resp = self._response_type(self.resp_options)
        params: dict[str, Any] = {}
        if self._components:
            params = self._run_middleware(req, resp)
        else:
            try:
                if options.strip_url_path_trailing_slash:
                    responder, params, _ = self._find(req)
                else:  # what _find does, in this frame
                    try:
                        match = self._router.match(req.path, req.method)
                    except (core.NotFound, core.MethodNotAllowed) as exc:
                        responder, params, _ = self._unmatched(req, req.path, exc)
                    else:
                        route = req.route = match.route
                        params = req.route_params = match.params
                        responder = route.target.responders[req.method]
                responder(req, resp, **params)
            except Exception as exc:
                self._handle_exception(req, resp, exc, params)
        try:
            body, header_list = resp.render()
        except Exception as exc:  # e.g. resp.media that the handler cannot serialize
            self._handle_exception(req, resp, exc, params)
            body, header_list = resp.render()
        # Decoded media holding files (multipart) are closed after the response.
        closing = "_media_result" in req.__dict__ and req.media_needs_closing
        if type(body) is not bytes or closing or "files" in req.__dict__:
            if body is None and req.method != "HEAD" and "content-length" in resp._headers:
                # No body: a declared length would leave the client waiting (HEAD may
                # announce GET's length); the core sends Content-Length: 0, as Falcon does.
                header_list = [h for h in header_list if h[0].lower() != "content-length"]
            wire = Wire.from_parts(body, resp.status_code, resp._reason, header_list)
            if closing:
                wire.call_on_close(req.close_media)
            return kernel.send(req, wire, environ, start_response)
        try:
            if start(start_response, resp.status_code, resp._reason, header_list, len(body)):
                return () if req.method == "HEAD" else (body,)
            return ()
        except HeaderValueError as exc:
            return kernel.fail(exc, req, environ, start_response)

    def _run_middleware(self, req: Request, resp: Response) -> dict[str, Any]:
        """The request with middleware: all its steps, errors turned into ``resp``."""
        # Dependent middleware only: filled as each component's process_request runs.
        stack: list[Step] | None = None if self._independent else []
        params, resource, succeeded = self._respond(req, resp, stack)
        steps = self._middleware[2] if stack is None else stack
        if steps:
            self._process_response(steps, req, resp, resource, succeeded, params)
        return params

    def _respond(
        self, req: Request, resp: Response, stack: list[Step] | None
    ) -> tuple[dict[str, Any], object | None, bool]:
        """process_request, routing, process_resource and the responder; errors become
        ``resp``. Returns the params, the resource and whether all went well."""
        params: dict[str, Any] = {}
        resource: object | None = None
        mw_req, mw_rsrc, _ = self._middleware
        try:
            if stack is None:
                for process_request in mw_req:
                    process_request(req, resp)
                    if resp.complete:
                        break
            else:
                self._dependent_requests(req, resp, stack)
            if not resp.complete:
                responder, params, resource = self._find(req)
                if resource is not None and mw_rsrc:
                    self._process_resource(mw_rsrc, req, resp, resource, params)
                if not resp.complete:
                    responder(req, resp, **params)
        except Exception as exc:
            self._handle_exception(req, resp, exc, params)
            return params, resource, False
        return params, resource, True

    def _dependent_requests(self, req: Request, resp: Response, stack: list[Step]) -> None:
        """``independent_middleware=False``: a component's process_response runs only if its
        process_request ran (or it has none) before any error."""
        for process_request, process_response in self._pairs:
            if process_request is not None and not resp.complete:
                process_request(req, resp)
            if process_response is not None:
                stack.insert(0, process_response)

    @staticmethod
    def _process_resource(
        steps: tuple[Callable[..., Any], ...],
        req: Request,
        resp: Response,
        resource: object,
        params: dict[str, Any],
    ) -> None:
        for process_resource in steps:
            process_resource(req, resp, resource, params)
            if resp.complete:
                return

    def _process_response(
        self,
        steps: tuple[Callable[..., Any], ...] | list[Step],
        req: Request,
        resp: Response,
        resource: object | None,
        succeeded: bool,
        params: dict[str, Any],
    ) -> None:
        for process_response in steps:
            try:
                process_response(req, resp, resource, succeeded)
            except Exception as exc:
                self._handle_exception(req, resp, exc, params)
                succeeded = False

    def _find(self, req: Request) -> Found:
        """The responder, its params and resource for ``req`` (raises 404/405)."""
        path = req.path
        if self.req_options.strip_url_path_trailing_slash and len(path) > 1:
            path = req.path = path.rstrip("/") or "/"  # req.path too, as in Falcon
        try:
            match = self._router.match(path, req.method)
        except (core.NotFound, core.MethodNotAllowed) as exc:
            return self._unmatched(req, path, exc)
        route = match.route
        target: ResourceRoute = route.target
        req.route = route
        req.route_params = match.params
        return target.responders[req.method], match.params, target.resource

    def _unmatched(
        self, req: Request, path: str, exc: core.NotFound | core.MethodNotAllowed
    ) -> Found:
        """No route answers ``path``: a sink or static route may (else 404), or 405."""
        if isinstance(exc, core.MethodNotAllowed):
            raise HTTPMethodNotAllowed(
                exc.allowed,
                # Not naming the method keeps HEAD's Content-Length equal to GET's.
                description=f"{path} allows only {', '.join(exc.allowed)}.",
            ) from None
        return self._find_sink(req, path)

    def _find_sink(self, req: Request, path: str) -> Found:
        if self._sink_before_static_route:
            found = self._match_sink(path) or self._match_static(path)
        else:
            found = self._match_static(path) or self._match_sink(path)
        if found is None:
            raise HTTPRouteNotFound(description=f"No resource is routed at {path}.")
        return found

    def _match_sink(self, path: str) -> Found | None:
        for sink in self._sinks:
            m = sink.regex.match(path)
            if m is not None:
                return sink.func, m.groupdict(), None
        return None

    def _match_static(self, path: str) -> Found | None:
        for route in self._static_routes:
            if route.match(path):
                return route, {}, None
        return None

    # -- errors -------------------------------------------------------------------------

    def _find_error_handler(self, cls: type[BaseException]) -> ErrorHandler | None:
        handler = self._handler_cache.get(cls)
        if handler is None:
            for base in cls.__mro__:
                handler = self._error_handlers.get(base)
                if handler is not None:
                    self._handler_cache[cls] = handler
                    break
        return handler

    def _handle_exception(
        self, req: Request, resp: Response, exc: Exception, params: dict[str, Any]
    ) -> None:
        """Turn ``exc`` into ``resp`` with its handler; re-raise when nothing handles it."""
        exc = _translate(exc)
        handler = self._find_error_handler(type(exc))
        if handler is None:
            raise exc
        # As in Falcon: a handler starts from no body, not from what the responder half-built.
        resp.text = resp.data = resp.media = None
        try:
            handler(req, resp, exc, params)
        except core.HTTPException as raised:
            # A handler may answer by raising an HTTP error of its own.
            translated = _translate(raised)
            own = self._find_error_handler(type(translated))
            if own is None or own is handler:
                self._http_exception(req, resp, translated, params)
            else:
                own(req, resp, translated, params)
        except Exception as broken:
            if handler == self._unexpected_error:
                raise
            self._unexpected_error(req, resp, broken, params)

    def _http_error(
        self, req: Request, resp: Response, exc: core.HTTPError, params: dict[str, Any]
    ) -> None:
        resp.clear_body()
        resp.status = _status_of(exc)
        _apply_headers(resp, exc.headers)
        self._serialize_error(req, resp, exc)

    def _http_exception(
        self, req: Request, resp: Response, exc: core.HTTPException, params: dict[str, Any]
    ) -> None:
        if isinstance(exc, core.HTTPError):
            self._http_error(req, resp, exc, params)
            return
        resp.clear_body()
        resp.status = _status_of(exc)
        _apply_headers(resp, exc.headers)

    def _http_status(
        self, req: Request, resp: Response, exc: HTTPStatus, params: dict[str, Any]
    ) -> None:
        self._http_exception(req, resp, exc, params)
        resp.text = exc.text

    def _unexpected_error(
        self, req: Request, resp: Response, exc: BaseException, params: dict[str, Any]
    ) -> None:
        if self._kernel.propagate_exceptions:
            raise exc
        logger.error("Unhandled exception on %s %s", req.method, req.path, exc_info=exc)
        detail = "".join(traceback.format_exception(exc)) if self._kernel.debug else None
        self._http_error(req, resp, HTTPInternalServerError(debug_detail=detail), params)


def _status_of(exc: core.HTTPException) -> int | str:
    """The status to send for ``exc``: its code, or its whole status line when it was given a
    reason phrase of its own (``HTTPError("499 Client Closed Request")``)."""
    if getattr(exc, "_line", None) is None:
        return exc.status
    return str(exc.status_line)  # type: ignore[attr-defined]


def _apply_headers(resp: Response, headers: list[tuple[str, str]]) -> None:
    for name, value in headers:
        if name.lower() == "set-cookie":
            if resp._cookies is None:
                resp._cookies = {}
            resp._cookies[value.partition("=")[0].strip()] = (name, value)
        else:
            resp.set_header(name, value)


def _translate(exc: BaseException) -> Any:
    """Core and werkzeug HTTP errors become this front-end's classes, so handlers registered
    for ``HTTPNotFound``, ``HTTPBadRequest``... see them."""
    if isinstance(exc, WerkzeugHTTPException):
        exc = core.from_werkzeug(exc)
    if isinstance(exc, core.HTTPError) and not isinstance(exc, HTTPError):
        return from_core(exc)
    return exc
