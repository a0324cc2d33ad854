"""Fixtures shared by every test package."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from wsgiref.validate import validator

import pytest
from webtest import TestApp


@pytest.fixture
def client() -> Callable[[Any], TestApp]:
    """Wrap a WSGI app for HTTP-level tests: WebTest on top of ``wsgiref.validate``, so every
    response is checked against PEP 3333."""

    def make(app: Any) -> TestApp:
        return TestApp(validator(app))

    return make
