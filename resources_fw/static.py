"""Serving files from a directory: ``app.add_static_route("/static", "/srv/assets")``.

Paths are joined with werkzeug's ``safe_join`` (no ``..``, no absolute paths, no drive
letters); GET and HEAD only; ``ETag`` / ``Last-Modified`` with 304 answers; single byte
``Range`` requests with 206 or 416.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any

from werkzeug.security import safe_join

from .errors import HTTPMethodNotAllowed, HTTPNotFound, HTTPRangeNotSatisfiable
from .etag import ETag
from .request import Request
from .response import Response

_BLOCK = 64 * 1024


class _FileRange:
    """Bytes ``start`` .. ``start + length`` of an open file, closed at the end."""

    def __init__(self, file: IO[bytes], start: int, length: int) -> None:
        self.file = file
        self.start = start
        self.length = length

    def __iter__(self) -> Iterator[bytes]:
        self.file.seek(self.start)
        left = self.length
        while left > 0:
            chunk = self.file.read(min(_BLOCK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk

    def close(self) -> None:
        self.file.close()


class StaticRoute:
    """Serve files under ``directory`` for paths starting with ``prefix``."""

    def __init__(
        self,
        prefix: str,
        directory: str | os.PathLike[str],
        downloadable: bool = False,
        fallback_filename: str | None = None,
    ) -> None:
        if not prefix.startswith("/"):
            raise ValueError(f"static route prefix {prefix!r} must start with '/'")
        if "//" in prefix:
            raise ValueError(f"static route prefix {prefix!r} must not contain '//'")
        directory = os.path.abspath(os.fspath(directory))
        if not os.path.isdir(directory):
            raise ValueError(f"static route directory {directory!r} is not a directory")
        self._prefix = prefix.rstrip("/") + "/"
        self._directory = directory
        self._downloadable = downloadable
        self._fallback = fallback_filename
        if fallback_filename is not None and not os.path.isfile(
            safe_join(directory, fallback_filename) or ""
        ):
            raise ValueError(
                f"fallback_filename {fallback_filename!r} is not a file in {directory!r}"
            )

    def __repr__(self) -> str:
        return f"<StaticRoute {self._prefix!r} -> {self._directory!r}>"

    @property
    def prefix(self) -> str:
        return self._prefix

    @property
    def directory(self) -> str:
        return self._directory

    def match(self, path: str) -> bool:
        return path.startswith(self._prefix) or path == self._prefix[:-1]

    def __call__(self, req: Request, resp: Response, **kwargs: Any) -> None:
        if req.method not in ("GET", "HEAD"):
            if req.method == "OPTIONS":  # answered like a resource's default responder (CORS)
                resp.set_header("Allow", "GET, HEAD")
                resp.content_length = 0
                return
            raise HTTPMethodNotAllowed(("GET", "HEAD", "OPTIONS"))
        path, file = self._open(req.path[len(self._prefix) :])
        try:
            self._serve(req, resp, path, file)
        except BaseException:
            file.close()
            raise

    def _open(self, relative: str) -> tuple[str, IO[bytes]]:
        candidates = [relative] if relative else []
        if self._fallback is not None:
            candidates.append(self._fallback)
        for name in candidates:
            if "\x00" in name or "\\" in name:
                continue
            full = safe_join(self._directory, name)
            if full is None or not os.path.isfile(full):
                continue
            try:
                return full, open(full, "rb")
            except OSError:
                continue
        raise HTTPNotFound()

    def _serve(self, req: Request, resp: Response, path: str, file: IO[bytes]) -> None:
        st = os.fstat(file.fileno())
        size = st.st_size
        modified = datetime.fromtimestamp(int(st.st_mtime), UTC)
        etag = ETag(f"{st.st_mtime_ns:x}-{size:x}")
        resp.etag = etag
        resp.last_modified = modified
        resp.accept_ranges = "bytes"
        ext = os.path.splitext(path)[1].lower()
        resp.content_type = req_type = resp.options.static_media_types.get(
            ext, "application/octet-stream"
        )
        if req_type.startswith("text/") and "charset" not in req_type:
            resp.content_type = f"{req_type}; charset=utf-8"
        if self._downloadable:
            resp.downloadable_as = os.path.basename(path)
        if _not_modified(req, etag, modified):
            file.close()
            resp.status = 304
            # RFC 9110 15.4.5: with an ETag, a 304 should not repeat representation metadata.
            resp.last_modified = None
            return
        span = req.range if req.range_unit in (None, "bytes") else None
        if span is None:
            resp.set_stream(file, size)
            return
        start, end = _resolve_range(span, size)
        resp.status = 206
        resp.content_range = (start, end, size)
        resp.set_stream(_FileRange(file, start, end - start + 1), end - start + 1)


def _not_modified(req: Request, etag: ETag, modified: datetime) -> bool:
    tags = req.if_none_match
    if tags is not None:
        return "*" in tags or any(str(t) == str(etag) for t in tags)
    since = req.if_modified_since
    return since is not None and modified <= since


def _resolve_range(span: tuple[int, int], size: int) -> tuple[int, int]:
    first, last = span
    if first < 0:
        start, end = max(size + first, 0), size - 1
    else:
        start, end = first, (size - 1 if last < 0 else min(last, size - 1))
    if size == 0 or start >= size or start > end:
        raise HTTPRangeNotSatisfiable(size)
    return start, end
