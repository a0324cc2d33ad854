"""The ``python -m compare.load`` command: run the load matrix (and optionally the slow-client
check), print the figures and the bars, exit 1 when a bar fails."""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compare.apps.registry import FRONT_ENDS
from compare.load import slow
from compare.load.bars import Bar, Cell, evaluate
from compare.load.generator import MAX_CONCURRENCY, MAX_DURATION, LoadSummary, Plan, Tally, run
from compare.load.proxy import INSTALL_HINT, NGINX_SUFFIX, Deployment, deployed, nginx_path, split
from compare.load.servers import HOST, SERVERS, Server, ServerError, Snapshot, high_water, snapshot
from compare.load.traffic import good_requests, hostile_requests, prepare

#: How long to wait for the server's fds and threads to settle once the clients are gone.
SETTLE_TIMEOUT = 3.0
#: Warm-up connections at least: enough to fill 2 workers x 4 threads even when one worker
#: accepts more than its share.
WARMUP_CONCURRENCY = 16
SAMPLE_EVERY = 0.25
WARMUP_RECONNECT = 10
DEFAULT_WARMUP = 15.0
#: Every server, alone or behind nginx.
SPECS = (*SERVERS, *(f"{name}{NGINX_SUFFIX}" for name in SERVERS))
#: Servers that meet the slow-client bar without a proxy (docs/deployment.md, measured); any
#: server behind nginx must meet it too. The others are shown as the known limitation.
SLOW_SAFE_ALONE = ("waitress",)
#: How many snapshots of the server the measured runs take, at most (and one per second at most).
SERIES_POINTS = 120


@dataclass(frozen=True)
class Options:
    """The command's settings, once parsed and bounded."""

    servers: tuple[str, ...]
    front_ends: tuple[str, ...]
    duration: float
    warmup: float
    concurrency: int
    hostile_ratio: float
    slow_clients: int
    skip_load: bool
    json_path: Path | None
    baseline: float = 0.0
    rate: float = 0.0

    @property
    def baseline_duration(self) -> float:
        """The no-hostile run's length: ``--baseline``, or the same as the mixed run."""
        return self.baseline or self.duration


def slow_bar_applies(spec: str) -> bool:
    """Whether the slow-client bar applies to ``spec``: the documented deployments."""
    server, proxied = split(spec)
    return proxied or server in SLOW_SAFE_ALONE


def _names(value: str, allowed: Sequence[str], what: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    unknown = [n for n in names if n not in allowed]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown {what} {', '.join(unknown) or '(none)'}: use {','.join(allowed)}"
        )
    return names


def parse(argv: Sequence[str] | None) -> Options:
    """Parse and bound the command line."""
    parser = argparse.ArgumentParser(prog="python -m compare.load", description=__doc__)
    parser.add_argument(
        "--servers",
        default=",".join(SERVERS),
        help=f"comma-separated, any of {','.join(SERVERS)}, each optionally with {NGINX_SUFFIX}",
    )
    parser.add_argument("--nginx", action="store_true", help="put nginx in front of each server")
    parser.add_argument("--front-ends", default=",".join(FRONT_ENDS))
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    parser.add_argument(
        "--warmup", type=float, default=None, help=f"seconds (default {DEFAULT_WARMUP:g})"
    )
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--hostile-ratio", type=float, default=0.1)
    parser.add_argument(
        "--baseline", type=float, default=0.0, help="seconds of the no-hostile run (default: same)"
    )
    parser.add_argument(
        "--rate", type=float, default=0.0, help="requests/s ceiling for all clients (0: none)"
    )
    parser.add_argument("--quick", action="store_true", help="1 s runs, 4 connections")
    parser.add_argument("--slow-clients", type=int, default=0, metavar="N")
    parser.add_argument("--skip-load", action="store_true", help="only the slow-client check")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH")
    args = parser.parse_args(argv)
    try:
        servers = _names(args.servers, SPECS, "server")
        front_ends = _names(args.front_ends, FRONT_ENDS, "front-end")
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    duration, concurrency = args.duration, args.concurrency
    if args.quick:
        duration, concurrency = 1.0, 4
    if not 0 < duration <= MAX_DURATION or not 1 <= concurrency <= MAX_CONCURRENCY:
        parser.error(
            f"--duration must be in (0, {MAX_DURATION:g}], --concurrency in [1, {MAX_CONCURRENCY}]"
        )
    if args.nginx:
        servers = tuple(dict.fromkeys(f"{split(s)[0]}{NGINX_SUFFIX}" for s in servers))
    if not 0 <= args.baseline <= MAX_DURATION or args.rate < 0:
        parser.error(f"--baseline must be in [0, {MAX_DURATION:g}], --rate at least 0")
    if not 0 < args.hostile_ratio < 1:
        parser.error("--hostile-ratio must be between 0 and 1 (exclusive)")
    if not 0 <= args.slow_clients <= slow.MAX_SLOW_CLIENTS:
        parser.error(f"--slow-clients must be in [0, {slow.MAX_SLOW_CLIENTS}]")
    warmup = args.warmup if args.warmup is not None else (0.5 if args.quick else DEFAULT_WARMUP)
    return Options(
        servers=servers,
        front_ends=front_ends,
        duration=duration,
        warmup=min(max(warmup, 0.1), MAX_DURATION),
        concurrency=concurrency,
        hostile_ratio=args.hostile_ratio,
        slow_clients=args.slow_clients,
        skip_load=args.skip_load,
        json_path=args.json,
        baseline=args.baseline,
        rate=args.rate,
    )


