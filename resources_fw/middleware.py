"""Middleware: ordering the components' methods once, when they are added.

A component may define any of ``process_request(req, resp)``,
``process_resource(req, resp, resource, params)`` and
``process_response(req, resp, resource, req_succeeded)``; the response methods run in
reverse order, after errors too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

Step = Callable[..., Any]
Prepared = tuple[tuple[Step, ...], tuple[Step, ...], tuple[Step, ...]]

_METHODS = ("process_request", "process_resource", "process_response")


def prepare_middleware(components: Iterable[object]) -> Prepared:
    """The request, resource and (reversed) response method lists."""
    requests: list[Step] = []
    resources: list[Step] = []
    responses: list[Step] = []
    for component in components:
        if isinstance(component, type):
            raise TypeError(
                f"middleware {component.__name__} is a class; pass an instance: "
                f"{component.__name__}()"
            )
        methods = [getattr(component, name, None) for name in _METHODS]
        if not any(methods):
            raise TypeError(
                f"middleware {component!r} defines none of {', '.join(_METHODS)}; add at least one"
            )
        for method, target in zip(methods, (requests, resources, responses), strict=True):
            if method is not None:
                if not callable(method):
                    raise TypeError(f"{component!r}: middleware methods must be callable")
                target.append(method)
    return tuple(requests), tuple(resources), tuple(reversed(responses))


def pair_middleware(components: Iterable[object]) -> tuple[tuple[Step | None, Step | None], ...]:
    """``(process_request, process_response)`` per component, for dependent middleware."""
    return tuple(
        (getattr(c, "process_request", None), getattr(c, "process_response", None))
        for c in components
    )
