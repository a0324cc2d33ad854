"""resources_fw.uri and the small helpers in resources_fw.util."""

from __future__ import annotations

import re

import pytest

import resources_fw as falcon
from resources_fw import uri


def test_encode_and_decode() -> None:
    assert uri.encode("/a b?x=1&y=é") == "/a%20b?x=1&y=%C3%A9"
    assert uri.encode_value("/a b?x") == "%2Fa%20b%3Fx"
    assert uri.encode_check_escaped("/a%20b c") == "/a%20b c"
    assert uri.encode_value_check_escaped("a b") == "a%20b"
    assert uri.encode_value_check_escaped("a%2Fb") == "a%2Fb"
    assert uri.decode("a%20b+c") == "a b c"
    assert uri.decode("a+b", unquote_plus=False) == "a+b"


def test_parse_query_string_and_host() -> None:
    assert uri.parse_query_string("a=1&a=2&b=") == {"a": ["1", "2"]}
    assert uri.parse_query_string("b=&c=x,y", keep_blank=True, csv=True) == {
        "b": "",
        "c": ["x", "y"],
    }
    assert uri.parse_host("[::1]:80") == ("::1", 80)
    assert uri.parse_host("[::1]", default_port=443) == ("::1", 443)
    assert uri.parse_host("a.com") == ("a.com", None)
    assert uri.parse_host("a.com:81") == ("a.com", 81)
    assert uri.parse_host("::1") == ("::1", None)
    for bad in ("[::1", "[::1]x", "a.com:x"):
        with pytest.raises(ValueError, match="host"):
            uri.parse_host(bad)
    assert uri.unquote_string('"a\\"b"') == 'a"b'
    assert uri.unquote_string("plain") == "plain"


def test_util_helpers() -> None:
    assert re.fullmatch(r"\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT", falcon.http_now())
    assert falcon.parse_header("text/html; charset=utf-8") == ("text/html", {"charset": "utf-8"})

    def responder(req: object, resp: object, *, item: int, **rest: object) -> None:
        pass

    assert falcon.get_argnames(responder) == ["req", "resp", "item"]

    class Res:
        on_get = "not callable"

        def on_put(self) -> None:
            pass

    assert falcon.get_bound_method(Res(), "on_post") is None
    assert falcon.get_bound_method(Res(), "on_put") is not None
    with pytest.raises(AttributeError, match="not callable"):
        falcon.get_bound_method(Res(), "on_get")
    assert falcon.MEDIA_PARQUET == "application/vnd.apache.parquet"
