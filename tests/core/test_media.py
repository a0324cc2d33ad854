"""Body codecs (resources_fw.core.media, request.get_json/form/files/get_media): JSON,
urlencoded and multipart; malformed input is a 4xx with a readable reason, never a 500."""

from __future__ import annotations

import json
from collections.abc import Callable
from tempfile import SpooledTemporaryFile
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage

from resources_fw.core import (
    JSONCodec,
    Kernel,
    Limits,
    MediaDecoders,
    Request,
    Response,
    Router,
    UnsupportedMediaType,
)
from resources_fw.core.media import is_json

Environ = dict[str, Any]
Handler = Callable[[Request], Response]

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=BOUNDARY"


def multipart(*parts: tuple[str, bytes, str | None], end: bool = True) -> bytes:
    """A multipart body with boundary ``BOUNDARY``; parts are (name, value, filename)."""
    out = b""
    for name, value, filename in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += f"--BOUNDARY\r\nContent-Disposition: {disposition}\r\n".encode()
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + value + b"\r\n"
    if end:
        out += b"--BOUNDARY--\r\n"
    return out


def echo_json(request: Request) -> Response:
    return Response(json.dumps(request.get_json()), content_type=JSON)


def echo_media(request: Request) -> Response:
    media = request.get_media()
    if isinstance(media, tuple):
        form, files = media
        media = {
            "form": form.to_dict(flat=False),
            "files": {k: [f.filename, f.read().decode("latin-1")] for k, f in files.items()},
        }
    elif hasattr(media, "to_dict"):
        media = media.to_dict(flat=False)
    return Response(json.dumps(media), content_type=JSON)


@pytest.fixture
def make_app(uploads: Any) -> Callable[..., Kernel]:
    """``make_app(handler, **kernel_options)``: ``handler`` on ``POST /`` (and GET)."""

    def make(handler: Handler = echo_media, **options: Any) -> Kernel:
        router = Router()
        router.add("/", handler, methods=("GET", "POST"))
        options.setdefault("request_class", uploads.request_class)
        return Kernel(router, **options)

    return make


def post(
    wsgi: Callable[..., Any],
    environ: Callable[..., Environ],
    app: Kernel,
    body: bytes,
    content_type: str | None = JSON,
    **headers: str,
) -> Any:
    return wsgi(app, environ(body=body, content_type=content_type, headers=headers))


# -- JSON ---------------------------------------------------------------------------------

MALFORMED_JSON = [
    b"{",
    b"[1,",
    b'{"a":}',
    b'{"a": 1} trailing',
    b"[1] [2]",
    b"{'a': 1}",
    b" " * 1_000_000,
    b'"\xff"',
    b"\xff\xfe\xfd",
    b'{"a": "\xc3"}',
]


