"""Router options, and Falcon's converter classes (``resources_fw.routing.IntConverter``...,
defined in :mod:`resources_fw.converters`)."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import BaseConverter as WerkzeugConverter
from werkzeug.routing import UUIDConverter as WerkzeugUUIDConverter
from werkzeug.routing import ValidationError

from . import converters as converters
from .converters import BaseConverter as BaseConverter
from .converters import DateTimeConverter as DateTimeConverter
from .converters import FloatConverter as FloatConverter
from .converters import IntConverter as IntConverter
from .converters import PathConverter as PathConverter
from .converters import RegexConverter as RegexConverter
from .converters import UUIDConverter as UUIDConverter
from .converters import compile_pattern
from .core.routing import Router
from .core.routing.converters import RegexConverter as CoreRegexConverter
from .static import StaticRoute as StaticRoute


class _TemplateUUIDConverter(WerkzeugUUIDConverter):
    """``{x:uuid}``: a UUID with or without its hyphens (as in Falcon), as a ``uuid.UUID``."""

    regex = "-?".join(f"[A-Fa-f0-9]{{{n}}}" for n in (8, 4, 4, 4, 12))


class _TemplateRegexConverter(CoreRegexConverter):
    """``{x:re(pattern)}`` as in the core, plus Falcon's ``re(pattern, group)``: the named
    group becomes the value."""

    def __init__(self, map: Any, pattern: str, group: str | None = None) -> None:
        self.compiled = compile_pattern(pattern, group)
        super().__init__(map, pattern)
        self.group = group

    def to_python(self, value: str) -> Any:
        if self.group is None:
            return value
        match = self.compiled.fullmatch(value)
        found = match.group(self.group) if match is not None else None
        if found is None:
            raise ValidationError()
        return found


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

    if getattr(cls, "CONSUME_MULTIPLE_SEGMENTS", False):
        # Falcon's flag for a converter that takes the rest of the path: werkzeug's path rule.
        Adapted.regex = "[^/].*?"
        Adapted.part_isolating = False
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
    """``app.router_options``: ``converters`` maps names used in templates to classes;
    ``default_to_on_request`` (read at ``add_route``) sends every method without its own
    responder to the resource's ``on_request`` (``on_request_<suffix>``), if it has one."""

    #: A resource's ``on_request`` answers the methods it has no responder for.
    default_to_on_request: bool = False

    def __init__(self, router: Router) -> None:
        converters = _Converters()
        dict.update(converters, router.converters)
        # Falcon's float takes "2" and "1e3", its uuid the 32 hex digits alone; werkzeug's
        # (the core's) want a decimal point and the hyphens.
        converters["float"] = FloatConverter
        converters["uuid"] = _TemplateUUIDConverter
        converters["re"] = converters["regex"] = _TemplateRegexConverter
        router.converters = converters
        self.converters: dict[str, Any] = converters
