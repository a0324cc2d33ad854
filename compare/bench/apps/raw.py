"""Raw WSGI: hand-written functions, the floor every framework is measured against."""

from __future__ import annotations

import json
from collections.abc import Iterable
from urllib.parse import parse_qs

from ..environ import WSGIEnviron
from ..wsgi import StartResponse, WSGIApp

_TEXT = "text/plain; charset=utf-8"


def _text(start_response: StartResponse, body: bytes, status: str = "200 OK") -> list[bytes]:
    start_response(status, [("Content-Type", _TEXT), ("Content-Length", str(len(body)))])
    return [body]


def hello() -> WSGIApp:
    """``GET /`` -> ``Hello, World!``."""
    body = b"Hello, World!"

    def app(environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        if environ["PATH_INFO"] != "/":
            return _text(start_response, b"Not Found", "404 Not Found")
        return _text(start_response, body)

    return app


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


def routes(count: int) -> WSGIApp:
    """What a hand-written router would do: split the path, look the first segment up."""
    table = {f"r{i}": i for i in range(count)}

    def app(environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        parts = environ["PATH_INFO"].split("/")
        if len(parts) == 5 and parts[0] == "" and parts[3] == "items":
            index = table.get(parts[1])
            a, b = _int(parts[2]), _int(parts[4])
            if index is not None and a is not None and b is not None:
                return _text(start_response, f"r{index}:{a + b}".encode())
        return _text(start_response, b"Not Found", "404 Not Found")

    return app


def query() -> WSGIApp:
    """``GET /search`` echoes ``q``, ``page`` (an int) and every ``tags``."""

    def app(environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        params = parse_qs(environ.get("QUERY_STRING", ""))
        q = params.get("q", [""])[0]
        page = int(params.get("page", ["1"])[0])
        tags = ",".join(params.get("tags", []))
        return _text(start_response, f"q={q} page={page} tags={tags}".encode())

    return app


def json_echo() -> WSGIApp:
    """``POST /echo``: parse the JSON body and serialise it back."""

    def app(environ: WSGIEnviron, start_response: StartResponse) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        document = json.loads(environ["wsgi.input"].read(length))
        body = json.dumps(document).encode()
        headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
        start_response("200 OK", headers)
        return [body]

    return app
