"""The lazy request (resources_fw.core.request): nothing parsed until asked; werkzeug's API
unchanged on top."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from webtest import TestApp
from werkzeug.wrappers import Request as WerkzeugRequest

from resources_fw.core import Kernel, Limits, Request, Response, Router
from resources_fw.core.limits import DEFAULT_LIMITS

Environ = dict[str, Any]


def test_construction_parses_nothing(environ: Callable[..., Environ]) -> None:
    env = environ(
        method="post",
        path="/a/b",
        body=b'{"a": 1}',
        content_type="application/json",
        query="x=1",
        headers={"Cookie": "s=1", "Host": "example.com"},
    )
    request = Request(env)
    # Only method and path are computed up front.
    assert set(vars(request)) == {"environ", "method", "path", "limits", "decoders"}
    assert request.method == "POST"
    assert request.path == "/a/b"
    assert request.route is None
    assert request.route_params == {}
    assert request.limits is DEFAULT_LIMITS


def test_attributes_are_computed_once_on_first_read(environ: Callable[..., Environ]) -> None:
    env = environ(query="x=1")
    request = Request(env)
    assert request.args["x"] == "1"
    env["QUERY_STRING"] = "x=2"
    # Cached: a second read does not re-parse the environ.
    assert request.args["x"] == "1"
    assert "args" in vars(request)


def test_body_is_untouched_until_read(
    environ: Callable[..., Environ], exploding_input: Any
) -> None:
    request = Request(environ(stream=exploding_input, content_length="5", query="a=1"))
    assert request.args["a"] == "1"
    assert request.headers["Content-Length"] == "5"
    with pytest.raises(AssertionError, match="body was read"):
        request.get_data()


def test_werkzeug_api_works(environ: Callable[..., Environ]) -> None:
    env = environ(
        method="GET",
        path="/caf\xc3\xa9",  # PEP 3333: UTF-8 bytes as latin-1 text
        query="q=a+b&q=%C3%A9",
        headers={
            "Host": "example.com:8080",
            "Cookie": "session=abc; theme=dark",
            "Accept": "text/html;q=0.5, application/json",
            "X-Forwarded-For": "10.0.0.1",
            "Authorization": "Basic dXNlcjpwYXNz",
            "If-Match": '"v1"',
            "Range": "bytes=0-99",
        },
    )
    env["SCRIPT_NAME"] = "/app"
    request = Request(env)
    assert request.path == "/café"
    assert request.args.getlist("q") == ["a b", "é"]
    assert request.cookies.to_dict() == {"session": "abc", "theme": "dark"}
    assert request.host == "example.com:8080"
    assert request.scheme == "http"
    assert request.root_path == "/app"
    assert request.url == "http://example.com:8080/app/café?q=a+b&q=é"
    assert request.base_url == "http://example.com:8080/app/café"
    assert request.remote_addr == "127.0.0.1"
    assert request.server == ("localhost", 80)
    assert request.accept_mimetypes.best == "application/json"
    assert request.authorization is not None
    assert request.authorization.username == "user"
    assert request.if_match.contains("v1")
    assert request.range is not None
    assert request.range.ranges == [(0, 100)]
    assert request.headers["X-Forwarded-For"] == "10.0.0.1"
    assert request.mimetype == ""
    assert not request.is_json
    # Same answers as werkzeug's eager request on the same environ.
    reference = WerkzeugRequest(dict(env))
    for name in ("path", "full_path", "url", "root_url", "host_url", "access_route", "server"):
        assert getattr(request, name) == getattr(reference, name), name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", "/"),
        ("/", "/"),
        ("/a/b/", "/a/b/"),
        ("//a", "/a"),
        ("a", "/a"),
        ("/\xe2\x82\xac", "/€"),
        ("/\xff", "/\ufffd"),
    ],
)
def test_path_normalisation(raw: str, expected: str, environ: Callable[..., Environ]) -> None:
    assert Request(environ(path=raw)).path == expected


def test_missing_environ_keys_have_safe_defaults() -> None:
    request = Request({})
    assert request.method == "GET"
    assert request.path == "/"
    assert request.scheme == "http"
    assert request.server is None
    assert request.remote_addr is None
    assert request.query_string == b""
    assert request.root_path == ""


def test_non_numeric_server_port(environ: Callable[..., Environ]) -> None:
    env = environ()
    env["SERVER_PORT"] = "http"
    assert Request(env).server == ("localhost", None)


def test_limits_drive_werkzeugs_limit_attributes(environ: Callable[..., Environ]) -> None:
    limits = Limits(max_content_length=10, max_form_memory_size=20, max_form_parts=3)
    request = Request(environ(), limits)
    assert request.max_content_length == 10
    assert request.max_form_memory_size == 20
    assert request.max_form_parts == 3


def test_get_data_caches_and_decodes(environ: Callable[..., Environ]) -> None:
    request = Request(environ(body="héllo".encode()))
    assert request.get_data(as_text=True) == "héllo"
    assert request.data == "héllo".encode()
    assert request.get_data() == "héllo".encode()


def test_query_and_cookies_through_http(client: Callable[[Any], TestApp]) -> None:
    def handler(request: Request) -> Response:
        return Response(f"{request.args.get('name')}/{request.cookies.get('k')}")

    router = Router()
    router.add("/", handler)
    app = client(Kernel(router))
    app.set_cookie("k", "v")
    assert app.get("/?name=Zo%C3%AB").text == "Zoë/v"


def test_custom_request_class(client: Callable[[Any], TestApp]) -> None:
    class MyRequest(Request):
        @property
        def shout(self) -> str:
            return self.path.upper()

    def handler(request: Request) -> Response:
        assert isinstance(request, MyRequest)
        return Response(request.shout)

    router = Router()
    router.add("/hi", handler)
    assert client(Kernel(router, request_class=MyRequest)).get("/hi").text == "/HI"


def test_cookies_are_read_straight_from_the_environ(environ: Callable[..., Environ]) -> None:
    request = Request(environ(headers={"Cookie": 'a=1; b="x y"; a=2; \xc3\xa9=\xff'}))
    assert request.cookies.getlist("a") == ["1", "2"]
    assert request.cookies["b"] == "x y"
    assert request.cookies["é"] == "\ufffd"  # invalid UTF-8: replaced, never an error
    assert Request(environ()).cookies == {}
