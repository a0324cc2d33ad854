"""Fixtures for the resources_fw tests: an app whose responder runs a probe on ``req``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import resources_fw as falcon
from resources_fw import testing

Probe = Callable[[falcon.Request], Any]


class ProbeResource:
    """Answers every method with ``{"value": probe(req)}``."""

    def __init__(self) -> None:
        self.probe: Probe = lambda req: None

    def _answer(self, req: falcon.Request, resp: falcon.Response, **params: Any) -> None:
        resp.media = {"value": self.probe(req)}

    on_get = on_post = on_put = on_patch = on_delete = _answer


@pytest.fixture
def probe() -> Callable[..., testing.Result]:
    """``probe(func, path="/p", method="GET", **simulate_kwargs)`` -> Result whose
    ``json["value"]`` is ``func(req)``."""
    resource = ProbeResource()
    app = falcon.App()
    app.add_route("/p", resource)
    app.add_route("/p/{rest:path}", resource)

    def run(func: Probe, path: str = "/p", method: str = "GET", **kwargs: Any) -> testing.Result:
        resource.probe = func
        return testing.simulate_request(app, method, path, **kwargs)

    return run
