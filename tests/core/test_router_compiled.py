"""The compiled matcher: it must agree with the reference tree walk on every path.

Route sets come from a grammar built for ambiguity (unlike test_router_properties, whose values
never collide): static words that are also valid values, bounded and signed ints beside plain
ones, converters that refuse text their regex accepted, path tails in the middle of templates.
Paths are drawn from the same vocabulary, so most of them hit some route, or nearly do.
"""

from __future__ import annotations

import ast
import io
import re
import sys
import threading
import tokenize
import uuid
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.routing import ValidationError

from resources_fw.core import HTTPException
from resources_fw.core.routing import IntConverter, RouteConflictError, Router, TemplateError
from resources_fw.core.routing import router as router_module
from resources_fw.core.routing.compiler import CompiledMatcher
from resources_fw.core.routing.converters import BaseConverter
from resources_fw.core.routing.router import _Leaf, _walk


class OddConverter(BaseConverter):
    """Accepts what its regex accepts, then refuses even numbers: a non-match, not an error."""

    regex = r"\d+"
    weight = 10

    def to_python(self, value: str) -> int:
        if int(value) % 2 == 0:
            raise ValidationError()
        return int(value)


class ShortConverter(BaseConverter):
    """Refuses with ValueError (the other way a converter may say "not this route")."""

    def to_python(self, value: str) -> str:
        if len(value) > 2:
            raise ValueError(value)
        return value.upper()


class TenfoldConverter(IntConverter):
    """A plain-looking int whose own ``to_python`` must not be bypassed by the fast path."""

    def to_python(self, value: str) -> int:
        return int(value) * 10


CUSTOM: dict[str, type[BaseConverter]] = {
    "odd": OddConverter,
    "short": ShortConverter,
    "tenfold": TenfoldConverter,
}

FIELDS = [
    "default",
    "int",
    "int(min=2, max=50)",
    "int(signed=True)",
    "int(2)",
    "float",
    "uuid",
    "any(a, b)",
    "string(length=2)",
    "re('[ab]+')",
    "odd",
    "short",
    "tenfold",
]
TAILS = ["path", "re('.*')"]
WORDS = ["a", "b", "ab", "7", "12", "", "x.y", "q'\"\\{}\u00fc"]
UUID = "12345678-1234-5678-1234-567812345678"
PARTS = [*WORDS, "0", "3", "42", "-3", "007", "1.5", UUID, "\u0663", "\u00b2", " 1", "1_0"]

field = st.sampled_from(FIELDS)
segment = st.one_of(
    st.sampled_from(WORDS).map(lambda w: (w,)),
    field.map(lambda f: (f"<{f}:@>",)),
    st.tuples(st.sampled_from(["p", "x."]), field, st.sampled_from(["", ".x", "-a"])).map(
        lambda t: (t[0], f"<{t[1]}:@>", t[2])
    ),
)
# Segments, maybe a tail, then segments after the tail (the tail's regex then spans them).
template = st.tuples(
    st.lists(segment, min_size=1, max_size=4),
    st.one_of(st.none(), st.sampled_from(TAILS)),
    st.lists(segment, max_size=1),
)
route_sets = st.lists(template, min_size=1, max_size=14)
paths = st.one_of(
    st.lists(st.sampled_from(PARTS), max_size=6).map(lambda p: "/" + "/".join(p)),
    st.sampled_from(["", "a", "a/b", "//", "/a//b"]),
)


# Text for each field: some that its converter takes, some that it refuses (or another takes).
SAMPLES: dict[str, list[str]] = {
    "default": ["a", "zz", "7"],
    "int": ["0", "7", "42", "007", "\u0663", "\u00b2"],
    "int(min=2, max=50)": ["1", "2", "50", "51"],
    "int(signed=True)": ["-3", "3", "+3"],
    "int(2)": ["07", "7", "12"],
    "float": ["1.5", "2.0", "3"],
    "uuid": [UUID, UUID.upper(), "a"],
    "any(a, b)": ["a", "b", "c"],
    "string(length=2)": ["ab", "a"],
    "re('[ab]+')": ["ab", "abc"],
    "odd": ["3", "4"],
    "short": ["ab", "abc"],
    "tenfold": ["5"],
    "path": ["a", "a/b", "", "7/x.y"],
    "re('.*')": ["", "a/", "12/ab"],
}
Spec = tuple[list[tuple[str, ...]], str | None, list[tuple[str, ...]]]


