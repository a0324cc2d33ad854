"""A small JSON notes API on the core alone (no front-end), kept in memory.

    GET    /notes[?tag=t]        list the notes (optionally those with tag ``t``)
    POST   /notes                create one from {"text": ..., "tags": [...]}: 201 + Location
    GET    /notes/<id>           one note
    PUT    /notes/<id>           replace it
    DELETE /notes/<id>           delete it: 204

Everything else the core answers by itself: 404, 405 with ``Allow``, HEAD, OPTIONS, 400 for
malformed JSON, 415 for another content type, 413 past the body limit; errors are JSON (or
HTML for a browser). Run it with ``python docs/examples/core_notes.py``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from resources_fw.core import (
    Kernel,
    Limits,
    NotFound,
    Request,
    Response,
    Router,
    UnprocessableContent,
)

MAX_TEXT = 10_000
FIELDS = frozenset({"text", "tags"})


class JSONResponse(Response):
    """A response whose body is ``payload`` as JSON."""

    default_mimetype = "application/json"

    def __init__(
        self, payload: Any, status: int = 200, headers: Iterable[tuple[str, str]] | None = None
    ) -> None:
        super().__init__(json.dumps(payload), status, headers)


@dataclass
class Note:
    id: int
    text: str
    tags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "text": self.text, "tags": list(self.tags)}


class NoteStore:
    """Notes by id; a lock because a WSGI server may call the app from several threads."""

    def __init__(self) -> None:
        self._notes: dict[int, Note] = {}
        self._next_id = 1
        self._lock = threading.Lock()

    def add(self, text: str, tags: list[str]) -> Note:
        with self._lock:
            note = Note(self._next_id, text, tags)
            self._notes[note.id] = note
            self._next_id += 1
            return note

    def get(self, note_id: int) -> Note:
        with self._lock:
            note = self._notes.get(note_id)
        if note is None:
            raise NotFound(description=f"There is no note with id {note_id}.")
        return note

    def replace(self, note_id: int, text: str, tags: list[str]) -> Note:
        with self._lock:
            if note_id not in self._notes:
                raise NotFound(description=f"There is no note with id {note_id}.")
            note = self._notes[note_id] = Note(note_id, text, tags)
            return note

    def delete(self, note_id: int) -> None:
        with self._lock:
            if self._notes.pop(note_id, None) is None:
                raise NotFound(description=f"There is no note with id {note_id}.")

    def all(self) -> list[Note]:
        with self._lock:
            return list(self._notes.values())


def read_note(request: Request) -> tuple[str, list[str]]:
    """The text and tags of the note in the request's JSON body, or a 422 saying what is wrong.

    Malformed JSON (400) and a non-JSON content type (415) are refused by the core itself.
    """
    data = request.get_json()
    if not isinstance(data, dict):
        raise UnprocessableContent(description="The body must be a JSON object.")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise UnprocessableContent(
            description=f"Unknown field(s) {', '.join(unknown)}; a note has text and tags."
        )
    text = data.get("text")
    if not isinstance(text, str) or not text.strip():
        raise UnprocessableContent(description="Field 'text' must be a non-empty string.")
    if len(text) > MAX_TEXT:
        raise UnprocessableContent(
            description=f"Field 'text' is longer than {MAX_TEXT} characters."
        )
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) and t for t in tags):
        raise UnprocessableContent(description="Field 'tags' must be a list of non-empty strings.")
    return text, tags


class NotesAPI:
    """The handlers; the router calls them as ``handler(request, **path_values)``."""

    def __init__(self, store: NoteStore, router: Router) -> None:
        self.store = store
        self.router = router

    def list_notes(self, request: Request) -> Response:
        notes = self.store.all()
        tag = request.args.get("tag")
        if tag is not None:
            notes = [n for n in notes if tag in n.tags]
        return JSONResponse([n.to_dict() for n in notes])

    def create(self, request: Request) -> Response:
        note = self.store.add(*read_note(request))
        # Built, not hand-written: the URL follows the route if its template changes.
        location = self.router.build("note", {"note_id": note.id}, script_name=request.root_path)
        return JSONResponse(note.to_dict(), 201, [("Location", location)])

    def show(self, request: Request, note_id: int) -> Response:
        return JSONResponse(self.store.get(note_id).to_dict())

    def replace(self, request: Request, note_id: int) -> Response:
        return JSONResponse(self.store.replace(note_id, *read_note(request)).to_dict())

    def delete(self, request: Request, note_id: int) -> Response:
        self.store.delete(note_id)
        return Response(status=204)


def create_app(limits: Limits | None = None) -> Kernel:
    """A fresh notes application with an empty store (bodies up to 64 KiB by default)."""
    router = Router()
    api = NotesAPI(NoteStore(), router)
    router.add("/notes", api.list_notes, name="notes")
    router.add("/notes", api.create, methods=["POST"])
    one = "/notes/<int(min=1):note_id>"
    router.add(one, api.show, name="note")
    router.add(one, api.replace, methods=["PUT"])
    router.add(one, api.delete, methods=["DELETE"])
    return Kernel(router, limits=limits or Limits(max_content_length=64 * 1024))


app = create_app()


if __name__ == "__main__":
    from wsgiref.simple_server import make_server

    with make_server("127.0.0.1", 8000, app) as server:
        print("Notes API on http://127.0.0.1:8000/notes (Ctrl-C to stop)")
        server.serve_forever()
