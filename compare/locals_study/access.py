"""The cost of one ``request.method`` read, by how the code gets hold of ``request``.

Every variant reads the same attribute of the same ``globals_fw`` request object, so the only
difference is the lookup in front of it: a local variable (explicit passing, as in
``resources_fw``), a ``ContextVar.get()``, ``globals_fw.request`` (whatever proxy globals_fw
uses, pushed by a real request context), werkzeug's ``LocalProxy`` over a ``ContextVar``
(modern Flask), ``threading.local``, the
ident-keyed ``Local`` of old werkzeug, and old Flask's ``LocalProxy`` over an ident-keyed
``LocalStack``. Times are nanoseconds per access with the cost of the empty loop subtracted.
"""

from __future__ import annotations

import statistics
import threading
import time
import timeit
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from werkzeug.local import LocalProxy

from .strategies import IdentLocal, IdentLocalStack

CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


@dataclass(frozen=True)
class Variant:
    """One way to reach the request; ``statement`` is timed with ``names`` as globals."""

    key: str
    label: str
    statement: str


VARIANTS = (
    Variant("direct", "explicit parameter: req.method (resources_fw style)", "req.method"),
    Variant("contextvar", "ContextVar.get().request.method, no proxy", "cv.get().request.method"),
    Variant(
        "globals_fw",
        "globals_fw.request.method: the proxy globals_fw actually uses, over its ContextVar",
        "request.method",
    ),
    Variant(
        "werkzeug_proxy",
        "werkzeug LocalProxy over a ContextVar: wz_request.method (as in Flask 2.3+)",
        "wz_request.method",
    ),
    Variant("threading_local", "threading.local: tl.request.method", "tl.request.method"),
    Variant("ident_local", "ident-keyed Local: local.request.method", "local.request.method"),
    Variant(
        "ident_proxy",
        "old Flask: LocalProxy over an ident-keyed LocalStack (request.method)",
        "old_request.method",
    ),
)


@dataclass(frozen=True)
class AccessCost:
    """Nanoseconds per access over several rounds (empty-loop cost subtracted)."""

    key: str
    label: str
    samples_ns: tuple[float, ...]

    @property
    def median_ns(self) -> float:
        return statistics.median(self.samples_ns)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "median_ns": self.median_ns,
            "min_ns": min(self.samples_ns),
            "max_ns": max(self.samples_ns),
            "samples_ns": list(self.samples_ns),
        }


@contextmanager
def bound_names() -> Iterator[dict[str, Any]]:
    """Globals for the timed statements, with one real ``globals_fw`` request bound in each."""
    import globals_fw

    app = globals_fw.App(__name__)
    with app.test_request_context("/items/7?full=1") as ctx:
        req = ctx.request
        holder = type("Ctx", (), {"request": req})()
        cv: ContextVar[Any] = ContextVar("access.request_ctx")
        token = cv.set(holder)
        tl = threading.local()
        tl.request = req
        local = IdentLocal()
        local.request = req
        stack = IdentLocalStack()
        stack.push(holder)
        try:
            yield {
                "req": req,
                "cv": cv,
                "request": globals_fw.request,
                "wz_request": LocalProxy(cv, "request"),
                "tl": tl,
                "local": local,
                "old_request": LocalProxy(lambda: stack.top.request),
            }
        finally:
            stack.pop()
            cv.reset(token)


def _per_access(
    statement: str, names: dict[str, Any], number: int, timer: Callable[[], float]
) -> float:
    return timeit.Timer(statement, globals=names, timer=timer).timeit(number) / number


def measure_access(rounds: int = 7, number: int = 200_000, clock: str = "cpu") -> list[AccessCost]:
    """Each variant, ``rounds`` rounds of ``number`` accesses, interleaved across variants."""
    if rounds < 1 or number < 1:
        raise ValueError(f"rounds and number must be at least 1, got {rounds} and {number}")
    timer = CLOCKS[clock]
    samples: dict[str, list[float]] = {v.key: [] for v in VARIANTS}
    with bound_names() as names:
        for variant in VARIANTS:  # a check that the statement reads what it should
            if eval(variant.statement, names) != "GET":
                raise RuntimeError(f"{variant.statement} did not read the request's method")
        for _ in range(rounds):
            empty = _per_access("pass", names, number, timer)
            for variant in VARIANTS:
                seconds = _per_access(variant.statement, names, number, timer) - empty
                samples[variant.key].append(max(seconds, 0.0) * 1e9)
    return [AccessCost(v.key, v.label, tuple(samples[v.key])) for v in VARIANTS]
