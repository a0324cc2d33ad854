"""App: routing to responders, suffixes, 404/405, OPTIONS, HEAD, sinks, error handlers."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import resources_fw as falcon
from resources_fw import testing
from resources_fw.core import RouteConflictError, TemplateError


class ItemResource:
    def __init__(self) -> None:
        self.calls = 0

    def on_get(self, req: falcon.Request, resp: falcon.Response, item_id: int) -> None:
        self.calls += 1
        resp.media = {"id": item_id, "template": req.uri_template}

    def on_delete(self, req: falcon.Request, resp: falcon.Response, item_id: int) -> None:
        resp.status = falcon.HTTP_NO_CONTENT

    def on_get_detail(self, req: falcon.Request, resp: falcon.Response, item_id: int) -> None:
        resp.text = f"detail {item_id}"
        resp.content_type = falcon.MEDIA_TEXT


@pytest.fixture
def app() -> falcon.App:
    app = falcon.App()
    app.add_route("/items/{item_id:int}", ItemResource())
    app.add_route("/items/{item_id:int}/detail", ItemResource(), suffix="detail")
    return app


@pytest.fixture
def sim(app: falcon.App) -> testing.TestClient:
    return testing.TestClient(app)


def test_responder_gets_converted_fields(sim: testing.TestClient) -> None:
    result = sim.simulate_get("/items/42")
    assert result.status == falcon.HTTP_200
    assert result.json == {"id": 42, "template": "/items/{item_id:int}"}
    assert result.headers["Content-Type"] == "application/json"


def test_suffix_responder(sim: testing.TestClient) -> None:
    result = sim.simulate_get("/items/7/detail")
    assert result.text == "detail 7"
    assert result.headers["content-type"] == "text/plain; charset=utf-8"


def test_status_constant_and_empty_204(sim: testing.TestClient) -> None:
    result = sim.simulate_delete("/items/1")
    assert result.status_code == 204
    assert result.content == b""
    assert "Content-Type" not in result.headers


def test_field_that_does_not_convert_is_404(sim: testing.TestClient) -> None:
    result = sim.simulate_get("/items/abc")
    assert result.status_code == 404
    assert result.json["title"] == "404 Not Found"


def test_unknown_path_is_404_naming_path(sim: testing.TestClient) -> None:
    result = sim.simulate_get("/nowhere")
    assert result.status_code == 404
    assert "/nowhere" in result.json["description"]


def test_missing_responder_is_405_with_allow(sim: testing.TestClient) -> None:
    result = sim.simulate_post("/items/1")
    assert result.status_code == 405
    assert result.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS"
    assert result.json["description"] == "/items/1 allows only DELETE, GET, HEAD, OPTIONS."


def test_default_options_responder(sim: testing.TestClient) -> None:
    result = sim.simulate_options("/items/1/detail")
    assert result.status_code == 200
    assert result.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert result.content == b""


def test_head_falls_back_to_get_without_body(app: falcon.App) -> None:
    result = testing.simulate_head(app, "/items/5")
    assert result.status_code == 200
    assert result.content == b""
    assert result.headers["Content-Length"] == str(
        len(b'{"id": 5, "template": "/items/{item_id:int}"}')
    )


def test_explicit_on_head_wins() -> None:
    class Res:
        def on_get(self, req: Any, resp: Any) -> None:
            resp.text = "get"

        def on_head(self, req: Any, resp: Any) -> None:
            resp.set_header("X-Head", "yes")

    app = falcon.App()
    app.add_route("/", Res())
    assert testing.simulate_head(app, "/").headers["X-Head"] == "yes"


def test_responders_are_mapped_once_at_add_route() -> None:
    class Res:
        def on_get(self, req: Any, resp: Any) -> None:
            resp.text = "original"

    res = Res()
    app = falcon.App()
    app.add_route("/", res)
    res.on_get = lambda req, resp: None  # type: ignore[method-assign]
    assert testing.simulate_get(app, "/").text == "original"


def test_resource_without_responders_is_rejected() -> None:
    app = falcon.App()
    with pytest.raises(TypeError, match="on_get"):
        app.add_route("/", object())


def test_bad_template_and_conflict_are_rejected() -> None:
    class Any_:
        def on_get(self, req: Any, resp: Any, **params: Any) -> None:
            pass

    app = falcon.App()
    with pytest.raises(TemplateError):
        app.add_route("/x/{item_id:nope}", ItemResource())
    with pytest.raises(ValueError, match="must start with '/'"):
        app.add_route("x", ItemResource())
    with pytest.raises(TypeError, match="must be a str"):
        app.add_route(b"/x", ItemResource())  # type: ignore[arg-type]
    app.add_route("/a/{x}", Any_())
    with pytest.raises(RouteConflictError):
        app.add_route("/a/{y}", Any_())


def test_trailing_slash_is_a_different_path_unless_stripped() -> None:
    class Res:
        def on_get(self, req: Any, resp: Any) -> None:
            resp.text = "ok"

    app = falcon.App()
    app.add_route("/dir", Res())
    assert testing.simulate_get(app, "/dir/").status_code == 404
    app.req_options.strip_url_path_trailing_slash = True
    assert testing.simulate_get(app, "/dir/").text == "ok"


def test_custom_falcon_style_converter() -> None:
    class Upper(falcon.BaseConverter):
        def convert(self, value: str) -> str | None:
            return value.upper() if value.isalpha() else None

    class Res:
        def on_get(self, req: Any, resp: Any, word: str) -> None:
            resp.text = word

    app = falcon.App()
    app.router_options.converters["upper"] = Upper
    app.add_route("/w/{word:upper}", Res())
    assert testing.simulate_get(app, "/w/abc").text == "ABC"
    assert testing.simulate_get(app, "/w/a1").status_code == 404
    with pytest.raises(TypeError, match="convert"):
        app.router_options.converters["bad"] = object


def test_sink_gets_named_groups_and_routes_win() -> None:
    def sink(req: falcon.Request, resp: falcon.Response, name: str) -> None:
        resp.text = f"sink {name}"

    app = falcon.App()
    app.add_route("/proxy/known", ItemResource(), suffix="detail")
    app.add_sink(sink, r"/proxy/(?P<name>\w+)")
    assert testing.simulate_get(app, "/proxy/abc").text == "sink abc"
    assert testing.simulate_get(app, "/other").status_code == 404
    with pytest.raises(TypeError):
        app.add_sink("nope")  # type: ignore[arg-type]


def test_later_sink_wins() -> None:
    app = falcon.App()
    app.add_sink(lambda req, resp: setattr(resp, "text", "first"), "/")
    app.add_sink(lambda req, resp: setattr(resp, "text", "second"), "/s")
    assert testing.simulate_get(app, "/s/x").text == "second"
    assert testing.simulate_get(app, "/t").text == "first"


class Boom(Exception):
    pass


class BoomResource:
    def on_get(self, req: Any, resp: Any) -> None:
        raise Boom("secret detail")


def test_unhandled_exception_is_500_logged_and_not_leaked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = falcon.App()
    app.add_route("/", BoomResource())
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        result = testing.simulate_get(app, "/")
    assert result.status_code == 500
    assert "secret" not in result.text
    assert result.json["title"] == "500 Internal Server Error"
    assert any(r.exc_info and r.exc_info[0] is Boom for r in caplog.records)


def test_html_error_for_browsers() -> None:
    app = falcon.App()
    result = testing.simulate_get(app, "/x", headers={"Accept": "text/html"})
    assert result.status_code == 404
    assert result.headers["Content-Type"].startswith("text/html")
    assert "<h1>404 Not Found</h1>" in result.text


def test_propagate_exceptions() -> None:
    app = falcon.App()
    app.add_route("/", BoomResource())
    app.propagate_exceptions = True
    with pytest.raises(Boom):
        testing.simulate_get(app, "/")


def test_debug_shows_traceback() -> None:
    app = falcon.App(debug=True)
    app.add_route("/", BoomResource())
    assert "secret detail" in testing.simulate_get(app, "/").json["detail"]
    assert app.debug is True


def test_error_handler_by_class_most_specific_wins() -> None:
    seen: list[str] = []

    def generic(req: Any, resp: Any, ex: Exception, params: dict[str, Any]) -> None:
        seen.append("generic")
        resp.status = 418
        resp.media = {"boom": str(ex)}

    def specific(req: Any, resp: Any, ex: Exception, params: dict[str, Any]) -> None:
        seen.append("specific")
        raise falcon.HTTPConflict(description="converted")

    app = falcon.App()
    app.add_route("/", BoomResource())
    app.add_error_handler(Exception, generic)
    result = testing.simulate_get(app, "/")
    assert result.status_code == 418
    assert result.json == {"boom": "secret detail"}
    app.add_error_handler(Boom, specific)
    result = testing.simulate_get(app, "/")
    assert result.status_code == 409
    assert result.json["description"] == "converted"
    assert seen == ["generic", "specific"]


def test_error_handler_for_route_not_found_and_handle_method() -> None:
    class Missing(Exception):
        @staticmethod
        def handle(req: Any, resp: Any, ex: Exception, params: dict[str, Any]) -> None:
            resp.status = falcon.HTTP_410

    def not_found(req: Any, resp: Any, ex: Exception, params: dict[str, Any]) -> None:
        resp.status = 404
        resp.text = "custom 404"

    app = falcon.App()
    app.add_error_handler(falcon.HTTPNotFound, not_found)
    assert testing.simulate_get(app, "/nope").text == "custom 404"
    app.add_error_handler(Missing)

    class Res:
        def on_get(self, req: Any, resp: Any) -> None:
            raise Missing()

    app.add_route("/gone", Res())
    assert testing.simulate_get(app, "/gone").status_code == 410
    with pytest.raises(TypeError):
        app.add_error_handler(Boom)
    with pytest.raises(TypeError):
        app.add_error_handler(int, not_found)  # type: ignore[arg-type]


def test_error_handler_that_breaks_gives_500() -> None:
    def broken(req: Any, resp: Any, ex: Exception, params: dict[str, Any]) -> None:
        raise RuntimeError("handler bug")

    app = falcon.App()
    app.add_route("/", BoomResource())
    app.add_error_handler(Boom, broken)
    result = testing.simulate_get(app, "/")
    assert result.status_code == 500
    assert "handler bug" not in result.text


def test_error_serializer_is_replaceable() -> None:
    def serializer(req: Any, resp: Any, exc: falcon.HTTPError) -> None:
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = f"error: {exc.title}"

    app = falcon.App()
    app.set_error_serializer(serializer)
    result = testing.simulate_get(app, "/missing")
    assert result.text == "error: 404 Not Found"


def test_body_set_before_error_is_replaced() -> None:
    class Res:
        def on_get(self, req: Any, resp: Any) -> None:
            resp.text = "partial"
            raise falcon.HTTPForbidden(title="No", description="not yours")

    app = falcon.App()
    app.add_route("/", Res())
    result = testing.simulate_get(app, "/")
    assert result.status_code == 403
    assert result.json == {"title": "No", "description": "not yours"}


def test_unserializable_media_is_500_not_crash() -> None:
    class Res:
        def on_get(self, req: Any, resp: Any) -> None:
            resp.media = {"when": object()}

    app = falcon.App()
    app.add_route("/", Res())
    assert testing.simulate_get(app, "/").status_code == 500


def test_redirects_and_http_status() -> None:
    class Res:
        def on_get(self, req: Any, resp: Any) -> None:
            raise falcon.HTTPSeeOther("/elsewhere")

        def on_post(self, req: Any, resp: Any) -> None:
            raise falcon.HTTPStatus(falcon.HTTP_202, headers={"X-A": "1"}, text="queued")

    app = falcon.App()
    app.add_route("/", Res())
    result = testing.simulate_get(app, "/")
    assert result.status_code == 303
    assert result.headers["Location"] == "/elsewhere"
    result = testing.simulate_post(app, "/")
    assert (result.status_code, result.text, result.headers["X-A"]) == (202, "queued", "1")


def test_media_type_option_sets_default_content_type() -> None:
    class Res:
        def on_get(self, req: Any, resp: Any) -> None:
            resp.data = b"a,b"

    app = falcon.App(media_type="text/csv")
    app.add_route("/", Res())
    assert testing.simulate_get(app, "/").headers["Content-Type"] == "text/csv"


def test_wsgi_app_can_be_wrapped() -> None:
    app = falcon.App()
    inner = app.wsgi_app
    calls: list[str] = []

    def wrapper(environ: dict[str, Any], start_response: Any) -> Any:
        calls.append(environ["PATH_INFO"])
        return inner(environ, start_response)

    app.wsgi_app = wrapper
    testing.simulate_get(app, "/x")
    assert calls == ["/x"]


def test_webtest_client(client: Any, app: falcon.App) -> None:
    web = client(app)
    assert web.get("/items/3").json == {"id": 3, "template": "/items/{item_id:int}"}
    assert web.get("/missing", status=404).json["title"] == "404 Not Found"
    web.head("/items/3", status=200)
    web.options("/items/3", status=200)
    web.post("/items/3", status=405)


def test_responder_that_cannot_take_the_fields_is_rejected() -> None:
    class Res:
        def on_get(self, req: Any, resp: Any, slug: str) -> None:
            pass

        def on_put(self, req: Any, resp: Any, **params: Any) -> None:
            pass

    app = falcon.App()
    with pytest.raises(TypeError, match="does not accept the URI field"):
        app.add_route("/posts/{name}", Res())
    app.add_route("/posts/{slug}", Res())
