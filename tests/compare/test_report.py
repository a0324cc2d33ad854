"""``python -m compare``: the command end to end, the renderers, the measures behind them.

Nothing here asserts a speed: the command runs with two requests per round, and the
assertions are about what was measured, what was written, and the words generated from it.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from compare.apps import registry
from compare.apps.registry import AppPair, Probe
from compare.bench.runner import Settings
from compare.report import charts, cli, code, findings, memory
from compare.report.perf import run_app_probes
from compare.report.progress import Progress
from compare.report.render import (
    HandEditedError,
    check_docs,
    render_docs,
    render_html,
    render_markdown,
)
from compare.report.sections import build_sections

FIXTURE = Path(__file__).parent / "data" / "report_fixture.json"
SECTIONS = ("bench", "routes", "apps", "memory", "code", "locals", "run")


# -- a fake app pair of our own: what the registry may hold, in both front-ends ------------


def _resources_app() -> Any:
    import resources_fw

    class Hello:
        def on_get(self, req: resources_fw.Request, resp: resources_fw.Response) -> None:
            resp.media = {"hello": req.get_param("name", default="world")}

    app = resources_fw.App()
    app.add_route("/hello", Hello())
    return app


def _globals_app() -> Any:
    import globals_fw

    app = globals_fw.App(__name__)

    def hello() -> dict[str, str]:
        return {"hello": globals_fw.request.args.get("name", "world")}

    app.get("/hello")(hello)
    return app


def register_fake_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPair:
    """A registered pair whose modules live in sys.modules and whose web layer is in tmp."""
    layer = {}
    for front_end, create in (("resources_fw", _resources_app), ("globals_fw", _globals_app)):
        module = types.ModuleType(f"fake_pair_{front_end}")
        module.create_app = create  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, module.__name__, module)
        source = tmp_path / f"{front_end}.py"
        source.write_text(f"# web layer\nimport {front_end}\n\n\napp = {front_end}.App()\n")
        layer[front_end] = (str(source),)
    pair = AppPair(
        name="fake",
        summary="a pair of the tests",
        modules={fe: f"fake_pair_{fe}" for fe in registry.FRONT_ENDS},
        web_layer=layer,
        probes=(
            Probe("hello", path="/hello", query="name=Ada"),
            Probe("missing", path="/x", status=404),
        ),
    )
    monkeypatch.setattr(registry, "APPS", [pair])
    return pair


@pytest.fixture
def fake_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppPair:
    return register_fake_pair(tmp_path, monkeypatch)


# -- the whole command -------------------------------------------------------------------

TINY = [
    "--quick",
    "--rounds",
    "1",
    "--number",
    "2",
    "--sizes",
    "10,50",
    "--memory-requests",
    "3",
    "--frameworks",
    "raw,falcon,core,resources,globals",
]


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code_ = cli.main(argv)
    return code_, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The whole command once, with the fake pair registered and tiny counts."""
    tmp_path = tmp_path_factory.mktemp("compare")
    out = tmp_path / "report"
    docs = tmp_path / "docs" / "design-trade-offs.md"
    with pytest.MonkeyPatch.context() as monkeypatch:
        register_fake_pair(tmp_path, monkeypatch)
        status, printed, progress = _run([*TINY, "--out", str(out), "--write-docs", str(docs)])
    assert status == 0, printed + progress
    return out, printed, progress


def test_command_writes_html_markdown_json_and_docs(smoke: tuple[Path, str, str]) -> None:
    out, printed, progress = smoke
    html = (out / "report.html").read_text()
    md = (out / "report.md").read_text()
    data = json.loads((out / "report.json").read_text())
    for section in SECTIONS:
        assert f'id="{section}"' in html
    assert "<svg" in html
    assert "<style>" in html
    assert "<script" not in html
    assert "## Benchmark scenarios" in md
    assert "## Context-local strategies" in md
    assert "![µs per request versus number of routes](routes.svg)" in md
    for chart in ("scenarios", "routes", "apps", "memory", "locals"):
        ET.fromstring((out / f"{chart}.svg").read_text())  # well-formed SVG
    assert data["bench"]["frameworks"] == ["raw", "falcon", "core", "resources", "globals"]
    assert [p["name"] for p in data["apps"]["pairs"]] == ["fake"]
    page = (out.parent / "docs" / "design-trade-offs.md").read_text()
    check_docs(page)
    beside = json.loads((out.parent / "docs" / "design-trade-offs.json").read_text())
    assert render_docs(beside) == page  # the JSON beside the page regenerates it exactly
    assert render_docs(data) == page
    assert "µs per request, median of rounds" in printed
    assert "Key findings:" in printed
    assert "app fake: hello" in progress
    assert "[" in progress


