"""The parametrised ``app`` fixture: every spec in this folder runs against both front-ends.

A spec module names its pair with ``APP = "<name>"`` (an entry of ``compare.apps.registry``);
``app_config`` (overridable per module or test) is passed to ``create_app``. Apps are wrapped in
``wsgiref.validate`` under WebTest, so each response is also checked against PEP 3333.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from wsgiref.validate import validator

import pytest
from webtest import TestApp

from compare.apps.registry import APPS, FRONT_ENDS, AppPair

MakeApp = Callable[..., TestApp]


@pytest.fixture(params=FRONT_ENDS)
def front_end(request: pytest.FixtureRequest) -> str:
    """The front-end under test."""
    name: str = request.param
    return name


@pytest.fixture
def pair(request: pytest.FixtureRequest) -> AppPair:
    """The registry entry named by the spec module's ``APP``."""
    name = getattr(request.module, "APP", None)
    for entry in APPS:
        if entry.name == name:
            return entry
    raise LookupError(f"{request.module.__name__}: APP = {name!r} is not in the registry")


@pytest.fixture
def make_app(pair: AppPair, front_end: str) -> MakeApp:
    """Build the pair's app for ``front_end`` with some config, wrapped for testing."""

    def make(**config: Any) -> TestApp:
        return TestApp(validator(pair.factory(front_end)(**config)))

    return make


@pytest.fixture
def app_config() -> dict[str, Any]:
    """Config for ``create_app``; override in a spec module when the app needs some."""
    return {}


@pytest.fixture
def app(make_app: MakeApp, app_config: dict[str, Any]) -> TestApp:
    """The app under test, in one implementation."""
    return make_app(**app_config)
