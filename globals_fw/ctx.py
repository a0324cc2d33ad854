"""Application and request contexts: what the context-local globals point at.

A context is pushed by setting its ``ContextVar`` and popped by resetting it with the token
the push returned, so nesting is exact and a context can only pop itself. Teardown callbacks
always all run, each even when another raised, and the variables are reset whatever happens.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import update_wrapper
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast

from . import signals
from .globals import _cv_app, _cv_request

if TYPE_CHECKING:
    from .app import App
    from .sessions import SessionMixin
    from .wrappers import Request, Response

F = TypeVar("F", bound=Callable[..., Any])

# blinker keeps each signal's receivers in one dict, updated in place: checking it says
# cheaply whether anyone listens.
_APPCTX_PUSHED = signals.appcontext_pushed.receivers
_APPCTX_POPPED = signals.appcontext_popped.receivers
_APPCTX_TEARING_DOWN = signals.appcontext_tearing_down.receivers
_REQUEST_TEARING_DOWN = signals.request_tearing_down.receivers

_sentinel = object()


class _AppCtxGlobals:
    """``g``: a namespace for data kept for the life of one application context."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        """The attribute ``name``, or ``default`` when it is not set."""
        return self.__dict__.get(name, default)

    def pop(self, name: str, default: Any = _sentinel) -> Any:
        """Remove and return ``name``; ``default`` if given and it is not set."""
        if default is _sentinel:
            return self.__dict__.pop(name)
        return self.__dict__.pop(name, default)

    def setdefault(self, name: str, default: Any = None) -> Any:
        """``name``'s value, setting it to ``default`` first when it is not set."""
        return self.__dict__.setdefault(name, default)

    def __contains__(self, item: str) -> bool:
        return item in self.__dict__

    def __iter__(self) -> Iterator[str]:
        return iter(self.__dict__)

    def __repr__(self) -> str:
        ctx = _cv_app.get(None)
        if ctx is not None:
            return f"<globals_fw.g of '{ctx.app.name}'>"
        return object.__repr__(self)


def run_all(funcs: Iterable[Callable[[], Any]]) -> None:
    """Call every function, even when one raises; then raise what was raised (one error
    as itself, several as an ``ExceptionGroup``)."""
    errors: list[Exception] = []
    for func in funcs:
        try:
            func()
        except Exception as exc:
            errors.append(exc)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ExceptionGroup("several teardown callbacks raised", errors)


class AppContext:
    """Makes ``current_app`` and ``g`` available; ``with app.app_context():``."""

    _g: _AppCtxGlobals | None = None  # made on first use

    def __init__(self, app: App) -> None:
        self.app = app
        self._tokens: list[contextvars.Token[AppContext]] = []

    @property
    def g(self) -> _AppCtxGlobals:
        """This context's ``g`` (made on first use)."""
        g = self._g
        if g is None:
            g = self._g = self.app.app_ctx_globals_class()
        return g

    @g.setter
    def g(self, value: _AppCtxGlobals) -> None:
        self._g = value

    def push(self) -> None:
        """Make this the current application context."""
        self._tokens.append(_cv_app.set(self))
        if _APPCTX_PUSHED:
            signals.appcontext_pushed.send(self.app)

    def pop(self, exc: BaseException | None = None) -> None:
        """Run the app-context teardown callbacks (all of them) and unset this context."""
        try:
            app = self.app
            if len(self._tokens) == 1 and (app.teardown_appcontext_funcs or _APPCTX_TEARING_DOWN):
                app.do_teardown_appcontext(exc)
        finally:
            self._reset()

    def _reset(self) -> None:
        ctx = _cv_app.get(None)
        if ctx is not self:
            raise RuntimeError(
                f"Popped the wrong application context ({ctx!r} instead of {self!r}): "
                "contexts must be popped in the reverse order they were pushed."
            )
        _cv_app.reset(self._tokens.pop())
        if _APPCTX_POPPED:
            signals.appcontext_popped.send(self.app)

    def __enter__(self) -> AppContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)

    def __repr__(self) -> str:
        return f"<AppContext of {self.app.name!r}>"


