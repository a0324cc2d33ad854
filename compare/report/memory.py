"""Peak memory per framework, each measured in a fresh process.

Two numbers, in two phases of the same child process:

1. *max RSS* (the process's peak resident set: ``VmHWM`` on Linux, else ``ru_maxrss``) after
   importing the framework, building the scenario's app and serving N requests, untraced;
   *import RSS* is how much that peak grew while importing the framework alone.
2. *tracemalloc peak*: the most Python-heap memory allocated at once while building a second
   instance of the app and serving N requests under ``tracemalloc`` (allocations made
   before tracing started, such as the imports, are not counted).

Run as ``python -m compare.report.memory FRAMEWORK SCENARIO N``: prints one JSON line.
"""

from __future__ import annotations

import json
import sys
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from compare.bench.apps import load
from compare.bench.environ import EnvironFactory
from compare.bench.results import Result, State
from compare.bench.runner import MISSING_API, build_checked, time_loop
from compare.bench.scenarios import SCENARIOS
from compare.bench.startup import spawn_json

TIMEOUT = 120.0
METHOD = (
    "fresh process per framework: max RSS (VmHWM / ru_maxrss) after import + build + serving N "
    "requests untraced; tracemalloc peak while building a second app and serving N requests"
)


def _proc_status_mib(field: str) -> float | None:
    try:
        text = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024  # reported in kB
    return None


def max_rss_mib() -> float | None:
    """This process's peak resident set size in MiB, where the platform reports it.

    Linux: ``VmHWM`` of ``/proc/self/status``; ``ru_maxrss`` is no good there, as it keeps
    the high-water mark of the parent that forked us across ``exec``. Elsewhere
    ``ru_maxrss`` (bytes on macOS); None on Windows.
    """
    found = _proc_status_mib("VmHWM")
    if found is not None:
        return found
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def measure_in_this_process(framework: str, scenario_name: str, requests: int) -> dict[str, Any]:
    """Both phases, here; meant to run in a fresh process (see the module docstring)."""
    scenario = SCENARIOS[scenario_name]
    before = max_rss_mib()
    try:
        builders = load(framework)
    except MISSING_API as exc:
        return {"state": State.UNAVAILABLE.value, "reason": f"{type(exc).__name__}: {exc}"}
    imported = max_rss_mib()
    make_environ = EnvironFactory(scenario.request)
    app = build_checked(framework, builders, scenario)
    if isinstance(app, Result):
        return {"state": app.state.value, "reason": app.reason}
    time_loop(app, make_environ, requests)
    rss = max_rss_mib()
    tracemalloc.start()
    try:
        second = build_checked(framework, builders, scenario)
        if isinstance(second, Result):
            return {"state": second.state.value, "reason": second.reason}
        time_loop(second, make_environ, requests)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    found: dict[str, Any] = {"state": State.OK.value, "tracemalloc_peak_kib": peak / 1024}
    if before is not None and imported is not None and rss is not None:
        found.update({"max_rss_mib": rss, "import_rss_mib": imported - before})
    return found


def _spawn(framework: str, scenario: str, requests: int) -> dict[str, Any]:
    return spawn_json(__name__, framework, scenario, str(requests), timeout=TIMEOUT)


def run_memory(
    frameworks: Sequence[str],
    scenario: str,
    requests: int,
    each: Callable[[str, dict[str, Any]], None] = lambda fw, found: None,
) -> dict[str, Any]:
    """One fresh process per framework; ``each`` is told every result as it comes."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose among: {', '.join(SCENARIOS)}")
    results = []
    for fw in frameworks:
        found = {"framework": fw, **_spawn(fw, scenario, requests)}
        each(fw, found)
        results.append(found)
    return {"method": METHOD, "scenario": scenario, "requests": requests, "frameworks": results}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 3 or args[1] not in SCENARIOS or not args[2].isdigit():
        usage = "usage: python -m compare.report.memory FRAMEWORK SCENARIO REQUESTS"
        print(f"{usage}\nscenarios: {', '.join(SCENARIOS)}", file=sys.stderr)
        return 2
    print(json.dumps(measure_in_this_process(args[0], args[1], int(args[2]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
