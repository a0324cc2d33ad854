"""One handler unit-tested in each style, without going through HTTP: what each must set up.

The notes app's conditional GET. The resources style builds a request and a response and
calls the responder with its store; the globals style pushes a request context around the
view function and reads what it returned.
"""

from __future__ import annotations

import resources_fw as falcon
from compare.apps.notes import globals_app, resources_app
from compare.apps.notes.domain import open_store
from resources_fw import testing


def test_resource_responder() -> None:
    resource = resources_app.NoteResource(open_store())
    req = falcon.Request(testing.create_environ("/notes/1", headers={"If-None-Match": "*"}))
    resp = falcon.Response()
    resource.on_get(req, resp, note_id=1)
    assert resp.status_code == 304
    assert resp.etag


def test_globals_view() -> None:
    app = globals_app.create_app()
    with app.test_request_context("/notes/1", headers={"If-None-Match": "*"}):
        body, status, headers = globals_app.get_note(1)
    assert (body, status) == ("", 304)
    assert headers["ETag"]
