"""What a measurement produces: timings in seconds, and why a cell has none."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from enum import StrEnum


class State(StrEnum):
    """How a cell of the table ended."""

    OK = "ok"
    UNAVAILABLE = "not available"  # framework missing, or lacks the API this app needs
    ERROR = "error"  # built, but raised or answered wrongly: not timed


@dataclass(frozen=True)
class Timing:
    """Per-request (or per-start-up) seconds, one sample per round."""

    samples: tuple[float, ...]
    number: int = 1  # requests per round

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)

    @property
    def spread(self) -> float:
        """(max - min) / median: how noisy the rounds were."""
        return (self.max - self.min) / self.median if self.median else 0.0


@dataclass(frozen=True)
class Result:
    """One cell: a framework in a scenario."""

    framework: str
    scenario: str
    state: State
    timing: Timing | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.state is State.OK and self.timing is not None


@dataclass
class Run:
    """Everything one invocation measured, in display order."""

    frameworks: list[str]
    baseline: str
    requests: list[Result] = field(default_factory=list)
    startup: list[Result] = field(default_factory=list)
    sweep: list[Result] = field(default_factory=list)
    settings: dict[str, object] = field(default_factory=dict)

    def find(self, results: list[Result], framework: str, scenario: str) -> Result | None:
        return next(
            (r for r in results if r.framework == framework and r.scenario == scenario), None
        )
