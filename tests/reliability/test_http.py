"""The shared bad-input spec, the rest of the request: paths, query, headers, cookies, methods,
static files (Range, traversal), response-header injection, error bodies, redirects.

Every case runs against both front-ends (the ``front`` fixture); none may answer 500 (except
where the *application* writes an unsafe header, which must become a logged 500), leak a
traceback, or hang.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any
from urllib.parse import quote

import pytest
from itsdangerous import URLSafeTimedSerializer
from reliability_spec import STATIC_TEXT, Front, build_environ, check_no_leak

# -- paths and query strings ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/items/\xff\xfe",  # raw invalid UTF-8 (a WSGI path is latin-1 text for bytes)
        "/items/%FF",
        "/items/\xc0\xaf",  # overlong "/"
        "/items/%C0%AF",
        "/hello\x00",
        "/items/1\x00",
        "/%25%32%65%25%32%65/hello",
        "/" + "a" * 10_000,
        "/items/" + "9" * 5000,
        "//hello",
        "/hello/",
        "/items/-1",
    ],
    ids=repr,
)
def test_odd_paths_get_a_4xx_or_a_route(front: Front, path: str) -> None:
    result = front.call(build_environ("GET", path))
    if result.code < 400:
        # "//hello" may be the same resource as "/hello" (leading slashes are collapsed)
        # and "/hello/" may redirect to "/hello": never anything else.
        assert result.code in (200, 301, 308), result.status
        if result.code == 200:
            assert result.body == b"hello"
    else:
        result.check_error(400, 404)


def test_an_overlong_slash_never_decodes_to_a_slash(front: Front) -> None:
    result = front.call(build_environ("GET", "/items/1\xc0\xafhello"))
    result.check_error(404)


@pytest.mark.parametrize(
    "query", ["next=%FF", "next=\xff\xfe", "next=%zz", "next=%", "next=a+b%20c", "&&==&next"]
)
def test_odd_query_strings_are_decoded_deterministically(front: Front, query: str) -> None:
    first = front.call(build_environ("GET", "/go", query=query))
    second = front.call(build_environ("GET", "/go", query=query))
    assert first.code == 303
    assert first.header("Location") == second.header("Location")


def test_query_values_with_bad_escapes(front: Front) -> None:
    result = front.call(build_environ("GET", "/go", query="next=/a%FFb%zz"))
    assert result.code == 303
    # globals_fw (werkzeug) keeps escapes of invalid UTF-8 as they are; resources_fw (Falcon)
    # decodes them to U+FFFD, which the Location must carry percent-encoded.
    assert result.header("Location") in ("/a%FFb%zz", "/a%EF%BF%BDb%zz")


@pytest.mark.parametrize("target", ["/caf\xe9", "/\u20ac", "/\u65e5\u672c"])
def test_redirect_to_a_non_ascii_local_path_is_encoded(front: Front, target: str) -> None:
    # A Location carries a URI: non-ASCII text goes out percent-encoded as UTF-8.
    result = front.send("/go?next=" + quote(target.encode("utf-8"), safe=""))
    assert result.code == 303
    location = result.header("Location") or ""
    assert location == quote(target.encode("utf-8"), safe="/"), location


# -- hostile request headers ---------------------------------------------------------------

HOSTILE_HEADERS = {
    "basic-bang": {"Authorization": "Basic !!!"},
    "basic-not-utf8": {"Authorization": "Basic /w=="},
    "basic-no-colon": {"Authorization": "Basic YWJj"},
    "bearer-garbage": {"Authorization": "Bearer \x01\x02"},
    "accept-1000-params": {"Accept": "text/html;" + ";".join(f"p{i}=v" for i in range(1000))},
    "accept-unterminated-quote": {"Accept": 'text/html; q="0.5, application/json'},
    "accept-many": {"Accept": ", ".join(f"type/sub{i};q=0.{i % 10}" for i in range(2000))},
    "content-type-quote": {"Content-Type": 'text/plain; charset="utf-8; x="'},
    "if-none-match-64k": {"If-None-Match": ", ".join(['"x"'] * 16_000)},
    "if-modified-since-garbage": {"If-Modified-Since": "yesterday-ish"},
    "latin1": {"X-Name": "caf\xe9 \xff\xfe"},
    "range-garbage": {"Range": "bytes=\xff-"},
    "cookie-64k": {"Cookie": "; ".join(f"c{i}=" + "v" * 10 for i in range(5000))},
    "cookie-backslashes": {"Cookie": "a=" + "\\" * 60_000},
    "cookie-nameless": {"Cookie": "=__Host-x=bad; =; ;;; b"},
    "forwarded-garbage": {"Forwarded": 'for="\\', "X-Forwarded-For": ",,,\xff"},
}


@pytest.mark.parametrize("headers", HOSTILE_HEADERS.values(), ids=HOSTILE_HEADERS.keys())
@pytest.mark.parametrize("path", ["/hello", "/whoami", "/static/hello.txt", "/nope"])
def test_hostile_header_values_never_500(front: Front, headers: dict[str, str], path: str) -> None:
    result = front.call(build_environ("GET", path, headers=headers))
    if result.code >= 400:
        result.check_error(400, 404, 406, 412, 416)


@pytest.mark.parametrize(
    "value", ["Basic !!!", "Basic /w==", "Basic YWJj", "Basic", "Basic " + "=" * 60_000]
)
def test_broken_basic_auth_is_no_error(front: Front, value: str) -> None:
    result = front.call(build_environ("GET", "/whoami", headers={"Authorization": value}))
    assert result.code == 200
    # werkzeug's policy (both front-ends): undecodable credentials are no credentials;
    # decodable ones without ":" are a user name with an empty password.
    assert result.json()["user"] in (None, "", "abc")


def test_huge_cookie_header_on_the_session_route(globals_front: Front) -> None:
    cookie = "session=" + "A" * 60_000 + "; " + "; ".join(f"c{i}=v" for i in range(2000))
    result = globals_front.call(build_environ("GET", "/session", headers={"Cookie": cookie}))
    assert result.code == 200
    assert result.json() == {"n": 0}  # a forged or garbage session is an empty one


def test_session_round_trip_and_tampering(globals_front: Front) -> None:
    client = globals_front.client
    client.post("/session")
    assert client.post("/session").json == {"n": 2}
    value = client.cookies["session"].strip('"')
    assert _session_n(globals_front, value) == 2
    payload, _, rest = value.partition(".")
    flipped = payload[:1] + ("B" if payload[1] != "B" else "C") + payload[2:]
    for forged in (f"{flipped}.{rest}", value[:-3], value + "x", "." * 50, value.upper()):
        assert _session_n(globals_front, forged) == 0, forged


def test_a_signed_but_absurdly_deep_session_is_an_empty_one(globals_front: Front) -> None:
    # Only the key's holder can sign; still, decoding must not blow the stack (matrix #5, #30).
    app: Any = globals_front.app
    signing = app.session_interface.get_signing_serializer(app)
    depth = 100_000
    payload = '{"n": 1, "x": ' + "[" * depth + "]" * depth + "}"

    class Raw:
        @staticmethod
        def dumps(value: object) -> str:
            return payload

        @staticmethod
        def loads(value: str) -> object:
            return json.loads(value)

    forged = URLSafeTimedSerializer(
        signing.secret_keys, salt=signing.salt, serializer=Raw, signer_kwargs=signing.signer_kwargs
    ).dumps(None)
    assert _session_n(globals_front, forged) == 0


def _session_n(front: Front, cookie: str) -> int:
    result = front.call(build_environ("GET", "/session", headers={"Cookie": f"session={cookie}"}))
    assert result.code == 200
    assert any(k == "Vary" and "Cookie" in v for k, v in result.headers)
    n: int = result.json()["n"]
    return n


# -- unknown and garbage methods -----------------------------------------------------------


@pytest.mark.parametrize(
    "method",
    ["FOO", "PROPFIND", "X" * 1024, "G\xc9T", "WEBSOCKET", "GET /x", "GET\r\n"],
    ids=["FOO", "PROPFIND", "1KB", "non-ascii", "WEBSOCKET", "space", "crlf"],
)
@pytest.mark.parametrize("path", ["/hello", "/echo", "/items/1", "/static/hello.txt", "/nope"])
def test_unknown_methods_get_a_4xx(front: Front, method: str, path: str) -> None:
    # wsgiref.validate warns about methods it does not know: called directly.
    result = front.call(build_environ(method, path), validate=False)
    result.check_error(400, 404, 405, 501)
    if result.code == 405:
        allow = result.header("Allow")
        assert allow is not None
        assert method not in allow


def test_lowercase_method_is_the_same_method(front: Front) -> None:
    # Policy: methods are case-insensitive here (RFC 9110 says case-sensitive; no client
    # sends lower case on purpose, and refusing it helps nobody).
    result = front.call(build_environ("get", "/hello"), validate=False)
    assert result.code == 200
    assert result.body == b"hello"


def test_405_names_the_allowed_methods(front: Front) -> None:
    result = front.call(build_environ("DELETE", "/hello"))
    result.check_error(405)
    allow = {m.strip() for m in (result.header("Allow") or "").split(",")}
    assert {"GET", "HEAD"} <= allow or allow == {"GET"}


# -- HEAD and GET --------------------------------------------------------------------------


def _comparable(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    # Date is the server clock (werkzeug's send_file sets one); it may tick between requests.
    return sorted((k.lower(), v) for k, v in headers if k.lower() != "date")


@pytest.mark.parametrize("accept", [None, "text/html"])
def test_head_headers_equal_get_headers_on_every_route(front: Front, accept: str | None) -> None:
    headers = {"Accept": accept} if accept else {}
    for path in (*front.routes, "/nope", "/items/x", "/static/missing.txt"):
        route, _, query = path.partition("?")
        get = front.call(build_environ("GET", route, query=query, headers=headers))
        head = front.call(build_environ("HEAD", route, query=query, headers=headers))
        assert head.status == get.status, path
        assert _comparable(head.headers) == _comparable(get.headers), path
        assert head.body == b"", path


def test_head_405_matches_get_405(front: Front) -> None:
    get = front.call(build_environ("GET", "/echo"))
    head = front.call(build_environ("HEAD", "/echo"))
    get.check_error(405)
    assert head.code == 405
    assert _comparable(head.headers) == _comparable(get.headers)


# -- static files: Range -------------------------------------------------------------------


def _static(front: Front, range_value: str) -> tuple[int, bytes, str | None]:
    environ = build_environ("GET", "/static/hello.txt", headers={"Range": range_value})
    result = front.call(environ)
    if result.code >= 400:
        result.check_error(400, 416)
    return result.code, result.body, result.header("Content-Range")


@pytest.mark.parametrize(
    "value",
    [
        ",".join(["bytes=0-0"] + ["0-0"] * 999),
        "bytes=" + ",".join(["0-0"] * 1000),
        "bytes=0-50,25-75,70-120",  # overlapping
        "bytes=0-" + ",0-" * 500,
        "bytes=" + ",".join(f"{i}-{i}" for i in range(3000)),
    ],
    ids=["x1000-a", "x1000-b", "overlapping", "open-x500", "x3000-distinct"],
)
def test_many_or_overlapping_ranges_are_not_amplified(front: Front, value: str) -> None:
    code, body, _ = _static(front, value)
    # Policy: multi-range requests are not served as multipart/byteranges; each front-end
    # answers the whole file (200), one range, or refuses (400 resources_fw, 416 globals_fw).
    assert code in (200, 206, 400, 416)
    assert len(body) <= len(STATIC_TEXT) + 1024  # never one copy per requested range


@pytest.mark.parametrize(
    "value", ["bytes=500-600", "bytes=200-", "bytes=-0", "bytes=100-50", "bytes=x-y"]
)
def test_unsatisfiable_or_invalid_ranges(front: Front, value: str) -> None:
    code, body, content_range = _static(front, value)
    if code == 200:
        assert body == STATIC_TEXT  # an ignored Range serves the whole file
    elif code == 206:
        pytest.fail(f"{value!r} is not satisfiable but got 206 {content_range}")


@pytest.mark.parametrize("value", ["pages=1-2", "items=0-0"])
def test_an_unknown_range_unit_is_ignored(front: Front, value: str) -> None:
    code, body, _ = _static(front, value)
    assert code == 200
    assert body == STATIC_TEXT


@pytest.mark.parametrize(
    ("value", "expected"),
    [("bytes=0-0", b"0"), ("bytes=10-19", STATIC_TEXT[10:20]), ("bytes=-5", STATIC_TEXT[-5:])],
)
def test_single_ranges_are_served(front: Front, value: str, expected: bytes) -> None:
    code, body, content_range = _static(front, value)
    assert code == 206
    assert body == expected
    assert content_range is not None
    assert content_range.endswith(f"/{len(STATIC_TEXT)}")


# -- static files: traversal ---------------------------------------------------------------

TRAVERSALS = [
    "/static/../secret.txt",
    "/static/../../secret.txt",
    "/static/%2e%2e/secret.txt",
    "/static/%2e%2e%2fsecret.txt",
    "/static/%252e%252e%252fsecret.txt",
    "/static/..%5csecret.txt",
    "/static/..\\secret.txt",
    "/static/..\\..\\secret.txt",
    "/static/C:\\x",
    "/static/C:secret.txt",
    "/static/c:/secret.txt",
    "/static/hello.txt\x00.png",
    "/static/\x00",
    "/static//etc/passwd",
    "/static/./../secret.txt",
    "/static/hello.txt/..",
    "/static/CON",
    "/static/NUL.txt",
    "/static/\xc0\xae\xc0\xae/secret.txt",
]


@pytest.mark.parametrize("path", TRAVERSALS, ids=repr)
def test_path_traversal_against_static_files_is_404(front: Front, path: str) -> None:
    result = front.call(build_environ("GET", path))
    assert b"TOP SECRET" not in result.body
    if result.code in (301, 308):
        location = result.header("Location") or ""
        assert "secret" not in location.lower() or not location.startswith("/secret")
        return
    result.check_error(404)


def test_absolute_path_to_a_real_file_is_404(front: Front) -> None:
    secret = front.static_dir.parent / "secret.txt"
    result = front.call(build_environ("GET", "/static/" + str(secret)))
    assert b"TOP SECRET" not in result.body
    result.check_error(404)


def test_windows_names_are_refused_when_running_on_windows(
    front: Front, monkeypatch: pytest.MonkeyPatch
) -> None:
    # werkzeug's safe_join checks os.name: pretend to be Windows (its own tests do the same).
    monkeypatch.setattr("os.name", "nt")
    for name in ("CON", "CON.txt", "b/CON", "a\\b", "c:x"):
        result = front.call(build_environ("GET", "/static/" + name))
        result.check_error(404)


# -- unsafe values written into response headers --------------------------------------------

INJECTIONS = [
    "a\r\nX-Injected: 1",
    "a\nX-Injected: 1",
    "a\rX-Injected: 1",
    "a\x00b",
    "a\x7fb",
    "a\x1bb",
    "\u20ac",  # not latin-1
]


@pytest.mark.parametrize("value", INJECTIONS, ids=repr)
def test_a_header_echoing_user_input_is_never_injected(
    front: Front, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    query = "v=" + quote(value.encode("utf-8"))
    with caplog.at_level(logging.ERROR):
        result = front.call(build_environ("GET", "/echo-header", query=query))
    assert all(k.lower() != "x-injected" for k, _ in result.headers)
    echoed = result.header("X-Echo")
    if echoed is not None:
        assert not re.search(r"[\x00-\x08\x0a-\x1f\x7f]", echoed)  # sanitised
        return
    result.check_error(500)
    assert caplog.records, "the refused header was not logged"


@pytest.mark.parametrize("value", INJECTIONS, ids=repr)
def test_a_redirect_to_user_input_is_never_injected(
    front: Front, value: str, caplog: pytest.LogCaptureFixture
) -> None:
    query = "to=" + quote(("/x" + value).encode("utf-8"))
    with caplog.at_level(logging.ERROR):
        result = front.call(build_environ("GET", "/raw-redirect", query=query))
    assert all(k.lower() != "x-injected" for k, _ in result.headers)
    location = result.header("Location")
    if location is not None:
        assert not re.search(r"[\x00-\x20\x7f-\uffff]", location), location  # a URI, escaped
        return
    result.check_error(500)
    assert caplog.records, "the refused Location was not logged"


# -- errors leak nothing -------------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, "text/html", "application/json", "*/*"])
def test_an_exception_message_never_reaches_the_body(
    front: Front, accept: str | None, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {"Accept": accept} if accept else {}
    with caplog.at_level(logging.ERROR):
        result = front.call(build_environ("GET", "/boom", headers=headers))
    result.check_error(500)
    check_no_leak(result.body)
    logged = "\n".join(r.getMessage() + str(r.exc_info and r.exc_info[1]) for r in caplog.records)
    assert "s3cr3t-token" in logged, "the 500 was not logged with its exception"


def test_error_pages_escape_what_the_client_sent(front: Front) -> None:
    path = '/nope/<script>alert("x")</script>'
    result = front.call(build_environ("GET", path, headers={"Accept": "text/html"}))
    result.check_error(404)
    assert b"<script>" not in result.body


# -- redirect to a user-supplied next URL -----------------------------------------------------

UNSAFE_NEXT = [
    "//evil.example",
    "//evil.example/path",
    "/\\evil.example",
    "\\/evil.example",
    "\t//evil.example",
    " //evil.example",
    "\r\n//evil.example",
    "https:evil.example",
    "https:/evil.example",
    "http://evil.example/",
    "https://good.example@evil.example/",
    "https://good.example.evil.example/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "///evil.example",
    "ftp://good.example/",
    "",
]


@pytest.mark.parametrize("target", UNSAFE_NEXT, ids=repr)
def test_unsafe_next_targets_fall_back_to_the_default(front: Front, target: str) -> None:
    result = front.send("/go?next=" + quote(target, safe=""))
    assert result.code == 303
    assert result.header("Location") == "/", target


@pytest.mark.parametrize(
    "target",
    [
        "/account",
        "/a/b?c=d#e",
        "https://good.example/x",
        "http://GOOD.example./y",
        "/%2F%2Fx",
        "/%09/evil.example",  # a path on this host: browsers do not decode %09 here
    ],
)
def test_safe_next_targets_are_kept(front: Front, target: str) -> None:
    result = front.send("/go?next=" + quote(target, safe=""))
    assert result.code == 303
    # globals_fw's redirect() lower-cases the host (IRI to URI); the target is the same.
    assert (result.header("Location") or "").lower() == target.lower()
