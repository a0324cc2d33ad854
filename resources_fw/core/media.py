"""Body codecs: JSON (pluggable), urlencoded and multipart forms, chosen by content type."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .errors import UnsupportedMediaType

if TYPE_CHECKING:
    from .request import Request


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# A \uD800-\uDFFF escape: only then can the decoded text hold a lone surrogate.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
# Built once: json.dumps(obj, ensure_ascii=False) makes a new encoder on every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False)
_BOM = b"\xef\xbb\xbf"


def _strict_loads(data: str | bytes) -> Any:
    """The stdlib decoder made strict: UTF-8 only (a leading BOM is ignored, as RFC 8259
    allows), no NaN / Infinity, no lone surrogates."""
    if isinstance(data, bytes):
        if data.startswith(_BOM):
            data = data[3:]
        data = data.decode("utf-8")  # UnicodeDecodeError is a ValueError: a 400
    value = _DECODER.decode(data)
    if "\\u" in data and _SURROGATE_ESCAPE.search(data):
        # Paired escapes decode to one character; a lone one survives and cannot be encoded.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    return value


class JSONCodec:
    """JSON ``loads``/``dumps`` with the stdlib by default; plug in a faster pair if you like.

    The default decoder refuses ``NaN`` and ``Infinity``, which are not JSON (RFC 8259).

    Whatever the decoder raises for bad input, including ``RecursionError`` for absurdly
    deep nesting, comes out as ``ValueError``, which the request turns into a 400.
    """

    def __init__(
        self,
        loads: Callable[[str | bytes], Any] = _strict_loads,
        dumps: Callable[[Any], str | bytes] | None = None,
    ) -> None:
        self._loads = loads
        self._dumps = dumps or _ENCODER.encode

    def loads(self, data: str | bytes, **kwargs: Any) -> Any:
        try:
            return self._loads(data)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        except ValueError:
            raise
        except Exception as exc:  # third-party decoders raise their own types
            raise ValueError(str(exc)) from exc

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        out = self._dumps(obj)
        return out.decode() if isinstance(out, bytes) else out

    def encode(self, obj: Any) -> bytes:
        out = self._dumps(obj)
        return out if isinstance(out, bytes) else out.encode()


Decoder = Callable[["Request"], Any]


def is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (
        mimetype.startswith("application/") and mimetype.endswith("+json")
    )


def _decode_json(request: Request) -> Any:
    return request.get_json(force=True)


def _decode_urlencoded(request: Request) -> Any:
    return request.form


def _decode_multipart(request: Request) -> Any:
    return request.form, request.files


class MediaDecoders:
    """Request-body decoders by media type; replace or add entries per application."""

    def __init__(self) -> None:
        self.decoders: dict[str, Decoder] = {
            "application/json": _decode_json,
            "application/x-www-form-urlencoded": _decode_urlencoded,
            "multipart/form-data": _decode_multipart,
        }

    def find(self, mimetype: str) -> Decoder | None:
        decoder = self.decoders.get(mimetype)
        if decoder is None and is_json(mimetype):
            decoder = self.decoders.get("application/json")
        return decoder

    def decode(self, request: Request) -> Any:
        """Decode the body by its content type; 415 naming the type when none handles it."""
        decoder = self.find(request.mimetype)
        if decoder is None:
            shown = request.mimetype or "no content type"
            raise UnsupportedMediaType(
                description=f"Cannot read a request body of type {shown!r}; "
                f"supported: {', '.join(sorted(self.decoders))}."
            )
        return decoder(request)
