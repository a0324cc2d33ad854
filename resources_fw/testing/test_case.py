"""``TestCase``: unittest base class with ``self.app`` and ``self.simulate_*``."""

from __future__ import annotations

import unittest
from typing import Any

from ..app import App
from .client import Result, SimulateMethods, TestClient


class TestCase(unittest.TestCase, SimulateMethods):
    """Set ``self.app`` in ``setUp`` (a fresh :class:`App` is provided); then call
    ``self.simulate_get("/")`` and friends."""

    __test__ = False  # a base class; subclasses opt in

    def setUp(self) -> None:
        super().setUp()
        self.app: Any = App()

    def _client(self) -> TestClient:
        return TestClient(self.app)

    def simulate_request(self, method: str = "GET", path: str = "/", **kwargs: Any) -> Result:
        return self._client().simulate_request(method, path, **kwargs)
