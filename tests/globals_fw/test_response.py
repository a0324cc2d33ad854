"""The response class: Flask's constructor and werkzeug's conditional/caching helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from globals_fw import App, Response, request


def test_flask_constructor_with_mimetype() -> None:
    response = Response("a,b\n", mimetype="text/csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert Response(b"{}", 201, mimetype="application/json").content_type == "application/json"
    assert Response().status_code == 200


def test_etags() -> None:
    response = Response("hello")
    assert response.get_etag() == (None, None)
    response.add_etag()
    etag, weak = response.get_etag()
    assert etag
    assert not weak
    response.set_etag("v1", weak=True)
    assert response.headers["ETag"] == 'W/"v1"'
    response.add_etag()  # an ETag is set: kept
    assert response.get_etag() == ("v1", True)


def test_vary_and_cache_control_write_back() -> None:
    response = Response()
    response.vary.add("Cookie")
    response.vary.add("Accept")
    assert response.headers["Vary"] == "Cookie, Accept"
    response.cache_control.max_age = 60
    response.cache_control.public = True
    assert sorted(response.headers["Cache-Control"].split(", ")) == ["max-age=60", "public"]
    response.last_modified = datetime(2026, 11, 21, tzinfo=UTC)
    assert response.headers["Last-Modified"] == "Sat, 21 Nov 2026 00:00:00 GMT"
    assert response.last_modified == datetime(2026, 11, 21, tzinfo=UTC)


def conditional_app() -> App:
    app = App(__name__)

    @app.get("/doc")
    def doc() -> Response:
        response = Response("the document")
        response.set_etag("rev-7")
        response.last_modified = datetime(2026, 1, 1, tzinfo=UTC)
        return response.make_conditional(request)

    return app


def test_make_conditional(client: Callable[[Any], Any]) -> None:
    web = client(conditional_app())
    first = web.get("/doc")
    assert first.text == "the document"
    assert first.headers["ETag"] == '"rev-7"'
    again = web.get("/doc", headers={"If-None-Match": '"rev-7"'}, status=304)
    assert again.body == b""
    assert web.get("/doc", headers={"If-None-Match": '"rev-6"'}).text == "the document"
    web.get("/doc", headers={"If-Modified-Since": "Fri, 02 Jan 2026 00:00:00 GMT"}, status=304)
    web.get("/doc", headers={"If-Match": '"rev-6"'}, status=412)
    assert web.get("/doc", headers={"If-Match": '"rev-7"'}).text == "the document"
