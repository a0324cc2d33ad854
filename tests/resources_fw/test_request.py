"""Request: URL parts, params and their typed getters, headers, cookies, media, conditions."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import resources_fw as falcon
from resources_fw import testing

Probe = Callable[..., testing.Result]


def value(probe: Probe, func: Callable[[falcon.Request], Any], **kwargs: Any) -> Any:
    result = probe(func, **kwargs)
    assert result.status_code == 200, result.text
    return result.json["value"]


def test_url_parts(probe: Probe) -> None:
    got = value(
        probe,
        lambda r: [
            r.method,
            r.path,
            r.query_string,
            r.relative_uri,
            r.uri,
            r.url,
            r.host,
            r.port,
            r.netloc,
            r.scheme,
            r.app,
            r.prefix,
        ],
        path="/p/x",
        query_string="a=1&b=%C3%A9",
        port=8080,
        root_path="/api",
    )
    assert got == [
        "GET",
        "/p/x",
        "a=1&b=%C3%A9",
        "/api/p/x?a=1&b=%C3%A9",
        "http://falconframework.org:8080/api/p/x?a=1&b=%C3%A9",
        "http://falconframework.org:8080/api/p/x?a=1&b=%C3%A9",
        "falconframework.org",
        8080,
        "falconframework.org:8080",
        "http",
        "/api",
        "http://falconframework.org:8080/api",
    ]


def test_uri_template_and_subdomain(probe: Probe) -> None:
    assert value(probe, lambda r: r.uri_template, path="/p/a/b") == "/p/{rest:path}"
    assert value(probe, lambda r: r.subdomain, host="api.example.com") == "api"


def test_params_shape(probe: Probe) -> None:
    got = value(probe, lambda r: r.params, query_string="a=1&a=2&b=&c=x,y")
    assert got == {"a": ["1", "2"], "b": "", "c": "x,y"}
    assert value(probe, lambda r: r.get_param("a")) is None
    got = value(
        probe,
        lambda r: [r.get_param("a"), r.has_param("a"), r.has_param("z")],
        query_string="a=1&a=2",
    )
    assert got == ["2", True, False]


def test_get_param_required_and_default(probe: Probe) -> None:
    assert value(probe, lambda r: r.get_param("x", default="d")) == "d"
    result = probe(lambda r: r.get_param("x", required=True))
    assert result.status_code == 400
    assert result.json == {
        "title": "Missing parameter",
        "description": 'The "x" parameter is required.',
    }
    result = probe(lambda r: r.get_param("a", allow_multiple=False), query_string="a=1&a=2")
    assert result.status_code == 400


def test_get_param_store(probe: Probe) -> None:
    def func(r: falcon.Request) -> Any:
        store: dict[str, Any] = {}
        r.get_param_as_int("n", store=store)
        r.get_param("s", store=store)
        return store

    assert value(probe, func, query_string="n=4&s=x") == {"n": 4, "s": "x"}


@pytest.mark.parametrize(
    ("query", "expected_status", "expected"),
    [
        ("n=5", 200, 5),
        ("n=-3", 200, -3),
        ("n=x", 400, None),
        ("n=0", 400, None),
        ("n=11", 400, None),
        ("", 200, 7),
    ],
)
def test_get_param_as_int(probe: Probe, query: str, expected_status: int, expected: Any) -> None:
    result = probe(
        lambda r: (
            r.get_param_as_int("n", min_value=-5, max_value=10, default=7)
            if r.get_param("n") != "0"
            else r.get_param_as_int("n", min_value=1)
        ),
        query_string=query,
    )
    assert result.status_code == expected_status
    if expected_status == 200:
        assert result.json["value"] == expected
    else:
        assert '"n"' in result.json["description"]


def test_get_param_as_float(probe: Probe) -> None:
    assert value(probe, lambda r: r.get_param_as_float("f"), query_string="f=1.5") == 1.5
    for bad in ("f=nan", "f=inf", "f=abc"):
        assert probe(lambda r: r.get_param_as_float("f"), query_string=bad).status_code == 400
    assert (
        probe(lambda r: r.get_param_as_float("f", max_value=1), query_string="f=2").status_code
        == 400
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("b=true", True),
        ("b=1", True),
        ("b=yes", True),
        ("b=false", False),
        ("b=0", False),
        ("b=off", False),
        ("b=", True),
        ("", None),
    ],
)
def test_get_param_as_bool(probe: Probe, query: str, expected: bool | None) -> None:
    assert value(probe, lambda r: r.get_param_as_bool("b"), query_string=query) is expected


def test_get_param_as_bool_blank_and_bad(probe: Probe) -> None:
    assert (
        value(probe, lambda r: r.get_param_as_bool("b", blank_as_true=False), query_string="b=")
        is False
    )
    assert probe(lambda r: r.get_param_as_bool("b"), query_string="b=maybe").status_code == 400


def test_get_param_as_list(probe: Probe) -> None:
    assert value(probe, lambda r: r.get_param_as_list("t"), query_string="t=1&t=2") == ["1", "2"]
    assert value(probe, lambda r: r.get_param_as_list("t", int), query_string="t=1&t=2") == [1, 2]
    assert value(
        probe, lambda r: r.get_param_as_list("t", delimiter=","), query_string="t=a,b"
    ) == ["a", "b"]
    assert value(probe, lambda r: r.get_param_as_list("t"), query_string="t=a") == ["a"]
    assert probe(lambda r: r.get_param_as_list("t", int), query_string="t=x").status_code == 400
    assert probe(lambda r: r.get_param_as_list("t", required=True)).status_code == 400


def test_csv_option(probe: Probe) -> None:
    def func(r: falcon.Request) -> Any:
        r.options.auto_parse_qs_csv = True
        try:
            return r.params
        finally:
            r.options.auto_parse_qs_csv = False

    assert value(probe, func, query_string="t=a,b") == {"t": ["a", "b"]}


def test_uuid_date_datetime_json(probe: Probe) -> None:
    uid = uuid.uuid4()
    got = value(
        probe,
        lambda r: [
            str(r.get_param_as_uuid("u")),
            str(r.get_param_as_date("d")),
            r.get_param_as_datetime("t").isoformat(),
            r.get_param_as_json("j"),
        ],
        params={
            "u": str(uid),
            "d": "2024-02-29",
            "t": "2024-01-02T03:04:05+0000",
            "j": '{"a": [1]}',
        },
    )
    assert got == [str(uid), "2024-02-29", "2024-01-02T03:04:05+00:00", {"a": [1]}]
    for name, bad in [("u", "nope"), ("d", "2024-13-01"), ("t", "yesterday"), ("j", "{")]:
        getter = {
            "u": "get_param_as_uuid",
            "d": "get_param_as_date",
            "t": "get_param_as_datetime",
            "j": "get_param_as_json",
        }[name]
        result = probe(lambda r, g=getter, n=name: getattr(r, g)(n), params={name: bad})
        assert result.status_code == 400
        assert f'"{name}"' in result.json["description"]


@settings(max_examples=50)
@given(st.text(max_size=20))
def test_int_param_never_500(raw: str) -> None:
    class Res:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = req.get_param_as_int("n", min_value=0)

    app = falcon.App()
    app.add_route("/", Res())
    result = testing.simulate_get(app, "/", params={"n": raw})
    assert result.status_code in (200, 400)


def test_headers(probe: Probe) -> None:
    got = value(
        probe,
        lambda r: [
            r.get_header("X-Thing"),
            r.get_header("x-thing"),
            r.get_header("X-None"),
            r.get_header("X-None", default="d"),
            r.headers["X-Thing"],
            r.user_agent,
            r.auth,
            r.get_header_as_int("X-Num"),
            r.referer,
        ],
        headers={"X-Thing": "v", "Authorization": "Bearer t", "X-Num": "5", "Referer": "/r"},
    )
    assert got == ["v", "v", None, "d", "v", "resources_fw-client/1.0", "Bearer t", 5, "/r"]
    result = probe(lambda r: r.get_header("X-Need", required=True))
    assert result.status_code == 400
    assert "X-Need" in result.json["description"]
    assert probe(lambda r: r.get_header_as_int("X-Num"), headers={"X-Num": "x"}).status_code == 400


def test_cookies(probe: Probe) -> None:
    got = value(
        probe,
        lambda r: [r.cookies.get("a"), r.get_cookie_values("a"), r.get_cookie_values("zz")],
        headers={"Cookie": "a=1; b=2; a=3"},
    )
    assert got == ["1", ["1", "3"], None]


def test_content_type_and_length(probe: Probe) -> None:
    got = value(
        probe,
        lambda r: [r.content_type, r.content_length],
        method="POST",
        body=b"abc",
        content_type="text/plain",
    )
    assert got == ["text/plain", 3]
    assert value(probe, lambda r: r.content_length) is None


def test_bad_content_length_is_400_naming_header() -> None:
    # wsgiref.validate itself refuses such an environ, so call the app directly.
    class Res:
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = req.content_length

    app = falcon.App()
    app.add_route("/", Res())
    env = testing.create_environ("/", method="POST", headers={"Content-Length": "x"})
    seen: list[str] = []
    body = b"".join(app(env, lambda status, headers, exc_info=None: seen.append(status)))
    assert seen == ["400 Bad Request"]
    assert b"Content-Length" in body


def test_stream_and_bounded_stream(probe: Probe) -> None:
    got = value(
        probe,
        lambda r: [r.stream.read().decode(), r.bounded_stream is r.stream],
        method="POST",
        body="hello",
    )
    assert got == ["hello", True]


def test_context_attr_and_item(probe: Probe) -> None:
    def func(r: falcon.Request) -> Any:
        r.context.user = "bob"
        r.context["role"] = "admin"
        return [r.context["user"], r.context.role, "user" in r.context, r.context.get("x", 1)]

    assert value(probe, func) == ["bob", "admin", True, 1]


def test_accept_negotiation(probe: Probe) -> None:
    def func(r: falcon.Request) -> Any:
        return [
            r.accept,
            r.client_accepts_json,
            r.client_accepts("text/html"),
            r.client_prefers(["text/html", "application/json"]),
            r.client_accepts_xml,
        ]

    assert value(probe, func) == ["*/*", True, True, "text/html", True]
    got = value(probe, func, headers={"Accept": "application/json"})
    assert got == ["application/json", True, False, "application/json", False]
    got = value(probe, func, headers={"Accept": "text/*;q=0.5, application/json;q=0.9"})
    assert got[3] == "application/json"


def test_remote_addr_access_route_and_forwarded(probe: Probe) -> None:
    got = value(
        probe,
        lambda r: [r.remote_addr, r.access_route],
        remote_addr="10.0.0.1",
        headers={"X-Forwarded-For": "1.2.3.4, 10.0.0.2"},
    )
    assert got == ["10.0.0.1", ["1.2.3.4", "10.0.0.2"]]

    def func(r: falcon.Request) -> Any:
        hops = r.forwarded or []
        return [[h.src, h.host, h.scheme] for h in hops] + [
            r.forwarded_scheme,
            r.forwarded_host,
            r.forwarded_uri,
            r.access_route,
        ]

    got = value(
        probe,
        func,
        headers={"Forwarded": 'for=192.0.2.60;proto=https;host=ex.com, for="[2001:db8::1]:4711"'},
    )
    assert got == [
        ["192.0.2.60", "ex.com", "https"],
        ["[2001:db8::1]:4711", None, None],
        "https",
        "ex.com",
        "https://ex.com/p",
        ["192.0.2.60", "2001:db8::1"],
    ]
    got = value(
        probe,
        lambda r: [r.forwarded, r.forwarded_scheme, r.forwarded_host],
        headers={"X-Forwarded-Proto": "https", "X-Forwarded-Host": "proxy.io"},
    )
    assert got == [None, "https", "proxy.io"]


def test_conditional_headers(probe: Probe) -> None:
    def func(r: falcon.Request) -> Any:
        return [
            [str(t) for t in r.if_match or []],
            [(str(t), getattr(t, "is_weak", None)) for t in r.if_none_match or []],
            r.if_modified_since.isoformat() if r.if_modified_since else None,
            r.range,
            r.range_unit,
        ]

    got = value(
        probe,
        func,
        headers={
            "If-Match": '"a", "b,c"',
            "If-None-Match": 'W/"w"',
            "Range": "bytes=0-99",
            "If-Modified-Since": "Tue, 15 Nov 1994 08:12:31 GMT",
        },
    )
    assert got == [["a", "b,c"], [["w", True]], "1994-11-15T08:12:31+00:00", [0, 99], "bytes"]
    assert value(probe, lambda r: r.if_match, headers={"If-Match": "*"}) == ["*"]
    assert value(probe, lambda r: r.range, headers={"Range": "bytes=-500"}) == [-500, -1]
    assert value(probe, lambda r: r.range, headers={"Range": "bytes=9500-"}) == [9500, -1]
    for bad in ("bytes=x-1", "bytes=5-1", "bytes=0-1,3-4", "bytes"):
        assert probe(lambda r: r.range, headers={"Range": bad}).status_code == 400
    result = probe(lambda r: r.if_modified_since, headers={"If-Modified-Since": "soon"})
    assert result.status_code == 400


def test_date_header(probe: Probe) -> None:
    assert (
        value(probe, lambda r: r.date.year, headers={"Date": "Tue, 15 Nov 1994 08:12:31 GMT"})
        == 1994
    )


def test_media_json_cached_and_default_when_empty(probe: Probe) -> None:
    got = value(
        probe, lambda r: [r.media, r.get_media() is r.media], method="POST", json={"a": [1, 2]}
    )
    assert got == [{"a": [1, 2]}, True]
    assert value(probe, lambda r: r.get_media(default_when_empty={}), method="POST") == {}
    result = probe(lambda r: r.media, method="POST")
    assert result.status_code == 400
    assert result.json["title"] == "Invalid JSON"


def test_media_errors_are_cached(probe: Probe) -> None:
    def func(r: falcon.Request) -> Any:
        errors = []
        for _ in range(2):
            try:
                r.get_media()
            except falcon.HTTPBadRequest as exc:
                errors.append(exc)
        return errors[0] is errors[1]

    assert value(probe, func, method="POST", body="{", content_type="application/json")


def test_media_unsupported_type_is_415(probe: Probe) -> None:
    result = probe(lambda r: r.media, method="POST", body="x", content_type="text/x-weird")
    assert result.status_code == 415
    assert "text/x-weird" in result.json["description"]


def test_request_werkzeug_helpers_still_work(probe: Probe) -> None:
    got = value(
        probe,
        lambda r: [r.args.getlist("a"), r.full_path, r.base_url, r.host_url, r.root_url],
        query_string="a=1&a=2",
    )
    assert got == [
        ["1", "2"],
        "/p?a=1&a=2",
        "http://falconframework.org/p",
        "http://falconframework.org/",
        "http://falconframework.org/",
    ]


def test_request_type_and_context_type() -> None:
    class Ctx(falcon.Context):
        role = "guest"

    class MyRequest(falcon.Request):
        context_type = Ctx

    class Res:
        def on_get(self, req: MyRequest, resp: falcon.Response) -> None:
            resp.media = [type(req).__name__, req.context.role]

    app = falcon.App(request_type=MyRequest)
    app.add_route("/", Res())
    assert testing.simulate_get(app, "/").json == ["MyRequest", "guest"]


def test_forwarded_parser_skips_garbage() -> None:
    from resources_fw.forwarded import parse_forwarded_header

    assert parse_forwarded_header("garbage") == []
    hops = parse_forwarded_header("for=a;junk, by=b")
    assert [(h.src, h.dest) for h in hops] == [("a", None), (None, "b")]


def test_http_date_helpers() -> None:
    dt = datetime(1994, 11, 15, 8, 12, 31, tzinfo=UTC)
    assert falcon.dt_to_http(dt) == "Tue, 15 Nov 1994 08:12:31 GMT"
    assert falcon.http_date_to_dt("Tue, 15 Nov 1994 08:12:31 GMT") == dt
    with pytest.raises(ValueError, match="HTTP date"):
        falcon.http_date_to_dt("nope")
