"""Does each strategy keep two concurrent requests apart? Threads, asyncio tasks, greenlets.

Each check runs two workers, ``A`` and ``B``. Each binds its own request, waits until the
other has bound its own too, reads "the current request", waits until the other has read,
then unbinds. A strategy *isolates* when each worker read back its own request; otherwise it
*leaks*, and the check records what each worker saw instead.
"""

from __future__ import annotations

import asyncio
import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .strategies import Strategy, UnboundError, all_strategies

WORKERS = ("A", "B")
MODES = ("threads", "asyncio", "greenlets")


class Outcome(StrEnum):
    """How one check ended."""

    ISOLATED = "isolated"
    LEAKED = "leaked"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class Check:
    """One strategy under one kind of concurrency."""

    strategy: str
    mode: str
    outcome: Outcome
    seen: dict[str, str] = field(default_factory=dict)  # worker -> what it read
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "strategy": self.strategy,
            "mode": self.mode,
            "outcome": self.outcome.value,
            "seen": dict(self.seen),
            "note": self.note,
        }


def _read(strategy: Strategy) -> str:
    try:
        return str(strategy.get())
    except UnboundError:
        return "(nothing)"


def _judge(strategy: Strategy, mode: str, seen: dict[str, str]) -> Check:
    own = all(seen.get(worker) == worker for worker in WORKERS)
    outcome = Outcome.ISOLATED if own else Outcome.LEAKED
    return Check(strategy.name, mode, outcome, dict(sorted(seen.items())))


def check_threads(strategy: Strategy) -> Check:
    """Two OS threads."""
    seen: dict[str, str] = {}
    barrier = threading.Barrier(len(WORKERS), timeout=10)

    def worker(name: str) -> None:
        with strategy.bind(name):
            barrier.wait()
            seen[name] = _read(strategy)
            barrier.wait()

    threads = [threading.Thread(target=worker, args=(name,)) for name in WORKERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _judge(strategy, "threads", seen)


def check_asyncio(strategy: Strategy) -> Check:
    """Two asyncio tasks on one event loop, hence in one thread."""
    seen: dict[str, str] = {}

    async def main() -> None:
        barrier = asyncio.Barrier(len(WORKERS))

        async def worker(name: str) -> None:
            with strategy.bind(name):
                await barrier.wait()
                seen[name] = _read(strategy)
                await barrier.wait()

        await asyncio.gather(*(worker(name) for name in WORKERS))

    asyncio.run(main())
    return _judge(strategy, "asyncio", seen)


def greenlet_module() -> Any:
    """The ``greenlet`` module, or None when it is not importable (it is not a dependency)."""
    try:
        return importlib.import_module("greenlet")
    except ImportError:
        return None


GREENLET_MISSING = (
    "greenlet is not installed, so the greenlet checks were skipped; install greenlet (or "
    "gevent) in the environment and run again to include them. It is not a dependency of "
    "this project."
)


def check_greenlets(strategy: Strategy) -> Check:
    """Two greenlets in one thread, switched round-robin at each synchronisation point."""
    module = greenlet_module()
    if module is None:
        return Check(strategy.name, "greenlets", Outcome.SKIPPED, note=GREENLET_MISSING)
    seen: dict[str, str] = {}

    def pause() -> None:
        module.getcurrent().parent.switch()

    def worker(name: str) -> None:
        with strategy.bind(name):
            pause()
            seen[name] = _read(strategy)
            pause()

    workers = [module.greenlet(lambda n=name: worker(n)) for name in WORKERS]
    while any(not g.dead for g in workers):
        for g in workers:
            if not g.dead:
                g.switch()
    return _judge(strategy, "greenlets", seen)


CHECKS: dict[str, Callable[[Strategy], Check]] = {
    "threads": check_threads,
    "asyncio": check_asyncio,
    "greenlets": check_greenlets,
}


def run_isolation(strategies: Callable[[], list[Strategy]] = all_strategies) -> list[Check]:
    """Every strategy under every kind of concurrency (a fresh strategy object per check)."""
    results = []
    for mode in MODES:
        for strategy in strategies():
            results.append(CHECKS[mode](strategy))
    return results
