"""The notes app's storage and schemas, shared by both implementations.

``NoteStore`` keeps notes in sqlite (stdlib): ``":memory:"`` by default, or a file path. One
connection per store, guarded by a lock, so a store can serve a threaded server.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from dataclasses import asdict, dataclass
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate

MAX_PAGE = 100
DEFAULT_PAGE = 20

_SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    tag TEXT
)
"""


class NoteIn(Schema):
    """A note as clients send it (POST and PUT; PATCH loads it with ``partial=True``)."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=200))
    body = fields.String(load_default="", validate=validate.Length(max=10_000))
    tag = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^[a-z0-9-]{1,30}$", error="Use 1-30 of a-z, 0-9 and '-'."),
    )


class PageQuery(Schema):
    """The query of ``GET /notes``: paging and filters (other parameters are ignored)."""

    class Meta:
        unknown = EXCLUDE

    limit = fields.Integer(load_default=DEFAULT_PAGE, validate=validate.Range(min=1, max=MAX_PAGE))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
    tag = fields.String(load_default=None)
    q = fields.String(load_default=None)


@dataclass(frozen=True)
class Note:
    """A stored note."""

    id: int
    title: str
    body: str
    tag: str | None

    @property
    def etag(self) -> str:
        """A strong validator of the note's content (unquoted)."""
        content = f"{self.id}\0{self.title}\0{self.body}\0{self.tag}".encode()
        return hashlib.sha256(content).hexdigest()[:20]

    def to_dict(self) -> dict[str, Any]:
        """The note as a JSON object."""
        return asdict(self)


@dataclass(frozen=True)
class Page:
    """One page of a filtered listing."""

    items: list[Note]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        """The offset of the next page, or ``None`` on the last one."""
        following = self.offset + self.limit
        return following if following < self.total else None


class NoteStore:
    """Notes in sqlite; every method is safe to call from several threads."""

    def __init__(self, database: str = ":memory:") -> None:
        self._db = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._lock = threading.Lock()
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    def create(self, title: str, body: str = "", tag: str | None = None) -> Note:
        """Store a new note."""
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO notes (title, body, tag) VALUES (?, ?, ?)", (title, body, tag)
            )
            note_id = cursor.lastrowid
        if note_id is None:  # sqlite always sets it after an INSERT
            raise RuntimeError("sqlite returned no row id for the new note")
        return Note(note_id, title, body, tag)

    def get(self, note_id: int) -> Note | None:
        """The note, or ``None``."""
        with self._lock:
            row = self._db.execute("SELECT * FROM notes WHERE id = ?", (note_id,)).fetchone()
        return _note(row) if row is not None else None

    def page(
        self,
        limit: int = DEFAULT_PAGE,
        offset: int = 0,
        tag: str | None = None,
        q: str | None = None,
    ) -> Page:
        """Notes by id, filtered by exact ``tag`` and by ``q`` in the title or body."""
        where, args = _filters(tag, q)
        with self._lock:
            total = self._db.execute(f"SELECT count(*) FROM notes{where}", args).fetchone()[0]
            rows = self._db.execute(
                f"SELECT * FROM notes{where} ORDER BY id LIMIT ? OFFSET ?", (*args, limit, offset)
            ).fetchall()
        return Page([_note(row) for row in rows], total, limit, offset)

    def update(self, note_id: int, **changes: Any) -> Note | None:
        """Change some fields of a note; ``None`` when there is no such note."""
        current = self.get(note_id)
        if current is None:
            return None
        merged = {**current.to_dict(), **changes}
        with self._lock:
            self._db.execute(
                "UPDATE notes SET title = ?, body = ?, tag = ? WHERE id = ?",
                (merged["title"], merged["body"], merged["tag"], note_id),
            )
        return Note(note_id, merged["title"], merged["body"], merged["tag"])

    def delete(self, note_id: int) -> bool:
        """Delete a note; whether there was one."""
        with self._lock:
            cursor = self._db.execute("DELETE FROM notes WHERE id = ?", (note_id,))
        return cursor.rowcount > 0


def _note(row: sqlite3.Row) -> Note:
    return Note(row["id"], row["title"], row["body"], row["tag"])


def _filters(tag: str | None, q: str | None) -> tuple[str, tuple[str, ...]]:
    clauses: list[str] = []
    args: list[str] = []
    if tag:
        clauses.append("tag = ?")
        args.append(tag)
    if q:
        # LIKE wildcards in the search text are literal characters.
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(title LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')")
        args += [pattern, pattern]
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(args)


DEMO_NOTES = (
    ("Buy milk", "Semi-skimmed, two litres.", "shopping"),
    ("Call Ada", "About the analytical engine.", "people"),
    ("Read werkzeug routing", "Converters and rules.", "study"),
    ("Buy stamps", "", "shopping"),
    ("Fix the bike", "Front brake squeaks; 50% worn.", None),
)


def open_store(database: str = ":memory:", seed: bool = True) -> NoteStore:
    """A store, with the demo notes when ``seed`` and the store is empty."""
    store = NoteStore(database)
    if seed and store.page(limit=1).total == 0:
        for title, body, tag in DEMO_NOTES:
            store.create(title, body, tag)
    return store
