"""The ``globals_fw`` command line: finding the app, routes, the app's own commands."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
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


# -- the installed console script -------------------------------------------------------

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "globals_notes.py"


@pytest.fixture
def console_script(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``globals-fw`` (installed by ``pip install -e .``) in an empty directory."""
    script = shutil.which("globals-fw")
    if script is None:
        pytest.skip("the globals-fw console script is not installed (pip install -e .)")
    env = {k: v for k, v in os.environ.items() if k not in ("GLOBALS_FW_APP", "FLASK_APP")}

    def run(*args: str, **extra_env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [script, *args],
            cwd=tmp_path,
            env={**env, **extra_env},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    return run


def test_console_script_lists_the_example_apps_routes(
    console_script: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    result = console_script("--app", f"{EXAMPLE}:create_app", "routes", "--sort", "rule")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["Endpoint", "Methods", "Rule"]
    rules = [line.split()[-1] for line in lines[2:]]
    assert rules == sorted(rules)
    assert {"/", "/auth/login", "/api/notes/<int:note_id>"} <= set(rules)


def test_console_script_finds_the_app_from_the_environment(
    console_script: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    result = console_script("--help", GLOBALS_FW_APP=str(EXAMPLE))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: globals-fw ")
    assert "init-db" in result.stdout  # the app's own command, from app.cli


def test_console_script_explains_a_missing_app(
    console_script: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    result = console_script("--app", "no_such_module_xyz", "routes")
    assert result.returncode == 2
    assert "Could not import 'no_such_module_xyz'" in result.stderr
    assert "Traceback" not in result.stderr