def instantiate(spec: Spec, data: st.DataObject) -> str:
    """A path shaped like ``spec``'s template, with sample text in place of each field."""
    segments, tail, after = spec
    texts = [sample(seg, data) for seg in segments]
    if tail is not None:
        texts.append(data.draw(st.sampled_from(SAMPLES[tail])))
    return "/" + "/".join(texts + [sample(seg, data) for seg in after])


def sample(segment: tuple[str, ...], data: st.DataObject) -> str:
    text = ""
    for piece in segment:
        converter = re.fullmatch(r"<(.*):@>", piece)
        text += data.draw(st.sampled_from(SAMPLES[converter[1]])) if converter else piece
    return text


def render(spec: Spec) -> str:
    segments, tail, after = spec
    names = iter(f"f{i}" for i in range(100))
    texts = ["".join(p.replace("@", next(names)) for p in seg) for seg in segments]
    if tail is not None:
        texts.append(f"<{tail}:{next(names)}>")
    texts += ["".join(p.replace("@", next(names)) for p in seg) for seg in after]
    return "/" + "/".join(texts)


def build(specs: list[Spec]) -> Router:
    router = Router(converters=CUSTOM)
    for i, spec in enumerate(specs):
        methods = ["GET"] if i % 3 else ["GET", "POST"]
        try:
            router.add(render(spec), i, methods, strict_slashes=i % 2 == 0)
        except RouteConflictError:
            continue
    return router


def reference(router: Router, path: str, values: list[Any]) -> _Leaf | None:
    """What the compiled matcher must do: the recursive walk over the tree."""
    if not path.startswith("/"):
        return None
    parts = path[1:].split("/")
    return _walk(router._root, parts, 0, len(parts), values)


def typed(values: list[Any]) -> list[tuple[type, Any]]:
    return [(type(v), v) for v in values]


def outcome(router: Router, path: str, method: str) -> tuple[Any, ...]:
    """Everything ``match`` tells a caller, exceptions included."""
    try:
        m = router.match(path, method)
    except HTTPException as exc:
        return (type(exc), exc.status, sorted(exc.headers))
    return (m.route.target, m.route.automatic, sorted(m.params.items()), m.allowed)


# Default knobs, then ones that force dict lookups, split functions and tiny functions
# everywhere, so small trees exercise every code shape.
KNOBS = [
    {},
    {"chain_limit": 0},
    {"max_indent": 3},
    {"max_lines": 0, "chain_limit": 1},
]


@pytest.mark.parametrize("knobs", KNOBS)
@settings(max_examples=120, deadline=None)
@given(specs=route_sets, probes=st.lists(paths, max_size=10), data=st.data())
def test_compiled_matcher_agrees_with_the_tree_walk(
    knobs: dict[str, int], specs: list[Spec], probes: list[str], data: st.DataObject
) -> None:
    router = build(specs)
    find = CompiledMatcher(router._root, **knobs).find
    near = [instantiate(spec, data) for spec in specs for _ in range(3)]
    for path in [*probes, *near]:
        got: list[Any] = []
        want: list[Any] = []
        leaf = find(path, got)
        assert leaf is reference(router, path, want), path
        assert typed(got) == typed(want), path


@settings(max_examples=120, deadline=None)
@given(specs=route_sets, probes=st.lists(paths, max_size=10), data=st.data())
def test_match_answers_exactly_as_with_the_tree_walk(
    specs: list[Spec], probes: list[str], data: st.DataObject
) -> None:
    compiled, walked = build(specs), build(specs)
    walked._finder = lambda path, values: reference(walked, path, values)
    near = [instantiate(spec, data) for spec in specs]
    for path in [*probes, *near, *(p + "/" for p in near), *(p[:-1] for p in near)]:
        for method in ("GET", "POST", "HEAD", "OPTIONS", "PUT"):
            assert outcome(compiled, path, method) == outcome(walked, path, method)