def settle(server: Server, reference: Snapshot | None = None) -> Snapshot:
    """A snapshot once the server has let go of the finished connections: fds and threads back
    to ``reference`` (or unchanged for two readings), or whatever they are after a timeout."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    previous = server.snapshot()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        current = server.snapshot()
        if reference is not None:
            if current.fds <= reference.fds and current.threads <= reference.threads:
                return current
        elif (current.fds, current.threads) == (previous.fds, previous.threads):
            return current
        previous = current
    return previous


@dataclass(frozen=True)
class Point:
    """One sample of a run: seconds since its start, the server's and nginx's figures."""

    seconds: float
    server: Snapshot
    nginx: Snapshot | None


@contextlib.contextmanager
def sampling(deployment: Deployment, every: float) -> Iterator[list[Point]]:
    """Sample the deployment's processes every ``every`` seconds while the block runs."""
    points: list[Point] = []
    stop = threading.Event()
    started = time.monotonic()
    nginx = deployment.nginx

    def sample() -> None:
        while True:  # one sample at the start, then one every ``every`` seconds
            proxy = snapshot(nginx.process.pid) if nginx is not None else None
            elapsed = round(time.monotonic() - started, 2)
            points.append(Point(elapsed, deployment.server.snapshot(), proxy))
            if stop.wait(every):
                return

    sampler = threading.Thread(target=sample, name="load-sampler", daemon=True)
    sampler.start()
    try:
        yield points
    finally:
        stop.set()
        sampler.join(5)


def warm_up(deployment: Deployment, plan: Plan, options: Options) -> Snapshot:
    """Run ``plan`` for the warm-up time with at least ``WARMUP_CONCURRENCY`` connections
    (so that the thread pools fill), sampling the server; return its warmed-up state."""
    with sampling(deployment, SAMPLE_EVERY) as points:
        run(
            plan,
            HOST,
            deployment.port,
            duration=options.warmup,
            concurrency=max(options.concurrency, WARMUP_CONCURRENCY),
            seed=1,
            # Kept-alive connections stay with the worker that accepted them; new ones let
            # every worker warm up (fill its thread pool and allocator arenas).
            reconnect_every=WARMUP_RECONNECT,
            rate=options.rate,
        )
    return high_water(settle(deployment.server), [p.server for p in points])


@dataclass(frozen=True)
class Measured:
    """A cell's figures and the samples taken during its mixed run."""

    cell: Cell
    series: list[Point]


