"""The scenarios: which app each builds, what request it sends, what a correct answer is.

Per-request scenarios are timed in a loop (:mod:`.runner`); the start-up scenarios build a
fresh app and serve one request in a fresh process (:mod:`.startup`); the routes sweep
reuses the routed app at several sizes to show cost versus number of routes.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from .apps import AppBuilders
from .environ import RequestSpec
from .wsgi import Answer, WSGIApp

Check = Callable[[Answer], str | None]


def _document() -> dict[str, object]:
    """A JSON document of about 1 KB: nested objects, a list, strings, numbers, booleans."""
    items = [
        {"id": i, "name": f"item number {i}", "price": 9.5 + i, "tags": ["red", "blue"], "ok": True}
        for i in range(10)
    ]
    return {"order": 4711, "customer": {"name": "Ada Lovelace", "vip": False}, "items": items}


DOCUMENT = _document()
DOCUMENT_BYTES = json.dumps(DOCUMENT).encode()


def expect_text(status: int, body: bytes) -> Check:
    """The answer must have ``status`` and exactly ``body``."""

    def check(answer: Answer) -> str | None:
        if answer.status_code != status or answer.body != body:
            return f"expected {status} {body!r}, got {answer.status} {answer.body[:80]!r}"
        return None

    return check


def expect_json(document: object) -> Check:
    """A 200 with a JSON content type whose body decodes to ``document``."""

    def check(answer: Answer) -> str | None:
        content_type = answer.header("Content-Type") or ""
        if answer.status_code != 200 or not content_type.startswith("application/json"):
            return f"expected 200 application/json, got {answer.status} {content_type!r}"
        try:
            decoded = json.loads(answer.body)
        except ValueError:
            return f"body is not JSON: {answer.body[:80]!r}"
        return None if decoded == document else "the JSON echoed back differs from the one sent"

    return check


def expect_not_found(answer: Answer) -> str | None:
    """A 404 whose body says so (each framework words and formats it its own way)."""
    if answer.status_code != 404 or b"not found" not in answer.body.lower():
        return f"expected a 404 saying 'Not Found', got {answer.status} {answer.body[:80]!r}"
    return None


@dataclass(frozen=True)
class Scenario:
    """A named request against an app built by each framework, and its correct answer."""

    name: str
    summary: str
    build: Callable[[AppBuilders], WSGIApp]
    request: RequestSpec
    check: Check


def route_request(count: int) -> tuple[RequestSpec, Check]:
    """The lookup of the middle route among ``count`` (``/r25/..`` among 50)."""
    middle = count // 2
    spec = RequestSpec(path=f"/r{middle}/12/items/34")
    return spec, expect_text(200, f"r{middle}:46".encode())


def route_scenario(count: int, name: str | None = None) -> Scenario:
    """Two int params in a route among ``count`` like-shaped routes."""
    spec, check = route_request(count)
    return Scenario(
        name or f"routes-{count}",
        f"{spec} among {count} routes /r{{i}}/{{a:int}}/items/{{b:int}}",
        lambda fw: fw.routes(count),
        spec,
        check,
    )


QUERY = "q=term&page=2&tags=a&tags=b"

SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "hello",
            "GET / -> 'Hello, World!'",
            lambda fw: fw.hello(),
            RequestSpec(),
            expect_text(200, b"Hello, World!"),
        ),
        route_scenario(50, "route-50"),
        route_scenario(1000, "route-1000"),
        Scenario(
            "query",
            f"GET /search?{QUERY}: read q, page (int), tags (list); echo them",
            lambda fw: fw.query(),
            RequestSpec(path="/search", query=QUERY),
            expect_text(200, b"q=term page=2 tags=a,b"),
        ),
        Scenario(
            "json",
            f"POST /echo with a {len(DOCUMENT_BYTES)}-byte JSON document; parse and echo it",
            lambda fw: fw.json_echo(),
            RequestSpec("POST", "/echo", body=DOCUMENT_BYTES, content_type="application/json"),
            expect_json(DOCUMENT),
        ),
        Scenario(
            "404",
            "GET /no/such/page on the app of 50 routes",
            lambda fw: fw.routes(50),
            RequestSpec(path="/no/such/page"),
            expect_not_found,
        ),
    )
}

STARTUP_SIZES = (100, 1000)
SWEEP_SIZES = (10, 50, 100, 500, 1000)
