"""Teardown callbacks (globals_fw) run exactly once, after the last byte, whatever happens.

Matrix rows 45 (exactly once, also with ``stream_with_context`` and a client that closes the
body early; every callback runs even when one raises) and 47 (a stream abandoned by its client,
then more requests on the same thread while another thread runs ``gc.collect()``).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from reliability_spec import build_environ, call_wsgi

import globals_fw
from globals_fw import request, stream_with_context
from globals_fw.testing import pushed_contexts

SCENARIOS = ("ok", "view", "before", "after", "handler", "stream", "stream-abort")


@dataclass
class Recorder:
    """What happened during one or more requests, in order."""

    events: list[str] = field(default_factory=list)
    errors: dict[str, list[BaseException | None]] = field(default_factory=dict)
    contexts: dict[str, list[str]] = field(default_factory=dict)

    def teardown(self, kind: str, exc: BaseException | None) -> None:
        self.events.append(kind)
        self.errors.setdefault(kind, []).append(exc)
        self.contexts[kind] = pushed_contexts()


def _chunks(recorder: Recorder) -> Iterator[str]:
    for chunk in ("a", "b", "c"):
        recorder.events.append(f"chunk {chunk} for {request.path}")
        yield chunk


def make_app(recorder: Recorder, scenario: str, failing_teardown: bool) -> globals_fw.App:
    """An app whose ``/`` behaves as ``scenario`` says, recording teardowns in ``recorder``."""
    app = globals_fw.App("teardown", static_folder=None, template_folder=None)
    _add_teardowns(app, recorder, failing_teardown)
    _add_failing_hooks(app, scenario)

    @app.get("/")
    def view() -> Any:
        if scenario in ("view", "handler"):
            raise KeyError("view")
        if scenario.startswith("stream"):
            return stream_with_context(_chunks(recorder))
        return "ok"

    return app


def _add_teardowns(app: globals_fw.App, recorder: Recorder, failing_teardown: bool) -> None:
    app.teardown_request(lambda exc: recorder.teardown("request 1", exc))
    if failing_teardown:

        @app.teardown_request
        def request_fails(exc: BaseException | None) -> None:
            recorder.teardown("request fails", exc)
            raise ValueError("teardown failed")

    app.teardown_request(lambda exc: recorder.teardown("request 2", exc))
    app.teardown_appcontext(lambda exc: recorder.teardown("app 1", exc))


def _add_failing_hooks(app: globals_fw.App, scenario: str) -> None:
    if scenario == "before":

        @app.before_request
        def before() -> None:
            raise KeyError("before")

    elif scenario == "after":

        @app.after_request
        def after(response: Any) -> Any:
            raise KeyError("after")

    elif scenario == "handler":

        @app.errorhandler(KeyError)
        def handler(error: Exception) -> Any:
            raise LookupError("handler")


def _start(app: globals_fw.App, path: str = "/") -> Any:
    """Start a request as a server does; return the body iterable, not yet iterated."""
    return app(build_environ("GET", path), _start_response)


def _start_response(
    status: str, headers: list[tuple[str, str]], exc_info: Any = None, /
) -> Callable[[bytes], object]:
    return lambda data: None


def _run(app: globals_fw.App, scenario: str) -> int | None:
    """One request; the status code, or None when closing the body raised (as a server
    would see a failing teardown after a stream)."""
    if scenario == "stream-abort":
        body = _start(app)
        assert next(iter(body)) == b"a"
        try:
            body.close()  # the client went away: the server closes the body early
        except ValueError:
            return None
        return 200
    try:
        return int(call_wsgi(app, build_environ("GET", "/")).code)
    except ValueError:
        return None


EXPECTED_ERROR = {"before": "before", "after": "after", "view": "view", "handler": "handler"}


@pytest.mark.parametrize("failing_teardown", [False, True], ids=["teardowns-ok", "one-raises"])
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_teardown_runs_exactly_once(
    scenario: str, failing_teardown: bool, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    app = make_app(recorder, scenario, failing_teardown)
    with caplog.at_level(logging.CRITICAL):
        code = _run(app, scenario)
    teardowns = [e for e in recorder.events if not e.startswith("chunk")]
    expected = ["request 2", "request fails", "request 1", "app 1"]
    if not failing_teardown:
        expected.remove("request fails")
    assert teardowns == expected  # each exactly once, in reverse registration order
    # Request teardowns run inside the request context, app teardowns inside the app
    # context (after a stream, the request context is still set for them too).
    for kind, pushed in recorder.contexts.items():
        if kind.startswith("request"):
            assert pushed == ["app", "request"], kind
        elif not scenario.startswith("stream"):
            assert pushed == ["app"], kind
        else:
            assert pushed[0] == "app", kind
    assert pushed_contexts() == []
    # The exception each callback sees is the one that ended the request.
    seen = {str(exc.args[0]) if exc else None for errs in recorder.errors.values() for exc in errs}
    assert seen == {EXPECTED_ERROR.get(scenario)}
    if scenario == "ok" or scenario.startswith("stream"):
        # A failing teardown after a plain view turns the answer into a logged 500; after
        # a stream the body is already sent, so the error reaches the server from close().
        assert code == (200 if not failing_teardown else (None if "stream" in scenario else 500))
    else:
        assert code == 500


def test_a_handler_error_keeps_the_original_error_as_its_context() -> None:
    recorder = Recorder()
    app = make_app(recorder, "handler", False)
    call_wsgi(app, build_environ("GET", "/"))
    exc = recorder.errors["request 1"][0]
    assert isinstance(exc, LookupError)
    assert isinstance(exc.__context__, KeyError)


def test_streamed_teardown_runs_after_the_last_byte() -> None:
    recorder = Recorder()
    app = make_app(recorder, "stream", False)
    body = _start(app)
    iterator = iter(body)
    assert next(iterator) == b"a"
    assert recorder.events == ["chunk a for /"]  # the view returned; no teardown yet
    assert pushed_contexts() == []  # and nothing is left pushed between chunks
    assert b"".join(iterator) == b"bc"
    assert recorder.events == [
        "chunk a for /",
        "chunk b for /",
        "chunk c for /",
        "request 2",
        "request 1",
        "app 1",
    ]
    body.close()  # the server's close() after exhaustion runs nothing again
    assert len(recorder.events) == 6


def test_a_client_abort_tears_down_at_close_once() -> None:
    recorder = Recorder()
    app = make_app(recorder, "stream", False)
    body = _start(app)
    assert next(iter(body)) == b"a"
    body.close()
    body.close()
    assert recorder.events == ["chunk a for /", "request 2", "request 1", "app 1"]
    assert pushed_contexts() == []


def test_an_error_inside_a_stream_reaches_the_teardowns() -> None:
    recorder = Recorder()
    app = globals_fw.App("teardown", static_folder=None, template_folder=None)
    app.teardown_request(lambda exc: recorder.teardown("request", exc))
    app.teardown_appcontext(lambda exc: recorder.teardown("app", exc))

    @app.get("/")
    def view() -> Any:
        def chunks() -> Iterator[str]:
            yield "a"
            raise KeyError("in the stream")

        return stream_with_context(chunks())

    with pytest.raises(KeyError):
        call_wsgi(app, build_environ("GET", "/"))
    assert recorder.events == ["request", "app"]
    assert all(isinstance(errs[0], KeyError) for errs in recorder.errors.values())


# -- row 47: abandoned streams ------------------------------------------------------------


def _counting_app(counts: dict[str, int]) -> globals_fw.App:
    app = globals_fw.App("abandon", static_folder=None, template_folder=None)

    @app.teardown_request
    def count_request(exc: BaseException | None) -> None:
        counts["request"] += 1

    @app.teardown_appcontext
    def count_app(exc: BaseException | None) -> None:
        counts["app"] += 1

    @app.get("/stream")
    def stream() -> Any:
        return stream_with_context(iter(["a", "b", "c"]))

    @app.get("/plain")
    def plain() -> Any:
        return "plain"

    return app


def _collect_on_another_thread() -> None:
    thread = threading.Thread(target=gc.collect)
    thread.start()
    thread.join()


def _hundred_more(app: globals_fw.App, counts: dict[str, int]) -> None:
    for done in range(1, 101):
        assert call_wsgi(app, build_environ("GET", "/plain")).body == b"plain"
        assert pushed_contexts() == []
        if done == 50:
            _collect_on_another_thread()


def test_a_stream_closed_early_then_a_hundred_requests() -> None:
    counts = {"request": 0, "app": 0}
    app = _counting_app(counts)
    body = _start(app, "/stream")
    assert next(iter(body)) == b"a"
    assert pushed_contexts() == []
    body.close()  # a PEP 3333 server closes the body when its client is gone
    del body
    _hundred_more(app, counts)
    _collect_on_another_thread()
    assert counts == {"request": 101, "app": 101}
    assert pushed_contexts() == []


def test_a_stream_never_closed_leaves_no_context_and_later_requests_tear_down() -> None:
    counts = {"request": 0, "app": 0}
    app = _counting_app(counts)
    body = _start(app, "/stream")
    assert next(iter(body)) == b"a"
    del body  # abandoned: a broken server that never calls close()
    _hundred_more(app, counts)
    _collect_on_another_thread()
    assert pushed_contexts() == []
    # Every later request tore down; only the abandoned one may be missing.
    assert counts["request"] >= 100
    assert counts["app"] >= 100


def test_a_stream_never_closed_is_torn_down_when_collected() -> None:
    counts = {"request": 0, "app": 0}
    app = _counting_app(counts)
    body = _start(app, "/stream")
    assert next(iter(body)) == b"a"
    del body
    _hundred_more(app, counts)
    _collect_on_another_thread()
    assert counts == {"request": 101, "app": 101}