def measure(spec: str, front_end: str, options: Options) -> Measured:
    """Warm up, then a run of good traffic only, then one with hostile traffic mixed in."""
    with deployed(spec, front_end) as deployment:
        port = deployment.port
        good = tuple(good_requests(prepare(HOST, port)))
        clean = Plan(good)
        mixed = Plan(good, tuple(hostile_requests()), options.hostile_ratio)
        concurrency, rate = options.concurrency, options.rate
        before = warm_up(deployment, mixed, options)
        baseline = run(
            clean,
            HOST,
            port,
            duration=options.baseline_duration,
            concurrency=concurrency,
            seed=2,
            rate=rate,
        )
        every = max(1.0, options.duration / SERIES_POINTS)
        with sampling(deployment, every) as series:
            loaded = run(
                mixed,
                HOST,
                port,
                duration=options.duration,
                concurrency=concurrency,
                seed=3,
                rate=rate,
            )
        after = settle(deployment.server, before)
    return Measured(Cell(spec, front_end, baseline, loaded, before, after), series)


def _mib(kib: int) -> str:
    return f"{kib / 1024:.1f}"


TABLE_HEAD = (
    f"{'server':<23}{'front-end':<13}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'base p99':>9}"
    f"{'good':>7}{'hostile':>8}{'2xx':>7}{'3xx':>6}{'4xx':>6}{'5xx':>5}{'sock err':>9}"
    f"{'RSS MiB':>14}{'fds':>9}{'threads':>9}{'cli CPU s':>10}"
)


def row(cell: Cell) -> str:
    """One line of the table: the mixed run's figures, the baseline's p99, the snapshots."""
    m, t = cell.mixed, cell.mixed.tally
    socket_errors = t.good_socket_errors + t.hostile_socket_errors
    b, a = cell.before, cell.after
    return (
        f"{cell.server:<23}{cell.front_end:<13}{m.requests_per_second:>8.0f}{m.p50_ms:>8.1f}"
        f"{m.p99_ms:>8.1f}{cell.baseline.p99_ms:>9.1f}{t.good:>7}{t.hostile:>8}"
        f"{t.classes['2xx']:>7}{t.classes['3xx']:>6}{t.classes['4xx']:>6}{t.classes['5xx']:>5}"
        f"{socket_errors:>9}{_mib(b.rss_kib) + '->' + _mib(a.rss_kib):>14}"
        f"{f'{b.fds}->{a.fds}':>9}{f'{b.threads}->{a.threads}':>9}{m.client_cpu_seconds:>10.1f}"
    )


def print_bars(title: str, bars: Sequence[Bar]) -> None:
    """The bars of one cell, PASS/FAIL first."""
    print(f"\n{title}")
    for bar in bars:
        print(f"  {bar.verdict}  {bar.name:<40} {bar.detail}")


def _tally_json(tally: Tally) -> dict[str, Any]:
    figures = {
        k: v for k, v in vars(tally).items() if k not in ("classes", "failures", "latencies")
    }
    return {**figures, "classes": dict(tally.classes), "failures": dict(tally.failures)}


def _summary_json(summary: LoadSummary) -> dict[str, Any]:
    figures = {k: v for k, v in vars(summary).items() if k != "tally"}
    return {**figures, "tally": _tally_json(summary.tally)}


def _snapshot_json(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "rss_kib": snapshot.rss_kib,
        "fds": snapshot.fds,
        "threads": snapshot.threads,
        "processes": [vars(p) for p in snapshot.processes],
    }


def cell_json(cell: Cell, bars: Sequence[Bar]) -> dict[str, Any]:
    """A cell and its bars as JSON-ready data."""
    return {
        "server": cell.server,
        "front_end": cell.front_end,
        "baseline": _summary_json(cell.baseline),
        "mixed": _summary_json(cell.mixed),
        "before": _snapshot_json(cell.before),
        "after": _snapshot_json(cell.after),
        "bars": [{"name": b.name, "passed": b.passed, "detail": b.detail} for b in bars],
    }


def series_json(series: Sequence[Point]) -> list[dict[str, Any]]:
    """The samples of a mixed run as JSON-ready data (totals per sample)."""
    return [
        {
            "seconds": p.seconds,
            "rss_kib": p.server.rss_kib,
            "fds": p.server.fds,
            "threads": p.server.threads,
            **(
                {"nginx_rss_kib": p.nginx.rss_kib, "nginx_fds": p.nginx.fds}
                if p.nginx is not None
                else {}
            ),
        }
        for p in series
    ]


