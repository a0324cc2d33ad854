"""The shared bad-input spec, request bodies: JSON, content types, lengths, forms, multipart.

Every case runs against both front-ends (the ``front`` fixture). The promise: a documented 4xx
(or a documented policy), with a readable body that leaks nothing; never a 500, never a hang.
Sizes are bounded by the apps' limits (see conftest), so each case runs in linear time.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from reliability_spec import (
    MAX_CONTENT_LENGTH,
    MAX_FORM_MEMORY,
    MAX_FORM_PARTS,
    Front,
    build_environ,
    call_wsgi,
    make_globals_app,
)

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


class ExplodingInput(io.RawIOBase):
    """A ``wsgi.input`` that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        raise AssertionError("the request body was read")


# -- JSON ----------------------------------------------------------------------------------

MALFORMED_JSON = [
    b"{",
    b"[1,",
    b'{"a":}',
    b'{"a": 1} trailing',
    b"NaN",
    b"[Infinity]",
    b'"\\ud800"',  # a lone surrogate escape
    b" " * 60_000,  # whitespace only, under the length limit
    b"\x00",
]


@pytest.mark.parametrize("body", MALFORMED_JSON, ids=repr)
def test_malformed_json_is_400(front: Front, body: bytes) -> None:
    front.send("/echo", "POST", body, content_type=JSON).check_error(400)


@pytest.mark.parametrize("body", [b"{", b'{"a": 1} trailing', b'"\\ud800"'], ids=repr)
def test_json_parser_detail_is_for_debug_mode_only(front: Front, body: bytes) -> None:
    result = front.send("/echo", "POST", body, content_type=JSON)
    result.check_error(400)
    for detail in (b"Expecting", b"line 1 column", b"Extra data", b"surrogate", b"codec"):
        assert detail not in result.body


@pytest.mark.parametrize("kind", ["[", '{"a":'])
def test_very_deep_json_is_400(front: Front, kind: str) -> None:
    depth = 12_000  # far past the interpreter's recursion limit, under the length limit
    body = (kind * depth).encode() + (b"]" if kind == "[" else b"}") * depth
    assert len(body) < MAX_CONTENT_LENGTH
    front.send("/echo", "POST", body, content_type=JSON).check_error(400)


@pytest.mark.parametrize("depth", [10, 200])
def test_reasonably_nested_json_round_trips(front: Front, depth: int) -> None:
    body = b"[" * depth + b"]" * depth
    result = front.send("/echo", "POST", body, content_type=JSON)
    assert result.code == 200
    assert result.body.replace(b"\n", b"") == body


@pytest.mark.parametrize("depth", [900, 990])
def test_json_near_the_recursion_limit_is_never_a_500(front: Front, depth: int) -> None:
    # Decodable by the C parser, but echoing it back may hit the encoder's recursion limit.
    body = b"[" * depth + b"]" * depth
    result = front.send("/echo", "POST", body, content_type=JSON)
    assert result.code in (200, 400), result.status
    if result.code == 400:
        result.check_error(400)


@pytest.mark.parametrize(
    "body",
    [b'"\xff"', b'{"a": "\xc3"}', '"hi"'.encode("utf-16-le"), '"hi"'.encode("utf-16")],
    ids=["ff", "truncated-utf8", "utf16-no-bom", "utf16-bom"],
)
def test_non_utf8_json_is_400(front: Front, body: bytes) -> None:
    front.send("/echo", "POST", body, content_type=JSON).check_error(400)


def test_a_utf8_bom_is_ignored(front: Front) -> None:
    # Policy (RFC 8259 8.1): a leading UTF-8 BOM may be ignored; both front-ends ignore it.
    result = front.send("/echo", "POST", b'\xef\xbb\xbf{"a": 1}', content_type=JSON)
    assert result.code == 200, result.body
    assert result.json() == {"a": 1}


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", "image/png"])
def test_json_route_refuses_other_content_types_with_415(front: Front, content_type: str) -> None:
    front.send("/echo", "POST", b'{"a": 1}', content_type=content_type).check_error(415)


