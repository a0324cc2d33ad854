"""A registered route and the result of matching a request against the router."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple
from urllib.parse import unquote

from werkzeug.routing import BaseConverter

from ..lazy import lazy
from .template import Field, Template


class BuildError(LookupError):
    """A URL cannot be built: unknown route name, missing values, or a value that would not
    match its own route."""


@dataclass(eq=False)
class Route:
    """One template bound to a target for a set of methods.

    ``target`` is whatever the front-end registered (a view function, a resource responder);
    the core never calls it. ``automatic`` marks the OPTIONS route the router adds itself.
    """

    template: Template
    target: Any
    methods: frozenset[str]
    name: str | None = None
    defaults: Mapping[str, Any] = field(default_factory=dict)
    strict_slashes: bool = True
    converters: dict[str, BaseConverter] = field(default_factory=dict)
    automatic: bool = False
    #: Field names in path order: the router matches values by position.
    names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.names = tuple(f.name for f in self.template.fields)
        # The template flattened once for building: static text (with the "/" between
        # segments folded in) and fields, each with its converter's compiled check.
        pieces: list[str | tuple[Field, Callable[[str], object]]] = []
        for segment in self.template.segments:
            pieces.append("/")
            for piece in segment:
                if isinstance(piece, str):
                    pieces.append(piece)
                else:
                    regex = re.compile(f"(?:{self.converters[piece.name].regex})")
                    pieces.append((piece, regex.fullmatch))
        self._pieces = tuple(pieces)

    @lazy
    def params_of(self) -> Callable[[list[Any]], dict[str, Any]]:
        """Matched values (in path order) -> the params dict, defaults included.

        Generated code, made on the first match: ``dict(zip(names, values))`` costs three
        times as much on every request. Names are written as string literals (``repr``).
        """
        items = [f"{name!r}: v[{i}]" for i, name in enumerate(self.names)]
        if self.defaults:
            items.insert(0, "**d")
        namespace: dict[str, Any] = {"d": dict(self.defaults)}
        exec(
            compile(f"def params_of(v):\n    return {{{', '.join(items)}}}\n", "<route>", "exec"),
            namespace,
        )
        params_of: Callable[[list[Any]], dict[str, Any]] = namespace["params_of"]
        return params_of

    @property
    def rule(self) -> str:
        """The template as the front-end wrote it."""
        return self.template.source

    def __repr__(self) -> str:
        methods = ",".join(sorted(self.methods))
        return f"<Route {self.template.source!r} {methods} name={self.name!r}>"

    def can_build(self, values: Mapping[str, Any], method: str | None) -> bool:
        if method is not None and method not in self.methods:
            return False
        for key, default in self.defaults.items():
            if key in values and values[key] != default:
                return False
        return all(n in values or n in self.defaults for n in self.names)

    def build_path(self, values: Mapping[str, Any]) -> str:
        """The path for ``values`` (which must satisfy :meth:`can_build`)."""
        out = []
        for piece in self._pieces:
            if isinstance(piece, str):
                out.append(piece)
            else:
                out.append(self._field_to_url(piece[0], piece[1], values))
        return "".join(out)

    def _field_to_url(
        self, piece: Field, check: Callable[[str], object], values: Mapping[str, Any]
    ) -> str:
        value = values[piece.name] if piece.name in values else self.defaults[piece.name]
        text = self.converters[piece.name].to_url(value)
        if check(unquote(text) if "%" in text else text) is None:
            raise BuildError(
                f"cannot build {self.template.source!r}: {piece.name}={value!r} becomes "
                f"{text!r}, which the {piece.converter!r} converter would not match"
            )
        return text


class Match(NamedTuple):
    """What :meth:`Router.match` found: the route, its converted values, and every method the
    path accepts (for ``Allow``)."""

    route: Route
    params: dict[str, Any]
    allowed: tuple[str, ...]
