"""The core's examples in docs/examples/, driven over HTTP (WebTest under wsgiref.validate)."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest
from webtest import TestApp

from resources_fw.core import Limits

Client = Callable[[Any], TestApp]
Loader = Callable[[str], ModuleType]


# -- core_hello ---------------------------------------------------------------------------


def test_hello_greets_the_world_and_a_name(client: Client, load_example: Loader) -> None:
    app = client(load_example("core_hello").app)
    assert app.get("/").text == "Hello, world!\n"
    page = app.get("/hello/Ada")
    assert page.text == "Hello, Ada!\n"
    assert page.content_type == "text/plain"
    assert page.headers["Content-Length"] == str(len("Hello, Ada!\n"))


def test_hello_answers_head_options_404_and_405(client: Client, load_example: Loader) -> None:
    app = client(load_example("core_hello").app)
    assert app.head("/hello/Ada").body == b""
    assert app.options("/").headers["Allow"] == "GET, HEAD, OPTIONS"
    assert app.get("/nowhere", status=404).json["title"] == "404 Not Found"
    assert app.post("/", status=405).headers["Allow"] == "GET, HEAD, OPTIONS"


def test_hello_builds_its_urls(load_example: Loader) -> None:
    router = load_example("core_hello").router
    assert router.build("hello", {"name": "Ada Lovelace"}) == "/hello/Ada%20Lovelace"


# -- core_notes ---------------------------------------------------------------------------


@pytest.fixture
def notes(client: Client, load_example: Loader) -> TestApp:
    """A fresh notes app (empty store) for each test."""
    return client(load_example("core_notes").create_app())


def test_notes_module_exposes_a_ready_app(client: Client, load_example: Loader) -> None:
    module = load_example("core_notes")
    assert client(module.app).get("/notes").json == []
    # Each create_app() has its own store: tests and embedders never share notes.
    first, second = client(module.create_app()), client(module.create_app())
    first.post_json("/notes", {"text": "only here"}, status=201)
    assert second.get("/notes").json == []


def test_notes_start_empty(notes: TestApp) -> None:
    listing = notes.get("/notes")
    assert listing.json == []
    assert listing.content_type == "application/json"


def test_create_then_read_a_note(notes: TestApp) -> None:
    created = notes.post_json("/notes", {"text": "buy milk", "tags": ["home"]}, status=201)
    assert created.json == {"id": 1, "text": "buy milk", "tags": ["home"]}
    assert created.headers["Location"] == "/notes/1"
    assert notes.get("/notes/1").json == created.json
    notes.post_json("/notes", {"text": "write docs"}, status=201)
    assert [n["id"] for n in notes.get("/notes").json] == [1, 2]
    assert notes.get("/notes", {"tag": "home"}).json == [created.json]


def test_location_honours_the_mount_point(client: Client, load_example: Loader) -> None:
    app = client(load_example("core_notes").create_app())
    app.extra_environ = {"SCRIPT_NAME": "/api"}
    created = app.post_json("/notes", {"text": "x"}, status=201)
    assert created.headers["Location"] == "/api/notes/1"


def test_replace_and_delete_a_note(notes: TestApp) -> None:
    notes.post_json("/notes", {"text": "draft"}, status=201)
    replaced = notes.put_json("/notes/1", {"text": "final", "tags": ["a", "b"]})
    assert replaced.json == {"id": 1, "text": "final", "tags": ["a", "b"]}
    deleted = notes.delete("/notes/1", status=204)
    assert deleted.body == b""
    assert notes.get("/notes/1", status=404).json["description"] == "There is no note with id 1."
    notes.delete("/notes/1", status=404)
    notes.put_json("/notes/1", {"text": "again"}, status=404)


@pytest.mark.parametrize("path", ["/notes/0", "/notes/abc", "/notes/-1", "/notes/1/x"])
def test_ids_that_cannot_exist_are_404(notes: TestApp, path: str) -> None:
    notes.get(path, status=404)


def test_method_errors_and_automatic_answers(notes: TestApp) -> None:
    refused = notes.patch_json("/notes/1", {"text": "x"}, status=405)
    assert refused.headers["Allow"] == "DELETE, GET, HEAD, OPTIONS, PUT"
    assert notes.options("/notes").headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert notes.head("/notes").body == b""


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([1, 2], "The body must be a JSON object."),
        ({"text": ""}, "Field 'text' must be a non-empty string."),
        ({"text": 5}, "Field 'text' must be a non-empty string."),
        ({"text": "x" * 10_001}, "Field 'text' is longer than 10000 characters."),
        ({"text": "x", "tags": "a"}, "Field 'tags' must be a list of non-empty strings."),
        ({"text": "x", "tags": [""]}, "Field 'tags' must be a list of non-empty strings."),
        ({"text": "x", "colour": "red"}, "Unknown field(s) colour; a note has text and tags."),
    ],
)
def test_invalid_notes_are_422_with_the_reason(notes: TestApp, payload: Any, message: str) -> None:
    refused = notes.post_json("/notes", payload, status=422)
    assert refused.json == {"title": "422 Unprocessable Entity", "description": message}
    assert notes.get("/notes").json == []


def test_malformed_bodies_are_refused_by_the_core(notes: TestApp) -> None:
    bad_json = notes.post("/notes", "{", content_type="application/json", status=400)
    assert bad_json.json["description"] == "The request body is not valid JSON."
    notes.post("/notes", "text=x", content_type="application/x-www-form-urlencoded", status=415)
    deep = "[" * 100_000 + "]" * 100_000
    notes.post("/notes", deep, content_type="application/json", status=413)


def test_the_body_limit_is_configurable(client: Client, load_example: Loader) -> None:
    module = load_example("core_notes")
    small = client(module.create_app(Limits(max_content_length=20)))
    small.post_json("/notes", {"text": "short"}, status=201)
    small.post_json("/notes", {"text": "x" * 50}, status=413)
    roomy = client(module.create_app(Limits(max_content_length=None)))
    deep = "[" * 100_000 + "]" * 100_000
    roomy.post("/notes", deep, content_type="application/json", status=400)


def test_errors_are_html_for_browsers(notes: TestApp) -> None:
    page = notes.get("/notes/9", headers={"Accept": "text/html"}, status=404)
    assert page.content_type == "text/html"
    assert "<p>There is no note with id 9.</p>" in page.text
