"""The fast request paths: ``wsgi.start``, ``Response.from_parts`` / ``lean_init``, the C-encoder
``make_dumps`` and the scanner-based ``strict_loads``, ``QueryDict`` / ``parse_pairs``, bodies
read whole at open, generated route params and the slash-redirect shortcut."""

from __future__ import annotations

import io
import json
import math
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" error handler
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import Headers, ImmutableMultiDict, MultiDict
from werkzeug.exceptions import BadRequestKeyError
from wsgi_support import StartResponseRecorder as Recorder

from resources_fw.core import (
    BadRequest,
    HTTPRedirect,
    Kernel,
    NotFound,
    Request,
    Response,
    Router,
    render_exception,
)
from resources_fw.core.body import READ_AT_ONCE, open_body
from resources_fw.core.media import make_dumps, strict_loads
from resources_fw.core.request import QueryDict, parse_pairs
from resources_fw.core.wsgi import HeaderValueError, serve, start

# -- helpers ------------------------------------------------------------------------------


def environ(method: str = "GET", **extra: Any) -> dict[str, Any]:
    env: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": "/",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    env.update(extra)
    return env


JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=20,
)


# -- 1. wsgi.start --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\x00b", "a\x7fb", "a\x1bb", "caf\u00e9\u20ac"],
)
def test_start_refuses_unsafe_values_before_start_response(value: str) -> None:
    sr = Recorder()
    with pytest.raises(HeaderValueError):
        start(sr, 200, None, [("X-Test", value)], 0)
    assert sr.calls == []


@pytest.mark.parametrize("name", ["Bad Name", "X:Y", "", "X\r\nY", "caf\u00e9"])
def test_start_refuses_bad_header_names(name: str) -> None:
    sr = Recorder()
    with pytest.raises(HeaderValueError):
        start(sr, 200, None, [(name, "ok")], 0)
    assert sr.calls == []


def test_start_allows_tab_and_latin1() -> None:
    sr = Recorder()
    assert start(sr, 200, None, [("X-Test", "a\tb caf\u00e9")], 0) is True
    assert ("X-Test", "a\tb caf\u00e9") in sr.headers


def test_start_adds_length_and_default_type_only_when_absent() -> None:
    sr = Recorder()
    headers: list[tuple[str, str]] = []
    assert start(sr, 200, None, headers, 5, "text/plain; charset=utf-8") is True
    assert sr.status == "200 OK"
    assert sorted(sr.headers) == [
        ("Content-Length", "5"),
        ("Content-Type", "text/plain; charset=utf-8"),
    ]
    # Given ones are kept, in any case of the name, and not doubled.
    sr2 = Recorder()
    given_headers = [("content-type", "application/json"), ("CONTENT-LENGTH", "3")]
    start(sr2, 200, None, given_headers, 99, "text/plain")
    assert sr2.headers == [("content-type", "application/json"), ("CONTENT-LENGTH", "3")]


def test_start_unknown_length_and_no_default() -> None:
    sr = Recorder()
    start(sr, 200, None, [], None, None)
    assert sr.headers == []
    sr2 = Recorder()
    start(sr2, 200, None, [], 0, "")
    assert sr2.headers == [("Content-Length", "0")]


@pytest.mark.parametrize("code", [100, 103, 204])
def test_start_bodyless_drops_length_and_encoding(code: int) -> None:
    sr = Recorder()
    headers = [("Content-Length", "10"), ("Transfer-Encoding", "chunked"), ("X-A", "1")]
    assert start(sr, code, None, headers, 10, "text/plain") is False
    assert sr.headers == [("X-A", "1")]


def test_start_304_keeps_length_drops_encoding() -> None:
    sr = Recorder()
    headers = [("Content-Length", "10"), ("transfer-encoding", "chunked"), ("ETag", '"x"')]
    assert start(sr, 304, None, headers, 0, "text/plain") is False
    assert sr.headers == [("Content-Length", "10"), ("ETag", '"x"')]
    assert sr.status == "304 Not Modified"


