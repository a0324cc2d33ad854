"""The testing module: simulate_* functions, TestClient, Result, create_environ, TestCase."""

from __future__ import annotations

import io
from typing import Any

import pytest

import resources_fw as falcon
from resources_fw import testing


class Echo:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {
            "params": req.params,
            "headers": {k: v for k, v in req.headers.items() if k.startswith("X-")},
            "cookies": dict(req.cookies),
            "remote": req.remote_addr,
            "uri": req.uri,
        }
        resp.set_cookie("seen", "yes", max_age=10, path="/", same_site="Strict")

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"type": req.content_type, "body": req.bounded_stream.read().decode()}


@pytest.fixture
def app() -> falcon.App:
    app = falcon.App()
    app.add_route("/echo", Echo())
    return app


def test_simulate_get_with_everything(app: falcon.App) -> None:
    result = testing.simulate_get(
        app,
        "/echo",
        params={"a": [1, 2], "b": "x y"},
        headers={"X-A": "1"},
        cookies={"c": "v"},
        remote_addr="10.1.1.1",
        protocol="https",
        host="h.io",
        port=8443,
    )
    assert result.status == falcon.HTTP_200
    assert result.json == {
        "params": {"a": ["1", "2"], "b": "x y"},
        "headers": {"X-A": "1"},
        "cookies": {"c": "v"},
        "remote": "10.1.1.1",
        "uri": "https://h.io:8443/echo?a=1&a=2&b=x%20y",
    }
    assert result.cookies["seen"].value == "yes"
    assert result.cookies["seen"].same_site == "Strict"
    assert result.encoding is None
    assert repr(result) == "<Result 200 OK>"


def test_query_string_in_path_and_params_csv(app: falcon.App) -> None:
    assert testing.simulate_get(app, "/echo?a=1").json["params"] == {"a": "1"}
    result = testing.simulate_get(app, "/echo", params={"a": [1, 2]}, params_csv=True)
    assert result.json["params"] == {"a": "1,2"}
    with pytest.raises(ValueError, match="not both"):
        testing.simulate_get(app, "/echo", params={"a": 1}, query_string="b=2")
    with pytest.raises(ValueError, match="query string"):
        testing.simulate_get(app, "/echo?x=1", params={"a": 1})


def test_bodies(app: falcon.App) -> None:
    result = testing.simulate_post(app, "/echo", json={"k": "é"})
    assert result.json == {"type": "application/json", "body": '{"k": "é"}'}
    result = testing.simulate_post(app, "/echo", body=b"raw", content_type="text/plain")
    assert result.json == {"type": "text/plain", "body": "raw"}
    # As in Falcon, json= wins over body= and over a Content-Type given in headers.
    result = testing.simulate_post(
        app, "/echo", body="x", json={"a": 1}, headers={"Content-Type": "text/plain"}
    )
    assert result.json == {"type": "application/json", "body": '{"a": 1}'}


def test_test_client_default_headers_and_aliases(app: falcon.App) -> None:
    client = testing.TestClient(app, headers={"X-Default": "d"})
    for call in (client.get, client.simulate_get):
        assert call("/echo", headers={"X-B": "b"}).json["headers"] == {"X-Default": "d", "X-B": "b"}
    assert client.post("/echo", body="x").status_code == 200
    assert client.put("/echo").status_code == 405
    assert client.patch("/echo").status_code == 405
    assert client.delete("/echo").status_code == 405
    assert client.options("/echo").headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert client.head("/echo").content == b""
    assert client.request("GET", "/echo").status_code == 200
    plain = testing.TestClient(app)
    assert plain.simulate_put("/echo").status_code == 405
    assert plain.simulate_patch("/echo").status_code == 405
    assert plain.simulate_delete("/echo").status_code == 405
    assert plain.simulate_head("/echo").status_code == 200
    assert plain.simulate_options("/echo").status_code == 200
    assert plain.simulate_post("/echo").status_code == 200


def test_module_level_simulators(app: falcon.App) -> None:
    assert testing.simulate_put(app, "/echo").status_code == 405
    assert testing.simulate_patch(app, "/echo").status_code == 405
    assert testing.simulate_delete(app, "/echo").status_code == 405
    assert testing.simulate_options(app, "/echo").status_code == 200


def test_validator_catches_bad_apps() -> None:
    def bad_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("X", "1")])  # no Content-Type
        return [b"x"]

    with pytest.raises(AssertionError):
        testing.simulate_get(bad_app, "/")


def test_create_environ() -> None:
    env = testing.create_environ(
        "/caf%C3%A9?x=1",
        headers=[("X-A", "1"), ("X-A", "2"), ("Content-Type", "text/plain")],
        body="hi",
        method="post",
        root_path="/app",
        scheme="https",
    )
    assert env["PATH_INFO"] == "/café".encode().decode("latin-1")
    assert env["QUERY_STRING"] == "x=1"
    assert env["HTTP_X_A"] == "1,2"
    assert env["CONTENT_TYPE"] == "text/plain"
    assert env["CONTENT_LENGTH"] == "2"
    assert env["REQUEST_METHOD"] == "POST"
    assert env["SCRIPT_NAME"] == "/app"
    assert env["HTTP_HOST"] == testing.DEFAULT_HOST
    assert env["SERVER_PORT"] == "443"
    assert isinstance(env["wsgi.input"], io.BytesIO)
    with pytest.raises(ValueError, match="start with"):
        testing.create_environ("nope")


def test_result_json_empty_and_text_charset() -> None:
    result = testing.Result(
        [b"caf\xe9"], "200 OK", [("Content-Type", "text/plain; charset=latin-1")]
    )
    assert result.text == "café"
    empty = testing.Result([], "204 No Content", [])
    assert empty.json is None
    assert empty.content_type is None


class AppCase(testing.TestCase):
    __test__ = True

    def setUp(self) -> None:
        super().setUp()
        self.app.add_route("/echo", Echo())

    def test_simulators(self) -> None:
        assert self.simulate_get("/echo").status_code == 200
        assert self.simulate_post("/echo", body="x").json["body"] == "x"
        assert self.simulate_put("/echo").status_code == 405
        assert self.simulate_patch("/echo").status_code == 405
        assert self.simulate_delete("/echo").status_code == 405
        assert self.simulate_head("/echo").content == b""
        assert self.simulate_options("/echo").status_code == 200


def test_create_req_and_resp_unit_test_a_responder() -> None:
    class Thing:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"q": req.get_param("q"), "path": req.path}

    req = testing.create_req(path="/things", query_string="q=tea")
    resp = testing.create_resp()
    Thing().on_get(req, resp)
    assert resp.media == {"q": "tea", "path": "/things"}
    assert resp.status_code == 200
