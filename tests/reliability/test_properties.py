"""Property tests over whole requests, against both front-ends.

* Any request (method, path, query, headers, body, content type) -> a status under 500 and a
  PEP 3333-valid response (under ``wsgiref.validate`` whenever the environ itself is valid;
  otherwise the response side is checked with the validator's own checks).
* HEAD answers with the headers GET answers with, and no body.

The routes that fail on purpose (``/boom``, ``/echo-header``, ``/raw-redirect``) are left out,
and so is ``/go`` on resources_fw: a redirect to a non-latin-1 target is a known bug there
(see test_http.py::test_redirect_to_a_non_ascii_local_path_is_encoded).
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_spec import Front, build_environ, check_no_leak

# The validator warns about methods outside this list; others are tested without it.
VALID_METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"]
TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20}"

LATIN1 = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
WSGI_TEXT = st.text(st.characters(max_codepoint=0xFF), max_size=40)  # bytes as latin-1 text
HEADER_VALUE = st.one_of(
    st.text(LATIN1, max_size=80),
    st.sampled_from(
        [
            "Basic !!!",
            "bytes=0-0," * 20,
            "bytes=-0",
            '"unterminated',
            "text/html;q=0.5;" * 50,
            "=__Host-x=bad",
            "\xff\xfe",
        ]
    ),
)
HEADER_NAMES = st.sampled_from(
    [
        "Accept",
        "Authorization",
        "Cookie",
        "Range",
        "If-None-Match",
        "If-Modified-Since",
        "If-Range",
        "Origin",
        "Forwarded",
        "X-Forwarded-For",
        "Transfer-Encoding",
        "Expect",
    ]
)
SEGMENTS = st.one_of(
    st.sampled_from(
        ["..", ".", "%2e%2e", "%2F", "%00", "\x00", "\xc0\xaf", "CON", "\\", "~", "", "C:"]
    ),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0xFF), max_size=12),
)
CONTENT_TYPES = st.sampled_from(
    [
        None,
        "application/json",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=b",
        "text/plain",
        "application/vnd.x+json",
        'application/json; charset="',
        "",
    ]
)
BODIES = st.one_of(
    st.binary(max_size=300),
    st.sampled_from(
        [
            b"{}",
            b'{"a": [1, 2]}',
            b"[" * 3000,
            b"a=1&b=%FF",
            b"--b\r\n\r\n--b--\r\n",
            b"\xef\xbb\xbf[]",
        ]
    ),
)


def _routes(front: Front) -> list[str]:
    base = ["/hello", "/echo", "/form", "/upload", "/raw", "/items", "/static", "/whoami", "/nope"]
    if front.name == "globals_fw":
        base += ["/go", "/session"]
    return base


@st.composite
def requests(draw: st.DrawFn, front: Front, methods: list[str]) -> dict[str, Any]:
    route = draw(st.sampled_from(_routes(front)))
    segments = draw(st.lists(SEGMENTS, max_size=3))
    path = "/".join([route, *segments]) if segments else route
    headers = draw(st.dictionaries(HEADER_NAMES, HEADER_VALUE, max_size=4))
    body = draw(BODIES)
    environ = build_environ(
        draw(st.sampled_from(methods)),
        path,
        body,
        content_type=draw(CONTENT_TYPES),
        headers=headers,
        query=draw(WSGI_TEXT),
    )
    if "Transfer-Encoding" in headers and draw(st.booleans()):
        del environ["CONTENT_LENGTH"]
        environ["wsgi.input_terminated"] = draw(st.booleans())
    return environ


SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(data=st.data())
def test_any_valid_request_is_answered_below_500(front: Front, data: st.DataObject) -> None:
    environ = data.draw(requests(front, VALID_METHODS))
    result = front.call(environ)  # under wsgiref.validate
    assert result.code < 500, (result.status, result.body[:200])
    check_no_leak(result.body)


@SETTINGS
@given(data=st.data())
def test_any_method_is_answered_below_500(front: Front, data: st.DataObject) -> None:
    method = data.draw(st.one_of(st.from_regex(TOKEN, fullmatch=True), WSGI_TEXT))
    environ = data.draw(requests(front, [method or "X"]))
    result = front.call(environ, validate=False)  # the validator refuses unknown methods
    assert result.code < 500, (result.status, result.body[:200])


@SETTINGS
@given(data=st.data())
def test_head_headers_equal_get_headers(front: Front, data: st.DataObject) -> None:
    environ = data.draw(requests(front, ["GET"]))
    environ["CONTENT_LENGTH"] = "0"
    environ.pop("CONTENT_TYPE", None)
    environ.pop("HTTP_TRANSFER_ENCODING", None)
    environ.pop("wsgi.input_terminated", None)
    get = front.call(dict(environ))
    head = front.call(dict(environ, REQUEST_METHOD="HEAD"))
    assert head.status == get.status
    drop = {"date"}
    if front.name == "resources_fw" and get.code == 405:
        # Known bug: its 405 description names the method (see test_http.py::
        # test_head_405_matches_get_405), so only the body length differs.
        drop.add("content-length")
    assert sorted((k.lower(), v) for k, v in head.headers if k.lower() not in drop) == sorted(
        (k.lower(), v) for k, v in get.headers if k.lower() not in drop
    )
    assert head.body == b""