def test_json_without_content_type(front: Front) -> None:
    result = front.send("/echo", "POST", b'{"a": 1}')
    if front.name == "resources_fw":
        # Falcon's policy: a body without Content-Type is read as the app's default media
        # type (JSON here).
        assert result.code == 200
        assert result.json() == {"a": 1}
    else:
        result.check_error(415)  # Flask's policy: get_json needs a JSON content type


@pytest.mark.parametrize(
    "content_type", ["application/vnd.api+json", "application/json; charset=utf-8"]
)
def test_json_variants_are_accepted(front: Front, content_type: str) -> None:
    result = front.send("/echo", "POST", b'{"a": 1}', content_type=content_type)
    assert result.code == 200, result.body
    assert result.json() == {"a": 1}


@pytest.mark.parametrize("length", ["0", None])
def test_empty_json_body_is_400(front: Front, length: str | None) -> None:
    environ = build_environ("POST", "/echo", content_type=JSON, content_length=length)
    front.call(environ).check_error(400)


# -- Content-Length ------------------------------------------------------------------------


@pytest.mark.parametrize("length", [MAX_CONTENT_LENGTH + 1, 10**12])
@pytest.mark.parametrize("path", ["/echo", "/form", "/upload"])
def test_content_length_over_the_limit_is_413_without_reading(
    front: Front, length: int, path: str
) -> None:
    content_type = {"/echo": JSON, "/form": FORM}.get(path, "multipart/form-data; boundary=b")
    environ = build_environ(
        "POST",
        path,
        content_type=content_type,
        content_length=str(length),
        stream=ExplodingInput(),  # type: ignore[arg-type]
    )
    front.call(environ).check_error(413)


@pytest.mark.parametrize("length", ["-1", "abc", "1e3", "\uff11\uff12", "12, 12", "0x10", "+5"])
def test_garbage_content_length_is_400(front: Front, length: str) -> None:
    # wsgiref.validate itself refuses such environs: called directly, responses still checked.
    environ = build_environ(
        "POST",
        "/echo",
        content_type=JSON,
        content_length=length,
        stream=ExplodingInput(),  # type: ignore[arg-type]
    )
    front.call(environ, validate=False).check_error(400)


def test_content_length_with_blanks_around_is_accepted(front: Front) -> None:
    # Policy: optional whitespace around a field value is not part of it (RFC 9110 5.5).
    environ = build_environ("POST", "/echo", b"[1]", content_type=JSON, content_length=" 3 ")
    result = front.call(environ, validate=False)
    assert result.code == 200
    assert result.json() == [1]


def _short_body(path: str) -> tuple[str, bytes]:
    """A content type and a body that is complete and valid on its own for ``path``."""
    if path == "/echo":
        return JSON, b"[1]"
    if path == "/form":
        return FORM, b"a=1"
    if path == "/raw":
        return "application/octet-stream", b"abc"
    return MULTIPART, multipart(part("a", b"1"))


@pytest.mark.parametrize("path", ["/echo", "/form", "/upload", "/raw"])
def test_short_body_is_400(front: Front, path: str) -> None:
    # /raw reads once (read(content_length)); so does resources_fw's urlencoded handler.
    content_type, body = _short_body(path)
    # The body is valid as far as it goes: only the length says that some of it is missing.
    environ = build_environ(
        "POST", path, body, content_type=content_type, content_length=str(len(body) + 10)
    )
    front.call(environ).check_error(400)


# -- bodies without a length ---------------------------------------------------------------


@pytest.mark.parametrize("path", ["/echo", "/form"])
def test_chunked_body_without_input_terminated_is_411(front: Front, path: str) -> None:
    environ = build_environ(
        "POST",
        path,
        content_type=JSON if path == "/echo" else FORM,
        content_length=None,
        headers={"Transfer-Encoding": "chunked"},
        stream=ExplodingInput(),  # type: ignore[arg-type]
    )
    front.call(environ).check_error(411)


