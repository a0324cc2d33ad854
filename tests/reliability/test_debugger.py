"""The interactive debugger is never exposed by accident (matrix row 42).

Neither front-end has a debugger of its own: debug mode (``App(debug=True)``, ``DEBUG``) only
puts tracebacks in 500 bodies. werkzeug's interactive debugger exists only when the
development server is started with it (``globals_fw run --debug`` or ``app.run(debug=True)``),
and it only answers requests whose Host is local.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from reliability_spec import build_environ, call_wsgi
from werkzeug.debug import DebuggedApplication

import globals_fw
import resources_fw as falcon
from globals_fw.cli import ScriptInfo, cli

DEBUGGER_PATHS = [
    ("/console", ""),
    ("/hello", "__debugger__=yes&cmd=resource&f=debugger.js"),
    ("/hello", "__debugger__=yes&cmd=printpin&s=x"),
    ("/nope", "__debugger__=yes&cmd=pinauth&pin=123&s=x"),
]


def _resources_app(debug: bool) -> Any:
    class Hello:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.text = "hello"

    app = falcon.App(debug=debug)
    app.add_route("/hello", Hello())
    return app


def _globals_app(debug: bool) -> Any:
    app = globals_fw.App("debugger", static_folder=None, template_folder=None)
    app.config["DEBUG"] = debug

    @app.get("/hello")
    def hello() -> Any:
        return "hello"

    return app


BUILDERS: dict[str, Callable[[bool], Any]] = {
    "resources_fw": _resources_app,
    "globals_fw": _globals_app,
}


@pytest.fixture(params=BUILDERS)
def build(request: pytest.FixtureRequest) -> Callable[[bool], Any]:
    return BUILDERS[request.param]


@pytest.mark.parametrize("debug", [False, True], ids=["debug-off", "debug-on"])
@pytest.mark.parametrize(("path", "query"), DEBUGGER_PATHS)
def test_no_debugger_urls_in_the_app(
    build: Callable[[bool], Any], debug: bool, path: str, query: str
) -> None:
    result = call_wsgi(build(debug), build_environ("GET", path, query=query))
    if path == "/hello":
        assert result.body == b"hello"  # the view answered; the query meant nothing
    else:
        assert result.code == 404
    assert b"Werkzeug Debugger" not in result.body
    assert b"debugger.js" not in result.body


def _run_options(app: globals_fw.App, args: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    calls: list[dict[str, Any]] = []

    def fake_run_simple(host: str, port: int, application: Any, **options: Any) -> None:
        calls.append({"host": host, **options})

    monkeypatch.setattr("werkzeug.serving.run_simple", fake_run_simple)
    result = app.test_cli_runner().invoke(cli, args, obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    (options,) = calls
    return options


def test_the_cli_serves_without_the_debugger_unless_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = _run_options(_globals_app(False), ["run"], monkeypatch)
    assert options["use_debugger"] is False
    assert options["host"] == "127.0.0.1"  # loopback unless told otherwise


def test_run_debug_turns_the_debugger_on(monkeypatch: pytest.MonkeyPatch) -> None:
    options = _run_options(_globals_app(False), ["--debug", "run"], monkeypatch)
    assert options["use_debugger"] is True


def test_app_run_without_debug_has_no_debugger(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        "werkzeug.serving.run_simple",
        lambda host, port, application, **options: calls.append(options),
    )
    _globals_app(False).run()
    assert calls[0]["use_debugger"] is False


@pytest.mark.parametrize(
    ("host", "served"),
    [("localhost", True), ("127.0.0.1:5000", True), ("evil.example", False), ("", False)],
)
def test_werkzeugs_debugger_answers_only_local_hosts(
    build: Callable[[bool], Any], host: str, served: bool
) -> None:
    app = DebuggedApplication(build(True), evalex=True, pin_logging=False)
    environ = build_environ("GET", "/console", host=host)
    result = call_wsgi(app, environ)
    assert (b"Werkzeug" in result.body and result.code == 200) is served
