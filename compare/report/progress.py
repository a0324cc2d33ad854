"""The progress display: one line on stderr per finished step, with elapsed time."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

from compare.bench.report import number
from compare.bench.results import Result


class Step:
    """One unit of work; what it found is summarised on its progress line."""

    def __init__(self) -> None:
        self.summary = ""

    def note(self, text: str) -> None:
        self.summary = text

    def results(self, found: list[Result], unit: str = "us") -> list[Result]:
        scale = 1e3 if unit == "ms" else 1e6
        parts = []
        for r in found:
            shown = number(r.timing.median * scale) if r.timing else r.state.value
            parts.append(f"{r.framework} {shown}")
        self.summary = f"({unit}) " + ", ".join(parts)
        return found


class Progress:
    """``[ 3/41]  0:07  bench hello  (us) raw 0.9, falcon 3.1, ...`` lines on ``stream``."""

    def __init__(self, total: int, *, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled
        self.started = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    @contextmanager
    def step(self, label: str) -> Iterator[Step]:
        step = Step()
        if self.enabled and self.stream.isatty():
            print(f"  ... {label}", end="\r", file=self.stream, flush=True)
        yield step
        self.done += 1
        if self.enabled:
            seconds = int(self.elapsed())
            width = len(str(self.total))
            line = (
                f"[{self.done:>{width}}/{self.total}] {seconds // 60}:{seconds % 60:02d}  {label}"
            )
            print(f"{line}  {step.summary}".rstrip(), file=self.stream, flush=True)
