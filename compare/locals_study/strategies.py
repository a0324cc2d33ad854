"""Three ways to keep "the current request" per concurrent unit of work, side by side.

* :class:`IdentLocal` / :class:`IdentLocalStack`: the design of werkzeug < 2.0 and Flask < 2.0,
  re-implemented here for the study (the framework never uses it): one dict keyed by
  ``greenlet.getcurrent()`` when greenlet is importable, else by ``threading.get_ident()``.
  Everything running in one thread (or greenlet) shares one slot, including every asyncio
  task of that thread's event loop.
* :class:`ThreadLocalStrategy`: ``threading.local``, also per thread.
* :class:`ContextVarStrategy`: ``contextvars.ContextVar``, per execution context: per thread,
  per asyncio task (each task runs in a copy of its creator's context) and, with greenlet
  >= 1.0, per greenlet. This is what ``globals_fw`` uses (see ``globals_fw/globals.py``).

Each strategy exposes the same two calls (``bind`` a value for a block, ``get`` it) so the
isolation checks in :mod:`.isolation` drive them alike.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Hashable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any, Protocol


class UnboundError(LookupError):
    """Read before anything was set for the current thread, task or greenlet."""


def _ident_function() -> Callable[[], Hashable]:
    """``greenlet.getcurrent`` if greenlet is importable, else ``threading.get_ident``.

    Old werkzeug did exactly this: greenlets inside one thread then get separate slots, but
    asyncio tasks, which all run on the same thread and greenlet, never do.
    """
    try:
        module = importlib.import_module("greenlet")
    except ImportError:
        return threading.get_ident
    ident: Callable[[], Hashable] = module.getcurrent
    return ident


class IdentLocal:
    """An object whose attributes are stored per thread (or greenlet) ident in a dict."""

    __slots__ = ("__ident_func__", "__storage__")

    def __init__(self, ident_func: Callable[[], Hashable] | None = None) -> None:
        object.__setattr__(self, "__storage__", {})
        object.__setattr__(self, "__ident_func__", ident_func or _ident_function())

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__storage__[self.__ident_func__()][name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self.__storage__.setdefault(self.__ident_func__(), {})[name] = value

    def __delattr__(self, name: str) -> None:
        try:
            del self.__storage__[self.__ident_func__()][name]
        except KeyError:
            raise AttributeError(name) from None

    def __release_local__(self) -> None:
        """Forget everything stored for the current ident (old werkzeug's cleanup hook)."""
        self.__storage__.pop(self.__ident_func__(), None)

    def __call__(self, name: str) -> Any:
        """A werkzeug ``LocalProxy`` to attribute ``name`` of this local."""
        from werkzeug.local import LocalProxy

        return LocalProxy(lambda: getattr(self, name))


class IdentLocalStack:
    """A stack kept on an :class:`IdentLocal` (old Flask's ``_request_ctx_stack``)."""

    def __init__(self, ident_func: Callable[[], Hashable] | None = None) -> None:
        self._local = IdentLocal(ident_func)

    def push(self, obj: Any) -> None:
        stack: list[Any] | None = getattr(self._local, "stack", None)
        if stack is None:
            self._local.stack = stack = []
        stack.append(obj)

    def pop(self) -> Any:
        stack: list[Any] | None = getattr(self._local, "stack", None)
        if not stack:
            raise UnboundError("pop() from an empty IdentLocalStack")
        if len(stack) == 1:
            self._local.__release_local__()
        return stack.pop()

    @property
    def top(self) -> Any:
        """The innermost pushed object, or None."""
        stack: list[Any] | None = getattr(self._local, "stack", None)
        return stack[-1] if stack else None


class Strategy(Protocol):
    """What the isolation checks need: bind the current request for a block, read it."""

    name: str

    def bind(self, value: object) -> AbstractContextManager[None]: ...

    def get(self) -> object: ...


class IdentStackStrategy:
    """Old Flask: push the request on an ident-keyed ``LocalStack``; read ``.top``."""

    name = "ident-keyed LocalStack"

    def __init__(self, ident_func: Callable[[], Hashable] | None = None) -> None:
        self.stack = IdentLocalStack(ident_func)

    @contextmanager
    def bind(self, value: object) -> Iterator[None]:
        self.stack.push(value)
        try:
            yield
        finally:
            self.stack.pop()

    def get(self) -> object:
        top = self.stack.top
        if top is None:
            raise UnboundError("nothing pushed for this thread/greenlet")
        return top


class ThreadLocalStrategy:
    """``threading.local``: one slot per thread."""

    name = "threading.local"

    def __init__(self) -> None:
        self.local = threading.local()

    @contextmanager
    def bind(self, value: object) -> Iterator[None]:
        self.local.value = value
        try:
            yield
        finally:
            self.local.__dict__.pop("value", None)

    def get(self) -> object:
        try:
            return self.local.value
        except AttributeError:
            raise UnboundError("nothing set for this thread") from None


class ContextVarStrategy:
    """``contextvars.ContextVar``: one slot per execution context (what globals_fw uses)."""

    name = "contextvars.ContextVar"

    def __init__(self) -> None:
        self.var: ContextVar[object] = ContextVar("locals_study.request")

    @contextmanager
    def bind(self, value: object) -> Iterator[None]:
        token = self.var.set(value)
        try:
            yield
        finally:
            self.var.reset(token)

    def get(self) -> object:
        try:
            return self.var.get()
        except LookupError:
            raise UnboundError("nothing set in this context") from None


class GlobalsFwStrategy:
    """The real thing: a ``globals_fw`` request context, read through ``globals_fw.request``."""

    name = "globals_fw request context"

    def __init__(self) -> None:
        import globals_fw

        self.app = globals_fw.App(__name__)
        self.request = globals_fw.request

    @contextmanager
    def bind(self, value: object) -> Iterator[None]:
        with self.app.test_request_context(f"/{value}"):
            yield

    def get(self) -> object:
        try:
            path: str = self.request.path
        except RuntimeError:  # the proxy's "working outside of request context"
            raise UnboundError("no globals_fw request context pushed here") from None
        return path.lstrip("/")


def all_strategies() -> list[Strategy]:
    """A fresh instance of each strategy, in report order."""
    return [IdentStackStrategy(), ThreadLocalStrategy(), ContextVarStrategy(), GlobalsFwStrategy()]
