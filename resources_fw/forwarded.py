"""The ``Forwarded`` header (RFC 7239): one :class:`Forwarded` element per proxy hop."""

from __future__ import annotations

import re

# RFC 7239: a name=value pair, the value a token or a quoted string (anything else is malformed).
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_PAIR = re.compile(rf'({_TOKEN})=({_TOKEN}|"(?:[^"\\]|\\.)*")')
_ESCAPE = re.compile(r"\\(.)")


class Forwarded:
    """One hop: ``src`` (the client as the proxy saw it), ``dest``, ``host``, ``scheme``."""

    __slots__ = ("dest", "host", "scheme", "src")

    def __init__(self) -> None:
        self.src: str | None = None
        self.dest: str | None = None
        self.host: str | None = None
        self.scheme: str | None = None

    def __repr__(self) -> str:
        return f"<Forwarded src={self.src!r} host={self.host!r} scheme={self.scheme!r}>"


_FIELDS = {"for": "src", "by": "dest", "host": "host", "proto": "scheme"}


def parse_forwarded_header(value: str) -> list[Forwarded]:
    """Every element of a ``Forwarded`` header, in order.

    Malformed input is skipped, not fatal: after a bad pair (or a pair not followed by ``;``
    or ``,``) the rest of that element is dropped, as Falcon does.
    """
    elements: list[Forwarded] = []
    current: Forwarded | None = None
    pos, end = 0, len(value)
    need_separator = False
    while 0 <= pos < end:
        char = value[pos]
        if char == ",":
            if current is not None:
                elements.append(current)
            current, need_separator = None, False
            pos += 1
        elif char == ";":
            need_separator = False
            pos += 1
        elif char in " \t":
            pos += 1
        else:
            match = None if need_separator else _PAIR.match(value, pos)
            if match is None:
                pos = value.find(",", pos)  # -1 ends the loop
                continue
            if current is None:
                current = Forwarded()
            _set_field(current, match.group(1).lower(), match.group(2))
            pos, need_separator = match.end(), True
    if current is not None:
        elements.append(current)
    return elements


def _set_field(hop: Forwarded, name: str, raw: str) -> None:
    attr = _FIELDS.get(name)
    if attr is None:
        return
    if raw.startswith('"'):
        raw = _ESCAPE.sub(r"\1", raw[1:-1])
    setattr(hop, attr, raw.lower() if attr == "scheme" else raw)