def test_plain_int_fast_path_accepts_exactly_what_its_regex_accepts() -> None:
    # The matcher tests str.isdecimal() where the converter's regex is \d+.
    digit = re.compile(r"\d")
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        assert char.isdecimal() == (digit.fullmatch(char) is not None), hex(code)
    assert not "".isdecimal()


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/n/\u0663\u0664", {"n": 34}),  # Arabic-Indic digits are \d, and int() reads them
        ("/n/" + "9" * 5000, None),  # int() refuses that many digits: a non-match, not a 500
        ("/n/\u00b2", None),  # a superscript is a digit to isdigit(), not to \d
        ("/n/1_0", None),
        ("/n/+1", None),
        ("/n/ 1", None),
    ],
)
def test_plain_int_edge_cases(path: str, params: dict[str, int] | None) -> None:
    router = Router()
    router.add("/n/<int:n>", "int")
    if params is None:
        with pytest.raises(HTTPException) as info:
            router.match(path, "GET")
        assert info.value.status == 404
    else:
        assert router.match(path, "GET").params == params


def test_an_int_subclass_keeps_its_own_to_python() -> None:
    router = Router(converters=CUSTOM)
    router.add("/n/<tenfold:n>", "t")
    assert router.match("/n/4", "GET").params == {"n": 40}


TEXT_ALPHABET = st.characters(blacklist_characters="/<>", blacklist_categories=["Cs"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(TEXT_ALPHABET, max_size=12), min_size=1, max_size=4))
def test_any_static_text_compiles_and_matches_itself(words: list[str]) -> None:
    router = Router()
    path = "/" + "/".join(words)
    try:
        router.add(path + "/<int:n>", "t")
    except TemplateError:
        return  # text that is not a valid template (e.g. quotes the parser reads) is refused
    values: list[Any] = []
    # The finder itself, not the dict of fully static paths that match() tries first.
    leaf = CompiledMatcher(router._root, chain_limit=1).find(path + "/5", values)
    assert leaf is not None
    assert leaf.routes[0].target == "t"
    assert values == [5]


def test_source_holds_user_text_only_in_string_literals() -> None:
    router = Router(converters=CUSTOM)
    words = ["zqword", "zq'quote", 'zq"dq', "zq\\back", "zq\nnl", "zq)]}:#", "zq__import__('os')"]
    for i, word in enumerate(words):
        router.add(f"/{word}/<int:n>/{word}", i)
        router.add(f"/{word}/<re('zq[0-9]+'):r>", i)
        router.add(f"/k{i}/p<odd:n>{word}", i)
    for i in range(20):  # wide enough for a dict lookup and lazily compiled functions
        router.add(f"/w{i}/zqwide{i}/<path:p>", i)
    source = router.compiled_source(complete=True)
    compile(source, "<test>", "exec")
    literals = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.STRING:
            literals.add(ast.literal_eval(token.string))
        else:
            assert token.type != tokenize.COMMENT
            assert "zq" not in token.string, token
    assert {w for w in literals if isinstance(w, str) and "zq" in w} <= {
        *words,
        *(f"zqwide{i}" for i in range(20)),
    }
    assert "re.compile" not in source  # regexes are bound beside the code, never in it
    for i, word in enumerate(words):
        assert router.match(f"/{word}/3/{word}", "GET").route.target == i


def test_compiled_source_is_lazy_until_asked_to_be_complete() -> None:
    router = Router()
    for i in range(30):
        router.add(f"/r{i}/<int:a>", i)
    assert router.match("/r7/1", "GET").route.target == 7
    partial = router.compiled_source()
    assert partial.count("def ") == 2  # find, and the one subtree a request reached
    complete = router.compiled_source(complete=True)
    assert complete.count("def ") == 31
    assert len(set(re.findall(r"def (\w+)", complete))) == 31
    assert router.compiled_source() == complete


