"""Bottle: ``@app.route`` callbacks reading the thread-local ``bottle.request``.

The decorators are called as ``app.get(path)(view)``: same registration, but mypy strict
rejects an untyped decorator applied with ``@``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import bottle

from ..wsgi import WSGIApp


def hello() -> WSGIApp:
    """``GET /`` -> ``Hello, World!``."""
    app = bottle.Bottle()

    def index() -> str:
        return "Hello, World!"

    app.get("/")(index)
    return cast(WSGIApp, app)


def _item(index: int) -> Callable[[int, int], str]:
    def item(a: int, b: int) -> str:
        return f"r{index}:{a + b}"

    return item


def routes(count: int) -> WSGIApp:
    """``count`` routes ``/r{i}/<a:int>/items/<b:int>``."""
    app = bottle.Bottle()
    for i in range(count):
        app.route(f"/r{i}/<a:int>/items/<b:int>", "GET", _item(i))
    return cast(WSGIApp, app)


def query() -> WSGIApp:
    """``GET /search`` echoes its query parameters."""
    app = bottle.Bottle()

    def search() -> str:
        params = bottle.request.query
        page = int(params.get("page", 1))
        return f"q={params.get('q', '')} page={page} tags={','.join(params.getall('tags'))}"

    app.get("/search")(search)
    return cast(WSGIApp, app)


def json_echo() -> WSGIApp:
    """``POST /echo`` echoes its JSON body (Bottle serialises a returned dict)."""
    app = bottle.Bottle()

    def echo() -> Any:
        return bottle.request.json

    app.post("/echo")(echo)
    return cast(WSGIApp, app)
