"""Matching: converters, priority, 404/405, automatic HEAD/OPTIONS, trailing slashes, conflicts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import pytest
from werkzeug.routing import BaseConverter, ValidationError

from resources_fw.core import HTTPRedirect, MethodNotAllowed, NotFound
from resources_fw.core.routing import RouteConflictError, Router, TemplateError


def target_of(router: Router, path: str, method: str = "GET") -> tuple[Any, dict[str, Any]]:
    match = router.match(path, method)
    return match.route.target, match.params


@pytest.fixture
def router() -> Router:
    return Router()


def test_static_and_root(router: Router) -> None:
    router.add("/", "root")
    router.add("/about", "about")
    assert target_of(router, "/") == ("root", {})
    assert target_of(router, "/about") == ("about", {})


@pytest.mark.parametrize(
    ("template", "path", "expected"),
    [
        ("/u/<name>", "/u/ada", {"name": "ada"}),
        ("/u/<string(length=3):code>", "/u/abc", {"code": "abc"}),
        ("/u/<int:id>", "/u/42", {"id": 42}),
        ("/u/<int(min=1, max=9):id>", "/u/9", {"id": 9}),
        ("/u/<int(4):id>", "/u/0042", {"id": 42}),
        ("/u/<int(signed=True):id>", "/u/-3", {"id": -3}),
        ("/u/<float:x>", "/u/2.5", {"x": 2.5}),
        (
            "/u/<uuid:u>",
            "/u/8b1c1a0e-1f55-4d46-9fd2-0c36a7b5a1c4",
            {"u": uuid.UUID("8b1c1a0e-1f55-4d46-9fd2-0c36a7b5a1c4")},
        ),
        ("/u/<path:rest>", "/u/a/b/c.txt", {"rest": "a/b/c.txt"}),
        ("/u/<path:rest>/edit", "/u/a/b/edit", {"rest": "a/b"}),
        ("/u/<any(red, green):colour>", "/u/green", {"colour": "green"}),
        ("/u/<dt('%Y-%m-%d'):day>", "/u/2026-11-21", {"day": datetime(2026, 11, 21)}),
        ("/u/<regex('[a-z]{2}[0-9]'):code>", "/u/ab1", {"code": "ab1"}),
        ("/u/<re('.*'):url>", "/u/x/y/z", {"url": "x/y/z"}),
        ("/page<int:n>.html", "/page12.html", {"n": 12}),
        ("/f/<name>.<ext>", "/f/report.pdf", {"name": "report", "ext": "pdf"}),
    ],
)
def test_converters(router: Router, template: str, path: str, expected: dict[str, Any]) -> None:
    router.add(template, "t")
    assert target_of(router, path) == ("t", expected)


@pytest.mark.parametrize(
    ("template", "path"),
    [
        ("/u/<int:id>", "/u/x1"),
        ("/u/<int:id>", "/u/-1"),
        ("/u/<int(min=1, max=9):id>", "/u/10"),
        ("/u/<int(min=1, max=9):id>", "/u/0"),
        ("/u/<int(4):id>", "/u/042"),
        ("/u/<float:x>", "/u/abc"),
        ("/u/<uuid:u>", "/u/not-a-uuid"),
        ("/u/<any(red, green):colour>", "/u/blue"),
        ("/u/<dt('%Y-%m-%d'):day>", "/u/2026-13-40"),
        ("/u/<name>", "/u/a/b"),
        ("/u/<path:rest>", "/u/"),
        ("/u/<string(length=3):code>", "/u/abcd"),
    ],
)
def test_a_value_that_fails_conversion_is_a_404(router: Router, template: str, path: str) -> None:
    router.add(template, "t")
    with pytest.raises(NotFound):
        router.match(path, "GET")


def test_falcon_syntax_routes_like_werkzeug_syntax() -> None:
    router = Router(syntax="falcon")
    router.add("/u/{id:int(min=1)}/files/{rest:path}", "t")
    assert target_of(router, "/u/3/files/a/b") == ("t", {"id": 3, "rest": "a/b"})


def test_static_beats_dynamic_whatever_the_order(router: Router) -> None:
    router.add("/u/<name>", "dynamic")
    router.add("/u/me", "static")
    assert target_of(router, "/u/me")[0] == "static"
    assert target_of(router, "/u/you")[0] == "dynamic"


def test_narrower_converter_wins_then_backtracks(router: Router) -> None:
    router.add("/u/<name>/profile", "by-name")
    router.add("/u/<int:id>/posts", "by-id")
    assert target_of(router, "/u/7/posts") == ("by-id", {"id": 7})
    # "7" also matches the int branch first; the walk backtracks into the string branch.
    assert target_of(router, "/u/7/profile") == ("by-name", {"name": "7"})


def test_static_branch_backtracks_into_dynamic(router: Router) -> None:
    router.add("/a/b", "static")
    router.add("/a/<x>/c", "dynamic")
    assert target_of(router, "/a/b/c") == ("dynamic", {"x": "b"})


def test_segment_with_more_static_text_wins(router: Router) -> None:
    router.add("/f/<name>", "plain")
    router.add("/f/<name>.json", "json")
    assert target_of(router, "/f/data.json") == ("json", {"name": "data"})
    assert target_of(router, "/f/data") == ("plain", {"name": "data"})


def test_path_tail_after_single_segments(router: Router) -> None:
    router.add("/p/<path:rest>", "tail")
    router.add("/p/<name>", "one")
    assert target_of(router, "/p/x")[0] == "one"
    assert target_of(router, "/p/x/y")[0] == "tail"


def test_404_when_nothing_matches(router: Router) -> None:
    router.add("/a", "a")
    with pytest.raises(NotFound):
        router.match("/b", "GET")
    with pytest.raises(NotFound):
        router.match("", "GET")


def test_405_lists_exactly_the_allowed_methods(router: Router) -> None:
    router.add("/items", "list", ["GET"])
    router.add("/items", "create", ["POST"])
    with pytest.raises(MethodNotAllowed) as info:
        router.match("/items", "DELETE")
    assert info.value.allowed == ("GET", "HEAD", "OPTIONS", "POST")
    assert ("Allow", "GET, HEAD, OPTIONS, POST") in info.value.headers
    assert info.value.status == 405


def test_405_allow_spans_every_shape_matching_the_path(router: Router) -> None:
    router.add("/u/me", "me", ["GET"])
    router.add("/u/<name>", "named", ["PUT"])
    assert target_of(router, "/u/me", "PUT") == ("named", {"name": "me"})
    with pytest.raises(MethodNotAllowed) as info:
        router.match("/u/me", "DELETE")
    assert info.value.allowed == ("GET", "HEAD", "OPTIONS", "PUT")


def test_same_shape_different_names_and_methods_share_a_path(router: Router) -> None:
    router.add("/u/<int:a>", "get", ["GET"])
    router.add("/u/<int:b>", "post", ["POST"])
    assert target_of(router, "/u/1", "GET") == ("get", {"a": 1})
    assert target_of(router, "/u/1", "POST") == ("post", {"b": 1})


def test_automatic_head_and_options(router: Router) -> None:
    router.add("/x", "x", ["GET", "POST"])
    assert router.match("/x", "HEAD").route.target == "x"
    options = router.match("/x", "OPTIONS")
    assert options.route.automatic
    assert options.allowed == ("GET", "HEAD", "OPTIONS", "POST")


def test_automatic_head_and_options_can_be_switched_off() -> None:
    router = Router(auto_head=False, auto_options=False)
    router.add("/x", "x")
    with pytest.raises(MethodNotAllowed) as info:
        router.match("/x", "HEAD")
    assert info.value.allowed == ("GET",)
    with pytest.raises(MethodNotAllowed):
        router.match("/x", "OPTIONS")


def test_explicit_head_and_options_win(router: Router) -> None:
    router.add("/x", "get", ["GET"])
    router.add("/x", "head", ["HEAD"])
    router.add("/x", "options", ["OPTIONS"])
    assert router.match("/x", "HEAD").route.target == "head"
    assert router.match("/x", "OPTIONS").route.target == "options"


def test_trailing_slash_redirects_with_308(router: Router) -> None:
    router.add("/dir/", "dir")
    with pytest.raises(HTTPRedirect) as info:
        router.match("/dir", "GET")
    assert info.value.status == 308
    assert info.value.location == "/dir/"
    assert ("Location", "/dir/") in info.value.headers


def test_trailing_slash_redirect_is_configurable() -> None:
    router = Router(slash_redirect=301)
    router.add("/dir/", "dir")
    with pytest.raises(HTTPRedirect) as info:
        router.match("/dir", "GET")
    assert info.value.status == 301
    off = Router(slash_redirect=None)
    off.add("/dir/", "dir")
    with pytest.raises(NotFound):
        off.match("/dir", "GET")


def test_no_redirect_to_drop_a_slash(router: Router) -> None:
    router.add("/file", "file")
    with pytest.raises(NotFound):
        router.match("/file/", "GET")


def test_non_strict_routes_match_both_forms(router: Router) -> None:
    router.add("/a/", "a", strict_slashes=False)
    router.add("/b", "b", strict_slashes=False)
    assert target_of(router, "/a")[0] == "a"
    assert target_of(router, "/b/")[0] == "b"


def test_defaults_fill_params(router: Router) -> None:
    router.add("/users/", "users", defaults={"page": 1})
    router.add("/users/page/<int:page>", "users")
    assert target_of(router, "/users/") == ("users", {"page": 1})
    assert target_of(router, "/users/page/3") == ("users", {"page": 3})


def test_duplicate_route_is_rejected_naming_both(router: Router) -> None:
    router.add("/u/<int:id>", "first", ["GET", "PUT"])
    with pytest.raises(RouteConflictError) as info:
        router.add("/u/<int:uid>", "second", ["PUT", "POST"])
    message = str(info.value)
    assert "/u/<int:id>" in message
    assert "/u/<int:uid>" in message
    assert "PUT" in message


def test_duplicate_falcon_route_is_rejected() -> None:
    router = Router(syntax="falcon")
    router.add("/u/{id}", "first")
    with pytest.raises(RouteConflictError, match=r"/u/\{name\}.*/u/\{id\}"):
        router.add("/u/{name}", "second")


def test_unknown_converter_suggests_the_near_one(router: Router) -> None:
    with pytest.raises(TemplateError, match=r"unknown converter 'itn'.*did you mean 'int'"):
        router.add("/u/<itn:id>", "t")


def test_bad_converter_arguments_are_reported(router: Router) -> None:
    with pytest.raises(TemplateError, match="bad arguments for converter 'regex'"):
        router.add("/u/<regex('('):x>", "t")
    with pytest.raises(TemplateError, match="bad arguments for converter 'int'"):
        router.add("/u/<int(nope=1):x>", "t")


def test_converter_argument_types_are_checked_at_registration(router: Router) -> None:
    with pytest.raises(TemplateError, match="min='a' must be a number"):
        router.add("/x/<int(min='a'):id>", "t")
    with pytest.raises(TemplateError, match="max='z' must be a number"):
        router.add("/x/<float(max='z'):v>", "t")


def test_negative_bounds(router: Router) -> None:
    router.add("/t/<int(min=-90, max=90, signed=True):t>", "t")
    assert target_of(router, "/t/-90") == ("t", {"t": -90})
    with pytest.raises(NotFound):
        router.match("/t/-91", "GET")


def test_route_needs_methods(router: Router) -> None:
    with pytest.raises(ValueError, match="has no methods"):
        router.add("/x", "x", [])


class ListConverter(BaseConverter):
    """A custom werkzeug converter, as users write them for Flask."""

    regex = r"\w+(?:,\w+)*"

    def to_python(self, value: str) -> list[str]:
        return value.split(",")

    def to_url(self, value: list[str]) -> str:
        return ",".join(BaseConverter.to_url(self, v) for v in value)


class WerkzeugRegexConverter(BaseConverter):
    """The well-known recipe, verbatim in spirit: the regex comes from the rule."""

    def __init__(self, map: Any, *items: str) -> None:
        super().__init__(map)
        self.regex = items[0]


class EvenConverter(BaseConverter):
    regex = r"\d+"
    weight = 10  # tried before int (50)

    def to_python(self, value: str) -> int:
        if int(value) % 2:
            raise ValidationError()
        return int(value)


def test_custom_werkzeug_converters_work_unchanged() -> None:
    router = Router(converters={"list": ListConverter, "regex": WerkzeugRegexConverter})
    router.add("/tags/<list:tags>", "tags", name="tags")
    router.add("/raw/<regex('.*'):url>", "raw")
    router.add("/code/<regex('[A-Z]{3}'):code>", "code")
    assert target_of(router, "/tags/a,b,c") == ("tags", {"tags": ["a", "b", "c"]})
    assert target_of(router, "/raw/a/b/c") == ("raw", {"url": "a/b/c"})
    assert target_of(router, "/code/ABC") == ("code", {"code": "ABC"})
    assert router.build("tags", {"tags": ["x", "y"]}) == "/tags/x,y"


def test_converter_refusing_a_value_is_a_non_match() -> None:
    router = Router(converters={"even": EvenConverter})
    router.add("/n/<even:n>", "even")
    router.add("/n/<int:n>", "int")
    assert target_of(router, "/n/4")[0] == "even"
    assert target_of(router, "/n/5")[0] == "int"


def test_converters_are_per_router() -> None:
    a = Router(converters={"even": EvenConverter})
    b = Router()
    a.add("/n/<even:n>", "t")
    with pytest.raises(TemplateError):
        b.add("/n/<even:n>", "t")


def test_dump_shows_the_compiled_tree(router: Router) -> None:
    router.add("/", "root")
    router.add("/u/<int:id>", "user", ["GET", "PUT"])
    router.add("/files/<path:p>", "files")
    text = router.dump()
    assert "u/" in text
    assert "{int()}/  => /u/<int:id> [GET, HEAD, OPTIONS, PUT]" in text
    assert "{path()}  => /files/<path:p>" in text


def test_many_routes_match_correctly() -> None:
    router = Router()
    for i in range(1000):
        router.add(f"/r{i}/<int:a>/items/<int:b>", i)
    for i in (0, 499, 999):
        assert target_of(router, f"/r{i}/1/items/2") == (i, {"a": 1, "b": 2})


def test_automatic_options_allow_spans_every_shape(router: Router) -> None:
    router.add("/u/me", "me", ["GET"])
    router.add("/u/<name>", "named", ["PUT"])
    assert router.match("/u/me", "OPTIONS").allowed == ("GET", "HEAD", "OPTIONS", "PUT")


@pytest.mark.parametrize(
    ("specific", "value"),
    [
        ("uuid", "8b1c1a0e-1f55-4d46-9fd2-0c36a7b5a1c4"),
        ("any(red, blue)", "red"),
        ("re('x+')", "xx"),
    ],
)
def test_specific_converter_beats_catch_all_string_registered_first(
    router: Router, specific: str, value: str
) -> None:
    router.add("/k/<name>", "string")
    router.add(f"/k/<{specific}:v>", "specific")
    assert target_of(router, f"/k/{value}")[0] == "specific"
    assert target_of(router, "/k/other")[0] == "string"


@pytest.mark.parametrize(
    ("template", "greedy"),
    [
        ("/k/<name>", False),
        ("/k/<string(minlength=2):name>", False),
        ("/k/<int:n>", False),
        ("/k/<path:p>", True),
        ("/k/<re('.*'):p>", True),
        ("/k/<re('[a-z/]+'):p>", True),
        ("/k/<re('[0-9]+/[0-9]+'):p>", True),
        ("/k/<re('[a-z]+'):p>", False),
    ],
)
def test_only_slash_matching_converters_span_segments(template: str, greedy: bool) -> None:
    router = Router()
    router.add(template, "t")
    node = router._root.static["k"]
    assert (len(node.tails), len(node.dynamic)) == ((1, 0) if greedy else (0, 1))
