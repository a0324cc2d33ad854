"""``URLEncodedFormHandler``: ``application/x-www-form-urlencoded`` bodies as a dict."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any
from urllib.parse import unquote_plus, urlencode

from ..errors import HTTPContentTooLarge
from .base import BaseHandler


def parse_query(text: str, keep_blank: bool = True, csv: bool = False) -> dict[str, Any]:
    """``a=1&a=2&b=`` -> ``{"a": ["1", "2"], "b": ""}`` (Falcon's shape for params).

    With ``csv=True`` a comma-separated value becomes a list, as Falcon's option does.
    Plain text (no ``%`` or ``+``, default options), the common case on the hot path of
    every request that reads a parameter, takes a loop without the decoding step.
    """
    if csv or not keep_blank or "%" in text or "+" in text:
        return _parse_decoding(text, keep_blank, csv)
    out: dict[str, Any] = {}
    for pair in text.split("&"):
        key, _, value = pair.partition("=")
        if key in out:
            old = out[key]
            if type(old) is list:
                old.append(value)
            else:
                out[key] = [old, value]
        elif key:  # a pair without a name is skipped
            out[key] = value
    return out


def _parse_decoding(text: str, keep_blank: bool, csv: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in text.split("&"):
        key, _, value = pair.partition("=")
        decoded = _decode_pair(key, value, keep_blank, csv)
        if decoded is None:
            continue
        key, item = decoded
        if key not in out:
            out[key] = item
        elif isinstance(item, list):
            _merge(out, key, item)
        else:
            _merge(out, key, [item])
    return out


def _decode_pair(
    key: str, value: str, keep_blank: bool, csv: bool
) -> tuple[str, str | list[str]] | None:
    """The unquoted pair (a list value for csv), or ``None`` for a pair to skip."""
    if "%" in key or "+" in key:
        key = unquote_plus(key)
    if not key or (not value and not keep_blank):
        return None
    if csv and "," in value:
        # Split before decoding: an escaped comma (%2C) is part of a value, not a separator.
        return key, [_unquote(v) for v in value.split(",") if v or keep_blank]
    return key, _unquote(value)


def _unquote(value: str) -> str:
    return unquote_plus(value) if "%" in value or "+" in value else value


def _merge(out: dict[str, Any], key: str, values: list[str]) -> None:
    """A repeated name: its values become (or extend) a list."""
    old = out[key]
    if type(old) is list:
        old.extend(values)
    else:
        out[key] = [old, *values]


class URLEncodedFormHandler(BaseHandler):
    """Decode a form body to ``{name: value}`` (a list for repeated names); an empty body is
    ``{}``. Serializes a mapping back to the urlencoded form."""

    def __init__(
        self, keep_blank: bool = True, csv: bool = False, max_size: int | None = 500_000
    ) -> None:
        self.keep_blank = keep_blank
        self.csv = csv
        self.max_size = max_size

    def serialize(self, media: Any, content_type: str) -> bytes:
        if not isinstance(media, Mapping):
            raise TypeError("URLEncodedFormHandler serializes a mapping of names to values")
        return urlencode(media, doseq=True).encode("ascii")

    def deserialize(
        self, stream: IO[bytes], content_type: str | None, content_length: int | None
    ) -> Any:
        if self.max_size is not None:
            data = stream.read(self.max_size + 1)
            if len(data) > self.max_size:
                raise HTTPContentTooLarge(
                    description=f"The form body is larger than {self.max_size} bytes."
                )
        else:
            data = stream.read()
        return parse_query(data.decode("utf-8", "replace"), self.keep_blank, self.csv)
