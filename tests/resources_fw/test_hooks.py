"""@before / @after on responders and on whole resource classes."""

from __future__ import annotations

from typing import Any

import pytest

import resources_fw as falcon
from resources_fw import testing


def require_token(
    req: falcon.Request, resp: falcon.Response, resource: Any, params: dict[str, Any], token: str
) -> None:
    if req.get_header("X-Token") != token:
        raise falcon.HTTPUnauthorized(challenges=["Token"])


def double_id(
    req: falcon.Request, resp: falcon.Response, resource: Any, params: dict[str, Any]
) -> None:
    params["item_id"] *= 2


def tag(req: falcon.Request, resp: falcon.Response, resource: Any, name: str = "x") -> None:
    resp.set_header("X-Tag", f"{name}:{type(resource).__name__}")


class Items:
    @falcon.before(require_token, "s3cret")
    @falcon.before(double_id)
    @falcon.after(tag, name="item")
    def on_get(self, req: falcon.Request, resp: falcon.Response, item_id: int) -> None:
        resp.media = {"id": item_id}

    def on_put(self, req: falcon.Request, resp: falcon.Response, item_id: int) -> None:
        resp.media = {"put": item_id}


@falcon.before(require_token, token="abc")
@falcon.after(tag)
class Guarded:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.text = "in"

    def on_post_bulk(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.text = "bulk"

    def helper(self) -> str:  # not a responder: left alone
        return "helper"


@pytest.fixture
def app() -> falcon.App:
    app = falcon.App()
    app.add_route("/items/{item_id:int}", Items())
    app.add_route("/guarded", Guarded())
    app.add_route("/guarded/bulk", Guarded(), suffix="bulk")
    return app


def test_before_can_reject_and_change_params(app: falcon.App) -> None:
    assert testing.simulate_get(app, "/items/2").status_code == 401
    result = testing.simulate_get(app, "/items/2", headers={"X-Token": "s3cret"})
    assert result.json == {"id": 4}
    assert result.headers["X-Tag"] == "item:Items"
    assert testing.simulate_put(app, "/items/2").json == {"put": 2}


def test_class_hooks_cover_all_responders(app: falcon.App) -> None:
    assert testing.simulate_get(app, "/guarded").status_code == 401
    result = testing.simulate_get(app, "/guarded", headers={"X-Token": "abc"})
    assert (result.text, result.headers["X-Tag"]) == ("in", "x:Guarded")
    assert testing.simulate_post(app, "/guarded/bulk", headers={"X-Token": "abc"}).text == "bulk"
    assert Guarded().helper() == "helper"


def test_after_does_not_run_when_responder_raises() -> None:
    class Res:
        @falcon.after(tag)
        def on_get(self, req: Any, resp: Any) -> None:
            raise falcon.HTTPNotFound()

    app = falcon.App()
    app.add_route("/", Res())
    result = testing.simulate_get(app, "/")
    assert result.status_code == 404
    assert "X-Tag" not in result.headers


def test_positional_params_are_bound_by_name() -> None:
    seen: list[dict[str, Any]] = []

    class Res:
        @falcon.before(lambda req, resp, res, params: seen.append(dict(params)))
        def on_get(self, req: Any, resp: Any, a: str, b: str) -> None:
            resp.text = a + b

    res = Res()
    resp = falcon.Response()
    res.on_get(None, resp, "x", "y")
    assert (resp.text, seen) == ("xy", [{"a": "x", "b": "y"}])
    with pytest.raises(TypeError):
        res.on_get(None, resp, "x", "y", "z")


def test_hooks_reject_non_callables() -> None:
    with pytest.raises(TypeError, match="hooks decorate"):
        falcon.before(tag)(42)


def test_class_hook_covers_inherited_responders_without_touching_the_base() -> None:
    class Base:
        def on_get(self, req: Any, resp: Any) -> None:
            resp.text = "base"

    @falcon.after(tag, name="child")
    class Child(Base):
        pass

    app = falcon.App()
    app.add_route("/child", Child())
    app.add_route("/base", Base())
    assert testing.simulate_get(app, "/child").headers["X-Tag"] == "child:Child"
    assert "X-Tag" not in testing.simulate_get(app, "/base").headers
