"""A notes API on the Falcon-style front-end: resources, hooks, middleware, schemas, errors.

    GET    /notes[?tag=t&limit=n]   list notes (newest first)
    POST   /notes                   create from {"text": ..., "tags": [...]}: 201 + Location
    GET    /notes/{id:int}          one note
    PATCH  /notes/{id:int}          change text and/or tags
    DELETE /notes/{id:int}          delete it: 204

Writes need ``Authorization: Bearer <token>`` (a ``@before`` hook). Every response carries
``X-Request-Id`` (middleware). Bodies are validated with marshmallow: a bad one is a 422
naming the fields. Run it with ``python docs/examples/resources_notes.py``.
"""

from __future__ import annotations

import itertools
import threading
import uuid
from typing import Any

from marshmallow import Schema, fields, validate

import resources_fw as falcon
from resources_fw.media.validators.marshmallow import validate as validate_media

TOKEN = "let-me-in"


class NoteIn(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=10_000))
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=30)), load_default=list)


class NotePatch(NoteIn):
    text = fields.String(validate=validate.Length(min=1, max=10_000))
    tags = fields.List(fields.String(validate=validate.Length(min=1, max=30)))


class NoteOut(Schema):
    id = fields.Integer()
    text = fields.String()
    tags = fields.List(fields.String())


class NoteStore:
    """Notes in memory, safe to share between server threads."""

    def __init__(self) -> None:
        self._notes: dict[int, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def add(self, text: str, tags: list[str]) -> dict[str, Any]:
        with self._lock:
            note = {"id": next(self._ids), "text": text, "tags": tags}
            self._notes[note["id"]] = note
            return note

    def get(self, note_id: int) -> dict[str, Any]:
        note = self._notes.get(note_id)
        if note is None:
            raise falcon.HTTPNotFound(description=f"There is no note {note_id}.")
        return note

    def list(self, tag: str | None, limit: int) -> list[dict[str, Any]]:
        notes = sorted(self._notes.values(), key=lambda n: n["id"], reverse=True)
        return [n for n in notes if tag is None or tag in n["tags"]][:limit]

    def delete(self, note_id: int) -> None:
        with self._lock:
            self._notes.pop(note_id, None)


def require_token(
    req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
) -> None:
    """Writes need the bearer token."""
    if req.auth != f"Bearer {TOKEN}":
        raise falcon.HTTPUnauthorized(
            title="Authentication required",
            description="Send 'Authorization: Bearer <token>'.",
            challenges=["Bearer"],
        )


class RequestId:
    """Middleware: give every request an id, echo it on the response (errors included)."""

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        req.context.request_id = req.get_header("X-Request-Id") or uuid.uuid4().hex

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, req_succeeded: bool
    ) -> None:
        resp.set_header("X-Request-Id", req.context.request_id)


class NotesResource:
    def __init__(self, store: NoteStore) -> None:
        self.store = store

    @validate_media(resp_schema=NoteOut)
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        limit = req.get_param_as_int("limit", min_value=1, max_value=100, default=20)
        resp.media = self.store.list(req.get_param("tag"), limit or 20)

    @falcon.before(require_token)
    @validate_media(req_schema=NoteIn, resp_schema=NoteOut)
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        note = self.store.add(**req.media)
        resp.status = falcon.HTTP_201
        resp.location = f"/notes/{note['id']}"
        resp.media = note


class NoteResource:
    def __init__(self, store: NoteStore) -> None:
        self.store = store

    @validate_media(resp_schema=NoteOut)
    def on_get(self, req: falcon.Request, resp: falcon.Response, note_id: int) -> None:
        resp.media = self.store.get(note_id)

    @falcon.before(require_token)
    @validate_media(req_schema=NotePatch, resp_schema=NoteOut)
    def on_patch(self, req: falcon.Request, resp: falcon.Response, note_id: int) -> None:
        note = self.store.get(note_id)
        note.update(req.media)
        resp.media = note

    @falcon.before(require_token)
    def on_delete(self, req: falcon.Request, resp: falcon.Response, note_id: int) -> None:
        self.store.get(note_id)
        self.store.delete(note_id)
        resp.status = falcon.HTTP_NO_CONTENT


def create_app(store: NoteStore | None = None) -> falcon.App:
    store = store or NoteStore()
    app = falcon.App(middleware=[RequestId()], limits=falcon.Limits(max_content_length=64_000))
    app.add_route("/notes", NotesResource(store))
    app.add_route("/notes/{note_id:int(min=1)}", NoteResource(store))
    return app


app = create_app()

if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    with make_server("127.0.0.1", 8000, app) as server:
        print("Serving on http://127.0.0.1:8000/notes")
        server.serve_forever()
