"""Smoke tests for ``python -m compare.bench``: every app answers correctly; nothing is timed.

The harness is a command, not a timed test: here it runs with a tiny request count, and the
assertions are about answers, states and the files written, never about speed.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any
from wsgiref.validate import validator

import pytest

from compare.bench import cli
from compare.bench.apps import FRAMEWORKS, AppBuilders, load
from compare.bench.environ import EnvironFactory, RequestSpec
from compare.bench.report import render, table
from compare.bench.results import Result, Run, State, Timing
from compare.bench.runner import Settings, run_scenario
from compare.bench.scenarios import SCENARIOS, Scenario, route_scenario
from compare.bench.startup import measure_once
from compare.bench.wsgi import StartResponse, WSGIApp, call

PEERS = ("raw", "falcon", "bottle", "flask", "core")  # installed: must always work
FRONT_ENDS = ("resources", "globals")  # being written: "not available" until they land


def build_or_skip(framework: str, scenario: Scenario) -> WSGIApp:
    try:
        return scenario.build(load(framework))
    except (ImportError, AttributeError, NotImplementedError) as exc:
        if framework in PEERS:
            raise
        pytest.skip(f"{framework} lacks the API this app uses: {exc!r}")


@pytest.mark.parametrize(
    "scenario", [*SCENARIOS.values(), route_scenario(10)], ids=lambda s: s.name
)
@pytest.mark.parametrize("framework", list(FRAMEWORKS))
def test_every_app_answers_correctly_under_pep3333_validation(
    framework: str, scenario: Scenario
) -> None:
    app = build_or_skip(framework, scenario)
    answer = call(validator(app), EnvironFactory(scenario.request)())
    assert scenario.check(answer) is None


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, dict[str, Any]]:
    """The whole command, once: all frameworks, all scenarios, two requests per round."""
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    argv = ["--number", "2", "--rounds", "2", "--startup-repeat", "1", "--sizes", "10,50"]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = cli.main([*argv, "--json", str(out), "--quiet"])
    return code, printed.getvalue(), json.loads(out.read_text())


def cells(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [*data["requests"], *data["startup"], *data["routes"]]


def test_command_writes_json_for_every_framework_and_scenario(
    smoke: tuple[int, str, dict[str, Any]],
) -> None:
    _, _, data = smoke
    assert data["frameworks"] == list(FRAMEWORKS)
    assert data["baseline"] == "falcon"
    assert {c["scenario"] for c in data["requests"]} == set(SCENARIOS)
    assert {c["scenario"] for c in data["startup"]} == {"startup-100", "startup-1000"}
    assert {c["scenario"] for c in data["routes"]} == {"routes-10", "routes-50"}
    for group in ("requests", "startup", "routes"):
        seen = {(c["framework"], c["scenario"]) for c in data[group]}
        assert (
            len(seen)
            == len(data[group])
            == len(FRAMEWORKS) * len({c["scenario"] for c in data[group]})
        )


def test_installed_frameworks_answer_every_scenario(
    smoke: tuple[int, str, dict[str, Any]],
) -> None:
    _, _, data = smoke
    bad = [c for c in cells(data) if c["framework"] in PEERS and c["state"] != "ok"]
    assert bad == []
    for c in data["requests"]:
        if c["state"] == "ok":
            assert c["number"] == 2
            assert c["rounds"] == len(c["samples_us"]) == 2
            assert c["min_us"] <= c["median_us"] <= c["max_us"]


def test_front_ends_are_either_correct_or_not_available(
    smoke: tuple[int, str, dict[str, Any]],
) -> None:
    code, _, data = smoke
    wrong = [c for c in cells(data) if c["state"] == "error"]
    assert wrong == []
    assert code == 0
    for c in cells(data):
        if c["framework"] in FRONT_ENDS and c["state"] != "ok":
            assert c["state"] == "not available"
            assert c["reason"]


def test_table_shows_every_framework_with_ratios(smoke: tuple[int, str, dict[str, Any]]) -> None:
    _, text, _ = smoke
    header = next(line for line in text.splitlines() if line.startswith("us/request"))
    assert header.split()[1:] == list(FRAMEWORKS)
    assert "(1.00x)" in text  # the baseline against itself
    assert "1000 vs 50 routes" in text
    assert "start-up ms" in text
    assert "Cost versus number of routes" in text


# -- the harness catches what it must catch ------------------------------------------------


def _text_app(body: bytes, status: str = "200 OK") -> WSGIApp:
    def app(environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        start_response(status, [("Content-Type", "text/plain")])
        return [body]

    return app


class Wrong:
    """Builds apps that answer the wrong thing."""

    def hello(self) -> WSGIApp:
        return _text_app(b"Goodbye")

    def routes(self, count: int) -> WSGIApp:
        return _text_app(b"r0:0")

    def query(self) -> WSGIApp:
        return _text_app(b"", "500 Internal Server Error")

    def json_echo(self) -> WSGIApp:
        return _text_app(b"{}")


class Missing:
    """Builds nothing: like a front-end that has not grown the API yet."""

    def hello(self) -> WSGIApp:
        raise AttributeError("module 'x' has no attribute 'App'")

    def routes(self, count: int) -> WSGIApp:
        return self.hello()

    def query(self) -> WSGIApp:
        return self.hello()

    def json_echo(self) -> WSGIApp:
        return self.hello()


TINY = Settings(rounds=1, number=1)


@pytest.mark.parametrize("scenario", list(SCENARIOS.values()), ids=lambda s: s.name)
def test_a_wrong_answer_is_an_error_and_not_timed(scenario: Scenario) -> None:
    wrong: AppBuilders = Wrong()
    result = run_scenario("wrong", wrong, scenario, TINY)
    assert result.state is State.ERROR
    assert result.timing is None
    assert "wrong answer" in result.reason


def test_a_missing_api_is_not_available() -> None:
    missing: AppBuilders = Missing()
    result = run_scenario("missing", missing, SCENARIOS["hello"], TINY)
    assert result.state is State.UNAVAILABLE
    assert "no attribute 'App'" in result.reason


def test_fresh_environ_per_request() -> None:
    make = EnvironFactory(RequestSpec("POST", "/echo", body=b"{}", content_type="application/json"))
    first, second = make(), make()
    assert first is not second
    assert first["wsgi.input"] is not second["wsgi.input"]
    assert first["wsgi.input"].read() == second["wsgi.input"].read() == b"{}"
    assert first["CONTENT_LENGTH"] == "2"
    assert first["HTTP_HOST"] == first["SERVER_NAME"]


@pytest.mark.parametrize("clock", ["cpu", "wall"])
def test_startup_is_measured_and_checked_in_process(clock: str) -> None:
    report = measure_once("core", 100, clock)
    assert report["state"] == "ok"
    assert report["seconds"] > 0


def test_wall_clock_runs_too() -> None:
    result = run_scenario("raw", load("raw"), SCENARIOS["hello"], Settings(1, 3, clock="wall"))
    assert result.state is State.OK
    assert result.timing is not None
    assert result.timing.number == 3


def test_unknown_clock_is_refused() -> None:
    with pytest.raises(ValueError, match="clock must be one of cpu, wall"):
        Settings(clock="sundial")


def test_timing_statistics() -> None:
    t = Timing((3.0, 1.0, 2.0))
    assert (t.median, t.min, t.max, t.spread) == (2.0, 1.0, 3.0, 1.0)


def test_report_marks_cells_without_timing() -> None:
    run = Run(["falcon", "resources"], "falcon")
    run.settings["rounds"] = 1
    run.requests = [
        Result("falcon", "hello", State.OK, Timing((4e-6,))),
        Result("resources", "hello", State.UNAVAILABLE, reason="no App yet"),
    ]
    text = render(run)
    assert "4.00 (1.00x)" in text
    assert "n/a" in text
    assert "resources [hello] not available: no App yet" in text


def test_table_alignment() -> None:
    assert table(["a", "bb"], [["x", "1"], ["yy", "22"]]).splitlines() == [
        "a   bb",
        "--  --",
        "x    1",
        "yy  22",
    ]


def test_unknown_framework_is_rejected_with_the_choices(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["--frameworks", "django"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "unknown framework django" in err
    assert "falcon" in err


def test_cli_writes_json_where_asked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "nested" / "b.json"
    argv = ["--frameworks", "raw,core", "--baseline", "raw", "--scenarios", "hello", "--quick"]
    code = cli.main([*argv, "--number", "1", "--rounds", "1", "--json", str(out), "-q"])
    assert code == 0
    data = json.loads(out.read_text())
    assert data["settings"]["rounds"] == 1  # explicit flags win over --quick
    assert data["settings"]["startup_repeat"] == 1  # a --quick default
    assert [c["framework"] for c in data["requests"]] == ["raw", "core"]
    assert data["requests"][0]["ratio"] == 1.0
    assert data["startup"] == data["routes"] == []
    assert "hello" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--frameworks", "raw,core"], "--baseline falcon must be one of --frameworks"),
        (["--rounds", "0"], "rounds must be at least 1"),
        (["--sizes", "ten"], "--sizes takes integers"),
        (["--clock", "sundial"], "invalid choice: 'sundial'"),
        (["--scenarios", "hello,nope"], "unknown scenario nope"),
    ],
)
def test_bad_arguments_are_rejected_with_a_reason(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli.main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
