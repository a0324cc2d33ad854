"""Presenting a run: text tables (medians, ratios to the baseline, spreads) and JSON."""

from __future__ import annotations

import json
import platform
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from .results import Result, Run, State

DISTRIBUTIONS = {"falcon": "falcon", "bottle": "bottle", "flask": "flask"}
OURS = ("core", "resources", "globals")


def number(value: float) -> str:
    """3 significant-ish digits: 0.912, 3.81, 42.6, 1050."""
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def ratio(result: Result | None, base: Result | None) -> float | None:
    """``result`` / ``base`` medians, or None when either is missing."""
    if result is None or base is None or result.timing is None or base.timing is None:
        return None
    return result.timing.median / base.timing.median


def cell(result: Result | None, base: Result | None, scale: float) -> str:
    """``median (ratio)`` or why there is none."""
    if result is None:
        return "-"
    if result.timing is None:
        return "n/a" if result.state is State.UNAVAILABLE else "ERROR"
    text = number(result.timing.median * scale)
    r = ratio(result, base)
    return f"{text} ({r:.2f}x)" if r is not None else text


def spread_cell(result: Result | None, scale: float) -> str:
    if result is None or result.timing is None:
        return "-"
    return f"{number(result.timing.min * scale)}-{number(result.timing.max * scale)}"


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A plain, left-aligned first column and right-aligned others."""
    rows = [list(header), *map(list, rows)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = []
    for n, row in enumerate(rows):
        parts = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _grid(
    run: Run, results: list[Result], scenarios: Sequence[str], render: Callable[..., str]
) -> list[list[str]]:
    return [
        [name]
        + [
            render(run.find(results, fw, name), run.find(results, run.baseline, name))
            for fw in run.frameworks
        ]
        for name in scenarios
    ]


def _scenarios(results: list[Result]) -> list[str]:
    return list(dict.fromkeys(r.scenario for r in results))


def requests_table(run: Run) -> str:
    names = _scenarios(run.requests)
    rows = _grid(run, run.requests, names, lambda r, b: cell(r, b, 1e6))
    if "route-50" in names and "route-1000" in names:
        rows.append(["1000 vs 50 routes"] + [_growth(run, fw) for fw in run.frameworks])
    return table(["us/request", *run.frameworks], rows)


def _growth(run: Run, framework: str) -> str:
    r = ratio(
        run.find(run.requests, framework, "route-1000"),
        run.find(run.requests, framework, "route-50"),
    )
    return "-" if r is None else f"{r:.2f}x"


def spread_table(run: Run) -> str:
    names = _scenarios(run.requests)
    rows = _grid(run, run.requests, names, lambda r, b: spread_cell(r, 1e6))
    return table(["min-max us", *run.frameworks], rows)


def startup_table(run: Run) -> str:
    names = _scenarios(run.startup)
    rows = _grid(run, run.startup, names, lambda r, b: cell(r, b, 1e3))
    return table(["start-up ms", *run.frameworks], rows)


def sweep_table(run: Run) -> str:
    sizes = [int(name.rsplit("-", 1)[1]) for name in _scenarios(run.sweep)]
    header = ["routes", *map(str, sizes)]
    if len(sizes) > 1:
        header.append(f"{sizes[-1]} vs {50 if 50 in sizes else sizes[0]}")
    rows = []
    for fw in run.frameworks:
        found = [run.find(run.sweep, fw, f"routes-{n}") for n in sizes]
        row = [fw] + [cell(r, None, 1e6) for r in found]
        if len(sizes) > 1:
            r = ratio(found[-1], found[sizes.index(50) if 50 in sizes else 0])
            row.append("-" if r is None else f"{r:.2f}x")
        rows.append(row)
    return table(header, rows)


def problems(run: Run) -> list[str]:
    """One line per framework and reason for every cell that has no timing."""
    seen: dict[tuple[str, str], list[str]] = {}
    for r in [*run.requests, *run.startup, *run.sweep]:
        if r.timing is None:
            seen.setdefault((r.framework, f"{r.state.value}: {r.reason}"), []).append(r.scenario)
    return [f"{fw} [{', '.join(names)}] {why}" for (fw, why), names in seen.items()]


def render(run: Run) -> str:
    """The whole text report."""
    out = [
        f"compare.bench: median of {run.settings.get('rounds')} rounds "
        f"({run.settings.get('clock', 'cpu')} time); (x) = ratio to {run.baseline}; "
        "lower is better",
    ]
    if run.requests:
        out += ["", requests_table(run), "", spread_table(run)]
    if run.startup:
        repeat = run.settings.get("startup_repeat")
        title = f"Start-up: build the app, serve its first request (median of {repeat} processes):"
        out += ["", title, startup_table(run)]
    if run.sweep:
        out += ["", "Cost versus number of routes (us/request, middle route):", sweep_table(run)]
    notes = problems(run)
    if notes:
        out += ["", "Cells without a timing:", *(f"  {line}" for line in notes)]
    return "\n".join(out)


def versions(frameworks: Iterable[str]) -> dict[str, str]:
    found = {"python": platform.python_version()}
    for fw in frameworks:
        dist = DISTRIBUTIONS.get(fw, "resources-fw" if fw in OURS else None)
        if dist is None:
            continue
        try:
            found[fw] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            found[fw] = "not installed"
    return found


def _entry(result: Result, run: Run, results: list[Result], unit: str, scale: float) -> Any:
    entry: dict[str, Any] = {
        "framework": result.framework,
        "scenario": result.scenario,
        "state": result.state.value,
    }
    if result.timing is not None:
        t = result.timing
        entry.update(
            {
                f"median_{unit}": t.median * scale,
                f"min_{unit}": t.min * scale,
                f"max_{unit}": t.max * scale,
                "rounds": len(t.samples),
                "number": t.number,
                f"samples_{unit}": [s * scale for s in t.samples],
                "ratio": ratio(result, run.find(results, run.baseline, result.scenario)),
            }
        )
    else:
        entry["reason"] = result.reason
    return entry


def to_json(run: Run) -> dict[str, Any]:
    """The run as plain data (medians in us per request, start-up in ms)."""
    return {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "platform": platform.platform(),
        "implementation": sys.implementation.name,
        "versions": versions(run.frameworks),
        "baseline": run.baseline,
        "frameworks": run.frameworks,
        "settings": run.settings,
        "requests": [_entry(r, run, run.requests, "us", 1e6) for r in run.requests],
        "startup": [_entry(r, run, run.startup, "ms", 1e3) for r in run.startup],
        "routes": [_entry(r, run, run.sweep, "us", 1e6) for r in run.sweep],
    }


def write_json(run: Run, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_json(run), indent=2) + "\n")
