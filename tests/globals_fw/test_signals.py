"""Signals sent during a request."""

from __future__ import annotations

from typing import Any

from globals_fw import (
    App,
    appcontext_popped,
    appcontext_pushed,
    appcontext_tearing_down,
    flash,
    got_request_exception,
    message_flashed,
    request_finished,
    request_started,
    request_tearing_down,
)


def test_request_signals_in_order(app: App) -> None:
    events: list[str] = []
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def rec(name: str) -> Any:
        def receiver(sender: App, **kwargs: Any) -> None:
            assert sender is app
            events.append(name)

        return receiver

    receivers = {
        request_started: rec("started"),
        request_finished: rec("finished"),
        request_tearing_down: rec("tearing_down"),
        appcontext_pushed: rec("app_pushed"),
        appcontext_tearing_down: rec("app_tearing_down"),
        appcontext_popped: rec("app_popped"),
        got_request_exception: rec("exception"),
        message_flashed: rec("flashed"),
    }
    for signal, receiver in receivers.items():
        signal.connect(receiver, app)
    try:

        @app.route("/")
        def index() -> str:
            flash("x")
            return "ok"

        @app.route("/fail")
        def fail() -> str:
            raise ValueError

        client = app.test_client()
        client.get("/")
        assert events == [
            "app_pushed",
            "started",
            "flashed",
            "finished",
            "tearing_down",
            "app_tearing_down",
            "app_popped",
        ]
        events.clear()
        assert client.get("/fail").status_code == 500
        assert "exception" in events
    finally:
        for signal, receiver in receivers.items():
            signal.disconnect(receiver, app)
