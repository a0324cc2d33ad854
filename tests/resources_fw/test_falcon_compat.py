"""Behaviour found missing or wrong by running Falcon 4.4's own tests and examples against
resources_fw (imports changed only). Each test pins one fix, in our words."""

from __future__ import annotations

import io
import re
import socket
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from webtest import TestApp

import resources_fw as falcon
from resources_fw import testing

Client = Callable[[Any], TestApp]


# -- testing helpers (falcon.testing's documented helpers) --------------------------------


def test_simple_test_resource_captures_and_answers_with_defaults(client: Client) -> None:
    resource = testing.SimpleTestResource(status=falcon.HTTP_202, json={"ok": "yes"})
    app = falcon.App()
    app.add_route("/things/{tid}", resource)
    assert not resource.called
    got = client(app).get("/things/7", headers={"X-Extra": "1"}, status=202)
    assert got.json == {"ok": "yes"}
    assert resource.called
    assert resource.captured_kwargs == {"tid": "7"}
    assert resource.captured_req is not None
    assert resource.captured_req.get_header("X-Extra") == "1"
    assert resource.captured_resp is not None


def test_simple_test_resource_body_headers_and_capture_headers() -> None:
    resource = testing.SimpleTestResource(body="hi", headers={"X-Default": "d"})
    app = falcon.App()
    app.add_route("/", resource)
    result = testing.simulate_post(
        app, "/", body=b"0123456789", headers={"Capture-Req-Body-Bytes": "4"}
    )
    assert (result.status_code, result.text, result.headers["X-Default"]) == (200, "hi", "d")
    assert resource.captured_req_body == b"0123"
    testing.simulate_post(app, "/", json={"a": 1}, headers={"Capture-Req-Media": "y"})
    assert resource.captured_req_media == {"a": 1}


def test_simple_test_resource_refuses_body_and_json() -> None:
    with pytest.raises(ValueError, match="either json= or body="):
        testing.SimpleTestResource(body="x", json={"a": 1})


def test_capture_and_defaults_hooks_work_on_our_own_resource() -> None:
    class Resource:
        _default_status = 201
        _default_body = None
        _default_headers = None

        @falcon.before(testing.capture_responder_args)
        @falcon.before(testing.set_resp_defaults)
        def on_put(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
            pass

    resource = Resource()
    app = falcon.App()
    app.add_route("/{name}", resource)
    assert testing.simulate_put(app, "/x").status_code == 201
    assert resource.captured_kwargs == {"name": "x"}  # type: ignore[attr-defined]


def test_start_response_mock_records_the_call() -> None:
    app = falcon.App()
    app.add_route("/", testing.SimpleTestResource(body="hello"))
    mock = testing.StartResponseMock()
    body = b"".join(app(testing.create_environ("/"), mock))
    assert body == b"hello"
    assert (mock.call_count, mock.status) == (1, "200 OK")
    assert mock.headers is not None
    assert ("content-length", "5") in mock.headers
    assert mock.headers_dict["CONTENT-LENGTH"] == "5"


def test_rand_string_bounds_and_alphabet() -> None:
    for _ in range(50):
        text = testing.rand_string(2, 6)
        assert 2 <= len(text) <= 6
        assert re.fullmatch(r"[ -~]+", text)
    assert testing.rand_string(0, 0) == ""


def test_get_encoding_from_headers() -> None:
    enc = testing.get_encoding_from_headers
    assert enc({"content-type": "text/plain; charset='utf-16'"}) == "utf-16"
    assert enc({"content-type": "application/json"}) == "UTF-8"
    assert enc({"content-type": "text/html"}) == "ISO-8859-1"
    assert enc({"content-type": "image/png"}) is None
    assert enc({}) is None


def test_get_unused_port_can_be_bound() -> None:
    port = testing.get_unused_port()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("localhost", port))


def test_redirected_captures_output() -> None:
    out, err = io.StringIO(), io.StringIO()
    with testing.redirected(stdout=out, stderr=err):
        print("to out")
        print("to err", file=sys.stderr)
    assert (out.getvalue(), err.getvalue()) == ("to out\n", "to err\n")


def test_closed_wsgi_iterable_closes_and_starts_generators() -> None:
    events: list[str] = []

    class Body:
        def __iter__(self) -> Iterator[bytes]:
            events.append("iter")
            yield b"a"
            yield b"b"

        def close(self) -> None:
            events.append("close")

    chunks = testing.closed_wsgi_iterable(Body())
    assert events == ["iter"]  # the first chunk is fetched at once
    assert list(chunks) == [b"a", b"b"]
    assert events == ["iter", "close"]
    assert list(testing.closed_wsgi_iterable([])) == []


