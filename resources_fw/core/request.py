"""The request: werkzeug's ``Request``, made lazy.

werkzeug's constructor decodes the path, the host, the headers and the query string up front
(about 1.5 us). Here construction only stores the environ; every attribute is computed the
first time it is read, so a handler pays only for what it uses. All of werkzeug's request API
(``args``, ``form``, ``files``, ``cookies``, ``headers``, ``get_json``, ``accept_mimetypes``...)
is available unchanged on top.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from tempfile import SpooledTemporaryFile
from types import MappingProxyType
from typing import IO, TYPE_CHECKING, Any, cast
from urllib.parse import unquote_plus

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" codec error handler
from werkzeug.datastructures import (
    EnvironHeaders,
    FileStorage,
    Headers,
    ImmutableMultiDict,
    MultiDict,
)
from werkzeug.exceptions import BadRequestKeyError
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.http import parse_options_header
from werkzeug.sansio.http import parse_cookie
from werkzeug.wrappers import Request as WerkzeugRequest

from .body import open_body
from .errors import BadRequest, ContentTooLarge, UnsupportedMediaType
from .lazy import lazy
from .limits import DEFAULT_LIMITS, Limits
from .media import JSONCodec, MediaDecoders

if TYPE_CHECKING:
    from .routing import Route

WSGIEnvironment = dict[str, Any]

_DEFAULT_DECODERS = MediaDecoders()


class QueryDict(ImmutableMultiDict[str, str]):
    """werkzeug's ``ImmutableMultiDict`` with ``[key]`` and ``get`` done in one call each
    (werkzeug's ``get`` goes through ``__getitem__``; views call them on every request)."""

    def __getitem__(self, key: str) -> str:
        values = dict.get(self, key)
        if values:
            return values[0]
        raise BadRequestKeyError(key)

    def get(self, key: str, default: Any = None, type: Any = None) -> Any:  # type: ignore[override]
        values = dict.get(self, key)
        if not values:
            return default
        if type is None:
            return values[0]
        try:
            return type(values[0])
        except (ValueError, TypeError):
            return default


def parse_query(query: str) -> ImmutableMultiDict[str, str]:
    """A WSGI ``QUERY_STRING`` (latin-1 text) as werkzeug's ``ImmutableMultiDict``.

    Decoded as werkzeug does (blank values kept; escapes of bytes that are not UTF-8 stay
    percent-encoded), except that raw invalid UTF-8 becomes U+FFFD instead of a 500.
    """
    return parse_pairs(query if query.isascii() else _decode(query))


def parse_pairs(text: str) -> ImmutableMultiDict[str, str]:
    """``a=1&b=x+y&a=2`` (already decoded text) -> ``ImmutableMultiDict``, at a third of the
    stdlib's cost: pairs are unquoted only when the text holds ``%`` or ``+``, and values are
    grouped in a plain dict before the multidict is made."""
    result: QueryDict = _dict_new(QueryDict)
    if not text:
        return result
    grouped: dict[str, list[str]] = {}
    if "%" in text or "+" in text:
        for item in text.split("&"):
            if item:
                key, _, value = item.partition("=")
                key = unquote_plus(key, errors="werkzeug.url_quote")
                value = unquote_plus(value, errors="werkzeug.url_quote")
                if key in grouped:
                    grouped[key].append(value)
                else:
                    grouped[key] = [value]
    else:
        for item in text.split("&"):
            key, _, value = item.partition("=")
            if key in grouped:
                if item:  # an empty item ("a=1&&b=2") is no pair
                    grouped[key].append(value)
            elif item:
                grouped[key] = [value]
    _dict_update(result, grouped)
    return result


# The multidict is filled as a plain dict: its own methods would check each value.
_dict_new = dict.__new__
_dict_update = dict.update


@lru_cache(maxsize=256)
def _content_type(raw: str) -> tuple[str, dict[str, str]]:
    # Clients send a handful of distinct values; callers copy the params before use.
    mimetype, params = parse_options_header(raw)
    return mimetype.lower(), params


def _decode(raw: str) -> str:
    if raw.isascii():
        return raw
    # PEP 3333 hands text over as latin-1; the bytes are really UTF-8 (werkzeug does the same).
    return raw.encode("latin1").decode("utf-8", "replace")


class _FormDataParser(FormDataParser):
    """werkzeug's parser, reading multipart bodies in blocks no larger than half the
    in-memory field limit: werkzeug checks that limit against its buffer plus the block it
    just read, so with its 64 KiB blocks a limit under 64 KiB would refuse files too."""

    def _parse_multipart(
        self,
        stream: IO[bytes],
        mimetype: str,
        content_length: int | None,
        options: dict[str, str],
    ) -> tuple[IO[bytes], MultiDict[str, str], MultiDict[str, FileStorage]]:
        limit = self.max_form_memory_size
        buffer_size = 64 * 1024 if limit is None else max(1024, min(64 * 1024, limit // 2))
        parser = MultiPartParser(
            stream_factory=self.stream_factory,
            max_form_memory_size=limit,
            max_form_parts=self.max_form_parts,
            cls=self.cls,
            buffer_size=buffer_size,
        )
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


class Request(WerkzeugRequest):
    """A request over ``environ``; nothing is parsed until it is asked for.

    ``route`` and ``route_params`` are filled in by the kernel's router match.
    """

    # werkzeug types this as the json module; ours has the same loads/dumps surface.
    json_module = JSONCodec()  # type: ignore[assignment]
    shallow = False
    #: The matched route and its converted values, once the kernel has routed the request.
    route: Route | None = None
    route_params: Mapping[str, Any] = MappingProxyType({})

    def __init__(
        self,
        environ: WSGIEnvironment,
        limits: Limits = DEFAULT_LIMITS,
        decoders: MediaDecoders = _DEFAULT_DECODERS,
    ) -> None:
        # Deliberately not calling super().__init__: it parses eagerly.
        self.environ = environ
        # Method and path are read by every request's routing: computed now, cheaply.
        method = environ.get("REQUEST_METHOD") or "GET"
        self.method = method if method.isupper() else method.upper()
        raw = environ.get("PATH_INFO") or "/"
        if raw == "/" or (raw.isascii() and raw[0] == "/" and raw[1] != "/"):
            self.path = raw
        else:
            self.path = "/" + _decode(raw).lstrip("/")
        self.limits = limits
        self.decoders = decoders

    @lazy
    def scheme(self) -> str:
        return str(self.environ.get("wsgi.url_scheme", "http"))

    @lazy
    def server(self) -> tuple[str, int | None] | None:
        name = self.environ.get("SERVER_NAME")
        if name is None:
            return None
        port = self.environ.get("SERVER_PORT")
        try:
            return name, int(port) if port else None
        except ValueError:
            return name, None

    @lazy
    def root_path(self) -> str:
        return _decode(self.environ.get("SCRIPT_NAME") or "").rstrip("/")

    @lazy
    def query_string(self) -> bytes:
        return str(self.environ.get("QUERY_STRING", "")).encode("latin1")

    @lazy
    def headers(self) -> Headers:
        return EnvironHeaders(self.environ)

    @lazy
    def remote_addr(self) -> str | None:
        addr = self.environ.get("REMOTE_ADDR")
        return str(addr) if addr is not None else None

    @lazy
    def args(self) -> ImmutableMultiDict[str, str]:
        """The query string as a ``MultiDict``, parsed on first use."""
        raw = self.environ.get("QUERY_STRING", "")
        return parse_pairs(raw if raw.isascii() else _decode(raw))

    @lazy
    def mimetype(self) -> str:
        """The Content-Type without parameters, lower-cased (``""`` when absent)."""
        return _content_type(self.environ.get("CONTENT_TYPE", ""))[0]

    def _parse_content_type(self) -> None:
        # werkzeug's, from the environ directly and parsed once per distinct value.
        if "_parsed_content_type" not in self.__dict__:
            mimetype, params = _content_type(self.environ.get("CONTENT_TYPE", ""))
            self._parsed_content_type = (mimetype, dict(params))

    @lazy
    def cookies(self) -> ImmutableMultiDict[str, str]:
        """The request's cookies (werkzeug's parser, read straight from ``HTTP_COOKIE``;
        bytes that are not UTF-8 become U+FFFD rather than an error)."""
        raw = self.environ.get("HTTP_COOKIE", "")
        cookies = parse_cookie(cookie=_decode(raw), cls=self.dict_storage_class)
        return cast(ImmutableMultiDict[str, str], cookies)

    # -- limits -------------------------------------------------------------------------

    @property
    def max_content_length(self) -> int | None:  # type: ignore[override]
        return self.limits.max_content_length

    @property
    def max_form_memory_size(self) -> int | None:  # type: ignore[override]
        return self.limits.max_form_memory_size

    @property
    def max_form_parts(self) -> int | None:  # type: ignore[override]
        return self.limits.max_form_parts

    # -- body ---------------------------------------------------------------------------

    @lazy
    def stream(self) -> IO[bytes]:
        """The body, bounded by Content-Length and the limits (see :mod:`.body`)."""
        return open_body(self.environ, self.max_content_length)

    def _get_file_stream(
        self,
        total_content_length: int | None,
        content_type: str | None,
        filename: str | None = None,
        content_length: int | None = None,
    ) -> IO[bytes]:
        # Owned by request.files (closed after the response) or by _close_spooled.
        stream = SpooledTemporaryFile(max_size=self.limits.spool_threshold, mode="rb+")  # noqa: SIM115
        self.__dict__.setdefault("_spooled", []).append(stream)
        return stream

    def make_form_data_parser(self) -> FormDataParser:
        parser = _FormDataParser(
            stream_factory=self._get_file_stream,
            max_form_memory_size=self.max_form_memory_size,
            max_content_length=self.max_content_length,
            max_form_parts=self.max_form_parts,
            cls=self.parameter_storage_class,
        )
        parser.silent = False  # a malformed body is the client's error to hear about
        return parser

    def _load_form_data(self) -> None:
        if "form" in self.__dict__:
            return
        if self.mimetype == "application/x-www-form-urlencoded":
            self._load_urlencoded()
            return
        try:
            super()._load_form_data()
        except ValueError as exc:
            self._close_spooled()
            raise BadRequest(
                description="The form body is malformed.", debug_detail=str(exc)
            ) from exc
        except BaseException:
            self._close_spooled()  # e.g. 413 after some parts were spooled
            raise

    def _load_urlencoded(self) -> None:
        """Parse a urlencoded body ourselves: werkzeug (since 3.1.9) no longer bounds it by
        ``max_form_memory_size``, and we promise a 413 past that limit."""
        stream = self._get_stream_for_parsing()  # 413 first for max_content_length
        limit = self.max_form_memory_size
        if limit is not None and (self.content_length or 0) > limit:
            raise ContentTooLarge(
                description=f"The form body is larger than the limit of {limit} bytes."
            )
        chunks: list[bytes] = []
        size = 0
        while chunk := stream.read(64 * 1024):
            chunks.append(chunk)
            size += len(chunk)
            if limit is not None and size > limit:
                raise ContentTooLarge(
                    description=f"The form body is larger than the limit of {limit} bytes."
                )
        try:
            text = b"".join(chunks).decode("utf-8")
        except UnicodeDecodeError as exc:
            # Unlike a URL, a form body is data: altering it silently would lose some.
            raise BadRequest(
                description="The form body is not valid UTF-8.", debug_detail=str(exc)
            ) from exc
        d = self.__dict__
        d["form"] = parse_pairs(text)
        d["files"] = ImmutableMultiDict()

    def _close_spooled(self) -> None:
        """Close the upload files of a parse that failed: nobody else holds them."""
        for stream in self.__dict__.pop("_spooled", ()):
            stream.close()

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if e is None:
            raise UnsupportedMediaType(
                description="Expected a JSON body (Content-Type: application/json)."
            )
        if not self.get_data(cache=True):
            raise BadRequest(description="The request body is empty; expected a JSON document.")
        raise BadRequest(description="The request body is not valid JSON.", debug_detail=str(e))

    def get_media(self) -> Any:
        """The body decoded by its content type (JSON, urlencoded or multipart form)."""
        return self.decoders.decode(self)