def print_series(series: Sequence[Point]) -> None:
    """RSS over the mixed run: first, highest and last sample (a leak shows as a climb)."""
    if len(series) < 2:
        return
    first, last = series[0], series[-1]
    peak = max(series, key=lambda p: p.server.rss_kib)
    print(
        f"        RSS during the mixed run: {_mib(first.server.rss_kib)} MiB at "
        f"{first.seconds:.0f} s, peak {_mib(peak.server.rss_kib)} at {peak.seconds:.0f} s, "
        f"{_mib(last.server.rss_kib)} at {last.seconds:.0f} s ({len(series)} samples)"
    )
    if first.nginx is not None and last.nginx is not None:
        print(
            f"        nginx during the mixed run: RSS {_mib(first.nginx.rss_kib)} -> "
            f"{_mib(last.nginx.rss_kib)} MiB, "
            f"fds {first.nginx.fds} -> {last.nginx.fds}"
        )


def skipped(spec: str) -> bool:
    """Whether ``spec`` needs nginx and there is none (printed once per cell)."""
    if split(spec)[1] and nginx_path() is None:
        print(f"SKIP  {spec}: nginx is not on PATH; {INSTALL_HINT}.", flush=True)
        return True
    return False


def load_matrix(options: Options, report: dict[str, Any]) -> bool:
    """Measure every server x front-end cell; print the table and bars; True if all pass."""
    passed = True
    cells: list[tuple[Measured, list[Bar]]] = []
    for server in options.servers:
        if skipped(server):
            report.setdefault("skipped", []).append(server)
            continue
        for front_end in options.front_ends:
            print(f"measuring {server} x {front_end} ...", flush=True)
            measured = measure(server, front_end, options)
            cells.append((measured, evaluate(measured.cell)))
    if not cells:
        report["cells"] = []
        return passed
    print(f"\n{TABLE_HEAD}")
    for measured, _ in cells:
        print(row(measured.cell))
    for measured, bars in cells:
        cell = measured.cell
        print_bars(f"{cell.server} x {cell.front_end}", bars)
        failures = {**cell.baseline.tally.failures, **cell.mixed.tally.failures}
        for description, count in sorted(failures.items()):
            print(f"        unexpected: {description} (x{count})")
        print_series(measured.series)
        passed = passed and all(b.passed for b in bars)
    report["cells"] = [{**cell_json(m.cell, b), "series": series_json(m.series)} for m, b in cells]
    return passed


def slow_check(options: Options, report: dict[str, Any]) -> bool:
    """The slow-client check on every selected server; the bar applies to the documented
    deployments (waitress alone, anything behind nginx), the others are shown as information."""
    passed = True
    results = []
    front_end = options.front_ends[0]
    count = options.slow_clients
    print(f"\nslow clients: {count} connections dripping headers or a body at 1 byte/s")
    for server in options.servers:
        if skipped(server):
            continue
        result = slow.check(server, front_end, options.slow_clients)
        results.append(result)
        bound = slow_bar_applies(server)
        verdict = ("PASS" if result.passed else "FAIL") if bound else "info"
        worst = "-" if result.worst_ms is None else f"{result.worst_ms} ms"
        print(
            f"  {verdict}  {server:<23} health probe answered within 1 s: "
            f"{result.answered}/{result.probes} (worst {worst}; {result.connected} connected)"
        )
        passed = passed and (result.passed or not bound)
    report["slow_clients"] = [{**vars(r), "bar": slow_bar_applies(r.server)} for r in results]
    return passed


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; 0 when every bar is met, 1 otherwise."""
    options = parse(argv)
    report: dict[str, Any] = {"options": {**vars(options), "json_path": None}}
    passed = True
    try:
        if not options.skip_load:
            passed = load_matrix(options, report)
        if options.slow_clients:
            passed = slow_check(options, report) and passed
    except ServerError as error:
        print(f"\nFAIL  {error}")
        passed = False
    report["passed"] = passed
    if options.json_path is not None:
        options.json_path.write_text(json.dumps(report, indent=2, default=list))
    print(f"\n{'all bars met' if passed else 'some bars FAILED'}")
    return 0 if passed else 1
