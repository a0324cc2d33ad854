"""The routing app in the globals style: decorated view functions and ``url_for``."""

from __future__ import annotations

import uuid
from typing import Any

from werkzeug.routing import BaseConverter

from globals_fw import App, Blueprint, abort, request, url_for

from . import domain


class SlugConverter(BaseConverter):
    """``<slug:name>``: a werkzeug converter; the regex does the matching."""

    regex = domain.SLUG_PATTERN


routes = Blueprint("routing", __name__)


@routes.get("/")
def index() -> dict[str, Any]:
    return {
        "links": {
            "user": url_for(".user", user_id=7),
            "article": url_for(".article", year=2024, slug="hello-world"),
            "file": url_for(".file", path="docs/read me.md"),
            "search": url_for(".search", q="wsgi", page=2),
            "docs": url_for(".docs"),
        }
    }


@routes.get("/users/<int(min=1):user_id>")
def user(user_id: int) -> dict[str, Any]:
    name = domain.user_name(user_id)
    if name is None:
        abort(404, description=f"No user {user_id}.")
    return {"id": user_id, "name": name, "self": url_for(".user", user_id=user_id)}


@routes.get("/articles/<int(min=1970, max=2100):year>/<slug:slug>")
def article(year: int, slug: str) -> dict[str, Any]:
    found = domain.find_article(year, slug)
    if found is None:
        abort(404, description=f"No article {slug!r} in {year}.")
    return {
        "year": year,
        "slug": slug,
        "title": found.title,
        "self": url_for(".article", year=year, slug=slug),
    }


@routes.get("/files/<path:path>")
def file(path: str) -> dict[str, Any]:
    return {"path": path, "parts": path.split("/")}


@routes.get("/items/<uuid:item_id>")
def item(item_id: uuid.UUID) -> dict[str, Any]:
    return {"id": str(item_id), "version": item_id.version}


@routes.get("/exports/<name>.<any(csv, json):fmt>")
def export(name: str, fmt: str) -> dict[str, Any]:
    return {"name": name, "format": fmt}


@routes.get("/search")
def search() -> dict[str, Any]:
    # args.get(type=int) would turn "x" into the default silently: be strict instead.
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        page = 0
    if page < 1:
        abort(400, description='The "page" parameter must be a whole number, at least 1.')
    return {"q": request.args.get("q", ""), "page": page}


@routes.get("/docs/")
def docs() -> dict[str, Any]:
    return {"page": "docs"}


@routes.get("/about")
def about() -> dict[str, Any]:
    return {"page": "about"}


def create_app(**config: Any) -> App:
    """The routing app; ``config`` goes to ``app.config``."""
    app = App(__name__)
    app.config.from_mapping(config)
    app.url_map.converters["slug"] = SlugConverter
    app.register_blueprint(routes)
    return app