def test_terminated_body_without_length_is_read(front: Front) -> None:
    environ = build_environ(
        "POST", "/echo", b'{"a": [1, 2]}', content_type=JSON, content_length=None, terminated=True
    )
    result = front.call(environ)
    assert result.code == 200
    assert result.json() == {"a": [1, 2]}


@pytest.mark.parametrize("path", ["/echo", "/form", "/upload"])
def test_terminated_body_past_the_limit_is_413_not_truncated(front: Front, path: str) -> None:
    content_type = {"/echo": JSON, "/form": FORM}.get(path, "multipart/form-data; boundary=b")
    body = b"[" + b"1," * MAX_CONTENT_LENGTH + b"1]"
    environ = build_environ(
        "POST", path, body, content_type=content_type, content_length=None, terminated=True
    )
    front.call(environ).check_error(413)


# -- urlencoded forms ----------------------------------------------------------------------


def test_form_over_max_form_memory_is_413(front: Front) -> None:
    body = b"a=" + b"x" * (MAX_FORM_MEMORY + 1)
    front.send("/form", "POST", body, content_type=FORM).check_error(413)


def test_form_at_max_form_memory_is_read(front: Front) -> None:
    body = b"a=" + b"x" * (MAX_FORM_MEMORY - 2)
    result = front.send("/form", "POST", body, content_type=FORM)
    assert result.code == 200
    assert result.json() == {"a": "x" * (MAX_FORM_MEMORY - 2)}


def test_percent_escaped_invalid_utf8_in_form(front: Front) -> None:
    result = front.send("/form", "POST", b"a=%FF&b=1&c=%C0%AF", content_type=FORM)
    assert result.code == 200
    data = result.json()
    assert data["b"] == "1"
    # Policy: no escape decodes to "/" (overlong form), whatever each front-end shows instead.
    assert "/" not in data["c"]


def test_raw_invalid_utf8_in_form(front: Front) -> None:
    result = front.send("/form", "POST", b"a=\x80\xff&b=1", content_type=FORM)
    if front.name == "resources_fw":
        # Falcon's policy: the form is decoded with U+FFFD replacement.
        assert result.code == 200
        assert result.json() == {"a": "\ufffd\ufffd", "b": "1"}
    else:
        result.check_error(400)  # the core's policy: a form body is data, never altered


# -- multipart -----------------------------------------------------------------------------

BOUNDARY = "----spec-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def part(name: str, data: bytes, filename: str | None = None, extra: bytes = b"") -> bytes:
    disposition = f'form-data; name="{name}"'
    if filename is not None:
        disposition += f'; filename="{filename}"'
    return (
        f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n".encode()
        + extra
        + b"\r\n"
        + data
        + b"\r\n"
    )


def multipart(*parts: bytes) -> bytes:
    return b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()


def test_multipart_upload_works(front: Front) -> None:
    body = multipart(part("a", b"1"), part("f", b"\x00\x01data", "f.bin"))
    result = front.send("/upload", "POST", body, content_type=MULTIPART)
    assert result.code == 200, result.body
    assert result.json() == {"fields": {"a": "1"}, "files": {"f": 6}}


def test_multipart_at_the_part_limit_is_read(front: Front) -> None:
    body = multipart(*(part(f"p{i}", b"x") for i in range(MAX_FORM_PARTS)))
    result = front.send("/upload", "POST", body, content_type=MULTIPART)
    assert result.code == 200, result.body
    assert len(result.json()["fields"]) == MAX_FORM_PARTS