def test_result_headers_lower_items() -> None:
    app = falcon.App()
    app.add_route("/", testing.SimpleTestResource(headers={"X-Mixed-Case": "v"}))
    result = testing.simulate_get(app, "/")
    assert ("x-mixed-case", "v") in dict(result.headers.lower_items()).items()


# -- responses ------------------------------------------------------------------------------


class DeclaredLength:
    def on_get(self, req: falcon.Request, resp: falcon.Response, mode: str) -> None:
        resp.content_length = 42
        if mode == "text":
            resp.text = "hello"
        elif mode == "data":
            resp.data = b"hi"
        elif mode == "header":
            resp.set_header("Content-Length", "3")
            resp.media = {"a": 1}
        # "none": no body at all

    def on_head(self, req: falcon.Request, resp: falcon.Response, mode: str) -> None:
        resp.content_length = 42  # HEAD may announce the GET body's length


@pytest.mark.parametrize(
    ("mode", "body"),
    [("text", b"hello"), ("data", b"hi"), ("header", b'{"a": 1}'), ("none", b"")],
)
def test_declared_content_length_gives_way_to_the_body(
    client: Client, mode: str, body: bytes
) -> None:
    app = falcon.App()
    app.add_route("/{mode}", DeclaredLength())
    got = client(app).get(f"/{mode}")
    assert (got.body, got.headers["Content-Length"]) == (body, str(len(body)))
    head = client(app).head(f"/{mode}")
    assert (head.body, head.headers["Content-Length"]) == (b"", "42")


def test_text_may_hold_bytes(client: Client) -> None:
    class Raw:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.text = "é!".encode()  # type: ignore[assignment]

    app = falcon.App()
    app.add_route("/", Raw())
    got = client(app).get("/")
    assert (got.body, got.headers["Content-Length"]) == ("é!".encode(), "3")
    resp = falcon.Response()
    resp.text = b"raw"  # type: ignore[assignment]
    assert resp.render_body() == b"raw"


def test_header_property_can_be_deleted() -> None:
    resp = falcon.Response()
    resp.location = "/things/1"
    del resp.location
    assert resp.location is None
    assert resp.get_header("Location") is None
    del resp.location  # deleting an absent header is not an error


class Cookies:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.set_cookie("same", "first", max_age=10)
        resp.set_cookie("same", "second", max_age=20)
        resp.set_cookie("float", "f", max_age=15.7)
        resp.set_cookie("string", "s", max_age="15")
        resp.set_cookie("nosite", "n", same_site="")
        resp.set_cookie("gone", "x")
        resp.unset_cookie("gone")

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.append_header("Set-Cookie", "raw=1; Max-Age=600; Path=/")
        resp.append_header("set-cookie", "other=2; Max-Age=0")


def test_cookie_set_twice_is_sent_once_and_max_age_is_whole_seconds(client: Client) -> None:
    app = falcon.App()
    app.add_route("/", Cookies())
    lines = client(app).get("/").headers.getall("Set-Cookie")
    by_name: dict[str, list[str]] = {}
    for line in lines:
        by_name.setdefault(line.partition("=")[0], []).append(line)
    assert all(len(found) == 1 for found in by_name.values()), lines
    assert by_name["same"][0].startswith("same=second;")
    assert "Max-Age=15;" in by_name["float"][0]
    assert "Max-Age=15;" in by_name["string"][0]
    assert "SameSite" not in by_name["nosite"][0]
    assert by_name["gone"][0].startswith("gone=;")


def test_raw_set_cookie_lines_can_be_appended(client: Client) -> None:
    app = falcon.App()
    app.add_route("/", Cookies())
    result = testing.simulate_post(app, "/")
    assert (result.cookies["raw"].max_age, result.cookies["other"].max_age) == (600, 0)
    assert client(app).post("/").headers.getall("Set-Cookie") == [
        "raw=1; Max-Age=600; Path=/",
        "other=2; Max-Age=0",
    ]


# -- routing ------------------------------------------------------------------------------


class CatchAll:
    def on_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"by": "on_request", "method": req.method}

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"by": "on_post"}

    def on_request_item(self, req: falcon.Request, resp: falcon.Response, n: str) -> None:
        resp.media = {"by": "on_request_item", "n": n}


