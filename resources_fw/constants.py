"""Method lists and media type constants, named as Falcon names them."""

from __future__ import annotations

from typing import Final

HTTP_METHODS: Final[tuple[str, ...]] = (
    "CONNECT",
    "DELETE",
    "GET",
    "HEAD",
    "OPTIONS",
    "PATCH",
    "POST",
    "PUT",
    "TRACE",
)
WEBDAV_METHODS: Final[tuple[str, ...]] = (
    "CHECKIN",
    "CHECKOUT",
    "COPY",
    "LOCK",
    "MKCOL",
    "MOVE",
    "PROPFIND",
    "PROPPATCH",
    "REPORT",
    "UNCHECKIN",
    "UNLOCK",
    "UPDATE",
    "VERSION-CONTROL",
)
#: Every method a responder may be named after (``on_<method>``).
COMBINED_METHODS: Final[tuple[str, ...]] = HTTP_METHODS + WEBDAV_METHODS

TRUE_STRINGS: Final[frozenset[str]] = frozenset({"true", "True", "t", "yes", "y", "1", "on"})
FALSE_STRINGS: Final[frozenset[str]] = frozenset({"false", "False", "f", "no", "n", "0", "off"})

MEDIA_JSON: Final[str] = "application/json"
MEDIA_MSGPACK: Final[str] = "application/msgpack"
MEDIA_PARQUET: Final[str] = "application/vnd.apache.parquet"
MEDIA_MULTIPART: Final[str] = "multipart/form-data"
MEDIA_URLENCODED: Final[str] = "application/x-www-form-urlencoded"
MEDIA_YAML: Final[str] = "application/yaml"
MEDIA_XML: Final[str] = "application/xml"
MEDIA_JS: Final[str] = "text/javascript"
MEDIA_HTML: Final[str] = "text/html; charset=utf-8"
MEDIA_TEXT: Final[str] = "text/plain; charset=utf-8"
MEDIA_CSV: Final[str] = "text/csv; charset=utf-8"
MEDIA_JPEG: Final[str] = "image/jpeg"
MEDIA_PNG: Final[str] = "image/png"
MEDIA_GIF: Final[str] = "image/gif"
MEDIA_BMP: Final[str] = "image/bmp"
DEFAULT_MEDIA_TYPE: Final[str] = MEDIA_JSON
