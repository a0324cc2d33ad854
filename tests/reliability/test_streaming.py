"""An exception inside a streamed body, in both front-ends (matrix row 46).

Once the status line is out, nothing can turn the answer into a 500: the error must reach the
server (which logs it once and cuts the connection, so the client sees a truncated body), the
body iterable must be closed, and no context may be left pushed. Checked in process, over a
socket with werkzeug's development server (HTTP/1.1 chunked), and under gunicorn's sync and
gthread workers (``served_streams``), in a process of their own.
"""

from __future__ import annotations

import http.client
import importlib.util
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from reliability_spec import build_environ, call_wsgi
from werkzeug.serving import make_server

import globals_fw
import resources_fw as falcon
from compare.load.servers import free_port
from globals_fw.testing import pushed_contexts


class Events:
    """Chunks produced and closes seen, shared by a test and its app."""

    def __init__(self) -> None:
        self.closed = 0
        self.produced: list[bytes] = []

    def failing(self) -> Iterator[bytes]:
        try:
            self.produced.append(b"first")
            yield b"first"
            raise RuntimeError("broken in the middle of the stream")
            yield b"never"  # type: ignore[unreachable]
        finally:
            self.closed += 1

    def short(self) -> Iterator[bytes]:
        """Ten bytes for a response that promised a hundred."""
        try:
            yield b"0123456789"
        finally:
            self.closed += 1


def _resources_app(events: Events) -> Any:
    class Failing:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.content_type = "text/plain"
            resp.stream = events.failing()

    class Short:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.content_type = "text/plain"
            resp.set_stream(events.short(), 100)

    class Ok:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.content_type = "text/plain"
            resp.text = "ok"

    app = falcon.App()
    app.add_route("/failing", Failing())
    app.add_route("/short", Short())
    app.add_route("/ok", Ok())
    return app


def _globals_app(events: Events, with_context: bool = False) -> Any:
    app = globals_fw.App("streaming", static_folder=None, template_folder=None)
    wrap: Callable[[Iterator[bytes]], Any] = (
        globals_fw.stream_with_context if with_context else (lambda gen: gen)
    )

    @app.get("/failing")
    def failing() -> Any:
        return app.response_class(wrap(events.failing()), content_type="text/plain")

    @app.get("/short")
    def short() -> Any:
        headers = {"Content-Length": "100", "Content-Type": "text/plain"}
        return app.response_class(wrap(events.short()), headers=headers)

    @app.get("/ok")
    def ok() -> Any:
        return "ok", 200, {"Content-Type": "text/plain"}

    return app


BUILDERS: dict[str, Callable[[Events], Any]] = {
    "resources_fw": _resources_app,
    "globals_fw": _globals_app,
    "globals_fw-stream_with_context": lambda events: _globals_app(events, True),
}


@pytest.fixture(params=BUILDERS)
def build(request: pytest.FixtureRequest) -> Callable[[Events], Any]:
    return BUILDERS[request.param]


def test_an_error_mid_stream_reaches_the_server_and_the_body_is_closed(
    build: Callable[[Events], Any], caplog: pytest.LogCaptureFixture
) -> None:
    events = Events()
    app = build(events)
    started: list[str] = []
    body = app(build_environ("GET", "/failing"), lambda s, h, e=None: started.append(s))
    iterator = iter(body)
    assert next(iterator) == b"first"
    assert started == ["200 OK"]
    with caplog.at_level(logging.ERROR), pytest.raises(RuntimeError, match="middle"):
        next(iterator)
    body.close()  # what the server does next
    assert events.closed == 1
    assert events.produced == [b"first"]  # nothing is produced after the error
    assert pushed_contexts() == []
    # The framework leaves logging this one to the server: logged once, not twice.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_the_app_keeps_answering_after_a_broken_stream(build: Callable[[Events], Any]) -> None:
    events = Events()
    app = build(events)
    with pytest.raises(RuntimeError):
        call_wsgi(app, build_environ("GET", "/failing"))
    assert events.closed == 1
    assert call_wsgi(app, build_environ("GET", "/ok")).body == b"ok"
    assert pushed_contexts() == []


class LiveServer:
    """werkzeug's development server on a loopback port, in a thread (threaded, so it speaks
    HTTP/1.1 and streams with chunked encoding)."""

    def __init__(self, app: Any) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def get(self, path: str) -> tuple[http.client.HTTPResponse, bytes, bool]:
        """Status, body and whether the client could tell the body was truncated."""
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            try:
                return response, response.read(), False
            except http.client.IncompleteRead as exc:
                return response, exc.partial, True
        finally:
            connection.close()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(10)
        self.server.server_close()


@pytest.fixture
def live(build: Callable[[Events], Any]) -> Iterator[tuple[LiveServer, Events]]:
    events = Events()
    server = LiveServer(build(events))
    try:
        yield server, events
    finally:
        server.stop()


def test_over_http_the_client_sees_a_truncated_chunked_body(
    live: tuple[LiveServer, Events], caplog: pytest.LogCaptureFixture
) -> None:
    server, events = live
    with caplog.at_level(logging.INFO):
        response, body, truncated = server.get("/failing")
        assert response.status == 200
        assert response.getheader("Transfer-Encoding") == "chunked"
        assert (body, truncated) == (b"first", True)  # no final zero-length chunk
        assert server.get("/ok")[1] == b"ok"  # the worker keeps serving
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1, [r.getMessage() for r in errors]  # logged once, by the server
    assert errors[0].name == "werkzeug"
    assert events.closed == 1


def test_over_http_a_body_shorter_than_its_content_length_is_detectable(
    live: tuple[LiveServer, Events],
) -> None:
    server, events = live
    response, body, truncated = server.get("/short")
    assert response.getheader("Content-Length") == "100"
    assert (body, truncated) == (b"0123456789", True)
    assert events.closed == 1


def _gunicorn(app: str, worker: str) -> subprocess.Popen[bytes]:
    port = free_port()
    here = Path(__file__).parent
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(here), os.environ.get("PYTHONPATH", "")]),
    }
    command = [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "1"]
    if worker == "gthread":
        command += ["-k", "gthread", "--threads", "2"]
    command += ["--log-level", "error", f"served_streams:{app}"]
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE)
    process.port = port  # type: ignore[attr-defined]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"gunicorn did not start: {process.communicate()[1].decode()[-2000:]}")


def _get(port: int, path: str) -> tuple[http.client.HTTPResponse, bytes, bool]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        try:
            return response, response.read(), False
        except http.client.IncompleteRead as exc:
            return response, exc.partial, True
    finally:
        connection.close()


@pytest.mark.skipif(
    importlib.util.find_spec("gunicorn") is None, reason="gunicorn is not installed"
)
@pytest.mark.parametrize("worker", ["sync", "gthread"])
@pytest.mark.parametrize("app", ["resources_app", "globals_app"])
def test_under_gunicorn_the_client_sees_a_truncated_body(app: str, worker: str) -> None:
    process = _gunicorn(app, worker)
    try:
        response, body, truncated = _get(process.port, "/failing")  # type: ignore[attr-defined]
        assert response.status == 200
        assert (body, truncated) == (b"first", True)  # cut short, and the client can tell
        for _ in range(3):  # the worker keeps serving
            assert _get(process.port, "/ok")[1] == b"ok"  # type: ignore[attr-defined]
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=20)
    log = errors.decode()
    assert log.count("Traceback") == 1, log[-2000:]  # logged once, by gunicorn
    assert "RuntimeError: broken in the middle of the stream" in log
