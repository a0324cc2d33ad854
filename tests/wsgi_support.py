"""Raw WSGI helpers for tests that WebTest cannot express: hand-built environs (garbage
``Content-Length``, streams that fail when read, chunked bodies) and a caller that still checks
the answer against PEP 3333. Shared by ``tests/core`` and ``tests/reliability``."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import IO, Any, TypeVar
from wsgiref.validate import (  # type: ignore[attr-defined]  # untyped helpers
    check_content_type,
    check_headers,
    check_status,
    validator,
)

Environ = dict[str, Any]
WSGIApp = Callable[..., Iterable[bytes]]

_AUTO = "auto"


class StartResponseRecorder:
    """A ``start_response`` that records each call (a copy of its headers) and checks
    nothing: to see exactly what would reach a server."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[tuple[str, str]]]] = []

    def __call__(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        self.calls.append((status, list(headers)))
        return lambda data: None

    @property
    def status(self) -> str:
        return self.calls[-1][0]

    @property
    def headers(self) -> list[tuple[str, str]]:
        return self.calls[-1][1]

    def names(self) -> list[str]:
        """The last call's header names, lower-cased, in order."""
        return [k.lower() for k, _ in self.headers]


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


R = TypeVar("R", bound=Result)


def build_environ(
    method: str = "GET",
    path: str = "/",
    body: bytes = b"",
    *,
    content_type: str | None = None,
    content_length: str | None = _AUTO,
    stream: IO[bytes] | None = None,
    terminated: bool = False,
    headers: dict[str, str] | None = None,
    query: str = "",
    host: str | None = None,
) -> Environ:
    """A complete PEP 3333 environ; ``content_length`` is sent verbatim (``None``: absent).

    ``path`` and ``query`` are WSGI strings (latin-1 text standing for raw bytes); ``host``
    becomes ``HTTP_HOST``. A ``Content-Type`` or ``Content-Length`` in ``headers`` lands in
    ``CONTENT_TYPE`` / ``CONTENT_LENGTH``, where a server puts it.
    """
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
    if host is not None:
        environ["HTTP_HOST"] = host
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    if content_length == _AUTO:
        environ["CONTENT_LENGTH"] = str(len(body))
    elif content_length is not None:
        environ["CONTENT_LENGTH"] = content_length
    if terminated:
        environ["wsgi.input_terminated"] = True
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        environ[key if key in ("CONTENT_TYPE", "CONTENT_LENGTH") else "HTTP_" + key] = value
    return environ


def call_wsgi(
    app: WSGIApp,
    environ: Environ,
    validate: bool = True,
    result_type: type[R] = Result,  # type: ignore[assignment]
) -> R:
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
    if not all(type(chunk) is bytes for chunk in chunks):
        raise TypeError("the app yielded a body chunk that is not bytes")
    return result_type(seen["status"], seen["headers"], b"".join(chunks))
