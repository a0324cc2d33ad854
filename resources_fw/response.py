"""``Response`` (``resp``): what a responder fills in; turned into the core's response once.

The body is whichever is set first of ``text``, ``data``, ``media`` (serialized by the media
handler for ``content_type``) and ``stream``. Headers are kept in a dict by lower-cased
name (``resp.headers`` is a copy, as in Falcon); ``content_type``, the header nearly every
responder sets, is a plain attribute folded in when the response is sent.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from typing import IO, Any
from urllib.parse import quote

from werkzeug.http import dump_cookie

from .constants import MEDIA_JSON
from .context import Context, check_context_type
from .core.errors import status_line
from .core.lazy import lazy
from .core.response import Response as CoreResponse
from .core.response import parse_status
from .errors import HeaderNotSupported
from .etag import ETag
from .media.handlers import Handlers
from .redirects import uri_encode_text
from .util import check_option, dt_to_http

_SAME_SITE = {"lax": "Lax", "strict": "Strict", "none": "None"}
# No Content-Type on these, as Falcon does.
_TYPELESS = frozenset({100, 101, 102, 103, 204, 304})


def _static_types() -> dict[str, str]:
    types = dict(mimetypes.types_map)
    types.update(
        {".js": "text/javascript", ".json": "application/json", ".wasm": "application/wasm"}
    )
    return types


@dataclass
class ResponseOptions:
    """Per-app response options (``app.resp_options``); setting an unknown one raises
    ``AttributeError``."""

    secure_cookies_by_default: bool = True
    default_media_type: str = MEDIA_JSON
    media_handlers: Handlers = field(default_factory=Handlers)
    static_media_types: dict[str, str] = field(default_factory=_static_types)
    #: Accepted for Falcon apps, with no effect: there are no XML error bodies here (errors
    #: are JSON or HTML by ``Accept``).
    xml_error_serialization: bool = True

    def __setattr__(self, name: str, value: Any) -> None:
        check_option(self, name, value, {})
        object.__setattr__(self, name, value)


_DEFAULT_OPTIONS = ResponseOptions()


class Wire(CoreResponse):
    """The core response the app hands to the kernel (built by ``from_parts``: nothing
    copied or re-validated; no default Content-Type, ``resp`` always has one)."""

    default_mimetype = None


def _encode_text(text: str | bytes) -> bytes:
    return text if isinstance(text, bytes) else text.encode()


class _Header:
    """A header as a property: ``resp.location = "/x"``; ``None`` removes it."""

    def __init__(self, name: str, doc: str, kind: str = "plain") -> None:
        self.name = name
        self.lower = name.lower()
        self.kind = kind
        self.__doc__ = doc

    def __get__(self, obj: Response | None, owner: type | None = None) -> Any:
        if obj is None:
            return self
        pair = obj._headers.get(self.lower)
        return pair[1] if pair is not None else None

    def __delete__(self, obj: Response) -> None:
        obj._headers.pop(self.lower, None)

    def __set__(self, obj: Response, value: Any) -> None:
        if value is None:
            obj._headers.pop(self.lower, None)
            return
        if self.kind == "list" and not isinstance(value, str):
            value = ", ".join(str(v) for v in value)
        elif self.kind == "date" and isinstance(value, datetime):
            value = dt_to_http(value)
        elif self.kind == "uri":
            value = uri_encode_text(str(value))
        obj._headers[self.lower] = (self.name, str(value))


class Response:
    """The response a responder receives as ``resp``."""

    #: Replace with your own class for ``resp.context``.
    context_type: type[Any] = Context

    # Defaults live on the class, so that building a response sets two attributes.
    text: str | None = None
    data: bytes | None = None
    #: The Content-Type header (``None``: the app's ``media_type`` is sent).
    content_type: str | None = None
    stream: IO[bytes] | Iterable[bytes] | None = None
    #: Set to ``True`` (in middleware or a hook) to skip the remaining steps and responder.
    complete = False
    #: A Python object serialized by the media handler for ``content_type`` (``None``, as
    #: in Falcon: no body).
    media: Any = None
    status_code = 200
    _reason: str | None = None
    _length_declared = False  # set by content_length / set_header("Content-Length")
    # cookie name -> ("Set-Cookie", line): setting a name again replaces it, as in Falcon.
    _cookies: dict[str, tuple[str, str]] | None = None

    def __init__(self, options: ResponseOptions | None = None) -> None:
        self.options = options or _DEFAULT_OPTIONS
        # lower-cased name -> (name as set, value); Set-Cookie lines live in _cookies.
        self._headers: dict[str, tuple[str, str]] = {}

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.status}>"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        check_context_type(cls)

    @lazy
    def context(self) -> Any:
        return self.context_type()

    # -- status -------------------------------------------------------------------------

    @property
    def status(self) -> str:
        """The status line (``"200 OK"``); set an int, ``http.HTTPStatus`` or ``HTTP_404``."""
        return status_line(self.status_code, self._reason)

    @status.setter
    def status(self, value: int | str | HTTPStatus) -> None:
        if type(value) is int:
            self.status_code, self._reason = value, None
        else:
            self.status_code, self._reason = parse_status(value)

    # -- body ---------------------------------------------------------------------------

    def set_stream(self, stream: IO[bytes] | Iterable[bytes], content_length: int | None) -> None:
        """Stream the body from a file or an iterable of bytes of known length."""
        self.stream = stream
        if content_length is not None:
            self.content_length = content_length

    def render_body(self) -> bytes | None:
        """The body as bytes (``None`` when it is a stream or unset)."""
        if self.text is not None:
            return _encode_text(self.text)
        if self.data is not None:
            return self.data
        if self.media is not None:
            content_type = self.content_type or self.options.default_media_type
            handler = self.options.media_handlers.find(content_type)
            if handler is None:
                # The server's own mistake, not the client's: a 500, logged.
                raise LookupError(
                    f"no media handler serializes resp.media as {content_type!r}; register "
                    "one in app.resp_options.media_handlers or set resp.text/resp.data"
                )
            return handler.serialize(self.media, content_type)
        return None

    def clear_body(self) -> None:
        """Drop whatever body was set (the app does this before rendering an error)."""
        self.text = self.data = None
        self.media = None
        stream = self.stream
        self.stream = None
        close = getattr(stream, "close", None)
        if close is not None:
            close()

    def to_wire(self) -> Wire:
        """The core response to serve: body rendered, default Content-Type filled in."""
        body, header_list = self.render()
        return Wire.from_parts(body, self.status_code, self._reason, header_list)

    def render(self) -> tuple[Any, list[tuple[str, str]]]:
        """The body to send (bytes, a stream or ``None``) and the header pairs, Content-Type
        and cookies included."""
        text = self.text
        if text is not None:
            try:
                body: Any = text.encode()
            except AttributeError:  # bytes in resp.text, which Falcon sends as they are
                body = _encode_text(text)
        else:
            body = self.render_body()
        if body is None:
            body = self.stream
        items = list(self._headers.values())
        # PEP 3333 validators refuse a Content-Type on 204/304 (and 1xx).
        if self.status_code not in _TYPELESS:
            items.append(("Content-Type", self.content_type or self.options.default_media_type))
        if self._cookies:
            items.extend(self._cookies.values())
        if self._length_declared and type(body) is bytes:
            length = str(len(body))
            items = [
                ("Content-Length", length) if name.lower() == "content-length" else (name, value)
                for name, value in items
            ]
        return body, items

    # -- headers ------------------------------------------------------------------------

    @property
    def headers(self) -> dict[str, str]:
        """A copy of the headers set so far (``Set-Cookie`` excluded), by name as set."""
        headers = dict(self._headers.values())
        if self.content_type is not None:
            headers["Content-Type"] = self.content_type
        return headers

    def set_header(self, name: str, value: Any) -> None:
        """Set a header, replacing any previous value."""
        lower = name.lower()
        if lower == "content-type":
            self.content_type = str(value)
        elif lower == "set-cookie":
            raise HeaderNotSupported("set cookies with resp.set_cookie(), not set_header()")
        else:
            if lower == "content-length":
                self._declare_length()
            self._headers[lower] = (name, str(value))

    def append_header(self, name: str, value: Any) -> None:
        """Append to a header: joined by a comma to an existing value. A raw ``Set-Cookie``
        line may be appended too (it is sent as its own header, replacing a cookie of the
        same name)."""
        lower = name.lower()
        if lower == "set-cookie":
            line = str(value)
            if self._cookies is None:
                self._cookies = {}
            self._cookies[line.partition("=")[0].strip()] = ("Set-Cookie", line)
            return
        if lower == "content-type":
            self.content_type = str(value)  # a single-valued header: appending replaces
            return
        old = self._headers.get(lower)
        self._headers[lower] = (name, f"{old[1]}, {value}" if old is not None else str(value))

    def set_headers(self, headers: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> None:
        """Set several headers from a mapping (anything with an ``items()`` method) or
        ``(name, value)`` pairs."""
        items_method = getattr(headers, "items", None)
        items: Iterable[tuple[str, Any]] = (
            items_method() if callable(items_method) else headers  # type: ignore[assignment]
        )
        for name, value in items:
            self.set_header(name, value)

    def get_header(self, name: str, default: str | None = None) -> str | None:
        lower = name.lower()
        if lower == "set-cookie":
            raise HeaderNotSupported("cookies set so far are not readable as a header")
        if lower == "content-type":
            return self.content_type if self.content_type is not None else default
        pair = self._headers.get(lower)
        return pair[1] if pair is not None else default

    def delete_header(self, name: str) -> None:
        lower = name.lower()
        if lower == "set-cookie":
            raise HeaderNotSupported("remove cookies with resp.unset_cookie()")
        if lower == "content-type":
            self.content_type = None
        self._headers.pop(lower, None)

    location = _Header("Location", "The Location header (non-ASCII text %-encoded).", "uri")
    content_location = _Header(
        "Content-Location", "The Content-Location header (non-ASCII text %-encoded).", "uri"
    )
    retry_after = _Header("Retry-After", "Retry-After (seconds).")
    accept_ranges = _Header("Accept-Ranges", "Accept-Ranges (e.g. 'bytes').")
    cache_control = _Header("Cache-Control", "Cache-Control directives (list or str).", "list")
    vary = _Header("Vary", "Vary (list of header names or str).", "list")
    last_modified = _Header("Last-Modified", "Last-Modified (datetime or HTTP date).", "date")
    expires = _Header("Expires", "Expires (datetime or HTTP date).", "date")
    _content_length = _Header("Content-Length", "")
    _content_range = _Header("Content-Range", "")
    _etag = _Header("ETag", "")
    _disposition_header = _Header("Content-Disposition", "")

    @property
    def content_length(self) -> str | None:
        """The Content-Length header; set it for a stream (computed for other bodies)."""
        value: str | None = self._content_length
        return value

    @content_length.setter
    def content_length(self, value: int | None) -> None:
        self._content_length = None if value is None else str(int(value))
        if value is not None:
            self._declare_length()

    def _declare_length(self) -> None:
        # A declared Content-Length must not outlive a body whose length is known: sending
        # "42" with 5 bytes breaks the framing (render puts the real length in its place).
        self._length_declared = True

    @property
    def content_range(self) -> str | None:
        value: str | None = self._content_range
        return value

    @content_range.setter
    def content_range(self, value: tuple[Any, ...] | str | None) -> None:
        """``(start, end, length)`` or ``(start, end, length, unit)``."""
        if value is None or isinstance(value, str):
            self._content_range = value
        else:
            unit = value[3] if len(value) > 3 else "bytes"
            self._content_range = f"{unit} {value[0]}-{value[1]}/{value[2]}"

    @property
    def etag(self) -> str | None:
        value: str | None = self._etag
        return value

    @etag.setter
    def etag(self, value: str | ETag | None) -> None:
        """A bare tag is quoted; an :class:`ETag` keeps its weakness; ``"..."`` is kept."""
        if value is None:
            self._etag = None
        elif isinstance(value, ETag):
            self._etag = value.dumps()
        elif value.startswith(('"', 'W/"')):
            self._etag = value
        else:
            self._etag = f'"{value}"'

    def _disposition(self, kind: str, filename: str | None) -> None:
        if filename is None:
            self._disposition_header = None
        elif filename.isascii():
            quoted = filename.replace("\\", "\\\\").replace('"', '\\"')
            self._disposition_header = f'{kind}; filename="{quoted}"'
        else:
            fallback = filename.encode("ascii", "replace").decode().replace('"', "_")
            encoded = quote(filename, safe="")
            self._disposition_header = (
                f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
            )

    downloadable_as = property(
        lambda self: self._disposition_header,
        lambda self, name: self._disposition("attachment", name),
        doc="Set a file name to make the client save the body (Content-Disposition).",
    )
    viewable_as = property(
        lambda self: self._disposition_header,
        lambda self, name: self._disposition("inline", name),
        doc="Set a file name for inline display (Content-Disposition: inline).",
    )

    def append_link(
        self,
        target: str,
        rel: str,
        title: str | None = None,
        title_star: tuple[str, str] | None = None,
        anchor: str | None = None,
        hreflang: str | Iterable[str] | None = None,
        type_hint: str | None = None,
        crossorigin: str | None = None,
        link_extension: Iterable[tuple[str, str]] | None = None,
    ) -> None:
        """Add a ``Link`` header entry (RFC 8288)."""
        uri_safe = "/:?=&#%;@!$,+~*()"
        # Extension relation types are URIs: %-encoded like the target, so that non-ASCII
        # text cannot make the header unsendable.
        rel = " ".join(quote(t, safe=uri_safe) if ":" in t else t for t in rel.split())
        parts = [f"<{quote(target, safe=uri_safe)}>", f'rel="{rel}"']
        if title is not None:
            parts.append(f'title="{title}"')
        if title_star is not None:
            parts.append(f"title*=UTF-8'{title_star[0]}'{quote(title_star[1], safe='')}")
        if anchor is not None:
            parts.append(f'anchor="{quote(anchor, safe="/:?=&#%")}"')
        if hreflang is not None:
            langs = [hreflang] if isinstance(hreflang, str) else list(hreflang)
            parts.extend(f"hreflang={lang}" for lang in langs)
        if type_hint is not None:
            parts.append(f'type="{type_hint}"')
        if crossorigin is not None:
            if crossorigin.lower() not in ("anonymous", "use-credentials"):
                raise ValueError("crossorigin must be 'anonymous' or 'use-credentials'")
            parts.append(f'crossorigin="{crossorigin.lower()}"')
        parts.extend(f'{name}="{value}"' for name, value in link_extension or ())
        self.append_header("Link", "; ".join(parts))

    add_link = append_link

    # -- cookies ------------------------------------------------------------------------

    def set_cookie(
        self,
        name: str,
        value: str,
        expires: datetime | None = None,
        max_age: int | float | str | None = None,
        domain: str | None = None,
        path: str | None = None,
        secure: bool | None = None,
        http_only: bool = True,
        same_site: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Add a ``Set-Cookie`` (replacing one set before under the same name); ``secure``
        defaults to ``resp_options.secure_cookies_by_default`` and ``http_only`` to ``True``,
        as in Falcon. ``max_age`` is converted to whole seconds; an empty ``same_site`` is
        left out, as is ``None``."""
        if same_site and same_site.lower() not in _SAME_SITE:
            raise ValueError(f"same_site must be 'Lax', 'Strict' or 'None', not {same_site!r}")
        if secure is None:
            secure = self.options.secure_cookies_by_default
        line = dump_cookie(
            name,
            value,
            max_age=None if max_age is None else int(float(max_age)),
            expires=expires,
            path=path,
            domain=domain,
            secure=secure,
            httponly=http_only,
            samesite=_SAME_SITE[same_site.lower()] if same_site else None,
            partitioned=partitioned,
        )
        if self._cookies is None:
            self._cookies = {}
        self._cookies[name] = ("Set-Cookie", line)

    @property
    def cookie_headers(self) -> list[str]:
        """The ``Set-Cookie`` lines added so far."""
        return [line for _, line in (self._cookies or {}).values()]

    def unset_cookie(
        self,
        name: str,
        domain: str | None = None,
        path: str | None = None,
        same_site: str = "Lax",
    ) -> None:
        """Tell the client to drop cookie ``name`` (match the domain and path it was set with)."""
        self.set_cookie(
            name,
            "",
            expires=datetime(1970, 1, 1),
            max_age=0,
            domain=domain,
            path=path,
            same_site=same_site,
        )