class RequestContext:
    """Makes ``request`` and ``session`` available (and an app context, if none is).

    The URL is matched when the context is pushed; a routing error is kept on
    ``request.routing_exception`` and raised when the view would be called. The session is
    opened the first time it is used.
    """

    def __init__(
        self,
        app: App,
        environ: dict[str, Any] | None = None,
        request: Request | None = None,
        session: SessionMixin | None = None,
    ) -> None:
        self.app = app
        if request is None:
            if environ is None:
                raise TypeError("RequestContext needs an environ or a request")
            request = app.make_request(environ)
        self.request: Request = request
        if session is not None:
            self._session = session
        self._tokens: list[tuple[contextvars.Token[RequestContext], AppContext | None]] = []

    _session: SessionMixin | None = None  # opened on first use
    # Per-request lists stay shared empty tuples until something adds to them.
    _after_request_functions: Sequence[Callable[[Any], Any]] = ()
    #: Streams made by :func:`stream_with_context`: teardown waits for them to close.
    _streams: Sequence[_ContextStream] = ()
    _deferred_app = False

    # -- session ------------------------------------------------------------------------

    @property
    def session(self) -> SessionMixin:
        """The session, opened from the request's cookie on first use."""
        sess = self._session
        if sess is None:
            iface = self.app.session_interface
            sess = iface.open_session(self.app, self.request)
            if sess is None:
                sess = iface.make_null_session(self.app)
            self._session = sess
        return sess

    @session.setter
    def session(self, value: SessionMixin) -> None:
        self._session = value

    @property
    def session_opened(self) -> bool:
        """Whether anything looked at the session (so it may need saving)."""
        return self._session is not None

    # -- push / pop ---------------------------------------------------------------------

    def push(self) -> None:
        """Make this the current request context, pushing an app context when needed."""
        app = self.app
        app_ctx = _cv_app.get(None)
        pushed: AppContext | None = None
        if app_ctx is None or app_ctx.app is not app:
            pushed = app.app_context_class(app)
            pushed._tokens.append(_cv_app.set(pushed))
            if _APPCTX_PUSHED:
                signals.appcontext_pushed.send(app)
        self._tokens.append((_cv_request.set(self), pushed))
        req = self.request
        if req.route is None and req.routing_exception is None:
            app.match_request(req)

    def pop(self, exc: BaseException | None = None) -> None:
        """Run teardown (unless a stream still needs the context) and unset this context."""
        app = self.app
        try:
            if (
                len(self._tokens) == 1
                and not self._streams
                and (
                    app.teardown_request_funcs
                    or _REQUEST_TEARING_DOWN
                    or "files" in self.request.__dict__
                )
            ):
                self.teardown(exc)
        finally:
            self._reset(exc)

    def teardown(self, exc: BaseException | None = None) -> None:
        """Run the request teardown callbacks and close the request; all steps run."""
        app = self.app
        run_all((lambda: app.do_teardown_request(exc), self.request.close))

    def _reset(self, exc: BaseException | None) -> None:
        ctx = _cv_request.get(None)
        if ctx is not self:
            raise RuntimeError(
                f"Popped the wrong request context ({ctx!r} instead of {self!r}): "
                "contexts must be popped in the reverse order they were pushed."
            )
        token, app_ctx = self._tokens.pop()
        try:
            _cv_request.reset(token)
        finally:
            if app_ctx is None:
                pass
            elif self._streams:
                # The stream runs the app teardown after its last chunk.
                self._deferred_app = True
                app_ctx._reset()
            else:
                app_ctx.pop(exc)

    def copy(self) -> RequestContext:
        """A new context for the same request and session (for another thread or task)."""
        return type(self)(self.app, request=self.request, session=self.session)

    def __enter__(self) -> RequestContext:
        self.push()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.pop(exc_value)

    def __repr__(self) -> str:
        req = self.request
        return f"<RequestContext {req.method} {req.path!r} of {self.app.name!r}>"


# -- helpers over the contexts ---------------------------------------------------------


def has_request_context() -> bool:
    """Whether a request context is active (``request`` and ``session`` usable)."""
    return _cv_request.get(None) is not None


def has_app_context() -> bool:
    """Whether an application context is active (``current_app`` and ``g`` usable)."""
    return _cv_app.get(None) is not None


