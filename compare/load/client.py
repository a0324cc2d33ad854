"""A small HTTP/1.1 client over raw sockets, for load and hostile requests.

Raw sockets rather than ``http.client`` because the hostile requests are deliberately
malformed (garbage ``Content-Length``, CR/LF in the request line, oversized headers), which a
well-behaved client library refuses to send. Every read is bounded by a socket timeout and a
size cap, and only loopback addresses are accepted.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field

#: Bounds on what a reply may be; a reply over them is a protocol error, not a hang.
MAX_HEAD = 64 * 1024
MAX_BODY = 8 * 1024 * 1024
CHUNK = 64 * 1024


class ProtocolError(Exception):
    """The server's reply could not be parsed (or broke a size bound)."""


class StaleConnection(Exception):
    """A kept-alive connection was closed by the server before it answered a byte."""


@dataclass
class Reply:
    """A parsed HTTP response."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    keep_alive: bool = True

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or ``None``."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


def check_loopback(host: str) -> None:
    """Refuse anything but a loopback address: the load command never leaves this machine."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(f"Load target {host!r} must be a loopback IP, e.g. 127.0.0.1.") from None
    if not address.is_loopback:
        raise ValueError(f"Load target {host} is not a loopback address; use 127.0.0.1.")


class Reader:
    """Buffered reads from a socket, each bounded."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.received = 0

    def _fill(self) -> bool:
        data = self.sock.recv(CHUNK)
        self.received += len(data)
        self.buffer += data
        return bool(data)

    def until(self, marker: bytes, limit: int) -> bytes:
        while (end := self.buffer.find(marker)) < 0:
            if len(self.buffer) > limit:
                raise ProtocolError(f"No {marker!r} within {limit} bytes.")
            if not self._fill():
                raise EOFError("Connection closed mid-reply.")
        found, self.buffer = self.buffer[: end + len(marker)], self.buffer[end + len(marker) :]
        return found

    def exactly(self, size: int) -> bytes:
        if size > MAX_BODY:
            raise ProtocolError(f"Body of {size} bytes is over {MAX_BODY}.")
        while len(self.buffer) < size:
            if not self._fill():
                raise EOFError("Connection closed mid-body.")
        found, self.buffer = self.buffer[:size], self.buffer[size:]
        return found

    def rest(self) -> bytes:
        while self._fill():
            if len(self.buffer) > MAX_BODY:
                raise ProtocolError(f"Body over {MAX_BODY} bytes.")
        found, self.buffer = self.buffer, b""
        return found


def _parse_head(head: bytes) -> tuple[int, str, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise ProtocolError(f"Bad status line {lines[0]!r}.")
    headers = []
    for line in lines[1:]:
        if line:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
    return int(parts[1]), parts[0], headers


def _chunked(reader: Reader) -> bytes:
    body = b""
    while True:
        size_line = reader.until(b"\r\n", 1024).split(b";")[0].strip()
        try:
            size = int(size_line, 16)
        except ValueError:
            raise ProtocolError(f"Bad chunk size {size_line!r}.") from None
        if size == 0:
            reader.until(b"\r\n", MAX_HEAD)  # trailers end with an empty line
            return body
        body += reader.exactly(size)
        reader.exactly(2)
        if len(body) > MAX_BODY:
            raise ProtocolError(f"Chunked body over {MAX_BODY} bytes.")


def read_reply(reader: Reader, head_request: bool) -> Reply:
    """Read one response from ``reader``."""
    status, version, headers = _parse_head(reader.until(b"\r\n\r\n", MAX_HEAD))
    reply = Reply(status, headers)
    connection = (reply.header("Connection") or "").lower()
    reply.keep_alive = "close" not in connection and (
        version == "HTTP/1.1" or "keep-alive" in connection
    )
    if head_request or status in (204, 304) or 100 <= status < 200:
        return reply
    length = reply.header("Content-Length")
    if "chunked" in (reply.header("Transfer-Encoding") or "").lower():
        reply.body = _chunked(reader)
    elif length is not None:
        if not length.isdigit():
            raise ProtocolError(f"Bad Content-Length {length!r} in the reply.")
        reply.body = reader.exactly(int(length))
    else:
        reply.body = reader.rest()
        reply.keep_alive = False
    return reply


class Connection:
    """One client connection to ``host:port``, kept alive while the server allows it."""

    def __init__(self, host: str, port: int, timeout: float = 10.0) -> None:
        check_loopback(host)
        self.host, self.port, self.timeout = host, port, timeout
        self.sock: socket.socket | None = None
        self.reader: Reader | None = None
        self.reused = False

    def close(self) -> None:
        """Close the socket (if open)."""
        if self.sock is not None:
            self.sock.close()
        self.sock = self.reader = None

    def _open(self) -> tuple[socket.socket, Reader]:
        if self.sock is None or self.reader is None:
            self.sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
            self.reader = Reader(self.sock)
            self.reused = False
        else:
            self.reused = True
        return self.sock, self.reader

    def exchange(self, raw: bytes, head_request: bool = False) -> Reply:
        """Send ``raw`` (a whole request) and read the reply. ``StaleConnection`` when a reused
        connection turned out to be closed before any reply byte (safe to retry)."""
        sock, reader = self._open()
        received = reader.received
        try:
            sock.sendall(raw)
            reply = read_reply(reader, head_request)
        except (ConnectionResetError, BrokenPipeError, EOFError) as error:
            stale = self.reused and reader.received == received
            self.close()
            if stale:
                raise StaleConnection(str(error)) from error
            raise
        except BaseException:
            self.close()
            raise
        if not reply.keep_alive:
            self.close()
        return reply


def request_bytes(
    method: str,
    target: str,
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
    *,
    host: str = "127.0.0.1",
    close: bool = False,
) -> bytes:
    """A well-formed HTTP/1.1 request (``Content-Length`` added when there is a body)."""
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers or ()]
    if body or method in ("POST", "PUT", "PATCH"):
        lines.append(f"Content-Length: {len(body)}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
