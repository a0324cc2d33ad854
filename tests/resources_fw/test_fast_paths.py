"""The one-frame request path of ``App.__call__``: WSGI middleware through ``wsgi_app``,
``resp.media`` as a plain attribute, unserializable media and multipart media closing."""

from __future__ import annotations

import io
import json
import logging
import math
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from webtest import TestApp

import resources_fw as falcon
from resources_fw.core.wsgi import StartResponse, WSGIEnvironment

Client = Callable[[Any], TestApp]
BOUNDARY = "BOUNDARY"


class Counting:
    """A resource that counts its calls and answers with what it is told."""

    def __init__(self, media: Any = None, text: str | None = None) -> None:
        self.calls = 0
        self.media = media
        self.text = text

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.calls += 1
        if self.text is not None:
            resp.text = self.text
        else:
            resp.media = self.media


class Middleware:
    """WSGI middleware that counts requests and adds a header."""

    def __init__(self, inner: Callable[[WSGIEnvironment, StartResponse], Iterable[bytes]]):
        self.inner = inner
        self.calls = 0

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Any:
        self.calls += 1

        def tagged(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, ("X-Middleware", "yes")], exc_info)

        return self.inner(environ, tagged)


def test_wsgi_app_middleware_runs_once_and_can_be_removed(client: Client) -> None:
    app = falcon.App()
    resource = Counting(text="hi")
    app.add_route("/", resource)
    original = app.wsgi_app
    middleware = Middleware(app.wsgi_app)
    app.wsgi_app = middleware
    assert app.wsgi_app is middleware
    http = client(app)
    resp = http.get("/")
    assert resp.text == "hi"
    assert resp.headers["X-Middleware"] == "yes"
    assert middleware.calls == 1
    assert resource.calls == 1
    http.get("/nowhere", status=404)
    assert middleware.calls == 2
    assert resource.calls == 1
    # Restored: the wrapper is gone.
    app.wsgi_app = original
    resp = http.get("/")
    assert "X-Middleware" not in resp.headers
    assert middleware.calls == 2
    assert resource.calls == 2


def test_wsgi_app_nested_middleware(client: Client) -> None:
    app = falcon.App()
    resource = Counting(text="x")
    app.add_route("/", resource)
    inner = Middleware(app.wsgi_app)
    app.wsgi_app = inner
    outer = Middleware(app.wsgi_app)
    app.wsgi_app = outer
    client(app).get("/")
    assert (outer.calls, inner.calls, resource.calls) == (1, 1, 1)


@pytest.mark.parametrize(
    ("media", "body"),
    [(None, b""), ({}, b"{}"), ([], b"[]"), (0, b"0"), (False, b"false"), ("", b'""')],
)
def test_media_values(client: Client, media: Any, body: bytes) -> None:
    app = falcon.App()
    app.add_route("/", Counting(media=media))
    resp = client(app).get("/")
    assert resp.status_int == 200
    assert resp.body == body
    if media is not None:
        assert json.loads(resp.body) == media


def test_media_none_after_set_clears_body(client: Client) -> None:
    class Resource:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"a": 1}
            resp.media = None

    app = falcon.App()
    app.add_route("/", Resource())
    assert client(app).get("/").body == b""


@pytest.mark.parametrize("bad", [math.nan, math.inf, [-math.inf]])
def test_media_with_nan_is_logged_500(
    client: Client, caplog: pytest.LogCaptureFixture, bad: Any
) -> None:
    app = falcon.App()
    app.add_route("/", Counting(media={"secret-key": "hunter2", "value": bad}))
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        resp = client(app).get("/", status=500, headers={"Accept": "application/json"})
    assert b"hunter2" not in resp.body
    assert b"secret-key" not in resp.body
    assert b"Traceback" not in resp.body
    assert resp.json["title"] == "500 Internal Server Error"
    records = [r for r in caplog.records if r.exc_info is not None]
    assert records, "the failure was not logged with its traceback"
    assert isinstance(records[0].exc_info[1], ValueError)  # type: ignore[index]


def test_unserializable_media_is_logged_500(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    app = falcon.App()
    app.add_route("/", Counting(media={"when": object()}))
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        resp = client(app).get("/", status=500)
    assert b"object at" not in resp.body
    assert any(r.exc_info for r in caplog.records)


def _multipart(*parts: tuple[str, str | None, bytes]) -> bytes:
    out = []
    for name, filename, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        head = f"--{BOUNDARY}\r\nContent-Disposition: {disp}\r\nContent-Type: text/plain\r\n"
        out.append(head.encode() + b"\r\n" + data + b"\r\n")
    return b"".join(out) + f"--{BOUNDARY}--\r\n".encode()


class Upload:
    """Reads the multipart media and keeps its parts' streams."""

    def __init__(self) -> None:
        self.streams: list[Any] = []
        self.open_during_responder: list[bool] = []

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        names = []
        for part in req.get_media():
            names.append(part.name)
            self.streams.append(part.stream)
            self.open_during_responder.append(not part.stream.closed)
        resp.media = {"names": names}


def _post_environ(body: bytes) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/up",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
    }


