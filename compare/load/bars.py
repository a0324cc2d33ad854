"""The bars a server x front-end cell must meet (reliability matrix §2), as pure functions of
the measured figures so that they can be tested on made-up results."""

from __future__ import annotations

from dataclasses import dataclass

from compare.load.generator import LoadSummary
from compare.load.servers import Snapshot

#: RSS may grow by less than this fraction between the post-warm-up and the final snapshot.
RSS_GROWTH = 0.05
#: Good-traffic p99 with hostile traffic mixed in, relative to the run without it.
P99_FACTOR = 2.0


@dataclass(frozen=True)
class Bar:
    """One bar: its name, whether it was met, and the figures behind the verdict."""

    name: str
    passed: bool
    detail: str

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL"


@dataclass(frozen=True)
class Cell:
    """What was measured for one server and front-end.

    ``baseline`` ran good traffic only, ``mixed`` the same with hostile requests; ``before`` is
    the snapshot after warm-up, ``after`` the one after both runs (clients disconnected).
    """

    server: str
    front_end: str
    baseline: LoadSummary
    mixed: LoadSummary
    before: Snapshot
    after: Snapshot


def good_traffic_bars(cell: Cell) -> list[Bar]:
    """Zero 5xx, zero socket errors and the expected status for every good request."""
    runs = (cell.baseline.tally, cell.mixed.tally)
    fives = sum(t.good_5xx for t in runs)
    errors = sum(t.good_socket_errors for t in runs)
    unexpected = sum(t.good_unexpected for t in runs)
    good = sum(t.good for t in runs)
    return [
        Bar("good traffic: zero 5xx", good > 0 and fives == 0, f"{fives} of {good}"),
        Bar("good traffic: zero socket errors", good > 0 and errors == 0, f"{errors} of {good}"),
        Bar(
            "good traffic: expected status",
            good > 0 and unexpected == 0,
            f"{unexpected} unexpected of {good}",
        ),
    ]


def hostile_bar(cell: Cell) -> Bar:
    """Every hostile request got its 4xx (or its documented answer), none a 5xx or a reset."""
    tally = cell.mixed.tally
    detail = (
        f"{tally.hostile_expected}/{tally.hostile} as expected, {tally.hostile_5xx} 5xx, "
        f"{tally.hostile_socket_errors} socket errors"
    )
    return Bar(
        "hostile traffic gets 4xx",
        tally.hostile > 0 and tally.hostile_expected == tally.hostile,
        detail,
    )


def rss_growth(before: Snapshot, after: Snapshot) -> float:
    """The largest relative RSS growth of any process present in both snapshots (a leaking
    worker is not hidden by a steady master process)."""
    sizes = {p.pid: p.rss_kib for p in before.processes if p.rss_kib > 0}
    growths = [(p.rss_kib - sizes[p.pid]) / sizes[p.pid] for p in after.processes if p.pid in sizes]
    return max(growths, default=0.0)


def resource_bars(cell: Cell) -> list[Bar]:
    """RSS growth under 5% in every process, flat fds and threads, no worker replaced."""
    before, after = cell.before, cell.after
    growth = rss_growth(before, after)
    return [
        Bar(
            f"RSS growth < {RSS_GROWTH:.0%} after warm-up",
            before.rss_kib > 0 and growth < RSS_GROWTH,
            f"worst process {growth:+.1%} over its warm-up peak; "
            f"all {before.rss_kib / 1024:.1f} -> {after.rss_kib / 1024:.1f} MiB",
        ),
        Bar("fds flat", after.fds <= before.fds, f"{before.fds} -> {after.fds}"),
        Bar(
            "threads flat", after.threads <= before.threads, f"{before.threads} -> {after.threads}"
        ),
        Bar(
            "no worker died or was replaced",
            before.pids == after.pids,
            f"{len(before.pids)} processes, {len(before.pids - after.pids)} gone",
        ),
    ]


def latency_bar(cell: Cell) -> Bar:
    """Good-traffic p99 with hostile traffic within ``P99_FACTOR`` x the run without it."""
    base, mixed = cell.baseline.p99_ms, cell.mixed.p99_ms
    return Bar(
        f"good p99 within {P99_FACTOR:g}x of no-hostile run",
        base > 0 and mixed <= P99_FACTOR * base,
        f"{mixed:.1f} ms vs {base:.1f} ms",
    )


def evaluate(cell: Cell) -> list[Bar]:
    """Every bar of ``cell``."""
    return [*good_traffic_bars(cell), hostile_bar(cell), *resource_bars(cell), latency_bar(cell)]
