"""Rendering errors by content negotiation (resources_fw.core.rendering): JSON for API clients,
escaped HTML for browsers, empty bodies for redirects."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from webtest import TestApp

from resources_fw.core import (
    HTTPError,
    HTTPException,
    HTTPRedirect,
    Kernel,
    MethodNotAllowed,
    NotFound,
    Request,
    Response,
    Router,
    render_exception,
    wants_html,
)
from resources_fw.core.rendering import error_body

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def request_with(accept: str | None) -> Request:
    environ: dict[str, Any] = {"REQUEST_METHOD": "GET", "PATH_INFO": "/"}
    if accept is not None:
        environ["HTTP_ACCEPT"] = accept
    return Request(environ)


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (None, False),
        ("", False),
        ("application/json", False),
        ("*/*", False),
        ("application/*", False),
        (BROWSER, True),
        ("text/html", True),
        ("text/*", True),
        ("text/html;q=0.5, application/json", False),
        ("application/json;q=0.5, text/html", True),
        ("image/png", False),
        ("garbage;;;q=zz,,", False),
        (";q=1" * 1000, False),
    ],
)
def test_wants_html(accept: str | None, html: bool) -> None:
    assert wants_html(request_with(accept)) is html


def test_json_body() -> None:
    error = NotFound(description="No user 7.", code="E404")
    body, content_type = error_body(error, request_with("application/json"))
    assert content_type == "application/json"
    assert json.loads(body) == {
        "title": "404 Not Found",
        "description": "No user 7.",
        "code": "E404",
    }


def test_html_body_is_escaped() -> None:
    error = HTTPError(400, title="<b>Bad</b>", description='<script>alert("x")</script>')
    body, content_type = error_body(error, request_with(BROWSER))
    assert content_type == "text/html; charset=utf-8"
    text = body.decode()
    assert text.startswith("<!doctype html>")
    assert "<script>" not in text
    assert "<b>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "<title>&lt;b&gt;Bad&lt;/b&gt;</title>" in text


@pytest.mark.parametrize("accept", ["application/json", BROWSER])
def test_debug_detail_only_in_debug(accept: str) -> None:
    error = HTTPError(400, description="Bad JSON.", debug_detail="line 1 <col 5>")
    plain, _ = error_body(error, request_with(accept))
    assert b"line 1" not in plain
    debug, _ = error_body(error, request_with(accept), debug=True)
    if accept == BROWSER:
        assert b"<pre>line 1 &lt;col 5&gt;</pre>" in debug
    else:
        assert json.loads(debug)["detail"] == "line 1 <col 5>"


def test_render_exception_error() -> None:
    response = render_exception(MethodNotAllowed(["GET"]), request_with(None))
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET"
    assert response.headers["Content-Type"] == "application/json"
    assert json.loads(response.get_data())["title"] == "405 Method Not Allowed"


def test_render_exception_redirect_is_empty() -> None:
    response = render_exception(HTTPRedirect("/elsewhere", 307), request_with(BROWSER))
    assert response.status_code == 307
    assert response.location == "/elsewhere"
    assert response.get_data() == b""
    assert "Content-Type" not in response.headers


def test_render_exception_plain_http_exception_is_empty() -> None:
    class Teapot(HTTPException):
        status = 418

    response = render_exception(Teapot(headers={"X-Tea": "earl grey"}), request_with(None))
    assert response.status == "418 I'm a Teapot"
    assert response.headers["X-Tea"] == "earl grey"
    assert response.get_data() == b""


def test_render_exception_uses_the_response_class() -> None:
    class MyResponse(Response):
        pass

    response = render_exception(NotFound(), request_with(None), response_class=MyResponse)
    assert type(response) is MyResponse


# -- through HTTP -------------------------------------------------------------------------


def app_raising(exc: Exception) -> Kernel:
    def handler(request: Request) -> Response:
        raise exc

    router = Router()
    router.add("/", handler)
    return Kernel(router)


def test_negotiated_over_http(client: Callable[[Any], TestApp]) -> None:
    app = client(app_raising(NotFound(description="<script>x</script>")))
    api = app.get("/", status=404)
    assert api.content_type == "application/json"
    assert api.json == {"title": "404 Not Found", "description": "<script>x</script>"}
    browser = app.get("/", headers={"Accept": BROWSER}, status=404)
    assert browser.content_type == "text/html"
    assert "<script>" not in browser.text
    assert "&lt;script&gt;x&lt;/script&gt;" in browser.text
    assert browser.headers["Content-Length"] == str(len(browser.body))


def test_redirect_over_http(client: Callable[[Any], TestApp]) -> None:
    result = client(app_raising(HTTPRedirect("/there", 303))).get("/", status=303)
    assert result.headers["Location"].endswith("/there")
    assert result.body == b""
