"""The routing app in the resources style: one resource class per URL, links built by hand.

Falcon has no URL builder: a resource writes its links from the mount point (``req.app``) and
the same templates it was routed with.
"""

from __future__ import annotations

import uuid
from typing import Any

import resources_fw as falcon
from resources_fw.uri import encode_value

from . import domain


class SlugConverter(falcon.BaseConverter):
    """``{slug:slug}``: a Falcon-style converter; ``None`` means "no match" (a 404)."""

    def convert(self, value: str) -> str | None:
        return value if domain.is_slug(value) else None


def _links(req: falcon.Request) -> dict[str, str]:
    root = req.app
    return {
        "user": f"{root}/users/7",
        "article": f"{root}/articles/2024/hello-world",
        "file": f"{root}/files/docs/read%20me.md",
        "search": f"{root}/search?{falcon.to_query_str({'q': 'wsgi', 'page': 2}, prefix=False)}",
        "docs": f"{root}/docs/",
    }


class Index:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"links": _links(req)}


class User:
    def on_get(self, req: falcon.Request, resp: falcon.Response, user_id: int) -> None:
        name = domain.user_name(user_id)
        if name is None:
            raise falcon.HTTPNotFound(description=f"No user {user_id}.")
        resp.media = {"id": user_id, "name": name, "self": f"{req.app}/users/{user_id}"}


class Article:
    def on_get(self, req: falcon.Request, resp: falcon.Response, year: int, slug: str) -> None:
        article = domain.find_article(year, slug)
        if article is None:
            raise falcon.HTTPNotFound(description=f"No article {slug!r} in {year}.")
        resp.media = {
            "year": year,
            "slug": slug,
            "title": article.title,
            "self": f"{req.app}/articles/{year}/{encode_value(slug)}",
        }


class File:
    def on_get(self, req: falcon.Request, resp: falcon.Response, path: str) -> None:
        resp.media = {"path": path, "parts": path.split("/")}


class Item:
    def on_get(self, req: falcon.Request, resp: falcon.Response, item_id: uuid.UUID) -> None:
        resp.media = {"id": str(item_id), "version": item_id.version}


class Export:
    def on_get(self, req: falcon.Request, resp: falcon.Response, name: str, fmt: str) -> None:
        if fmt not in domain.EXPORT_FORMATS:
            raise falcon.HTTPNotFound(description=f"No export format {fmt!r}.")
        resp.media = {"name": name, "format": fmt}


class Search:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {
            "q": req.get_param("q", default=""),
            "page": req.get_param_as_int("page", min_value=1, default=1),
        }


class Page:
    def __init__(self, name: str) -> None:
        self.name = name

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"page": self.name}


class AddSlash:
    """``/docs`` -> ``/docs/``: Falcon treats the two paths as different, so say so."""

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        query = f"?{req.query_string}" if req.query_string else ""
        raise falcon.HTTPPermanentRedirect(f"{req.app}{req.path}/{query}")


def create_app(**config: Any) -> falcon.App:
    """The routing app; ``config`` is accepted for symmetry and unused."""
    app = falcon.App()
    app.router_options.converters["slug"] = SlugConverter
    app.add_route("/", Index())
    app.add_route("/users/{user_id:int(min=1)}", User())
    app.add_route("/articles/{year:int(min=1970, max=2100)}/{slug:slug}", Article())
    app.add_route("/files/{path:path}", File())
    app.add_route("/items/{item_id:uuid}", Item())
    app.add_route("/exports/{name}.{fmt}", Export())
    app.add_route("/search", Search())
    app.add_route("/docs/", Page("docs"))
    app.add_route("/docs", AddSlash())
    app.add_route("/about", Page("about"))
    return app
