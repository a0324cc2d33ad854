"""Performance: the compare.bench scenarios, and the reference apps' probes, per front-end.

Both reuse ``compare.bench``'s runner (check one answer, warm up, size a round, time
interleaved rounds; fresh environ per request, body iterated, ``close()`` called) so the
numbers of the two parts are measured the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from compare.apps.registry import AppPair, Probe
from compare.bench.apps import AppBuilders, load
from compare.bench.environ import RequestSpec
from compare.bench.results import Result, Run
from compare.bench.runner import MISSING_API, Settings, run_scenario_all
from compare.bench.scenarios import SCENARIOS, STARTUP_SIZES, Scenario, route_scenario
from compare.bench.startup import run_startup
from compare.bench.wsgi import Answer, WSGIApp

from .progress import Progress


def load_frameworks(frameworks: Sequence[str]) -> dict[str, AppBuilders | str]:
    """Each framework's bench apps, or the reason it is not available."""
    found: dict[str, AppBuilders | str] = {}
    for fw in frameworks:
        try:
            found[fw] = load(fw)
        except MISSING_API as exc:
            found[fw] = f"{type(exc).__name__}: {exc}"
    return found


@dataclass(frozen=True)
class BenchPlan:
    """What part (a) measures."""

    frameworks: Sequence[str]
    baseline: str
    settings: Settings
    sizes: Sequence[int]
    startup_repeat: int  # 0: no start-up measurement

    def steps(self) -> int:
        startup = len(STARTUP_SIZES) if self.startup_repeat else 0
        return len(SCENARIOS) + startup + len(self.sizes)


def run_bench(plan: BenchPlan, progress: Progress) -> Run:
    """The compare.bench scenarios, start-up and routes sweep, as one ``Run``."""
    builders = load_frameworks(plan.frameworks)
    run = Run(list(plan.frameworks), plan.baseline)
    run.settings = {
        "rounds": plan.settings.rounds,
        "number": plan.settings.number,
        "round_time_s": plan.settings.round_time,
        "startup_repeat": plan.startup_repeat,
        "sizes": list(plan.sizes),
        "clock": plan.settings.clock,
    }
    for name, scenario in SCENARIOS.items():
        with progress.step(f"bench {name}") as step:
            run.requests += step.results(run_scenario_all(builders, scenario, plan.settings))
    for count in STARTUP_SIZES if plan.startup_repeat else ():
        with progress.step(f"start-up {count} routes") as step:
            found = run_startup(builders, count, plan.startup_repeat, plan.settings.clock)
            run.startup += step.results(found, unit="ms")
    for count in plan.sizes:
        with progress.step(f"routes sweep {count}") as step:
            found = _measured(run, count) or run_scenario_all(
                builders, route_scenario(count), plan.settings
            )
            run.sweep += step.results(found)
    return run


def _measured(run: Run, count: int) -> list[Result]:
    """The sweep cell of ``count`` routes when a scenario just measured that very request.

    ``route-50`` and ``route-1000`` are ``route_scenario(50/1000)`` under another name;
    timing them twice would cost many seconds of building 1000 routes for nothing.
    """
    same = [r for r in run.requests if r.scenario == f"route-{count}"]
    return [replace(r, scenario=f"routes-{count}") for r in same]


class _OneApp:
    """A front-end's implementation of one app pair, built once and shared by its probes."""

    def __init__(self, create: Callable[[], Callable[..., Any]]) -> None:
        self._create = create
        self._app: WSGIApp | None = None

    def app(self) -> WSGIApp:
        if self._app is None:
            self._app = cast(WSGIApp, self._create()())
        return self._app


def _status_check(status: int) -> Callable[[Answer], str | None]:
    def check(answer: Answer) -> str | None:
        if answer.status_code != status:
            return f"expected status {status}, got {answer.status} {answer.body[:80]!r}"
        return None

    return check


def probe_scenario(pair: AppPair, probe: Probe) -> Scenario:
    """A probe as a bench scenario whose app is the front-end's prebuilt one."""
    spec = RequestSpec(
        probe.method,
        probe.path,
        probe.query,
        probe.body,
        probe.content_type or "",
        dict(probe.headers),
    )
    return Scenario(
        f"{pair.name}:{probe.name}",
        str(spec),
        lambda holder: cast(_OneApp, holder).app(),
        spec,
        _status_check(probe.status),
    )


def _factory(pair: AppPair, front_end: str) -> Callable[[], Callable[..., Any]]:
    return lambda: pair.factory(front_end)


def run_app_probes(
    pairs: Sequence[AppPair], front_ends: Sequence[str], settings: Settings, progress: Progress
) -> list[dict[str, Any]]:
    """Microseconds per request of every probe of every pair, in each front-end."""
    out = []
    for pair in pairs:
        holders: Mapping[str, AppBuilders | str] = {
            fe: cast(AppBuilders, _OneApp(_factory(pair, fe))) for fe in front_ends
        }
        probes = []
        for probe in pair.probes:
            with progress.step(f"app {pair.name}: {probe.name}") as step:
                found = step.results(
                    run_scenario_all(holders, probe_scenario(pair, probe), settings)
                )
            probes.append(
                {
                    "probe": probe.name,
                    "request": str(probe_scenario(pair, probe).request),
                    "status": probe.status,
                    "results": {r.framework: result_entry(r) for r in found},
                }
            )
        out.append({"name": pair.name, "summary": pair.summary, "probes": probes})
    return out


def result_entry(result: Result) -> dict[str, Any]:
    """A timed cell as plain data (microseconds), or its state and reason."""
    entry: dict[str, Any] = {"state": result.state.value}
    timing = result.timing
    if timing is None:
        entry["reason"] = result.reason
        return entry
    entry.update(
        {
            "median_us": timing.median * 1e6,
            "min_us": timing.min * 1e6,
            "max_us": timing.max * 1e6,
            "rounds": len(timing.samples),
            "number": timing.number,
            "samples_us": [s * 1e6 for s in timing.samples],
        }
    )
    return entry
