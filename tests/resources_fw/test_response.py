"""Response: status forms, body precedence, headers and their properties, cookies."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import pytest

import resources_fw as falcon
from resources_fw import testing

Fill = Callable[[falcon.Response], Any]


def run(fill: Fill, method: str = "GET", **kwargs: Any) -> testing.Result:
    class Res:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            fill(resp)

        on_head = on_get

    app = falcon.App()
    app.add_route("/", Res())
    return testing.simulate_request(app, method, "/", **kwargs)


@pytest.mark.parametrize(
    "status", [201, HTTPStatus.CREATED, falcon.HTTP_201, falcon.HTTP_CREATED, "201 Created"]
)
def test_status_forms(status: Any) -> None:
    def fill(resp: falcon.Response) -> None:
        resp.status = status

    result = run(fill)
    assert result.status == "201 Created"
    assert result.status_code == 201


def test_status_code_and_custom_reason() -> None:
    def fill(resp: falcon.Response) -> None:
        resp.status_code = 299
        assert resp.status == "299 Unknown"
        resp.status = "299 Fine"

    assert run(fill).status == "299 Fine"


def test_bad_status_is_rejected() -> None:
    resp = falcon.Response()
    with pytest.raises(ValueError, match="not an HTTP status"):
        resp.status = "OK"


def test_body_precedence_text_data_media_stream() -> None:
    def fill(resp: falcon.Response) -> None:
        resp.media = {"m": 1}
        resp.data = b"data"
        resp.text = "text"

    assert run(fill).text == "text"

    def fill2(resp: falcon.Response) -> None:
        resp.media = {"m": 1}
        resp.data = b"data"

    assert run(fill2).content == b"data"

    def fill3(resp: falcon.Response) -> None:
        resp.stream = io.BytesIO(b"streamed")

    assert run(fill3).content == b"streamed"


def test_text_is_utf8_and_media_json() -> None:
    def fill(resp: falcon.Response) -> None:
        resp.media = {"name": "é"}

    result = run(fill)
    assert result.json == {"name": "é"}
    assert result.headers["Content-Type"] == "application/json"


def test_set_stream_with_length_and_iterable() -> None:
    def fill(resp: falcon.Response) -> None:
        resp.set_stream(iter([b"a", b"b"]), 2)

    result = run(fill)
    assert result.content == b"ab"
    assert result.headers["Content-Length"] == "2"


def test_header_methods() -> None:
    def fill(resp: falcon.Response) -> None:
        resp.set_header("X-One", 1)
        resp.append_header("X-List", "a")
        resp.append_header("X-List", "b")
        resp.set_headers({"X-Two": "2", "X-Gone": "x"})
        resp.set_headers([("X-Three", "3")])
        resp.delete_header("X-Gone")
        resp.content_type = falcon.MEDIA_TEXT
        resp.text = f"{resp.get_header('x-one')},{resp.get_header('nope', default='d')}"

    result = run(fill)
    assert result.text == "1,d"
    assert result.headers["X-List"] == "a, b"
    assert (result.headers["X-Two"], result.headers["X-Three"]) == ("2", "3")
    assert "X-Gone" not in result.headers


def test_set_cookie_header_is_refused() -> None:
    resp = falcon.Response()
    with pytest.raises(falcon.HeaderNotSupported):
        resp.set_header("Set-Cookie", "a=b")
    # append_header takes a raw Set-Cookie line, as in Falcon (test_falcon_compat.py)
    with pytest.raises(falcon.HeaderNotSupported):
        resp.get_header("Set-Cookie")
    with pytest.raises(falcon.HeaderNotSupported):
        resp.delete_header("set-cookie")


def test_header_properties() -> None:
    modified = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)

    def fill(resp: falcon.Response) -> None:
        resp.cache_control = ["no-cache", "max-age=0"]
        resp.vary = ("Accept", "Accept-Encoding")
        resp.etag = "abc"
        resp.last_modified = modified
        resp.expires = modified
        resp.location = "/there"
        resp.content_location = "/here"
        resp.retry_after = 30
        resp.accept_ranges = "bytes"
        resp.content_range = (0, 9, 100)
        resp.downloadable_as = "report.csv"

    headers = run(fill).headers
    assert headers["Cache-Control"] == "no-cache, max-age=0"
    assert headers["Vary"] == "Accept, Accept-Encoding"
    assert headers["ETag"] == '"abc"'
    assert headers["Last-Modified"] == "Tue, 02 Jan 2024 03:04:05 GMT"
    assert headers["Expires"] == "Tue, 02 Jan 2024 03:04:05 GMT"
    assert headers["Location"] == "/there"
    assert headers["Content-Location"] == "/here"
    assert headers["Retry-After"] == "30"
    assert headers["Content-Range"] == "bytes 0-9/100"
    assert headers["Content-Disposition"] == 'attachment; filename="report.csv"'


def test_etag_forms_and_unicode_download_name() -> None:
    resp = falcon.Response()
    weak = falcon.ETag("w")
    weak.is_weak = True
    resp.etag = weak
    assert resp.etag == 'W/"w"'
    resp.etag = '"already"'
    assert resp.etag == '"already"'
    resp.etag = None
    assert resp.etag is None
    resp.downloadable_as = "résumé.pdf"
    assert resp.downloadable_as is not None
    assert "filename*=UTF-8''r%C3%A9sum%C3%A9.pdf" in resp.downloadable_as
    resp.viewable_as = "a.png"
    assert resp.viewable_as == 'inline; filename="a.png"'
    resp.content_length = 5
    assert resp.content_length == "5"
    resp.cache_control = None
    assert resp.cache_control is None
    resp.set_header("X-A", "1")
    assert resp.headers == {
        "Content-Disposition": 'inline; filename="a.png"',
        "Content-Length": "5",
        "X-A": "1",
    }


def test_append_link() -> None:
    def fill(resp: falcon.Response) -> None:
        resp.append_link("/next", "next")
        resp.append_link(
            "/doc",
            "help",
            title="Docs",
            hreflang=["en", "de"],
            type_hint="text/html",
            crossorigin="anonymous",
            anchor="#x",
            title_star=("en", "Ü"),
        )

    link = run(fill).headers["Link"]
    assert link.startswith('</next>; rel="next", </doc>; rel="help"; title="Docs"')
    assert "hreflang=en; hreflang=de" in link
    assert "title*=UTF-8'en'%C3%9C" in link
    with pytest.raises(ValueError, match="crossorigin"):
        falcon.Response().append_link("/x", "x", crossorigin="bad")


def test_cookies_set_and_unset() -> None:
    def fill(resp: falcon.Response) -> None:
        resp.set_cookie("sid", "abc", max_age=60, path="/", same_site="lax", partitioned=True)
        resp.set_cookie("plain", "1", secure=False, http_only=False)
        resp.unset_cookie("old", path="/")

    cookies = run(fill).cookies
    sid = cookies["sid"]
    assert (sid.value, sid.max_age, sid.path, sid.secure, sid.http_only, sid.same_site) == (
        "abc",
        60,
        "/",
        True,
        True,
        "Lax",
    )
    assert sid.partitioned
    assert not cookies["plain"].secure
    assert not cookies["plain"].http_only
    assert cookies["old"].value == ""
    assert cookies["old"].max_age == 0
    assert cookies["old"].expires is not None
    with pytest.raises(ValueError, match="same_site"):
        falcon.Response().set_cookie("a", "b", same_site="sometimes")


def test_secure_cookies_option() -> None:
    resp = falcon.Response(falcon.ResponseOptions(secure_cookies_by_default=False))
    resp.set_cookie("a", "b")
    assert resp.cookie_headers == ["a=b; HttpOnly"]
    assert "Set-Cookie" not in resp.headers


def test_complete_skips_responder() -> None:
    class Stop:
        def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.complete = True
            resp.text = "from middleware"

    class Res:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            raise AssertionError("responder must not run")

    app = falcon.App(middleware=[Stop()])
    app.add_route("/", Res())
    assert testing.simulate_get(app, "/").text == "from middleware"


def test_context_and_repr() -> None:
    resp = falcon.Response()
    resp.context.x = 1
    assert resp.context["x"] == 1
    assert repr(resp) == "<Response: 200 OK>"
    assert resp.media is None
    resp.media = [1]
    assert resp.render_body() == b"[1]"


def test_media_with_custom_content_type_uses_its_handler() -> None:
    def fill(resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_URLENCODED
        resp.media = {"a": "1", "b": ["x", "y"]}

    assert run(fill).text == "a=1&b=x&b=y"


def test_media_for_unknown_content_type_is_500() -> None:
    def fill(resp: falcon.Response) -> None:
        resp.content_type = "text/x-unknown"
        resp.media = {"a": 1}

    assert run(fill).status_code == 500


def test_content_type_through_the_header_methods() -> None:
    resp = falcon.Response()
    resp.set_header("content-type", "text/csv")
    assert (resp.content_type, resp.get_header("Content-Type")) == ("text/csv", "text/csv")
    assert resp.headers == {"Content-Type": "text/csv"}
    resp.append_header("Content-Type", "text/html")
    assert resp.content_type == "text/html"
    resp.delete_header("CONTENT-TYPE")
    assert resp.get_header("Content-Type", default="none") == "none"
    assert resp.headers == {}
    wire = resp.to_wire()
    assert dict(wire.headers.to_wsgi_list()) == {"Content-Type": "application/json"}
