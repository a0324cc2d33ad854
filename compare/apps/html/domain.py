"""The guestbook behind the HTML app, shared by both implementations.

Users, password checks, the (bounded, in-memory) guestbook and CSRF token helpers. The
templates in ``templates/`` are shared too: each front-end renders them with the same
variables (``user``, ``messages``, ``csrf_token`` and the page's own).
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

TEMPLATES = Path(__file__).resolve().parent / "templates"

#: Session keys both implementations use.
USER_KEY = "user"
CSRF_KEY = "csrf"

MAX_ENTRIES = 20
MAX_TEXT = 500

# A cheap hash: this is a demo account, and the benchmark logs in many times.
_USERS = {"ann": generate_password_hash("wonderland", method="pbkdf2:sha256:1000")}


class InvalidEntry(ValueError):
    """A guestbook entry that cannot be posted; the message is for the user."""


@dataclass(frozen=True)
class Entry:
    """One guestbook entry."""

    author: str
    text: str


class Guestbook:
    """The latest ``MAX_ENTRIES`` entries, newest first."""

    def __init__(self) -> None:
        self._entries: deque[Entry] = deque(maxlen=MAX_ENTRIES)
        self._lock = threading.Lock()

    def add(self, author: str, text: str) -> Entry:
        """Post an entry; ``InvalidEntry`` when the text is blank or too long."""
        text = text.strip()
        if not text:
            raise InvalidEntry("Write something first.")
        if len(text) > MAX_TEXT:
            raise InvalidEntry(f"Keep it under {MAX_TEXT} characters.")
        entry = Entry(author, text)
        with self._lock:
            self._entries.appendleft(entry)
        return entry

    def latest(self) -> list[Entry]:
        """The entries, newest first."""
        with self._lock:
            return list(self._entries)


def new_guestbook() -> Guestbook:
    """A guestbook with its first entry."""
    book = Guestbook()
    book.add("admin", "Welcome! Sign in to write here.")
    return book


def authenticate(username: str, password: str) -> bool:
    """Whether the credentials are right."""
    stored = _USERS.get(username)
    return stored is not None and check_password_hash(stored, password)


def new_csrf_token() -> str:
    """A fresh CSRF token to keep in the session and put in forms."""
    return secrets.token_urlsafe(24)


def csrf_valid(expected: object, given: object) -> bool:
    """Whether a form's token matches the session's (constant time)."""
    if not isinstance(expected, str) or not isinstance(given, str) or not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())
