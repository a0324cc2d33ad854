"""Fixtures for the documentation tests: loading docs/examples/*.py as modules."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _import(path: Path, monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """Import ``path`` as a fresh module (registered only for the test's duration)."""
    name = f"docs_examples_{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load example {path}")
    module = importlib.util.module_from_spec(spec)
    # Keep docs/examples free of __pycache__ (the site copies that directory).
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def _app_of(module: ModuleType) -> Any:
    """The example's WSGI application: its ``app``, else what ``create_app()`` returns."""
    app = getattr(module, "app", None)
    if app is None:
        factory = getattr(module, "create_app", None)
        if not callable(factory):
            raise AttributeError(
                f"example {module.__name__} defines neither `app` nor `create_app()`; "
                "every docs/examples/*.py must expose one of them"
            )
        app = factory()
    return app


@pytest.fixture
def import_example(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], ModuleType]:
    """``import_example(path)`` imports an example file afresh, for this test only."""

    def load(path: Path) -> ModuleType:
        return _import(path, monkeypatch)

    return load


@pytest.fixture
def load_example(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], ModuleType]:
    """``load_example("core_hello")`` imports docs/examples/core_hello.py afresh."""

    def load(stem: str) -> ModuleType:
        return _import(EXAMPLES / f"{stem}.py", monkeypatch)

    return load


@pytest.fixture
def wsgi_app_of() -> Callable[[ModuleType], Any]:
    """The example module's WSGI app (``app``, else ``create_app()``)."""
    return _app_of