def _require_request_ctx(what: str) -> RequestContext:
    ctx = _cv_request.get(None)
    if ctx is None:
        raise RuntimeError(
            f"'{what}' can only be used while a request is handled: call it from a view or "
            "a hook, or inside 'with app.test_request_context():'."
        )
    return ctx


def after_this_request(f: F) -> F:
    """Run ``f(response)`` after this request's view, before the ``after_request`` hooks;
    it must return a response."""
    ctx = _require_request_ctx("after_this_request")
    ctx._after_request_functions = [*ctx._after_request_functions, f]
    return f


def copy_current_request_context(f: F) -> F:
    """Decorate ``f`` so it runs in a copy of the current request context (for a thread or
    a task started by the view)."""
    ctx = _require_request_ctx("copy_current_request_context").copy()

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with ctx:
            return f(*args, **kwargs)

    return cast(F, update_wrapper(wrapper, f))


class _ContextStream:
    """An iterator that runs ``gen`` inside the request context it was made in, and runs
    that request's teardown once, when it is exhausted or closed (after the last byte)."""

    #: What the generator raised, if anything: the teardown callbacks are given it.
    _error: BaseException | None = None

    def __init__(self, ctx: RequestContext, gen: Iterable[Any]) -> None:
        self._ctx = ctx
        self._app_ctx = _cv_app.get()
        self._gen = gen
        self._iter: Iterator[Any] | None = None
        self._closed = False

    def __iter__(self) -> _ContextStream:
        return self

    def __next__(self) -> Any:
        if self._closed:
            raise StopIteration
        app_token = _cv_app.set(self._app_ctx)
        req_token = _cv_request.set(self._ctx)
        exhausted = False
        try:
            if self._iter is None:
                self._iter = iter(self._gen)
            return next(self._iter)
        except StopIteration:
            exhausted = True
            raise
        except Exception as exc:
            self._error = exc
            raise
        finally:
            _cv_request.reset(req_token)
            _cv_app.reset(app_token)
            if exhausted:
                # The last chunk is out: tear down now (a later close() is a no-op), so
                # a client that never closes the body still sees the teardown.
                self.close()

    def close(self) -> None:
        """Close the wrapped iterable and run the deferred teardown (once)."""
        if self._closed:
            return
        self._closed = True
        ctx = self._ctx
        app_token = _cv_app.set(self._app_ctx)
        req_token = _cv_request.set(ctx)
        try:
            close = getattr(self._gen, "close", None)
            steps: list[Callable[[], Any]] = [close] if close is not None else []
            ctx._streams = [s for s in ctx._streams if s is not self]
            error = self._error
            if not ctx._streams:
                steps.append(lambda: ctx.teardown(error))
                if ctx._deferred_app:
                    steps.append(lambda: ctx.app.do_teardown_appcontext(error))
            run_all(steps)
        finally:
            _cv_request.reset(req_token)
            _cv_app.reset(app_token)

    def __del__(self) -> None:
        # A body the server never closed (a client gone, a broken server): the request's
        # teardown still runs, once, when the stream is collected. close() sets and
        # resets its own context variables, so any thread may run this.
        if not self._closed:
            self.close()


def stream_with_context(gen: Iterable[Any] | Callable[..., Iterable[Any]]) -> Any:
    """Keep the request context for a streamed body: ``request``, ``session`` and ``g`` stay
    usable while ``gen`` produces chunks, and teardown runs exactly once, after the last.

    Works on an iterable or, as a decorator, on a generator function.
    """
    if callable(gen) and not hasattr(gen, "__next__") and not hasattr(gen, "__iter__"):
        func = gen

        def decorated(*args: Any, **kwargs: Any) -> Any:
            return stream_with_context(func(*args, **kwargs))

        return update_wrapper(decorated, func)
    ctx = _require_request_ctx("stream_with_context")
    stream = _ContextStream(ctx, cast("Iterable[Any]", gen))
    ctx._streams = [*ctx._streams, stream]
    return stream


def _release_unclaimed_streams(ctx: RequestContext, response: Response) -> None:
    """Streams made during a request but not sent as its body never close: forget them so
    the teardown runs at the normal time."""
    if ctx._streams and response.body not in ctx._streams:
        for stream in ctx._streams:
            stream._closed = True  # the request's own teardown covers it
        ctx._streams = ()
