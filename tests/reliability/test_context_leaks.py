"""Matrix row 49: after a failure anywhere in a request, no context is left active and the
next request starts with a fresh ``g`` -- on globals_fw's direct path and on its
step-by-step path (taken here by adding a ``before_request`` hook)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from werkzeug.routing import BaseConverter

import globals_fw
from globals_fw import App, g
from globals_fw.globals import _cv_app, _cv_request
from globals_fw.sessions import SecureCookieSessionInterface


class Exploding(BaseConverter):
    """A converter with a bug: anything but a refusal (ValueError) is a server error."""

    def to_python(self, value: str) -> Any:
        raise RuntimeError("converter bug")


class BrokenSessions(SecureCookieSessionInterface):
    def open_session(self, app: Any, request: Any) -> Any:
        raise RuntimeError("session store down")


def _app(layered: bool) -> App:
    app = App("leaks", static_folder=None, template_folder=None)
    app.secret_key = "k"
    app.url_map.converters["boom"] = Exploding
    seen: list[object] = []
    app.config["seen"] = seen

    @app.get("/ok")
    def ok() -> str:
        assert "mark" not in g  # a fresh g on every request
        g.mark = True
        seen.append(g._get_current_object())  # type: ignore[attr-defined]
        return "ok"

    @app.get("/convert/<boom:x>")
    def convert(x: Any) -> str:
        return "never"

    @app.get("/session")
    def use_session() -> str:
        return str(globals_fw.session.get("n"))

    @app.get("/handled")
    def handled() -> str:
        raise KeyError("handled badly")

    @app.errorhandler(KeyError)
    def on_key_error(exc: KeyError) -> str:
        raise RuntimeError("the handler itself fails")

    if layered:
        app.before_request(lambda: None)
    return app


def _nothing_active() -> bool:
    return _cv_app.get(None) is None and _cv_request.get(None) is None


@pytest.mark.parametrize("layered", [False, True], ids=["direct", "step-by-step"])
@pytest.mark.parametrize("path", ["/convert/1", "/session", "/handled"])
def test_a_failure_leaves_no_context_and_the_next_request_is_fresh(
    layered: bool, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = _app(layered)
    if path == "/session":
        app.session_interface = BrokenSessions()
    client = app.test_client()
    with caplog.at_level(logging.ERROR):
        failed = client.get(path)
    assert failed.status_code == 500
    assert b"bug" not in failed.data  # nothing leaks
    assert b"down" not in failed.data
    assert caplog.records, "the failure is logged"
    assert _nothing_active()
    for _ in range(2):
        assert client.get("/ok").data == b"ok"
        assert _nothing_active()
    first, second = app.config["seen"]
    assert first is not second


@pytest.mark.parametrize("layered", [False, True], ids=["direct", "step-by-step"])
def test_a_failing_teardown_leaves_no_context(layered: bool) -> None:
    app = _app(layered)
    torn: list[BaseException | None] = []

    @app.teardown_request
    def broken(exc: BaseException | None) -> None:
        raise RuntimeError("teardown bug")

    @app.teardown_appcontext
    def record(exc: BaseException | None) -> None:
        torn.append(exc)

    client = app.test_client()
    assert client.get("/ok").status_code == 500
    assert torn == [None]  # the app teardown still ran, once
    assert _nothing_active()
    assert client.get("/ok").status_code == 500  # and again: nothing carried over
    assert len(torn) == 2
