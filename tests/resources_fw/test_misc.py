"""Smaller pieces: Context, ETag parsing, the rarer request properties, Result cookies."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import resources_fw as falcon
from resources_fw import testing
from resources_fw.etag import parse_etags

Probe = Callable[..., testing.Result]


def test_context_is_a_mapping_too() -> None:
    ctx = falcon.Context()
    ctx.a = 1
    ctx["b"] = 2
    assert (len(ctx), sorted(ctx), ctx.setdefault("c", 3), ctx.pop("c")) == (2, ["a", "b"], 3, 3)
    ctx.update(d=4)
    assert dict(ctx.items()) == {"a": 1, "b": 2, "d": 4}
    assert list(ctx.keys()) == ["a", "b", "d"]
    assert list(ctx.values()) == [1, 2, 4]
    del ctx["d"]
    assert ctx == {"a": 1, "b": 2}
    assert ctx != falcon.Context()
    assert ctx.__eq__(42) is NotImplemented
    assert repr(ctx) == "Context({'a': 1, 'b': 2})"
    with pytest.raises(KeyError):
        ctx["missing"]
    with pytest.raises(TypeError):
        hash(ctx)


def test_etag_parsing() -> None:
    assert parse_etags(None) is None
    assert parse_etags("  ") is None
    tags = parse_etags('"a", W/"b" ,"c,d"')
    assert tags == ["a", "b", "c,d"]
    assert tags is not None
    assert [getattr(t, "is_weak", None) for t in tags] == [False, True, False]
    tag = falcon.ETag.loads('W/"x"')
    assert (tag, tag.is_weak, tag.dumps()) == ("x", True, 'W/"x"')
    assert falcon.ETag("y").dumps() == '"y"'


def test_rarer_request_properties(probe: Probe) -> None:
    def func(r: falcon.Request) -> Any:
        return [
            r.get_header_as_datetime("X-When").year,
            r.get_header_as_datetime("X-None"),
            r.headers_lower["x-when"],
            r.client_accepts_msgpack,
            r.expect,
            r.if_unmodified_since.year,
            r.if_range,
            r.forwarded_prefix,
            r.get_header_as_int("X-None"),
        ]

    got = probe(
        func,
        headers={
            "X-When": "Tue, 15 Nov 1994 08:12:31 GMT",
            "Accept": "application/msgpack",
            "Expect": "100-continue",
            "If-Unmodified-Since": "Tue, 15 Nov 1994 08:12:31 GMT",
            "If-Range": '"x"',
        },
    ).json["value"]
    assert got == [
        1994,
        None,
        "Tue, 15 Nov 1994 08:12:31 GMT",
        True,
        "100-continue",
        1994,
        '"x"',
        "http://falconframework.org",
        None,
    ]
    bad = probe(lambda r: r.get_header_as_datetime("X-When"), headers={"X-When": "later"})
    assert bad.status_code == 400


def test_host_and_port_edge_cases(probe: Probe) -> None:
    def func(r: falcon.Request) -> Any:
        return [r.host, r.port, r.netloc]

    assert probe(func, extras={"HTTP_HOST": "[::1]:8080"}).json["value"] == [
        "[::1]",
        8080,
        "[::1]:8080",
    ]
    assert probe(func, extras={"HTTP_HOST": "example.com:443"}, protocol="https").json["value"] == [
        "example.com",
        443,
        "example.com",
    ]
    assert probe(func, extras={"HTTP_HOST": "example.com:bad"}).json["value"] == [
        "example.com",
        80,
        "example.com",
    ]
    no_host = probe(func, extras={"HTTP_HOST": "", "SERVER_NAME": "srv", "SERVER_PORT": "81"})
    assert no_host.json["value"] == ["srv", 81, "srv:81"]


def test_result_cookie_attributes() -> None:
    class Res:
        def on_get(self, req: Any, resp: falcon.Response) -> None:
            resp.set_cookie(
                "a",
                "1",
                domain="example.com",
                path="/x",
                expires=__import__("datetime").datetime(2030, 1, 1),
            )
            resp.set_cookie("b", "2")

    app = falcon.App()
    app.add_route("/", Res())
    cookies = testing.simulate_get(app, "/").cookies
    a, b = cookies["a"], cookies["b"]
    assert (a.domain, a.path, a.expires.year if a.expires else None) == ("example.com", "/x", 2030)
    assert (b.domain, b.path, b.expires, b.max_age, b.same_site, b.partitioned) == (
        None,
        None,
        None,
        None,
        None,
        False,
    )
    assert repr(b) == "<Cookie b='2'>"


def test_app_properties() -> None:
    app = falcon.App()
    app.debug = True
    assert app.debug is True
    assert app.router.converters is app.router_options.converters
    assert falcon.API is falcon.App
