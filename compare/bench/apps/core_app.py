"""The core alone: a ``Router`` and a ``Kernel`` whose default dispatch calls the route target.

This is the floor our two front-ends stand on: what they add is measured against it.
"""

from __future__ import annotations

from collections.abc import Callable

from resources_fw.core import JSONCodec, Kernel, Request, Response, Router

from ..wsgi import WSGIApp

_codec = JSONCodec()


def _kernel(*routes: tuple[str, Callable[..., Response], tuple[str, ...]]) -> WSGIApp:
    router = Router(syntax="falcon")
    for template, target, methods in routes:
        router.add(template, target, methods)
    return Kernel(router)


def _hello(request: Request) -> Response:
    return Response("Hello, World!")


def hello() -> WSGIApp:
    """``GET /`` -> ``Hello, World!``."""
    return _kernel(("/", _hello, ("GET",)))


def _item(index: int) -> Callable[..., Response]:
    def item(request: Request, a: int, b: int) -> Response:
        return Response(f"r{index}:{a + b}")

    return item


def routes(count: int) -> WSGIApp:
    """``count`` routes ``/r{i}/{a:int}/items/{b:int}``."""
    return _kernel(
        *((f"/r{i}/{{a:int}}/items/{{b:int}}", _item(i), ("GET",)) for i in range(count))
    )


def _search(request: Request) -> Response:
    args = request.args
    page = args.get("page", 1, type=int)
    return Response(f"q={args.get('q', '')} page={page} tags={','.join(args.getlist('tags'))}")


def query() -> WSGIApp:
    """``GET /search`` echoes its query parameters."""
    return _kernel(("/search", _search, ("GET",)))


def _echo(request: Request) -> Response:
    return Response(_codec.encode(request.get_json()), content_type="application/json")


def json_echo() -> WSGIApp:
    """``POST /echo`` echoes its JSON body."""
    return _kernel(("/echo", _echo, ("POST",)))
