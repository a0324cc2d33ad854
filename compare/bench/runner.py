"""Timing per-request scenarios in-process: build once, check the answer, time many rounds."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .apps import AppBuilders
from .environ import EnvironFactory
from .results import Result, State, Timing
from .scenarios import Scenario
from .wsgi import WSGIApp, call, null_start_response

# Raised while building when a framework (or a half-written front-end) lacks what the app uses.
MISSING_API = (ImportError, AttributeError, NotImplementedError)


# CPU time of this process by default: on a shared machine, wall-clock time also counts the
# time other processes hold the CPU, which swamps microsecond differences. No request here
# waits on I/O, so on an idle machine the two clocks agree.
CLOCKS: dict[str, Callable[[], float]] = {"cpu": time.process_time, "wall": time.perf_counter}


@dataclass(frozen=True)
class Settings:
    """How long to measure: ``rounds`` rounds of ``number`` requests (or ``round_time`` s)."""

    rounds: int = 9
    number: int | None = None
    round_time: float = 0.12
    warmup: int = 50
    clock: str = "cpu"

    @property
    def timer(self) -> Callable[[], float]:
        return CLOCKS[self.clock]

    def __post_init__(self) -> None:
        if self.clock not in CLOCKS:
            raise ValueError(f"clock must be one of {', '.join(CLOCKS)}, got {self.clock!r}")
        if self.rounds < 1:
            raise ValueError(f"rounds must be at least 1, got {self.rounds}")
        if self.number is not None and self.number < 1:
            raise ValueError(f"number must be at least 1, got {self.number}")
        if self.round_time <= 0:
            raise ValueError(f"round_time must be positive, got {self.round_time}")


def time_loop(
    app: WSGIApp,
    make_environ: EnvironFactory,
    number: int,
    timer: Callable[[], float] = time.process_time,
) -> float:
    """Seconds for ``number`` requests served as a server would: call, iterate, close."""
    start_response = null_start_response
    start = timer()
    for _ in range(number):
        result = app(make_environ(), start_response)
        for _chunk in result:
            pass
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return timer() - start


def calibrate(
    app: WSGIApp, make_environ: EnvironFactory, round_time: float, timer: Callable[[], float]
) -> int:
    """How many requests fill about ``round_time`` seconds."""
    number = 1
    while True:
        elapsed = time_loop(app, make_environ, number, timer)
        if elapsed >= round_time / 10 or number >= 1 << 24:
            return max(1, int(number * round_time / max(elapsed, 1e-9)))
        number *= 4


def build_checked(framework: str, builders: AppBuilders, scenario: Scenario) -> WSGIApp | Result:
    """Build the scenario's app and check one answer; a failure comes back as a Result."""

    def fail(state: State, reason: str) -> Result:
        return Result(framework, scenario.name, state, reason=reason)

    try:
        app = scenario.build(builders)
    except MISSING_API as exc:
        return fail(State.UNAVAILABLE, f"{type(exc).__name__}: {exc}")
    except Exception as exc:
        return fail(State.ERROR, f"building the app raised {type(exc).__name__}: {exc}")
    try:
        answer = call(app, EnvironFactory(scenario.request)())
    except Exception as exc:
        return fail(State.ERROR, f"{scenario.request} raised {type(exc).__name__}: {exc}")
    problem = scenario.check(answer)
    if problem is not None:
        return fail(State.ERROR, f"wrong answer to {scenario.request}: {problem}")
    return app


class _Contender:
    """One framework's checked app in a scenario, with its round size and samples."""

    def __init__(self, app: WSGIApp, make_environ: EnvironFactory, settings: Settings) -> None:
        self.app, self.make_environ, self.timer = app, make_environ, settings.timer
        time_loop(app, make_environ, settings.warmup, self.timer)
        self.number = settings.number or calibrate(
            app, make_environ, settings.round_time, self.timer
        )
        self.samples: list[float] = []

    def round(self) -> None:
        gc.collect()
        elapsed = time_loop(self.app, self.make_environ, self.number, self.timer)
        self.samples.append(elapsed / self.number)


def run_scenario_all(
    frameworks: Mapping[str, AppBuilders | str],
    scenario: Scenario,
    settings: Settings,
) -> list[Result]:
    """Check, then time, every framework in one scenario; a string stands for "unavailable".

    Rounds are interleaved (round 1 of every framework, then round 2, ...) so that a burst of
    load on the machine hits all of them alike instead of whichever was running.
    """
    results: dict[str, Result] = {}
    contenders: dict[str, _Contender] = {}
    for fw, builders in frameworks.items():
        if isinstance(builders, str):
            results[fw] = Result(fw, scenario.name, State.UNAVAILABLE, reason=builders)
            continue
        app = build_checked(fw, builders, scenario)
        if isinstance(app, Result):
            results[fw] = app
            continue
        try:
            contenders[fw] = _Contender(app, EnvironFactory(scenario.request), settings)
        except Exception as exc:  # answered once, then failed under repetition
            results[fw] = _failed(fw, scenario, exc)
    for _ in range(settings.rounds):
        for fw, contender in list(contenders.items()):
            try:
                contender.round()
            except Exception as exc:
                results[fw] = _failed(fw, scenario, exc)
                del contenders[fw]
    for fw, contender in contenders.items():
        timing = Timing(tuple(contender.samples), contender.number)
        results[fw] = Result(fw, scenario.name, State.OK, timing)
    return [results[fw] for fw in frameworks]


def _failed(framework: str, scenario: Scenario, exc: Exception) -> Result:
    reason = f"{scenario.request} raised {type(exc).__name__} under repetition: {exc}"
    return Result(framework, scenario.name, State.ERROR, reason=reason)


def run_scenario(
    framework: str, builders: AppBuilders, scenario: Scenario, settings: Settings
) -> Result:
    """Check, then time, one framework in one scenario."""
    return run_scenario_all({framework: builders}, scenario, settings)[0]