def test_app_probes_are_timed_in_both_front_ends(smoke: tuple[Path, str, str]) -> None:
    out, _, _ = smoke
    data = json.loads((out / "report.json").read_text())
    probes = data["apps"]["pairs"][0]["probes"]
    assert [p["probe"] for p in probes] == ["hello", "missing"]
    for probe in probes:
        for front_end in ("resources_fw", "globals_fw"):
            assert probe["results"][front_end]["state"] == "ok"
            assert probe["results"][front_end]["rounds"] == 1
    layer = data["code"]["apps"][0]["front_ends"]
    assert layer["resources_fw"]["lines"] == 2  # the comment and the blank lines do not count
    assert layer["globals_fw"]["names"] == ["App"]


def test_from_json_re_renders_the_same_report(smoke: tuple[Path, str, str]) -> None:
    out, _, _ = smoke
    before = (out / "report.html").read_text()
    status, _, _ = _run(["--from-json", str(out / "report.json"), "--out", str(out)])
    assert status == 0
    assert (out / "report.html").read_text() == before


def test_quick_run_of_the_registered_apps_is_planned_not_run(fake_pair: AppPair) -> None:
    options = cli.options_from(cli.parser().parse_args(["--quick"]), ["--quick"])
    assert options.settings.rounds == 3
    assert options.startup_repeat == 0
    assert [p.name for p in options.pairs] == ["fake"]
    assert options.steps() > len(options.frameworks)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--apps", "nope"], "unknown app nope; choose among: fake"),
        (["--frameworks", "django"], "unknown framework django"),
        (["--baseline", "django"], "--baseline django"),
        (["--startup-repeat", "-1"], "--startup-repeat must be 0"),
        (["--rounds", "0"], "expected at least 1"),
    ],
)
def test_bad_flags_exit_with_a_message(
    fake_pair: AppPair, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_from_json_rejects_what_is_not_a_report(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": 99}')
    with pytest.raises(SystemExit):
        cli.main(["--from-json", str(bad), "--out", str(tmp_path)])


# -- probes that fail are reported, not timed ---------------------------------------------


def test_a_wrong_status_is_an_error_and_a_missing_module_unavailable(
    fake_pair: AppPair, monkeypatch: pytest.MonkeyPatch
) -> None:
    wrong = AppPair(
        "wrong",
        "",
        {"resources_fw": fake_pair.modules["resources_fw"], "globals_fw": "no_such_module_x"},
        {},
        (Probe("teapot", path="/hello", status=418),),
    )
    progress = Progress(1, enabled=False)
    [pair] = run_app_probes([wrong], registry.FRONT_ENDS, Settings(rounds=1, number=1), progress)
    results = pair["probes"][0]["results"]
    assert results["resources_fw"]["state"] == "error"
    assert "expected status 418" in results["resources_fw"]["reason"]
    assert results["globals_fw"]["state"] == "not available"


# -- rendering from a fixed results document -----------------------------------------------


@pytest.fixture
def fixture_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text())
    return data


def test_renderers_are_deterministic(fixture_data: dict[str, Any]) -> None:
    again = json.loads(json.dumps(copy.deepcopy(fixture_data)))
    assert render_docs(fixture_data) == render_docs(again)
    assert render_html(fixture_data) == render_html(again)
    assert render_markdown(fixture_data) == render_markdown(again)


def test_docs_page_names_its_run_and_detects_hand_edits(fixture_data: dict[str, Any]) -> None:
    page = render_docs(fixture_data)
    stamp = check_docs(page)
    assert "2026-01-01T00:00:00+00:00" in stamp
    assert "Linux-fixture-x86_64" in stamp
    assert "# Design trade-offs" in page
    edited = page.replace("## Benchmark scenarios", "## Benchmark scenarios (tuned)")
    with pytest.raises(HandEditedError, match="differs from what the generator wrote"):
        check_docs(edited)
    with pytest.raises(HandEditedError, match="marker"):
        check_docs("# Design trade-offs\n\nwritten by hand\n")


def test_committed_docs_page_is_generated_and_untouched() -> None:
    page = Path(code.ROOT, "docs", "design-trade-offs.md").read_text(encoding="utf-8")
    stamp = check_docs(page)  # raises if the body was edited after generation
    assert "generated-by: python -m compare --write-docs; run 20" in stamp
    assert "CPUs, Python 3." in stamp
    source = Path(code.ROOT, "docs", "design-trade-offs.json")
    # Regenerating from the committed results gives the committed page, byte for byte.
    assert render_docs(json.loads(source.read_text(encoding="utf-8"))) == page


def test_findings_quote_the_numbers_they_come_from(fixture_data: dict[str, Any]) -> None:
    cells = fixture_data["bench"]["requests"]
    g = findings.cell(cells, "globals", "hello")
    r = findings.cell(cells, "resources", "hello")
    assert g is not None
    assert r is not None
    found = findings.all_findings(fixture_data)
    hello = found["bench"][0]
    assert hello.startswith("On hello, globals_fw takes " + findings.num(g["median_us"]))
    assert findings.num(abs(g["median_us"] - r["median_us"])) in hello
    assert any("ident-keyed LocalStack leaked across asyncio" in f for f in found["locals"])
    assert set(found) == {"bench", "routes", "apps", "memory", "code", "locals"}


def test_findings_call_overlapping_rounds_noise() -> None:
    a = {"median_us": 10.0, "min_us": 9.0, "max_us": 12.0}
    b = {"median_us": 9.5, "min_us": 9.2, "max_us": 11.0}
    text = findings.compare_pair("hello", "A", a, "B", b)
    assert "costs 0.500 µs more (+5%)" in text
    assert "within the noise" in text
    c = {"median_us": 20.0, "min_us": 19.0, "max_us": 21.0}
    assert "noise" not in findings.compare_pair("hello", "C", c, "B", b)


def test_every_section_renders_even_without_app_pairs(fixture_data: dict[str, Any]) -> None:
    data = dict(fixture_data, apps={"front_ends": ["resources_fw", "globals_fw"], "pairs": []})
    keys = [s.key for s in build_sections(data)]
    assert keys == list(SECTIONS)
    assert "No app pair was measured" in render_markdown(data)
    assert findings.apps_findings(data["apps"]) == ["No app probe was timed in both front-ends."]


# -- code measures ---------------------------------------------------------------------------


def test_lines_skip_blanks_and_comments_but_count_docstrings() -> None:
    source = '"""Doc\nstring."""\n\n# a comment\nx = 1  # trailing\n\n\ny = (\n    2\n)\n'
    assert code.count_lines(source) == 6  # 2 docstring + 1 + 3 lines of the parenthesis


def test_framework_names_are_found_through_imports_and_aliases() -> None:
    source = (
        "import resources_fw as falcon\n"
        "import globals_fw\n"
        "from globals_fw import request, g\n"
        "from resources_fw.testing import create_environ\n"
        "from . import storage\n"
        "x = falcon.testing.simulate_get\n"
        "y = falcon.HTTPNotFound()\n"
        "z = globals_fw.App(__name__)\n"
    )
    assert code.framework_names(source) == {
        "App",
        "HTTPNotFound",
        "g",
        "request",
        "testing.create_environ",
        "testing.simulate_get",
    }


def test_unit_test_examples_are_measured() -> None:
    tests = {t["style"]: t for t in code.measure_unit_tests()}
    assert set(tests) == {"resources_fw", "globals_fw"}
    assert tests["resources_fw"]["names"] == ["Request", "Response", "testing.create_environ"]
    assert "request" in tests["globals_fw"]["names"]
    for test in tests.values():
        assert test["lines"] == len(test["source"].splitlines())
        assert test["setup"]


# -- charts ---------------------------------------------------------------------------------


def test_charts_are_wellformed_svg_and_show_missing_cells() -> None:
    panel = charts.Panel("hello", [charts.Bar("a", 2.0, 1.5, 3.0), charts.Bar("b", None)])
    svg = charts.bar_panels([panel], ["a", "b"], "µs")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "n/a" in svg
    assert ">2.00<" in svg
    lines = [charts.Line("a", [(10.0, 1.0), (1000.0, 3.0)]), charts.Line("b", [])]
    ET.fromstring(charts.line_chart(lines, ["a", "b"], "routes", "µs"))
    assert charts.line_chart([charts.Line("a", [])], ["a"], "x", "y") == ""
    assert charts.bar_panels([], ["a"], "µs") == ""


# -- memory ------------------------------------------------------------------------------------


def test_memory_is_measured_in_this_process_for_a_framework() -> None:
    found = memory.measure_in_this_process("raw", "hello", 3)
    assert found["state"] == "ok"
    assert found["tracemalloc_peak_kib"] > 0


def test_memory_command_rejects_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert memory.main(["raw", "nope", "3"]) == 2
    assert "scenarios: hello" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown scenario"):
        memory.run_memory(["raw"], "nope", 3)
