"""Small helpers Falcon users reach for: status conversion, HTTP dates, query strings."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

from werkzeug.http import parse_options_header
from werkzeug.utils import secure_filename as _werkzeug_secure_filename

from .core.errors import status_line


def code_to_http_status(status: int | HTTPStatus | str | bytes) -> str:
    """``404`` / ``HTTPStatus.NOT_FOUND`` / ``"404"`` / ``"404 Not Found"`` -> a status line.

    Raises ``ValueError`` naming the value when it is not a three-digit status.
    """
    if isinstance(status, bytes):
        status = status.decode("ascii", "replace")
    if isinstance(status, int):
        code, reason = int(status), None
    else:
        text = str(status).strip()
        head, _, reason_text = text.partition(" ")
        if not (head.isascii() and head.isdigit()):
            raise ValueError(f"{status!r} is not an HTTP status code or status line")
        code, reason = int(head), reason_text.strip() or None
    if not 100 <= code <= 999:
        raise ValueError(f"{status!r} is not an HTTP status code (100-999)")
    return status_line(code, reason)


def http_status_to_code(status: int | HTTPStatus | str | bytes) -> int:
    """The integer code of a status given as int, ``HTTPStatus`` or status line."""
    return int(code_to_http_status(status)[:3])


def dt_to_http(dt: datetime) -> str:
    """An HTTP date (``Tue, 15 Nov 1994 08:12:31 GMT``); naive datetimes are taken as UTC."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return format_datetime(dt.astimezone(UTC), usegmt=True)


def http_date_to_dt(http_date: str, obs_date: bool = False) -> datetime:
    """Parse an HTTP date into an aware UTC datetime; ``ValueError`` when it is not one."""
    try:
        dt = parsedate_to_datetime(http_date)
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"{http_date!r} is not an HTTP date") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def to_query_str(
    params: Mapping[str, Any] | None, comma_delimited_lists: bool = True, prefix: bool = True
) -> str:
    """Encode ``params`` as a query string (``?a=1&b=x``); lists become ``a=1,2`` or repeats."""
    if not params:
        return ""
    parts: list[str] = []
    for key, value in params.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        if isinstance(value, list | tuple):
            items = ["true" if v is True else "false" if v is False else str(v) for v in value]
            if comma_delimited_lists:
                parts.append(f"{quote(key)}={','.join(quote(v, safe='') for v in items)}")
            else:
                parts.extend(f"{quote(key)}={quote(v, safe='')}" for v in items)
        else:
            parts.append(f"{quote(key)}={quote(str(value), safe='')}")
    query = "&".join(parts)
    return "?" + query if prefix else query


def http_now() -> str:
    """The current time as an HTTP date."""
    return dt_to_http(datetime.now(UTC))


def secure_filename(filename: str, max_length: int | None = None) -> str:
    """``filename`` made safe for the local file system (werkzeug's rules), never empty.

    ``max_length`` (``None`` or 0: no cap) shortens the stem and keeps the extension when it
    fits. Raises ``ValueError`` naming the input when nothing usable is left (``""``,
    ``".."``), so that a bare directory path is never built from it.
    """
    if max_length is not None and max_length < 0:
        raise ValueError(f"max_length must be None, 0 (no cap) or positive, not {max_length}")
    safe = _werkzeug_secure_filename(filename)
    if not safe:
        raise ValueError(f"{filename!r} has no characters usable in a file name")
    if max_length and len(safe) > max_length:
        stem, dot, ext = safe.rpartition(".")
        if dot and stem and len(ext) + 1 < max_length:
            return stem[: max_length - len(ext) - 1] + dot + ext
        return safe[:max_length]
    return safe


def check_option(options: object, name: str, value: Any, refused: Mapping[str, str]) -> None:
    """Refuse setting an option that does not exist, so a misspelt one is not silently
    ignored. ``refused`` maps Falcon options kept only as ``False`` (what the app already does)
    to what to do instead of setting them true."""
    kind = type(options).__name__
    fields = getattr(options, "__dataclass_fields__", {})
    if name not in fields:
        raise AttributeError(f"{kind} has no option {name!r}; the options are {', '.join(fields)}")
    if value and name in refused:
        raise ValueError(f"{kind}.{name} cannot be turned on here: {refused[name]}")


def parse_header(line: str) -> tuple[str, dict[str, str]]:
    """``"text/html; charset=utf-8"`` -> ``("text/html", {"charset": "utf-8"})``."""
    return parse_options_header(line)


def get_argnames(func: Callable[..., Any]) -> list[str]:
    """The names of ``func``'s positional-or-keyword and keyword parameters (not ``self``)."""
    params = inspect.signature(func).parameters.values()
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [p.name for p in params if p.kind in kinds]


def get_bound_method(obj: object, method_name: str) -> Callable[..., Any] | None:
    """``obj.method_name`` if it exists; ``AttributeError`` if it is there but not callable."""
    method = getattr(obj, method_name, None)
    if method is not None and not callable(method):
        raise AttributeError(f"{type(obj).__name__}.{method_name} is not callable")
    return method
