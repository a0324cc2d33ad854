"""More Flask behaviour typical apps rely on: found missing by running the rest of Flask's
suite (the CLI) and small apps written like popular extensions' usage against globals_fw,
import lines changed only. Each test is ours."""

from __future__ import annotations

import ssl
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
import werkzeug.serving
from click.testing import CliRunner

from globals_fw import App, current_app
from globals_fw.cli import FlaskGroup, NoAppException, locate_app, run_command

# -- FlaskGroup: a project's own command script ------------------------------------------


def make_app() -> App:
    app = App("made")
    app.add_url_rule("/items/<int:n>", "item", lambda n: str(n), methods=["GET", "POST"])

    @app.cli.command()
    @click.argument("who", callback=lambda ctx, param, value: f"{value}@{current_app.name}")
    def hello(who: str) -> None:
        click.echo(f"hello {who}")

    return app


def test_a_group_made_with_flaskgroup_runs_the_apps_commands_in_its_context() -> None:
    @click.group(cls=FlaskGroup, create_app=make_app)
    def manage() -> None:
        """The project's manage script."""

    @manage.command()
    def name() -> None:
        click.echo(current_app.name)

    runner = CliRunner()
    assert runner.invoke(manage, ["name"]).output == "made\n"
    # The app's own command; its argument callback already sees current_app.
    assert runner.invoke(manage, ["hello", "ann"]).output == "hello ann@made\n"
    assert "routes" in runner.invoke(manage, ["--help"]).output


def test_flaskgroup_nested_under_a_plain_click_group_uses_its_factory() -> None:
    outer = click.Group("outer")
    outer.add_command(FlaskGroup(name="web", create_app=make_app))
    result = CliRunner().invoke(outer, ["web", "routes"])
    assert result.exit_code == 0, result.output
    assert "/items/<int:n>" in result.output


def test_a_factory_that_fails_still_leaves_the_help_readable() -> None:
    def broken() -> App:
        raise RuntimeError("no database url")

    result = CliRunner().invoke(FlaskGroup(create_app=broken), ["--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "RuntimeError: no database url" in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        ([], {}, "True"),  # the app's own setting stands
        (["--no-debug"], {}, "False"),
        ([], {"GLOBALS_FW_DEBUG": "0"}, "False"),
        ([], {"FLASK_DEBUG": "0"}, "False"),
    ],
)
def test_debug_from_option_or_environment(
    args: list[str], env: dict[str, str], expected: str
) -> None:
    def factory() -> App:
        app = App("dbg")
        app.debug = True

        @app.cli.command()
        def show() -> None:
            click.echo(str(current_app.debug))

        return app

    result = CliRunner().invoke(FlaskGroup(create_app=factory), [*args, "show"], env=env)
    assert result.output == f"{expected}\n"


def test_set_debug_flag_false_leaves_the_app_alone() -> None:
    def factory() -> App:
        app = App("dbg")

        @app.cli.command()
        def show() -> None:
            click.echo(str(current_app.debug))

        return app

    group = FlaskGroup(create_app=factory, set_debug_flag=False)
    assert CliRunner().invoke(group, ["--debug", "show"]).output == "False\n"


def test_version_option() -> None:
    result = CliRunner().invoke(FlaskGroup(create_app=make_app), ["--version"])
    assert result.exit_code == 0
    assert "globals_fw" in result.output
    assert "Werkzeug" in result.output


def test_routes_all_methods_and_match_order() -> None:
    group = FlaskGroup(create_app=make_app)
    plain = CliRunner().invoke(group, ["routes"]).output
    assert "GET, POST " in plain
    assert "HEAD" not in plain
    every = CliRunner().invoke(group, ["routes", "--all-methods"]).output
    assert "GET, HEAD, OPTIONS, POST" in every
    rows = CliRunner().invoke(group, ["routes", "-s", "match"]).output.splitlines()[2:]
    assert [row.split()[0] for row in rows] == ["static", "item"]


# -- run: HTTPS and the reloader's file lists --------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(werkzeug.serving, "run_simple", lambda *a, **kw: calls.append(kw))
    return calls


def invoke_run(args: list[str]) -> Any:
    return CliRunner().invoke(FlaskGroup(create_app=make_app), ["run", *args])


def test_run_with_a_certificate_file_and_key(served: list[dict[str, Any]], tmp_path: Path) -> None:
    cert, key = tmp_path / "c.pem", tmp_path / "k.pem"
    cert.write_text("c")
    key.write_text("k")
    result = invoke_run(["--cert", str(cert), "--key", str(key)])
    assert result.exit_code == 0, result.output
    assert served[0]["ssl_context"] == (str(cert), str(key))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--key", __file__], '"--cert" must also be given'),
        (["--cert", __file__], '"--key" is required'),
        (["--cert", "no_such_module_for_cert"], "is not a file, 'adhoc'"),
    ],
)
def test_run_certificate_mistakes_are_usage_errors(
    served: list[dict[str, Any]], args: list[str], message: str
) -> None:
    result = invoke_run(args)
    assert result.exit_code == 2
    assert message in result.output
    assert served == []


