"""resources_fw, the Falcon-style front-end: the very resources of the Falcon apps.

Looked up by name (``importlib``/``getattr``) because the front-end is still being written: a
missing ``App`` or method makes this column "not available" rather than breaking the run.
"""

from __future__ import annotations

import importlib
from typing import Any, cast

from ..wsgi import WSGIApp

# Imported with the module (so start-up timing excludes it); attributes are looked up late.
_FRAMEWORK: Any = importlib.import_module("resources_fw")


def _framework() -> Any:
    return _FRAMEWORK


class Text:
    """Binds the front-end's ``MEDIA_TEXT`` once, where Falcon's resources read ``falcon.``."""

    def __init__(self) -> None:
        self.media_text: str = _framework().MEDIA_TEXT


class Hello(Text):
    def on_get(self, req: Any, resp: Any) -> None:
        resp.content_type = self.media_text
        resp.text = "Hello, World!"


class Item(Text):
    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index

    def on_get(self, req: Any, resp: Any, a: int, b: int) -> None:
        resp.content_type = self.media_text
        resp.text = f"r{self.index}:{a + b}"


class Search(Text):
    def on_get(self, req: Any, resp: Any) -> None:
        q = req.get_param("q", default="")
        page = req.get_param_as_int("page", default=1)
        tags = req.get_param_as_list("tags", default=[])
        resp.content_type = self.media_text
        resp.text = f"q={q} page={page} tags={','.join(tags)}"


class Echo:
    def on_post(self, req: Any, resp: Any) -> None:
        resp.media = req.get_media()


def _app(*routes: tuple[str, Any]) -> WSGIApp:
    app = _framework().App()
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
