"""URI helpers with Falcon's names: percent-encoding, decoding, query strings, hosts."""

from __future__ import annotations

import re
from typing import Any
from urllib import parse
from urllib.parse import quote

from .media.urlencoded import parse_query

# RFC 3986 reserved and unreserved characters kept by encode(): a whole URI stays usable.
_URI_SAFE = "!#$&'()*+,/:;=?@[]~-._"
_ESCAPED = re.compile(r"%[0-9A-Fa-f]{2}")


def encode(uri: str) -> str:
    """Percent-encode a full URI, keeping its reserved characters (``/?&=...``)."""
    return quote(uri, safe=_URI_SAFE)


def encode_value(uri: str) -> str:
    """Percent-encode one value (a path segment or query value): reserved characters too."""
    return quote(uri, safe="~-._")


def encode_check_escaped(uri: str) -> str:
    """Like :func:`encode`, but leave a string that is already escaped alone."""
    return uri if _ESCAPED.search(uri) else encode(uri)


def encode_value_check_escaped(uri: str) -> str:
    """Like :func:`encode_value`, but leave a string that is already escaped alone."""
    return uri if _ESCAPED.search(uri) else encode_value(uri)


def decode(encoded_uri: str, unquote_plus: bool = True) -> str:
    """Decode percent-escapes (and ``+`` as a space unless ``unquote_plus=False``)."""
    return parse.unquote_plus(encoded_uri) if unquote_plus else parse.unquote(encoded_uri)


def parse_query_string(
    query_string: str, keep_blank: bool = False, csv: bool = False
) -> dict[str, Any]:
    """``a=1&a=2&b=`` -> ``{"a": ["1", "2"]}`` (blank values kept with ``keep_blank``)."""
    return parse_query(query_string, keep_blank, csv)


def parse_host(host: str, default_port: int | None = None) -> tuple[str, int | None]:
    """``"example.com:8080"`` -> ``("example.com", 8080)``; IPv6 literals lose their brackets.

    Raises ``ValueError`` naming the host when its port is not a number.
    """
    if host.startswith("["):
        end = host.find("]")
        if end < 0:
            raise ValueError(f"host {host!r} has an unclosed IPv6 literal")
        name, rest = host[1:end], host[end + 1 :]
        if not rest:
            return name, default_port
        if not rest.startswith(":"):
            raise ValueError(f"host {host!r} has text after its IPv6 literal")
        port_text = rest[1:]
    elif host.count(":") == 1:
        name, port_text = host.split(":")
    else:  # no port, or a bare IPv6 address
        return host, default_port
    if not port_text.isdigit():
        raise ValueError(f"host {host!r} has a port that is not a number")
    return name, int(port_text)


def unquote_string(quoted: str) -> str:
    """Strip the quotes of an HTTP quoted-string and resolve its backslash escapes."""
    if len(quoted) < 2 or not (quoted.startswith('"') and quoted.endswith('"')):
        return quoted
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])
