"""The ``globals_fw`` command line: finding the app, routes, the app's own commands."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from globals_fw.cli import NoAppException, ScriptInfo, cli, locate_app

APP_SOURCE = """
import click
from globals_fw import App

app = App(__name__)

@app.route("/hello")
def hello():
    return "hi"

@app.cli.command()
@click.argument("name")
def greet(name):
    click.echo(f"hello {name}")
"""

FACTORY_SOURCE = """
from globals_fw import App

def create_app(name="made"):
    app = App(name)
    app.add_url_rule("/f", "f", lambda: "f")
    return app
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    (tmp_path / "cli_app_mod.py").write_text(APP_SOURCE)
    (tmp_path / "cli_factory_mod.py").write_text(FACTORY_SOURCE)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("GLOBALS_FW_APP", raising=False)
    monkeypatch.delenv("FLASK_APP", raising=False)
    yield tmp_path
    for name in ("cli_app_mod", "cli_factory_mod", "app"):
        sys.modules.pop(name, None)


def test_routes_with_app_option(project: Path) -> None:
    result = CliRunner().invoke(cli, ["--app", "cli_app_mod:app", "routes"])
    assert result.exit_code == 0, result.output
    assert "hello" in result.output
    assert "/hello" in result.output
    assert "static" in result.output


def test_app_command_from_env(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLOBALS_FW_APP", "cli_app_mod")
    result = CliRunner().invoke(cli, ["greet", "ann"])
    assert result.exit_code == 0, result.output
    assert result.output == "hello ann\n"


def test_factory_with_arguments(project: Path) -> None:
    app = locate_app("cli_factory_mod:create_app('x')")
    assert app.name == "x"
    assert locate_app("cli_factory_mod").name == "made"


@pytest.mark.parametrize(
    "target", ["nope_module_xyz", "cli_app_mod:missing", "cli_app_mod:app(", "cli_app_mod:click"]
)
def test_bad_app_references(project: Path, target: str) -> None:
    with pytest.raises(NoAppException):
        locate_app(target)


def test_no_app_anywhere(project: Path) -> None:
    with pytest.raises(NoAppException, match="--app"):
        ScriptInfo().load_app()
    result = CliRunner().invoke(cli, ["routes"])
    assert result.exit_code != 0


def test_default_file_app_py(project: Path) -> None:
    (project / "app.py").write_text(APP_SOURCE)
    assert "/hello" in CliRunner().invoke(cli, ["routes", "--sort", "rule"]).output


def test_help_lists_builtin_and_app_commands(project: Path) -> None:
    result = CliRunner().invoke(cli, ["--app", "cli_app_mod", "--help"])
    for name in ("run", "routes", "shell", "greet"):
        assert name in result.output


def test_nested_group_in_app_cli(project: Path) -> None:
    from globals_fw import App, current_app

    app = App("grp", root_path=str(project))

    @app.cli.group("db")
    def db() -> None:
        """Database commands."""

    @db.command("init")
    def init() -> None:
        click.echo(f"init {current_app.name}")

    result = app.test_cli_runner().invoke(args=["db", "init"])
    assert result.output == "init grp\n"


def test_run_command_uses_werkzeugs_server(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import werkzeug.serving

    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(
        werkzeug.serving, "run_simple", lambda *args, **kwargs: calls.append((args, kwargs))
    )
    result = CliRunner().invoke(
        cli, ["--app", "cli_app_mod", "--debug", "run", "--port", "8123", "--no-reload"]
    )
    assert result.exit_code == 0, result.output
    ((args, kwargs),) = calls
    assert args[:2] == ("127.0.0.1", 8123)
    assert kwargs == {"use_reloader": False, "use_debugger": True, "threaded": True}
    assert args[2].debug is True


def test_shell_command_has_app_and_shell_context(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import code

    seen: dict[str, Any] = {}
    monkeypatch.setattr(code, "interact", lambda banner, local: seen.update(local))
    from cli_app_mod import app  # type: ignore[import-not-found]

    app.shell_context_processor(lambda: {"answer": 42})
    result = CliRunner().invoke(cli, ["--app", "cli_app_mod", "shell"])
    assert result.exit_code == 0, result.output
    assert seen["app"] is app
    assert seen["answer"] == 42
