"""The router's segment tree compiled into Python source: matching without walking a tree.

The generated ``find(path, values)`` does what the router's reference walk does -- static
children first, then dynamic children in rank order, then tails, backtracking on failure --
as nested ``if`` blocks: one block per segment, no loop, no attribute lookups, and plain
``int`` and catch-all string fields checked without a regex. Values stay in local variables
until a leaf is reached (or a split-off function is called), so a failed branch has nothing
to undo.

Subtrees behind a wide static fan-out (a dict lookup rather than a chain of ``==``), and parts
of a function that would grow too deep or too long, become functions of their own, compiled
on first use: a router of thousands of routes compiles only what requests reach.

The source holds generated names and ``repr()`` literals only: static text is always a string
literal, and leaves, regexes and converters are names bound in the namespace beside it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .converters import NON_MATCH

if TYPE_CHECKING:
    from re import Match

    from werkzeug.routing import BaseConverter

    from .router import _Dynamic, _Leaf, _Node

#: ``find(path, values) -> leaf``: appends the leaf's converted values to ``values`` (empty on
#: entry) and returns the leaf, or returns None with ``values`` untouched.
Finder = Callable[[str, list[Any]], "_Leaf | None"]
_SubFinder = Callable[[list[str], int, list[Any]], "_Leaf | None"]

# Siblings up to this many are compared one by one; a chain of ``==`` beats a dict lookup
# plus a function call while it is short.
CHAIN_LIMIT = 6
# The tokenizer refuses indentation past 100 levels; long functions compile slowly up front.
MAX_INDENT = 48
MAX_LINES = 300

#: Held while generating code. Compiling is rare, so one lock serves every router.
COMPILE_LOCK = threading.Lock()

_PLAIN_INT = r"\d+"  # int() accepts exactly what str.isdecimal() accepts, given this regex
_ANY_TEXT = "[^/]{1,}"  # the default string converter: any non-empty segment


def _tail_values(m: Match[str], converters: list[BaseConverter]) -> list[Any] | None:
    """The converted groups of a tail match, or None if a converter refuses its text."""
    try:
        return [conv.to_python(m.group(f"_{i}")) for i, conv in enumerate(converters)]
    except NON_MATCH:
        return None


class _Stub:
    """Stands in for a subtree function until its first call, which compiles it."""

    __slots__ = ("base", "depth", "fn", "key", "matcher", "name", "node", "table")

    def __init__(
        self,
        matcher: CompiledMatcher,
        name: str,
        node: _Node,
        depth: int,
        base: int,
        table: dict[str, Any] | None,
        key: str,
    ) -> None:
        self.matcher = matcher
        self.name = name
        self.node = node
        self.depth = depth
        self.base = base
        self.table = table
        self.key = key
        self.fn: _SubFinder | None = None

    def __call__(self, parts: list[str], n: int, values: list[Any]) -> _Leaf | None:
        return self.resolve()(parts, n, values)

    def resolve(self) -> _SubFinder:
        with COMPILE_LOCK:
            if self.fn is None:
                self.fn = self.matcher._materialize(self)
            return self.fn


class CompiledMatcher:
    """The generated matcher for one state of a router's tree (rebuilt after every ``add``).

    ``find`` is the entry point; :meth:`source` shows the code. The knobs are parameters so
    tests can force every code shape (dict lookups, split functions) on small trees.
    """

    def __init__(
        self,
        root: _Node,
        *,
        chain_limit: int = CHAIN_LIMIT,
        max_indent: int = MAX_INDENT,
        max_lines: int = MAX_LINES,
    ) -> None:
        self.chain_limit = chain_limit
        self.max_indent = max_indent
        self.max_lines = max_lines
        self.namespace: dict[str, Any] = {"_NON_MATCH": NON_MATCH, "_tail_values": _tail_values}
        self._chunks: list[str] = []
        self._pending: dict[str, _Stub] = {}
        self._count = 0
        writer = _Writer(self, 0)
        writer.line("parts = path.split('/')")
        writer.line("if parts[0]:")  # the path does not start with "/"
        writer.line("    return None")
        writer.line("n = len(parts)")
        writer.node(root, 0, [])
        self.find: Finder = self._define("find", "path, values", writer)

    def source(self, *, complete: bool = False) -> str:
        """The generated source so far; ``complete=True`` first compiles every subtree."""
        while complete:
            with COMPILE_LOCK:
                stub = next(iter(self._pending.values()), None)
            if stub is None:
                break
            stub.resolve()
        with COMPILE_LOCK:
            return "\n".join(self._chunks)

    # -- used by _Writer and _Stub --------------------------------------------------------

    def bind(self, prefix: str, value: Any) -> str:
        """Put ``value`` in the namespace under a fresh generated name."""
        self._count += 1
        name = f"{prefix}{self._count}"
        self.namespace[name] = value
        return name

    def stub(
        self, node: _Node, depth: int, base: int, table: dict[str, Any] | None = None, key: str = ""
    ) -> _Stub:
        self._count += 1
        name = f"F{self._count}"
        stub = _Stub(self, name, node, depth, base, table, key)
        self.namespace[name] = stub
        self._pending[name] = stub
        return stub

    def _materialize(self, stub: _Stub) -> _SubFinder:
        writer = _Writer(self, stub.base)
        writer.node(stub.node, stub.depth, [])
        fn: _SubFinder = self._define(stub.name, "parts, n, values", writer)
        if stub.table is not None:
            stub.table[stub.key] = fn
        del self._pending[stub.name]
        return fn

    def _define(self, name: str, params: str, writer: _Writer) -> Any:
        text = "\n".join([f"def {name}({params}):", *writer.lines, "    return None", ""])
        exec(compile(text, "<router>", "exec"), self.namespace)
        self._chunks.append(text)
        return self.namespace[name]


class _Writer:
    """Writes the body of one generated function.

    ``base`` is how many values callers have already appended to ``values``; the values found
    in this function live in locals (``locs``, in path order) until a leaf or a call.
    Segment ``d`` of the tree is ``parts[d + 1]`` (``parts[0]`` is the empty text before the
    leading slash), so ``n == d + 1`` means every segment has been consumed.
    """

    def __init__(self, matcher: CompiledMatcher, base: int) -> None:
        self.matcher = matcher
        self.base = base
        self.lines: list[str] = []
        self.indent = 1

    def line(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    def node(self, node: _Node, d: int, locs: list[str]) -> None:
        """Code that returns the leaf reached from ``node`` (at depth ``d``) or falls through.

        Its children are at depth ``i = d + 1``: they consume ``parts[i]``.
        """
        i = d + 1
        if node.leaf is not None:
            self.line(f"if n == {i}:")
            self.indent += 1
            self.finish(locs, self.matcher.bind("L", node.leaf))
            self.indent -= 1
        if not (node.static or node.dynamic or node.tails):
            return
        if len(node.static) == 1 and not (node.dynamic or node.tails):
            # One way on: no need to keep the segment in a local.
            ((text, child),) = node.static.items()
            guard = "" if node.leaf is not None else f"n > {i} and "
            self.line(f"if {guard}parts[{i}] == {text!r}:")
            self.child(child, i, locs)
            return
        if node.leaf is None:
            self.line(f"if n > {i}:")
            self.indent += 1
        if node.static or node.dynamic:
            self.line(f"p{i} = parts[{i}]")
        self.static(node, i, locs)
        for dyn in node.dynamic:
            self.dynamic(dyn, i, locs)
        if node.tails:
            self.tails(node, i, locs)
        if node.leaf is None:
            self.indent -= 1

    def static(self, node: _Node, i: int, locs: list[str]) -> None:
        if not node.static:
            return
        if len(node.static) <= self.matcher.chain_limit:
            keyword = "if"
            for text, child in node.static.items():
                self.line(f"{keyword} p{i} == {text!r}:")
                self.child(child, i, locs)
                keyword = "elif"
            return
        table: dict[str, Any] = {}
        base = self.base + len(locs)
        for text, child in node.static.items():
            table[text] = self.matcher.stub(child, i, base, table, text)
        self.line(f"f = {self.matcher.bind('G', table.get)}(p{i})")
        self.line("if f is not None:")
        self.indent += 1
        self.call("f", locs)
        self.indent -= 1

    def dynamic(self, dyn: _Dynamic, i: int, locs: list[str]) -> None:
        bind = self.matcher.bind
        k = self.base + len(locs)
        part = f"p{i}"
        if dyn.group_names:
            self.line(f"m = {bind('R', dyn.fullmatch)}({part})")
            self.line("if m is not None:")
            names = [f"v{k + j}" for j in range(len(dyn.converters))]
            steps = [
                f"{name} = {bind('C', conv.to_python)}(m[{f'_{j}'!r}])"
                for j, (name, conv) in enumerate(zip(names, dyn.converters, strict=True))
            ]
            self.indent += 1
            self.convert(steps, dyn.node, i, locs + names)
            self.indent -= 1
            return
        regex = dyn.converters[0].regex
        if dyn.convert is int and regex == _PLAIN_INT:
            self.line(f"if {part}.isdecimal():")
            convert = "int"
        elif dyn.convert is str:
            test = part if regex == _ANY_TEXT else f"{bind('R', dyn.fullmatch)}({part}) is not None"
            self.line(f"if {test}:")
            self.child(dyn.node, i, [*locs, part])
            return
        else:
            self.line(f"if {bind('R', dyn.fullmatch)}({part}) is not None:")
            convert = bind("C", dyn.convert)
        self.indent += 1
        self.convert([f"v{k} = {convert}({part})"], dyn.node, i, [*locs, f"v{k}"])
        self.indent -= 1

    def convert(self, steps: list[str], child: _Node, i: int, locs: list[str]) -> None:
        """Run converter ``steps``; a refusal skips the child (the next sibling is tried)."""
        self.line("try:")
        for step in steps:
            self.line(f"    {step}")
        self.line("except _NON_MATCH:")
        self.line("    pass")
        self.line("else:")
        self.child(child, i, locs)

    def tails(self, node: _Node, i: int, locs: list[str]) -> None:
        bind = self.matcher.bind
        self.line(f"rest = '/'.join(parts[{i}:])")
        for tail in node.tails:
            self.line(f"m = {bind('T', tail.fullmatch)}(rest)")
            self.line("if m is not None:")
            self.line(f"    t = _tail_values(m, {bind('C', tail.converters)})")
            self.line("    if t is not None:")
            self.indent += 2
            self.flush(locs)
            self.line("values.extend(t)")
            self.line(f"return {bind('L', tail.leaf)}")
            self.indent -= 2

    def child(self, node: _Node, depth: int, locs: list[str]) -> None:
        """The block for ``node``, inline or as a call to a function of its own."""
        self.indent += 1
        if self.indent > self.matcher.max_indent or len(self.lines) > self.matcher.max_lines:
            stub = self.matcher.stub(node, depth, self.base + len(locs))
            self.call(stub.name, locs)
        else:
            self.node(node, depth, locs)
        self.indent -= 1

    def call(self, fn: str, locs: list[str]) -> None:
        self.flush(locs)
        self.line(f"r = {fn}(parts, n, values)")
        self.line("if r is not None:")
        self.line("    return r")
        if locs:
            self.line(f"del values[{self.base}:]")

    def finish(self, locs: list[str], leaf: str) -> None:
        self.flush(locs)
        self.line(f"return {leaf}")

    def flush(self, locs: list[str]) -> None:
        if len(locs) == 1:
            self.line(f"values.append({locs[0]})")
        elif locs:
            self.line(f"values.extend(({', '.join(locs)}))")
