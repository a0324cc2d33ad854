"""``python -m compare.bench``: run the scenarios for the frameworks, print, write JSON."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from .apps import FRAMEWORKS, AppBuilders, load
from .report import render, write_json
from .results import Result, Run, State
from .runner import CLOCKS, MISSING_API, Settings, run_scenario_all
from .scenarios import SCENARIOS, STARTUP_SIZES, SWEEP_SIZES, route_scenario
from .startup import run_startup

GROUPS = {"startup": "start-up at 100 and 1000 routes", "routes": "the routes sweep"}


def _names(text: str, known: Sequence[str], what: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown {what} {', '.join(unknown) or '(none given)'}; choose among: "
            + ", ".join(known)
        )
    return names


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m compare.bench",
        description="Serve the same small apps with each framework, in-process, and compare "
        "microseconds per request (median of several rounds).",
    )
    scenario_names = [*SCENARIOS, *GROUPS]
    p.add_argument(
        "--frameworks",
        type=lambda t: _names(t, list(FRAMEWORKS), "framework"),
        default=list(FRAMEWORKS),
        help="comma-separated, from: " + ", ".join(FRAMEWORKS) + " (default: all)",
    )
    p.add_argument(
        "--scenarios",
        type=lambda t: _names(t, scenario_names, "scenario"),
        default=scenario_names,
        help="comma-separated, from: "
        + ", ".join(SCENARIOS)
        + "; and the groups "
        + "; ".join(f"{k} ({v})" for k, v in GROUPS.items())
        + " (default: all)",
    )
    p.add_argument(
        "--baseline",
        default="falcon",
        choices=list(FRAMEWORKS),
        metavar="NAME",
        help="the framework ratios divide by (default falcon)",
    )
    p.add_argument("--rounds", type=int, help="timed rounds per cell (default 9)")
    p.add_argument("--number", type=int, help="requests per round (default: fill --round-time)")
    p.add_argument(
        "--round-time", type=float, help="seconds per round without --number (default 0.12)"
    )
    p.add_argument(
        "--startup-repeat", type=int, help="fresh processes per start-up size (default 3)"
    )
    p.add_argument(
        "--sizes",
        type=_sizes,
        default=SWEEP_SIZES,
        help="route counts of the routes sweep (default 10,50,100,500,1000)",
    )
    p.add_argument(
        "--json",
        type=Path,
        default=Path("out/bench.json"),
        help="where to write JSON (default out/bench.json)",
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="defaults of 3 rounds of 0.05 s and 1 start-up process: a rough look",
    )
    p.add_argument(
        "--clock",
        choices=list(CLOCKS),
        default="cpu",
        help="cpu: this process's CPU time, steady on a busy machine (default); wall: elapsed",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return p


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(sorted({int(n) for n in text.split(",")}))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--sizes takes integers like 10,50,100: {text!r}"
        ) from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"--sizes must be positive: {text!r}")
    return sizes


def settings_from(args: argparse.Namespace) -> Settings:
    """Fill the defaults (``--quick`` ones if asked; explicit flags always win) and check."""
    quick = args.quick
    if args.startup_repeat is None:
        args.startup_repeat = 1 if quick else 3
    if args.startup_repeat < 1:
        raise ValueError(f"--startup-repeat must be at least 1, got {args.startup_repeat}")
    if args.baseline not in args.frameworks:
        raise ValueError(f"--baseline {args.baseline} must be one of --frameworks")
    return Settings(
        rounds=args.rounds if args.rounds is not None else (3 if quick else 9),
        number=args.number,
        round_time=args.round_time if args.round_time is not None else (0.05 if quick else 0.12),
        clock=args.clock,
    )


def _load(framework: str) -> AppBuilders | str:
    try:
        return load(framework)
    except MISSING_API as exc:
        return f"{type(exc).__name__}: {exc}"


class Bench:
    """One invocation: which cells to measure, and the run they fill."""

    def __init__(self, args: argparse.Namespace, settings: Settings) -> None:
        self.args = args
        self.settings = settings
        self.run = Run(list(args.frameworks), args.baseline)
        self.run.settings = {
            "rounds": settings.rounds,
            "number": settings.number,
            "round_time_s": settings.round_time,
            "startup_repeat": args.startup_repeat,
            "sizes": list(args.sizes),
            "clock": settings.clock,
        }
        self.builders = {fw: _load(fw) for fw in self.run.frameworks}

    def note(self, results: list[Result], unit: str = "us") -> list[Result]:
        scale = 1e3 if unit == "ms" else 1e6
        for result in results if not self.args.quiet else ():
            t = result.timing
            shown = (
                f"{t.median * scale:.2f} {unit}" if t else f"{result.state.value}: {result.reason}"
            )
            print(f"  {result.scenario:<12} {result.framework:<10} {shown}", file=sys.stderr)
        return results

    def requests(self) -> None:
        for name in (s for s in self.args.scenarios if s in SCENARIOS):
            found = run_scenario_all(self.builders, SCENARIOS[name], self.settings)
            self.run.requests += self.note(found)

    def startup(self) -> None:
        for count in STARTUP_SIZES:
            found = run_startup(self.builders, count, self.args.startup_repeat, self.settings.clock)
            self.run.startup += self.note(found, "ms")

    def sweep(self) -> None:
        for count in self.args.sizes:
            found = run_scenario_all(self.builders, route_scenario(count), self.settings)
            self.run.sweep += self.note(found)

    def all(self) -> Run:
        self.requests()
        if "startup" in self.args.scenarios:
            self.startup()
        if "routes" in self.args.scenarios:
            self.sweep()
        return self.run


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns 1 if any available framework answered wrongly."""
    p = parser()
    args = p.parse_args(argv)
    try:
        settings = settings_from(args)
    except ValueError as exc:
        p.error(str(exc))
    started = time.perf_counter()
    run = Bench(args, settings).all()
    run.settings["wall_time_s"] = round(time.perf_counter() - started, 1)
    print(render(run))
    write_json(run, args.json)
    print(f"\nJSON written to {args.json} ({run.settings['wall_time_s']} s)")
    failed = [r for r in [*run.requests, *run.startup, *run.sweep] if r.state is State.ERROR]
    return 1 if failed else 0
