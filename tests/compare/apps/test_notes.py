"""Behaviour spec of the notes API (sqlite, marshmallow, ETags), run against both."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webtest import TestApp

from compare.apps.notes.domain import DEMO_NOTES

from .conftest import MakeApp

APP = "notes"

FIRST = {"id": 1, "title": "Buy milk", "body": "Semi-skimmed, two litres.", "tag": "shopping"}


def _query(link: str) -> dict[str, list[str]]:
    parts = urlsplit(link)
    assert parts.path == "/notes"
    return parse_qs(parts.query)


def test_list_first_page(app: TestApp) -> None:
    response = app.get("/notes")
    assert response.content_type == "application/json"
    body = response.json
    assert body["total"] == len(DEMO_NOTES)
    assert (body["limit"], body["offset"], body["next"]) == (20, 0, None)
    assert body["items"][0] == FIRST
    assert [n["id"] for n in body["items"]] == [1, 2, 3, 4, 5]


def test_pagination_links(app: TestApp) -> None:
    body = app.get("/notes?limit=2").json
    assert [n["id"] for n in body["items"]] == [1, 2]
    assert _query(body["next"]) == {"limit": ["2"], "offset": ["2"]}
    body = app.get(body["next"]).json
    assert [n["id"] for n in body["items"]] == [3, 4]
    body = app.get(body["next"]).json
    assert ([n["id"] for n in body["items"]], body["next"]) == ([5], None)


def test_filtering(app: TestApp) -> None:
    body = app.get("/notes?tag=shopping&limit=1").json
    assert (body["total"], body["items"][0]["title"]) == (2, "Buy milk")
    assert _query(body["next"]) == {"limit": ["1"], "offset": ["1"], "tag": ["shopping"]}
    assert [n["id"] for n in app.get("/notes?q=ADA").json["items"]] == [2]
    # LIKE wildcards are searched for literally
    assert [n["id"] for n in app.get("/notes?q=50%25").json["items"]] == [5]
    assert app.get("/notes?q=_").json["total"] == 0
    assert app.get("/notes?tag=none-such").json == {
        "items": [],
        "total": 0,
        "limit": 20,
        "offset": 0,
        "next": None,
    }


@pytest.mark.parametrize(
    ("query", "name"),
    [("limit=0", "limit"), ("limit=101", "limit"), ("limit=x", "limit"), ("offset=-1", "offset")],
)
def test_bad_paging_is_a_400_naming_the_parameter(app: TestApp, query: str, name: str) -> None:
    response = app.get(f"/notes?{query}", status=400)
    assert response.content_type == "application/json"
    assert f'"{name}"' in response.json["description"]


def test_create(app: TestApp) -> None:
    response = app.post_json("/notes", {"title": "New", "tag": "study"}, status=201)
    assert response.headers["Location"] == "/notes/6"
    assert response.json == {"id": 6, "title": "New", "body": "", "tag": "study"}
    etag = response.headers["ETag"]
    assert etag.startswith('"')
    assert etag.endswith('"')
    again = app.get("/notes/6")
    assert (again.json, again.headers["ETag"]) == (response.json, etag)
    assert app.get("/notes").json["total"] == len(DEMO_NOTES) + 1


def test_validation_errors_are_422_per_field(app: TestApp) -> None:
    response = app.post_json("/notes", {"body": 3, "tag": "Not A Tag"}, status=422)
    assert response.content_type == "application/json"
    assert response.json["errors"] == {
        "title": ["Missing data for required field."],
        "body": ["Not a valid string."],
        "tag": ["Use 1-30 of a-z, 0-9 and '-'."],
    }
    assert app.get("/notes").json["total"] == len(DEMO_NOTES)


def test_unknown_fields_are_rejected(app: TestApp) -> None:
    response = app.post_json("/notes", {"title": "x", "id": 99}, status=422)
    assert response.json["errors"] == {"id": ["Unknown field."]}


def test_bad_bodies(app: TestApp) -> None:
    app.post("/notes", "{", content_type="application/json", status=400)
    app.post("/notes", "title", content_type="text/plain", status=415)


def test_get_one_with_etag(app: TestApp) -> None:
    response = app.get("/notes/1")
    assert response.json == FIRST
    assert response.headers["ETag"]
    app.get("/notes/99", status=404)
    assert app.get("/notes/99", status=404).json["description"] == "No note 99."
    app.get("/notes/0", status=404)


def test_conditional_get(app: TestApp) -> None:
    etag = app.get("/notes/1").headers["ETag"]
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = app.get("/notes/1", headers={"If-None-Match": header}, status=304)
        assert response.body == b""
        assert response.headers["ETag"] == etag
    assert app.get("/notes/1", headers={"If-None-Match": '"other"'}).json == FIRST


def test_put_replaces_and_changes_the_etag(app: TestApp) -> None:
    old = app.get("/notes/1").headers["ETag"]
    response = app.put_json("/notes/1", {"title": "Buy oat milk"})
    assert response.json == {"id": 1, "title": "Buy oat milk", "body": "", "tag": None}
    assert response.headers["ETag"] != old
    app.get("/notes/1", headers={"If-None-Match": old}, status=200)
    app.put_json("/notes/1", {"body": "no title"}, status=422)
    app.put_json("/notes/99", {"title": "x"}, status=404)


def test_patch_changes_some_fields(app: TestApp) -> None:
    response = app.patch_json("/notes/2", {"tag": None})
    assert response.json == {**app.get("/notes/2").json, "tag": None}
    assert response.json["title"] == "Call Ada"
    assert app.patch_json("/notes/2", {"title": ""}, status=422).json["errors"] == {
        "title": ["Length must be between 1 and 200."]
    }


def test_if_match(app: TestApp) -> None:
    etag = app.get("/notes/3").headers["ETag"]
    app.patch_json("/notes/3", {"tag": "x"}, headers={"If-Match": '"stale"'}, status=412)
    assert app.get("/notes/3").headers["ETag"] == etag
    app.patch_json("/notes/3", {"tag": "x"}, headers={"If-Match": etag})
    app.patch_json("/notes/3", {"tag": "y"}, headers={"If-Match": etag}, status=412)


def test_delete(app: TestApp) -> None:
    response = app.delete("/notes/4", status=204)
    assert response.body == b""
    app.get("/notes/4", status=404)
    app.delete("/notes/4", status=404)
    assert app.get("/notes").json["total"] == len(DEMO_NOTES) - 1


def test_405_lists_the_methods(app: TestApp) -> None:
    allow = app.delete("/notes", status=405).headers["Allow"]
    assert set(allow.split(", ")) == {"GET", "HEAD", "OPTIONS", "POST"}


def test_empty_store(make_app: MakeApp) -> None:
    app = make_app(seed=False)
    assert app.get("/notes").json["total"] == 0
    assert app.post_json("/notes", {"title": "first"}, status=201).json["id"] == 1


def test_file_database_persists(make_app: MakeApp, tmp_path: Path) -> None:
    path = str(tmp_path / "notes.db")
    make_app(database=path).post_json("/notes", {"title": "kept"}, status=201)
    again = make_app(database=path)  # not seeded again: the store is not empty
    assert again.get("/notes").json["total"] == len(DEMO_NOTES) + 1
    assert again.get("/notes/6").json["title"] == "kept"


TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(q=TEXT, tag=TEXT, limit=st.one_of(TEXT, st.integers().map(str)))
def test_any_query_is_answered_without_an_error(app: TestApp, q: str, tag: str, limit: str) -> None:
    # the app is only read here, so sharing it between examples is fine
    response = app.get(f"/notes?{urlencode({'q': q, 'tag': tag, 'limit': limit})}", status="*")
    assert response.status_int in (200, 400), response.text
    assert response.content_type == "application/json"
