"""Mapping a resource's ``on_<method>[_<suffix>]`` responders, once, at ``add_route``."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Any

from .constants import COMBINED_METHODS

Responder = Callable[..., Any]


class ResourceRoute:
    """What the router holds for a resource: the resource, its responders by method and the
    ``Allow`` value, all computed once."""

    __slots__ = ("allow", "resource", "responders", "suffix", "uri_template")

    def __init__(
        self,
        uri_template: str,
        resource: object,
        suffix: str | None,
        fields: Iterable[str] = (),
        default_to_on_request: bool = False,
    ) -> None:
        self.uri_template = uri_template
        self.resource = resource
        self.suffix = suffix
        self.responders = map_http_methods(resource, suffix)
        if default_to_on_request:
            _add_on_request(self.responders, resource, suffix)
        if not self.responders:
            wanted = f"on_get_{suffix}" if suffix else "on_get"
            raise TypeError(
                f"resource {type(resource).__name__} for route {uri_template!r} has no "
                f"responders; define at least one method such as {wanted}(self, req, resp)"
            )
        for responder in self.responders.values():
            check_fields(responder, fields, uri_template)
        if "OPTIONS" not in self.responders:
            self.responders["OPTIONS"] = self.default_options
        # HEAD falls back to GET (see docs): the body is dropped on the way out.
        if "HEAD" not in self.responders and "GET" in self.responders:
            self.responders["HEAD"] = self.responders["GET"]
        self.allow = ", ".join(sorted(self.responders))

    def __repr__(self) -> str:
        return f"<ResourceRoute {self.uri_template!r} -> {type(self.resource).__name__}>"

    def default_options(self, req: Any, resp: Any, **kwargs: Any) -> None:
        """The default OPTIONS responder: 200, ``Allow``, empty body."""
        resp.status_code = 200
        resp.set_header("Allow", self.allow)
        resp.content_length = 0


def map_http_methods(resource: object, suffix: str | None = None) -> dict[str, Responder]:
    """``{"GET": resource.on_get, ...}`` (or ``on_get_<suffix>``) for every callable defined."""
    found: dict[str, Responder] = {}
    for method in COMBINED_METHODS:
        name = "on_" + method.lower().replace("-", "_")
        if suffix:
            name += "_" + suffix
        responder = getattr(resource, name, None)
        # Only callables are responders: an attribute such as ``self.on_patch = {}`` is data,
        # as in Falcon (a resource left with no responder at all is still refused).
        if callable(responder):
            found[method] = responder
    return found


def _add_on_request(responders: dict[str, Responder], resource: object, suffix: str | None) -> None:
    """``router_options.default_to_on_request``: ``on_request`` takes every method that has
    no responder of its own (OPTIONS too, unless the resource has ``on_options``)."""
    name = f"on_request_{suffix}" if suffix else "on_request"
    on_request = getattr(resource, name, None)
    if on_request is None:
        return
    if not callable(on_request):
        raise TypeError(f"{type(resource).__name__}.{name} is not callable")
    for method in COMBINED_METHODS:
        responders.setdefault(method, on_request)


def check_fields(responder: Responder, fields: Iterable[str], uri_template: str) -> None:
    """Refuse, at ``add_route``, a responder that cannot take the template's fields."""
    try:
        signature = inspect.signature(responder)
    except (TypeError, ValueError):  # builtins and the like: nothing to check
        return
    params = signature.parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        return
    names = {p.name for p in params if p.kind is not inspect.Parameter.POSITIONAL_ONLY}
    missing = [f for f in fields if f not in names]
    if missing:
        name = getattr(responder, "__qualname__", repr(responder))
        raise TypeError(
            f"responder {name} for route {uri_template!r} does not accept the URI field(s) "
            f"{', '.join(missing)}; add them as parameters (or **params)"
        )