def test_start_status_line_standard_custom_and_unknown() -> None:
    sr = Recorder()
    start(sr, 404, None, [], 0)
    assert sr.status == "404 Not Found"
    start(sr, 404, "Nothing Here", [], 0)
    assert sr.status == "404 Nothing Here"
    start(sr, 299, None, [], 0)
    assert sr.status.startswith("299 ")
    start(sr, 204, "Gone Quiet", [], 0)
    assert sr.status == "204 Gone Quiet"


# -- 2. Response.from_parts and lean_init ---------------------------------------------------


def test_from_parts_headers_is_a_view_over_the_list() -> None:
    pairs = [("X-A", "1")]
    response = Response.from_parts(b"hello", 201, None, pairs)
    assert isinstance(response.headers, Headers)
    assert response.headers["X-A"] == "1"
    response.headers["X-B"] = "2"
    assert ("X-B", "2") in pairs
    sr = Recorder()
    body = b"".join(response(environ(), sr))
    assert body == b"hello"
    assert sr.status == "201 Created"
    assert ("X-B", "2") in sr.headers
    assert ("Content-Length", "5") in sr.headers


def test_from_parts_served_twice_gives_identical_headers() -> None:
    response = Response.from_parts("héllo", 200, "Fine", [("X-A", "1")])
    first, second = Recorder(), Recorder()
    assert b"".join(response(environ(), first)) == "héllo".encode()
    assert b"".join(response(environ(), second)) == "héllo".encode()
    assert first.calls == second.calls
    assert first.status == "200 Fine"
    assert first.names().count("content-length") == 1
    assert first.names().count("content-type") == 1
    # The same after the headers view was made.
    response.headers.add("X-B", "2")
    third, fourth = Recorder(), Recorder()
    list(response(environ(), third))
    list(response(environ(), fourth))
    assert third.calls == fourth.calls
    assert third.names().count("content-length") == 1


def test_lean_init_flags() -> None:
    class Plain(Response):
        default_mimetype = "application/xml"

    class OwnInit(Response):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)

    class DeclaredLean(Response):
        lean_init = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)

    class InheritsOwn(OwnInit):
        pass

    assert Response.lean_init is True
    assert Plain.lean_init is True
    assert OwnInit.lean_init is False
    assert DeclaredLean.lean_init is True
    assert InheritsOwn.lean_init is False


def test_render_exception_calls_a_non_lean_init() -> None:
    calls: list[tuple[Any, ...]] = []

    class Recording(Response):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            calls.append(args)
            super().__init__(*args, **kwargs)
            self.headers["X-Made-By"] = "init"

    request = Request(environ())
    response = render_exception(NotFound(), request, response_class=Recording)
    assert isinstance(response, Recording)
    assert len(calls) == 1
    assert response.status_code == 404
    sr = Recorder()
    body = b"".join(response(environ(), sr))
    assert json.loads(body)["title"] == "404 Not Found"
    assert ("X-Made-By", "init") in sr.headers
    assert ("Content-Type", "application/json") in sr.headers


def test_render_exception_lean_subclass_skips_init() -> None:
    calls: list[int] = []

    class Lean(Response):
        lean_init = True

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            calls.append(1)
            super().__init__(*args, **kwargs)

    response = render_exception(HTTPRedirect("/elsewhere", 301), Request(environ()), False, Lean)
    assert isinstance(response, Lean)
    assert calls == []
    assert response.status_code == 301
    assert response.location == "/elsewhere"
    assert response.body is None


# -- 3. make_dumps / strict_loads -----------------------------------------------------------


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize("sort_keys", [True, False])
@pytest.mark.parametrize("separators", [(",", ":"), (", ", ": ")])
@given(value=JSON_VALUES)
def test_make_dumps_equals_json_dumps(
    value: Any, ensure_ascii: bool, sort_keys: bool, separators: tuple[str, str]
) -> None:
    dumps = make_dumps(ensure_ascii=ensure_ascii, sort_keys=sort_keys, separators=separators)
    expected = json.dumps(
        value, ensure_ascii=ensure_ascii, sort_keys=sort_keys, separators=separators
    )
    assert dumps(value) == expected


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, [1, math.nan], {"a": math.inf}])
def test_make_dumps_refuses_nan(value: Any) -> None:
    with pytest.raises(ValueError, match="not JSON compliant"):
        make_dumps()(value)


