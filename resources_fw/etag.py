"""``ETag``: an entity tag as a string that knows whether it is weak."""

from __future__ import annotations

from werkzeug.http import unquote_etag


class ETag(str):
    """The opaque tag (without quotes); ``is_weak`` for ``W/"..."`` tags."""

    is_weak: bool = False

    def dumps(self) -> str:
        """The tag as a header value: ``"abc"`` or ``W/"abc"``."""
        return f'W/"{self}"' if self.is_weak else f'"{self}"'

    def strong_compare(self, other: ETag) -> bool:
        """RFC 9110 strong comparison: equal tags, neither of them weak (for ``If-Match``)."""
        return not (self.is_weak or other.is_weak) and str.__eq__(self, other)

    @classmethod
    def loads(cls, etag_str: str) -> ETag:
        """Parse one header token (quoted, optionally ``W/``-prefixed)."""
        value, weak = unquote_etag(etag_str.strip())
        tag = cls(value or "")
        tag.is_weak = bool(weak)
        return tag


def parse_etags(header: str | None) -> list[ETag | str] | None:
    """``If-Match`` / ``If-None-Match`` as a list of :class:`ETag`; ``["*"]`` for ``*``."""
    if header is None:
        return None
    header = header.strip()
    if not header:
        return None
    if header == "*":
        return ["*"]
    tags: list[ETag | str] = []
    for token in _split_tags(header):
        tags.append(ETag.loads(token))
    return tags or None


def _split_tags(header: str) -> list[str]:
    # Commas may appear inside quoted tags, so split outside quotes only.
    out: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in header:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            token = "".join(current).strip()
            if token:
                out.append(token)
            current = []
        else:
            current.append(ch)
    token = "".join(current).strip()
    if token:
        out.append(token)
    return out
