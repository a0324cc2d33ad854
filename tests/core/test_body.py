"""The request-body policy (resources_fw.core.body): never read past Content-Length, never a
silent truncation, a clear 4xx for every malformed framing."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest

from resources_fw.core import (
    BadRequest,
    ContentTooLarge,
    Kernel,
    LengthRequired,
    Limits,
    Request,
    Response,
    Router,
)
from resources_fw.core.body import content_length, open_body

Environ = dict[str, Any]
Accessor = Callable[[Request], Any]

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=BOUNDARY"


def read_loop(request: Request) -> int:
    total = 0
    while chunk := request.stream.read(7):
        total += len(chunk)
    return total


def readline_loop(request: Request) -> int:
    total = 0
    while line := request.stream.readline():
        total += len(line)
    return total


def iterate(request: Request) -> int:
    return sum(len(line) for line in request.stream)


ACCESSORS: dict[str, Accessor] = {
    "get_data": lambda r: len(r.get_data()),
    "data": lambda r: len(r.data),
    "get_json": lambda r: r.get_json(),
    "json": lambda r: r.json,
    "form": lambda r: r.form.to_dict(),
    "files": lambda r: r.files.to_dict(),
    "values": lambda r: r.values.to_dict(),
    "get_media": lambda r: r.get_media(),
    "stream.read loop": read_loop,
    "stream.readline loop": readline_loop,
    "stream iteration": iterate,
}

# Which content type each accessor needs to actually read the body.
CONTENT_TYPES = {"get_json": JSON, "json": JSON, "form": FORM, "values": FORM, "files": MULTIPART}


def body_of_size(size: int, content_type: str) -> bytes:
    """A well-formed body of exactly ``size`` bytes for ``content_type``."""
    if content_type == JSON:
        return b"[" + b" " * (size - 3) + b"1]"
    if content_type == FORM:
        return b"a=" + b"x" * (size - 2)
    if content_type == MULTIPART:
        head = b'--BOUNDARY\r\nContent-Disposition: form-data; name="f"; filename="f.txt"\r\n\r\n'
        tail = b"\r\n--BOUNDARY--\r\n"
        return head + b"x" * (size - len(head) - len(tail)) + tail
    return b"x" * size


@pytest.fixture
def app_for(uploads: Any) -> Callable[..., Kernel]:
    """``app_for(accessor, limits)``: a POST / app answering ``repr(accessor(request))``."""

    def make(accessor: Accessor, limits: Limits | None = None) -> Kernel:
        def handler(request: Request) -> Response:
            return Response(repr(accessor(request)))

        router = Router()
        router.add("/", handler, methods=("POST",))
        return Kernel(router, limits=limits or Limits(), request_class=uploads.request_class)

    return make


# -- Content-Length parsing ---------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["-1", "abc", "1e3", "\uff11\uff12", "12, 12", "0x10", "+5", "1.0", "٣"]
)
def test_garbage_content_length_is_400(
    app_for: Callable[..., Kernel],
    raw: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    # wsgiref.validate refuses such an environ itself, so only the response side is checked.
    result = wsgi(
        app_for(ACCESSORS["get_data"]),
        environ(body=b"12345678901234", content_length=raw),
        validate=False,
    )
    assert result.code == 400
    assert "Content-Length" in result.json()["description"]


@pytest.mark.parametrize("raw", ["-1", "abc", "1e3", "\uff11\uff12", "12, 12"])
def test_content_length_parser_rejects(raw: str) -> None:
    with pytest.raises(BadRequest):
        content_length({"CONTENT_LENGTH": raw})


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, None), ("", None), ("0", 0), ("12", 12), (" 12\t", 12)]
)
def test_content_length_parser_accepts(raw: str | None, expected: int | None) -> None:
    env = {} if raw is None else {"CONTENT_LENGTH": raw}
    assert content_length(env) == expected


def test_garbage_content_length_is_harmless_when_the_body_is_not_read(
    app_for: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    # The request is lazy: a handler that ignores the body never sees the framing error.
    result = wsgi(app_for(lambda r: r.path), environ(content_length="abc"), validate=False)
    assert result.code == 200


# -- over the limit -----------------------------------------------------------------------


@pytest.mark.parametrize("declared", [1001, 2000, 10**12])
@pytest.mark.parametrize("accessor", ["get_data", "get_json", "form", "files", "get_media"])
def test_declared_length_over_the_limit_is_413_without_reading(
    app_for: Callable[..., Kernel],
    declared: int,
    accessor: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
    exploding_input: io.RawIOBase,
) -> None:
    env = environ(
        content_type=CONTENT_TYPES.get(accessor, JSON),
        content_length=str(declared),
        stream=exploding_input,
    )
    result = wsgi(app_for(ACCESSORS[accessor], Limits(max_content_length=1000)), env)
    assert result.code == 413
    assert "1000" in result.json()["description"]


def test_open_body_refuses_before_touching_the_stream(exploding_input: io.RawIOBase) -> None:
    env = {"CONTENT_LENGTH": "2000", "wsgi.input": exploding_input}
    with pytest.raises(ContentTooLarge):
        open_body(env, 1000)


@pytest.mark.parametrize("accessor", sorted(ACCESSORS))
def test_declared_length_at_the_limit_is_read_whole(
    app_for: Callable[..., Kernel],
    accessor: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    content_type = CONTENT_TYPES.get(accessor, JSON)
    body = body_of_size(1000, content_type)
    result = wsgi(
        app_for(ACCESSORS[accessor], Limits(max_content_length=1000)),
        environ(body=body, content_type=content_type),
    )
    assert result.code == 200, result.body


# -- short bodies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accessor", ["get_data", "get_json", "form", "stream.read loop", "stream.readline loop"]
)
def test_body_shorter_than_content_length_is_400(
    app_for: Callable[..., Kernel],
    accessor: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    env = environ(body=b"a=1", content_type=CONTENT_TYPES.get(accessor, JSON), content_length="10")
    result = wsgi(app_for(ACCESSORS[accessor]), env)
    assert result.code == 400
    assert "shorter" in result.json()["description"]


def test_read_never_goes_past_content_length(
    app_for: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    # The server's stream holds more than declared (e.g. a pipelined next request).
    stream = io.BytesIO(b"hello, and the next request")
    result = wsgi(app_for(lambda r: r.get_data()), environ(stream=stream, content_length="5"))
    assert result.body == b"b'hello'"
    assert stream.read() == b", and the next request"


def test_large_read_size_on_a_short_remainder_does_not_block(
    app_for: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    def read_big(request: Request) -> bytes:
        first = request.stream.read(2)
        return first + request.stream.read(10**6)

    result = wsgi(app_for(read_big), environ(body=b"abcdef"))
    assert result.body == b"b'abcdef'"


# -- chunked / terminated bodies ----------------------------------------------------------


@pytest.mark.parametrize("accessor", ["get_data", "get_json", "form", "stream.read loop"])
def test_chunked_without_input_terminated_is_411(
    app_for: Callable[..., Kernel],
    accessor: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    env = environ(
        body=b"a=1",
        content_type=CONTENT_TYPES.get(accessor, JSON),
        content_length=None,
        headers={"Transfer-Encoding": "chunked"},
    )
    result = wsgi(app_for(ACCESSORS[accessor]), env)
    assert result.code == 411
    assert "chunked" in result.json()["description"]


def test_open_body_chunked_raises_length_required() -> None:
    env = {"wsgi.input": io.BytesIO(b"x"), "HTTP_TRANSFER_ENCODING": "gzip, Chunked"}
    with pytest.raises(LengthRequired):
        open_body(env, None)


@pytest.mark.parametrize("size", [1001, 5000, 200_000])
@pytest.mark.parametrize("accessor", sorted(ACCESSORS))
def test_terminated_body_over_the_limit_is_413_from_every_accessor(
    app_for: Callable[..., Kernel],
    size: int,
    accessor: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    content_type = CONTENT_TYPES.get(accessor, JSON)
    env = environ(
        body=body_of_size(size, content_type),
        content_type=content_type,
        content_length=None,
        terminated=True,
    )
    result = wsgi(app_for(ACCESSORS[accessor], Limits(max_content_length=1000)), env)
    # Never a silently truncated 200.
    assert result.code == 413, result.body
    assert "1000" in result.json()["description"]


@pytest.mark.parametrize("accessor", sorted(ACCESSORS))
def test_terminated_body_at_the_limit_is_read_whole(
    app_for: Callable[..., Kernel],
    accessor: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    content_type = CONTENT_TYPES.get(accessor, JSON)
    env = environ(
        body=body_of_size(1000, content_type),
        content_type=content_type,
        content_length=None,
        terminated=True,
    )
    result = wsgi(app_for(ACCESSORS[accessor], Limits(max_content_length=1000)), env)
    assert result.code == 200, result.body


def test_terminated_body_at_the_limit_keeps_every_byte(
    app_for: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    body = bytes(range(256)) * 4
    env = environ(body=body[:1000], content_length=None, terminated=True)
    result = wsgi(app_for(lambda r: r.get_data(), Limits(max_content_length=1000)), env)
    assert result.body == repr(body[:1000]).encode()


@pytest.mark.parametrize("accessor", ["get_data", "get_json", "form", "stream.read loop"])
def test_terminated_body_without_a_limit_is_read_whole(
    app_for: Callable[..., Kernel],
    accessor: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    # Under wsgiref.validate, whose wsgi.input only allows read(size) (PEP 3333's portable
    # subset): the core must not call read() without a size on the server's stream.
    content_type = CONTENT_TYPES.get(accessor, JSON)
    env = environ(
        body=body_of_size(5000, content_type),
        content_type=content_type,
        content_length=None,
        terminated=True,
    )
    result = wsgi(app_for(ACCESSORS[accessor]), env)
    assert result.code == 200, result.body


def test_no_length_and_not_terminated_is_an_empty_body(
    app_for: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    # The server did not frame the body for us: it is documented as empty, never read.
    stream = io.BytesIO(b"unframed")
    result = wsgi(app_for(lambda r: r.get_data()), environ(stream=stream, content_length=None))
    assert result.code == 200
    assert result.body == b"b''"
    assert stream.read() == b"unframed"


@pytest.mark.parametrize("content_length", [None, "0"])
def test_empty_body_is_not_read(
    app_for: Callable[..., Kernel],
    content_length: str | None,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
    exploding_input: io.RawIOBase,
) -> None:
    env = environ(content_length=content_length, stream=exploding_input)
    result = wsgi(app_for(lambda r: r.get_data()), env)
    assert result.body == b"b''"


def test_exactly_content_length_bytes_are_read(
    app_for: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    body = b"x" * 70_000  # past werkzeug's 64 KiB read block
    result = wsgi(app_for(lambda r: len(r.get_data())), environ(body=body))
    assert result.body == b"70000"


def test_worker_keeps_serving_after_body_errors(
    app_for: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    app = app_for(ACCESSORS["get_data"], Limits(max_content_length=10))
    assert wsgi(app, environ(body=b"x" * 50, content_length=None, terminated=True)).code == 413
    assert wsgi(app, environ(body=b"a", content_length="5")).code == 400
    assert wsgi(app, environ(body=b"12345")).body == b"5"