def test_make_dumps_default_and_type_error() -> None:
    class Thing:
        pass

    with pytest.raises(TypeError, match="Thing"):
        make_dumps()({"x": Thing()})
    dumps = make_dumps(lambda obj: f"<{type(obj).__name__}>", separators=(",", ":"))
    assert dumps({"x": Thing(), "y": [Thing()]}) == '{"x":"<Thing>","y":["<Thing>"]}'


def test_make_dumps_self_containing_list_is_recursion_error() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    with pytest.raises(RecursionError):
        make_dumps()(loop)
    cyclic: dict[str, Any] = {}
    cyclic["me"] = cyclic
    with pytest.raises(RecursionError):
        make_dumps(sort_keys=True)(cyclic)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (' \t\n\r{"a": 1} \t\n\r', {"a": 1}),
        ("\n[1, 2]\n", [1, 2]),
        ("1", 1),
        ('"x"', "x"),
        (b'\xef\xbb\xbf{"a": "\xc3\xa9"}', {"a": "é"}),
        (b" null ", None),
        ('"\\ud83d\\ude00"', "\U0001f600"),
    ],
)
def test_strict_loads_accepts(text: str | bytes, expected: Any) -> None:
    assert strict_loads(text) == expected


EXTRA = (json.JSONDecodeError, "Extra data")
NO_VALUE = (json.JSONDecodeError, "Expecting value")
NOT_UTF8 = (UnicodeDecodeError, "can't decode")
CONSTANT = (ValueError, "is not valid JSON")
SURROGATE = (ValueError, "surrogate|can't encode")


@pytest.mark.parametrize(
    ("text", "refusal"),
    [
        ("{} x", EXTRA),
        ("{}\x0c", EXTRA),
        ("{}{}", EXTRA),
        ("[1] ]", EXTRA),
        ("{}\u00a0", EXTRA),
        ("\x0c{}", NO_VALUE),
        ("", NO_VALUE),
        ("   ", NO_VALUE),
        (b"", NO_VALUE),
        (b" \n\t\r", NO_VALUE),
        (b"\xef\xbb\xbf", NO_VALUE),
        ("\ufeff{}", NO_VALUE),  # a BOM is accepted in bytes only, as json.loads does
        (b'{"a": "\xff"}', NOT_UTF8),
        (b"\xc3", NOT_UTF8),
        ("NaN", CONSTANT),
        ("[Infinity]", CONSTANT),
        ('{"a": -Infinity}', CONSTANT),
        ('"\\ud800"', SURROGATE),
        ('{"\\udfff": 1}', SURROGATE),
        ('["ok", "\\ud800x"]', SURROGATE),
    ],
)
def test_strict_loads_refuses(text: str | bytes, refusal: tuple[type[Exception], str]) -> None:
    kind, message = refusal
    with pytest.raises(kind, match=message):
        strict_loads(text)


@pytest.mark.parametrize("text", ["1e400", '{"x": -1e400}'])
def test_strict_loads_refuses_numbers_that_overflow_to_infinity(text: str) -> None:
    with pytest.raises(ValueError, match=r"too large"):
        strict_loads(text)


def test_strict_loads_trailing_data_is_decode_error() -> None:
    with pytest.raises(json.JSONDecodeError):
        strict_loads("{} x")
    with pytest.raises(json.JSONDecodeError):
        strict_loads("{}\x0c")
    with pytest.raises(json.JSONDecodeError):
        strict_loads(" ")


@given(value=JSON_VALUES, ensure_ascii=st.booleans(), pad=st.text(" \t\n\r", max_size=3))
def test_strict_loads_round_trips(value: Any, ensure_ascii: bool, pad: str) -> None:
    text = pad + json.dumps(value, ensure_ascii=ensure_ascii) + pad
    assert strict_loads(text) == value
    assert strict_loads(text.encode()) == value


