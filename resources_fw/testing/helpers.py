"""``create_environ`` (a PEP 3333 environ for a simulated request) and small test helpers."""

from __future__ import annotations

import contextlib
import io
import itertools
import random
import socket
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, TextIO
from urllib.parse import unquote

from werkzeug.datastructures import Headers
from werkzeug.http import dump_cookie, parse_options_header

from ..request import Request, RequestOptions
from ..response import Response, ResponseOptions

DEFAULT_HOST = "falconframework.org"
DEFAULT_UA = "resources_fw-client/1.0"

HeaderArg = Mapping[str, str] | Iterable[tuple[str, str]]
# What a simulated request may claim, as Falcon spells it -> the SERVER_PROTOCOL version.
_HTTP_VERSIONS = {"1": "1.0", "1.0": "1.0", "1.1": "1.1", "2": "2", "2.0": "2"}
CookieArg = Mapping[str, Any]  # str values, or testing.Cookie objects


def _wsgi_text(text: str) -> str:
    # PEP 3333: the server hands over UTF-8 bytes decoded as latin-1.
    return text.encode("utf-8").decode("latin-1")


def create_environ(
    path: str = "/",
    query_string: str = "",
    http_version: str = "1.1",
    scheme: str = "http",
    host: str = DEFAULT_HOST,
    port: int | str | None = None,
    headers: HeaderArg | None = None,
    app: str | None = None,
    body: str | bytes = b"",
    method: str = "GET",
    wsgierrors: TextIO | None = None,
    file_wrapper: Callable[..., Any] | None = None,
    remote_addr: str | None = None,
    root_path: str | None = None,
    cookies: CookieArg | None = None,
) -> dict[str, Any]:
    """The environ a WSGI server would build for this request (body given as a whole)."""
    if "?" in path:
        path, _, from_path = path.partition("?")
        query_string = query_string or from_path
    if path and not path.startswith("/"):  # "" is allowed: a request for the script root
        raise ValueError(f"path {path!r} must start with '/'")
    http_version = _HTTP_VERSIONS.get(http_version, "")
    if not http_version:
        raise ValueError(f"http_version must be one of {', '.join(_HTTP_VERSIONS)}")
    data = body.encode() if isinstance(body, str) else bytes(body)
    port_text = str(port) if port is not None else ("443" if scheme == "https" else "80")
    root = root_path if root_path is not None else (app or "")
    if root and not root.startswith("/"):  # SCRIPT_NAME, like PATH_INFO, starts with "/"
        root = "/" + root
    env: dict[str, Any] = {
        "SERVER_PROTOCOL": f"HTTP/{http_version}",
        "SERVER_SOFTWARE": "resources_fw.testing",
        "SCRIPT_NAME": _wsgi_text(root),
        "REQUEST_METHOD": method.upper(),
        "PATH_INFO": _wsgi_text(unquote(path)),
        "QUERY_STRING": query_string,
        "REMOTE_ADDR": remote_addr or "127.0.0.1",
        "REMOTE_PORT": "65133",
        "RAW_URI": path,  # as sent: servers keep it undecoded (PATH_INFO is decoded)
        "SERVER_NAME": host,
        "SERVER_PORT": port_text,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(data),
        "wsgi.errors": wsgierrors or sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if file_wrapper is not None:
        env["wsgi.file_wrapper"] = file_wrapper
    default_port = "443" if scheme == "https" else "80"
    env["HTTP_HOST"] = host if port_text == default_port else f"{host}:{port_text}"
    env["HTTP_USER_AGENT"] = DEFAULT_UA
    if data:
        env["CONTENT_LENGTH"] = str(len(data))
    if cookies:
        # Values may be strings or the Cookie objects of a previous Result's ``cookies``;
        # werkzeug quotes what cannot go bare (the server side unquotes it back).
        env["HTTP_COOKIE"] = "; ".join(
            dump_cookie(str(k), str(getattr(v, "value", v))).partition(";")[0]
            for k, v in cookies.items()
        )
    _add_headers(env, headers)
    return env


def _add_headers(env: dict[str, Any], headers: HeaderArg | None) -> None:
    if not headers:
        return
    items = headers.items() if isinstance(headers, Mapping) else headers
    for name, value in items:
        key = name.upper().replace("-", "_")
        text = "" if value is None else str(value)
        if key == "CONTENT_TYPE":
            env["CONTENT_TYPE"] = text
        elif key == "CONTENT_LENGTH":
            env["CONTENT_LENGTH"] = text
        else:
            wsgi_key = "HTTP_" + key
            if wsgi_key in env and wsgi_key not in ("HTTP_HOST", "HTTP_USER_AGENT", "HTTP_COOKIE"):
                env[wsgi_key] += "," + text
            else:
                env[wsgi_key] = text


def create_req(options: RequestOptions | None = None, **kwargs: Any) -> Request:
    """A ``resources_fw.Request`` for a simulated request (``create_environ``'s arguments),
    to unit-test a responder without an app: ``resource.on_get(create_req(), resp)``."""
    req = Request(create_environ(**kwargs))
    if options is not None:
        req.options = options
    return req


def create_resp(options: ResponseOptions | None = None) -> Response:
    """A ``resources_fw.Response`` to pass to a responder under test."""
    return Response(options)


class StartResponseMock:
    """A WSGI ``start_response`` that records its calls: ``status``, ``headers`` (names
    lower-cased), ``headers_dict`` (case-insensitive), ``exc_info`` and ``call_count``."""

    def __init__(self) -> None:
        self.call_count = 0
        self.status: str | None = None
        self.headers: list[tuple[str, str]] | None = None
        self.headers_dict: Headers = Headers()
        self.exc_info: Any = None

    def __call__(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], object]:
        self.call_count += 1
        self.status = status
        self.headers = [(name.lower(), value) for name, value in headers]
        self.headers_dict = Headers(headers)
        self.exc_info = exc_info
        return self._write

    def _write(self, data: bytes) -> None:
        raise RuntimeError("StartResponseMock does not support the write() callable")


