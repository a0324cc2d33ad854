"""Content negotiation helpers (Falcon's ``falcon.mediatypes``): :func:`parse_header`,
:func:`quality` and :func:`best_match`, with RFC 9110 (section 12.5.1) precedence: the most
specific matching media range decides, parameters included.

Malformed input raises :class:`~resources_fw.errors.InvalidMediaType` (a candidate type) or
:class:`~resources_fw.errors.InvalidMediaRange` (the ``Accept`` value); both are
``ValueError`` subclasses.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable

from .errors import InvalidMediaRange, InvalidMediaType
from .util import parse_header

__all__ = ("best_match", "parse_header", "quality")

_Q_ERROR = "The q parameter, when given, must be a number from 0 to 1."
# (type matches, subtype matches, same parameter names, matching parameters, q)
_Score = tuple[int, int, int, int, float]
_NO_MATCH: _Score = (-1, -1, -1, -1, 0.0)


def _split(value: str) -> tuple[str, str, dict[str, str]]:
    full, params = parse_header(value)
    full = full.strip()
    if full == "*":  # some clients send a bare "*" for "*/*"
        full = "*/*"
    main, slash, sub = full.partition("/")
    if not slash or not main.strip() or not sub.strip():
        raise InvalidMediaType(f"{value!r} is not a media type: it needs type/subtype.")
    return main.strip().lower(), sub.strip().lower(), params


@functools.lru_cache(maxsize=256)
def _media_type(value: str) -> tuple[str, str, dict[str, str]]:
    return _split(value)


class _Range:
    __slots__ = ("main", "params", "q", "sub")

    def __init__(self, value: str) -> None:
        try:
            self.main, self.sub, params = _split(value)
        except InvalidMediaType:
            raise InvalidMediaRange(
                f"{value!r} is not a media range: it needs type/subtype."
            ) from None
        params = {k.lower(): v for k, v in params.items()}
        raw_q = params.pop("q", None)
        self.params = params
        self.q = 1.0
        if raw_q is not None:
            try:
                self.q = float(raw_q)
            except ValueError:
                raise InvalidMediaRange(_Q_ERROR) from None
            if not (math.isfinite(self.q) and 0.0 <= self.q <= 1.0):
                raise InvalidMediaRange(_Q_ERROR)

    def score(self, main: str, sub: str, params: dict[str, str]) -> _Score:
        main_hit = _part_score(self.main, main)
        sub_hit = _part_score(self.sub, sub)
        if main_hit < 0 or sub_hit < 0:
            return _NO_MATCH
        shared = self.params.keys() & params.keys()
        if any(self.params[name] != params[name] for name in shared):
            return _NO_MATCH
        same_names = int(self.params.keys() == params.keys())
        return (main_hit, sub_hit, same_names, len(shared), self.q)


def _part_score(range_part: str, type_part: str) -> int:
    if range_part == "*" or type_part == "*":
        return 0
    return 1 if range_part == type_part else -1


@functools.lru_cache(maxsize=256)
def _ranges(header: str) -> tuple[_Range, ...]:
    return tuple(_Range(item) for item in header.split(","))


def quality(media_type: str, header: str) -> float:
    """The q value that ``header`` (an ``Accept`` value) gives ``media_type``: that of the most
    specific matching range, ``0.0`` when none matches."""
    main, sub, params = _media_type(media_type)
    return max((r.score(main, sub, params) for r in _ranges(header)), default=_NO_MATCH)[-1]


def best_match(media_types: Iterable[str], header: str) -> str:
    """The candidate with the highest :func:`quality` (the first on ties), or ``""`` when no
    candidate is acceptable."""
    best, best_q = "", 0.0
    for media_type in media_types:
        q = quality(media_type, header)
        if q > best_q:
            best, best_q = media_type, q
    return best