# -- 4. QueryDict / parse_pairs / Request.args ----------------------------------------------


def test_query_dict_item_access() -> None:
    args = parse_pairs("k=1&k=2&e=&n=x")
    assert isinstance(args, QueryDict)
    assert isinstance(args, ImmutableMultiDict)
    assert args["k"] == "1"
    assert args["e"] == ""
    with pytest.raises(BadRequestKeyError) as info:
        args["missing"]
    assert isinstance(info.value, KeyError)
    assert args.getlist("k") == ["1", "2"]
    assert args.getlist("missing") == []
    assert "k" in args
    assert args.to_dict() == {"k": "1", "e": "", "n": "x"}
    with pytest.raises(TypeError):
        args["k"] = "3"


def test_query_dict_get_with_type() -> None:
    args: Any = parse_pairs("n=12&x=abc&n=5")  # werkzeug's stubs type `type` as str -> str
    assert args.get("n", type=int) == 12
    assert args.get("x", -1, type=int) == -1
    assert args.get("missing", "d", type=int) == "d"
    assert args.get("missing") is None
    assert args.get("x") == "abc"
    assert args.getlist("n", type=int) == [12, 5]


def test_parse_pairs_empty() -> None:
    assert parse_pairs("") == {}
    assert parse_pairs("&&") == {}
    assert isinstance(parse_pairs(""), ImmutableMultiDict)


def _werkzeug_way(query: str) -> MultiDict[str, str]:
    """What werkzeug's own Request.args does with an ASCII query string."""
    return MultiDict(parse_qsl(query, keep_blank_values=True, errors="werkzeug.url_quote"))


@pytest.mark.parametrize(
    "query",
    [
        "a=%20b&c=x+y",
        "a=%ZZ&b=%",
        "a=%FF&b=%C3%A9",
        "a=%e2%82&x%FFy=1",
        "k&k=&=v&=",
        "a=1&%61=2",
        "a=b=c",
        "plus=%2B+%2b",
    ],
)
def test_parse_pairs_decodes_as_werkzeug(query: str) -> None:
    ours = parse_pairs(query)
    theirs = _werkzeug_way(query)
    assert list(ours.items(multi=True)) == list(theirs.items(multi=True))
    assert Request(environ(QUERY_STRING=query)).args == ours


def test_request_args_non_utf8_raw_bytes_become_replacement() -> None:
    raw = "a=caf\u00c3\u00a9&b=\u00ff"  # latin-1 view of b"a=caf\xc3\xa9&b=\xff"
    args = Request(environ(QUERY_STRING=raw)).args
    assert args["a"] == "café"
    assert args["b"] == "\ufffd"


PAIRS = st.lists(st.tuples(st.text(min_size=1, max_size=6), st.text(max_size=6)), max_size=8)


@given(pairs=PAIRS)
def test_parse_pairs_round_trips_urlencode(pairs: list[tuple[str, str]]) -> None:
    parsed = parse_pairs(urlencode(pairs))
    expected: dict[str, list[str]] = {}
    for key, value in pairs:
        expected.setdefault(key, []).append(value)
    assert {k: parsed.getlist(k) for k in parsed} == expected
    assert list(parsed.items(multi=True)) == list(_werkzeug_way(urlencode(pairs)).items(True))


QUERY_TEXT = st.text(alphabet="ab=&%+2FfZ9 ;é\x00", max_size=30)


@given(query=QUERY_TEXT)
def test_parse_pairs_matches_werkzeug_on_any_text(query: str) -> None:
    ours = parse_pairs(query)
    assert list(ours.items(multi=True)) == list(_werkzeug_way(query).items(multi=True))


# -- 5. open_body ---------------------------------------------------------------------------


class Trickle(io.RawIOBase):
    """A server stream that hands out at most ``step`` bytes per read."""

    def __init__(self, data: bytes, step: int = 3) -> None:
        self._data = io.BytesIO(data)
        self.step = step
        self.reads = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        self.reads += 1
        if size is None or size < 0:
            size = self.step
        return self._data.read(min(size, self.step))

    def readinto(self, b: Any) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def tell(self) -> int:
        return self._data.tell()


