"""What reaches the app from proxies and servers, in both front-ends: proxy headers (matrix row
52), method override headers (row 40) and request framing (row 53).

- ``X-Forwarded-*`` change nothing unless the app is wrapped in werkzeug's ``ProxyFix``, and
  then exactly as werkzeug defines it (the Nth value from the right, short lists ignored).
- ``X-HTTP-Method-Override`` and ``_method`` are ignored: the method is the request line's.
- The body is read up to ``CONTENT_LENGTH`` and never further; ``Transfer-Encoding`` beside a
  Content-Length changes nothing; two different lengths are a 400.
"""

from __future__ import annotations

import http.client
import io
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from reliability_spec import Front, build_environ, call_wsgi
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.serving import make_server

import globals_fw
import resources_fw as falcon
from globals_fw import request, url_for

# -- row 52: proxy headers --------------------------------------------------------------------


def _resources_app() -> Any:
    class Who:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {
                "addr": req.remote_addr,
                "host": req.host,
                "scheme": req.scheme,
                "url": req.uri,
                "route": req.access_route,
            }

    app = falcon.App()
    app.add_route("/who", Who())
    return app


def _globals_app() -> Any:
    app = globals_fw.App("proxies", static_folder=None, template_folder=None)

    @app.get("/who")
    def who() -> Any:
        return {
            "addr": request.remote_addr,
            "host": request.host.rsplit(":", 1)[0],
            "scheme": request.scheme,
            "url": url_for("who", _external=True),
            "route": request.access_route,
        }

    return app


BUILDERS: dict[str, Callable[[], Any]] = {
    "resources_fw": _resources_app,
    "globals_fw": _globals_app,
}

FORWARDED = {
    "X-Forwarded-For": "6.6.6.6, 203.0.113.7",
    "X-Forwarded-Proto": "https",
    "X-Forwarded-Host": "evil.example",
    "X-Forwarded-Port": "8443",
    "X-Forwarded-Prefix": "/evil",
    "X-Real-IP": "6.6.6.6",
    "Forwarded": "for=6.6.6.6;proto=https;host=evil.example",
}
DIRECT = {"addr": "10.0.0.2", "host": "app.internal", "scheme": "http"}


@pytest.fixture(params=BUILDERS)
def make_app(request: pytest.FixtureRequest) -> Callable[[], Any]:
    return BUILDERS[request.param]


def _who(app: Any, headers: dict[str, str]) -> dict[str, str]:
    environ = build_environ("GET", "/who", host="app.internal", headers=headers)
    environ["REMOTE_ADDR"] = "10.0.0.2"
    result = call_wsgi(app, environ)
    assert result.code == 200, result.status
    data: dict[str, str] = result.json()
    return data


def test_proxy_headers_are_ignored_by_default(make_app: Callable[[], Any]) -> None:
    seen = _who(make_app(), FORWARDED)
    assert {k: seen[k] for k in DIRECT} == DIRECT
    assert seen["url"] == "http://app.internal/who"
    # access_route reads the headers by design (as Falcon's and werkzeug's do): never use
    # it to authorize.
    assert seen["route"][0] == "6.6.6.6"


# (x_for, X-Forwarded-For, expected REMOTE_ADDR): werkzeug's ProxyFix table, plus spoofing.
X_FOR_CASES = [
    (1, "192.168.0.1", "192.168.0.1"),
    (1, "6.6.6.6, 192.168.0.1", "192.168.0.1"),  # a forged leftmost value is not trusted
    (2, "6.6.6.6, 192.168.0.1, 10.0.0.1", "192.168.0.1"),  # the Nth from the right
    (3, "192.168.0.1, 10.0.0.1", DIRECT["addr"]),  # fewer values than hops: ignored
    (0, "192.168.0.1", DIRECT["addr"]),  # x_for=0: the header is not read
    (1, "", DIRECT["addr"]),  # empty: ignored
    (1, " , ", DIRECT["addr"]),
    (1, "2001:db8::1", "2001:db8::1"),
    (1, "6.6.6.6, not-an-address", "not-an-address"),  # werkzeug passes garbage through
]


@pytest.mark.parametrize(("x_for", "header", "expected"), X_FOR_CASES)
def test_proxyfix_takes_the_nth_address_from_the_right(
    make_app: Callable[[], Any], x_for: int, header: str, expected: str
) -> None:
    app = make_app()
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=x_for)
    seen = _who(app, {"X-Forwarded-For": header})
    assert seen["addr"] == expected
    assert (seen["host"], seen["scheme"]) == (DIRECT["host"], DIRECT["scheme"])


def test_proxyfix_honours_only_the_headers_it_is_told_to(make_app: Callable[[], Any]) -> None:
    app = make_app()
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    headers = {
        "X-Forwarded-For": "6.6.6.6, 203.0.113.7",
        "X-Forwarded-Proto": "http, https",
        "X-Forwarded-Host": "evil.example, shop.example",
        "X-Forwarded-Prefix": "/evil",  # x_prefix=0: not read
    }
    seen = _who(app, headers)
    del seen["route"]
    assert seen == {
        "addr": "203.0.113.7",
        "host": "shop.example",
        "scheme": "https",
        "url": "https://shop.example/who",
    }


