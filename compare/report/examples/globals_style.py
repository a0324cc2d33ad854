"""Unit-testing one view in the globals_fw style: push a request context, call the view.

The view reads ``request`` from a context-local, so the test needs the application object
and a request context pushed around the call; the view's return value is what it checks.
"""

from __future__ import annotations

import globals_fw
from globals_fw import request

#: What the test has to set up before it can call the handler.
SETUP = (
    "the application object the view is registered on (globals_fw.App)",
    "a request context for the made-up request, pushed with 'with app.test_request_context(...)'",
    "the call to the view inside that block (outside it, 'request' raises RuntimeError)",
)

app = globals_fw.App(__name__)


@app.get("/greet")
def greet() -> dict[str, str]:
    """``GET /greet?name=Ada`` answers ``{"greeting": "Hello, Ada!"}``."""
    name = request.args.get("name", "world")
    return {"greeting": f"Hello, {name}!"}


def test_greet_reads_the_name_from_the_query() -> None:
    with app.test_request_context("/greet", query_string="name=Ada"):
        assert greet() == {"greeting": "Hello, Ada!"}
