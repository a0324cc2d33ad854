"""One module per framework, each building the same small apps the scenarios drive.

Every module exposes the builders of :class:`AppBuilders`. Modules are imported lazily, by
name, so that a framework that is missing (or a front-end half-written) makes its own column
"not available" instead of breaking the run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from ..wsgi import WSGIApp


class AppBuilders(Protocol):
    """The apps a framework module builds; ``routes(count)`` serves several scenarios."""

    def hello(self) -> WSGIApp:
        """``GET /`` answers ``Hello, World!``."""

    def routes(self, count: int) -> WSGIApp:
        """``count`` routes ``/r{i}/{a:int}/items/{b:int}``, each answering ``r{i}:{a + b}``."""

    def query(self) -> WSGIApp:
        """``GET /search?q=..&page=..&tags=..`` echoes ``q=.. page=.. tags=a,b`` as text."""

    def json_echo(self) -> WSGIApp:
        """``POST /echo`` with a JSON document answers the same document as JSON."""


# Display order: the floor, the peers, then ours.
FRAMEWORKS: dict[str, str] = {
    "raw": "raw",
    "falcon": "falcon_app",
    "bottle": "bottle_app",
    "flask": "flask_app",
    "core": "core_app",
    "resources": "resources_app",
    "globals": "globals_app",
}


class UnknownFrameworkError(ValueError):
    """A framework name that the harness has no apps for."""


def load(name: str) -> AppBuilders:
    """Import the apps module of framework ``name`` (may raise ImportError)."""
    try:
        module_name = FRAMEWORKS[name]
    except KeyError:
        known = ", ".join(FRAMEWORKS)
        raise UnknownFrameworkError(f"unknown framework {name!r}; choose among: {known}") from None
    return cast(AppBuilders, importlib.import_module(f"{__name__}.{module_name}"))


if TYPE_CHECKING:
    # mypy checks here that every module really provides the builders.
    from . import bottle_app, core_app, falcon_app, flask_app, globals_app, raw, resources_app

    _checked: tuple[AppBuilders, ...] = (
        raw,
        falcon_app,
        bottle_app,
        flask_app,
        core_app,
        resources_app,
        globals_app,
    )