def test_proxyfix_with_more_hops_configured_than_sent(make_app: Callable[[], Any]) -> None:
    app = make_app()
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=2, x_proto=2, x_host=2)
    seen = _who(app, {"X-Forwarded-For": "1.2.3.4", "X-Forwarded-Host": "evil.example"})
    assert {k: seen[k] for k in DIRECT} == DIRECT


# -- row 40: method override -------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"X-HTTP-Method-Override": "DELETE"},
        {"X-HTTP-Method": "DELETE"},
        {"X-Method-Override": "DELETE"},
    ],
    ids=lambda h: next(iter(h)),
)
@pytest.mark.parametrize("path", ["/form", "/hello"])
def test_method_override_headers_are_ignored(
    front: Front, headers: dict[str, str], path: str
) -> None:
    method = "POST" if path == "/form" else "GET"
    body = b"a=1" if method == "POST" else b""
    content_type = "application/x-www-form-urlencoded" if body else None
    result = front.send(path, method, body, headers=headers, content_type=content_type)
    assert result.code == 200  # the route's own method answered; DELETE would be 405
    if path == "/form":
        assert result.json() == {"a": "1"}


def test_a_method_field_in_the_form_or_query_is_ignored(front: Front) -> None:
    result = front.send(
        "/form?_method=DELETE",
        "POST",
        b"_method=DELETE",
        content_type="application/x-www-form-urlencoded",
    )
    assert result.code == 200
    assert result.json() == {"_method": "DELETE"}  # just a field


def test_get_with_an_override_never_reaches_a_post_route(front: Front) -> None:
    result = front.send("/form", "GET", headers={"X-HTTP-Method-Override": "POST"})
    result.check_error(405)


# -- row 53: framing -------------------------------------------------------------------------

NEXT_REQUEST = b"GET /admin HTTP/1.1\r\nHost: localhost\r\n\r\n"
BODIES = {
    "/echo": (b'{"a": 1}', "application/json"),
    "/form": (b"a=1&b=2", "application/x-www-form-urlencoded"),
    "/raw": (b"raw body", "application/octet-stream"),
    "/upload": (
        b'--B\r\nContent-Disposition: form-data; name="f"\r\n\r\nv\r\n--B--\r\n',
        "multipart/form-data; boundary=B",
    ),
    "/hello": (b"ignored by the handler", "text/plain"),
}


def _framed(path: str, extra: bytes, **headers: str) -> tuple[dict[str, Any], io.BytesIO, int]:
    body, content_type = BODIES[path]
    stream = io.BytesIO(body + extra)
    method = "GET" if path == "/hello" else "POST"
    environ = build_environ(
        method,
        path,
        content_type=content_type,
        content_length=str(len(body)),
        stream=stream,
        headers=headers,
    )
    return environ, stream, len(body)


@pytest.mark.parametrize("path", BODIES)
def test_the_body_is_never_read_past_content_length(front: Front, path: str) -> None:
    environ, stream, length = _framed(path, NEXT_REQUEST)
    result = front.call(environ, validate=False)
    assert result.code == 200, (result.status, result.body[:200])
    assert stream.tell() <= length  # the next request's bytes are left for the server


@pytest.mark.parametrize("path", ["/raw", "/echo", "/form"])
def test_transfer_encoding_beside_content_length_changes_nothing(front: Front, path: str) -> None:
    # A server that let both through: Content-Length frames the body; the chunk syntax
    # after it is never read, and never parsed as a chunked body.
    environ, stream, length = _framed(path, b"\r\n0\r\n\r\n" + NEXT_REQUEST)
    environ["HTTP_TRANSFER_ENCODING"] = "chunked"
    result = front.call(environ, validate=False)
    assert result.code == 200, (result.status, result.body[:200])
    if path != "/raw":
        assert stream.tell() == length
    elif front.name == "resources_fw":
        assert (result.body, stream.tell()) == (BODIES["/raw"][0], length)
    else:
        # werkzeug's request.content_length is None under Transfer-Encoding, so this view
        # reads nothing; the stream itself is still bounded by CONTENT_LENGTH (a small body
        # is read whole when the stream is opened, never past its length).
        assert result.body == b""
        assert stream.tell() <= length


@pytest.mark.parametrize("value", ["8, 30", "8,8", "8 30"])
def test_conflicting_or_repeated_content_lengths_are_400(front: Front, value: str) -> None:
    environ, stream, _ = _framed("/raw", NEXT_REQUEST)
    environ["CONTENT_LENGTH"] = value
    front.call(environ, validate=False).check_error(400)
    assert stream.tell() == 0


def _live_access_route(app: Any, header: str) -> list[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest("GET", "/who")
        connection.putheader(header, "6.6.6.6")
        connection.endheaders()
        route: list[str] = json.loads(connection.getresponse().read())["route"]
        return route
    finally:
        connection.close()
        server.shutdown()
        thread.join(10)
        server.server_close()


def test_an_underscored_header_cannot_stand_in_for_a_dashed_one(
    make_app: Callable[[], Any],
) -> None:
    # Both spellings are HTTP_X_FORWARDED_FOR in WSGI; the server must drop the underscored
    # one (werkzeug's development server does, as gunicorn 22+ and nginx do).
    assert _live_access_route(make_app(), "X-Forwarded-For") == ["6.6.6.6"]
    assert _live_access_route(make_app(), "X_Forwarded_For") == ["127.0.0.1"]
