"""Both front-ends' example apps, and the spec's apps, under werkzeug's ``LintMiddleware``
as well as ``wsgiref.validate`` (the ``client`` fixture).

The lint middleware warns (and warnings are errors here) on what the validator misses: a body
on a 204 or 304, a Content-Length that differs from the bytes sent, a body iterable never
closed, a closed input stream read again, bad status lines or headers.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from reliability_spec import Front
from webtest import TestApp
from werkzeug.middleware.lint import LintMiddleware

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
TOKEN = {"Authorization": "Bearer let-me-in"}

pytestmark = [
    # RFC 9110 allows a relative Location (werkzeug itself sends them); the lint predates it.
    pytest.mark.filterwarnings(
        "ignore:Absolute URLs required for location header:werkzeug.middleware.lint.HTTPWarning"
    ),
    # The lint wants "Content-Length: 0" on a 204; RFC 9110 8.6 forbids the header there.
    pytest.mark.filterwarnings(
        "ignore:204 responses must have an empty content length:"
        "werkzeug.middleware.lint.HTTPWarning"
    ),
]


def _load(name: str, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    spec = importlib.util.spec_from_file_location(f"lint_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, f"lint_{name}", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def linted(client: Callable[[Any], TestApp]) -> Callable[[Any], TestApp]:
    """The ``client`` fixture with ``LintMiddleware`` inside ``wsgiref.validate``."""
    return lambda app: client(LintMiddleware(app))


def test_resources_notes_example_under_lint(
    linted: Callable[[Any], TestApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    web = linted(_load("resources_notes", monkeypatch).create_app())
    assert web.get("/notes").json == []
    created = web.post_json("/notes", {"text": "milk", "tags": ["a"]}, headers=TOKEN, status=201)
    note = created.headers["Location"]
    assert web.get(note).json["text"] == "milk"
    web.patch_json(note, {"tags": ["b"]}, headers=TOKEN)
    web.options("/notes")
    web.post_json("/notes", {"text": "x"}, status=401)
    web.post("/notes", "{", headers={**TOKEN, "Content-Type": "application/json"}, status=400)
    big = {**TOKEN, "Content-Type": "application/json"}
    web.post("/notes", "[" + " " * 70_000 + "]", headers=big, status=413)
    web.put("/notes", status=405)
    web.delete(note, headers=TOKEN, status=204)
    web.get(note, status=404)
    web.get("/nowhere", headers={"Accept": "text/html"}, status=404)


def test_globals_notes_example_under_lint(
    linted: Callable[[Any], TestApp], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    module = _load("globals_notes", monkeypatch)
    app = module.create_app({"DATABASE": str(tmp_path / "notes.sqlite"), "SECRET_KEY": "t"})
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    web = linted(app)
    assert "Log in" in web.get("/").text
    web.post("/auth/register", {"username": "ann", "password": "pw"}, status=302)
    web.post("/auth/login", {"username": "ann", "password": "pw"}, status=302)
    web.post("/notes/add", {"body": "<b>hello</b>"}, status=302)
    page = web.get("/")
    assert "&lt;b&gt;hello&lt;/b&gt;" in page.text
    notes = web.get("/api/notes").json
    web.get(f"/api/notes/{notes[0]['id']}")
    web.get("/api/notes/999", status=404)
    web.get("/auth/logout", status=302)
    web.post("/notes/add", {"body": "x"}, status=302)  # to the login page
    web.put("/", status=405)


# No HEAD: the lint counts the bytes of a HEAD answer against its Content-Length and warns
# (HEAD answers equal GET's headers: see test_http.py).
SPEC_REQUESTS: list[tuple[str, str, dict[str, str]]] = [
    ("GET", "/hello", {}),
    ("GET", "/items/7", {}),
    ("GET", "/items/x", {}),
    ("GET", "/go?next=//evil.example", {}),
    ("GET", "/static/hello.txt", {}),
    ("GET", "/static/hello.txt", {"Range": "bytes=5-9"}),
    ("GET", "/static/hello.txt", {"Range": "bytes=999-"}),
    ("GET", "/static/empty.txt", {}),
    ("GET", "/static/../secret.txt", {}),
    ("GET", "/boom", {"Accept": "text/html"}),
    ("OPTIONS", "/hello", {}),
    ("DELETE", "/hello", {}),
    ("GET", "/echo-header?v=a%0d%0aX-Injected:%201", {}),
]


@pytest.mark.parametrize(("method", "path", "headers"), SPEC_REQUESTS)
def test_spec_apps_under_lint(
    front: Front,
    linted: Callable[[Any], TestApp],
    method: str,
    path: str,
    headers: dict[str, str],
) -> None:
    response = linted(front.app).request(path, method=method, headers=headers, expect_errors=True)
    assert response.status_int < 500 or path in ("/boom", "/echo-header?v=a%0d%0aX-Injected:%201")


def test_not_modified_is_clean_under_lint(front: Front, linted: Callable[[Any], TestApp]) -> None:
    web = linted(front.app)
    etag = web.get("/static/hello.txt").headers["ETag"]
    response = web.get("/static/hello.txt", headers={"If-None-Match": etag}, status=304)
    assert response.body == b""
