"""Turning a :class:`~.response.Response` into a PEP 3333 answer.

Rules enforced here, for every front-end: the body's ``close()`` (and any ``call_on_close``
callbacks) always run; HEAD, 1xx, 204 and 304 answers carry no body; Content-Length is set
when the length is known; header values with control characters or non-latin-1 text are
refused before anything reaches the server.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any, Protocol

from .errors import STATUS_LINES, status_line

if TYPE_CHECKING:
    from .response import Response

WSGIEnvironment = dict[str, Any]
logger = logging.getLogger("resources_fw")


class StartResponse(Protocol):
    def __call__(
        self,
        status: str,
        headers: list[tuple[str, str]],
        exc_info: tuple[type[BaseException], BaseException, TracebackType] | None = ...,
        /,
    ) -> Callable[[bytes], object]: ...


WSGIApp = Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]

# CTLs other than HTAB; werkzeug's Headers only refuses CR and LF.
_BAD_HEADER_CHARS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
# RFC 9110 field names are tokens.
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_BLOCK = 64 * 1024


class HeaderValueError(ValueError):
    """A response header would be unsafe on the wire (header splitting, non-latin-1)."""


class ClosingIterator:
    """Iterate ``body`` (encoding text), then close it and run callbacks, each exactly once."""

    def __init__(
        self, body: Iterable[Any], callbacks: list[Callable[[], Any]], charset: str = "utf-8"
    ) -> None:
        self._body = body
        self._iter: Iterator[Any] | None = None
        self._callbacks = callbacks
        self._charset = charset
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        if self._iter is None:
            self._iter = iter(self._body)
        chunk = next(self._iter)
        return chunk.encode(self._charset) if isinstance(chunk, str) else bytes(chunk)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        errors: list[Exception] = []
        for func in [getattr(self._body, "close", None), *self._callbacks]:
            if func is None:
                continue
            try:
                func()
            except Exception as exc:  # every callback runs even when one fails
                # The server may only print what close() raises; our log gets it too.
                logger.error("Error while closing the response", exc_info=exc)
                errors.append(exc)
        if len(errors) == 1:
            raise errors[0]
        if errors:
            raise ExceptionGroup("errors while closing the response", errors)


class _FileChunks:
    def __init__(self, file: IO[bytes], block: int = _BLOCK) -> None:
        self.file = file
        self.block = block

    def __iter__(self) -> Iterator[bytes]:
        while chunk := self.file.read(self.block):
            yield chunk

    def close(self) -> None:
        self.file.close()


def _file_length(file: IO[bytes]) -> int | None:
    try:
        st = os.fstat(file.fileno())
        return max(st.st_size - file.tell(), 0)
    except (AttributeError, OSError, ValueError):
        return None


def _is_latin1(text: str) -> bool:
    if text.isascii():
        return True
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


def _chunks(
    response: Response, environ: WSGIEnvironment
) -> tuple[Iterable[bytes], int | None, bool]:
    """The body as WSGI chunks, its length if known, and whether it is a user iterable
    (which may hold text and must be closed)."""
    body = response.body
    if type(body) is str:
        data = body.encode(response.charset)
        return (data,), len(data), False
    if isinstance(body, bytes):
        return (body,), len(body), False
    if body is None:
        return (), 0, False
    if isinstance(body, bytearray | memoryview):
        data = bytes(body)  # iterating one would yield ints
        return (data,), len(data), False
    if isinstance(body, str):
        data = body.encode(response.charset)
        return (data,), len(data), False
    if hasattr(body, "read"):
        wrapper = environ.get("wsgi.file_wrapper")
        chunks = wrapper(body, _BLOCK) if wrapper else _FileChunks(body)  # type: ignore[arg-type]
        return chunks, _file_length(body), False  # type: ignore[arg-type]
    return body, None, True  # type: ignore[return-value]


def _header_list(response: Response) -> list[tuple[str, str]]:
    """A copy of the response's header pairs (a response may be served more than once,
    and :func:`start` adds to the list)."""
    stored = response.__dict__
    headers = stored.get("headers")  # never touched: no Headers object was made
    if headers is None:
        return list(stored.get("_header_list", ()))
    # werkzeug's Headers keeps its items in ``_list``; copying it directly is 3x cheaper
    # than to_wsgi_list().
    items = getattr(headers, "_list", None)
    return list(items) if items is not None else headers.to_wsgi_list()


def start(
    start_response: StartResponse,
    status_code: int,
    reason: str | None,
    header_list: list[tuple[str, str]],
    length: int | None,
    default_content_type: str | None = None,
) -> bool:
    """Check ``header_list`` (which is extended in place), fill in Content-Length and
    Content-Type, and call ``start_response``. True when the status may carry a body.

    Raises :class:`HeaderValueError` before anything is sent if a header is unsafe. A
    front-end that has the status and headers in hand calls this directly; :func:`serve`
    calls it for a :class:`~.response.Response`.
    """
    has_type = has_length = False
    for item in header_list:
        lower = _CHECKED.get(item) or _check_header(item)
        if lower == "content-type":
            has_type = True
        elif lower == "content-length":
            has_length = True
    line = STATUS_LINES.get(status_code) if reason is None else None
    if line is None:
        line = status_line(status_code, reason)
    if status_code < 200 or status_code == 204 or status_code == 304:
        start_response(line, _bodyless_headers(status_code, header_list))
        return False
    if not has_length and length is not None:
        header_list.append(("Content-Length", str(length)))
    if not has_type and default_content_type:
        header_list.append(("Content-Type", default_content_type))
    start_response(line, header_list)
    return True


# Header pairs already found safe, by pair -> lower-cased name: responses repeat the same few
# (Content-Type, Cache-Control...), so most are checked once per process, not per request.
_CHECKED: dict[tuple[str, str], str] = {}
_CHECKED_MAX = 4096


def _check_header(item: tuple[str, str]) -> str:
    name, value = item
    if _BAD_HEADER_CHARS.search(value) or not _is_latin1(value):
        raise HeaderValueError(
            f"response header {name!r} has a control character or non-latin-1 text"
        )
    if not _TOKEN.fullmatch(name):
        raise HeaderValueError(f"response header name {name!r} is not an HTTP token")
    lower = name.lower()
    if len(_CHECKED) < _CHECKED_MAX:
        _CHECKED[item] = lower
    return lower


def _bodyless_headers(code: int, header_list: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # 304 may repeat the Content-Length a 200 would have had; 1xx and 204 must not carry one.
    drop = ("transfer-encoding",) if code == 304 else ("transfer-encoding", "content-length")
    return [(k, v) for k, v in header_list if k.lower() not in drop]


def serve(
    response: Response,
    environ: WSGIEnvironment,
    start_response: StartResponse,
    head: bool | None = None,
) -> Iterable[bytes]:
    """Start ``response`` and return its body iterable, following this module's rules."""
    if head is None:
        head = environ.get("REQUEST_METHOD") == "HEAD"
    body = response.body
    kind = type(body)
    if kind is bytes or kind is str:  # the common case, without a call
        data = body if kind is bytes else body.encode(response.charset)  # type: ignore[union-attr]
        chunks: Iterable[bytes] = (data,)  # type: ignore[assignment]
        length: int | None = len(data)  # type: ignore[arg-type]
        raw = False
    else:
        chunks, length, raw = _chunks(response, environ)
    on_close = response._on_close
    try:
        has_body = start(
            start_response,
            response.status_code,
            response.reason,
            _header_list(response),
            length,
            response.default_content_type,
        )
    except HeaderValueError:
        # This response will never be sent; its body and callbacks are finished with.
        ClosingIterator(chunks, on_close).close()
        raise
    if head or not has_body:
        # Nothing to send, but the body is closed and the callbacks run when the server
        # closes, as for any response: a failure there must not follow start_response.
        close = getattr(chunks, "close", None)
        if close is not None:
            return ClosingIterator((), [close, *on_close])
        return ClosingIterator((), on_close) if on_close else ()
    if raw or on_close:
        return ClosingIterator(chunks, on_close, response.charset)
    return chunks
