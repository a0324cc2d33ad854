"""Body codecs: JSON (pluggable), urlencoded and multipart forms, chosen by content type."""

from __future__ import annotations

import json
import json.encoder
import json.scanner
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


def _finite_float(text: str) -> float:
    value = float(text)
    if value - value != 0.0:  # only inf - inf is not 0 (a literal cannot be NaN)
        raise ValueError(f"the number {text[:40]} is too large for a float")
    return value


# parse_float costs a Python call per float literal, but without it "1e400" would come in as
# Infinity: a 500 when echoed, where the client's mistake deserves a 400.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)
# The decoder's scanner, called directly: JSONDecoder.decode adds two regex passes for
# surrounding white space and two Python calls, a tenth of the cost on a 1 KB document.
_SCAN: Callable[[str, int], tuple[Any, int]] = json.scanner.make_scanner(_DECODER)  # type: ignore[arg-type]
_BOM = b"\xef\xbb\xbf"
# RFC 8259 white space (str.strip() would also drop form feeds and Unicode spaces).
_JSON_SPACE = " \t\n\r"


def _not_serializable(obj: Any) -> Any:
    raise TypeError(f"Object of type {type(obj).__name__} is not JSON serializable")


def make_dumps(
    default: Callable[[Any], Any] = _not_serializable,
    *,
    ensure_ascii: bool = False,
    sort_keys: bool = False,
    separators: tuple[str, str] = (", ", ": "),
) -> Callable[[Any], str]:
    """``json.dumps`` with fixed options, built once: the stdlib's C encoder without its
    circular-reference check, which costs a fifth of encoding a 1 KB document. A structure
    that contains itself fails with ``RecursionError`` instead (a server error, logged).
    ``NaN`` and ``Infinity`` are refused (``ValueError``): they are not JSON.
    """
    encoder_module: Any = json.encoder  # its C accelerator is not in the type stubs
    c_make_encoder = encoder_module.c_make_encoder
    if ensure_ascii:
        encode_string = encoder_module.encode_basestring_ascii
    else:
        encode_string = encoder_module.encode_basestring
    if c_make_encoder is None:  # no C accelerator: the pure-Python encoder, same options
        encoder = json.JSONEncoder(
            ensure_ascii=ensure_ascii,
            check_circular=False,
            allow_nan=False,
            sort_keys=sort_keys,
            separators=separators,
            default=default,
        )
        return encoder.encode
    item_separator, key_separator = separators
    chunks = c_make_encoder(
        None, default, encode_string, None, key_separator, item_separator, sort_keys, False, False
    )

    def dumps(obj: Any) -> str:
        return "".join(chunks(obj, 0))

    return dumps


_dumps = make_dumps()


def strict_loads(data: str | bytes) -> Any:
    """The stdlib decoder made strict: UTF-8 only (a leading BOM is ignored, as RFC 8259
    allows), no NaN / Infinity, no lone surrogates."""
    if isinstance(data, bytes):
        if data.startswith(_BOM):
            data = data[3:]
        data = data.decode("utf-8")  # UnicodeDecodeError is a ValueError: a 400
    start = 0 if data[:1] not in _JSON_SPACE else len(data) - len(data.lstrip(_JSON_SPACE))
    try:
        value, end = _SCAN(data, start)
    except StopIteration as exc:
        raise json.JSONDecodeError("Expecting value", data, exc.value) from None
    if end != len(data) and data[end:].strip(_JSON_SPACE):
        raise json.JSONDecodeError("Extra data", data, end)
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
        loads: Callable[[str | bytes], Any] = strict_loads,
        dumps: Callable[[Any], str | bytes] | None = None,
    ) -> None:
        self._loads = loads
        self._dumps = dumps or _dumps

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
