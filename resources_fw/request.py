"""``Request`` (``req``): the core's lazy werkzeug request with Falcon's API on top.

Everything is computed on first access. Where Falcon and werkzeug disagree on a name, the
Falcon meaning wins: ``query_string`` is text, ``host`` has no port, ``user_agent`` is the
header string, ``range`` a ``(first, last)`` tuple, ``if_match`` a list of :class:`ETag`.
Werkzeug's other helpers (``args``, ``form``, ``files``, ``accept_mimetypes``, ...) remain.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from datetime import date as date_type
from typing import IO, Any, TypeVar
from urllib.parse import parse_qsl

from werkzeug.datastructures import ImmutableMultiDict, MIMEAccept
from werkzeug.http import parse_accept_header

from .constants import FALSE_STRINGS, MEDIA_JSON, TRUE_STRINGS
from .context import Context, check_context_type
from .core.body import content_length as _content_length
from .core.errors import BadRequest
from .core.lazy import lazy
from .core.request import Request as CoreRequest
from .errors import (
    HTTPBadRequest,
    HTTPInvalidHeader,
    HTTPInvalidParam,
    HTTPMissingHeader,
    HTTPMissingParam,
    MediaNotFoundError,
)
from .etag import ETag, parse_etags
from .forwarded import Forwarded, parse_forwarded_header
from .media.handlers import Handlers
from .media.urlencoded import parse_query
from .util import check_option, http_date_to_dt

T = TypeVar("T")
Store = MutableMapping[str, Any] | None

_UNSET: Any = object()
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
_DELIMITERS = {",": ",", "|": "|", " ": " ", "spaceDelimited": " ", "pipeDelimited": "|"}


_REFUSED_REQUEST_OPTIONS = {
    "auto_parse_form_urlencoded": "read the form with req.get_media() (deprecated in Falcon)"
}


@dataclass
class RequestOptions:
    """Per-app request options (``app.req_options``); setting an unknown one raises
    ``AttributeError``."""

    keep_blank_qs_values: bool = True
    auto_parse_qs_csv: bool = False
    strip_url_path_trailing_slash: bool = False
    default_media_type: str = MEDIA_JSON
    media_handlers: Handlers = field(default_factory=Handlers)
    #: Always ``False``: form fields are not merged into ``req.params`` (setting it ``True``
    #: raises ``ValueError``).
    auto_parse_form_urlencoded: bool = False

    def __setattr__(self, name: str, value: Any) -> None:
        check_option(self, name, value, _REFUSED_REQUEST_OPTIONS)
        object.__setattr__(self, name, value)


_DEFAULT_OPTIONS = RequestOptions()


class Request(CoreRequest):
    """The request a responder receives as ``req``."""

    #: Replace with your own class for ``req.context`` (Falcon's ``context_type``).
    context_type: type[Any] = Context
    options: RequestOptions = _DEFAULT_OPTIONS

    @property
    def uri_template(self) -> str | None:
        """The matched route's template (``"/items/{id}"``); ``None`` before routing and
        for sinks and static routes. Read from :attr:`route`, so routing stores nothing more."""
        route = self.route
        return None if route is None else getattr(route.target, "uri_template", None)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.method} {self.url!r}>"

    # -- context, options ---------------------------------------------------------------

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        check_context_type(cls)

    @lazy
    def context(self) -> Any:
        return self.context_type()

    @property
    def env(self) -> dict[str, Any]:
        """The WSGI environ (Falcon's name for werkzeug's ``environ``)."""
        return self.environ

    # -- the URL ------------------------------------------------------------------------

    @lazy
    def query_string(self) -> str:  # type: ignore[override]
        return _decode_text(str(self.environ.get("QUERY_STRING", "")))

    @lazy
    def args(self) -> ImmutableMultiDict[str, str]:
        """werkzeug's view of the query string (``query_string`` is text here)."""
        keep = self.options.keep_blank_qs_values
        return ImmutableMultiDict(parse_qsl(self.query_string, keep_blank_values=keep))

    @lazy
    def params(self) -> dict[str, Any]:
        """Query parameters: ``{name: value}``, a list for a repeated name."""
        options = self.options
        raw = self.environ.get("QUERY_STRING")
        if not raw:
            return {}
        text = raw if raw.isascii() else _decode_text(raw)
        return parse_query(text, options.keep_blank_qs_values, options.auto_parse_qs_csv)

    @lazy
    def host(self) -> str:
        """The host name, without the port (``Host`` header, else ``SERVER_NAME``)."""
        raw = self.environ.get("HTTP_HOST")
        if not raw:
            return str(self.environ.get("SERVER_NAME", "localhost"))
        if raw.startswith("["):  # IPv6 literal
            return str(raw[: raw.find("]") + 1])
        return str(raw.rsplit(":", 1)[0] if ":" in raw else raw)

    @lazy
    def port(self) -> int:
        raw = self.environ.get("HTTP_HOST")
        if raw:
            tail = raw.rsplit("]", 1)[-1]
            if ":" in tail:
                port = tail.rsplit(":", 1)[1]
                if port.isdigit():
                    return int(port)
            return _DEFAULT_PORTS.get(self.scheme, 80)
        try:
            return int(self.environ.get("SERVER_PORT") or _DEFAULT_PORTS.get(self.scheme, 80))
        except ValueError:
            return _DEFAULT_PORTS.get(self.scheme, 80)

    @lazy
    def netloc(self) -> str:
        """``host`` plus ``:port`` when the port is not the scheme's default."""
        port = self.port
        if _DEFAULT_PORTS.get(self.scheme) == port:
            return self.host
        return f"{self.host}:{port}"

    @property
    def app(self) -> str:
        """The mount point (``SCRIPT_NAME``), ``""`` at the root."""
        return self.root_path

    prefix = property(lambda self: f"{self.scheme}://{self.netloc}{self.root_path}")

    @lazy
    def relative_uri(self) -> str:
        """Mount point, path and query string: ``/app/items?x=1``."""
        qs = self.query_string
        base = self.root_path + self.path
        return f"{base}?{qs}" if qs else base

    @lazy
    def uri(self) -> str:
        """The full URL the client asked for."""
        return f"{self.scheme}://{self.netloc}{self.relative_uri}"

    url = uri

    @property
    def full_path(self) -> str:
        return f"{self.path}?{self.query_string}"

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.root_path}{self.path}"

    @property
    def root_url(self) -> str:
        return f"{self.scheme}://{self.netloc}{self.root_path}/"

    @property
    def host_url(self) -> str:
        return f"{self.scheme}://{self.netloc}/"

    @property
    def subdomain(self) -> str | None:
        """The leftmost label of ``host`` when it has at least three labels."""
        parts = self.host.split(".")
        return parts[0] if len(parts) > 2 else None

    # -- proxies ------------------------------------------------------------------------

    @lazy
    def forwarded(self) -> list[Forwarded] | None:
        """The parsed ``Forwarded`` header, nearest client first; ``None`` when absent."""
        raw = self.environ.get("HTTP_FORWARDED")
        return parse_forwarded_header(raw) if raw else None

    @property
    def forwarded_scheme(self) -> str:
        """The scheme the client used: the first hop's ``proto`` when a ``Forwarded`` header
        is present, else ``X-Forwarded-Proto``, else :attr:`scheme`."""
        if "HTTP_FORWARDED" in self.environ:
            hops = self.forwarded
            return (hops[0].scheme if hops else None) or self.scheme
        proto = self.environ.get("HTTP_X_FORWARDED_PROTO")
        return proto.split(",")[0].strip().lower() if proto else self.scheme

    @property
    def forwarded_host(self) -> str:
        """The host the client asked for: the first hop's ``host`` when a ``Forwarded``
        header is present, else ``X-Forwarded-Host``, else :attr:`netloc`."""
        if "HTTP_FORWARDED" in self.environ:
            hops = self.forwarded
            return (hops[0].host if hops else None) or self.netloc
        host = self.environ.get("HTTP_X_FORWARDED_HOST")
        return host.split(",")[0].strip() if host else self.netloc

    @property
    def forwarded_prefix(self) -> str:
        return f"{self.forwarded_scheme}://{self.forwarded_host}{self.root_path}"

    @property
    def forwarded_uri(self) -> str:
        return f"{self.forwarded_scheme}://{self.forwarded_host}{self.relative_uri}"

    @lazy
    def access_route(self) -> list[str]:
        """Client addresses, nearest the client first: from ``Forwarded`` if present, else
        ``X-Forwarded-For``, else ``X-Real-IP``, else ``[remote_addr]``. Only trust the entries
        added by proxies you run. (Falcon also appends ``remote_addr``.)"""
        env = self.environ
        route: list[str]
        if "HTTP_FORWARDED" in env:
            # A malformed Forwarded is not papered over with other headers: the proxy is wrong.
            route = [_strip_port(hop.src) for hop in self.forwarded or () if hop.src is not None]
        elif "HTTP_X_FORWARDED_FOR" in env:
            route = [a for a in (x.strip() for x in env["HTTP_X_FORWARDED_FOR"].split(",")) if a]
        elif "HTTP_X_REAL_IP" in env:
            route = [env["HTTP_X_REAL_IP"].strip()]
        else:
            route = []
        return route or [self.remote_addr]

    @lazy
    def remote_addr(self) -> str:
        """The peer's address (``REMOTE_ADDR``; ``127.0.0.1`` when the server gives none)."""
        return str(self.environ.get("REMOTE_ADDR") or "127.0.0.1")

    def log_error(self, message: str) -> None:
        """Write ``message`` to the server's error stream (``wsgi.errors``), prefixed with the
        time (UTC), the method and the path with its query string."""
        qs = self.query_string
        when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
        target = f"{self.path}?{qs}" if qs else self.path
        self.environ["wsgi.errors"].write(f"{when} [ERROR] {self.method} {target} => {message}\n")

    # -- headers ------------------------------------------------------------------------

    def get_header(
        self, name: str, required: bool = False, default: str | None = None
    ) -> str | None:
        """A header's value (several joined by commas); ``required`` -> 400 naming it."""
        values = self.headers.getlist(name)
        if values:
            return ",".join(values)
        if required:
            raise HTTPMissingHeader(name)
        return default

    def get_header_as_int(self, name: str, required: bool = False) -> int | None:
        value = self.get_header(name, required)
        if value is None:
            return None
        try:
            return int(value)
        except ValueError:
            raise HTTPInvalidHeader("The value must be an integer.", name) from None

    def get_header_as_datetime(self, name: str, required: bool = False) -> datetime | None:
        value = self.get_header(name, required)
        if value is None:
            return None
        try:
            return http_date_to_dt(value)
        except ValueError:
            raise HTTPInvalidHeader("It must be formatted as an HTTP date.", name) from None

    @property
    def headers_lower(self) -> dict[str, str]:
        return {k.lower(): v for k, v in self.headers.items()}

    @lazy
    def accept(self) -> str:
        """The ``Accept`` header; ``*/*`` when the client sent none."""
        return str(self.environ.get("HTTP_ACCEPT") or "*/*")

    @lazy
    def _accept(self) -> MIMEAccept:
        return parse_accept_header(self.accept, MIMEAccept)

    def client_accepts(self, media_type: str) -> bool:
        """Whether the client accepts ``media_type`` (wildcards in ``Accept`` count)."""
        return self._accept.quality(media_type) > 0

    @property
    def client_accepts_json(self) -> bool:
        return self.client_accepts(MEDIA_JSON)

    @property
    def client_accepts_xml(self) -> bool:
        return self.client_accepts("application/xml")

    @property
    def client_accepts_msgpack(self) -> bool:
        return self.client_accepts("application/msgpack") or self.client_accepts(
            "application/x-msgpack"
        )

    def client_prefers(self, media_types: Iterable[str]) -> str | None:
        """The type among ``media_types`` the client prefers; ``None`` if it takes none."""
        return self._accept.best_match(list(media_types))

    # Plain header properties: None when the header is absent or empty, as in Falcon.

    @property
    def user_agent(self) -> str | None:  # type: ignore[override]
        return self.environ.get("HTTP_USER_AGENT") or None

    @property
    def referer(self) -> str | None:
        return self.environ.get("HTTP_REFERER") or None

    @property
    def auth(self) -> str | None:
        """The raw ``Authorization`` header (werkzeug's parsed form: ``authorization``)."""
        return self.environ.get("HTTP_AUTHORIZATION") or None

    @property
    def expect(self) -> str | None:
        return self.environ.get("HTTP_EXPECT") or None

    @property
    def last_event_id(self) -> str | None:
        """The ``Last-Event-ID`` header (server-sent events reconnecting)."""
        return self.environ.get("HTTP_LAST_EVENT_ID") or None

    @lazy
    def content_type(self) -> str | None:  # type: ignore[override]
        """The Content-Type header as sent, or ``None``."""
        value = self.environ.get("CONTENT_TYPE")
        return str(value) if value else None

    @lazy
    def content_length(self) -> int | None:
        """Content-Length as an int; ``None`` when absent; 400 naming it when invalid."""
        try:
            return _content_length(self.environ)
        except BadRequest:
            raise HTTPInvalidHeader(
                "The value must be a non-negative integer.", "Content-Length"
            ) from None

    # -- dates and conditions -----------------------------------------------------------

    def _date_header(self, name: str) -> datetime | None:
        raw = self.get_header(name)
        if raw is None:
            return None
        try:
            return http_date_to_dt(raw)
        except ValueError:
            raise HTTPInvalidHeader("It must be formatted as an HTTP date.", name) from None

    date = property(lambda self: self._date_header("Date"))
    if_modified_since = property(lambda self: self._date_header("If-Modified-Since"))
    if_unmodified_since = property(lambda self: self._date_header("If-Unmodified-Since"))

    @property
    def if_match(self) -> list[ETag | str] | None:  # type: ignore[override]
        return parse_etags(self.environ.get("HTTP_IF_MATCH"))

    @property
    def if_none_match(self) -> list[ETag | str] | None:  # type: ignore[override]
        return parse_etags(self.environ.get("HTTP_IF_NONE_MATCH"))

    @property
    def if_range(self) -> str | None:  # type: ignore[override]
        return self.environ.get("HTTP_IF_RANGE")

    @property
    def range(self) -> tuple[int, int] | None:  # type: ignore[override]
        """``Range: bytes=0-499`` -> ``(0, 499)``; ``bytes=-500`` -> ``(-500, -1)``;
        ``bytes=9500-`` -> ``(9500, -1)``. 400 naming the header when malformed."""
        raw = self.environ.get("HTTP_RANGE")
        if not raw:
            return None
        return _parse_range(raw)

    @property
    def range_unit(self) -> str | None:
        raw = self.environ.get("HTTP_RANGE")
        if not raw or "=" not in raw:
            return None
        return str(raw.split("=", 1)[0].strip())

    # -- cookies ------------------------------------------------------------------------

    def get_cookie_values(self, name: str) -> list[str] | None:
        """Every value sent for cookie ``name`` in order, or ``None``."""
        values = self.cookies.getlist(name)
        return values or None

    # -- body ---------------------------------------------------------------------------

    @property
    def bounded_stream(self) -> IO[bytes]:
        """The body stream, never read past Content-Length (the same object as ``stream``)."""
        return self.stream

    def get_media(self, default_when_empty: Any = _UNSET) -> Any:
        """The body decoded by the media handler for its Content-Type (JSON by default).

        An empty body raises :class:`MediaNotFoundError` (400) unless ``default_when_empty``
        is given; a malformed one a 400; an unsupported type a 415. The result, or the
        error, is cached.
        """
        cached = self.__dict__.get("_media_result", _UNSET)
        if cached is _UNSET:
            try:
                cached = ("ok", self._read_media())
            except MediaNotFoundError as exc:
                cached = ("empty", exc)
            except HTTPBadRequest as exc:
                cached = ("error", exc)
            self.__dict__["_media_result"] = cached
        kind, value = cached
        if kind == "ok":
            return value
        if kind == "empty" and default_when_empty is not _UNSET:
            return default_when_empty
        raise value

    media = property(get_media)

    def close_media(self) -> None:
        """Close what decoding the body opened (multipart parts); run after the response."""
        cached = self.__dict__.get("_media_result")
        if cached is not None and cached[0] == "ok":
            close = getattr(cached[1], "close", None)
            if close is not None:
                close()

    @property
    def media_needs_closing(self) -> bool:
        """Whether the decoded media holds resources (files) to release after the response."""
        cached = self.__dict__.get("_media_result")
        return cached is not None and cached[0] == "ok" and hasattr(cached[1], "close")

    def _read_media(self) -> Any:
        options = self.options
        content_type = self.content_type
        handler, _ = options.media_handlers.resolve(content_type, options.default_media_type)
        return handler.deserialize(self.stream, content_type, self.content_length)

    # -- query parameters ---------------------------------------------------------------

    def has_param(self, name: str) -> bool:
        return name in self.params

    def get_param(
        self,
        name: str,
        required: bool = False,
        store: Store = None,
        default: str | None = None,
        allow_multiple: bool = True,
    ) -> str | None:
        """A query parameter's raw value (the last one if repeated); ``required`` -> 400."""
        value = self.params.get(name)
        if value is None:
            if required:
                raise HTTPMissingParam(name)
            return default
        if isinstance(value, list):
            if not allow_multiple and len(value) > 1:
                raise HTTPInvalidParam("It may not have more than one value.", name)
            value = value[-1]
        if store is not None:
            store[name] = value
        return str(value)

    def _convert(
        self,
        name: str,
        convert: Callable[[str], T],
        message: str,
        required: bool,
        store: Store,
        default: T | None,
        allow_multiple: bool = True,
    ) -> T | None:
        raw = self.get_param(name, required, allow_multiple=allow_multiple)
        if raw is None:
            return default
        try:
            value = convert(raw)
        except (ValueError, TypeError, OverflowError):
            raise HTTPInvalidParam(message, name) from None
        if store is not None:
            store[name] = value
        return value

    def get_param_as_int(
        self,
        name: str,
        required: bool = False,
        min_value: int | None = None,
        max_value: int | None = None,
        store: Store = None,
        default: int | None = None,
        allow_multiple: bool = True,
    ) -> int | None:
        """The parameter as an int within ``min_value``..``max_value`` (400 otherwise);
        ``allow_multiple=False``: a repeated parameter is a 400 (as for all typed getters)."""
        raw = self.params.get(name)
        if type(raw) is str and raw.isdecimal() and raw.isascii():
            value: int | None = int(raw)  # the common case, without the general path's calls
        else:
            value = self._convert(
                name, int, "The value must be an integer.", required, None, default, allow_multiple
            )
        if value is not None and value is not default:
            _check_range(name, value, min_value, max_value)
            if store is not None:
                store[name] = value
        return value

    def get_param_as_float(
        self,
        name: str,
        required: bool = False,
        min_value: float | None = None,
        max_value: float | None = None,
        store: Store = None,
        default: float | None = None,
        allow_multiple: bool = True,
    ) -> float | None:
        """The parameter as a finite float within bounds (400 otherwise)."""
        value = self._convert(
            name, _finite, "The value must be a float.", required, None, default, allow_multiple
        )
        if value is not None and value is not default:
            _check_range(name, value, min_value, max_value)
            if store is not None:
                store[name] = value
        return value

    def get_param_as_uuid(
        self,
        name: str,
        required: bool = False,
        store: Store = None,
        default: Any = None,
        allow_multiple: bool = True,
    ) -> uuid.UUID | None:
        return self._convert(
            name,
            uuid.UUID,
            "The value must be a UUID string.",
            required,
            store,
            default,
            allow_multiple,
        )

    def get_param_as_bool(
        self,
        name: str,
        required: bool = False,
        store: Store = None,
        blank_as_true: bool = True,
        default: bool | None = None,
        allow_multiple: bool = True,
    ) -> bool | None:
        """``true/t/yes/y/1/on`` or ``false/f/no/n/0/off``; a blank value is ``True``
        unless ``blank_as_true=False``."""

        def convert(raw: str) -> bool:
            if raw in TRUE_STRINGS or raw.lower() in TRUE_STRINGS:
                return True
            if raw in FALSE_STRINGS or raw.lower() in FALSE_STRINGS:
                return False
            if raw == "":
                return blank_as_true
            raise ValueError(raw)

        return self._convert(
            name,
            convert,
            'The value of the parameter must be "true" or "false".',
            required,
            store,
            default,
            allow_multiple,
        )

    def get_param_as_list(
        self,
        name: str,
        transform: Callable[[str], Any] | None = None,
        required: bool = False,
        store: Store = None,
        default: list[Any] | None = None,
        delimiter: str | None = None,
    ) -> list[Any] | None:
        """Every value of a repeated parameter (or one split on ``delimiter``), each passed
        through ``transform`` (a ``ValueError`` there is a 400 naming the parameter)."""
        value = self.params.get(name)
        if value is None:
            if required:
                raise HTTPMissingParam(name)
            return default
        if delimiter is not None and isinstance(value, str):
            sep = _DELIMITERS.get(delimiter)
            if sep is None:
                raise ValueError(
                    f"unsupported delimiter {delimiter!r}; use one of {sorted(_DELIMITERS)}"
                )
            value = value.split(sep)
        items: list[Any] = list(value) if isinstance(value, list) else [value]
        if transform is not None:
            try:
                items = [transform(item) for item in items]
            except (ValueError, TypeError):
                raise HTTPInvalidParam("The value is not formatted correctly.", name) from None
        if store is not None:
            store[name] = items
        return items

    def get_param_as_datetime(
        self,
        name: str,
        format_string: str = "%Y-%m-%dT%H:%M:%S%z",
        required: bool = False,
        store: Store = None,
        default: datetime | None = None,
        allow_multiple: bool = True,
    ) -> datetime | None:
        return self._convert(
            name,
            lambda raw: datetime.strptime(raw, format_string),
            f'The date value does not match the required format "{format_string}".',
            required,
            store,
            default,
            allow_multiple,
        )

    def get_param_as_date(
        self,
        name: str,
        format_string: str = "%Y-%m-%d",
        required: bool = False,
        store: Store = None,
        default: date_type | None = None,
        allow_multiple: bool = True,
    ) -> date_type | None:
        return self._convert(
            name,
            lambda raw: datetime.strptime(raw, format_string).date(),
            f'The date value does not match the required format "{format_string}".',
            required,
            store,
            default,
            allow_multiple,
        )

    def get_param_as_json(
        self,
        name: str,
        required: bool = False,
        store: Store = None,
        default: Any = None,
        allow_multiple: bool = True,
    ) -> Any:
        """The parameter's value decoded as JSON (400 naming it when invalid)."""
        return self._convert(
            name,
            _json_loads,
            "It could not be parsed as JSON.",
            required,
            store,
            default,
            allow_multiple,
        )


