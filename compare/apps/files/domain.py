"""The file store behind the files app, shared by both implementations.

Uploaded files live flat in one directory under sanitised names; the static files of the app
are in ``STATIC``.
"""

from __future__ import annotations

import mimetypes
import os
import tempfile
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from werkzeug.security import safe_join
from werkzeug.utils import secure_filename

STATIC = Path(__file__).resolve().parent / "static"

#: The default upload limit, in bytes; bigger requests are answered 413.
MAX_UPLOAD = 64 * 1024
CHUNK = 16 * 1024

WELCOME = ("welcome.txt", b"Welcome to the file store.\n")


class InvalidFilename(ValueError):
    """An uploaded file's name is empty once made safe."""


@dataclass(frozen=True)
class StoredFile:
    """A file in the store."""

    name: str
    size: int
    path: Path

    @property
    def media_type(self) -> str:
        """The Content-Type to send it with."""
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"


class FileStore:
    """Files in ``directory`` (created if needed)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    def save(self, filename: str, stream: IO[bytes]) -> StoredFile:
        """Copy ``stream`` under a safe version of ``filename`` (replacing a file of that
        name). ``InvalidFilename`` when nothing usable is left of the name."""
        name = secure_filename(filename)
        if not name:
            raise InvalidFilename(f"The file name {filename!r} is not usable.")
        path = self.directory / name
        with path.open("wb") as out:
            while chunk := stream.read(CHUNK):
                out.write(chunk)
        return StoredFile(name, path.stat().st_size, path)

    def find(self, name: str) -> StoredFile | None:
        """The stored file, or ``None`` (also for names that would leave the directory)."""
        joined = safe_join(str(self.directory), name)
        if joined is None or not os.path.isfile(joined):
            return None
        path = Path(joined)
        return StoredFile(path.name, path.stat().st_size, path)

    def all(self) -> list[StoredFile]:
        """Every stored file, by name."""
        return [
            StoredFile(p.name, p.stat().st_size, p)
            for p in sorted(self.directory.iterdir())
            if p.is_file()
        ]

    def report(self) -> Iterator[str]:
        """A CSV listing, produced one line at a time (for a streamed response)."""
        yield "name,size\r\n"
        for stored in self.all():
            yield f"{stored.name},{stored.size}\r\n"


def open_store(upload_dir: str | os.PathLike[str] | None = None) -> FileStore:
    """A store in ``upload_dir`` (by default a temporary directory, removed with the store),
    with a welcome file."""
    if upload_dir is None:
        temporary = tempfile.TemporaryDirectory(prefix="compare-files-")
        store = FileStore(temporary.name)
        weakref.finalize(store, temporary.cleanup)
    else:
        store = FileStore(upload_dir)
    name, content = WELCOME
    if store.find(name) is None:
        (store.directory / name).write_bytes(content)
    return store
