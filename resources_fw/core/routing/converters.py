"""Path converters: werkzeug ``BaseConverter`` subclasses, so custom ones work unchanged.

A converter is a regex for the text, ``to_python`` to turn it into a value (raising
``ValidationError`` or ``ValueError`` makes the route a non-match, never a 500) and ``to_url``
to turn a value back into text when building URLs.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from werkzeug.routing import (
    AnyConverter,
    BaseConverter,
    FloatConverter,
    IntegerConverter,
    PathConverter,
    UnicodeConverter,
    UUIDConverter,
    ValidationError,
)

__all__ = [
    "DEFAULT_CONVERTERS",
    "NON_MATCH",
    "BaseConverter",
    "DateTimeConverter",
    "IntConverter",
    "RegexConverter",
    "ValidationError",
    "is_greedy",
]


#: What ``to_python`` may raise to say "not this route" rather than "server error".
NON_MATCH = (ValidationError, ValueError, OverflowError)


class IntConverter(IntegerConverter):
    """werkzeug's ``int``, also taking Falcon's spelling ``int(num_digits, min=, max=)``."""

    def __init__(
        self,
        map: Any,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
        num_digits: int | None = None,
    ) -> None:
        _check_numbers(
            "int", int, fixed_digits=fixed_digits, num_digits=num_digits, min=min, max=max
        )
        super().__init__(map, num_digits or fixed_digits, min, max, signed)


class NumberFloatConverter(FloatConverter):
    """werkzeug's ``float`` with its bounds checked when the route is registered."""

    def __init__(
        self, map: Any, min: float | None = None, max: float | None = None, signed: bool = False
    ) -> None:
        _check_numbers("float", (int, float), min=min, max=max)
        super().__init__(map, min, max, signed)


def _check_numbers(converter: str, kind: type | tuple[type, ...], **values: Any) -> None:
    # A wrong type here would only fail at the first request, as a 500.
    for name, value in values.items():
        if value is not None and (isinstance(value, bool) or not isinstance(value, kind)):
            raise TypeError(f"{converter}() argument {name}={value!r} must be a number")


class DateTimeConverter(BaseConverter):
    """``dt("%Y-%m-%d")`` / ``datetime`` — a datetime parsed with a strptime format."""

    def __init__(self, map: Any, format: str = "%Y-%m-%dT%H:%M:%S%z") -> None:
        super().__init__(map)
        self.format = format
        # A format with "/" in it spans segments; so must the regex.
        self.regex = ".+?" if "/" in format else "[^/]+"
        self.part_isolating = "/" not in format

    def to_python(self, value: str) -> datetime:
        return datetime.strptime(value, self.format)

    def to_url(self, value: Any) -> str:
        text = value.strftime(self.format) if isinstance(value, datetime) else str(value)
        return super().to_url(text)


class RegexConverter(BaseConverter):
    """``regex("[a-z]+")`` / ``re(...)`` — the well-known recipe, built in."""

    def __init__(self, map: Any, pattern: str) -> None:
        super().__init__(map)
        re.compile(pattern)  # a bad pattern fails at registration, not at the first request
        self.regex = pattern


def is_greedy(converter: BaseConverter) -> bool:
    """Whether the converter may match across ``/`` (a path tail rather than one segment).

    werkzeug decides from the class (``part_isolating``); a regex set on the instance, as the
    ``RegexConverter`` recipe does, is judged from the pattern itself, so ``regex(".*")``
    matches ``a/b`` as its author meant.
    """
    if not converter.part_isolating:
        return True
    if "regex" in vars(converter):
        pattern = converter.regex
        # A literal "/" outside the ubiquitous "[^/]", or a pattern that matches "/" itself.
        return "/" in pattern.replace("[^/]", "") or re.fullmatch(pattern, "/") is not None
    return False


DEFAULT_CONVERTERS: dict[str, type[BaseConverter]] = {
    "default": UnicodeConverter,
    "string": UnicodeConverter,
    "int": IntConverter,
    "float": NumberFloatConverter,
    "uuid": UUIDConverter,
    "path": PathConverter,
    "any": AnyConverter,
    "dt": DateTimeConverter,
    "datetime": DateTimeConverter,
    "regex": RegexConverter,
    "re": RegexConverter,
}
