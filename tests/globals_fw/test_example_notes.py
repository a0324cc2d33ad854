"""docs/examples/globals_notes.py, exercised over HTTP (WebTest on wsgiref.validate)."""

from __future__ import annotations

import importlib.util
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from webtest import TestApp

from globals_fw import App

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "globals_notes.py"


@pytest.fixture
def notes_module(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    spec = importlib.util.spec_from_file_location("globals_notes_example", EXAMPLE)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "globals_notes_example", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def notes_app(notes_module: ModuleType, tmp_path: Path) -> App:
    app: App = notes_module.create_app(
        {"DATABASE": str(tmp_path / "notes.sqlite"), "SECRET_KEY": "test"}
    )
    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.output == "Initialized the database.\n"
    return app


def _register_and_login(web: TestApp, name: str = "ann") -> None:
    form = web.get("/auth/register").form
    form["username"] = name
    form["password"] = "secret"
    page = form.submit().follow()
    assert "Registered: you can log in now." in page.text
    form = page.form
    form["username"] = name
    form["password"] = "secret"
    form.submit().follow()


def test_register_login_add_note_and_api(notes_app: App, client: Any) -> None:
    web = client(notes_app)
    assert "Log in" in web.get("/").text
    _register_and_login(web)
    page = web.get("/")
    assert "ann" in page.text
    assert "Log out" in page.text
    page.forms[0]["body"] = "<script>x</script>"
    page = page.forms[0].submit().follow()
    assert "Note added." in page.text
    assert "&lt;script&gt;x&lt;/script&gt;" in page.text  # autoescaped
    assert web.get("/api/notes").json == [
        {"id": 1, "body": "<script>x</script>", "username": "ann"}
    ]
    assert web.get("/api/notes/1").json == {"id": 1, "body": "<script>x</script>"}
    assert web.get("/api/notes/5", status=404).json["description"] == "There is no note 5."
    web.get("/auth/logout").follow()
    assert "Log in" in web.get("/").text


def test_adding_requires_login(notes_app: App, client: Any) -> None:
    web = client(notes_app)
    page = web.post("/notes/add", {"body": "x"}, status=302).follow()
    assert "Log in first." in page.text


def test_bad_login_and_duplicate_user(notes_app: App, client: Any) -> None:
    web = client(notes_app)
    _register_and_login(web)
    web.get("/auth/logout")
    page = web.post("/auth/login", {"username": "ann", "password": "wrong"})
    assert "Incorrect username or password." in page.text
    page = web.post("/auth/register", {"username": "ann", "password": "x"})
    assert "already registered" in page.text
    assert "required" in web.post("/auth/register", {"username": ""}).text


def test_connection_closed_on_teardown(notes_app: App, notes_module: ModuleType) -> None:
    with notes_app.app_context():
        db = notes_module.get_db()
        assert db is notes_module.get_db()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_cli_finds_the_example_by_path(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "globals_fw", "--app", str(EXAMPLE), "routes"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": ""},
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert "notes.api_note" in result.stdout
    assert "/api/notes/<int:note_id>" in result.stdout