@pytest.mark.parametrize("body", MALFORMED_JSON, ids=lambda b: repr(b[:12]))
@pytest.mark.parametrize("accessor", ["get_json", "get_media"])
def test_malformed_json_is_400(
    body: bytes,
    accessor: str,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    handler = echo_json if accessor == "get_json" else echo_media
    result = post(wsgi, environ, make_app(handler), body)
    assert result.code == 400
    assert result.json() == {
        "title": "400 Bad Request",
        "description": "The request body is not valid JSON.",
    }


@pytest.mark.parametrize("body", [b"NaN", b"[Infinity]", b'{"a": -Infinity}'])
def test_non_standard_json_constants_are_400(
    body: bytes,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    # RFC 8259 has no NaN/Infinity; the stdlib accepts them unless told not to.
    assert post(wsgi, environ, make_app(echo_json), body).code == 400


@pytest.mark.parametrize("body", [b'"\\ud800"', b'["\\udfff x"]', b'"\xed\xa0\x80"'])
def test_lone_surrogates_are_400(
    body: bytes,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    assert post(wsgi, environ, make_app(echo_json), body).code == 400


def test_paired_surrogate_escape_is_fine(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    result = post(wsgi, environ, make_app(echo_json), b'"\\ud83d\\ude00"')
    assert result.code == 200
    assert result.json() == "\U0001f600"


def test_utf8_bom_is_accepted(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    # Policy (the stdlib's, applied to every JSON body): a UTF-8 BOM is ignored, as RFC 8259
    # allows parsers to do.
    result = post(wsgi, environ, make_app(echo_json), b'\xef\xbb\xbf{"a": "\xc3\xa9"}')
    assert result.code == 200
    assert result.json() == {"a": "é"}


@pytest.mark.parametrize(
    "body",
    ['{"a": 1}'.encode("utf-16"), '{"a": 1}'.encode("utf-16-le"), '"x"'.encode("utf-32")],
    ids=["utf-16-bom", "utf-16-le", "utf-32"],
)
def test_json_must_be_utf8(
    body: bytes,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    # Policy: UTF-8 only (RFC 8259 8.1); only a UTF-8 BOM is tolerated.
    assert post(wsgi, environ, make_app(echo_json), body).code == 400


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 100_000,
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 1000 + b"1" + b"}" * 1000,
        b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    ],
    ids=["open-arrays-1e5", "arrays-1e5", "objects-1000", "objects-1e5"],
)
def test_deep_nesting_is_400_and_the_worker_survives(
    body: bytes,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    app = make_app(echo_json)
    result = post(wsgi, environ, app, body)
    assert result.code == 400
    assert b"Recursion" not in result.body
    assert b"Traceback" not in result.body
    assert post(wsgi, environ, app, b'{"a": [1]}').json() == {"a": [1]}


def test_moderate_nesting_is_fine(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    body = b"[" * 50 + b"1" + b"]" * 50
    assert post(wsgi, environ, make_app(echo_json), body).code == 200


@pytest.mark.parametrize("accessor", ["get_json", "get_media"])
def test_empty_json_body_is_400_saying_empty(
    accessor: str,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    handler = echo_json if accessor == "get_json" else echo_media
    result = post(wsgi, environ, make_app(handler), b"")
    assert result.code == 400
    assert "empty" in result.json()["description"]


@pytest.mark.parametrize("content_type", ["text/plain", None, "application/jsonx", "json"])
def test_get_json_with_a_non_json_content_type_is_415(
    content_type: str | None,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    result = post(wsgi, environ, make_app(echo_json), b'{"a": 1}', content_type)
    assert result.code == 415
    assert "application/json" in result.json()["description"]


@pytest.mark.parametrize(
    "content_type",
    [
        "application/json",
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/vnd.api+json",
        "application/problem+json; charset=utf-8",
    ],
)
@pytest.mark.parametrize("accessor", ["get_json", "get_media"])
def test_json_content_types_are_accepted(
    content_type: str,
    accessor: str,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    handler = echo_json if accessor == "get_json" else echo_media
    result = post(wsgi, environ, make_app(handler), b'{"a": [1, 2]}', content_type)
    assert result.code == 200
    assert result.json() == {"a": [1, 2]}


def test_get_json_force_reads_any_content_type(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    def handler(request: Request) -> Response:
        return Response(json.dumps(request.get_json(force=True)), content_type=JSON)

    result = post(wsgi, environ, make_app(handler), b"[1]", "text/plain")
    assert result.json() == [1]


@pytest.mark.parametrize(
    ("body", "content_type"), [(b"{", JSON), (b"", JSON), (b"[1]", "text/plain")]
)
def test_get_json_silent_returns_none(
    body: bytes,
    content_type: str,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    def handler(request: Request) -> Response:
        return Response(repr(request.get_json(silent=True)))

    assert post(wsgi, environ, make_app(handler), body, content_type).body == b"None"


def test_is_json() -> None:
    assert is_json("application/json")
    assert is_json("application/geo+json")
    assert not is_json("text/json+x")
    assert not is_json("application/jsonp")


def test_parser_detail_only_in_debug_mode(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    prod = post(wsgi, environ, make_app(echo_json), b'{"a":}')
    assert "detail" not in prod.json()
    assert b"Expecting value" not in prod.body

    debug = post(wsgi, environ, make_app(echo_json, debug=True), b'{"a":}')
    assert debug.code == 400
    assert "Expecting value" in debug.json()["detail"]

    html = post(wsgi, environ, make_app(echo_json, debug=True), b'{"a":}', Accept="text/html")
    assert b"<pre>Expecting value" in html.body


class CodecError(Exception):
    """What a third-party JSON library might raise (not a ValueError)."""


def strict_loads(data: str | bytes) -> Any:
    if data == b"boom":
        raise CodecError("custom codec refused it")
    return {"decoded_by": "custom", "value": json.loads(data)}


class CustomJSONRequest(Request):
    json_module = JSONCodec(loads=strict_loads)


def test_pluggable_codec_is_used_and_its_errors_are_400(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    app = make_app(echo_json, request_class=CustomJSONRequest, debug=True)
    ok = post(wsgi, environ, app, b"[1]")
    assert ok.json() == {"decoded_by": "custom", "value": [1]}
    bad = post(wsgi, environ, app, b"boom")
    assert bad.code == 400
    assert bad.json()["detail"] == "custom codec refused it"


def test_codec_turns_errors_into_value_errors() -> None:
    def deep(data: str | bytes) -> Any:
        raise RecursionError("maximum recursion depth exceeded")

    with pytest.raises(ValueError, match="too deeply"):
        JSONCodec(loads=deep).loads(b"[]")
    with pytest.raises(ValueError, match="custom codec") as info:
        JSONCodec(loads=strict_loads).loads(b"boom")
    assert isinstance(info.value.__cause__, CodecError)


def test_codec_dumps_and_encode_accept_bytes_or_text_dumpers() -> None:
    as_bytes = JSONCodec(dumps=lambda obj: json.dumps(obj).encode())
    assert as_bytes.dumps({"a": 1}) == '{"a": 1}'
    assert as_bytes.encode({"a": 1}) == b'{"a": 1}'
    default = JSONCodec()
    assert default.dumps({"é": 1}) == '{"é": 1}'
    assert default.encode({"é": 1}) == '{"é": 1}'.encode()
    assert default.loads('{"a": [1]}') == {"a": [1]}


# -- urlencoded forms ---------------------------------------------------------------------


def test_urlencoded_form(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    result = post(wsgi, environ, make_app(), b"a=1&a=2&b=%C3%A9+x&c=", FORM)
    assert result.json() == {"a": ["1", "2"], "b": ["é x"], "c": [""]}


@pytest.mark.parametrize("body", [b"a=%FF", b"a=%C0%AF", b"a=%zz&b=%", b"a=\x80", b"=&&=="])
def test_odd_urlencoded_bytes_never_500(
    body: bytes,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    # Policy: bad percent-escapes are kept verbatim; raw non-UTF-8 bytes are a 400.
    result = post(wsgi, environ, make_app(), body, FORM)
    assert result.code in (200, 400)
    if body == b"a=%FF":
        assert result.json() == {"a": ["%FF"]}
    if body == b"a=\x80":
        assert result.code == 400


def test_urlencoded_body_over_the_form_memory_limit_is_413(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    app = make_app(limits=Limits(max_form_memory_size=1000))
    assert post(wsgi, environ, app, b"a=" + b"x" * 998, FORM).code == 200
    assert post(wsgi, environ, app, b"a=" + b"x" * 999, FORM).code == 413


# -- multipart ----------------------------------------------------------------------------


def test_multipart_fields_and_files(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    body = multipart(("name", "Zoë".encode(), None), ("doc", b"file body", "notes.txt"))
    result = post(wsgi, environ, make_app(), body, MULTIPART)
    assert result.json() == {
        "form": {"name": ["Zoë"]},
        "files": {"doc": ["notes.txt", "file body"]},
    }


def stash_files(seen: list[FileStorage]) -> Handler:
    def handler(request: Request) -> Response:
        seen.extend(request.files.values())
        return Response("ok")

    return handler


@pytest.mark.parametrize(("size", "rolled"), [(999, False), (1000, False), (1001, True)])
def test_upload_spills_to_disk_past_the_spool_threshold(
    size: int,
    rolled: bool,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    seen: list[tuple[Any, Any, bytes]] = []

    def handler(request: Request) -> Response:
        upload = request.files["f"]
        seen.append((upload.stream, getattr(upload.stream, "_rolled", None), upload.read()))
        return Response("ok")

    app = make_app(handler, limits=Limits(spool_threshold=1000))
    content = bytes(range(256)) * 20
    post(wsgi, environ, app, multipart(("f", content[:size], "f.bin")), MULTIPART)
    ((stream, was_rolled, data),) = seen
    assert isinstance(stream, SpooledTemporaryFile)
    assert was_rolled is rolled
    assert data == content[:size]


def test_upload_temp_files_are_closed_after_the_response(
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
    uploads: Any,
) -> None:
    seen: list[FileStorage] = []
    app = make_app(stash_files(seen), limits=Limits(spool_threshold=10))
    post(wsgi, environ, app, multipart(("a", b"x" * 100, "a"), ("b", b"y", "b")), MULTIPART)
    assert len(uploads.files) == 2
    assert all(stream.closed for stream in uploads.files)


@pytest.mark.parametrize(
    "tail",
    [
        multipart(*[("n", b"1", None)] * 5)[len(b"--BOUNDARY--\r\n") :],  # too many parts
        b"--BOUNDARY\r\nContent-Disposition: form-data; name=x\r\n\r\ntruncated",
    ],
    ids=["413-parts", "400-truncated"],
)
def test_upload_temp_files_are_closed_when_parsing_fails_later(
    tail: bytes,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
    uploads: Any,
) -> None:
    # A file part is spooled to disk, then the rest of the body is refused.
    app = make_app(limits=Limits(spool_threshold=10, max_form_parts=3))
    body = multipart(("f", b"x" * 100, "f.bin"), end=False) + tail
    assert post(wsgi, environ, app, body, MULTIPART).code in (400, 413)
    assert len(uploads.files) == 1
    assert all(stream.closed for stream in uploads.files)


def test_max_form_parts(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    app = make_app(limits=Limits(max_form_parts=5))
    at_limit = multipart(*[("a", b"1", None)] * 3, *[("f", b"2", "f")] * 2)
    result = post(wsgi, environ, app, at_limit, MULTIPART)
    assert result.code == 200
    assert result.json()["form"] == {"a": ["1", "1", "1"]}
    over = multipart(*[("a", b"1", None)] * 6)
    assert post(wsgi, environ, app, over, MULTIPART).code == 413


def test_urlencoded_fields_are_not_counted_as_parts(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    app = make_app(limits=Limits(max_form_parts=5))
    assert post(wsgi, environ, app, b"&".join([b"a=1"] * 50), FORM).code == 200


def test_multipart_field_over_the_form_memory_limit_is_413(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    limit = 100_000  # above werkzeug's 64 KiB read block: the field spans several reads
    app = make_app(limits=Limits(max_form_memory_size=limit))
    assert post(wsgi, environ, app, multipart(("a", b"x" * limit, None)), MULTIPART).code == 200
    over = multipart(("a", b"x" * (limit + 1), None))
    assert post(wsgi, environ, app, over, MULTIPART).code == 413


def test_file_parts_are_not_bound_by_the_form_memory_limit(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    app = make_app(limits=Limits(max_form_memory_size=100_000))
    body = multipart(("f", b"x" * 300_000, "big.bin"))
    result = post(wsgi, environ, app, body, MULTIPART)
    assert result.code == 200
    assert len(result.json()["files"]["f"][1]) == 300_000


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (multipart(("a", b"1", None), end=False), MULTIPART),
        (multipart(("a", b"1", None))[:25], MULTIPART),
        (multipart(("a", b"1", None)), "multipart/form-data"),
        (multipart(("a", b"1", None)), "multipart/form-data; boundary=OTHER"),
        (b"\x00\xff not multipart at all", MULTIPART),
        (b"", MULTIPART),
        (b"--BOUNDARY\r\nno-colon-header\r\n\r\nx\r\n--BOUNDARY--\r\n", MULTIPART),
    ],
    ids=[
        "no-epilogue",
        "truncated",
        "no-boundary",
        "wrong-boundary",
        "garbage",
        "empty",
        "bad-hdr",
    ],
)
def test_malformed_multipart_is_400(
    body: bytes,
    content_type: str,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    result = post(wsgi, environ, make_app(), body, content_type)
    assert result.code == 400
    assert result.json()["description"] == "The form body is malformed."


def test_malformed_multipart_detail_in_debug_only(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    body = multipart(("a", b"1", None))
    prod = post(wsgi, environ, make_app(), body, "multipart/form-data")
    debug = post(wsgi, environ, make_app(debug=True), body, "multipart/form-data")
    assert "detail" not in prod.json()
    assert "boundary" in debug.json()["detail"].lower()


# -- get_media ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "shown"),
    [("text/csv", "'text/csv'"), ("application/xml; charset=utf-8", "'application/xml'")],
)
def test_get_media_unknown_type_is_415_naming_it(
    content_type: str,
    shown: str,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
) -> None:
    result = post(wsgi, environ, make_app(), b"a,b", content_type)
    assert result.code == 415
    description = result.json()["description"]
    assert shown in description
    assert "application/json" in description


def test_get_media_without_content_type_is_415(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    result = post(wsgi, environ, make_app(), b"abc", None)
    assert result.code == 415
    assert "no content type" in result.json()["description"]


def test_custom_decoders_per_application(
    make_app: Callable[..., Kernel], environ: Callable[..., Environ], wsgi: Callable[..., Any]
) -> None:
    decoders = MediaDecoders()
    decoders.decoders["text/csv"] = lambda request: request.get_data(as_text=True).split(",")
    app = make_app(decoders=decoders)
    assert post(wsgi, environ, app, b"a,b", "text/csv").json() == ["a", "b"]
    # Another application's decoders are untouched.
    assert post(wsgi, environ, make_app(), b"a,b", "text/csv").code == 415


def test_media_decoders_find() -> None:
    decoders = MediaDecoders()
    assert decoders.find("application/ld+json") is decoders.decoders["application/json"]
    assert decoders.find("text/plain") is None
    with pytest.raises(UnsupportedMediaType):
        decoders.decode(Request({"REQUEST_METHOD": "POST", "CONTENT_TYPE": "text/plain"}))


# -- fuzz: anything a client sends ends in a 2xx/4xx, PEP 3333-valid ------------------------

CONTENT_TYPES = st.sampled_from(
    [
        JSON,
        "application/vnd.x+json",
        FORM,
        MULTIPART,
        "multipart/form-data",
        "text/plain",
        "application/octet-stream",
        "",
    ]
)


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["raw", "json", "multipart"]))
    if kind == "json":
        value = draw(st.recursive(st.none() | st.integers() | st.text(), st.lists, max_leaves=8))
        text = json.dumps(value)
        cut = draw(st.integers(0, len(text)))
        return (text[:cut] if draw(st.booleans()) else text).encode()
    if kind == "multipart":
        parts = draw(
            st.lists(
                st.tuples(
                    st.text("abc", min_size=1, max_size=3),
                    st.binary(max_size=40),
                    st.none() | st.text("xyz.", min_size=1, max_size=5),
                ),
                max_size=4,
            )
        )
        body = multipart(*parts)
        return body[: draw(st.integers(0, len(body)))]
    return draw(st.binary(max_size=200))


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=bodies(), content_type=CONTENT_TYPES, small_limits=st.booleans())
def test_get_media_never_5xx(
    body: bytes,
    content_type: str,
    small_limits: bool,
    make_app: Callable[..., Kernel],
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
    uploads: Any,
) -> None:
    limits = (
        Limits(max_content_length=150, max_form_parts=2, spool_threshold=10)
        if small_limits
        else Limits()
    )
    app = make_app(limits=limits)
    try:
        result = wsgi(app, environ(body=body, content_type=content_type or None))
    finally:
        for stream in uploads.files:
            stream.close()
    assert 200 <= result.code < 500, result.body
