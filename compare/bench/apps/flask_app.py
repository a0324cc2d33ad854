"""Flask: ``@app.route`` views reading the context-local ``flask.request``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from flask import Flask, request

from ..wsgi import WSGIApp


def hello() -> WSGIApp:
    """``GET /`` -> ``Hello, World!``."""
    app = Flask(__name__)

    @app.route("/")
    def index() -> str:
        return "Hello, World!"

    return cast(WSGIApp, app)


def _item(index: int) -> Callable[[int, int], str]:
    def item(a: int, b: int) -> str:
        return f"r{index}:{a + b}"

    return item


def routes(count: int) -> WSGIApp:
    """``count`` rules ``/r{i}/<int:a>/items/<int:b>``."""
    app = Flask(__name__)
    for i in range(count):
        app.add_url_rule(f"/r{i}/<int:a>/items/<int:b>", f"r{i}", _item(i))
    return cast(WSGIApp, app)


def query() -> WSGIApp:
    """``GET /search`` echoes its query parameters."""
    app = Flask(__name__)

    @app.route("/search")
    def search() -> str:
        args = request.args
        page = args.get("page", 1, type=int)
        return f"q={args.get('q', '')} page={page} tags={','.join(args.getlist('tags'))}"

    return cast(WSGIApp, app)


def json_echo() -> WSGIApp:
    """``POST /echo`` echoes its JSON body (Flask serialises a returned dict)."""
    app = Flask(__name__)

    @app.post("/echo")
    def echo() -> Any:
        return request.get_json()

    return cast(WSGIApp, app)