@pytest.mark.parametrize("count", [MAX_FORM_PARTS + 1, 3000])
def test_multipart_with_too_many_parts_is_refused(front: Front, count: int) -> None:
    body = multipart(*(part(f"p{i}", b"") for i in range(count)))
    assert len(body) < MAX_CONTENT_LENGTH * 4
    if len(body) > MAX_CONTENT_LENGTH:
        body = body[:MAX_CONTENT_LENGTH]  # still far more parts than allowed
    front.send("/upload", "POST", body, content_type=MULTIPART).check_error(413)


def test_multipart_field_over_max_form_memory_is_refused(front: Front) -> None:
    body = multipart(part("a", b"x" * (MAX_FORM_MEMORY + 1)))
    front.send("/upload", "POST", body, content_type=MULTIPART).check_error(413)


def test_multipart_file_may_exceed_max_form_memory(front: Front) -> None:
    # Files are bounded by the content length only (and spooled to disk).
    body = multipart(part("f", b"x" * (MAX_FORM_MEMORY * 2), "f.bin"))
    result = front.send("/upload", "POST", body, content_type=MULTIPART)
    assert result.code == 200, result.body
    assert result.json()["files"] == {"f": MAX_FORM_MEMORY * 2}


def test_small_form_memory_limit_still_allows_larger_files(static_dir: Path) -> None:
    app = make_globals_app(static_dir)
    app.config["MAX_FORM_MEMORY_SIZE"] = 4096  # documented: bounds non-file fields only
    body = multipart(part("f", b"x" * 16_384, "f.bin"))
    environ = build_environ("POST", "/upload", body, content_type=MULTIPART)
    result = call_wsgi(app, environ)
    assert result.code == 200, result.body
    assert result.json()["files"] == {"f": 16_384}


def test_multipart_huge_part_header_is_refused(front: Front) -> None:
    # Under the length limit, but far over any sane header block (Falcon caps it at 8 KiB).
    header = b"X-Filler: " + b"a" * (MAX_CONTENT_LENGTH - 1000) + b"\r\n"
    body = multipart(part("a", b"1", extra=header))
    assert len(body) <= MAX_CONTENT_LENGTH
    front.send("/upload", "POST", body, content_type=MULTIPART).check_error(400, 413)


def test_multipart_header_block_without_end_is_refused(front: Front) -> None:
    body = f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=a\r\n".encode()
    body += b"X: y\r\n" * 2000
    front.send("/upload", "POST", body, content_type=MULTIPART).check_error(400, 413)


@pytest.mark.parametrize("lead", [b"\r", b"\n", b"\r\n"], ids=["cr", "lf", "crlf"])
def test_multipart_part_starting_with_cr_is_byte_exact(front: Front, lead: bytes) -> None:
    data = lead + b"a" * (MAX_CONTENT_LENGTH - 500)
    body = multipart(part("f", data, "f.bin"))
    result = front.send("/upload", "POST", body, content_type=MULTIPART)
    assert result.code == 200, result.body
    assert result.json()["files"] == {"f": len(data)}


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("multipart/form-data", b"--x\r\n\r\n"),  # no boundary parameter
        (MULTIPART, f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=a\r\n\r\nab".encode()),
        (MULTIPART, b"garbage without any boundary"),
        (MULTIPART, f"--{BOUNDARY}\r\nNo-Colon\r\n\r\nx\r\n--{BOUNDARY}--\r\n".encode()),
    ],
    ids=["no-boundary", "truncated", "garbage", "bad-part-header"],
)
def test_malformed_multipart_is_400(front: Front, content_type: str, body: bytes) -> None:
    front.send("/upload", "POST", body, content_type=content_type).check_error(400)


def test_multipart_invalid_utf8_field(front: Front) -> None:
    body = multipart(part("a", b"\xff\xfe"), part("b", b"ok"))
    result = front.send("/upload", "POST", body, content_type=MULTIPART)
    assert result.code in (200, 400), result.status
    if result.code == 200:
        assert result.json()["fields"]["b"] == "ok"
    else:
        result.check_error(400)
