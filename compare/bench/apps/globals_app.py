"""globals_fw, the Flask-style front-end: the very views of the Flask apps.

Looked up by name (``importlib``/``getattr``) because the front-end is still being written: a
missing ``App`` or ``request`` makes this column "not available" rather than breaking the run.
Decorators are called as ``app.route(path)(view)``: the same registration as ``@``, which
mypy strict rejects on an untyped (looked-up) object.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, cast

from ..wsgi import WSGIApp

# Imported with the module (so start-up timing excludes it); attributes are looked up late.
_FRAMEWORK: Any = importlib.import_module("globals_fw")


def _framework() -> Any:
    return _FRAMEWORK


def hello() -> WSGIApp:
    """``GET /`` -> ``Hello, World!``."""
    app = _framework().App(__name__)

    def index() -> str:
        return "Hello, World!"

    app.route("/")(index)
    return cast(WSGIApp, app)


def _item(index: int) -> Callable[[int, int], str]:
    def item(a: int, b: int) -> str:
        return f"r{index}:{a + b}"

    return item


def routes(count: int) -> WSGIApp:
    """``count`` rules ``/r{i}/<int:a>/items/<int:b>``."""
    app = _framework().App(__name__)
    for i in range(count):
        app.add_url_rule(f"/r{i}/<int:a>/items/<int:b>", f"r{i}", _item(i))
    return cast(WSGIApp, app)


def query() -> WSGIApp:
    """``GET /search`` echoes its query parameters."""
    framework = _framework()
    app, request = framework.App(__name__), framework.request

    def search() -> str:
        args = request.args
        page = args.get("page", 1, type=int)
        return f"q={args.get('q', '')} page={page} tags={','.join(args.getlist('tags'))}"

    app.route("/search")(search)
    return cast(WSGIApp, app)


def json_echo() -> WSGIApp:
    """``POST /echo`` echoes its JSON body (a returned dict is serialised as JSON)."""
    framework = _framework()
    app, request = framework.App(__name__), framework.request

    def echo() -> Any:
        return request.get_json()

    app.post("/echo")(echo)
    return cast(WSGIApp, app)
