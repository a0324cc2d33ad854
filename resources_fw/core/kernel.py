"""The WSGI kernel: environ in, request built, front-end dispatch called, response out.

The front-end supplies ``dispatch(request) -> Response``; it decides when to route (Falcon's
middleware runs before routing, Flask's hooks after) by calling :meth:`Kernel.match`. The
kernel owns what every front-end must get right: turning exceptions into responses (HTTP
errors by negotiation, anything else a 500 that leaks nothing and is logged with its
traceback) and serving the response by PEP 3333's rules (see :mod:`.wsgi`).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable
from urllib.parse import quote

from werkzeug.exceptions import HTTPException as WerkzeugHTTPException

from .errors import HTTPException, HTTPRedirect, InternalServerError, from_werkzeug
from .limits import DEFAULT_LIMITS, Limits
from .media import MediaDecoders
from .rendering import render_exception
from .request import Request
from .response import Response
from .routing import Match, Router
from .wsgi import StartResponse, WSGIEnvironment, serve

logger = logging.getLogger("resources_fw")

# RFC 3986 pchar plus "/": what may stay unescaped in a path.
_URI_PATH_SAFE = "/!$&'()*+,;=:@-._~"

Dispatch = Callable[[Request], Response]
Guard = Callable[[Request], None]


class Kernel:
    """A WSGI application around a front-end's ``dispatch``.

    With ``dispatch=None`` the kernel routes by itself and calls ``route.target(request,
    **params)``, which must return a :class:`Response`: the core alone, as the benchmarks
    and the core's tests drive it.
    """

    def __init__(
        self,
        router: Router | None = None,
        dispatch: Dispatch | None = None,
        *,
        limits: Limits = DEFAULT_LIMITS,
        request_class: type[Request] = Request,
        response_class: type[Response] = Response,
        decoders: MediaDecoders | None = None,
        debug: bool = False,
        propagate_exceptions: bool = False,
        guards: Iterable[Guard] = (),
    ) -> None:
        self.router = router if router is not None else Router()
        self.dispatch: Dispatch = dispatch or self.route_and_call
        self.limits = limits
        self.request_class = request_class
        self.response_class = response_class
        self.decoders = decoders or MediaDecoders()
        self.debug = debug
        self.propagate_exceptions = propagate_exceptions
        #: Checks run on every request before dispatch (trusted hosts, cross-site
        #: protection...): each returns nothing or raises an HTTP error.
        self.guards: list[Guard] = list(guards)

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        request = self.request_class(environ, self.limits, self.decoders)
        try:
            try:
                if self.guards:
                    for guard in self.guards:
                        guard(request)
                response = self.dispatch(request)
            except HTTPException as exc:
                response = self.render_exception(exc, request)
            except WerkzeugHTTPException as exc:
                response = self.render_exception(from_werkzeug(exc), request)
        except Exception as exc:
            # Also what fails while rendering an HTTP error (a Location with a newline...).
            if self.propagate_exceptions:
                raise
            response = self.handle_unexpected(exc, request)
        return self.send(request, response, environ, start_response)

    # -- the steps a front-end composes ---------------------------------------------------

    def send(
        self,
        request: Request,
        response: Response,
        environ: WSGIEnvironment,
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        """Serve ``response`` to ``request``; uploads are closed after it, and a response
        that cannot be sent (an unsafe header...) becomes a logged 500."""
        if "files" in request.__dict__:
            # Uploaded files may be spooled to disk: close them once the response is sent.
            response.call_on_close(request.close)
        try:
            return serve(response, environ, start_response, request.method == "HEAD")
        except Exception as exc:  # nothing was sent yet
            return self.fail(exc, request, environ, start_response)

    def fail(
        self,
        exc: Exception,
        request: Request,
        environ: WSGIEnvironment,
        start_response: StartResponse,
    ) -> Iterable[bytes]:
        """Serve the 500 for an exception raised before anything was sent (or re-raise it
        with ``propagate_exceptions``)."""
        if self.propagate_exceptions:
            raise exc
        return serve(self.handle_unexpected(exc, request), environ, start_response)

    def match(self, request: Request) -> Match:
        """Route ``request`` (raising 404/405/redirect errors); records the route on it."""
        try:
            match = self.router.match(request.path, request.method)
        except HTTPRedirect as redirect:
            raise self.full_redirect(request, redirect) from None
        request.route = match.route
        request.route_params = match.params
        return match

    @staticmethod
    def full_redirect(request: Request, redirect: HTTPRedirect) -> HTTPRedirect:
        """The router's redirect with the mount point and the query string put back."""
        query = request.environ.get("QUERY_STRING")
        # The path is decoded text; a Location header carries a URI (ASCII, %-escaped).
        location = quote(request.root_path + redirect.location, safe=_URI_PATH_SAFE)
        if query:
            location += "?" + quote(query.encode("latin-1"), safe=_URI_PATH_SAFE + "?%")
        return HTTPRedirect(location, redirect.status)

    def route_and_call(self, request: Request) -> Response:
        """The default dispatch: route, then call the route's target."""
        try:
            match = self.router.match(request.path, request.method)
        except HTTPRedirect as redirect:
            raise self.full_redirect(request, redirect) from None
        route = request.route = match.route
        request.route_params = match.params
        if route.automatic:
            return self.options_response(match.allowed)
        response: Response = route.target(request, **match.params)
        return response

    def options_response(self, allowed: Iterable[str]) -> Response:
        """The automatic answer to OPTIONS: 200, ``Allow``, no body."""
        return self.response_class(status=200, headers=[("Allow", ", ".join(allowed))])

    def render_exception(self, exc: HTTPException, request: Request) -> Response:
        response = render_exception(exc, request, self.debug, self.response_class)
        if exc.status >= 500:
            logger.error("%s %s answered %s", request.method, request.path, exc.status)
        return response

    def handle_unexpected(self, exc: BaseException, request: Request) -> Response:
        """Log ``exc`` with its traceback; answer a 500 that leaks nothing (unless debug)."""
        logger.error("Unhandled exception on %s %s", request.method, request.path, exc_info=exc)
        detail = "".join(traceback.format_exception(exc)) if self.debug else None
        error = InternalServerError(debug_detail=detail)
        return render_exception(error, request, self.debug, self.response_class)