def test_default_to_on_request(client: Client) -> None:
    app = falcon.App()
    app.router_options.default_to_on_request = True
    app.add_route("/c", CatchAll())
    app.add_route("/c/{n}", CatchAll(), suffix="item")
    web = client(app)
    assert web.put("/c").json == {"by": "on_request", "method": "PUT"}
    assert web.post("/c").json == {"by": "on_post"}
    assert web.delete("/c/3").json == {"by": "on_request_item", "n": "3"}
    options = web.options("/c")  # on_request answers OPTIONS too (no on_options here)
    assert options.json == {"by": "on_request", "method": "OPTIONS"}
    assert "Allow" not in options.headers


def test_on_request_is_ignored_unless_enabled(client: Client) -> None:
    app = falcon.App()
    app.add_route("/c", CatchAll())
    assert client(app).put("/c", status=405).headers["Allow"] == "OPTIONS, POST"


# -- static routes and CORS ------------------------------------------------------------------


def test_static_route_answers_options_and_cors_preflight(client: Client, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    app = falcon.App(cors_enable=True)
    app.add_static_route("/static", str(tmp_path))
    web = client(app)
    plain = web.options("/static/a.txt")
    assert (plain.status_int, plain.headers["Allow"], plain.body) == (200, "GET, HEAD", b"")
    preflight = web.options(
        "/static/a.txt",
        headers={"Origin": "https://a.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.headers["Access-Control-Allow-Methods"] == "GET, HEAD"
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert web.post("/static/a.txt", status=405).headers["Allow"] == "GET, HEAD, OPTIONS"


def test_cors_refuses_a_wildcard_inside_a_list() -> None:
    with pytest.raises(ValueError, match="allow_origins"):
        falcon.CORSMiddleware(allow_origins=["https://a.example", "*"])
    with pytest.raises(ValueError, match="allow_credentials"):
        falcon.CORSMiddleware(allow_credentials=["*"])


class CORSResource:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.text = "ok"

    def on_delete(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.set_header("Access-Control-Allow-Origin", "https://chosen.example")

    def on_options(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.set_header("X-Own-Options", "1")  # no Allow header: no methods granted


def test_cors_origins_match_exactly_and_responder_choice_wins(client: Client) -> None:
    app = falcon.App(
        middleware=[
            falcon.CORSMiddleware(
                allow_origins=["https://a.example"], allow_credentials="https://a.example"
            )
        ]
    )
    app.add_route("/", CORSResource())
    web = client(app)
    other = web.get("/", headers={"Origin": "https://A.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    ok = web.get("/", headers={"Origin": "https://a.example"})
    assert ok.headers["Access-Control-Allow-Origin"] == "https://a.example"
    assert ok.headers["Access-Control-Allow-Credentials"] == "true"
    own = web.delete("/", headers={"Origin": "https://a.example"})
    assert own.headers["Access-Control-Allow-Origin"] == "https://chosen.example"
    assert "Access-Control-Allow-Credentials" not in own.headers


def test_cors_preflight_without_allow_grants_nothing(client: Client) -> None:
    app = falcon.App(cors_enable=True)
    app.add_route("/", CORSResource())
    got = client(app).options(
        "/", headers={"Origin": "https://a.example", "Access-Control-Request-Method": "GET"}
    )
    assert got.headers["X-Own-Options"] == "1"
    assert not [name for name in got.headers if name.lower().startswith("access-control-")]


# -- more request, response and testing details --------------------------------------------


def test_set_headers_takes_any_object_with_items(client: Client) -> None:
    class HeaderSource:  # not a Mapping, only items()
        def items(self) -> list[tuple[str, str]]:
            return [("X-From", "items")]

    class Resource:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.set_headers(HeaderSource())  # type: ignore[arg-type]

    app = falcon.App()
    app.add_route("/", Resource())
    assert client(app).get("/").headers["X-From"] == "items"


def test_env_is_the_wsgi_environ_and_raw_uri_is_kept() -> None:
    app = falcon.App()
    resource = testing.SimpleTestResource()
    app.add_route("/cache/{url}", resource)
    testing.simulate_get(app, "/cache/a%20b")
    req = resource.captured_req
    assert req is not None
    assert req.env is req.environ
    assert req.env["RAW_URI"] == "/cache/a%20b"
    assert req.env["PATH_INFO"] == "/cache/a b"


def test_result_cookies_can_be_sent_back() -> None:
    class Jar:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.set_cookie("token", "abc def")

        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"token": req.cookies.get("token")}

    client = testing.TestClient(falcon.App())
    client.app.add_route("/", Jar())
    first = client.simulate_get("/")
    assert client.simulate_post("/", cookies=first.cookies).json == {"token": "abc def"}


def test_json_argument_decides_the_content_type() -> None:
    class Echo:
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.text = req.content_type

    app = falcon.App()
    app.add_route("/", Echo())
    headers = {"Content-Type": "text/plain"}
    got = testing.simulate_post(app, "/", json={}, content_type="text/html", headers=headers)
    assert got.text == "application/json"
    assert testing.simulate_post(app, "/", content_type="text/html", headers=headers).text == (
        "text/html"
    )


def test_nested_multipart_parts_use_the_parse_options_handlers() -> None:
    parser = falcon.media.MultipartFormHandler()
    handlers = parser.parse_options.media_handlers
    assert handlers is not None
    assert set(handlers) == {falcon.MEDIA_JSON, falcon.MEDIA_URLENCODED}
    handlers["multipart/mixed"] = falcon.media.MultipartFormHandler()

    class Forms:
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            found = {}
            for part in req.get_media():
                if part.content_type.startswith("multipart/mixed"):
                    for nested in part.get_media():
                        found[nested.filename] = nested.text
                else:
                    found[part.name] = part.get_media()
            resp.media = found

    app = falcon.App()
    app.req_options.media_handlers[falcon.MEDIA_MULTIPART] = parser
    app.add_route("/forms", Forms())
    body = (
        b"--outer\r\n"
        b'Content-Disposition: form-data; name="doc"\r\n'
        b"Content-Type: application/json\r\n\r\n"
        b'{"a": 1}\r\n'
        b"--outer\r\n"
        b'Content-Disposition: form-data; name="files"\r\n'
        b"Content-Type: multipart/mixed; boundary=inner\r\n\r\n"
        b"--inner\r\n"
        b'Content-Disposition: attachment; filename="one.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\n"
        b"first\r\n"
        b"--inner--\r\n"
        b"\r\n--outer--\r\n"
    )
    got = testing.simulate_post(
        app, "/forms", body=body, content_type="multipart/form-data; boundary=outer"
    )
    assert got.json == {"doc": {"a": 1}, "one.txt": "first"}


def test_stripped_trailing_slash_shows_in_req_path() -> None:
    app = falcon.App()
    app.req_options.strip_url_path_trailing_slash = True
    resource = testing.SimpleTestResource()
    app.add_route("/items/{n}", resource)
    assert testing.simulate_get(app, "/items/3/").status_code == 200
    assert resource.captured_req is not None
    assert resource.captured_req.path == "/items/3"


@pytest.mark.parametrize(
    ("template", "path", "expected"),
    [
        ("/{x:float}", "/2", 2.0),
        ("/{x:float}", "/-1.5e2", -150.0),
        ("/{x:float}", "/nan", None),
        ("/{x:float}", "/abc", None),
        ("/{x:float(min=0, max=10)}", "/10", 10.0),
        ("/{x:float(min=0, max=10)}", "/10.5", None),
        ("/{x:float(finite=False)}", "/-inf", "-inf"),
    ],
)
def test_float_converter_takes_what_float_takes(
    template: str, path: str, expected: float | str | None
) -> None:
    class Show:
        def on_get(self, req: falcon.Request, resp: falcon.Response, x: float) -> None:
            resp.media = {"x": x if x == x and abs(x) != float("inf") else str(x)}

    app = falcon.App()
    app.add_route(template, Show())
    result = testing.simulate_get(app, path)
    if expected is None:
        assert result.status_code == 404
    else:
        assert result.json == {"x": expected}


def test_float_converter_refuses_bad_bounds_at_add_route() -> None:
    app = falcon.App()
    with pytest.raises(Exception, match="must be a number"):
        app.add_route("/{x:float(min='a')}", testing.SimpleTestResource())


def test_uuid_converter_takes_the_hex_digits_without_hyphens() -> None:
    import uuid

    app = falcon.App()
    resource = testing.SimpleTestResource()
    app.add_route("/w/{u:uuid}/orders", resource)
    value = uuid.UUID("0ef45425-d2f9-4bd2-9fb5-daaeb6fece43")
    for text in (str(value), value.hex, value.hex.upper()):
        assert testing.simulate_get(app, f"/w/{text}/orders").status_code == 200
        assert resource.captured_kwargs == {"u": value}
    assert testing.simulate_get(app, f"/w/{value.hex[:-1]}/orders").status_code == 404


@pytest.mark.parametrize("template", ["//", "//begin", "/end//", "/in//side"])
def test_empty_segment_in_a_template_is_refused(template: str) -> None:
    with pytest.raises(ValueError, match="empty segment"):
        falcon.App().add_route(template, testing.SimpleTestResource())


def test_middleware_class_instead_of_instance_is_refused() -> None:
    class Timing:
        def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
            pass

    with pytest.raises(TypeError, match=r"pass an instance: Timing\(\)"):
        falcon.App(middleware=[Timing])


@pytest.mark.parametrize(
    ("getter", "raw", "expected"),
    [
        ("get_param_as_int", "42", 42),
        ("get_param_as_float", "4.5", 4.5),
        ("get_param_as_bool", "true", True),
        (
            "get_param_as_uuid",
            "64be949b-3433-4d36-a4a8-9f19d352fee8",
            "64be949b-3433-4d36-a4a8-9f19d352fee8",
        ),
        ("get_param_as_date", "2015-04-20", "2015-04-20"),
        ("get_param_as_datetime", "2015-04-20T10:10:10Z", "2015-04-20T10:10:10+00:00"),
        ("get_param_as_json", "[1,2]", [1, 2]),
    ],
)
def test_typed_getters_take_allow_multiple(
    probe: Callable[..., testing.Result], getter: str, raw: str, expected: Any
) -> None:
    def read(req: falcon.Request, **kwargs: Any) -> Any:
        value = getattr(req, getter)("n", **kwargs)
        return value if isinstance(value, int | float | list) else str(value).replace(" ", "T")

    query = f"n={raw}&n={raw}"
    assert probe(read, query_string=query).json == {"value": expected}
    refused = probe(lambda req: read(req, allow_multiple=False), query_string=query)
    assert refused.status_code == 400
    assert '"n" parameter' in refused.json["description"]
    single = probe(lambda req: read(req, allow_multiple=False), query_string=f"n={raw}")
    assert single.json == {"value": expected}


def test_none_request_and_response_types_mean_the_defaults(client: Client) -> None:
    app = falcon.App(request_type=None, response_type=None)
    app.add_route("/", testing.SimpleTestResource(json={"ok": 1}))
    assert client(app).get("/").json == {"ok": 1}


# -- Falcon's converter classes --------------------------------------------------------------


@pytest.mark.parametrize(
    ("converter", "value", "expected"),
    [
        (falcon.routing.IntConverter(), "-12", -12),
        (falcon.routing.IntConverter(), " 12", None),
        (falcon.routing.IntConverter(num_digits=3), "12", None),
        (falcon.routing.IntConverter(min=1, max=9), "10", None),
        (falcon.routing.FloatConverter(), "1e3", 1000.0),
        (falcon.routing.FloatConverter(finite=None), "nan", None),
        (falcon.routing.DateTimeConverter("%Y-%m-%d"), "2024-02-30", None),
        (falcon.routing.UUIDConverter(), "not-a-uuid", None),
        (falcon.routing.PathConverter(), ["a", "b"], "a/b"),
        (falcon.routing.RegexConverter(r"p-(?P<n>\d+)", "n"), "p-42", "42"),
        (falcon.routing.RegexConverter(r"p-\d+"), "p-4x", None),
    ],
)
def test_converter_classes_convert_or_return_none(
    converter: Any, value: Any, expected: Any
) -> None:
    assert converter.convert(value) == expected
    assert falcon.routing.converters.IntConverter is falcon.routing.IntConverter


@pytest.mark.parametrize(
    ("args", "message"),
    [((b"x",), "not a str"), (("(",), "invalid regex"), (("a", "g"), "no named group 'g'")],
)
def test_regex_converter_refuses_bad_patterns(args: tuple[Any, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        falcon.routing.RegexConverter(*args)
    with pytest.raises(Exception, match=message):
        falcon.App().add_route("/{x:re(" + ", ".join(repr(a) for a in args) + ")}", Show())


class Show:
    def on_get(self, req: falcon.Request, resp: falcon.Response, **fields: Any) -> None:
        resp.media = {name: str(value) for name, value in fields.items()}


def test_regex_template_with_a_group_gives_the_group(client: Client) -> None:
    app = falcon.App()
    app.add_route('/{product:re(r"product-(?P<pid>\\d+)", "pid")}', Show())
    app.add_route('/plain/{code:re("[a-z]{3}")}', Show())
    web = client(app)
    assert web.get("/product-1337").json == {"product": "1337"}
    web.get("/product-x", status=404)
    assert web.get("/plain/abc").json == {"code": "abc"}


def test_multi_segment_falcon_style_converter(client: Client) -> None:
    class Rest(falcon.routing.PathConverter):
        def convert(self, value: Any) -> str:
            return super().convert(value).upper()

    app = falcon.App()
    app.router_options.converters["rest"] = Rest
    app.add_route("/files/{tail:rest}", Show())
    assert client(app).get("/files/a/b/c").json == {"tail": "A/B/C"}


# -- errors ---------------------------------------------------------------------------------


class HalfBuilt:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"partial": "secret"}
        raise ZeroDivisionError

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        raise falcon.HTTPError("499 Client Closed Request", title="closed")

    def on_put(self, req: falcon.Request, resp: falcon.Response) -> None:
        raise falcon.HTTPStatus("299 Custom Fine", text="fine")


def test_error_handler_starts_without_the_responders_body(client: Client) -> None:
    seen: list[bytes | None] = []

    def handle(req: falcon.Request, resp: falcon.Response, ex: Exception, params: Any) -> None:
        seen.append(resp.render_body())
        resp.status = 409

    app = falcon.App()
    app.add_route("/", HalfBuilt())
    app.add_error_handler(ZeroDivisionError, handle)
    got = client(app).get("/", status=409)
    assert (seen, got.body) == ([None], b"")


def test_status_line_given_in_full_keeps_its_reason(client: Client) -> None:
    app = falcon.App()
    app.add_route("/", HalfBuilt())
    web = client(app)
    assert web.post("/", status=499).status == "499 Client Closed Request"
    assert web.put("/", status=299).status == "299 Custom Fine"
    assert falcon.HTTPError("499 Client Closed Request").status_line == "499 Client Closed Request"
    assert falcon.HTTPError(499).status_line == "499 Unknown"


def test_empty_plain_headers_read_as_none_and_last_event_id() -> None:
    req = testing.create_req(headers={"Authorization": "", "Referer": "", "Last-Event-ID": "7"})
    assert (req.auth, req.referer, req.last_event_id) == (None, None, "7")
    assert testing.create_req().last_event_id is None


@pytest.mark.parametrize(("given", "sent"), [("1", "1.0"), ("1.1", "1.1"), ("2.0", "2")])
def test_simulated_http_version(given: str, sent: str) -> None:
    assert testing.create_environ(http_version=given)["SERVER_PROTOCOL"] == f"HTTP/{sent}"


@pytest.mark.parametrize("bad", ["", "0", "1.2", "3", "11"])
def test_simulated_http_version_is_checked(bad: str) -> None:
    with pytest.raises(ValueError, match="http_version must be one of"):
        testing.simulate_get(falcon.App(), "/", http_version=bad)


def test_empty_path_is_the_script_root() -> None:
    assert testing.create_environ(path="", root_path="/app")["PATH_INFO"] == ""
    assert testing.create_req(path="").path == "/"
    with pytest.raises(ValueError, match="must start with '/'"):
        testing.create_environ(path="things")


def test_link_relation_uris_are_percent_encoded(client: Client) -> None:
    class Links:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.append_link("/a", "next")
            resp.append_link("/b", "alternate http://example.com/€uro")

    app = falcon.App()
    app.add_route("/", Links())
    assert client(app).get("/").headers["Link"] == (
        '</a>; rel="next", </b>; rel="alternate http://example.com/%E2%82%ACuro"'
    )


def test_declared_length_leaves_no_reference_cycle() -> None:
    import gc
    import weakref

    refs: list[weakref.ref[falcon.Response]] = []

    class Declared:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.content_length = 42
            resp.text = "hello"
            refs.append(weakref.ref(resp))

    app = falcon.App()
    app.add_route("/", Declared())
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        assert testing.simulate_get(app, "/").headers["Content-Length"] == "5"
        assert refs[0]() is None  # freed by reference counting alone
    finally:
        if was_enabled:
            gc.enable()
