"""The response: a status, werkzeug ``Headers`` and a body, built cheaply.

werkzeug's own ``Response`` costs about 3 us to construct; this one stores what it is given
and leaves the work (encoding, Content-Length, default Content-Type) to serialization in
:mod:`.wsgi`. Cookies use werkzeug's ``dump_cookie``; header parsing its helpers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import IO, TYPE_CHECKING, Any, Self, TypeAlias, cast

from werkzeug.datastructures import Headers
from werkzeug.http import dump_cookie, parse_options_header

from .errors import status_line
from .lazy import lazy
from .wsgi import serve

if TYPE_CHECKING:
    from .wsgi import StartResponse, WSGIEnvironment

Body: TypeAlias = bytes | str | Iterable[bytes] | Iterable[str] | IO[bytes] | None
Status: TypeAlias = int | HTTPStatus | str


_BAD_REASON = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# RFC 6265 cookie-name: an RFC 9110 token.
_COOKIE_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# Characters that would end or split a cookie attribute (werkzeug quotes values, not these).
_BAD_COOKIE_ATTR = re.compile(r"[;,\s\x00-\x1f\x7f]")


class ListHeaders(Headers):
    """werkzeug ``Headers`` over an existing list of pairs, which it keeps and edits."""

    def __init__(self, items: list[tuple[str, str]]) -> None:
        self._list = items


def parse_status(status: Status) -> tuple[int, str | None]:
    """``201``, ``HTTPStatus.CREATED``, ``"201"`` or ``"201 Created"`` -> (code, reason)."""
    if isinstance(status, int):
        code, reason = int(status), None
    else:
        text, _, reason_text = str(status).strip().partition(" ")
        if not (text.isascii() and text.isdigit() and len(text) == 3):
            raise ValueError(f"{status!r} is not an HTTP status")
        code, reason = int(text), reason_text.strip() or None
    if not 100 <= code <= 999:
        raise ValueError(f"{status!r} is not an HTTP status (100-999)")
    if reason is not None and _BAD_REASON.search(reason):
        raise ValueError(f"{status!r}: the reason phrase has a control character")
    return code, reason


def text_content_type(mimetype: str | None, charset: str) -> str | None:
    """``text/html`` -> ``text/html; charset=utf-8``; other types are left as they are."""
    if mimetype and mimetype.startswith("text/") and "charset" not in mimetype:
        return f"{mimetype}; charset={charset}"
    return mimetype


class Response:
    """What a handler answers with.

    ``body`` may be ``bytes``, ``str`` (encoded as UTF-8), an iterable of either (streamed;
    its ``close()`` is called), or a binary file (sent with ``wsgi.file_wrapper`` when the
    server has one). ``default_mimetype`` applies when no Content-Type is set.
    """

    default_mimetype: str | None = "text/plain"
    charset = "utf-8"
    #: werkzeug warns when a Set-Cookie header is longer than this (browsers drop such
    #: cookies silently); 0 turns the warning off. A front-end may read it from its config.
    max_cookie_size = 4093
    _header_list: list[tuple[str, str]]

    #: Whether ``__init__`` only stores its arguments, so that :meth:`from_parts` may stand
    #: in for it. A subclass with an ``__init__`` of its own is taken not to be lean unless
    #: it says so.
    lean_init = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.default_content_type = text_content_type(cls.default_mimetype, cls.charset)
        if "__init__" in cls.__dict__ and "lean_init" not in cls.__dict__:
            cls.lean_init = False

    def __init__(
        self,
        body: Body = None,
        status: Status = 200,
        headers: Mapping[str, str] | Iterable[tuple[str, str]] | Headers | None = None,
        content_type: str | None = None,
    ) -> None:
        self.body: Body = body
        if type(status) is int and 100 <= status <= 999:
            self.status_code = status
            self.reason: str | None = None
        else:
            self.status_code, self.reason = parse_status(status)
        if headers:
            self.headers = Headers(headers)
        if content_type is not None:
            self.headers["Content-Type"] = content_type
        self._on_close: list[Callable[[], Any]] = []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} [{self.status}]>"

    # -- status -------------------------------------------------------------------------

    @classmethod
    def from_parts(
        cls, body: Body, status_code: int, reason: str | None, header_list: list[tuple[str, str]]
    ) -> Self:
        """A response from parts a front-end has already checked: a status code in
        100-999, a reason without control characters (or ``None``) and ``(name, value)``
        pairs, which become :attr:`headers` as they are (nothing copied)."""
        response = cls.__new__(cls)
        response.body = body
        response.status_code = status_code
        response.reason = reason
        response._header_list = header_list
        response._on_close = []
        return response

    @lazy
    def headers(self) -> Headers:
        """The response headers (werkzeug ``Headers``), created on first use."""
        return ListHeaders(self.__dict__.get("_header_list", []))

    #: ``default_mimetype`` with its charset, computed once per class.
    default_content_type: str | None = "text/plain; charset=utf-8"

    @property
    def status(self) -> str:
        """The status line, e.g. ``"200 OK"``; settable from an int or a line."""
        return status_line(self.status_code, self.reason)

    @status.setter
    def status(self, value: Status) -> None:
        self.status_code, self.reason = parse_status(value)

    # -- common headers -----------------------------------------------------------------

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")

    @content_type.setter
    def content_type(self, value: str | None) -> None:
        if value is None:
            self.headers.remove("Content-Type")
        else:
            self.headers["Content-Type"] = value

    @property
    def mimetype(self) -> str | None:
        ct = self.content_type
        return parse_options_header(ct)[0].lower() if ct else None

    @mimetype.setter
    def mimetype(self, value: str) -> None:
        self.content_type = text_content_type(value, self.charset)

    @property
    def location(self) -> str | None:
        return self.headers.get("Location")

    @location.setter
    def location(self, value: str | None) -> None:
        if value is None:
            self.headers.remove("Location")
        else:
            self.headers["Location"] = value

    @property
    def content_length(self) -> int | None:
        """Content-Length as set, else the length of a bytes/str body, else ``None``."""
        raw = self.headers.get("Content-Length")
        if raw is not None:
            return int(raw)
        body = self.body
        if body is None:
            return 0
        if isinstance(body, bytes | bytearray):
            return len(body)
        if isinstance(body, memoryview):
            return body.nbytes
        if isinstance(body, str):
            return len(body.encode(self.charset))
        return None

    # -- body ---------------------------------------------------------------------------

    def get_data(self, as_text: bool = False) -> bytes | str:
        """The whole body; an iterable body is consumed and kept as bytes."""
        body = self.body
        if body is None:
            data = b""
        elif isinstance(body, bytes):
            data = body
        elif isinstance(body, bytearray | memoryview):
            data = bytes(body)
        elif isinstance(body, str):
            data = body.encode(self.charset)
        else:
            if hasattr(body, "read"):
                data = body.read()
            else:
                data = b"".join(c.encode(self.charset) if isinstance(c, str) else c for c in body)
            close = getattr(body, "close", None)
            if close is not None:
                close()
            self.body = data
        return data.decode(self.charset) if as_text else data

    def set_data(self, value: bytes | str) -> None:
        self.body = value
        self.headers.remove("Content-Length")

    @property
    def data(self) -> bytes:
        return cast(bytes, self.get_data())

    @data.setter
    def data(self, value: bytes | str) -> None:
        self.set_data(value)

    def call_on_close(self, func: Callable[[], Any]) -> Callable[[], Any]:
        """Run ``func`` when the server closes the response (after the last byte)."""
        self._on_close.append(func)
        return func

    # -- cookies ------------------------------------------------------------------------

    def set_cookie(
        self,
        key: str,
        value: str = "",
        max_age: timedelta | int | None = None,
        expires: str | datetime | float | None = None,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Add a ``Set-Cookie`` header (werkzeug's ``dump_cookie`` quotes the value and the
        path; the domain is checked here so it cannot smuggle in attributes)."""
        if not _COOKIE_NAME.fullmatch(key):
            raise ValueError(
                f"cookie name {key!r} is not a token (letters, digits, !#$%&'*+-.^_`|~)"
            )
        if domain is not None and _BAD_COOKIE_ATTR.search(domain):
            raise ValueError(f"cookie domain {domain!r} contains ';', ',' or white space")
        self.headers.add(
            "Set-Cookie",
            dump_cookie(
                key,
                value,
                max_age=max_age,
                expires=expires,
                path=path,
                domain=domain,
                secure=secure,
                httponly=httponly,
                samesite=samesite,
                partitioned=partitioned,
                max_size=self.max_cookie_size,
            ),
        )

    def delete_cookie(
        self,
        key: str,
        path: str | None = "/",
        domain: str | None = None,
        secure: bool = False,
        httponly: bool = False,
        samesite: str | None = None,
        partitioned: bool = False,
    ) -> None:
        """Expire a cookie; pass the attributes it was set with so browsers match it."""
        self.set_cookie(
            key,
            expires=0,
            max_age=0,
            path=path,
            domain=domain,
            secure=secure,
            httponly=httponly,
            samesite=samesite,
            partitioned=partitioned,
        )

    # -- WSGI ---------------------------------------------------------------------------

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """A response is itself a WSGI application."""
        return serve(self, environ, start_response)
