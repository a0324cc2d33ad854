"""``@before`` and ``@after`` hooks for a responder or every responder of a resource class.

``before`` actions are called as ``action(req, resp, resource, params, *args, **kwargs)``
(``params`` is the dict of URI fields, and may be changed); ``after`` actions as
``action(req, resp, resource, *args, **kwargs)``. An action may raise an ``HTTPError``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from .constants import COMBINED_METHODS

T = TypeVar("T")
Action = Callable[..., Any]

_RESPONDER = re.compile(
    r"^on_(" + "|".join(m.lower().replace("-", "_") for m in COMBINED_METHODS) + r")(_\w+)?$"
)


def before(action: Action, *args: Any, **kwargs: Any) -> Callable[[T], T]:
    """Run ``action`` before the responder (or each responder of a decorated class)."""

    def wrap(responder: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(responder)
        def do_before(self: Any, req: Any, resp: Any, *pos: Any, **params: Any) -> Any:
            if pos:
                params.update(_bind(responder, pos))
            action(req, resp, self, params, *args, **kwargs)
            return responder(self, req, resp, **params)

        return do_before

    return _decorator(wrap)


def after(action: Action, *args: Any, **kwargs: Any) -> Callable[[T], T]:
    """Run ``action`` after the responder returns (not when it raises)."""

    def wrap(responder: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(responder)
        def do_after(self: Any, req: Any, resp: Any, *pos: Any, **params: Any) -> Any:
            if pos:
                params.update(_bind(responder, pos))
            result = responder(self, req, resp, **params)
            action(req, resp, self, *args, **kwargs)
            return result

        return do_after

    return _decorator(wrap)


def _decorator(wrap: Callable[[Callable[..., Any]], Callable[..., Any]]) -> Callable[[T], T]:
    def decorate(target: T) -> T:
        if isinstance(target, type):
            # dir() includes inherited responders; the wrapper is set on this class only.
            for name in dir(target):
                if _RESPONDER.match(name):
                    value = getattr(target, name)
                    if callable(value):
                        setattr(target, name, wrap(value))
            return target
        if not callable(target):
            raise TypeError(f"hooks decorate responders or resource classes, not {target!r}")
        return wrap(target)  # type: ignore[return-value]

    return decorate


def _bind(responder: Callable[..., Any], pos: tuple[Any, ...]) -> dict[str, Any]:
    """Name positional URI fields after the responder's parameters (after req, resp)."""
    code = responder.__code__
    names = code.co_varnames[3 : code.co_argcount]
    if len(pos) > len(names):
        raise TypeError(f"{responder.__qualname__} got {len(pos)} positional params")
    return dict(zip(names, pos, strict=False))
