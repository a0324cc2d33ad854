"""Behaviour spec of the cross-cutting app (auth, request id, timing, CORS, domain errors,
clean-up after every request), run against both."""

from __future__ import annotations

import logging
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webtest import TestApp

APP = "crosscut"

ALICE = {"Authorization": "Bearer alice-token"}
ORIGIN = "https://app.example"
TIMING = re.compile(r"app;dur=\d+\.\d{3}")


def health(app: TestApp) -> dict[str, object]:
    body: dict[str, object] = app.get("/health").json
    return body


def test_public_health(app: TestApp) -> None:
    assert health(app) == {"status": "ok", "connections_in_use": 0}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic YWxpY2U6eA=="}],
    ids=["none", "bad-token", "basic"],
)
def test_auth_is_required(app: TestApp, headers: dict[str, str]) -> None:
    response = app.get("/orders", headers=headers, status=401)
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json == {
        "title": "401 Unauthorized",
        "description": "Send 'Authorization: Bearer <token>'.",
    }
    app.post("/orders/1/cancel", headers=headers, status=401)
    assert health(app)["connections_in_use"] == 0


def test_orders_of_the_user(app: TestApp) -> None:
    assert app.get("/orders", headers=ALICE).json == {
        "orders": [
            {"id": 1, "owner": "alice", "item": "book", "status": "open"},
            {"id": 2, "owner": "alice", "item": "lamp", "status": "shipped"},
        ]
    }
    bob = app.get("/orders", headers={"Authorization": "bearer bob-token"}).json
    assert [o["id"] for o in bob["orders"]] == [3]


def test_domain_errors_become_http_errors(app: TestApp) -> None:
    assert app.get("/orders/99", headers=ALICE, status=404).json == {
        "title": "404 Not Found",
        "description": "There is no order 99.",
        "code": "unknown_order",
    }
    assert app.get("/orders/3", headers=ALICE, status=403).json == {
        "title": "403 Forbidden",
        "description": "Order 3 belongs to someone else.",
        "code": "not_your_order",
    }
    assert app.post("/orders/2/cancel", headers=ALICE, status=409).json == {
        "title": "409 Conflict",
        "description": "Order 2 has shipped and cannot be cancelled.",
        "code": "order_locked",
    }
    assert health(app)["connections_in_use"] == 0


def test_cancel_is_idempotent(app: TestApp) -> None:
    for _ in range(2):
        assert app.post("/orders/1/cancel", headers=ALICE).json["status"] == "cancelled"
    assert app.get("/orders/1", headers=ALICE).json["status"] == "cancelled"


def test_request_id_is_echoed_or_made(app: TestApp) -> None:
    given = app.get("/health", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    for bad in ("has space", "x" * 65, ""):
        made = app.get("/health", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", made)
    first, second = (app.get("/health").headers["X-Request-ID"] for _ in range(2))
    assert first != second


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(given_id=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E)))
def test_request_ids_are_safe(app: TestApp, given_id: str) -> None:
    echoed = app.get("/health", headers={"X-Request-ID": given_id}).headers["X-Request-ID"]
    assert echoed == given_id or re.fullmatch(r"[0-9a-f]{32}", echoed)
    assert re.fullmatch(r"[A-Za-z0-9._-]{1,64}", echoed)


def test_every_response_is_stamped(app: TestApp) -> None:
    for response in (
        app.get("/health"),
        app.get("/orders", status=401),
        app.get("/orders/99", headers=ALICE, status=404),
        app.get("/nowhere", status=404),
        app.delete("/health", status=405),
    ):
        assert TIMING.fullmatch(response.headers["Server-Timing"]), response
        assert response.headers["X-Request-ID"]


def test_unexpected_errors_leak_nothing(app: TestApp, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR):
        response = app.get("/boom", headers={"X-Request-ID": "r-500"}, status=500)
    # resources_fw, like Falcon, sends no description; globals_fw a generic one.
    assert response.json["title"] == "500 Internal Server Error"
    assert set(response.json) <= {"title", "description"}
    assert "hunter2" not in response.text
    assert response.headers["X-Request-ID"] == "r-500"
    assert "hunter2" in caplog.text  # logged for the operators, with the traceback
    assert health(app)["connections_in_use"] == 0


def test_audit_log_records_final_statuses(app: TestApp) -> None:
    app.get("/health", headers={"X-Request-ID": "one"})
    app.get("/orders/99", headers={**ALICE, "X-Request-ID": "two"}, status=404)
    app.get("/orders", headers={"X-Request-ID": "three"}, status=401)
    entries = app.get("/audit", headers=ALICE).json["entries"]
    assert entries[-3:] == [
        ["one", "GET", "/health", 200],
        ["two", "GET", "/orders/99", 404],
        ["three", "GET", "/orders", 401],
    ]


def test_cors_for_an_allowed_origin(app: TestApp) -> None:
    response = app.get("/orders", headers={**ALICE, "Origin": ORIGIN})
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert "Origin" in response.headers["Vary"]
    assert response.headers["Access-Control-Expose-Headers"] == "X-Request-ID, Server-Timing"
    denied = app.get("/orders", headers={"Origin": ORIGIN}, status=401)
    assert denied.headers["Access-Control-Allow-Origin"] == ORIGIN


def test_no_cors_for_other_origins(app: TestApp) -> None:
    response = app.get("/orders", headers={**ALICE, "Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Origin" not in app.get("/orders", headers=ALICE).headers


def test_preflight_needs_no_token(app: TestApp) -> None:
    response = app.options(
        "/orders/1/cancel",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, x-request-id",
        },
    )
    assert response.status_int == 200
    assert response.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert set(response.headers["Access-Control-Allow-Methods"].split(", ")) == {
        "OPTIONS",
        "POST",
    }
    assert response.headers["Access-Control-Allow-Headers"] == "authorization, x-request-id"
    assert response.headers["Access-Control-Max-Age"] == "600"
    assert "Allow" not in response.headers
    assert health(app)["connections_in_use"] == 0
