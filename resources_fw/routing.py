"""Router options and Falcon-style converters (``convert(value)`` returning ``None`` on a miss)."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import BaseConverter as WerkzeugConverter
from werkzeug.routing import ValidationError

from .core.routing import Router


class BaseConverter:
    """A Falcon-style converter: ``convert(value)`` returns the value, or ``None`` for a
    non-match. Register the class in ``app.router_options.converters``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def convert(self, value: str) -> Any:
        raise NotImplementedError


def _adapt(cls: type[BaseConverter]) -> type[WerkzeugConverter]:
    class Adapted(WerkzeugConverter):
        def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
            super().__init__(map)
            self.inner = cls(*args, **kwargs)

        def to_python(self, value: str) -> Any:
            result = self.inner.convert(value)
            if result is None:
                raise ValidationError()
            return result

    Adapted.__name__ = Adapted.__qualname__ = f"Adapted{cls.__name__}"
    return Adapted


class _Converters(dict[str, Any]):
    """The router's converter table; Falcon-style classes are adapted on the way in."""

    def __setitem__(self, name: str, cls: Any) -> None:
        if not (isinstance(cls, type) and issubclass(cls, WerkzeugConverter)):
            if not callable(getattr(cls, "convert", None)):
                raise TypeError(
                    f"converter {name!r}: give a class with convert(value) (Falcon style) or "
                    "a werkzeug BaseConverter subclass"
                )
            cls = _adapt(cls)
        super().__setitem__(name, cls)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for key, value in dict(*args, **kwargs).items():
            self[key] = value


class RouterOptions:
    """``app.router_options``: ``converters`` maps names used in templates to classes."""

    def __init__(self, router: Router) -> None:
        converters = _Converters()
        dict.update(converters, router.converters)
        router.converters = converters
        self.converters: dict[str, Any] = converters
