"""The report's content as plain blocks (paragraphs, findings, tables, charts, code).

Built from a results document only, so the HTML, the Markdown and the docs page say the same
thing and re-rendering the same JSON gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import charts
from .findings import Data, all_findings, cell, num


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Findings:
    items: Sequence[str]


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]


@dataclass(frozen=True)
class Chart:
    name: str  # file stem when written next to the Markdown
    title: str
    svg: str


@dataclass(frozen=True)
class Code:
    text: str
    language: str = "python"


Block = Paragraph | Findings | Table | Chart | Code


@dataclass
class Section:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)


def _front_end_order(item: tuple[str, Any]) -> tuple[int, str]:
    """resources_fw first, globals_fw second, anything else after, by name."""
    order = {"resources_fw": 0, "globals_fw": 1}
    return order.get(item[0], 2), item[0]


def _timed(c: Data | None, unit: str = "us") -> str:
    return "-" if c is None else num(c[f"median_{unit}"])


def _with_ratio(c: Data | None, base: Data | None, unit: str = "us") -> str:
    if c is None:
        return "n/a"
    text = num(c[f"median_{unit}"])
    if base is not None:
        text += f" ({c[f'median_{unit}'] / base[f'median_{unit}']:.2f}x)"
    return text


def _spread(c: Data | None, unit: str = "us") -> str:
    if c is None:
        return "-"
    return f"{num(c[f'min_{unit}'])}-{num(c[f'max_{unit}'])}"


def _names(cells: Sequence[Data]) -> list[str]:
    return list(dict.fromkeys(c["scenario"] for c in cells))


def scenario_table(bench: Data) -> Table:
    """µs per request (ratio to the baseline) per scenario and framework."""
    cells, base = bench["requests"], bench["baseline"]
    rows = [
        [name]
        + [
            _with_ratio(cell(cells, fw, name), cell(cells, base, name))
            for fw in bench["frameworks"]
        ]
        for name in _names(cells)
    ]
    return Table(["µs/request", *bench["frameworks"]], rows)


def _bench_section(bench: Data, found: list[str]) -> Section:
    cells, frameworks = bench["requests"], bench["frameworks"]
    panels = [
        charts.Panel(
            name,
            [
                charts.Bar(fw, c["median_us"], c["min_us"], c["max_us"])
                if (c := cell(cells, fw, name))
                else charts.Bar(fw, None)
                for fw in frameworks
            ],
        )
        for name in _names(cells)
    ]
    settings = bench["settings"]
    return Section(
        "bench",
        "Benchmark scenarios",
        [
            Paragraph(
                f"The compare.bench scenarios, every framework in the same run: median of "
                f"{settings.get('rounds')} rounds ({settings.get('clock')} time), "
                f"(x) = ratio to {bench['baseline']}; lower is better. Each request gets a fresh "
                "environ; the body is iterated and closed as a server would."
            ),
            Findings(found),
            scenario_table(bench),
            Paragraph("Spread: the fastest and the slowest round, µs per request."),
            Table(
                ["min-max µs", *frameworks],
                [
                    [name] + [_spread(cell(cells, fw, name)) for fw in frameworks]
                    for name in _names(cells)
                ],
            ),
            Chart(
                "scenarios",
                "µs per request, per scenario",
                charts.bar_panels(panels, frameworks, "µs/request"),
            ),
        ],
    )


def _routes_section(bench: Data, found: list[str]) -> Section:
    cells, frameworks = bench.get("routes", []), bench["frameworks"]
    sizes = sorted({int(c["scenario"].rsplit("-", 1)[1]) for c in cells})
    blocks: list[Block] = [
        Paragraph(
            "A GET of the middle route among N like-shaped routes with two int parameters "
            "(/r{i}/{a:int}/items/{b:int}); and start-up: building N routes and serving the "
            "first request, each time in a fresh process."
        ),
        Findings(found),
    ]
    if sizes:
        blocks.append(
            Table(
                ["µs/request", *map(str, sizes)],
                [
                    [fw] + [_timed(cell(cells, fw, f"routes-{n}")) for n in sizes]
                    for fw in frameworks
                ],
            )
        )
        lines = [
            charts.Line(
                fw,
                [
                    (float(n), c["median_us"])
                    for n in sizes
                    if (c := cell(cells, fw, f"routes-{n}"))
                ],
            )
            for fw in frameworks
        ]
        blocks.append(
            Chart(
                "routes",
                "µs per request versus number of routes",
                charts.line_chart(lines, frameworks, "number of routes (log scale)", "µs/request"),
            )
        )
    startup = bench.get("startup", [])
    if startup:
        blocks.append(
            Table(
                ["start-up ms", *frameworks],
                [
                    [name] + [_timed(cell(startup, fw, name), "ms") for fw in frameworks]
                    for name in _names(startup)
                ],
            )
        )
    return Section("routes", "Cost versus number of routes, and start-up", blocks)


def _probe_rows(apps: Data) -> tuple[list[list[str]], list[charts.Panel]]:
    rows, panels = [], []
    fes = apps["front_ends"]
    for pair in apps["pairs"]:
        for probe in pair["probes"]:
            res = probe["results"]
            ok = {fe: res[fe] for fe in fes if res.get(fe, {}).get("state") == "ok"}
            shown = [
                f"{num(ok[fe]['median_us'])} ({_spread(ok[fe])})"
                if fe in ok
                else res.get(fe, {}).get("state", "-")
                for fe in fes
            ]
            diff = "-"
            if len(ok) == 2:
                a, b = (ok[fe]["median_us"] for fe in fes)
                diff = f"{num(b - a)} ({(b - a) / a * 100:+.0f}%)"
            rows.append([pair["name"], probe["probe"], probe["request"], *shown, diff])
            bars = [
                charts.Bar(fe, ok[fe]["median_us"], ok[fe]["min_us"], ok[fe]["max_us"])
                if fe in ok
                else charts.Bar(fe, None)
                for fe in fes
            ]
            panels.append(charts.Panel(f"{pair['name']}: {probe['probe']}", bars))
    return rows, panels


def _apps_section(apps: Data | None, found: list[str]) -> Section:
    section = Section("apps", "Reference apps in both front-ends")
    if not apps or not apps["pairs"]:
        section.blocks.append(
            Paragraph(
                "No app pair was measured (none registered in compare/apps/registry.py, "
                "or --apps/--no-apps left them out)."
            )
        )
        return section
    fes = apps["front_ends"]
    rows, panels = _probe_rows(apps)
    section.blocks += [
        Paragraph(
            "Each app is built once per front-end; each probe (one of its main routes) is timed "
            "like the bench scenarios. Cells: median µs per request (fastest-slowest round)."
        ),
        Findings(found),
        Table(["app", "probe", "request", *fes, f"{fes[-1]} - {fes[0]} µs"], rows),
        Chart(
            "apps", "µs per request, per app probe", charts.bar_panels(panels, fes, "µs/request")
        ),
    ]
    problems = [
        f"{pair['name']}:{probe['probe']} {fe}: {r.get('state')}: {r.get('reason', '')}"
        for pair in apps["pairs"]
        for probe in pair["probes"]
        for fe, r in sorted(probe["results"].items(), key=_front_end_order)
        if r.get("state") != "ok"
    ]
    if problems:
        section.blocks.append(Findings(["Not timed: " + p for p in problems]))
    return section


def _memory_section(memory: Data, found: list[str]) -> Section:
    rows, bars = [], []
    for m in memory["frameworks"]:
        if m.get("state") == "ok":
            rows.append(
                [
                    m["framework"],
                    num(m["tracemalloc_peak_kib"]),
                    num(m["max_rss_mib"]) if "max_rss_mib" in m else "-",
                    num(m["import_rss_mib"]) if "import_rss_mib" in m else "-",
                ]
            )
            bars.append(charts.Bar(m["framework"], m["tracemalloc_peak_kib"]))
        else:
            rows.append([m["framework"], m.get("state", "-"), m.get("reason", ""), ""])
            bars.append(charts.Bar(m["framework"], None))
    series = [m["framework"] for m in memory["frameworks"]]
    panel = charts.Panel(f"heap peak, {memory['scenario']} x {memory['requests']}", bars)
    return Section(
        "memory",
        "Peak memory per framework",
        [
            Paragraph(
                f"Method: {memory['method']} (N = {memory['requests']}, scenario "
                f"{memory['scenario']})."
            ),
            Findings(found),
            Table(["framework", "tracemalloc peak KiB", "max RSS MiB", "import RSS MiB"], rows),
            Chart("memory", "tracemalloc peak", charts.bar_panels([panel], series, "KiB", 1)),
        ],
    )


def _code_section(code: Data, found: list[str]) -> Section:
    blocks: list[Block] = [
        Paragraph(
            "Web layer only (the files each pair lists as its web layer; shared storage and "
            "domain code excluded); lines are non-blank, non-comment lines; names are those "
            "used from resources_fw / globals_fw, found with ast."
        ),
        Findings(found),
    ]
    rows = []
    for app in code.get("apps", []):
        for fe, m in sorted(app["front_ends"].items(), key=_front_end_order):
            missing = f" (missing: {', '.join(m['missing'])})" if m["missing"] else ""
            rows.append([app["name"], fe, str(m["lines"]), ", ".join(m["names"]) + missing])
    if rows:
        blocks.append(Table(["app", "front-end", "lines", "framework names used"], rows))
    for test in code.get("unit_tests", []):
        blocks += [
            Paragraph(
                f"Unit test of one handler, {test['style']} style ({test['file']}, "
                f"{test['lines']} lines; names used by the file: {', '.join(test['names'])}). "
                f"It must set up: {'; '.join(test['setup'])}."
            ),
            Code(test["source"]),
        ]
    return Section("code", "Code: size, framework surface, unit tests", blocks)


def _isolation_table(study: Data) -> Table:
    modes = list(dict.fromkeys(c["mode"] for c in study["isolation"]))
    strategies = list(dict.fromkeys(c["strategy"] for c in study["isolation"]))
    rows = []
    for strategy in strategies:
        row = [strategy]
        for mode in modes:
            c = next(
                x for x in study["isolation"] if x["strategy"] == strategy and x["mode"] == mode
            )
            seen = ", ".join(f"{w} saw {v}" for w, v in sorted(c["seen"].items()))
            row.append(c["outcome"] + (f" ({seen})" if c["outcome"] == "leaked" else ""))
        rows.append(row)
    return Table(["strategy", *modes], rows)


def _locals_section(study: Data, found: list[str]) -> Section:
    access = study["access"]
    settings = study["access_settings"]
    bars = [charts.Bar(a["key"], a["median_ns"], a["min_ns"], a["max_ns"]) for a in access]
    keys = [a["key"] for a in access]
    return Section(
        "locals",
        "Context-local strategies",
        [
            Paragraph(
                "Two workers each bind their own request, wait for each other, then read 'the "
                "current request'. The ident-keyed Local/LocalStack of older werkzeug/Flask is "
                "re-implemented in compare/locals_study for this study only."
            ),
            Findings(found),
            _isolation_table(study),
            Paragraph(
                f"Cost of one attribute read (request.method), ns, median of {settings['rounds']} "
                f"rounds of {settings['number']} reads, empty-loop cost subtracted."
            ),
            Table(
                ["variant", "what", "ns/access", "min-max"],
                [
                    [
                        a["key"],
                        a["label"],
                        num(a["median_ns"]),
                        f"{num(a['min_ns'])}-{num(a['max_ns'])}",
                    ]
                    for a in access
                ],
            ),
            Chart(
                "locals",
                "ns per attribute access",
                charts.bar_panels([charts.Panel("request.method", bars)], keys, "ns/access", 1),
            ),
        ],
    )


def _run_section(data: Data) -> Section:
    machine = data["machine"]
    rows = [[k, str(v)] for k, v in sorted(machine.items())]
    rows += [[f"setting: {k}", str(v)] for k, v in sorted(data["settings"].items())]
    bench = data.get("bench")
    if bench:
        rows += [[f"version: {k}", str(v)] for k, v in sorted(bench["versions"].items())]
    blocks: list[Block] = [
        Paragraph(
            f"Generated {data['generated']} by `{data['command']}` in {data['wall_time_s']} s."
        ),
        Table(["", ""], rows),
    ]
    problems = [
        f"{c['framework']} [{c['scenario']}] {c['state']}: {c.get('reason', '')}"
        for group in ("requests", "startup", "routes")
        for c in (bench or {}).get(group, [])
        if c["state"] != "ok"
    ]
    if problems:
        blocks.append(Findings(["Not timed: " + p for p in problems]))
    return Section("run", "This run", blocks)


def build_sections(data: Data) -> list[Section]:
    """Every section the document has data for, in report order."""
    found = all_findings(data)
    sections: list[Section] = []
    bench = data.get("bench")
    if bench:
        sections.append(_bench_section(bench, found.get("bench", [])))
        sections.append(_routes_section(bench, found.get("routes", [])))
    if data.get("apps") is not None:
        sections.append(_apps_section(data["apps"], found.get("apps", [])))
    if data.get("memory"):
        sections.append(_memory_section(data["memory"], found.get("memory", [])))
    if data.get("code"):
        sections.append(_code_section(data["code"], found.get("code", [])))
    if data.get("locals"):
        sections.append(_locals_section(data["locals"], found.get("locals", [])))
    sections.append(_run_section(data))
    return sections


def key_findings(data: Data) -> list[str]:
    """The handful of findings the summary leads with: the first of each part, plus the
    context-local cost."""
    found = all_findings(data)
    picks = [items[0] for key in ("bench", "apps", "memory", "code") if (items := found.get(key))]
    local = found.get("locals", [])
    picks += local[:1] + [f for f in local if f.startswith("Reading request.method")]
    return picks
