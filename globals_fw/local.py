"""A lean context-local proxy, and the choice between it and werkzeug's ``LocalProxy``.

werkzeug's ``LocalProxy`` resolves every attribute through a descriptor chain (about 0.8 us
per ``request.args``); :func:`lean_proxy` does the same job with one ``ContextVar.get``
and one ``getattr`` (about 0.1 us). Both forward attribute access, item access, iteration,
comparison, ``bool``/``len``/``str``/``repr``/calls and ``isinstance`` to the current object.
Set ``GLOBALS_FW_PROXY=werkzeug`` before importing globals_fw to use werkzeug's instead (the
benchmarks measure both).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from werkzeug.local import LocalProxy

#: Which proxy the globals are: "lean" (ours, the default) or "werkzeug".
PROXY_KIND = "werkzeug" if os.environ.get("GLOBALS_FW_PROXY") == "werkzeug" else "lean"


class ContextProxy:
    """Base of the lean proxies :func:`lean_proxy` makes: the special methods, which Python
    looks up on the type, forward to ``type(self)._current()``."""

    __slots__ = ()
    _current: Callable[[], Any]

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(type(self)._current(), name, value)

    def __delattr__(self, name: str) -> None:
        delattr(type(self)._current(), name)

    def __dir__(self) -> list[str]:
        try:
            return dir(type(self)._current())
        except RuntimeError:
            return []

    def __repr__(self) -> str:
        try:
            return repr(type(self)._current())
        except RuntimeError as exc:
            return f"<unbound proxy: {exc}>"

    def __str__(self) -> str:
        return str(type(self)._current())

    def __bool__(self) -> bool:
        try:
            return bool(type(self)._current())
        except RuntimeError:
            return False

    def __len__(self) -> int:
        return len(type(self)._current())

    def __iter__(self) -> Iterator[Any]:
        return iter(type(self)._current())

    def __contains__(self, item: object) -> bool:
        return item in type(self)._current()

    def __getitem__(self, key: Any) -> Any:
        return type(self)._current()[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        type(self)._current()[key] = value

    def __delitem__(self, key: Any) -> None:
        del type(self)._current()[key]

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return type(self)._current()(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return bool(type(self)._current() == other)

    def __ne__(self, other: object) -> bool:
        return bool(type(self)._current() != other)

    def __hash__(self) -> int:
        return hash(type(self)._current())

    def __enter__(self) -> Any:
        return type(self)._current().__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return type(self)._current().__exit__(*exc)


def _current_getter(var: ContextVar[Any], attr: str | None, message: str) -> Callable[[], Any]:
    get = var.get

    def current() -> Any:
        try:
            obj = get()
        except LookupError:
            raise RuntimeError(message) from None
        return obj if attr is None else getattr(obj, attr)

    return current


def _getattribute(
    var: ContextVar[Any], attr: str | None, message: str, current: Callable[[], Any]
) -> Callable[[Any, str], Any]:
    get = var.get

    def __getattribute__(self: Any, name: str) -> Any:
        # The hot path (request.args, g.user...): one ContextVar.get, no failed lookup first.
        try:
            obj = get()
        except LookupError:
            if name == "__class__":  # isinstance() on an unbound proxy: just False
                return type(self)
            if name == "_get_current_object":
                return current
            raise RuntimeError(message) from None
        if attr is not None:
            obj = getattr(obj, attr)
        if name == "_get_current_object":
            return current
        return getattr(obj, name)

    return __getattribute__


def lean_proxy(var: ContextVar[Any], attr: str | None, unbound_message: str) -> Any:
    """A proxy for ``var.get()`` (or its attribute ``attr``).

    Each proxy is the only instance of its own small subclass of :class:`ContextProxy`, whose
    ``__getattribute__`` closes over ``var``: an attribute access is one call, with no
    descriptor chain and no failed lookup first (what makes werkzeug's proxy, and a
    ``__getattr__``-based one, slower).
    """
    current = _current_getter(var, attr, unbound_message)
    namespace = {
        "__slots__": (),
        "__getattribute__": _getattribute(var, attr, unbound_message, current),
        "_current": staticmethod(current),
    }
    return type("ContextProxy", (ContextProxy,), namespace)()


def make_proxy(var: ContextVar[Any], attr: str | None, unbound_message: str) -> Any:
    """A proxy for ``var`` (or its attribute ``attr``) of the configured kind."""
    if PROXY_KIND == "werkzeug":
        return LocalProxy(var, attr, unbound_message=unbound_message)
    return lean_proxy(var, attr, unbound_message)
