"""The list of app pairs: what the behaviour specs, the benchmarks and the report iterate over.

Adding a pair = two modules (one per front-end, each with ``create_app(**config)``), a spec
under ``tests/compare/apps/``, and an entry here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

FRONT_ENDS = ("resources_fw", "globals_fw")


@dataclass(frozen=True)
class Probe:
    """One request worth timing, and the status it must get."""

    name: str
    method: str = "GET"
    path: str = "/"
    query: str = ""
    body: bytes = b""
    content_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    status: int = 200


@dataclass(frozen=True)
class AppPair:
    """One reference app and its two implementations.

    ``modules`` maps a front-end name (``FRONT_ENDS``) to the module implementing the app in
    that style; each module has ``create_app(**config)`` returning a WSGI application.
    ``web_layer`` maps a front-end name to the source files of its web layer only (for
    lines-of-code counts), relative to the repository root. ``probes`` are the main routes
    the benchmark times in both implementations.
    """

    name: str
    summary: str
    modules: Mapping[str, str]
    web_layer: Mapping[str, tuple[str, ...]]
    probes: tuple[Probe, ...] = ()

    def factory(self, front_end: str) -> Callable[..., Any]:
        """The ``create_app`` of the ``front_end`` implementation."""
        module = importlib.import_module(self.modules[front_end])
        create: Callable[..., Any] = module.create_app
        return create


#: Filled in as app pairs land; the order is the report's.
APPS: list[AppPair] = []
