"""Fixtures for globals_fw: a fresh app per test, and a check that no context leaks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from wsgiref.validate import validator

import pytest
from werkzeug.test import TestResponse

from globals_fw import App
from globals_fw.globals import _cv_app, _cv_request
from globals_fw.testing import Client, pushed_contexts


@pytest.fixture(autouse=True)
def _no_context_leak() -> Iterator[None]:
    """Fail any test that leaves an application or request context pushed."""
    assert pushed_contexts() == [], "a context was already pushed before the test"
    yield
    leaked = pushed_contexts()
    if leaked:
        while (ctx := _cv_request.get(None)) is not None:  # clean up for the next test
            ctx._reset(None)
        while (actx := _cv_app.get(None)) is not None:
            actx._reset()
        pytest.fail(f"the test left {' and '.join(leaked)} context(s) pushed")


class BufferedClient(Client):
    """The test client, reading each body at once so that ``wsgiref.validate`` sees every
    response closed (pass ``buffered=False`` to test streaming, and close the response)."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture
def app() -> App:
    app = App("test_app", root_path="/nonexistent", static_folder=None, template_folder=None)
    app.config.update(TESTING=True, SECRET_KEY="test secret")
    # Every request the test client makes is checked against PEP 3333.
    app.wsgi_app = validator(app.wsgi_app)  # type: ignore[method-assign]
    app.test_client_class = BufferedClient
    return app