def _json_loads(raw: str) -> Any:
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("nested too deeply") from None


def _finite(raw: str) -> float:
    value = float(raw)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(raw)
    return value


def _check_range(name: str, value: float, low: float | None, high: float | None) -> None:
    if low is not None and value < low:
        raise HTTPInvalidParam(f"The value must be at least {low}.", name)
    if high is not None and value > high:
        raise HTTPInvalidParam(f"The value may not exceed {high}.", name)


def _strip_port(addr: str) -> str:
    if addr.startswith("["):
        return addr[1 : addr.find("]")]
    return addr.split(":", 1)[0] if addr.count(":") == 1 else addr


def _decode_text(raw: str) -> str:
    if raw.isascii():
        return raw
    return raw.encode("latin-1").decode("utf-8", "replace")


def _parse_range(raw: str) -> tuple[int, int]:
    _unit, _, spec = raw.partition("=")
    if not spec or "," in spec:
        raise HTTPInvalidHeader(
            "The value must be a single byte range like 'bytes=0-499'.", "Range"
        )
    first, dash, last = spec.strip().partition("-")
    try:
        if not dash:
            raise ValueError(spec)
        if not first:
            suffix = int(last)
            if suffix <= 0:
                raise ValueError(spec)
            return -suffix, -1
        start = int(first)
        end = int(last) if last else -1
        if start < 0 or (last and end < start):
            raise ValueError(spec)
        return start, end
    except ValueError:
        raise HTTPInvalidHeader(
            "The value must be a byte range like 'bytes=0-499'.", "Range"
        ) from None