def rand_string(min: int, max: int) -> str:
    """A random string of printable ASCII, ``min`` to ``max`` characters long (inclusive)."""
    length = random.randint(min, max)
    return "".join(chr(random.randint(0x20, 0x7E)) for _ in range(length))


def get_unused_port() -> int:
    """A localhost TCP port free right now (another process may still take it first)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("localhost", 0))
        return int(sock.getsockname()[1])


def get_encoding_from_headers(headers: Mapping[str, str]) -> str | None:
    """The charset a response's Content-Type implies: its ``charset`` parameter, UTF-8 for
    JSON and event streams, ISO-8859-1 for other ``text/*``, else None. ``headers`` must be
    lower-case keyed or case-insensitive."""
    content_type = headers.get("content-type")
    if not content_type:
        return None
    mimetype, params = parse_options_header(content_type)
    if "charset" in params:
        return params["charset"].strip("'\"")
    if mimetype in ("application/json", "text/event-stream"):
        return "UTF-8"
    if "text" in mimetype:
        return "ISO-8859-1"
    return None


@contextlib.contextmanager
def redirected(stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> Iterator[None]:
    """Send ``sys.stdout`` and ``sys.stderr`` to the given streams for the block."""
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        yield


def closed_wsgi_iterable(iterable: Iterable[bytes]) -> Iterator[bytes]:
    """Iterate a WSGI response as a server does, calling its ``close()`` at the end; the first
    chunk is fetched now, so a generator app has called ``start_response`` on return."""

    def drain() -> Iterator[bytes]:
        try:
            yield from iterable
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()

    chunks = drain()
    first = next(chunks, None)
    return chunks if first is None else itertools.chain((first,), chunks)
