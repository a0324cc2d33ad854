"""Falcon: resource classes with ``on_get``/``on_post``, written the way Falcon's docs do."""

from __future__ import annotations

from typing import Any, cast

import falcon

from ..wsgi import WSGIApp


class Hello:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = "Hello, World!"


class Item:
    def __init__(self, index: int) -> None:
        self.index = index

    def on_get(self, req: falcon.Request, resp: falcon.Response, a: int, b: int) -> None:
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = f"r{self.index}:{a + b}"


class Search:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        q = req.get_param("q", default="")
        page = req.get_param_as_int("page", default=1)
        tags = req.get_param_as_list("tags", default=[])
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = f"q={q} page={page} tags={','.join(tags)}"


class Echo:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = req.get_media()


def _app(*routes: tuple[str, Any]) -> WSGIApp:
    app = falcon.App()
    for template, resource in routes:
        app.add_route(template, resource)
    return cast(WSGIApp, app)


def hello() -> WSGIApp:
    """``GET /`` -> ``Hello, World!``."""
    return _app(("/", Hello()))


def routes(count: int) -> WSGIApp:
    """``count`` resources at ``/r{i}/{a:int}/items/{b:int}``."""
    return _app(*((f"/r{i}/{{a:int}}/items/{{b:int}}", Item(i)) for i in range(count)))


def query() -> WSGIApp:
    """``GET /search`` echoes its query parameters."""
    return _app(("/search", Search()))


def json_echo() -> WSGIApp:
    """``POST /echo`` echoes its JSON body."""
    return _app(("/echo", Echo()))
