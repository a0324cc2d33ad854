"""The application: registration (routes, hooks, blueprints), configuration, and the dispatch
the core kernel calls, which pushes the contexts around Flask's request steps."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import timedelta
from functools import cached_property
from itertools import chain
from typing import IO, TYPE_CHECKING, Any, ClassVar, NoReturn

from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException as WerkzeugHTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

from resources_fw.core import (
    HTTPException,
    HTTPRedirect,
    Kernel,
    Limits,
    Match,
    MediaDecoders,
    MethodNotAllowed,
    Route,
    RouteConflictError,
    Router,
    check_host,
)
from resources_fw.core import Request as CoreRequest
from resources_fw.core import Response as CoreResponse
from resources_fw.core.wsgi import StartResponse, WSGIEnvironment, start

from . import signals
from .config import Config, ConfigAttribute
from .ctx import AppContext, RequestContext, _AppCtxGlobals, _release_unclaimed_streams, run_all
from .errors import ErrorHandling, PropagatedHTTPError
from .globals import _cv_app, _cv_request, g
from .helpers import _redirect
from .json import DefaultJSONProvider, JSONProvider
from .routing import BuildError, UrlMap, build_url
from .scaffold import F, Scaffold, ensure_sync
from .sessions import SecureCookieSessionInterface, SessionInterface
from .templating import Environment, TemplatingMixin, _ctx_globals
from .wrappers import Request, Response

if TYPE_CHECKING:
    from .blueprints import Blueprint
    from .testing import Client, CliRunner

_PLAIN = (str, bytes, dict, list, tuple)
# Tuples, not unions: isinstance() is faster with them on this hot path.
_TEXT_TYPES = (str, bytes)
_JSON_TYPES = (dict, list)
_HEADER_TYPES = (Headers, dict, tuple, list)
_HTTP_EXCEPTIONS = (HTTPException, WerkzeugHTTPException)
_new = object.__new__
# blinker updates each signal's receivers dict in place: a cheap "anyone listening?".
_REQUEST_STARTED = signals.request_started.receivers
_REQUEST_FINISHED = signals.request_finished.receivers
_APPCTX_PUSHED = signals.appcontext_pushed.receivers
_APPCTX_POPPED = signals.appcontext_popped.receivers
_APPCTX_TEARING_DOWN = signals.appcontext_tearing_down.receivers
_REQUEST_TEARING_DOWN = signals.request_tearing_down.receivers
_HTML = Response.default_content_type or "text/html; charset=utf-8"
# The request steps the direct path of wsgi_app stands in for.
_STEPS = (
    "dispatch",
    "full_dispatch_request",
    "preprocess_request",
    "dispatch_request",
    "finalize_request",
    "make_response",
    "process_response",
    "match_request",
    "request_context",
    "app_context",
    "request_context_class",
    "app_context_class",
)


def _listened(signal: Any, app: App) -> bool:
    """Whether ``signal`` has a receiver for ``app``. Checked only when its ``receivers`` dict
    is not empty: blinker keeps a receiver there after a sender-specific disconnect, so the
    dict alone may say yes when nobody listens."""
    return any(True for _ in signal.receivers_for(app))


def _may_be_shadowed(view_func: Callable[..., Any] | None) -> bool:
    """Whether a rule that conflicts with an earlier one is one Flask code relies on keeping
    for ``url_for`` alone: one without a view (the tutorial's ``add_url_rule("/",
    endpoint="index")``) or a static route (a blueprint's under the app's, as Flask's docs
    describe). Any other conflict is a mistake worth an error."""
    if view_func is None:
        return True
    owner = getattr(view_func, "__self__", None)
    return isinstance(owner, Scaffold) and view_func.__name__ == "send_static_file"


def _as_timedelta(value: timedelta | int) -> timedelta:
    return value if isinstance(value, timedelta) else timedelta(seconds=value)


class App(TemplatingMixin, ErrorHandling, Scaffold):
    """A WSGI application in Flask's style: ``App(__name__)`` then ``@app.route(...)``.

    The core :class:`~resources_fw.core.Kernel` builds the request and serves the response;
    this class's ``dispatch`` pushes the request (and app) context, runs the hooks and the
    view, and pops the contexts again, whatever happened.
    """

    request_class: type[Request] = Request
    response_class: type[Response] = Response
    app_ctx_globals_class = _AppCtxGlobals
    config_class = Config
    json_provider_class: type[JSONProvider] = DefaultJSONProvider
    session_interface: SessionInterface = SecureCookieSessionInterface()
    request_context_class = RequestContext
    app_context_class = AppContext
    jinja_environment = Environment
    jinja_options: ClassVar[dict[str, Any]] = {}
    test_client_class: type[Client] | None = None
    test_cli_runner_class: type[CliRunner] | None = None

    testing = ConfigAttribute("TESTING")
    secret_key = ConfigAttribute("SECRET_KEY")
    permanent_session_lifetime = ConfigAttribute("PERMANENT_SESSION_LIFETIME", _as_timedelta)

    default_config: ClassVar[dict[str, Any]] = {
        "DEBUG": False,
        "TESTING": False,
        "PROPAGATE_EXCEPTIONS": None,
        "SECRET_KEY": None,
        "SECRET_KEY_FALLBACKS": None,
        "PERMANENT_SESSION_LIFETIME": timedelta(days=31),
        "USE_X_SENDFILE": False,
        "TRUSTED_HOSTS": None,
        "SERVER_NAME": None,
        "APPLICATION_ROOT": "/",
        "SESSION_COOKIE_NAME": "session",
        "SESSION_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_PATH": None,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SECURE": False,
        "SESSION_COOKIE_PARTITIONED": False,
        # Flask's default is None; a cookie that carries a login deserves Lax.
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_REFRESH_EACH_REQUEST": True,
        "MAX_CONTENT_LENGTH": None,
        "MAX_FORM_MEMORY_SIZE": 500_000,
        "MAX_FORM_PARTS": 1_000,
        "SEND_FILE_MAX_AGE_DEFAULT": None,
        "TRAP_BAD_REQUEST_ERRORS": None,
        "TRAP_HTTP_EXCEPTIONS": False,
        "EXPLAIN_TEMPLATE_LOADING": False,
        "PREFERRED_URL_SCHEME": "http",
        "TEMPLATES_AUTO_RELOAD": None,
        "MAX_COOKIE_SIZE": 4093,
        "PROVIDE_AUTOMATIC_OPTIONS": True,
    }

    def __init__(
        self,
        import_name: str,
        static_url_path: str | None = None,
        static_folder: str | os.PathLike[str] | None = "static",
        static_host: str | None = None,
        host_matching: bool = False,
        subdomain_matching: bool = False,
        template_folder: str | os.PathLike[str] | None = "templates",
        instance_path: str | None = None,
        instance_relative_config: bool = False,
        root_path: str | None = None,
    ) -> None:
        if static_host or host_matching or subdomain_matching:
            # Accepted for Flask's signature (positional arguments keep their places).
            raise NotImplementedError(
                "host and subdomain matching are not supported by globals_fw: leave "
                "static_host, host_matching and subdomain_matching unset"
            )
        super().__init__(
            import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        if instance_path is None:
            instance_path = self.auto_find_instance_path()
        elif not os.path.isabs(instance_path):
            raise ValueError(
                f"instance_path must be absolute, not {instance_path!r}: pass os.path.abspath(...)"
            )
        self.instance_path = instance_path
        self.config = self.make_config(instance_relative_config)
        self.json: JSONProvider = self.json_provider_class(self)
        self.blueprints: dict[str, Blueprint] = {}
        self.extensions: dict[str, Any] = {}
        self.teardown_appcontext_funcs: list[Callable[[BaseException | None], Any]] = []
        self.shell_context_processors: list[Callable[[], dict[str, Any]]] = []
        self.url_build_error_handlers: list[Callable[[Exception, str, dict[str, Any]], Any]] = []
        self.template_context_processors[None].append(_ctx_globals)
        self.router = Router(syntax="werkzeug")
        self.url_map = UrlMap(self.router)
        self._manual_options: set[str] = set()
        self._kernel = Kernel(self.router, self.dispatch, decoders=MediaDecoders())
        self._synced_version = -1
        self._trusted_hosts: Any = None
        self._got_first_request = False
        # A subclass overriding a request step (or the context classes, whose push and pop
        # the direct path does inline) gets the step-by-step path, which calls them.
        self._overridden = any(
            getattr(type(self), name) is not getattr(App, name) for name in _STEPS
        )
        from .cli import AppGroup

        self.cli = AppGroup(self.name)
        if self.has_static_folder:
            self.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                endpoint="static",
                view_func=self.send_static_file,
            )

    # -- identity, config ---------------------------------------------------------------

    @cached_property
    def name(self) -> str:  # type: ignore[override]
        """The import name, or the script's name when run as ``__main__``."""
        if self.import_name == "__main__":
            fn = getattr(sys.modules["__main__"], "__file__", None)
            if fn is None:
                return "__main__"
            return str(os.path.splitext(os.path.basename(fn))[0])
        return self.import_name

    @cached_property
    def logger(self) -> logging.Logger:
        """The ``logging`` logger named after the app."""
        return logging.getLogger(self.name)

    @property
    def got_first_request(self) -> bool:
        """Whether the app has started handling requests."""
        return self._got_first_request

    def make_config(self, instance_relative: bool = False) -> Config:
        root = self.instance_path if instance_relative else self.root_path
        return self.config_class(root, self.default_config)

    def auto_find_instance_path(self) -> str:
        """``instance/`` next to the module, or next to the package's folder."""
        mod = sys.modules.get(self.import_name)
        if mod is not None and hasattr(mod, "__path__"):
            return os.path.join(os.path.dirname(self.root_path), "instance")
        return os.path.join(self.root_path, "instance")

    def open_instance_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = "utf-8"
    ) -> IO[Any]:
        """Open a file in the instance folder (writing allowed)."""
        path = os.path.join(self.instance_path, resource)
        if "b" in mode:
            return open(path, mode)
        return open(path, mode, encoding=encoding)

    # -- routes -------------------------------------------------------------------------

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Callable[..., Any] | None = None,
        provide_automatic_options: bool | None = None,
        **options: Any,
    ) -> None:
        """Register ``rule`` for ``endpoint`` (the view's name by default).

        Options: ``methods`` (default the view's ``methods`` or GET), ``defaults``,
        ``strict_slashes``. HEAD follows GET and OPTIONS is answered automatically unless
        ``provide_automatic_options=False``. A rule may have no view yet: give one later with
        ``@app.endpoint(name)``.
        """
        if endpoint is None:
            if view_func is None:
                raise TypeError(f"add_url_rule({rule!r}) needs an endpoint or a view function")
            endpoint = view_func.__name__
        methods = options.pop("methods", None)
        if methods is None:
            methods = getattr(view_func, "methods", None) or ("GET",)
        if isinstance(methods, str):
            raise TypeError(
                "Allowed methods must be a list of strings, for example: @app.route(..., "
                "methods=['POST'])"
            )
        wanted = {m.upper() for m in methods}
        wanted |= set(getattr(view_func, "required_methods", ()))
        if provide_automatic_options is None:
            provide_automatic_options = getattr(view_func, "provide_automatic_options", None)
        if provide_automatic_options is None:
            provide_automatic_options = bool(self.config["PROVIDE_AUTOMATIC_OPTIONS"])
        unknown = set(options) - {"defaults", "strict_slashes"}
        if unknown:
            raise TypeError(f"add_url_rule({rule!r}): unsupported options {sorted(unknown)}")
        if view_func is not None:
            old = self.view_functions.get(endpoint)
            if old is not None and old != view_func:
                raise AssertionError(
                    "View function mapping is overwriting an existing endpoint function: "
                    f"{endpoint} (give one of the views another endpoint= name)"
                )
        routed = self._add_route(rule, endpoint, sorted(wanted), view_func, options)
        if routed and not provide_automatic_options and "OPTIONS" not in wanted:
            self._manual_options.add(rule)
        if view_func is not None:
            self.view_functions[endpoint] = view_func

    def _add_route(
        self,
        rule: str,
        endpoint: str,
        methods: list[str],
        view_func: Callable[..., Any] | None,
        options: dict[str, Any],
    ) -> bool:
        """Add the rule to the router (True), or, for a duplicate Flask would accept, to the
        rules kept for building only (False)."""
        defaults, strict_slashes = options.get("defaults"), options.get("strict_slashes", True)
        args = (rule, endpoint, methods)
        try:
            self.router.add(*args, name=endpoint, defaults=defaults, strict_slashes=strict_slashes)
        except RouteConflictError:
            if not _may_be_shadowed(view_func):
                raise
            # Flask keeps it and lets the earlier rule answer: here it is built, never matched.
            self.url_map.shadowed.add(
                *args, name=endpoint, defaults=defaults, strict_slashes=strict_slashes
            )
            return False
        return True

    def match_request(self, req: Request) -> None:
        """Route ``req``: fill ``view_args`` and ``url_rule``, or ``routing_exception``."""
        try:
            trusted = self._trusted_hosts
            if trusted:
                check_host(req, trusted)  # the core's check: a 400 for an untrusted Host
            match = self._kernel.match(req)  # the core's routing step
        except MethodNotAllowed as not_allowed:
            req.routing_exception = self._not_allowed(req, not_allowed)
        except Exception as exc:
            # HTTP errors (404, 405, redirects), and also a converter's bug: raised where
            # the view would be called, with the contexts pushed, so that error handlers
            # and teardown see it as they see any failure (pushing must never fail halfway).
            req.routing_exception = exc
        else:
            route = match.route
            if route.automatic and route.rule in self._manual_options:
                allowed = [m for m in match.allowed if m != "OPTIONS"]
                req.routing_exception = MethodNotAllowed(allowed)
            req.view_args = match.params

    # -- contexts -----------------------------------------------------------------------

    def app_context(self) -> AppContext:
        """A new application context: ``with app.app_context(): ...``."""
        return self.app_context_class(self)

    def make_request(self, environ: WSGIEnvironment) -> Request:
        """Build a request with this app's limits."""
        self._sync_kernel()
        return self.request_class(environ, self._kernel.limits, self._kernel.decoders)

    def request_context(self, environ: WSGIEnvironment) -> RequestContext:
        """A request context for a WSGI environ."""
        return self.request_context_class(self, environ)

    def test_request_context(self, *args: Any, **kwargs: Any) -> RequestContext:
        """A request context for a made-up request; takes werkzeug ``EnvironBuilder``'s
        arguments (``path``, ``method=``, ``data=``, ``json=``, ``headers=``,
        ``query_string=``...)."""
        from .testing import make_environ

        return self.request_context(make_environ(self, *args, **kwargs))

    # -- WSGI and dispatch --------------------------------------------------------------

    def _sync_kernel(self) -> None:
        """Carry the settings a user may change at any time over to the kernel (cheaply:
        config changes are noticed by the config's version number)."""
        kernel = self._kernel
        kernel.request_class = self.request_class
        kernel.response_class = self.response_class
        config = self.config
        if config.version == self._synced_version:
            return
        self._synced_version = config.version
        limits = Limits(
            config["MAX_CONTENT_LENGTH"], config["MAX_FORM_MEMORY_SIZE"], config["MAX_FORM_PARTS"]
        )
        if limits != kernel.limits:
            kernel.limits = limits
        kernel.debug = bool(config["DEBUG"])
        kernel.propagate_exceptions = self.propagate_exceptions
        self._trusted_hosts = config["TRUSTED_HOSTS"]

    # One frame on purpose (see the docstring): splitting it up costs a call per piece.
    def wsgi_app(  # noqa: C901
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        """The WSGI application proper; wrap this (not the app) with middleware:
        ``app.wsgi_app = Middleware(app.wsgi_app)``.

        Without hooks, signal receivers or an enclosing context (the common case), the
        steps of :meth:`dispatch` run here in one frame, contexts pushed and popped inline:
        a Python call costs 30 to 100 ns, and a whole request about 4 us. Anything else
        takes the kernel and :meth:`dispatch`, step by step.
        """
        kernel = self._kernel
        if (
            self.config.version != self._synced_version
            or kernel.request_class is not self.request_class
            or kernel.response_class is not self.response_class
        ):
            self._sync_kernel()
        self._got_first_request = True
        if (  # hooks, signal receivers or an enclosing context: the step-by-step path
            self.before_request_funcs
            or self.after_request_funcs
            or self.url_value_preprocessors
            or self._trusted_hosts
            or self._overridden
            or self.request_context_class is not RequestContext
            or self.app_context_class is not AppContext
            or (_REQUEST_STARTED and _listened(signals.request_started, self))
            or (_REQUEST_FINISHED and _listened(signals.request_finished, self))
            or (_APPCTX_PUSHED and _listened(signals.appcontext_pushed, self))
            or (_APPCTX_POPPED and _listened(signals.appcontext_popped, self))
            or _cv_app.get(None) is not None
            or "globals_fw.preserve_context" in environ
        ):
            return self._dispatch_layered(environ, start_response)
        req: Request = self.request_class(environ, kernel.limits, kernel.decoders)
        # Both context classes are ours (checked above): made here without their __init__
        # frames, and pushed as their push() would.
        app_ctx: AppContext = _new(AppContext)
        app_ctx.app = self
        app_ctx._tokens = [_cv_app.set(app_ctx)]
        ctx: RequestContext = _new(RequestContext)
        ctx.app = self
        ctx.request = req
        ctx._tokens = [(_cv_request.set(ctx), app_ctx)]
        error: BaseException | None = None
        response: Response | None = None
        failed: Exception | None = None
        try:
            try:  # what pushing the context and dispatch_request do, in this frame
                try:
                    match = self.router.match(req.path, req.method)
                except HTTPRedirect as redirect:
                    req.routing_exception = self._kernel.full_redirect(req, redirect)
                    raise req.routing_exception from None
                except MethodNotAllowed as not_allowed:
                    req.routing_exception = self._not_allowed(req, not_allowed)
                    raise req.routing_exception from None
                except Exception as exc:
                    req.routing_exception = exc
                    raise
                route = req.route = match.route
                params = req.route_params = req.view_args = match.params
                if route.automatic:
                    rv = self._automatic_options(req, match)
                else:  # what _call_view does, without its frame
                    view = self.view_functions.get(route.name)  # type: ignore[arg-type]
                    if view is None:
                        self._missing_view(route)
                    rv = view(**params) if params else view()
                    if type(rv) not in _PLAIN and hasattr(rv, "__await__"):
                        rv = self._run_async(rv)
            except Exception as exc:
                rv = self.handle_user_exception(exc)
            if (  # a session to save, callbacks, streams or a custom class need the object
                ctx._session is not None
                or ctx._after_request_functions
                or ctx._streams
                or "HTTP_COOKIE" in environ
                or self.response_class is not Response
            ):
                response = self.finalize_request(rv)
            # Nothing to add to the response: the body it would have, without the object.
            elif type(rv) is str:
                body, content_type = rv.encode(), _HTML
            elif type(rv) in _JSON_TYPES and type(self.json) is DefaultJSONProvider:
                body, content_type = self.json.body(rv), self.json.mimetype
            else:
                response = self.finalize_request(rv)
        except Exception as exc:
            error = exc
            response, failed = self._handle_unhandled(exc)
        finally:
            if (
                ctx._streams
                or self.teardown_request_funcs
                or self.teardown_appcontext_funcs
                or (_REQUEST_TEARING_DOWN and _listened(signals.request_tearing_down, self))
                or (_APPCTX_TEARING_DOWN and _listened(signals.appcontext_tearing_down, self))
                or "files" in req.__dict__
            ):
                failed = self._pop_with_teardown(ctx, response, error) or failed
            else:
                _cv_request.reset(ctx._tokens.pop()[0])
                _cv_app.reset(app_ctx._tokens.pop())
        if failed is not None:  # a 500 handler or a teardown raised: as on the kernel's path
            return kernel.fail(failed, req, environ, start_response)
        if response is not None:
            return kernel.send(req, response, environ, start_response)
        if start(start_response, 200, None, [("Content-Type", content_type)], len(body)):
            return () if req.method == "HEAD" else (body,)
        return ()

    def _dispatch_layered(
        self, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        try:
            return self._kernel(environ, start_response)
        except PropagatedHTTPError as wrapper:
            # The kernel renders HTTP errors itself; a trapped one must reach the caller.
            raise wrapper.error from None

    def _handle_unhandled(self, exc: Exception) -> tuple[Response | None, Exception | None]:
        """:meth:`handle_exception`'s response, or what it raised (for the kernel's last
        resort: a logged 500, or re-raised when exceptions propagate)."""
        try:
            return self.handle_exception(exc), None
        except PropagatedHTTPError as wrapper:
            raise wrapper.error from None
        except Exception as broken:
            return None, broken

    @staticmethod
    def _pop_with_teardown(
        ctx: RequestContext, response: Response | None, error: BaseException | None
    ) -> Exception | None:
        """Pop ``ctx`` running its teardown; what the teardown raised, if anything."""
        try:
            if response is not None:
                _release_unclaimed_streams(ctx, response)
            ctx.pop(error)
        except Exception as exc:
            return exc
        return None

    def _not_allowed(self, req: Request, exc: MethodNotAllowed) -> MethodNotAllowed:
        """The 405 for ``req``, whose ``Allow`` leaves out OPTIONS where the rule was added
        with ``provide_automatic_options=False``."""
        if not self._manual_options or "OPTIONS" not in exc.allowed:
            return exc
        try:
            route = self.router.match(req.path, "OPTIONS").route
        except Exception:
            return exc
        if route.automatic and route.rule in self._manual_options:
            return MethodNotAllowed([m for m in exc.allowed if m != "OPTIONS"])
        return exc

    def _automatic_options(self, req: Request, match: Match) -> Any:
        """The automatic OPTIONS answer, or 405 where the rule's view handles OPTIONS."""
        if match.route.rule in self._manual_options:
            allowed = [m for m in match.allowed if m != "OPTIONS"]
            req.routing_exception = MethodNotAllowed(allowed)
            raise req.routing_exception
        return self.make_default_options_response()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        return self.wsgi_app(environ, start_response)

    def dispatch(self, core_request: CoreRequest) -> CoreResponse:
        """What the kernel calls: push the contexts, handle the request, pop them."""
        req: Request = core_request  # type: ignore[assignment] # made by our request_class
        ctx = self.request_context_class(self, request=req)
        error: BaseException | None = None
        ctx.push()
        try:
            try:
                response = self.full_dispatch_request()
            except Exception as exc:
                error = exc
                response = self.handle_exception(exc)
            if ctx._streams:
                _release_unclaimed_streams(ctx, response)
            return response
        finally:
            preserve = req.environ.get("globals_fw.preserve_context")
            if preserve is not None:
                preserve(_cv_app.get(), ctx)
            ctx.pop(error)

    def full_dispatch_request(self) -> Response:
        """Hooks, view, error handlers, after-request processing."""
        if _REQUEST_STARTED:
            signals.request_started.send(self)
        try:
            rv = self.preprocess_request()
            if rv is None:
                routing_error = _cv_request.get().request.routing_exception
                if routing_error is not None:
                    # What dispatch_request would raise, handled without the raise.
                    rv = self.handle_user_exception(routing_error)
                else:
                    rv = self.dispatch_request()
        except Exception as exc:
            rv = self.handle_user_exception(exc)
        return self.finalize_request(rv)

    def _blueprint_chain(self) -> list[str]:
        req = _cv_request.get().request
        route = req.route
        if route is None or route.name is None or "." not in route.name:
            return []
        return req.blueprints

    def preprocess_request(self) -> Any:
        """URL value preprocessors then ``before_request`` hooks (app first); the first
        hook returning a value ends the request with it."""
        if not (self.before_request_funcs or self.url_value_preprocessors):
            return None
        req = _cv_request.get().request
        names = (None, *reversed(self._blueprint_chain()))
        for name in names:
            for func in self.url_value_preprocessors.get(name, ()):
                func(req.endpoint, req.view_args)
        for name in names:
            for func in self.before_request_funcs.get(name, ()):
                rv = func()
                if rv is not None:
                    return rv
        return None

    def dispatch_request(self) -> Any:
        """Call the view for the matched endpoint (or raise the routing error)."""
        req = _cv_request.get().request
        if req.routing_exception is not None:
            raise req.routing_exception
        route: Route = req.route  # type: ignore[assignment]
        if route.automatic:
            return self.make_default_options_response()
        return self._call_view(route, req.view_args)

    def _call_view(self, route: Route, view_args: dict[str, Any] | None) -> Any:
        view = self.view_functions.get(route.name)  # type: ignore[arg-type]
        if view is None:
            self._missing_view(route)
        rv = view(**view_args) if view_args else view()
        if type(rv) not in _PLAIN and hasattr(rv, "__await__"):
            rv = self._run_async(rv)
        return rv

    @staticmethod
    def _missing_view(route: Route) -> NoReturn:
        raise LookupError(
            f"no view function is registered for endpoint {route.name!r} (rule "
            f"{route.rule!r}); add one with @app.endpoint({route.name!r})"
        )

    @staticmethod
    def _run_async(awaitable: Any) -> Any:
        import asyncio

        async def wait() -> Any:
            return await awaitable

        return asyncio.run(wait())

    def make_default_options_response(self) -> Response:
        """The automatic OPTIONS answer: 200 with ``Allow``."""
        allowed = self.router.match(_cv_request.get().request.path, "OPTIONS").allowed
        return self.response_class(headers=[("Allow", ", ".join(allowed))])

    def finalize_request(self, rv: Any, from_error_handler: bool = False) -> Response:
        """Make a response of ``rv`` and run the after-request processing on it."""
        response = self.make_response(rv)
        try:
            response = self.process_response(response)
            if _REQUEST_FINISHED:
                signals.request_finished.send(self, response=response)
        except Exception:
            if not from_error_handler:
                raise
            self.logger.exception("Request finalizing failed with an error while handling an error")
        return response

    def process_response(self, response: Response) -> Response:
        """``after_this_request`` callbacks, ``after_request`` hooks (innermost blueprint
        first, each list in reverse), then the session is saved."""
        ctx = _cv_request.get()
        for func in ctx._after_request_functions:
            response = func(response)
        if self.after_request_funcs:
            for name in chain(self._blueprint_chain(), (None,)):
                for func in reversed(self.after_request_funcs.get(name, ())):
                    response = func(response)
        if (
            ctx._session is None
            and "HTTP_COOKIE" in ctx.request.environ
            and self._must_refresh_session(ctx)
        ):
            ctx.session  # noqa: B018 - opening it is what re-sends a permanent cookie
        if ctx._session is not None:
            iface = self.session_interface
            sess = ctx.session
            if not iface.is_null_session(sess):
                iface.save_session(self, sess, response)
        return response

    def _must_refresh_session(self, ctx: RequestContext) -> bool:
        if not self.config["SESSION_REFRESH_EACH_REQUEST"]:
            return False
        return self.session_interface.get_cookie_name(self) in ctx.request.cookies

    def make_response(self, rv: Any) -> Response:
        """Turn a view's return value into a response (see the guide for the accepted
        forms: str, bytes, dict, list, tuples with status and headers, a response, an
        iterator, a WSGI app)."""
        if type(rv) is str:
            return self.response_class(rv)
        status = headers = None
        if isinstance(rv, tuple):
            if len(rv) == 3:
                rv, status, headers = rv
            elif len(rv) == 2:
                if isinstance(rv[1], _HEADER_TYPES):
                    rv, headers = rv
                else:
                    rv, status = rv
            else:
                raise TypeError(
                    "The view function did not return a valid response tuple. The tuple "
                    "must have the form (body, status, headers), (body, status), or "
                    "(body, headers)."
                )
        response = self._to_response(rv)
        if status is not None:
            response.status = status
        if headers:
            response.headers.update(headers)
        return response

    def _to_response(self, rv: Any) -> Response:
        if type(rv) is str or isinstance(rv, _TEXT_TYPES):
            return self.response_class(rv)
        if isinstance(rv, CoreResponse):
            return rv  # type: ignore[return-value]
        if isinstance(rv, _JSON_TYPES):
            return self.json.response(rv)
        if rv is None:
            endpoint = _cv_request.get().request.endpoint if _cv_request.get(None) else None
            raise TypeError(
                f"The view function for {endpoint!r} did not return a valid response. The "
                "function either returned None or ended without a return statement."
            )
        if isinstance(rv, bytearray):
            return self.response_class(bytes(rv))
        if isinstance(rv, _HTTP_EXCEPTIONS):
            rendered: Response = self.render_http_exception(rv)
            return rendered
        if isinstance(rv, Iterator):
            return self.response_class(rv)
        if isinstance(rv, WerkzeugResponse) or callable(rv):
            # Through force_type, as in Flask: a response class may override it.
            return self.response_class.force_type(rv, _cv_request.get().request.environ)
        raise TypeError(
            "The view function did not return a valid response. The return type must be a "
            "string, dict, list, tuple with headers or status, Response instance, or WSGI "
            f"callable, but it was a {type(rv).__name__}."
        )

    def redirect(self, location: str, code: int = 302) -> Response:
        """A redirect response (used by :func:`globals_fw.redirect`)."""
        return _redirect(location, code, self.response_class)

    # -- teardown -----------------------------------------------------------------------

    def teardown_appcontext(self, f: F) -> F:
        """Run ``f(error)`` when the application context is popped."""
        self.teardown_appcontext_funcs.append(ensure_sync(f))
        return f

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func``, or a coroutine function wrapped to run with ``asyncio.run`` (how async
        hooks and error handlers are called; views are awaited the same way)."""
        return ensure_sync(func)

    def do_teardown_request(self, exc: BaseException | None = None) -> None:
        """Run every ``teardown_request`` hook (each even if another raised)."""
        ctx = _cv_request.get(None)
        names = ctx.request.blueprints if ctx is not None else []
        funcs = [
            func
            for name in chain(names, (None,))
            for func in reversed(self.teardown_request_funcs.get(name, ()))
        ]
        steps: list[Callable[[], Any]] = [lambda f=f: f(exc) for f in funcs]  # type: ignore[misc]
        if signals.request_tearing_down.receivers:
            steps.append(lambda: signals.request_tearing_down.send(self, exc=exc))
        run_all(steps)

    def do_teardown_appcontext(self, exc: BaseException | None = None) -> None:
        """Run every ``teardown_appcontext`` hook (each even if another raised)."""
        steps: list[Callable[[], Any]] = [
            lambda f=f: f(exc)  # type: ignore[misc]
            for f in reversed(self.teardown_appcontext_funcs)
        ]
        if signals.appcontext_tearing_down.receivers:
            steps.append(lambda: signals.appcontext_tearing_down.send(self, exc=exc))
        run_all(steps)

    # -- URLs ---------------------------------------------------------------------------

    def url_for(
        self,
        endpoint: str,
        /,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        """Build a URL (see :func:`globals_fw.url_for`)."""
        try:
            return build_url(self, endpoint, _anchor, _method, _scheme, _external, values)
        except BuildError as error:
            return self.handle_url_build_error(error, endpoint, values)

    def handle_url_build_error(
        self, error: BuildError, endpoint: str, values: dict[str, Any]
    ) -> str:
        """Give ``url_build_error_handlers`` a chance; else raise the :class:`BuildError`."""
        for handler in self.url_build_error_handlers:
            rv = handler(error, endpoint, values)
            if rv is not None:
                return str(rv)
        raise error

    def inject_url_defaults(self, endpoint: str, values: dict[str, Any]) -> None:
        """Run the ``url_defaults`` functions of the app and of the endpoint's blueprints."""
        names: Iterable[str | None] = (None,)
        if "." in endpoint:
            parts = endpoint.rpartition(".")[0].split(".")
            bps = [".".join(parts[: i + 1]) for i in range(len(parts))]
            names = chain(names, bps)
        for name in names:
            for func in self.url_default_functions.get(name, ()):
                func(endpoint, values)

    # -- blueprints ---------------------------------------------------------------------

    def register_blueprint(self, blueprint: Blueprint, **options: Any) -> None:
        """Register ``blueprint`` (options: ``url_prefix``, ``name``, ``url_defaults``...)."""
        blueprint.register(self, options)

    def iter_blueprints(self) -> Iterator[Blueprint]:
        return iter(self.blueprints.values())

    # -- shell, testing, running --------------------------------------------------------

    def shell_context_processor(self, f: F) -> F:
        """Add the dict ``f()`` returns to the ``shell`` command's namespace."""
        self.shell_context_processors.append(f)
        return f

    def make_shell_context(self) -> dict[str, Any]:
        rv: dict[str, Any] = {"app": self, "g": g}
        for processor in self.shell_context_processors:
            rv.update(processor())
        return rv

    def test_client(self, use_cookies: bool = True, **kwargs: Any) -> Client:
        """A test client (werkzeug's, keeping cookies; ``with client:`` keeps the last
        request's context pushed)."""
        from .testing import Client

        cls = self.test_client_class or Client
        if self.response_class is not Response and "response_wrapper" not in kwargs:
            # As in Flask, test responses have the app's response class's own attributes
            # (werkzeug mixes it into its TestResponse); our base class stays out of it.
            kwargs["response_wrapper"] = self.response_class
        return cls(self, use_cookies=use_cookies, **kwargs)

    def test_cli_runner(self, **kwargs: Any) -> CliRunner:
        """A click runner that invokes this app's CLI commands."""
        from .testing import CliRunner

        cls = self.test_cli_runner_class or CliRunner
        return cls(self, **kwargs)

    def run(
        self,
        host: str | None = None,
        port: int | None = None,
        debug: bool | None = None,
        **options: Any,
    ) -> None:
        """Serve with werkzeug's development server (never in production). The host and
        port default to ``SERVER_NAME``'s, else ``127.0.0.1:5000``."""
        import click
        from werkzeug.serving import run_simple

        from .cli import running_from_cli

        if running_from_cli():
            # The module called app.run() on import, outside a `__main__` guard: serving here
            # would block the command being run.
            click.secho(
                " * Ignoring a call to 'app.run()' while a globals_fw command runs; call it "
                "under 'if __name__ == \"__main__\":'.",
                fg="red",
                err=True,
            )
            return
        if debug is not None:
            self.debug = debug
        sn_host, _, sn_port = str(self.config["SERVER_NAME"] or "").partition(":")
        if port is None:
            port = int(sn_port) if sn_port else 5000
        options.setdefault("use_reloader", self.debug)
        options.setdefault("use_debugger", self.debug)
        options.setdefault("threaded", True)
        run_simple(host or sn_host or "127.0.0.1", int(port), self, **options)

    def __repr__(self) -> str:
        return f"<App {self.name!r}>"
