"""Middleware order: process_request, process_resource, responder, process_response reversed."""

from __future__ import annotations

from typing import Any

import pytest

import resources_fw as falcon
from resources_fw import testing


class Recorder:
    def __init__(self, name: str, log: list[str]) -> None:
        self.name = name
        self.log = log

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.log.append(f"{self.name}.request uri_template={req.uri_template}")

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, params: dict[str, Any]
    ) -> None:
        self.log.append(f"{self.name}.resource {type(resource).__name__} {params}")

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: Any, req_succeeded: bool
    ) -> None:
        self.log.append(f"{self.name}.response {resp.status_code} {req_succeeded}")


class OnlyResponse:
    def __init__(self, log: list[str]) -> None:
        self.log = log

    def process_response(self, req: Any, resp: Any, resource: Any, req_succeeded: bool) -> None:
        self.log.append(f"only.response resource={resource is not None}")


class Res:
    def on_get(self, req: falcon.Request, resp: falcon.Response, n: int) -> None:
        req.context.log.append("responder")
        if n == 0:
            raise falcon.HTTPBadRequest()
        resp.text = "ok"


def make(log: list[str]) -> falcon.App:
    class Ctx:
        def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
            req.context.log = log

    app = falcon.App(middleware=[Ctx(), Recorder("a", log)])
    app.add_middleware(Recorder("b", log))
    app.add_middleware([OnlyResponse(log)])
    app.add_route("/n/{n:int}", Res())
    return app


def test_order_on_success() -> None:
    log: list[str] = []
    assert testing.simulate_get(make(log), "/n/1").text == "ok"
    assert log == [
        "a.request uri_template=None",
        "b.request uri_template=None",
        "a.resource Res {'n': 1}",
        "b.resource Res {'n': 1}",
        "responder",
        "only.response resource=True",
        "b.response 200 True",
        "a.response 200 True",
    ]


def test_process_response_runs_after_errors_and_404() -> None:
    log: list[str] = []
    app = make(log)
    assert testing.simulate_get(app, "/n/0").status_code == 400
    assert log[-3:] == [
        "only.response resource=True",
        "b.response 400 False",
        "a.response 400 False",
    ]
    log.clear()
    assert testing.simulate_get(app, "/missing").status_code == 404
    assert log == [
        "a.request uri_template=None",
        "b.request uri_template=None",
        "only.response resource=False",
        "b.response 404 False",
        "a.response 404 False",
    ]


def test_error_in_process_request_still_runs_every_process_response() -> None:
    log: list[str] = []

    class Deny:
        def process_request(self, req: Any, resp: Any) -> None:
            raise falcon.HTTPForbidden()

    app = falcon.App(middleware=[Deny(), Recorder("a", log)])
    app.add_route("/n/{n:int}", Res())
    assert testing.simulate_get(app, "/n/1").status_code == 403
    assert log == ["a.response 403 False"]


def test_error_in_process_response_is_handled() -> None:
    class Broken:
        def process_response(self, req: Any, resp: Any, resource: Any, ok: bool) -> None:
            raise falcon.HTTPServiceUnavailable(retry_after=5)

    log: list[str] = []
    app = falcon.App(middleware=[Recorder("a", log), Broken()])
    app.add_route("/n/{n:int}", Res())

    class Ctx:
        def process_request(self, req: Any, resp: Any) -> None:
            req.context.log = log

    app.add_middleware(Ctx())
    result = testing.simulate_get(app, "/n/1")
    assert result.status_code == 503
    assert result.headers["Retry-After"] == "5"
    assert log[-1] == "a.response 503 False"


def test_complete_in_process_resource_skips_responder() -> None:
    class Cache:
        def process_resource(self, req: Any, resp: Any, resource: Any, params: Any) -> None:
            resp.text = "cached"
            resp.complete = True

    app = falcon.App(middleware=Cache())
    app.add_route("/n/{n:int}", Res())
    assert testing.simulate_get(app, "/n/1").text == "cached"


def test_dependent_middleware() -> None:
    log: list[str] = []

    class Deny:
        def process_request(self, req: Any, resp: Any) -> None:
            log.append("deny.request")
            raise falcon.HTTPForbidden()

        def process_response(self, req: Any, resp: Any, resource: Any, ok: bool) -> None:
            log.append("deny.response")

    class Done:
        def process_request(self, req: Any, resp: Any) -> None:
            resp.complete = True
            resp.text = "done"

    app = falcon.App(
        middleware=[Recorder("a", log), Deny(), Recorder("b", log)], independent_middleware=False
    )
    app.add_route("/n/{n:int}", Res())
    assert testing.simulate_get(app, "/n/1").status_code == 403
    # b never ran its process_request, so its process_response is skipped; so is Deny's,
    # whose process_request raised.
    assert log == ["a.request uri_template=None", "deny.request", "a.response 403 False"]
    log.clear()
    app = falcon.App(middleware=[Done(), Recorder("a", log)], independent_middleware=False)
    app.add_route("/n/{n:int}", Res())
    assert testing.simulate_get(app, "/n/1").text == "done"
    # a's process_request is skipped (complete) but its process_response still runs.
    assert log == ["a.response 200 True"]


def test_component_without_methods_is_rejected() -> None:
    with pytest.raises(TypeError, match="process_request"):
        falcon.App(middleware=[object()])
