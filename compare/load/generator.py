"""The bounded load generator: threads, each with a kept-alive connection, sending a seeded
random mix of good and hostile requests until a request count or a deadline is reached."""

from __future__ import annotations

import math
import random
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from compare.load.client import Connection, ProtocolError, Reply, StaleConnection
from compare.load.traffic import Spec

#: Hard bounds, whatever the command line says.
#: One hour: a 30-minute soak fits, an unattended typo does not run for days.
MAX_DURATION = 3600.0
MAX_CONCURRENCY = 256
MAX_REQUESTS = 2_000_000
#: How many distinct failure descriptions a tally keeps (counts are always complete).
MAX_FAILURE_KINDS = 50


def status_class(status: int) -> str:
    """``"2xx"`` for 200-299 and so on."""
    return f"{status // 100}xx"


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile of ``values`` (0.0 when there are none)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered))))
    return ordered[rank - 1]


@dataclass
class Tally:
    """What one run (or one thread of it) saw. Latencies are of good requests, in seconds."""

    good: int = 0
    good_unexpected: int = 0
    good_5xx: int = 0
    good_socket_errors: int = 0
    hostile: int = 0
    hostile_expected: int = 0
    hostile_5xx: int = 0
    hostile_socket_errors: int = 0
    stale_retries: int = 0
    classes: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)

    def _fail(self, description: str, count: int = 1) -> None:
        if description in self.failures or len(self.failures) < MAX_FAILURE_KINDS:
            self.failures[description] += count

    def record(self, spec: Spec, reply: Reply | None, latency: float, error: str = "") -> None:
        """Count one request: ``reply`` is ``None`` when it failed with socket ``error``."""
        expected = reply is not None and spec.accepts(reply.status, reply.headers)
        if reply is not None:
            self.classes[status_class(reply.status)] += 1
        if spec.hostile:
            self.hostile += 1
            self.hostile_expected += expected
            self.hostile_5xx += reply is not None and reply.status >= 500
            self.hostile_socket_errors += reply is None
        else:
            self.good += 1
            self.good_unexpected += not expected
            self.good_5xx += reply is not None and reply.status >= 500
            self.good_socket_errors += reply is None
            if reply is not None:
                self.latencies.append(latency)
        if not expected:
            outcome = error if reply is None else str(reply.status)
            self._fail(f"{spec.name}: {outcome}")

    def merge(self, other: Tally) -> None:
        """Add ``other``'s counts to this tally."""
        for name in (
            "good",
            "good_unexpected",
            "good_5xx",
            "good_socket_errors",
            "hostile",
            "hostile_expected",
            "hostile_5xx",
            "hostile_socket_errors",
            "stale_retries",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.classes.update(other.classes)
        for description, count in other.failures.items():
            self._fail(description, count)
        self.latencies.extend(other.latencies)

    @property
    def total(self) -> int:
        return self.good + self.hostile


@dataclass(frozen=True)
class LoadSummary:
    """The figures of one run."""

    seconds: float
    requests: int
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    tally: Tally
    client_cpu_seconds: float = 0.0


def summarise(tally: Tally, seconds: float, client_cpu_seconds: float = 0.0) -> LoadSummary:
    """Throughput and good-traffic latency percentiles of a run."""
    return LoadSummary(
        seconds=round(seconds, 3),
        requests=tally.total,
        requests_per_second=round(tally.total / seconds, 1) if seconds > 0 else 0.0,
        p50_ms=round(percentile(tally.latencies, 0.50) * 1000, 2),
        p99_ms=round(percentile(tally.latencies, 0.99) * 1000, 2),
        tally=tally,
        client_cpu_seconds=round(client_cpu_seconds, 2),
    )


@dataclass(frozen=True)
class Plan:
    """What to send: good requests (weighted), hostile ones, and in what proportion."""

    good: tuple[Spec, ...]
    hostile: tuple[Spec, ...] = ()
    hostile_ratio: float = 0.0

    def __post_init__(self) -> None:
        if not self.good:
            raise ValueError("A load plan needs at least one good request.")
        if not 0.0 <= self.hostile_ratio < 1.0:
            raise ValueError(f"hostile_ratio {self.hostile_ratio} must be in [0, 1).")

    def pick(self, rng: random.Random) -> Spec:
        """The next request to send."""
        if self.hostile and rng.random() < self.hostile_ratio:
            return rng.choice(self.hostile)
        return rng.choices(self.good, weights=[s.weight for s in self.good])[0]


def send(connection: Connection, spec: Spec, host: str, port: int, tally: Tally) -> None:
    """Send ``spec`` and record the outcome; a kept-alive connection the server had already
    closed is retried once on a new one (what every HTTP client does) and counted apart."""
    target = Connection(host, port) if spec.fresh else connection
    started = time.perf_counter()
    try:
        try:
            reply = target.exchange(spec.raw, spec.head)
        except StaleConnection:
            tally.stale_retries += 1
            started = time.perf_counter()
            reply = target.exchange(spec.raw, spec.head)
    except (OSError, EOFError, ProtocolError) as error:
        tally.record(spec, None, time.perf_counter() - started, type(error).__name__)
        return
    finally:
        if spec.fresh:
            target.close()
    tally.record(spec, reply, time.perf_counter() - started)


@dataclass(frozen=True)
class _Job:
    plan: Plan
    host: str
    port: int
    limit: int
    deadline: float
    reconnect_every: int
    #: Seconds between one thread's request starts (0: as fast as the server answers).
    interval: float


def _worker(job: _Job, seed: int, tally: Tally) -> None:
    rng = random.Random(seed)
    connection = Connection(job.host, job.port)
    # Threads start spread over one interval, so a paced run does not send in bursts.
    next_start = time.monotonic() + job.interval * rng.random()
    try:
        for count in range(1, job.limit + 1):
            if job.interval:
                time.sleep(max(0.0, next_start - time.monotonic()))
                # A late thread does not catch up by bursting: the pace is a ceiling.
                next_start = max(next_start + job.interval, time.monotonic())
            if time.monotonic() >= job.deadline:
                break
            send(connection, job.plan.pick(rng), job.host, job.port, tally)
            if job.reconnect_every and count % job.reconnect_every == 0:
                connection.close()  # the next request opens a new connection
    finally:
        connection.close()


def run(
    plan: Plan,
    host: str,
    port: int,
    *,
    duration: float,
    concurrency: int,
    max_requests: int = MAX_REQUESTS,
    seed: int = 0,
    reconnect_every: int = 0,
    rate: float = 0.0,
) -> LoadSummary:
    """Drive ``host:port`` with ``concurrency`` threads for at most ``duration`` seconds and at
    most ``max_requests`` requests in all. With ``reconnect_every``, each thread opens a new
    connection after that many requests (spreading the load over a server's workers). With
    ``rate``, the threads together start at most that many requests per second (a soak at a
    fraction of the maximum instead of flat out); latency is still measured from each send."""
    if not 0 < duration <= MAX_DURATION:
        raise ValueError(f"duration {duration} s must be in (0, {MAX_DURATION}].")
    if not 0 < concurrency <= MAX_CONCURRENCY:
        raise ValueError(f"concurrency {concurrency} must be in [1, {MAX_CONCURRENCY}].")
    if rate < 0:
        raise ValueError(f"rate {rate} must be 0 (unpaced) or a positive requests/s.")
    limit = max(1, min(max_requests, MAX_REQUESTS) // concurrency)
    tallies = [Tally() for _ in range(concurrency)]
    started, cpu = time.monotonic(), time.process_time()
    interval = concurrency / rate if rate else 0.0
    job = _Job(plan, host, port, limit, started + duration, max(0, reconnect_every), interval)
    threads = [
        threading.Thread(
            target=_worker,
            args=(job, seed * 1000 + i, tallies[i]),
            name=f"load-{i}",
            daemon=True,
        )
        for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        # Each request is bounded by the socket timeout, so this join is bounded too.
        thread.join(duration + 60)
    elapsed = time.monotonic() - started
    total = Tally()
    for tally in tallies:
        total.merge(tally)
    return summarise(total, elapsed, time.process_time() - cpu)
