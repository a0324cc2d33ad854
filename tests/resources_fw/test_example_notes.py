"""docs/examples/resources_notes.py, driven over HTTP (WebTest and the testing client)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from resources_fw import testing

PATH = Path(__file__).resolve().parents[2] / "docs" / "examples" / "resources_notes.py"
AUTH = {"Authorization": "Bearer let-me-in"}


@pytest.fixture
def notes() -> ModuleType:
    spec = importlib.util.spec_from_file_location("resources_notes_example", PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def web(client: Any, notes: ModuleType) -> Any:
    return client(notes.create_app())


def test_crud_round_trip(web: Any) -> None:
    assert web.get("/notes").json == []
    created = web.post_json("/notes", {"text": "milk", "tags": ["shop"]}, headers=AUTH, status=201)
    assert created.json == {"id": 1, "text": "milk", "tags": ["shop"]}
    assert created.headers["Location"] == "/notes/1"
    web.post_json("/notes", {"text": "call mum"}, headers=AUTH, status=201)
    assert [n["id"] for n in web.get("/notes").json] == [2, 1]
    assert web.get("/notes?tag=shop").json == [created.json]
    assert len(web.get("/notes?limit=1").json) == 1
    patched = web.patch_json("/notes/1", {"tags": ["home"]}, headers=AUTH)
    assert patched.json == {"id": 1, "text": "milk", "tags": ["home"]}
    web.delete("/notes/1", headers=AUTH, status=204)
    web.get("/notes/1", status=404)


def test_writes_need_the_token(web: Any) -> None:
    res = web.post_json("/notes", {"text": "x"}, status=401)
    assert res.headers["WWW-Authenticate"] == "Bearer"
    assert res.json["title"] == "Authentication required"
    web.delete("/notes/1", status=401)


def test_bad_input_gets_clear_4xx(web: Any) -> None:
    bad = web.post_json("/notes", {"text": "", "tags": [1], "x": 1}, headers=AUTH, status=422)
    assert set(bad.json["errors"]) == {"text", "tags", "x"}
    web.post("/notes", "{", headers={**AUTH, "Content-Type": "application/json"}, status=400)
    web.post("/notes", "text=x", headers=AUTH, content_type="text/plain", status=415)
    web.get("/notes?limit=0", status=400)
    web.get("/notes/0", status=404)
    web.get("/notes/abc", status=404)
    assert web.put_json("/notes/1", {}, status=405).headers["Allow"] == (
        "DELETE, GET, HEAD, OPTIONS, PATCH"
    )
    big = web.post_json("/notes", {"text": "x" * 70_000}, headers=AUTH, status=413)
    assert "64000" in big.json["description"]


def test_request_id_on_every_response(web: Any) -> None:
    assert len(web.get("/notes").headers["X-Request-Id"]) == 32
    res = web.get("/missing", headers={"X-Request-Id": "abc"}, status=404)
    assert res.headers["X-Request-Id"] == "abc"


def test_with_the_testing_client(notes: ModuleType) -> None:
    client = testing.TestClient(notes.create_app())
    result = client.simulate_post("/notes", json={"text": "hi"}, headers=AUTH)
    assert result.status_code == 201
    assert client.simulate_get("/notes/1").json["text"] == "hi"
    assert client.simulate_head("/notes/1").content == b""


def test_module_level_app(notes: ModuleType) -> None:
    assert testing.simulate_get(notes.app, "/notes").status_code == 200
