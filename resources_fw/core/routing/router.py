"""The router: templates compiled into a segment tree, matched in O(path segments).

Each path segment is one step down the tree: a dict lookup for static text, then the dynamic
children (converter regexes) in priority order, then greedy tails (``path``-like converters
that may span ``/``). Cost depends on the number of segments, not on the number of routes.
Routes whose templates have the same shape share one leaf; values are matched by position,
so ``/u/<id>`` (GET) and ``/u/<uid>`` (POST) coexist and 405 answers are exact.

Matching runs the tree compiled into Python source (:mod:`.compiler`), generated at the first
match after a change; :func:`_walk` is the reference it must agree with, and the slow paths
(405 answers, automatic OPTIONS) still walk the tree.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, cast
from urllib.parse import quote, urlencode

from werkzeug.routing import BaseConverter, Map, UnicodeConverter
from werkzeug.routing.converters import NumberConverter

from ..errors import HTTPRedirect, MethodNotAllowed, NotFound
from .compiler import COMPILE_LOCK, CompiledMatcher, Finder
from .converters import DEFAULT_CONVERTERS, IntConverter, is_greedy
from .converters import NON_MATCH as _NON_MATCH
from .route import BuildError, Match, Route
from .template import Field, Segment, Syntax, Template, TemplateError, parse_template


class RouteConflictError(ValueError):
    """Two routes would answer the same requests; the message names both."""


class _Leaf:
    """The end of a template: the routes that share its shape, by method."""

    __slots__ = ("allowed", "by_method", "options", "routes", "shape")

    def __init__(self, shape: str) -> None:
        self.shape = shape
        self.routes: list[Route] = []
        self.by_method: dict[str, Route] = {}
        self.allowed: tuple[str, ...] = ()
        self.options: Route | None = None


class _Dynamic:
    """A child reached by matching one whole segment against a converter regex."""

    __slots__ = ("convert", "converters", "fullmatch", "group_names", "key", "node", "rank")

    def __init__(
        self, key: str, segment: Segment, converters: list[BaseConverter], rank: tuple[Any, ...]
    ) -> None:
        self.key = key
        self.rank = rank
        self.converters = converters
        self.node = _Node()
        self.convert: Callable[[str], Any] | None = None
        if len(segment) == 1:
            self.group_names: tuple[str, ...] = ()
            self.fullmatch = re.compile(f"(?:{converters[0].regex})").fullmatch
            self.convert = _fast_convert(converters[0])
        else:
            self.group_names = tuple(f"_{i}" for i in range(len(converters)))
            self.fullmatch = re.compile(_segment_regex(segment, converters)).fullmatch


class _Tail:
    """A child that matches the rest of the path at once (a converter that spans ``/``)."""

    __slots__ = ("converters", "fullmatch", "key", "leaf", "rank")

    def __init__(
        self,
        key: str,
        rest: tuple[Segment, ...],
        converters: list[BaseConverter],
        rank: tuple[Any, ...],
    ) -> None:
        self.key = key
        self.rank = rank
        self.converters = converters
        self.leaf = _Leaf(key)
        pieces = []
        convs = iter(converters)
        index = 0
        for seg in rest:
            text = ""
            for piece in seg:
                if isinstance(piece, str):
                    text += re.escape(piece)
                else:
                    text += f"(?P<_{index}>{next(convs).regex})"
                    index += 1
            pieces.append(text)
        self.fullmatch = re.compile("/".join(pieces)).fullmatch


def _fast_convert(converter: BaseConverter) -> Callable[[str], Any]:
    """The cheapest callable equivalent to ``converter.to_python`` for one whole segment."""
    if type(converter).to_python is BaseConverter.to_python:
        return str
    # A subclass overriding to_python (or num_convert) must keep its own checks.
    own = type(converter).to_python is NumberConverter.to_python
    if isinstance(converter, IntConverter) and own and converter.num_convert is int:
        plain = converter.regex == r"\d+" and not (converter.fixed_digits or converter.signed)
        if plain and converter.min is None and converter.max is None:
            return int
    return converter.to_python


class _Node:
    __slots__ = ("dynamic", "leaf", "static", "tails")

    def __init__(self) -> None:
        self.static: dict[str, _Node] = {}
        self.dynamic: list[_Dynamic] = []
        self.tails: list[_Tail] = []
        self.leaf: _Leaf | None = None


def _segment_regex(segment: Segment, converters: list[BaseConverter]) -> str:
    out = []
    convs = iter(converters)
    index = 0
    for piece in segment:
        if isinstance(piece, str):
            out.append(re.escape(piece))
        else:
            out.append(f"(?P<_{index}>{next(convs).regex})")
            index += 1
    return "".join(out)


def _build_order(route: Route) -> tuple[int, int]:
    # werkzeug's key: the values a route takes (its fields and defaults), then its defaults.
    return -len(set(route.names).union(route.defaults)), -len(route.defaults)


def _rank(segments: Iterable[Segment], converters: list[BaseConverter]) -> tuple[int, int, int]:
    """Priority among siblings: more static text first, then lighter converters (werkzeug's
    ``weight``: int 50 before string 100 before path 200), then, at equal weight, specific
    converters before the catch-all string."""
    static = sum(len(p) for seg in segments for p in seg if isinstance(p, str))
    catch_all = sum(type(c) is UnicodeConverter for c in converters)
    return -static, sum(c.weight for c in converters), catch_all


class Router:
    """Routes from templates in either syntax; matching, 404/405/redirects, URL building.

    ``auto_head`` lets HEAD use a GET route; ``auto_options`` answers OPTIONS on any path that
    has routes (the match's route is then ``automatic``); ``slash_redirect`` is the status used
    when ``/dir`` is asked for a ``/dir/`` route (``None`` turns redirects off).
    """

    def __init__(
        self,
        *,
        syntax: Syntax = "werkzeug",
        converters: Mapping[str, type[BaseConverter]] | None = None,
        auto_head: bool = True,
        auto_options: bool = True,
        slash_redirect: int | None = 308,
    ) -> None:
        self.syntax: Syntax = syntax
        self.converters: dict[str, type[BaseConverter]] = dict(DEFAULT_CONVERTERS)
        if converters:
            self.converters.update(converters)
        self.auto_head = auto_head
        self.auto_options = auto_options
        self.slash_redirect = slash_redirect
        self.routes: list[Route] = []
        # Whether any route matches with or without its trailing slash (strict_slashes=False),
        # and whether any but the root ends with one (a missing slash may be redirected).
        self._lenient = False
        self._slashed = False
        self._root = _Node()
        self._static: dict[str, _Leaf] = {}
        self._leaves: dict[str, _Leaf] = {}
        self._by_name: dict[str, list[Route]] = {}
        # The compiled matcher; rebuilt at the first match after a change to the tree.
        self._matcher: CompiledMatcher | None = None
        self._finder: Finder | None = None

    # -- registration -------------------------------------------------------------------

    def add(
        self,
        template: str | Template,
        target: Any,
        methods: Iterable[str] = ("GET",),
        *,
        name: str | None = None,
        defaults: Mapping[str, Any] | None = None,
        strict_slashes: bool = True,
        syntax: Syntax | None = None,
    ) -> Route:
        """Register ``template`` for ``methods``; returns the :class:`Route`.

        Raises :class:`TemplateError` for a template that cannot be parsed or names an unknown
        converter, and :class:`RouteConflictError` when another route already answers the same
        paths with one of the same methods.
        """
        if isinstance(template, str):
            template = parse_template(template, syntax or self.syntax)
        wanted = frozenset(m.upper() for m in methods)
        if not wanted:
            raise ValueError(f"route {template.source!r} has no methods")
        converters = {f.name: self._make_converter(template, f) for f in template.fields}
        route = Route(
            template, target, wanted, name, dict(defaults or {}), strict_slashes, converters
        )
        self._matcher = self._finder = None
        self._lenient = self._lenient or not strict_slashes
        self._slashed = self._slashed or (
            template.source.endswith("/") and template.source.strip("/") != ""
        )
        leaf = self._insert(template, [converters[f.name] for f in template.fields])
        for other in leaf.routes:
            both = other.methods & wanted
            if both and not other.automatic:
                raise RouteConflictError(
                    f"route {template.source!r} ({', '.join(sorted(both))}) conflicts with "
                    f"{other.template.source!r}, already registered for the same paths and "
                    "method; change a template or the methods"
                )
        leaf.routes.append(route)
        self._refresh(leaf)
        self.routes.append(route)
        if name is not None:
            same = self._by_name.setdefault(name, [])
            same.append(route)
            # werkzeug's build order: the route using the most values first (registration
            # order among equals), so that with "/p/" and "/p/<int:n>" under one name,
            # building with n=5 gives /p/5 rather than /p/?n=5.
            same.sort(key=_build_order)
        return route

    def _make_converter(self, template: Template, field: Field) -> BaseConverter:
        cls = self.converters.get(field.converter)
        if cls is None:
            near = difflib.get_close_matches(field.converter, self.converters, n=1)
            hint = f"; did you mean {near[0]!r}?" if near else ""
            raise TemplateError(
                f"route template {template.source!r}: unknown converter {field.converter!r} "
                f"for field {field.name!r}{hint} (known: {', '.join(sorted(self.converters))})"
            )
        try:
            # werkzeug converters keep their "map" but only read it for their own options;
            # the router plays that part.
            return cls(cast("Map", self), *field.args, **dict(field.kwargs))
        except (TypeError, ValueError, re.error) as exc:
            raise TemplateError(
                f"route template {template.source!r}: bad arguments for converter "
                f"{field.converter!r} of field {field.name!r}: {exc}"
            ) from None

    def _insert(self, template: Template, converters: list[BaseConverter]) -> _Leaf:
        segments = template.segments
        if not template.fields:
            path = "/" + "/".join("".join(p for p in seg if isinstance(p, str)) for seg in segments)
            leaf = self._static.get(path)
            if leaf is None:
                leaf = self._static[path] = self._leaves.setdefault(
                    template.shape(), _Leaf(template.shape())
                )
            # Static routes live in the tree too, so dynamic lookups can backtrack into them.
        node = self._root
        convs = iter(converters)
        for depth, seg in enumerate(segments):
            fields = [p for p in seg if isinstance(p, Field)]
            if not fields:
                text = "".join(p for p in seg if isinstance(p, str))
                if text not in node.static:
                    node.static[text] = _Node()
                node = node.static[text]
                continue
            seg_convs = [next(convs) for _ in fields]
            if any(is_greedy(c) for c in seg_convs):
                rest = segments[depth:]
                tail_convs = seg_convs + list(convs)
                key = Template("", rest).shape()
                tail = next((t for t in node.tails if t.key == key), None)
                if tail is None:
                    rank = (*_rank(rest, tail_convs), len(node.tails))
                    tail = _Tail(key, rest, tail_convs, rank)
                    node.tails.append(tail)
                    node.tails.sort(key=lambda t: t.rank)
                self._leaves[template.shape()] = tail.leaf
                return tail.leaf
            key = Template("", (seg,)).shape()
            child = next((d for d in node.dynamic if d.key == key), None)
            if child is None:
                rank = (*_rank((seg,), seg_convs), len(node.dynamic))
                child = _Dynamic(key, seg, seg_convs, rank)
                node.dynamic.append(child)
                node.dynamic.sort(key=lambda d: d.rank)
            node = child.node
        if node.leaf is None:
            node.leaf = self._leaves.setdefault(template.shape(), _Leaf(template.shape()))
        return node.leaf

    def _refresh(self, leaf: _Leaf) -> None:
        """Recompute a leaf's method table, including automatic HEAD and OPTIONS."""
        by_method: dict[str, Route] = {}
        for route in leaf.routes:
            for method in route.methods:
                by_method.setdefault(method, route)
        if self.auto_head and "GET" in by_method and "HEAD" not in by_method:
            by_method["HEAD"] = by_method["GET"]
        if self.auto_options and "OPTIONS" not in by_method:
            first = leaf.routes[0]
            leaf.options = Route(
                first.template,
                None,
                frozenset({"OPTIONS"}),
                converters=first.converters,
                automatic=True,
            )
            by_method["OPTIONS"] = leaf.options
        leaf.by_method = by_method
        leaf.allowed = tuple(sorted(by_method))

    # -- matching -----------------------------------------------------------------------

    def match(self, path: str, method: str) -> Match:
        """Find the route for ``path`` and ``method``.

        Raises :class:`~resources_fw.core.errors.NotFound` (no path matches),
        :class:`~resources_fw.core.errors.MethodNotAllowed` (with ``Allow``), or an
        :class:`~resources_fw.core.errors.HTTPRedirect` to the path with a trailing slash.
        """
        leaf = self._static.get(path)
        values: list[Any] = []
        if leaf is None:
            leaf = (self._finder or self._compile().find)(path, values)
            if leaf is None:
                return self._near_miss(path, method)
        route = leaf.by_method.get(method)
        if route is None:
            return self._other_shape(path, method)
        if route.automatic:
            return Match(route, self._params(route, values), self._all_allowed(path))
        # Lengths always agree: a leaf's routes share one shape.
        params = route.params_of(values) if values or route.defaults else {}
        # What Match(...) does, minus the Python-level call of a NamedTuple's __new__.
        return tuple.__new__(Match, (route, params, leaf.allowed))

    def _all_allowed(self, path: str) -> tuple[str, ...]:
        """Every method any route accepts for ``path`` (for automatic OPTIONS)."""
        parts = path[1:].split("/")
        allowed: set[str] = set()
        for leaf, _ in _walk_all(self._root, parts, 0, len(parts), []):
            allowed.update(leaf.allowed)
        return tuple(sorted(allowed))

    def _other_shape(self, path: str, method: str) -> Match:
        """The first matching shape lacks ``method``: a lower-priority one may have it.

        Only the 405 path pays for this full search.
        """
        allowed: set[str] = set()
        parts = path[1:].split("/")
        for leaf, values in _walk_all(self._root, parts, 0, len(parts), []):
            route = leaf.by_method.get(method)
            if route is not None:
                return Match(route, self._params(route, values), leaf.allowed)
            allowed.update(leaf.allowed)
        raise MethodNotAllowed(sorted(allowed))

    @staticmethod
    def _params(route: Route, values: list[Any]) -> dict[str, Any]:
        return route.params_of(values) if values or route.defaults else {}

    def _find(self, path: str, values: list[Any]) -> _Leaf | None:
        return (self._finder or self._compile().find)(path, values)

    def _compile(self) -> CompiledMatcher:
        # Threads racing to the first match compile once; the others wait, then share it.
        with COMPILE_LOCK:
            matcher = self._matcher
            if matcher is None:
                matcher = self._matcher = CompiledMatcher(self._root)
                self._finder = matcher.find
            return matcher

    def _near_miss(self, path: str, method: str) -> Match:
        """A miss may be a trailing-slash difference: redirect or match leniently."""
        if not self._lenient and (self.slash_redirect is None or not self._slashed):
            raise NotFound()  # neither a redirect nor a lenient match could come of it
        alt = path[:-1] if path.endswith("/") and path != "/" else path + "/"
        values: list[Any] = []
        leaf = self._static.get(alt) or self._find(alt, values)
        if leaf is not None:
            route = leaf.by_method.get(method)
            if route is not None and not route.strict_slashes:
                return Match(route, self._params(route, values), leaf.allowed)
            if alt.endswith("/") and self.slash_redirect is not None:
                raise HTTPRedirect(alt, self.slash_redirect)
        raise NotFound()

    # -- building -----------------------------------------------------------------------

    def build(
        self,
        name: str,
        values: Mapping[str, Any] | None = None,
        *,
        method: str | None = None,
        script_name: str = "",
        external: bool = False,
        scheme: str = "http",
        host: str | None = None,
        anchor: str | None = None,
    ) -> str:
        """Build the URL of the route called ``name`` from ``values``.

        Values that are not fields of the route go to the query string (``None`` is left out);
        a missing value or an unknown name raises :class:`BuildError` saying which.
        """
        values = dict(values or {})
        candidates = self._by_name.get(name)
        if not candidates:
            near = difflib.get_close_matches(name, self._by_name, n=1)
            hint = f" Did you mean {near[0]!r}?" if near else ""
            raise BuildError(f"no route is named {name!r}.{hint}")
        route = next((r for r in candidates if r.can_build(values, method)), None)
        if route is None:
            raise BuildError(self._why_not(name, candidates, values, method))
        path = script_name.rstrip("/") + route.build_path(values)
        extra = [
            (k, v)
            for k, v in values.items()
            if k not in route.names and k not in route.defaults and v is not None
        ]
        if extra:
            path += "?" + urlencode(extra, doseq=True)
        if anchor:
            path += "#" + quote(anchor, safe="/?:@!$&'()*+,;=")
        if external:
            if not host:
                raise BuildError(f"building an external URL for {name!r} needs a host")
            path = f"{scheme}://{host}{path}"
        return path

    @staticmethod
    def _why_not(
        name: str, candidates: list[Route], values: Mapping[str, Any], method: str | None
    ) -> str:
        reasons = []
        for r in candidates:
            missing = [n for n in r.names if n not in values and n not in r.defaults]
            if method is not None and method not in r.methods:
                reasons.append(f"{r.rule!r} does not accept {method}")
            elif missing:
                reasons.append(f"{r.rule!r} needs values for {', '.join(map(repr, missing))}")
            else:
                reasons.append(f"{r.rule!r} has defaults that the values contradict")
        return f"cannot build a URL for {name!r}: " + "; ".join(reasons)

    # -- introspection ------------------------------------------------------------------

    def dump(self) -> str:
        """The compiled tree as text, to explain a surprising match."""
        lines: list[str] = []
        _dump(self._root, "/", 0, lines)
        return "\n".join(lines)

    def compiled_source(self, *, complete: bool = False) -> str:
        """The Python source :meth:`match` runs, to explain a match (or a slow one).

        Names in it (``L3`` leaves, ``R4`` regexes, ``C5`` converters, ``G6`` dict lookups,
        ``F7`` functions) are bound beside the code; path text appears only as ``repr()``
        literals. Subtrees behind a dict lookup, or split off a long function, are compiled at
        their first use and shown once compiled; ``complete=True`` compiles them all first.
        """
        return (self._matcher or self._compile()).source(complete=complete)


def _walk(node: _Node, parts: list[str], i: int, n: int, values: list[Any]) -> _Leaf | None:
    if i == n:
        return node.leaf
    part = parts[i]
    child = node.static.get(part)
    if child is not None:
        found = _walk(child, parts, i + 1, n, values)
        if found is not None:
            return found
    for dyn in node.dynamic:
        m = dyn.fullmatch(part)
        if m is None:
            continue
        mark = len(values)
        if not _convert_segment(dyn, m, part, values):
            continue
        found = _walk(dyn.node, parts, i + 1, n, values)
        if found is not None:
            return found
        del values[mark:]
    if node.tails:
        rest = "/".join(parts[i:])
        for tail in node.tails:
            m = tail.fullmatch(rest)
            if m is not None and _convert_groups(m, tail.converters, values):
                return tail.leaf
    return None


def _dump(node: _Node, label: str, depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    suffix = ""
    if node.leaf is not None:
        suffix = (
            f"  => {', '.join(r.rule for r in node.leaf.routes)} [{', '.join(node.leaf.allowed)}]"
        )
    lines.append(f"{pad}{label}{suffix}")
    for text, child in node.static.items():
        _dump(child, text + "/", depth + 1, lines)
    for dyn in node.dynamic:
        _dump(dyn.node, dyn.key.lstrip("/") + "/", depth + 1, lines)
    for tail in node.tails:
        routes = ", ".join(r.rule for r in tail.leaf.routes)
        lines.append(f"{pad}  {tail.key.lstrip('/')}  => {routes} [{', '.join(tail.leaf.allowed)}]")


def _convert_groups(m: re.Match[str], converters: list[BaseConverter], values: list[Any]) -> bool:
    """Append the converted groups of ``m`` to ``values``; False (values untouched) if any
    converter refuses its text."""
    mark = len(values)
    try:
        for index, conv in enumerate(converters):
            values.append(conv.to_python(m.group(f"_{index}")))
    except _NON_MATCH:
        del values[mark:]
        return False
    return True


def _convert_segment(dyn: _Dynamic, m: re.Match[str], part: str, values: list[Any]) -> bool:
    if dyn.group_names:
        return _convert_groups(m, dyn.converters, values)
    try:
        values.append(dyn.convert(part))  # type: ignore[misc]
    except _NON_MATCH:
        return False
    return True


def _walk_all(
    node: _Node, parts: list[str], i: int, n: int, values: list[Any]
) -> Iterator[tuple[_Leaf, list[Any]]]:
    """Every leaf matching ``parts``, in priority order (the slow path, for 405 answers)."""
    if i == n:
        if node.leaf is not None:
            yield node.leaf, list(values)
        return
    part = parts[i]
    child = node.static.get(part)
    if child is not None:
        yield from _walk_all(child, parts, i + 1, n, values)
    for dyn in node.dynamic:
        m = dyn.fullmatch(part)
        if m is None:
            continue
        mark = len(values)
        if not _convert_segment(dyn, m, part, values):
            continue
        yield from _walk_all(dyn.node, parts, i + 1, n, values)
        del values[mark:]
    rest = "/".join(parts[i:])
    for tail in node.tails:
        m = tail.fullmatch(rest)
        if m is not None and _convert_groups(m, tail.converters, values):
            yield tail.leaf, list(values)
            del values[len(values) - len(tail.converters) :]