def test_run_with_an_ssl_context_by_import_name(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    monkeypatch.setitem(sys.modules, "project_tls", context)
    assert invoke_run(["--cert", "project_tls"]).exit_code == 0
    assert served[0]["ssl_context"] is context
    assert invoke_run(["--cert", "project_tls", "--key", __file__]).exit_code == 2


def test_run_adhoc_needs_cryptography(
    served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "cryptography", None)
    result = invoke_run(["--cert", "adhoc"])
    assert result.exit_code == 2
    assert "cryptography" in result.output


def test_run_threads_and_reloader_file_lists(served: list[dict[str, Any]], tmp_path: Path) -> None:
    import os

    extra = [str(tmp_path / "a.cfg"), str(tmp_path / "b.cfg")]
    result = invoke_run(
        [
            "--without-threads",
            "--extra-files",
            os.pathsep.join(extra),
            "--exclude-patterns",
            "*.tmp",
        ]
    )
    assert result.exit_code == 0, result.output
    assert served[0]["threaded"] is False
    assert served[0]["extra_files"] == extra
    assert served[0]["exclude_patterns"] == ["*.tmp"]
    assert run_command.name == "run"


# -- locate_app: Flask's two-argument form and clear errors -------------------------------


@pytest.fixture
def modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "factory_mod.py").write_text(
        "from globals_fw import App\n"
        "def create_app(a, b):\n"
        "    return App(f'{a}_{b}')\n"
        "def broken_inside():\n"
        "    return len(1)\n"
    )
    (tmp_path / "imports_missing.py").write_text(
        "import no_such_dependency_here\nfrom globals_fw import App\napp = App('x')\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in ("factory_mod", "imports_missing"):
        sys.modules.pop(name, None)


def test_locate_app_with_module_and_name_apart(modules: Path) -> None:
    assert locate_app("factory_mod", 'create_app("a", "b")').name == "a_b"


def test_factory_arguments_that_do_not_fit_are_a_no_app_error(modules: Path) -> None:
    with pytest.raises(NoAppException, match="cannot be called with those arguments"):
        locate_app("factory_mod:create_app('a')")
    # A TypeError raised inside the factory is the app's own bug: it propagates as itself.
    with pytest.raises(TypeError, match="len"):
        locate_app("factory_mod:broken_inside()")


def test_an_import_error_inside_the_app_module_names_the_module(modules: Path) -> None:
    with pytest.raises(NoAppException, match="While importing 'imports_missing'") as info:
        locate_app("imports_missing")
    assert "no_such_dependency_here" in str(info.value)


def test_a_dotted_name_whose_package_part_is_missing(modules: Path) -> None:
    with pytest.raises(NoAppException, match=r"Could not import 'factory_mod\.nope'"):
        locate_app("factory_mod.nope")


# -- templates: extensions add their own loader ------------------------------------------


def test_an_extension_can_replace_the_apps_jinja_loader(app: App, client: Any) -> None:
    from jinja2 import ChoiceLoader, DictLoader

    from globals_fw import render_template

    # Flask-Admin's way: wrap the app's loader in a ChoiceLoader with the extension's own.
    app.jinja_loader = ChoiceLoader(
        [app.jinja_loader or DictLoader({}), DictLoader({"ext/page.html": "ext {{ n }}"})]
    )
    app.add_url_rule("/", "page", lambda: render_template("ext/page.html", n=1))
    assert client(app).get("/").text == "ext 1"
    del app.jinja_loader
    assert app.jinja_loader is None  # the fixture's app has no template folder: none again


# -- JSON text: dumps spaced like json.dumps, responses compact ---------------------------


def test_dumps_and_tojson_are_spaced_like_flask_while_responses_stay_compact(
    app: App, client: Any
) -> None:
    from globals_fw import json, jsonify, render_template_string

    app.add_url_rule("/r", "r", lambda: jsonify({"b": [1, 2], "a": 1}))
    app.add_url_rule("/t", "t", lambda: render_template_string("{{ d|tojson }}", d={"k": "<"}))
    with app.app_context():
        assert json.dumps({"b": [1, 2], "a": 1}) == '{"a": 1, "b": [1, 2]}'
    assert client(app).get("/r").text == '{"a":1,"b":[1,2]}\n'
    assert client(app).get("/t").text == '{"k": "\\u003c"}'


# -- make_conditional with ranges ----------------------------------------------------------


@pytest.fixture
def ranged(app: App) -> App:
    import io

    from globals_fw import make_response, request

    @app.route("/text")
    def text() -> Any:
        response = make_response("hello world body")
        response.set_etag("v1")
        return response.make_conditional(request, accept_ranges=True, complete_length=16)

    @app.route("/file")
    def file() -> Any:
        response = app.response_class(io.BytesIO(b"0123456789"), mimetype="text/plain")
        return response.make_conditional(request, accept_ranges=True, complete_length=10)

    @app.route("/plain")
    def plain() -> Any:
        return make_response("no ranges here").make_conditional(request)

    return app


@pytest.mark.parametrize(
    ("path", "headers", "status", "body", "content_range"),
    [
        ("/text", {"Range": "bytes=0-4"}, 206, b"hello", "bytes 0-4/16"),
        ("/text", {"Range": "bytes=-4"}, 206, b"body", "bytes 12-15/16"),
        ("/text", {"Range": "bytes=0-"}, 200, b"hello world body", None),  # all of it
        ("/text", {"Range": "bytes=0-4", "If-Range": '"v1"'}, 206, b"hello", "bytes 0-4/16"),
        ("/text", {"Range": "bytes=0-4", "If-Range": '"old"'}, 200, b"hello world body", None),
        ("/file", {"Range": "bytes=3-5"}, 206, b"345", "bytes 3-5/10"),
        ("/plain", {"Range": "bytes=0-1"}, 200, b"no ranges here", None),
    ],
)
def test_make_conditional_answers_ranges(
    ranged: App,
    client: Any,
    path: str,
    headers: dict[str, str],
    status: int,
    body: bytes,
    content_range: str | None,
) -> None:
    response = client(ranged).get(path, headers=headers, status=status)
    assert response.body == body
    assert response.headers.get("Content-Range") == content_range
    if path != "/plain":
        assert response.headers["Accept-Ranges"] == "bytes"


def test_make_conditional_refuses_a_range_past_the_end(ranged: App, client: Any) -> None:
    response = client(ranged).get("/text", headers={"Range": "bytes=40-50"}, status=416)
    assert response.headers["Content-Range"] == "bytes */16"
    # A current ETag still gets its 304 when no range is asked for.
    client(ranged).get("/text", headers={"If-None-Match": '"v1"'}, status=304)


# -- Response.force_type ------------------------------------------------------------------


def test_force_type_converts_werkzeug_responses_and_wsgi_apps(app: App) -> None:
    from werkzeug.test import create_environ
    from werkzeug.wrappers import Response as WerkzeugResponse

    from globals_fw import Response
    from resources_fw.core import Response as CoreResponse

    converted = Response.force_type(WerkzeugResponse("wz", status=201))
    assert isinstance(converted, Response)
    assert (converted.status_code, converted.get_data()) == (201, b"wz")

    def wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("202 Accepted", [("X-From", "wsgi")])
        return [environ["PATH_INFO"].encode()]

    ran = Response.force_type(wsgi, create_environ("/p"))
    assert (ran.status_code, ran.headers["X-From"], ran.get_data()) == (202, "wsgi", b"/p")
    assert type(Response.force_type(CoreResponse("core"))) is Response
    with pytest.raises(TypeError, match=r"request\.environ"):
        Response.force_type(wsgi)
    with pytest.raises(TypeError, match="not int"):
        Response.force_type(3)


def test_a_response_class_overriding_force_type_sees_what_views_return(
    app: App, client: Any
) -> None:
    from werkzeug.wrappers import Response as WerkzeugResponse

    from globals_fw import Response

    class Tagged(Response):
        @classmethod
        def force_type(cls, response: Any, environ: dict[str, Any] | None = None) -> Any:
            rv = super().force_type(response, environ)
            rv.headers["X-Forced"] = "yes"
            return rv

    app.response_class = Tagged
    app.add_url_rule("/", "wz", lambda: WerkzeugResponse("from werkzeug"))
    response = client(app).get("/")
    assert response.text == "from werkzeug"
    assert response.headers["X-Forced"] == "yes"


def test_app_run_at_import_does_not_block_a_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, served: list[dict[str, Any]]
) -> None:
    from globals_fw.cli import cli, running_from_cli

    # A module that serves on import, without a `__main__` guard.
    (tmp_path / "serves_on_import.py").write_text(
        "from globals_fw import App\napp = App('eager')\napp.run()\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        result = CliRunner().invoke(cli, ["--app", "serves_on_import", "routes"])
    finally:
        sys.modules.pop("serves_on_import", None)
    assert result.exit_code == 0, result.output
    assert "static" in result.stdout
    assert "Ignoring a call to 'app.run()'" in result.stderr
    assert served == []
    # Outside a command, app.run() serves again.
    assert not running_from_cli()
    App("later").run()
    assert len(served) == 1


# -- test responses carry the app's response class's own attributes ------------------------


class _StatusEquality:
    """pytest-flask's way: ``assert response == 200`` compares the status."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, int):
            return bool(getattr(self, "status_code", None) == other)
        return NotImplemented

    __hash__ = object.__hash__


def test_test_responses_have_the_response_class_extras() -> None:
    from globals_fw import Response

    class Shouting(Response, _StatusEquality):
        @property
        def shout(self) -> str:
            return self.get_data(as_text=True).upper()

    app = App("extras")
    app.response_class = Shouting
    app.add_url_rule("/", "i", lambda: "quiet")
    response = app.test_client().get("/")
    assert response.shout == "QUIET"
    assert response == 200
    assert response.text == "quiet"  # werkzeug's own attributes still win


def test_test_responses_stay_plain_with_the_default_response_class(app: App) -> None:
    from werkzeug.test import TestResponse

    app.add_url_rule("/", "i", lambda: "plain")
    response = app.test_client().get("/")
    assert type(response) is TestResponse
    assert response.text == "plain"
