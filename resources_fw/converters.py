"""Falcon's field converters as classes with ``convert(value)`` (``None``: no match).

``FloatConverter`` is what ``{x:float}`` uses in templates; the others are the public classes
of ``falcon.routing`` for use on their own or as bases for your converters (templates use the
core's werkzeug converters for ``int``, ``dt``, ``path``, and the wrappers in
:mod:`resources_fw.routing` for ``uuid`` and ``re``).
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any


class BaseConverter:
    """A Falcon-style converter: ``convert(value)`` returns the value, or ``None`` for a
    non-match. Register the class in ``app.router_options.converters``."""

    #: True for a converter that takes the rest of the path (Falcon's ``path``).
    CONSUME_MULTIPLE_SEGMENTS = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def convert(self, value: str) -> Any:
        raise NotImplementedError


def _check_bounds(converter: str, **bounds: Any) -> None:
    for name, bound in bounds.items():
        number = isinstance(bound, int | float) and not isinstance(bound, bool)
        if bound is not None and not number:
            raise TypeError(f"{converter}() argument {name}={bound!r} must be a number")


def _within(value: Any, low: Any, high: Any) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


class IntConverter(BaseConverter):
    """``int(num_digits=None, min=None, max=None)``: an integer (sign allowed, no spaces)."""

    def __init__(
        self, num_digits: int | None = None, min: int | None = None, max: int | None = None
    ) -> None:
        if num_digits is not None and num_digits < 1:
            raise ValueError(f"int() argument num_digits={num_digits!r} must be at least 1")
        _check_bounds("int", min=min, max=max)
        self.num_digits, self.min, self.max = num_digits, min, max

    def convert(self, value: str) -> int | None:
        if self.num_digits is not None and len(value) != self.num_digits:
            return None
        if value != value.strip():
            return None
        try:
            number = int(value)
        except ValueError:
            return None
        return number if _within(number, self.min, self.max) else None


class FloatConverter(BaseConverter):
    """``{x:float}``, ``{x:float(min=0, max=1)}``, ``{x:float(finite=False)}``: any text
    Python's ``float()`` takes ("2", "1.5", "-3e2"), as in Falcon; NaN and infinities only
    with ``finite=False``."""

    def __init__(
        self, min: float | None = None, max: float | None = None, finite: bool | None = True
    ) -> None:
        _check_bounds("float", min=min, max=max)
        self.min, self.max = min, max
        self.finite = finite is not False  # None: the default

    def convert(self, value: str) -> float | None:
        if value != value.strip():
            return None
        try:
            number = float(value)
        except ValueError:
            return None
        if self.finite and not math.isfinite(number):
            return None
        return number if _within(number, self.min, self.max) else None


class DateTimeConverter(BaseConverter):
    """``dt(format_string="%Y-%m-%dT%H:%M:%S%z")``: a datetime parsed with ``strptime``."""

    def __init__(self, format_string: str = "%Y-%m-%dT%H:%M:%S%z") -> None:
        self.format_string = format_string

    def convert(self, value: str) -> datetime | None:
        try:
            return datetime.strptime(value, self.format_string)
        except ValueError:
            return None


class UUIDConverter(BaseConverter):
    """``uuid``: 32 hexadecimal digits, hyphens and the ``urn:uuid:`` prefix optional."""

    def convert(self, value: str) -> uuid.UUID | None:
        try:
            return uuid.UUID(value)
        except ValueError:
            return None


class PathConverter(BaseConverter):
    """``path``: the rest of the path, its segments joined by ``/``."""

    CONSUME_MULTIPLE_SEGMENTS = True

    def convert(self, value: Iterable[str] | str) -> str:
        return value if isinstance(value, str) else "/".join(value)


class RegexConverter(BaseConverter):
    """``re(pattern, group=None)``: the whole value must match ``pattern``; with ``group``,
    that named group is the converted value (a non-participating group is a non-match)."""

    def __init__(self, pattern: str, group: str | None = None) -> None:
        self.pattern = compile_pattern(pattern, group)
        self.group = group

    def convert(self, value: str) -> str | None:
        match = self.pattern.fullmatch(value)
        if match is None:
            return None
        return match.group(self.group) if self.group is not None else value


def compile_pattern(pattern: Any, group: str | None) -> re.Pattern[str]:
    """``pattern`` compiled, with a ``ValueError`` naming it when it is bytes or invalid or
    lacks the named ``group``."""
    if not isinstance(pattern, str):
        raise ValueError(f"invalid regex pattern for RegexConverter: {pattern!r} (not a str)")
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"invalid regex pattern for RegexConverter: {pattern!r} ({exc})") from exc
    if group is not None and group not in compiled.groupindex:
        raise ValueError(f"regex pattern {pattern!r} has no named group {group!r}")
    return compiled
