"""The notes API in the resources style: two resource classes that get the store injected."""

from __future__ import annotations

from typing import Any, cast

import resources_fw as falcon
from resources_fw.media.validators.marshmallow import validate

from .domain import DEFAULT_PAGE, MAX_PAGE, Note, NoteIn, NoteStore, Page, open_store


def _matches(etag: str, tags: list[Any] | None, *, weak: bool) -> bool:
    """Whether a client's If-None-Match (``weak``) or If-Match list names ``etag``."""
    return any(t == "*" or (t == etag and (weak or not t.is_weak)) for t in tags or ())


class NotesResource:
    """``/notes``: the filtered, paginated listing and creation."""

    def __init__(self, store: NoteStore) -> None:
        self.store = store

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        # With a default, these are never None (the getters are typed ``int | None``).
        limit = cast(
            int,
            req.get_param_as_int("limit", min_value=1, max_value=MAX_PAGE, default=DEFAULT_PAGE),
        )
        offset = cast(int, req.get_param_as_int("offset", min_value=0, default=0))
        tag, q = req.get_param("tag"), req.get_param("q")
        page = self.store.page(limit, offset, tag=tag, q=q)
        resp.media = {
            "items": [note.to_dict() for note in page.items],
            "total": page.total,
            "limit": page.limit,
            "offset": page.offset,
            "next": self._next(req, page, tag, q),
        }

    @staticmethod
    def _next(req: falcon.Request, page: Page, tag: str | None, q: str | None) -> str | None:
        if page.next_offset is None:
            return None
        query = {"limit": page.limit, "offset": page.next_offset, "tag": tag, "q": q}
        return f"{req.app}/notes" + falcon.to_query_str(
            {k: v for k, v in query.items() if v is not None}
        )

    @validate(req_schema=NoteIn)
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        note = self.store.create(**req.get_media())
        resp.status = falcon.HTTP_201
        resp.location = f"{req.app}/notes/{note.id}"
        _send(resp, note)


class NoteResource:
    """``/notes/{note_id}``: one note, with ETag, conditional GET and If-Match updates."""

    def __init__(self, store: NoteStore) -> None:
        self.store = store

    def _find(self, note_id: int) -> Note:
        note = self.store.get(note_id)
        if note is None:
            raise falcon.HTTPNotFound(description=f"No note {note_id}.")
        return note

    def _check_precondition(self, req: falcon.Request, note_id: int) -> None:
        if req.if_match and not _matches(self._find(note_id).etag, req.if_match, weak=False):
            raise falcon.HTTPPreconditionFailed(description=f"Note {note_id} has changed.")

    def on_get(self, req: falcon.Request, resp: falcon.Response, note_id: int) -> None:
        note = self._find(note_id)
        if _matches(note.etag, req.if_none_match, weak=True):
            resp.status = falcon.HTTP_NOT_MODIFIED
            resp.etag = note.etag
            return
        _send(resp, note)

    @validate(req_schema=NoteIn)
    def on_put(self, req: falcon.Request, resp: falcon.Response, note_id: int) -> None:
        self._check_precondition(req, note_id)
        _send(resp, self._change(note_id, req.get_media()))

    @validate(req_schema=NoteIn(partial=True))
    def on_patch(self, req: falcon.Request, resp: falcon.Response, note_id: int) -> None:
        self._check_precondition(req, note_id)
        _send(resp, self._change(note_id, req.get_media()))

    def on_delete(self, req: falcon.Request, resp: falcon.Response, note_id: int) -> None:
        if not self.store.delete(note_id):
            raise falcon.HTTPNotFound(description=f"No note {note_id}.")
        resp.status = falcon.HTTP_NO_CONTENT

    def _change(self, note_id: int, changes: dict[str, Any]) -> Note:
        note = self.store.update(note_id, **changes)
        if note is None:
            raise falcon.HTTPNotFound(description=f"No note {note_id}.")
        return note


def _send(resp: falcon.Response, note: Note) -> None:
    resp.etag = note.etag
    resp.media = note.to_dict()


def create_app(database: str = ":memory:", seed: bool = True, **config: Any) -> falcon.App:
    """The notes API on a sqlite ``database`` (``":memory:"`` or a file path); ``seed`` adds
    the demo notes to an empty store."""
    store = open_store(database, seed)
    app = falcon.App()
    app.add_route("/notes", NotesResource(store))
    app.add_route("/notes/{note_id:int(min=1)}", NoteResource(store))
    return app
