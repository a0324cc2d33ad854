"""Parse a route template, in Falcon's or werkzeug's syntax, into one neutral form.

``/users/{id:int(min=1)}`` (Falcon) and ``/users/<int(min=1):id>`` (werkzeug) both become
``Template(segments=(("users",), (Field("id", "int", (), (("min", 1),)),)))``: the router
never sees the syntax a front-end used.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from itertools import pairwise
from typing import Any, Literal

Syntax = Literal["falcon", "werkzeug"]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_CONVERTER_CALL = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:\((?P<args>.*)\))?\Z", re.S)


class TemplateError(ValueError):
    """A route template cannot be parsed; the message names the template and the problem."""


@dataclass(frozen=True)
class Field:
    """One ``{name:converter(args)}`` / ``<converter(args):name>`` field of a template."""

    name: str
    converter: str
    args: tuple[Any, ...] = ()
    kwargs: tuple[tuple[str, Any], ...] = ()

    def signature(self) -> str:
        """The field without its name: two fields with equal signatures match the same text."""
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"{self.converter}({', '.join(parts)})"


Piece = str | Field
Segment = tuple[Piece, ...]


@dataclass(frozen=True)
class Template:
    """A parsed template: a tuple of path segments, each a tuple of static text and fields."""

    source: str
    segments: tuple[Segment, ...]

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(p for seg in self.segments for p in seg if isinstance(p, Field))

    def shape(self) -> str:
        """The template with field names erased: equal shapes match exactly the same paths."""
        return "/" + "/".join(
            "".join(p if isinstance(p, str) else "{" + p.signature() + "}" for p in seg)
            for seg in self.segments
        )


def parse_template(source: str, syntax: Syntax = "werkzeug") -> Template:
    """Parse ``source`` written in ``syntax`` ("falcon" braces or "werkzeug" angle brackets)."""
    if not isinstance(source, str) or not source.startswith("/"):
        raise TemplateError(f"route template {source!r} must be a string starting with '/'")
    opener, closer = ("{", "}") if syntax == "falcon" else ("<", ">")
    tokens = _tokenize(source, opener, closer, syntax)
    segments: list[list[Piece]] = [[]]
    for token in tokens:
        if isinstance(token, Field):
            segments[-1].append(token)
            continue
        chunks = token.split("/")
        for i, chunk in enumerate(chunks):
            if i:
                segments.append([])
            if chunk:
                segments[-1].append(chunk)
    # The leading "/" opens an empty first segment; drop it so "/a/b" -> ("a",), ("b",).
    segments = segments[1:] if segments and not segments[0] else segments
    names = [f.name for seg in segments for f in seg if isinstance(f, Field)]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise TemplateError(f"route template {source!r} uses the field name {dupes[0]!r} twice")
    for seg in segments:
        for left, right in pairwise(seg):
            if isinstance(left, Field) and isinstance(right, Field):
                raise TemplateError(
                    f"route template {source!r}: fields {left.name!r} and {right.name!r} "
                    "touch; put static text between them"
                )
    return Template(source, tuple(tuple(seg) if seg else ("",) for seg in segments) or (("",),))


def _tokenize(source: str, opener: str, closer: str, syntax: Syntax) -> list[Piece]:
    tokens: list[Piece] = []
    pos = 0
    while pos < len(source):
        start = source.find(opener, pos)
        if start < 0:
            tail = source[pos:]
            if closer in tail:
                raise TemplateError(f"route template {source!r} has an unmatched {closer!r}")
            tokens.append(tail)
            break
        if closer in source[pos:start]:
            raise TemplateError(f"route template {source!r} has an unmatched {closer!r}")
        if start > pos:
            tokens.append(source[pos:start])
        end = _find_closer(source, start + 1, closer)
        tokens.append(_parse_field(source, source[start + 1 : end], syntax))
        pos = end + 1
    return tokens


def _find_closer(source: str, pos: int, closer: str) -> int:
    """Index of the closer for a field opened before ``pos``, skipping quoted arguments."""
    quote: str | None = None
    while pos < len(source):
        ch = source[pos]
        if quote:
            if ch == "\\":
                pos += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == closer:
            return pos
        pos += 1
    raise TemplateError(f"route template {source!r} has a field that is never closed")


def _parse_field(source: str, body: str, syntax: Syntax) -> Field:
    if syntax == "falcon":
        name, _, conv = body.partition(":")
    else:
        conv, _, name = body.rpartition(":")
    name, conv = name.strip(), conv.strip() or "default"
    if not _IDENTIFIER.match(name):
        raise TemplateError(f"route template {source!r}: {name!r} is not a valid field name")
    m = _CONVERTER_CALL.match(conv)
    if m is None:
        raise TemplateError(f"route template {source!r}: cannot read converter {conv!r}")
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = {}
    if m.group("args") is not None and m.group("args").strip():
        try:
            args, kwargs = parse_converter_args(m.group("args"))
        except ValueError as exc:
            raise TemplateError(
                f"route template {source!r}: cannot parse the arguments of {conv!r}: {exc}"
            ) from None
    return Field(name, m.group("name"), args, tuple(kwargs.items()))


def parse_converter_args(text: str) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``3, min=-1, fmt="%Y"`` -> ``((3,), {"min": -1, "fmt": "%Y"})``.

    Python's own parser reads the argument list (never evaluating it): each argument must be
    a literal (numbers, negative ones too, strings, True/False/None), or a bare word, taken
    as a string as werkzeug does (``any(red, green)``).
    """
    try:
        call = ast.parse(f"f({text})", mode="eval").body
    except SyntaxError as exc:
        raise ValueError(exc.msg) from None
    if not isinstance(call, ast.Call):
        raise ValueError("not an argument list")
    args = tuple(_literal(node) for node in call.args)
    kwargs: dict[str, Any] = {}
    for keyword in call.keywords:
        if keyword.arg is None:
            raise ValueError("'**' is not allowed")
        kwargs[keyword.arg] = _literal(keyword.value)
    return args, kwargs


def _literal(node: ast.expr) -> Any:
    if isinstance(node, ast.Name):
        return node.id
    try:
        return ast.literal_eval(node)
    except ValueError:
        raise ValueError(f"{ast.unparse(node)!r} is not a literal") from None
