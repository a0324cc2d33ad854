"""Unit-testing one responder in the resources_fw style: build ``req`` and ``resp``, call it.

The responder receives everything as parameters, so the test builds them and calls the
method directly: no app, no routing, no context to push.
"""

from __future__ import annotations

import resources_fw
from resources_fw.testing import create_environ

#: What the test has to set up before it can call the handler.
SETUP = (
    "a WSGI environ for the request (resources_fw.testing.create_environ)",
    "a resources_fw.Request built from that environ",
    "an empty resources_fw.Response",
    "an instance of the resource, whose responder is called with both",
)


class Greeting:
    """``GET /greet?name=Ada`` answers ``{"greeting": "Hello, Ada!"}``."""

    def on_get(self, req: resources_fw.Request, resp: resources_fw.Response) -> None:
        name = req.get_param("name", default="world")
        resp.media = {"greeting": f"Hello, {name}!"}


def test_greeting_reads_the_name_from_the_query() -> None:
    req = resources_fw.Request(create_environ("/greet", query_string="name=Ada"))
    resp = resources_fw.Response()
    Greeting().on_get(req, resp)
    assert resp.media == {"greeting": "Hello, Ada!"}
