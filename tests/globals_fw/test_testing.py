"""The test client, test_request_context, the CLI runner, WebTest compatibility."""

from __future__ import annotations

from typing import Any

import pytest
from webtest import TestApp

from globals_fw import App, g, redirect, request, session


@pytest.fixture
def capp(app: App) -> App:
    @app.route("/login", methods=["POST"])
    def login() -> Any:
        session["user"] = request.form["user"]
        g.logged = True
        return redirect("/me")

    @app.route("/me")
    def me() -> Any:
        g.seen = session.get("user")
        return {"user": session.get("user")}

    @app.route("/echo", methods=["POST"])
    def echo() -> Any:
        return {"json": request.get_json(silent=True), "form": request.form.to_dict()}

    return app


def test_client_keeps_cookies_and_follows_redirects(capp: App) -> None:
    c = capp.test_client()
    res = c.post("/login", data={"user": "ann"}, follow_redirects=True)
    assert res.status_code == 200
    assert res.get_json() == {"user": "ann"}
    assert res.json == {"user": "ann"}
    assert c.get("/me").json == {"user": "ann"}
    assert [r.status_code for r in res.history] == [302]


def test_client_json_and_form(capp: App) -> None:
    c = capp.test_client()
    assert c.post("/echo", json={"a": 1}).json == {"json": {"a": 1}, "form": {}}
    assert c.post("/echo", data={"f": "v"}).json == {"json": None, "form": {"f": "v"}}


def test_with_client_keeps_last_request_context(capp: App) -> None:
    c = capp.test_client()
    with c:
        c.post("/login", data={"user": "bob"}, follow_redirects=True)
        assert request.path == "/me"
        assert session["user"] == "bob"
        assert g.seen == "bob"
        c.get("/me")
        assert request.path == "/me"
    with pytest.raises(RuntimeError):
        request.path  # noqa: B018


def test_with_client_cannot_nest(capp: App) -> None:
    c = capp.test_client()
    with c, pytest.raises(RuntimeError, match="nest"), c:
        pass


def test_session_transaction(capp: App) -> None:
    c = capp.test_client()
    with c.session_transaction() as sess:
        sess["user"] = "preset"
    assert c.get("/me").json == {"user": "preset"}
    with c.session_transaction() as sess:
        assert sess["user"] == "preset"


def test_session_transaction_needs_cookies_and_a_key(capp: App) -> None:
    no_cookies = capp.test_client(use_cookies=False)
    with pytest.raises(TypeError, match="Cookies are disabled"), no_cookies.session_transaction():
        pass
    capp.secret_key = None
    with pytest.raises(RuntimeError, match="secret_key"), capp.test_client().session_transaction():
        pass


def test_runs_under_webtest_as_is(capp: App) -> None:
    c = TestApp(capp)
    res = c.post("/login", {"user": "web"}).follow()
    assert res.json == {"user": "web"}


def test_test_request_context_config_base_url(app: App) -> None:
    app.config.update(SERVER_NAME="example.org", APPLICATION_ROOT="/root")
    with app.test_request_context("/x"):
        assert request.url == "http://example.org/root/x"
    with app.test_request_context("https://other.example/y?z=1"):
        assert request.host == "other.example"
        assert request.args["z"] == "1"


def test_cli_runner_runs_commands_in_app_context(app: App) -> None:
    @app.cli.command()
    def hello() -> None:
        import click

        from globals_fw import current_app

        click.echo(f"hello from {current_app.name}")

    @app.cli.command("args")
    def with_args() -> None:
        import click

        click.echo("named")

    runner = app.test_cli_runner()
    assert runner.invoke(args=["hello"]).output == "hello from test_app\n"
    assert runner.invoke(args=["args"]).output == "named\n"


def test_pushed_contexts_sees_what_the_leak_check_looks_for(app: App) -> None:
    from globals_fw.testing import pushed_contexts

    assert pushed_contexts() == []
    with app.app_context():
        assert pushed_contexts() == ["app"]
        with app.test_request_context():
            assert pushed_contexts() == ["app", "request"]
    ctx = app.test_request_context()
    ctx.push()
    assert pushed_contexts() == ["app", "request"]  # what the autouse fixture would report
    ctx.pop()
    assert pushed_contexts() == []
