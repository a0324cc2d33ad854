"""``TestCase``: unittest base class with ``self.app`` and ``self.simulate_*``."""

from __future__ import annotations

import unittest
from typing import Any

from ..app import App
from .client import Result, TestClient


class TestCase(unittest.TestCase):
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

    def simulate_get(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("GET", path, **kwargs)

    def simulate_head(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("HEAD", path, **kwargs)

    def simulate_post(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("POST", path, **kwargs)

    def simulate_put(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("PUT", path, **kwargs)

    def simulate_patch(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("PATCH", path, **kwargs)

    def simulate_delete(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("DELETE", path, **kwargs)

    def simulate_options(self, path: str = "/", **kwargs: Any) -> Result:
        return self.simulate_request("OPTIONS", path, **kwargs)