def body_environ(stream: Any, length: int | str) -> dict[str, Any]:
    return environ("POST", CONTENT_LENGTH=str(length), **{"wsgi.input": stream})


def test_small_body_read_whole_at_open_and_not_past_length() -> None:
    data = b"x" * 100
    stream = io.BytesIO(data + b"NEXT REQUEST")
    body = open_body(body_environ(stream, len(data)), None)
    assert stream.tell() == len(data)  # read at open, and no further
    assert isinstance(body, io.BytesIO)
    assert body.read() == data


def test_small_short_body_is_400_at_open() -> None:
    stream = io.BytesIO(b"abc")
    with pytest.raises(BadRequest) as info:
        open_body(body_environ(stream, 10), None)
    assert info.value.status == 400


def test_short_body_via_trickle_is_400() -> None:
    with pytest.raises(BadRequest):
        open_body(body_environ(Trickle(b"abcdefg", 2), 20), None)


def test_small_body_from_a_trickling_server_is_whole() -> None:
    data = bytes(range(256)) * 4
    stream = Trickle(data + b"tail", step=7)
    body = open_body(body_environ(stream, len(data)), None)
    assert stream.reads > 1
    assert stream.tell() == len(data)
    assert body.read() == data


def test_body_at_the_threshold_is_read_whole() -> None:
    data = b"y" * READ_AT_ONCE
    stream = io.BytesIO(data + b"z")
    body = open_body(body_environ(stream, READ_AT_ONCE), None)
    assert isinstance(body, io.BytesIO)
    assert stream.tell() == READ_AT_ONCE
    assert body.read() == data


def test_large_body_is_streamed() -> None:
    size = READ_AT_ONCE + 1000
    data = bytes(i % 251 for i in range(size))
    stream = io.BytesIO(data + b"extra bytes")
    body = open_body(body_environ(stream, size), None)
    assert not isinstance(body, io.BytesIO)
    assert stream.tell() < size  # nothing (or not all) read yet
    assert body.read(10) == data[:10]
    assert body.read() == data[10:]
    assert stream.tell() == size
    assert body.read() == b""


def test_large_body_from_a_trickling_server() -> None:
    size = READ_AT_ONCE + 10
    data = b"q" * size
    stream = Trickle(data + b"more", step=4096)
    body = open_body(body_environ(stream, size), None)
    assert body.read() == data
    assert stream.tell() == size


def test_large_short_body_is_400_when_read() -> None:
    size = READ_AT_ONCE + 10
    body = open_body(body_environ(io.BytesIO(b"a" * (size - 5)), size), None)
    with pytest.raises(BadRequest):
        body.read()


def test_request_data_small_and_large() -> None:
    for size in (10, READ_AT_ONCE + 3):
        data = b"d" * size
        stream = io.BytesIO(data + b"!")
        req = Request(body_environ(stream, size))
        assert req.get_data() == data
        assert stream.tell() == size


# -- 6. Router ------------------------------------------------------------------------------


def test_params_of_defaults_and_values() -> None:
    router = Router()
    route = router.add(
        "/items/<int:id>/<slug>",
        "target",
        defaults={"a-b": 1, "id": 0, "with space": "s", "'quote\"": "q"},
    )
    match = router.match("/items/7/hello", "GET")
    assert match.route is route
    assert match.params == {
        "a-b": 1,
        "id": 7,
        "with space": "s",
        "'quote\"": "q",
        "slug": "hello",
    }
    assert route.params_of([3, "x"]) == {
        "a-b": 1,
        "id": 3,
        "with space": "s",
        "'quote\"": "q",
        "slug": "x",
    }


def test_params_of_keyword_field_names() -> None:
    router = Router()
    router.add("/k/<class>/<int:def>", "t", defaults={"import": 1})
    assert router.match("/k/x/3", "GET").params == {"import": 1, "class": "x", "def": 3}


def test_params_of_returns_fresh_dicts() -> None:
    router = Router()
    router.add("/only", "target", defaults={"k": "v"})
    first = router.match("/only", "GET").params
    first["k"] = "changed"
    assert router.match("/only", "GET").params == {"k": "v"}


