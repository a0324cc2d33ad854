"""Reverse routing: URLs built from a route name and values."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest

from resources_fw.core.routing import BuildError, Router


@pytest.fixture
def router() -> Router:
    r = Router()
    r.add("/", "index", name="index")
    r.add("/users/<int:id>", "user", ["GET", "PUT"], name="user")
    r.add("/users/", "users", name="users", defaults={"page": 1})
    r.add("/users/page/<int:page>", "users", name="users")
    r.add("/files/<path:rest>", "files", name="files")
    r.add("/day/<dt('%Y-%m-%d'):day>", "day", name="day")
    r.add("/obj/<uuid:key>", "obj", name="obj")
    r.add("/edit/<int:id>", "edit", ["POST"], name="edit")
    return r


def test_build_simple_and_converted_values(router: Router) -> None:
    assert router.build("index") == "/"
    assert router.build("user", {"id": 7}) == "/users/7"
    assert router.build("files", {"rest": "a/b c.txt"}) == "/files/a/b%20c.txt"
    assert router.build("day", {"day": datetime(2026, 11, 21)}) == "/day/2026-11-21"
    key = uuid.UUID("8b1c1a0e-1f55-4d46-9fd2-0c36a7b5a1c4")
    assert router.build("obj", {"key": key}) == f"/obj/{key}"


def test_extra_values_go_to_the_query_string(router: Router) -> None:
    url = router.build("user", {"id": 7, "q": "a b", "tag": ["x", "y"], "none": None})
    assert url == "/users/7?q=a+b&tag=x&tag=y"


def test_defaults_choose_between_rules(router: Router) -> None:
    assert router.build("users") == "/users/"
    assert router.build("users", {"page": 1}) == "/users/"
    assert router.build("users", {"page": 3}) == "/users/page/3"


def test_missing_value_is_a_clear_error(router: Router) -> None:
    with pytest.raises(BuildError, match=r"'/users/<int:id>' needs values for 'id'"):
        router.build("user", {})


def test_unknown_name_suggests_the_near_one(router: Router) -> None:
    with pytest.raises(BuildError, match=r"no route is named 'usr'\. Did you mean 'user'"):
        router.build("usr", {"id": 1})


def test_method_selects_the_route(router: Router) -> None:
    assert router.build("edit", {"id": 1}, method="POST") == "/edit/1"
    with pytest.raises(BuildError, match="does not accept GET"):
        router.build("edit", {"id": 1}, method="GET")


def test_value_the_route_would_not_match_is_refused(router: Router) -> None:
    with pytest.raises(BuildError, match="would not match"):
        router.build("user", {"id": -1})


def test_external_urls_anchor_and_script_name(router: Router) -> None:
    url = router.build(
        "user",
        {"id": 7},
        external=True,
        scheme="https",
        host="example.com",
        script_name="/app/",
        anchor="top",
    )
    assert url == "https://example.com/app/users/7#top"
    with pytest.raises(BuildError, match="needs a host"):
        router.build("user", {"id": 7}, external=True)


def test_falcon_syntax_routes_build_too() -> None:
    router = Router(syntax="falcon")
    router.add("/items/{id:int}/{slug}", "item", name="item")
    assert router.build("item", {"id": 3, "slug": "tea"}) == "/items/3/tea"


@pytest.mark.parametrize("first_with_field", [True, False])
def test_routes_sharing_a_name_build_in_werkzeugs_order(first_with_field: bool) -> None:
    """The route taking the most values is tried first, whatever the registration order:
    a value goes into the path when a route has a field for it."""
    router = Router()
    routes = [("/p/<int:n>", {}), ("/p/", {})]
    if not first_with_field:
        routes.reverse()
    for template, defaults in routes:
        router.add(template, "p", name="p", defaults=defaults)
    router.add("/u/<int:id>", "u", name="u")
    router.add("/u/", "u", name="u", defaults={"id": 1})
    assert router.build("p", {"n": 5}) == "/p/5"
    assert router.build("p", {}) == "/p/"
    assert router.build("p", {"q": "x"}) == "/p/?q=x"
    # A route whose defaults agree with the values wins over the field (as werkzeug does).
    assert router.build("u", {"id": 1}) == "/u/"
    assert router.build("u", {"id": 3}) == "/u/3"
    assert router.build("u", {}) == "/u/"
