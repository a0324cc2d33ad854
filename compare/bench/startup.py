"""Start-up: build an app of N routes and serve its first request, each time in a new process.

A new process is the only honest "fresh state": routers compile lazily, and ``re`` and
framework caches would otherwise be warm from the previous repetition. The framework is
imported before the clock starts (import time is a different cost); what is timed is
building the app, registering every route, and serving the first request to completion.

Run as ``python -m compare.bench.startup FRAMEWORK COUNT [cpu|wall]``: prints one JSON line.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Mapping
from typing import Any

from .apps import load
from .environ import EnvironFactory
from .results import Result, State, Timing
from .runner import CLOCKS, MISSING_API
from .scenarios import route_request
from .wsgi import call

TIMEOUT = 120.0


def measure_once(framework: str, count: int, clock: str = "cpu") -> dict[str, Any]:
    """In this (fresh) process: seconds to build ``count`` routes and serve one request."""
    timer = CLOCKS[clock]
    try:
        builders = load(framework)
    except MISSING_API as exc:
        return {"state": State.UNAVAILABLE.value, "reason": f"{type(exc).__name__}: {exc}"}
    spec, check = route_request(count)
    environ = EnvironFactory(spec)()
    gc.collect()
    start = timer()
    try:
        app = builders.routes(count)
    except MISSING_API as exc:
        return {"state": State.UNAVAILABLE.value, "reason": f"{type(exc).__name__}: {exc}"}
    except Exception as exc:
        return {"state": State.ERROR.value, "reason": f"building raised {exc!r}"}
    try:
        answer = call(app, environ)
    except Exception as exc:
        return {"state": State.ERROR.value, "reason": f"{spec} raised {exc!r}"}
    seconds = timer() - start
    problem = check(answer)
    if problem is not None:
        return {"state": State.ERROR.value, "reason": f"wrong answer to {spec}: {problem}"}
    return {"state": State.OK.value, "seconds": seconds}


def spawn_json(module: str, *args: str, timeout: float = TIMEOUT) -> dict[str, Any]:
    """Run ``python -m module args...`` in a fresh process and read the JSON object on the
    last line of its output; a failure comes back as ``{"state": "error", "reason": ...}``."""
    command = [sys.executable, "-m", module, *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"state": State.ERROR.value, "reason": f"took more than {timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return {"state": State.ERROR.value, "reason": f"exit {done.returncode}: {tail[0]}"}
    try:
        report: dict[str, Any] = json.loads(lines[-1])
    except ValueError:
        return {"state": State.ERROR.value, "reason": f"unreadable report: {lines[-1][:80]!r}"}
    return report


def _spawn(framework: str, count: int, clock: str) -> dict[str, Any]:
    return spawn_json(__name__, framework, str(count), clock)


def run_startup(
    frameworks: Mapping[str, object], count: int, repeats: int, clock: str = "cpu"
) -> list[Result]:
    """Median over ``repeats`` fresh processes of each framework's start-up seconds.

    A string value stands for an unavailable framework. Repetitions are interleaved across
    frameworks so that load on the machine hits them alike.
    """
    name = f"startup-{count}"
    results: dict[str, Result] = {}
    samples: dict[str, list[float]] = {}
    for fw, builders in frameworks.items():
        if isinstance(builders, str):
            results[fw] = Result(fw, name, State.UNAVAILABLE, reason=builders)
        else:
            samples[fw] = []
    for _ in range(repeats):
        for fw in [f for f in samples if f not in results]:
            report = _spawn(fw, count, clock)
            if report["state"] != State.OK.value:
                results[fw] = Result(fw, name, State(report["state"]), reason=report["reason"])
            else:
                samples[fw].append(float(report["seconds"]))
    for fw, found in samples.items():
        results.setdefault(fw, Result(fw, name, State.OK, Timing(tuple(found))))
    return [results[fw] for fw in frameworks]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) not in (2, 3) or not args[1].isdigit() or args[2:] not in ([], ["cpu"], ["wall"]):
        print("usage: python -m compare.bench.startup FRAMEWORK COUNT [cpu|wall]", file=sys.stderr)
        return 2
    print(json.dumps(measure_once(args[0], int(args[1]), *args[2:])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
