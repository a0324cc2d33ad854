"""``create_environ``: a PEP 3333 environ for a simulated request."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TextIO
from urllib.parse import quote, unquote

from ..request import Request, RequestOptions
from ..response import Response, ResponseOptions

DEFAULT_HOST = "falconframework.org"
DEFAULT_UA = "resources_fw-client/1.0"

HeaderArg = Mapping[str, str] | Iterable[tuple[str, str]]
CookieArg = Mapping[str, str]


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
    if not path.startswith("/"):
        raise ValueError(f"path {path!r} must start with '/'")
    data = body.encode() if isinstance(body, str) else bytes(body)
    port_text = str(port) if port is not None else ("443" if scheme == "https" else "80")
    root = root_path if root_path is not None else (app or "")
    env: dict[str, Any] = {
        "SERVER_PROTOCOL": f"HTTP/{http_version}",
        "SERVER_SOFTWARE": "resources_fw.testing",
        "SCRIPT_NAME": _wsgi_text(root),
        "REQUEST_METHOD": method.upper(),
        "PATH_INFO": _wsgi_text(unquote(path)),
        "QUERY_STRING": query_string,
        "REMOTE_ADDR": remote_addr or "127.0.0.1",
        "REMOTE_PORT": "65133",
        "RAW_URI": "/",
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
        env["HTTP_COOKIE"] = "; ".join(
            f"{quote(str(k), safe='')}={quote(str(v), safe='')}" for k, v in cookies.items()
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
