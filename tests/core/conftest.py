"""Fixtures for the core's tests: raw environ building and a WSGI caller that checks PEP 3333.

WebTest (the ``client`` fixture) covers ordinary requests; these fixtures exist for what it
cannot send: garbage ``Content-Length`` values, streams that fail when read, chunked bodies
with or without ``wsgi.input_terminated``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from wsgiref.validate import (  # type: ignore[attr-defined]  # untyped helpers
    check_content_type,
    check_headers,
    check_status,
    validator,
)

import pytest

from resources_fw.core import Request

Environ = dict[str, Any]

_AUTO = "auto"


@dataclass
class Result:
    """What a WSGI app answered."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def code(self) -> int:
        return int(self.status.split(" ", 1)[0])

    def header(self, name: str) -> str | None:
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[0] if values else None

    def json(self) -> Any:
        return json.loads(self.body)


class ExplodingInput(io.RawIOBase):
    """A ``wsgi.input`` that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        raise AssertionError("the request body was read")

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the request body was read")

    def readline(self, size: int | None = -1) -> bytes:
        raise AssertionError("the request body was read")


def build_environ(
    method: str = "POST",
    path: str = "/",
    body: bytes = b"",
    *,
    content_type: str | None = None,
    content_length: str | None = _AUTO,
    stream: IO[bytes] | None = None,
    terminated: bool = False,
    headers: dict[str, str] | None = None,
    query: str = "",
) -> Environ:
    """A complete PEP 3333 environ; ``content_length`` is sent verbatim (``None``: absent)."""
    environ: Environ = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": stream if stream is not None else io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    if content_length == _AUTO:
        environ["CONTENT_LENGTH"] = str(len(body))
    elif content_length is not None:
        environ["CONTENT_LENGTH"] = content_length
    if terminated:
        environ["wsgi.input_terminated"] = True
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def call_wsgi(
    app: Callable[..., Iterable[bytes]], environ: Environ, validate: bool = True
) -> Result:
    """Call ``app`` as a server would: start, iterate, close.

    With ``validate`` the app runs under ``wsgiref.validate``; without it (for environs the
    validator itself refuses, such as a garbage Content-Length) the response side is still
    checked with the validator's status, header and content-type checks.
    """
    seen: dict[str, Any] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        if not validate:
            check_status(status)
            check_headers(headers)
            check_content_type(status, headers)
        seen["status"] = status
        seen["headers"] = headers
        return lambda data: None

    wrapped = validator(app) if validate else app
    iterable = wrapped(environ, start_response)
    try:
        chunks = list(iterable)
    finally:
        close = getattr(iterable, "close", None)
        if close is not None:
            close()
    assert all(type(chunk) is bytes for chunk in chunks)
    return Result(seen["status"], seen["headers"], b"".join(chunks))


@pytest.fixture
def environ() -> Callable[..., Environ]:
    """Build a raw WSGI environ (see :func:`build_environ`)."""
    return build_environ


@pytest.fixture
def wsgi() -> Callable[..., Result]:
    """Call a WSGI app on an environ (see :func:`call_wsgi`)."""
    return call_wsgi


@pytest.fixture
def exploding_input() -> ExplodingInput:
    """A ``wsgi.input`` that fails the test when read."""
    return ExplodingInput()


class UploadTracking:
    """A request class that records every temporary file made for an upload."""

    def __init__(self) -> None:
        self.files: list[IO[bytes]] = []
        tracker = self

        class TrackingRequest(Request):
            def _get_file_stream(self, *args: Any, **kwargs: Any) -> IO[bytes]:
                stream = super()._get_file_stream(*args, **kwargs)
                tracker.files.append(stream)
                return stream

        self.request_class = TrackingRequest


@pytest.fixture
def uploads() -> Iterator[UploadTracking]:
    """Track upload temp files; whatever the core left open is closed at teardown, so that a
    leak fails only the test that checks for it, not whichever test the GC runs in."""
    tracking = UploadTracking()
    yield tracking
    for stream in tracking.files:
        stream.close()
