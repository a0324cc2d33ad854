"""Running every measurement and gathering the results into one JSON-shaped document."""

from __future__ import annotations

import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from compare.apps.registry import FRONT_ENDS, AppPair
from compare.bench.report import to_json
from compare.bench.runner import Settings
from compare.locals_study import run_study

from .code import measure_apps, measure_unit_tests
from .findings import all_findings
from .memory import run_memory
from .perf import BenchPlan, run_app_probes, run_bench
from .progress import Progress

SCHEMA = 1


@dataclass
class Options:
    """Everything one invocation measures, with the defaults already resolved."""

    frameworks: list[str]
    baseline: str
    pairs: Sequence[AppPair]
    settings: Settings
    sizes: tuple[int, ...]
    startup_repeat: int = 0
    bench: bool = True
    apps: bool = True
    memory: bool = True
    memory_scenario: str = "hello"
    memory_requests: int = 2000
    locals: bool = True
    locals_rounds: int = 7
    locals_number: int = 200_000
    command: str = "python -m compare"
    extra: dict[str, Any] = field(default_factory=dict)

    def steps(self) -> int:
        """How many progress lines the run will print."""
        total = 1  # code measures
        if self.bench:
            total += BenchPlan(
                self.frameworks, self.baseline, self.settings, self.sizes, self.startup_repeat
            ).steps()
        if self.apps:
            total += sum(len(pair.probes) for pair in self.pairs)
        total += len(self.frameworks) if self.memory else 0
        return total + (2 if self.locals else 0)


def machine() -> dict[str, Any]:
    """Where the numbers come from."""
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
    }


def _settings(options: Options) -> dict[str, Any]:
    s = options.settings
    return {
        "rounds": s.rounds,
        "number": s.number,
        "round_time_s": s.round_time,
        "clock": s.clock,
        "sizes": list(options.sizes),
        "startup_repeat": options.startup_repeat,
        "memory_requests": options.memory_requests if options.memory else None,
        "apps": [pair.name for pair in options.pairs] if options.apps else [],
        "frameworks": list(options.frameworks),
        **options.extra,
    }


def _memory(options: Options, progress: Progress) -> dict[str, Any]:
    def each(fw: str, found: dict[str, Any]) -> None:
        with progress.step(f"memory {fw}") as step:
            if found.get("state") == "ok":
                step.note(f"heap peak {found['tracemalloc_peak_kib']:.0f} KiB")
            else:
                step.note(f"{found.get('state')}: {found.get('reason', '')}")

    return run_memory(options.frameworks, options.memory_scenario, options.memory_requests, each)


def _locals(options: Options, progress: Progress) -> dict[str, Any]:
    with progress.step("context locals: isolation and access cost") as step:
        study = run_study(options.locals_rounds, options.locals_number, options.settings.clock)
        leaks = [c for c in study["isolation"] if c["outcome"] == "leaked"]
        step.note(f"{len(leaks)} leaks found")
    with progress.step("globals_fw context-local design") as step:
        step.note(", ".join(study["globals_fw"]["contextvars"]))
    return study


def collect(options: Options, progress: Progress) -> dict[str, Any]:
    """Measure everything ``options`` asks for; the document the renderers read."""
    started = time.perf_counter()
    data: dict[str, Any] = {
        "schema": SCHEMA,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": options.command,
        "machine": machine(),
        "settings": _settings(options),
        "bench": None,
        "apps": None,
        "memory": None,
        "code": None,
        "locals": None,
    }
    if options.bench:
        plan = BenchPlan(
            options.frameworks,
            options.baseline,
            options.settings,
            options.sizes,
            options.startup_repeat,
        )
        data["bench"] = to_json(run_bench(plan, progress))
    if options.apps:
        pairs = run_app_probes(options.pairs, FRONT_ENDS, options.settings, progress)
        data["apps"] = {"front_ends": list(FRONT_ENDS), "pairs": pairs}
    if options.memory:
        data["memory"] = _memory(options, progress)
    with progress.step("code: lines, framework names, unit tests") as step:
        data["code"] = {
            "apps": measure_apps(options.pairs, FRONT_ENDS) if options.apps else [],
            "unit_tests": measure_unit_tests(),
        }
        step.note(f"{len(data['code']['apps'])} app pairs")
    if options.locals:
        data["locals"] = _locals(options, progress)
    data["wall_time_s"] = round(time.perf_counter() - started, 1)
    data["findings"] = all_findings(data)
    return data


def failures(data: dict[str, Any]) -> list[str]:
    """Every cell that ran and answered wrongly (not the merely unavailable ones)."""
    found = []
    bench = data.get("bench") or {}
    for group in ("requests", "startup", "routes"):
        found += [
            f"{c['framework']} {c['scenario']}: {c.get('reason', '')}"
            for c in bench.get(group, [])
            if c["state"] == "error"
        ]
    for pair in (data.get("apps") or {}).get("pairs", []):
        for probe in pair["probes"]:
            found += [
                f"{fe} {pair['name']}:{probe['probe']}: {r.get('reason', '')}"
                for fe, r in probe["results"].items()
                if r.get("state") == "error"
            ]
    return found
