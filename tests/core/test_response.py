"""The lean response (resources_fw.core.response): bodies, status, headers, cookies."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any
from wsgiref.util import FileWrapper

import pytest
from webtest import TestApp

from resources_fw.core import Response
from resources_fw.core.response import parse_status

Environ = dict[str, Any]


class Tracked:
    """An iterable body that records how it was used."""

    def __init__(self, chunks: list[bytes | str]) -> None:
        self.chunks = chunks
        self.events: list[str] = []

    def __iter__(self) -> Iterator[bytes | str]:
        for chunk in self.chunks:
            self.events.append("chunk")
            yield chunk

    def close(self) -> None:
        self.events.append("close")


def get(wsgi: Callable[..., Any], environ: Callable[..., Environ], app: Any, **kw: Any) -> Any:
    return wsgi(app, environ(method=kw.pop("method", "GET"), **kw))


# -- body kinds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "data", "length"),
    [
        (b"bytes", b"bytes", "5"),
        ("héllo", "héllo".encode(), "6"),
        (None, b"", "0"),
        (b"", b"", "0"),
        (["a", b"b", "é"], "abé".encode(), None),
        ((c for c in ["x", "y"]), b"xy", None),
        (io.BytesIO(b"in memory"), b"in memory", None),
    ],
    ids=["bytes", "str", "none", "empty", "list", "generator", "bytesio"],
)
def test_body_kinds(
    body: Any,
    data: bytes,
    length: str | None,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    result = get(wsgi, environ, Response(body))
    assert result.code == 200
    assert result.body == data
    assert result.header("Content-Length") == length
    assert result.header("Content-Type") == "text/plain; charset=utf-8"


@pytest.mark.parametrize("make_body", [bytearray, memoryview], ids=["bytearray", "memoryview"])
def test_bytes_like_bodies_are_sent_verbatim(
    make_body: Callable[[bytes], Any], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    # mypy lets a bytearray pass where bytes is expected; it must not be iterated as ints.
    response = Response(make_body(b"abc"))
    assert response.content_length == 3
    result = get(wsgi, environ, response)
    assert result.body == b"abc"
    assert result.header("Content-Length") == "3"
    assert Response(make_body(b"abc")).get_data() == b"abc"


@pytest.mark.parametrize("with_wrapper", [True, False])
def test_file_body(
    with_wrapper: bool, tmp_path: Path, environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    path = tmp_path / "data.bin"
    path.write_bytes(b"0123456789" * 10_000)
    file = path.open("rb")
    file.seek(10)  # the length sent is what remains
    env = environ(method="GET")
    if with_wrapper:
        env["wsgi.file_wrapper"] = FileWrapper
    result = wsgi(Response(file, content_type="application/octet-stream"), env)
    assert result.body == (b"0123456789" * 10_000)[10:]
    assert result.header("Content-Length") == str(100_000 - 10)
    assert result.header("Content-Type") == "application/octet-stream"
    assert file.closed


def test_file_body_uses_the_servers_file_wrapper(
    tmp_path: Path, environ: Callable[..., Environ]
) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"abc")
    used: list[Any] = []

    def wrapper(file: Any, block: int) -> FileWrapper:
        used.append((file, block))
        return FileWrapper(file, block)

    env = environ(method="GET")
    env["wsgi.file_wrapper"] = wrapper
    with path.open("rb") as file:
        iterable = Response(file)(env, lambda status, headers, exc_info=None: lambda d: None)
        assert list(iterable) == [b"abc"]
        iterable.close()  # type: ignore[attr-defined]
        assert used == [(file, 64 * 1024)]


def test_iterable_body_is_streamed_not_buffered(environ: Callable[..., Environ]) -> None:
    body = Tracked([b"a", b"b"])
    iterable = Response(body)(environ(method="GET"), lambda *a: lambda d: None)
    assert body.events == []
    it = iter(iterable)
    assert next(it) == b"a"
    assert body.events == ["chunk"]
    assert list(it) == [b"b"]
    iterable.close()  # type: ignore[attr-defined]
    assert body.events == ["chunk", "chunk", "close"]


# -- headers ------------------------------------------------------------------------------


def test_explicit_content_type_and_length_are_kept(
    environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    response = Response(
        (c for c in [b"ab", b"c"]), headers={"Content-Length": "3"}, content_type="text/csv"
    )
    result = get(wsgi, environ, response)
    assert result.header("Content-Length") == "3"
    assert result.header("Content-Type") == "text/csv"
    assert [k for k, _ in result.headers].count("Content-Type") == 1


@pytest.mark.parametrize(
    ("mimetype", "expected"),
    [
        ("text/html", "text/html; charset=utf-8"),
        ("application/json", "application/json"),
        ("text/plain; charset=latin-1", "text/plain; charset=latin-1"),
    ],
)
def test_default_mimetype_per_subclass(
    mimetype: str,
    expected: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    class Custom(Response):
        default_mimetype = mimetype

    assert Custom.default_content_type == expected
    assert get(wsgi, environ, Custom("x")).header("Content-Type") == expected


def test_content_type_mimetype_location_accessors() -> None:
    response = Response()
    assert response.content_type is None
    assert response.mimetype is None
    response.mimetype = "text/html"
    assert response.content_type == "text/html; charset=utf-8"
    response.mimetype = "image/png"  # type: ignore[unreachable]  # mypy narrowed to None
    assert response.content_type == "image/png"
    response.content_type = "Application/JSON; charset=utf-8"
    assert response.mimetype == "application/json"
    response.content_type = None
    assert "Content-Type" not in response.headers
    response.location = "/next"
    assert response.headers["Location"] == "/next"
    assert response.location == "/next"
    response.location = None
    assert response.location is None


def test_headers_in_every_accepted_form() -> None:
    assert Response(headers={"X-A": "1"}).headers["X-A"] == "1"
    assert Response(headers=[("X-A", "1"), ("X-A", "2")]).headers.getlist("X-A") == ["1", "2"]
    assert Response(content_type="text/csv").headers["Content-Type"] == "text/csv"


@pytest.mark.parametrize(
    ("body", "length"),
    [(None, 0), (b"abc", 3), ("é", 2), (["a"], None), (io.BytesIO(b"x"), None)],
)
def test_content_length_property(body: Any, length: int | None) -> None:
    assert Response(body).content_length == length


def test_content_length_property_prefers_the_header() -> None:
    assert Response(b"abc", headers={"Content-Length": "10"}).content_length == 10


# -- status -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "line"),
    [
        (201, 201, "201 Created"),
        (HTTPStatus.CREATED, 201, "201 Created"),
        ("201", 201, "201 Created"),
        ("201 Created", 201, "201 Created"),
        ("299 Custom Thing", 299, "299 Custom Thing"),
        (" 404  Gone Fishing ", 404, "404 Gone Fishing"),
        (599, 599, "599 Unknown"),
    ],
)
def test_status_forms(status: Any, code: int, line: str) -> None:
    response = Response(status=status)
    assert response.status_code == code
    assert response.status == line
    other = Response()
    other.status = status
    assert other.status == line
    assert repr(response) == f"<Response [{line}]>"


@pytest.mark.parametrize(
    "status", ["abc", "20", "2000 X", "", "20a OK", "\uff12\uff10\uff10 OK", "+20 X"]
)
def test_bad_status_strings_raise_value_error(status: str) -> None:
    with pytest.raises(ValueError, match="not an HTTP status"):
        Response(status=status)
    with pytest.raises(ValueError, match="not an HTTP status"):
        parse_status(status)
    response = Response()
    with pytest.raises(ValueError, match="not an HTTP status"):
        response.status = status


@pytest.mark.parametrize("status", [0, 99, 1000, -200, "099 Low", HTTPStatus(200) * 10])
def test_out_of_range_status_codes_raise_value_error(status: Any) -> None:
    # A status line outside 100..999 is not HTTP; wsgiref.validate and servers reject it.
    with pytest.raises(ValueError, match="not an HTTP status"):
        Response(status=status)
    response = Response()
    with pytest.raises(ValueError, match="not an HTTP status"):
        response.status = status


@pytest.mark.parametrize("status", ["200 OK\r\nX-Injected: 1", "200 A\x00B", "404 \x7f"])
def test_reason_phrase_with_control_characters_is_refused(status: str) -> None:
    with pytest.raises(ValueError, match="control character"):
        Response(status=status)


# -- cookies ------------------------------------------------------------------------------


def test_set_cookie_attributes() -> None:
    response = Response()
    response.set_cookie(
        "sid",
        "abc",
        max_age=timedelta(hours=1),
        path="/app",
        domain="example.com",
        secure=True,
        httponly=True,
        samesite="Lax",
        partitioned=True,
    )
    (header,) = response.headers.getlist("Set-Cookie")
    parts = header.split("; ")
    assert parts[0] == "sid=abc"
    assert {
        "Domain=example.com",
        "Max-Age=3600",
        "Secure",
        "HttpOnly",
        "Path=/app",
        "SameSite=Lax",
        "Partitioned",
    } <= set(parts)
    assert any(p.startswith("Expires=") for p in parts)


def test_set_cookie_defaults_and_expires() -> None:
    response = Response()
    response.set_cookie("a", "1")
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    response.set_cookie("b", "2", expires=when, path=None)
    first, second = response.headers.getlist("Set-Cookie")
    assert first == "a=1; Path=/"
    assert second == "b=2; Expires=Wed, 02 Jan 2030 03:04:05 GMT"


def test_several_cookies_reach_the_client(client: Callable[[Any], TestApp]) -> None:
    response = Response("ok")
    response.set_cookie("a", "1")
    response.set_cookie("b", "2", httponly=True)
    app = client(response)
    result = app.get("/")
    assert result.headers.getall("Set-Cookie") == ["a=1; Path=/", "b=2; HttpOnly; Path=/"]
    assert app.cookies == {"a": "1", "b": "2"}


def test_cookie_values_are_quoted_not_injected() -> None:
    response = Response()
    response.set_cookie("a", 'x; Secure\r\nSet-Cookie: evil=1"')
    (header,) = response.headers.getlist("Set-Cookie")
    assert "\r" not in header
    assert "\n" not in header
    assert header.startswith('a="x\\073 Secure')
    assert "; Secure" not in header


def test_cookie_path_is_quoted() -> None:
    response = Response()
    response.set_cookie("a", "1", path="/;x")
    assert response.headers["Set-Cookie"] == "a=1; Path=/%3Bx"


def test_bad_samesite_is_refused() -> None:
    with pytest.raises(ValueError, match="SameSite"):
        Response().set_cookie("a", "1", samesite="Sometimes")


@pytest.mark.parametrize("domain", ["a;b", "example.com; Secure", "ex ample.com", "a,b"])
def test_cookie_domain_cannot_inject_attributes(domain: str) -> None:
    response = Response()
    with pytest.raises(ValueError, match="domain"):
        response.set_cookie("a", "1", domain=domain)
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("key", ["a;b", "a=b", "a b", "a,b", "a\tb", ""])
def test_cookie_name_cannot_inject_attributes(key: str) -> None:
    response = Response()
    with pytest.raises(ValueError, match="cookie"):
        response.set_cookie(key, "1")
    assert "Set-Cookie" not in response.headers


def test_delete_cookie() -> None:
    response = Response()
    response.delete_cookie("sid", path="/app", domain="example.com", secure=True, samesite="Lax")
    header = response.headers["Set-Cookie"]
    parts = header.split("; ")
    assert parts[0] == "sid="
    assert {
        "Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        "Max-Age=0",
        "Path=/app",
        "Domain=example.com",
        "Secure",
        "SameSite=Lax",
    } <= set(parts)


# -- data ---------------------------------------------------------------------------------


def test_get_data_forms() -> None:
    assert Response("é").get_data() == "é".encode()
    assert Response(b"x").get_data(as_text=True) == "x"
    assert Response().get_data() == b""
    assert Response(io.BytesIO(b"file")).data == b"file"


def test_get_data_consumes_and_closes_an_iterable_once() -> None:
    body = Tracked(["a", b"b"])
    response = Response(body)
    assert response.get_data() == b"ab"
    assert body.events == ["chunk", "chunk", "close"]
    # The body is now bytes: reading again neither re-iterates nor closes again.
    assert response.data == b"ab"
    assert response.body == b"ab"
    assert body.events == ["chunk", "chunk", "close"]


def test_set_data_drops_a_stale_content_length(
    environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    response = Response(b"abc", headers={"Content-Length": "3"})
    response.set_data("longer é")
    assert "Content-Length" not in response.headers
    result = get(wsgi, environ, response)
    assert result.header("Content-Length") == str(len("longer é".encode()))
    response.data = b"z"
    assert response.get_data() == b"z"
    assert response.content_length == 1


# -- call_on_close ------------------------------------------------------------------------


def test_call_on_close_runs_once_after_the_last_byte(environ: Callable[..., Environ]) -> None:
    body = Tracked([b"a", b"b"])
    response = Response(body)
    events = body.events
    returned = response.call_on_close(lambda: events.append("callback"))
    assert callable(returned)
    iterable = response(environ(method="GET"), lambda *a: lambda d: None)
    assert list(iterable) == [b"a", b"b"]
    assert events == ["chunk", "chunk"]
    iterable.close()  # type: ignore[attr-defined]
    iterable.close()  # type: ignore[attr-defined]
    assert events == ["chunk", "chunk", "close", "callback"]


@pytest.mark.parametrize("body", [b"bytes", "text", None])
def test_call_on_close_runs_for_plain_bodies(
    body: Any, environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    calls: list[int] = []
    response = Response(body)
    response.call_on_close(lambda: calls.append(1))
    get(wsgi, environ, response)
    assert calls == [1]


@pytest.mark.parametrize("body", [b"bytes", ["a", "b"], None])
def test_call_on_close_runs_for_head(
    body: Any, environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    calls: list[int] = []
    response = Response(body)
    response.call_on_close(lambda: calls.append(1))
    result = get(wsgi, environ, response, method="HEAD")
    assert result.body == b""
    assert calls == [1]


# -- a response is a WSGI application -----------------------------------------------------


def test_response_is_a_wsgi_app(client: Callable[[Any], TestApp]) -> None:
    response = Response(
        "<p>hi</p>", status=202, headers={"X-Test": "yes"}, content_type="text/html"
    )
    result = client(response).get("/anything", status=202)
    assert result.status == "202 Accepted"
    assert result.text == "<p>hi</p>"
    assert result.headers["X-Test"] == "yes"
    assert result.headers["Content-Type"] == "text/html"
    assert result.headers["Content-Length"] == "9"
