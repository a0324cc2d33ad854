"""Serving a response by PEP 3333's rules (resources_fw.core.wsgi): HEAD and bodiless statuses,
close() always called, unsafe headers refused before anything reaches the server."""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest
from webtest import TestApp
from werkzeug.datastructures import Headers
from wsgi_support import StartResponseRecorder as Started

from resources_fw.core import Kernel, Request, Response, Router, serve
from resources_fw.core.errors import reason_phrase
from resources_fw.core.wsgi import ClosingIterator, HeaderValueError

Environ = dict[str, Any]


class Tracked:
    """An iterable body that records iteration and close()."""

    def __init__(self, chunks: Iterable[bytes | str] = (b"a", b"b", b"c")) -> None:
        self.chunks = list(chunks)
        self.events: list[str] = []

    def __iter__(self) -> Iterator[bytes | str]:
        for chunk in self.chunks:
            self.events.append("chunk")
            yield chunk

    def close(self) -> None:
        self.events.append("close")


def kernel_for(make_response: Callable[[Request], Response]) -> Kernel:
    router = Router()
    router.add("/", make_response, methods=("GET", "POST"))
    return Kernel(router)


# -- HEAD ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_body",
    [
        lambda: b"bytes body",
        lambda: "text body é",
        lambda: None,
        lambda: ["a", b"b"],
        lambda: io.BytesIO(b"file-like"),
    ],
    ids=["bytes", "str", "none", "list", "bytesio"],
)
def test_head_has_the_headers_of_get_and_no_body(
    make_body: Callable[[], Any], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    app = kernel_for(lambda request: Response(make_body(), headers={"X-Extra": "1"}))
    got = wsgi(app, environ(method="GET"))
    head = wsgi(app, environ(method="HEAD"))
    assert head.status == got.status == "200 OK"
    assert head.headers == got.headers
    assert head.body == b""
    assert got.body != b"" or make_body() is None


def test_head_through_webtest(client: Callable[[Any], TestApp]) -> None:
    app = client(kernel_for(lambda request: Response("hello")))
    head = app.head("/")
    assert head.headers["Content-Length"] == "5"
    assert head.body == b""


def test_head_does_not_iterate_but_closes_the_body(
    environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    body = Tracked()
    wsgi(Response(body), environ(method="HEAD"))
    assert body.events == ["close"]


def test_serve_head_argument_overrides_the_environ(environ: Callable[..., Environ]) -> None:
    start = Started()
    assert list(serve(Response(b"abc"), environ(method="GET"), start, head=True)) == []
    assert ("Content-Length", "3") in start.headers
    assert list(serve(Response(b"abc"), environ(method="HEAD"), start, head=False)) == [b"abc"]


# -- bodiless statuses --------------------------------------------------------------------


@pytest.mark.parametrize("status", [204, 304])
def test_no_content_and_not_modified_carry_no_body(
    status: int, environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    body = Tracked()
    response = Response(body, status=status, headers={"Transfer-Encoding": "chunked"})
    response.headers["ETag"] = '"v1"'
    result = wsgi(response, environ(method="GET"))
    assert result.code == status
    assert result.body == b""
    assert body.events == ["close"]
    names = {k.lower() for k, _ in result.headers}
    assert "transfer-encoding" not in names
    assert "content-type" not in names  # no default type for a bodiless answer
    assert result.header("ETag") == '"v1"'


def test_204_has_no_content_length(
    environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    response = Response(b"ignored", status=204, headers={"Content-Length": "7"})
    result = wsgi(response, environ(method="GET"))
    assert result.header("Content-Length") is None
    assert result.body == b""


def test_304_keeps_an_explicit_content_length(environ: Callable[..., Environ]) -> None:
    # A 304's Content-Length describes the representation it validates (RFC 9110 8.6).
    start = Started()
    response = Response(None, status=304, headers={"Content-Length": "1234"})
    assert list(serve(response, environ(method="GET"), start)) == []
    assert ("Content-Length", "1234") in start.headers


@pytest.mark.parametrize("status", [100, 103])
def test_informational_statuses_carry_no_body(status: int, environ: Callable[..., Environ]) -> None:
    start = Started()
    body = Tracked()
    response = Response(body, status=status, headers={"Link": "</a.css>; rel=preload"})
    iterable = serve(response, environ(method="GET"), start)
    assert list(iterable) == []
    close = getattr(iterable, "close", None)
    if close is not None:
        close()  # as the server does
    assert start.status.startswith(str(status))
    assert [k for k, _ in start.headers] == ["Link"]
    assert body.events == ["close"]


@pytest.mark.parametrize(("method", "status"), [("HEAD", 200), ("GET", 204), ("GET", 304)])
def test_bodiless_answers_start_once_even_if_teardown_fails(
    method: str, status: int, environ: Callable[..., Environ], caplog: pytest.LogCaptureFixture
) -> None:
    # PEP 3333: start_response may not be called twice without exc_info (servers raise
    # "headers already set"). A failing teardown must surface where GET's does: at close().
    def handler(request: Request) -> Response:
        response = Response(Tracked(), status=status)
        response.call_on_close(failing_teardown)
        return response

    start = Started()
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        iterable = kernel_for(handler)(environ(method=method), start)
        assert list(iterable) == []
        with pytest.raises(RuntimeError, match="teardown failed"):
            iterable.close()  # type: ignore[attr-defined]
    assert [s for s, _ in start.calls] == [f"{status} {reason_phrase(status)}"]


def failing_teardown() -> None:
    raise RuntimeError("teardown failed")


# -- close() ------------------------------------------------------------------------------


def test_close_is_called_after_full_iteration(
    environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    body = Tracked()
    result = wsgi(Response(body), environ(method="GET"))
    assert result.body == b"abc"
    assert result.header("Content-Length") is None
    assert body.events == ["chunk", "chunk", "chunk", "close"]


def test_close_when_the_client_stops_early(environ: Callable[..., Environ]) -> None:
    body = Tracked()
    calls: list[str] = []
    response = Response(body)
    response.call_on_close(lambda: calls.append("teardown"))
    iterable = serve(response, environ(method="GET"), Started())
    assert next(iter(iterable)) == b"a"
    iterable.close()  # type: ignore[attr-defined]  # the client went away
    assert body.events == ["chunk", "close"]
    assert calls == ["teardown"]


def test_generator_cleanup_runs_when_closed_early(environ: Callable[..., Environ]) -> None:
    cleaned: list[bool] = []

    def stream() -> Iterator[bytes]:
        try:
            yield b"first"
            yield b"second"
        finally:
            cleaned.append(True)

    iterable = serve(Response(stream()), environ(method="GET"), Started())
    assert next(iter(iterable)) == b"first"
    iterable.close()  # type: ignore[attr-defined]
    assert cleaned == [True]


def test_close_after_an_error_mid_stream(environ: Callable[..., Environ]) -> None:
    calls: list[str] = []

    def stream() -> Iterator[bytes]:
        yield b"first"
        raise RuntimeError("disk gone")

    response = Response(stream())
    response.call_on_close(lambda: calls.append("teardown"))
    iterable = serve(response, environ(method="GET"), Started())
    chunks = iter(iterable)
    assert next(chunks) == b"first"
    with pytest.raises(RuntimeError, match="disk gone"):
        next(chunks)
    iterable.close()  # type: ignore[attr-defined]  # the server always closes
    assert calls == ["teardown"]


def test_plain_bodies_need_no_wrapper(environ: Callable[..., Environ]) -> None:
    # Nothing to close: the bytes go out as they are (a tuple), no ClosingIterator.
    iterable = serve(Response(b"abc"), environ(method="GET"), Started())
    assert list(iterable) == [b"abc"]
    assert not isinstance(iterable, ClosingIterator)


def test_closing_iterator_runs_every_callback_despite_a_failure() -> None:
    calls: list[str] = []

    def failing() -> None:
        calls.append("failing")
        raise ValueError("teardown failed")

    it = ClosingIterator(Tracked(), [failing, lambda: calls.append("after")])
    with pytest.raises(ValueError, match="teardown failed"):
        it.close()
    assert calls == ["failing", "after"]
    it.close()  # exactly once: a second close does nothing
    assert calls == ["failing", "after"]


def test_closing_iterator_groups_several_failures() -> None:
    class BadBody(Tracked):
        def close(self) -> None:
            raise OSError("body close failed")

    def failing() -> None:
        raise KeyError("callback failed")

    calls: list[str] = []
    it = ClosingIterator(BadBody(), [failing, lambda: calls.append("ran")])
    with pytest.raises(ExceptionGroup) as info:
        it.close()
    assert [type(e) for e in info.value.exceptions] == [OSError, KeyError]
    assert calls == ["ran"]


def test_closing_iterator_encodes_text() -> None:
    it = ClosingIterator(["é", b"x", bytearray(b"y")], [], charset="latin-1")
    assert list(it) == [b"\xe9", b"x", b"y"]
    assert all(type(chunk) is bytes for chunk in ClosingIterator(["a", bytearray(b"b")], []))


# -- unsafe headers -----------------------------------------------------------------------

BAD_VALUES = ["a\x00b", "a\x7fb", "a\x01b", "a\x1bb", "caf€", "line\u2028sep", "\ud800"]


@pytest.mark.parametrize("value", BAD_VALUES, ids=repr)
def test_unsafe_header_values_are_a_logged_500(
    value: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = Tracked()

    def handler(request: Request) -> Response:
        return Response(body, headers={"X-Value": value})

    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        result = wsgi(kernel_for(handler), environ(method="GET"))
    assert result.code == 500
    assert result.header("X-Value") is None
    assert value.encode("utf-8", "surrogatepass") not in result.body
    assert body.events == ["close"]
    (record,) = caplog.records
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], HeaderValueError)
    assert "X-Value" in str(record.exc_info[1])


@pytest.mark.parametrize("value", ["latin-1 é", "plain", ""])
def test_safe_header_values_pass(
    value: str, environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    result = wsgi(Response("x", headers={"X-Value": value}), environ(method="GET"))
    assert result.header("X-Value") == value


def test_horizontal_tab_is_allowed(environ: Callable[..., Environ]) -> None:
    # RFC 9110 field values may hold HTAB (wsgiref.validate is stricter, hence no validator).
    start = Started()
    serve(Response("x", headers={"X-Value": "a\tb"}), environ(method="GET"), start)
    assert ("X-Value", "a\tb") in start.headers


@pytest.mark.parametrize("value", ["1\r\nSet-Cookie: evil=1", "1\nevil: 1", "1\revil: 1"], ids=repr)
def test_crlf_in_a_header_value_never_reaches_the_server(
    value: str, environ: Callable[..., Environ], caplog: pytest.LogCaptureFixture
) -> None:
    # werkzeug refuses CR/LF at set time; serve() checks again for anything that got past it.
    with pytest.raises(ValueError, match="newline"):
        Response("x", headers={"X-A": value})

    body = Tracked()

    def handler(request: Request) -> Response:
        response = Response(body)
        response.headers = Headers()
        response.headers._list.append(("X-A", value))
        return response

    start = Started()
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        sent = b"".join(kernel_for(handler)(environ(method="GET"), start))
    assert [status for status, _ in start.calls] == ["500 Internal Server Error"]
    assert all("evil" not in v and "\n" not in v for _, v in start.headers)
    assert b"evil" not in sent
    assert body.events == ["close"]
    (record,) = caplog.records
    assert isinstance(record.exc_info[1], HeaderValueError)  # type: ignore[index]


@pytest.mark.parametrize("name", ["X-A\r\nSet-Cookie: evil=1", "X:A", "X A", "X\x00A", "Ünïcode"])
def test_unsafe_header_names_never_reach_the_server(
    name: str, environ: Callable[..., Environ], caplog: pytest.LogCaptureFixture
) -> None:
    def handler(request: Request) -> Response:
        response = Response("x")
        response.headers[name] = "v"
        return response

    start = Started()
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        b"".join(kernel_for(handler)(environ(method="GET"), start))
    assert [status for status, _ in start.calls] == ["500 Internal Server Error"]
    assert all(k != name for k, _ in start.headers)


def test_call_on_close_runs_when_a_header_is_refused(
    environ: Callable[..., Environ], wsgi: Callable[..., Any], caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[str] = []

    def handler(request: Request) -> Response:
        response = Response(b"x", headers={"X-Value": "bad\x00"})
        response.call_on_close(lambda: calls.append("teardown"))
        return response

    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        assert wsgi(kernel_for(handler), environ(method="GET")).code == 500
    assert calls == ["teardown"]


def test_serve_raises_header_value_error_and_closes_the_body(
    environ: Callable[..., Environ],
) -> None:
    body = Tracked()
    start = Started()
    with pytest.raises(HeaderValueError, match="X-Value"):
        serve(Response(body, headers={"X-Value": "\x00"}), environ(method="GET"), start)
    assert start.calls == []
    assert body.events == ["close"]