def test_add_after_a_match_recompiles() -> None:
    router = Router()
    router.add("/a/<int:n>", "a")
    assert router.match("/a/1", "GET").route.target == "a"
    before = router.compiled_source()
    router.add("/a/<int:n>/zqnew", "new")
    router.add("/b/<name>", "b")
    assert router.match("/a/1/zqnew", "GET").params == {"n": 1}
    assert router.match("/b/x", "GET").route.target == "b"
    after = router.compiled_source()
    assert "'zqnew'" in after
    assert "'zqnew'" not in before


def test_deep_templates_are_split_into_several_functions() -> None:
    # Far past what one function's indentation allows.
    router = Router()
    deep = "".join(f"/s{i}/<int:v{i}>" for i in range(80))
    router.add(deep, "deep")
    router.add("/" + "/".join(f"<int:w{i}>" for i in range(150)), "ints")
    path = "".join(f"/s{i}/{i}" for i in range(80))
    assert router.match(path, "GET").params == {f"v{i}": i for i in range(80)}
    match = router.match("/" + "/".join(str(i) for i in range(150)), "GET")
    assert match.route.target == "ints"
    assert list(match.params.values()) == list(range(150))
    with pytest.raises(HTTPException):
        router.match(path + "/more", "GET")


def test_many_sibling_converters_keep_their_priority() -> None:
    router = Router()
    for i in range(40):
        router.add(f"/k/<re('{i}[a-z]*'):v>/x", i)
    router.add("/k/<int:n>/x", "int")  # lighter (werkzeug weight 50): tried before the regexes
    assert router.match("/k/39/x", "GET").route.target == "int"
    assert router.match("/k/39a/x", "GET").route.target == 39
    assert router.match("/k/7zz/x", "GET").params == {"v": "7zz"}
    for path in ("/k/39a/x", "/k/7zz/x", "/k/1/x", "/k/1b/y"):
        got: list[Any] = []
        want: list[Any] = []
        assert router._find(path, got) is reference(router, path, want)
        assert got == want


def test_threads_matching_during_the_first_compile_all_get_it_right(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    built: list[CompiledMatcher] = []

    class Counted(CompiledMatcher):
        def __init__(self, root: Any) -> None:
            super().__init__(root)
            built.append(self)

    monkeypatch.setattr(router_module, "CompiledMatcher", Counted)
    router = Router()
    for i in range(300):
        router.add(f"/r{i}/<int:a>/items/<int:b>", i)
    router.add("/files/<path:p>", "files")
    probes: list[tuple[str, Any, dict[str, Any]]] = [
        (f"/r{i}/{i}/items/{2 * i}", i, {"a": i, "b": 2 * i}) for i in range(0, 300, 7)
    ]
    probes.append(("/files/a/b", "files", {"p": "a/b"}))
    threads = 8
    barrier = threading.Barrier(threads)
    failures: list[Any] = []

    def work(offset: int) -> None:
        barrier.wait()
        for k in range(len(probes)):
            path, target, params = probes[(k + offset) % len(probes)]
            try:
                match = router.match(path, "GET")
            except Exception as exc:  # collected: an exception in a thread fails nothing
                failures.append((path, exc))
            else:
                if (match.route.target, match.params) != (target, params):
                    failures.append((path, match))

    pool = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    # Switch threads as often as possible, so they really do meet inside the first compile.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert failures == []
    assert len(built) == 1
    names = re.findall(r"def (\w+)", router.compiled_source())
    assert len(names) == len(set(names))  # no subtree compiled twice either


def test_a_uuid_and_a_path_not_starting_with_a_slash() -> None:
    router = Router()
    router.add("/u/<uuid:u>", "u")
    assert router.match(f"/u/{UUID}", "GET").params == {"u": uuid.UUID(UUID)}
    values: list[Any] = []
    assert CompiledMatcher(router._root).find(f"u/{UUID}", values) is None
    assert CompiledMatcher(router._root).find("", values) is None
    assert values == []
