"""The notes API in the globals style: a blueprint of views reaching the store through
``current_app``, created by an application factory."""

from __future__ import annotations

from typing import Any, cast

from marshmallow import ValidationError

from globals_fw import App, Blueprint, abort, current_app, request, url_for, validate
from globals_fw.wrappers import Response

from .domain import Note, NoteIn, NoteStore, PageQuery, open_store

# Built once: a marshmallow schema is costly to construct, cheap to reuse.
PAGE_QUERY = PageQuery()

notes = Blueprint("notes", __name__)

ViewResult = dict[str, Any] | tuple[Any, ...] | Response


def store() -> NoteStore:
    """The app's note store."""
    return cast(NoteStore, current_app.extensions["notes"])


def find(note_id: int) -> Note:
    """The note, or a 404."""
    note = store().get(note_id)
    if note is None:
        abort(404, description=f"No note {note_id}.")
    return note


def check_precondition(note_id: int) -> None:
    """412 when the client's If-Match does not name the current version."""
    if request.if_match and not request.if_match.contains(find(note_id).etag):
        abort(412, description=f"Note {note_id} has changed.")


def sent(note: Note, status: int = 200, **headers: str) -> tuple[Any, ...]:
    """A note as a JSON response with its ETag."""
    return note.to_dict(), status, {"ETag": f'"{note.etag}"', **headers}


@notes.get("/notes")
def list_notes() -> ViewResult:
    try:
        query = PAGE_QUERY.load(request.args)
    except ValidationError as exc:
        field, messages = next(iter(cast(dict[str, list[str]], exc.messages).items()))
        abort(400, description=f'The "{field}" parameter is invalid. {" ".join(messages)}')
    page = store().page(**query)
    following = None
    if page.next_offset is not None:
        filters = {k: v for k, v in query.items() if k in ("tag", "q") and v is not None}
        following = url_for(".list_notes", limit=page.limit, offset=page.next_offset, **filters)
    return {
        "items": [note.to_dict() for note in page.items],
        "total": page.total,
        "limit": page.limit,
        "offset": page.offset,
        "next": following,
    }


@notes.post("/notes")
@validate(req_schema=NoteIn)
def create_note() -> ViewResult:
    note = store().create(**request.media)
    return sent(note, 201, Location=url_for(".get_note", note_id=note.id))


@notes.get("/notes/<int(min=1):note_id>")
def get_note(note_id: int) -> ViewResult:
    note = find(note_id)
    if request.if_none_match.contains_weak(note.etag):
        return "", 304, {"ETag": f'"{note.etag}"'}
    return sent(note)


@notes.put("/notes/<int(min=1):note_id>")
@validate(req_schema=NoteIn)
def replace_note(note_id: int) -> ViewResult:
    return change(note_id)


@notes.patch("/notes/<int(min=1):note_id>")
@validate(req_schema=NoteIn(partial=True))
def patch_note(note_id: int) -> ViewResult:
    return change(note_id)


def change(note_id: int) -> ViewResult:
    """Apply the validated body to a note (PUT and PATCH)."""
    check_precondition(note_id)
    note = store().update(note_id, **request.media)
    if note is None:
        abort(404, description=f"No note {note_id}.")
    return sent(note)


@notes.delete("/notes/<int(min=1):note_id>")
def delete_note(note_id: int) -> ViewResult:
    if not store().delete(note_id):
        abort(404, description=f"No note {note_id}.")
    return "", 204


def create_app(database: str = ":memory:", seed: bool = True, **config: Any) -> App:
    """The notes API on a sqlite ``database`` (``":memory:"`` or a file path); ``seed`` adds
    the demo notes to an empty store; ``config`` goes to ``app.config``."""
    app = App(__name__)
    app.config.from_mapping(config)
    app.extensions["notes"] = open_store(database, seed)
    app.register_blueprint(notes)
    return app
