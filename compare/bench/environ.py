"""WSGI environ building: one realistic template per request shape, copied per request.

A fresh dict and a fresh ``wsgi.input`` per request matter: frameworks cache parsed state in
the environ (Bottle, werkzeug) and read the input stream to its end, so reusing either would
measure a cache hit instead of a request.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

WSGIEnviron = dict[str, Any]

_BASE: Mapping[str, Any] = {
    "SERVER_NAME": "bench.local",
    "SERVER_PORT": "80",
    "SERVER_PROTOCOL": "HTTP/1.1",
    "SCRIPT_NAME": "",
    "REMOTE_ADDR": "127.0.0.1",
    "REMOTE_PORT": "52344",
    "HTTP_HOST": "bench.local",
    "HTTP_USER_AGENT": "compare.bench/1.0",
    "HTTP_ACCEPT": "*/*",
    "HTTP_ACCEPT_ENCODING": "gzip, deflate",
    "HTTP_CONNECTION": "keep-alive",
    "wsgi.version": (1, 0),
    "wsgi.url_scheme": "http",
    "wsgi.errors": sys.stderr,
    "wsgi.multithread": False,
    "wsgi.multiprocess": False,
    "wsgi.run_once": False,
}


@dataclass(frozen=True)
class RequestSpec:
    """What a scenario sends: method, path, query string, body and its content type."""

    method: str = "GET"
    path: str = "/"
    query: str = ""
    body: bytes = b""
    content_type: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        query = f"?{self.query}" if self.query else ""
        return f"{self.method} {self.path}{query}"


def environ_template(spec: RequestSpec) -> WSGIEnviron:
    """The environ a server would hand over for ``spec``, minus ``wsgi.input``."""
    environ: WSGIEnviron = dict(_BASE)
    environ["REQUEST_METHOD"] = spec.method
    environ["PATH_INFO"] = spec.path
    environ["QUERY_STRING"] = spec.query
    environ["RAW_URI"] = environ["REQUEST_URI"] = (
        f"{spec.path}?{spec.query}" if spec.query else spec.path
    )
    if spec.body or spec.method in {"POST", "PUT", "PATCH"}:
        environ["CONTENT_LENGTH"] = str(len(spec.body))
        environ["CONTENT_TYPE"] = spec.content_type
    for name, value in spec.headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


class EnvironFactory:
    """Makes a fresh environ (new dict, new ``wsgi.input``) for each request of one shape."""

    __slots__ = ("body", "template")

    def __init__(self, spec: RequestSpec) -> None:
        self.template = environ_template(spec)
        self.body = spec.body

    def __call__(self) -> WSGIEnviron:
        environ = self.template.copy()
        environ["wsgi.input"] = BytesIO(self.body)
        return environ
