"""Tests for notes_app, written for Flask (pytest, the Flask tutorial's style)."""

import os
import sqlite3
import tempfile

import pytest
from flask import g, session
from notes_app import create_app, get_db, init_db

DATA = """
INSERT INTO user (username, password) VALUES
  ('test',
   'pbkdf2:sha256:50000$TCI4GzcX$0de171a4f4dac32e3364c7ddc7c14f3e2fa61f2d17574483f7ffbb431b4acb2f'),
  ('other',
   'pbkdf2:sha256:50000$kJPKsz6N$d2d4784f1b030a9761f5ccaeeaca413f27f2ecb76d6168407af962ddce849f79');
INSERT INTO note (author_id, body) VALUES (1, 'first note');
"""


@pytest.fixture
def app():
    db_fd, db_path = tempfile.mkstemp()
    app = create_app({"TESTING": True, "DATABASE": db_path})
    with app.app_context():
        init_db()
        get_db().executescript(DATA)
    yield app
    os.close(db_fd)
    os.unlink(db_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username="test", password="test"):
        return self._client.post("/auth/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.get("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def test_config():
    assert not create_app().testing
    assert create_app({"TESTING": True}).testing


def test_hello(client):
    response = client.get("/hello")
    assert response.data == b"Hello, World!"


def test_get_close_db(app):
    with app.app_context():
        db = get_db()
        assert db is get_db()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_init_db_command(runner, monkeypatch):
    class Recorder:
        called = False

    def fake_init_db():
        Recorder.called = True

    monkeypatch.setattr("notes_app.init_db", fake_init_db)
    result = runner.invoke(args=["init-db"])
    assert "Initialized" in result.output
    assert Recorder.called


def test_register(client, app):
    assert client.get("/auth/register").status_code == 200
    response = client.post("/auth/register", data={"username": "a", "password": "a"})
    assert response.headers["Location"] == "/auth/login"
    with app.app_context():
        assert get_db().execute("SELECT * FROM user WHERE username = 'a'").fetchone() is not None


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [
        ("", "", b"Username is required."),
        ("a", "", b"Password is required."),
        ("test", "test", b"already registered"),
    ],
)
def test_register_validate_input(client, username, password, message):
    response = client.post("/auth/register", data={"username": username, "password": password})
    assert message in response.data


def test_login(client, auth):
    assert client.get("/auth/login").status_code == 200
    response = auth.login()
    assert response.headers["Location"] == "/"
    with client:
        client.get("/")
        assert session["user_id"] == 1
        assert g.user["username"] == "test"


@pytest.mark.parametrize(
    ("username", "password", "message"),
    [("a", "test", b"Incorrect username"), ("test", "a", b"Incorrect username")],
)
def test_login_validate_input(auth, username, password, message):
    response = auth.login(username, password)
    assert message in response.data


def test_logout(client, auth):
    auth.login()
    with client:
        auth.logout()
        assert "user_id" not in session


def test_index(client, auth):
    response = client.get("/")
    assert b"Log In" in response.data
    assert b"first note" in response.data
    auth.login()
    response = client.get("/")
    assert b"Log Out" in response.data


def test_create_requires_login(client):
    response = client.post("/create", data={"body": "x"})
    assert response.headers["Location"] == "/auth/login"


def test_create_and_flash(client, auth, app):
    auth.login()
    response = client.post("/create", data={"body": "<b>new</b>"}, follow_redirects=True)
    assert b"Note saved." in response.data
    assert b"&lt;b&gt;new&lt;/b&gt;" in response.data
    with app.app_context():
        count = get_db().execute("SELECT COUNT(id) FROM note").fetchone()[0]
        assert count == 2


def test_api(client, auth):
    assert client.get("/api/notes").get_json() == [{"id": 1, "body": "first note"}]
    assert client.get("/api/notes/1").json == {"id": 1, "body": "first note"}
    response = client.get("/api/notes/9")
    assert response.status_code == 404
    assert response.json == {"error": "Note 9 doesn't exist."}
    assert client.get("/nowhere").status_code == 404
    assert client.post("/api/notes", json={"body": "api"}).status_code == 302
    auth.login()
    response = client.post("/api/notes", json={"body": "api"})
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/notes/2"
    assert client.post("/api/notes", json={}).status_code == 400


def test_session_transaction(client):
    with client.session_transaction() as sess:
        sess["user_id"] = 2
    with client:
        client.get("/")
        assert g.user["username"] == "other"