def test_params_of_falcon_syntax() -> None:
    router = Router(syntax="falcon")
    router.add("/u/{user_id:int}/{name}.{ext}", "t", defaults={"x-y": True})
    assert router.match("/u/5/f.txt", "GET").params == {
        "x-y": True,
        "user_id": 5,
        "name": "f",
        "ext": "txt",
    }


def test_slash_redirect_to_directory() -> None:
    router = Router()
    router.add("/", "root")
    router.add("/dir/", "dir")
    with pytest.raises(HTTPRedirect) as info:
        router.match("/dir", "GET")
    assert info.value.status == 308
    assert dict(info.value.headers)["Location"] == "/dir/"


def test_slash_redirect_through_kernel(client: Any) -> None:
    router = Router()
    router.add("/dir/", lambda req: Response("dir"))
    router.add("/<int:n>/", lambda req, n: Response(str(n)))
    app = client(Kernel(router))
    resp = app.get("/dir", status=308)
    assert resp.headers["Location"].endswith("/dir/")
    assert app.get("/dir/").text == "dir"
    assert app.get("/5", status=308).headers["Location"].endswith("/5/")
    app.get("/nothing", status=404)


def test_no_slash_route_gives_404_not_redirect() -> None:
    router = Router()
    router.add("/", "root")
    router.add("/x", "x")
    with pytest.raises(NotFound):
        router.match("/y", "GET")
    with pytest.raises(NotFound):
        router.match("/x/", "GET")


def test_root_alone_does_not_enable_redirects(client: Any) -> None:
    router = Router()
    router.add("/", lambda req: Response("root"))
    with pytest.raises(NotFound):
        router.match("/x", "GET")
    app = client(Kernel(router))
    app.get("/x", status=404)
    assert app.get("/").text == "root"


def test_root_alone_skips_the_slash_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """A miss looks for the slashed twin only when some route (other than the root) ends
    with a slash: otherwise no redirect could come of it."""
    searched: list[str] = []

    def spy(router: Router) -> None:
        find = router._find

        def counting(path: str, values: list[Any]) -> Any:
            searched.append(path)
            return find(path, values)

        monkeypatch.setattr(router, "_find", counting)

    root_only = Router()
    root_only.add("/", "root")
    root_only.add("/x", "x")
    spy(root_only)
    with pytest.raises(NotFound):
        root_only.match("/y", "GET")
    assert searched == []
    with_dir = Router()
    with_dir.add("/", "root")
    with_dir.add("/dir/", "dir")
    spy(with_dir)
    with pytest.raises(NotFound):
        with_dir.match("/y", "GET")
    assert searched == ["/y/"]


def test_lenient_routes_match_both_forms() -> None:
    router = Router()
    router.add("/a", "a", strict_slashes=False)
    router.add("/b/", "b", strict_slashes=False)
    assert router.match("/a", "GET").route.target == "a"
    assert router.match("/a/", "GET").route.target == "a"
    assert router.match("/b/", "GET").route.target == "b"
    assert router.match("/b", "GET").route.target == "b"
    with pytest.raises(NotFound):
        router.match("/c", "GET")


def test_lenient_without_slash_redirect() -> None:
    router = Router(slash_redirect=None)
    router.add("/a/", "a")
    router.add("/b", "b", strict_slashes=False)
    with pytest.raises(NotFound):
        router.match("/a", "GET")
    assert router.match("/b/", "GET").route.target == "b"


def test_slash_route_added_after_first_match_enables_redirect() -> None:
    router = Router()
    router.add("/", "root")
    with pytest.raises(NotFound):
        router.match("/late", "GET")
    router.add("/late/", "late")
    with pytest.raises(HTTPRedirect):
        router.match("/late", "GET")


def test_serve_uses_from_parts_headers() -> None:
    response = Response.from_parts(None, 204, None, [("Content-Length", "0"), ("X", "1")])
    sr = Recorder()
    assert list(serve(response, environ(), sr)) == []
    assert sr.headers == [("X", "1")]
