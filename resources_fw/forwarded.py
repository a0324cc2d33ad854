"""The ``Forwarded`` header (RFC 7239): one :class:`Forwarded` element per proxy hop."""

from __future__ import annotations

import re

# name=value pairs; a value is a token or a quoted string.
_PAIR = re.compile(r'\s*([!#$%&\'*+.^_`|~0-9A-Za-z-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;,\s]*)\s*')


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
    """Every element of a ``Forwarded`` header; malformed pairs are skipped, not fatal."""
    elements: list[Forwarded] = []
    current = Forwarded()
    pos = 0
    while pos < len(value):
        match = _PAIR.match(value, pos)
        if match is None:
            # Skip to the next separator: a proxy's garbage must not break the request.
            nxt = min(
                (i for i in (value.find(";", pos), value.find(",", pos)) if i >= 0),
                default=len(value),
            )
            pos = nxt
        else:
            name, raw = match.group(1).lower(), match.group(2)
            if raw.startswith('"'):
                raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
            attr = _FIELDS.get(name)
            if attr is not None:
                setattr(current, attr, raw.lower() if attr == "scheme" else raw)
            pos = match.end()
        if pos < len(value) and value[pos] == ",":
            elements.append(current)
            current = Forwarded()
        pos += 1
    elements.append(current)
    return [e for e in elements if e.src or e.dest or e.host or e.scheme]