def test_multipart_media_closed_after_the_body_is_closed() -> None:
    app = falcon.App()
    upload = Upload()
    app.add_route("/up", upload)
    body = _multipart(("f", "a.txt", b"file one"), ("g", None, b"field"))
    statuses: list[str] = []
    chunks = app(_post_environ(body), lambda s, h, e=None: statuses.append(s))  # type: ignore[arg-type]
    assert statuses == ["200 OK"]
    assert upload.open_during_responder == [True, True]
    assert json.loads(b"".join(chunks)) == {"names": ["f", "g"]}
    # Still open until the server closes the body iterable.
    assert not any(stream.closed for stream in upload.streams)
    chunks.close()  # type: ignore[attr-defined]
    assert all(stream.closed for stream in upload.streams)


def test_multipart_media_closed_over_http(client: Client) -> None:
    app = falcon.App()
    upload = Upload()
    app.add_route("/up", upload)
    files = [("f", "a.txt", b"x" * 100), ("g", "b.txt", b"y")]
    resp = client(app).post("/up", upload_files=files)
    assert sorted(resp.json["names"]) == ["f", "g"]
    assert len(upload.streams) == 2
    assert all(stream.closed for stream in upload.streams)


def test_multipart_media_closed_when_the_responder_fails(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    class Failing(Upload):
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            super().on_post(req, resp)
            raise RuntimeError("boom")

    app = falcon.App()
    upload = Failing()
    app.add_route("/up", upload)
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        resp = client(app).post("/up", upload_files=[("f", "a.txt", b"data")], status=500)
    assert b"boom" not in resp.body
    assert upload.streams
    assert all(stream.closed for stream in upload.streams)


class Echo:
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = req.get_media()


def test_echoed_nan_literal_is_400(client: Client) -> None:
    app = falcon.App()
    app.add_route("/", Echo())
    http = client(app)
    assert http.post_json("/", {"x": 1.5}).json == {"x": 1.5}
    http.post("/", '{"x": NaN}', content_type="application/json", status=400)


def test_echoed_overflowing_number_is_400(client: Client) -> None:
    app = falcon.App()
    app.add_route("/", Echo())
    client(app).post("/", '{"x": 1e400}', content_type="application/json", status=400)


class Tagged(falcon.Response):
    """A response type with an ``__init__`` of its own: the app must call it."""

    def __init__(self, options: Any = None) -> None:
        super().__init__(options)
        self.set_header("X-Tagged", "yes")


def test_response_type_with_own_init_is_built_through_it(client: Client) -> None:
    app = falcon.App(response_type=Tagged)
    app.add_route("/", Counting(text="hi"))
    resp = client(app).get("/")
    assert resp.headers["X-Tagged"] == "yes"
    assert resp.text == "hi"


def test_default_response_starts_empty_with_the_apps_options(client: Client) -> None:
    """The default ``Response`` is made without its ``__init__``: same starting state."""
    seen: dict[str, Any] = {}

    class Probe:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            seen.update(status=resp.status_code, headers=resp.headers, options=resp.options)
            # The same state as its __init__ makes (a new attribute there must be made here).
            seen["state"] = vars(resp) == vars(falcon.Response(app.resp_options))
            resp.set_header("X-One", "1")

    app = falcon.App()
    app.add_route("/", Probe())
    http = client(app)
    for _ in range(2):  # a second request must not see the first one's header
        assert http.get("/").headers["X-One"] == "1"
        assert seen == {
            "status": 200,
            "headers": {},
            "options": app.resp_options,
            "state": True,
        }


class Item:
    def on_get(self, req: falcon.Request, resp: falcon.Response, item_id: int) -> None:
        resp.media = {"id": item_id, "template": req.uri_template}


@pytest.mark.parametrize("strip", [False, True])
def test_routing_in_the_call_frame_matches_the_general_steps(client: Client, strip: bool) -> None:
    """Found, 405 with Allow, a sink on a miss, and the trailing-slash option (which takes
    ``_find``): the same answers either way."""
    app = falcon.App()
    app.req_options.strip_url_path_trailing_slash = strip
    app.add_route("/items/{item_id:int}", Item())
    app.add_sink(lambda req, resp, **kw: setattr(resp, "text", f"sink {req.path}"), "/sink")
    http = client(app)
    assert http.get("/items/7").json == {"id": 7, "template": "/items/{item_id:int}"}
    denied = http.post("/items/7", status=405)
    assert denied.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert http.get("/sink/x").text == "sink /sink/x"
    assert http.get("/nowhere", status=404).json["title"] == "404 Not Found"
    slashed = http.get("/items/7/", expect_errors=True)
    if strip:
        assert slashed.json == {"id": 7, "template": "/items/{item_id:int}"}
    else:
        assert slashed.status_int == 404
