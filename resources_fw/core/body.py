"""The request body stream: never read past Content-Length, never silently truncated.

Policy, stricter than werkzeug's: a Content-Length that is not a plain number is a 400; one
over the limit is a 413 before anything is read; a body shorter than its Content-Length is a
400; a chunked body from a server that does not terminate the input is a 411 (rather than
werkzeug's silent empty body); a terminated stream that runs past the limit is a 413 from
every reader, never a truncated read.
"""

from __future__ import annotations

import io
import sys
from typing import IO, Any

from werkzeug.wsgi import LimitedStream

from .errors import BadRequest, ContentTooLarge, LengthRequired

WSGIEnvironment = dict[str, Any]


def content_length(environ: WSGIEnvironment) -> int | None:
    """The request's Content-Length, ``None`` when absent; a 400 when it is not a number."""
    raw = environ.get("CONTENT_LENGTH")
    if raw is None or raw == "":
        return None
    text = raw.strip(" \t")
    if not (text.isascii() and text.isdigit()):
        raise BadRequest(description="The Content-Length header is not a valid number.")
    return int(text)


def _short_body() -> BadRequest:
    return BadRequest(description="The request body is shorter than its Content-Length.")


class _ExactBody(LimitedStream):
    """Exactly Content-Length bytes; ending early means the client sent a short body."""

    def on_disconnect(self, error: Exception | None = None) -> None:
        raise _short_body() from error

    def read(self, size: int | None = -1) -> bytes:
        """Up to ``size`` bytes (all that is left by default), never fewer unless the body
        ends: a single ``read(content_length)`` must not quietly return a short body."""
        remaining = self.limit - self._pos
        if size is None or size < 0 or size >= remaining:
            return self.readall()
        chunks = []
        while size > 0:
            data = LimitedStream.read(self, size)  # EOF before the limit: on_disconnect (400)
            chunks.append(data)
            size -= len(data)
        return b"".join(chunks)

    def readall(self) -> bytes:
        # The whole body at once is the common case (JSON, get_data): ask the server for all
        # that is left in one read rather than LimitedStream's 64 KiB loop.
        remaining = self.limit - self._pos
        if remaining <= 0:
            return b""
        try:
            data = self._stream.read(remaining)
        except (OSError, ValueError) as exc:
            self.on_disconnect(exc)
            raise
        self._pos += len(data)
        chunks = [data]
        while self._pos < self.limit:  # a partial read: ask again (EOF -> on_disconnect, 400)
            chunks.append(LimitedStream.read(self, self.limit - self._pos))
        return b"".join(chunks) if len(chunks) > 1 else data


class _CappedBody(LimitedStream):
    """A terminated stream of unknown length, allowed up to ``cap`` bytes.

    The underlying limit is one byte more than the cap so that reaching it proves the body is
    too large, and every reader (read, readline, readall, iteration) raises 413.
    """

    def __init__(self, stream: IO[bytes], cap: int) -> None:
        super().__init__(stream, cap + 1)
        self.cap = cap

    def readinto(self, b: Any) -> int | None:
        n = super().readinto(b)
        if self._pos > self.cap:
            raise ContentTooLarge(
                description=f"The request body is larger than the limit of {self.cap} bytes."
            )
        return n

    def on_exhausted(self) -> None:
        return None

    def on_disconnect(self, error: Exception | None = None) -> None:
        if error is not None:
            raise BadRequest(description="The request body could not be read.") from error


#: Bodies up to this size are read whole when opened: one read into an in-memory stream costs
#: a fifth of a length-limited wrapper over the server's stream, and JSON and form bodies are
#: mostly small. Larger ones are streamed.
READ_AT_ONCE = 64 * 1024


def _read_exactly(stream: IO[bytes], length: int) -> bytes:
    try:
        data = stream.read(length)
    except (OSError, ValueError) as exc:
        raise _short_body() from exc
    if len(data) == length:
        return data
    # A partial read (the server may return less): the rest, or a 400 if the body ends.
    return data + _ExactBody(stream, length - len(data)).readall()


def open_body(environ: WSGIEnvironment, max_content_length: int | None) -> IO[bytes]:
    """A safe reader for the request body, applying the policy in this module's docstring."""
    length = content_length(environ)
    stream: IO[bytes] = environ["wsgi.input"]
    if length is not None:
        if max_content_length is not None and length > max_content_length:
            raise ContentTooLarge(
                description=f"The request body is larger than the limit of "
                f"{max_content_length} bytes."
            )
        if length == 0:
            return io.BytesIO()
        if length <= READ_AT_ONCE:
            return io.BytesIO(_read_exactly(stream, length))
        return _ExactBody(stream, length)  # type: ignore[return-value]
    if environ.get("wsgi.input_terminated"):
        # Even without a limit, wrap: PEP 3333 only promises read(size), and the wrapper turns
        # read() into sized reads.
        cap = sys.maxsize - 1 if max_content_length is None else max_content_length
        return _CappedBody(stream, cap)  # type: ignore[return-value]
    if "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        raise LengthRequired(
            description="This server cannot read a chunked request body; send Content-Length."
        )
    return io.BytesIO()
