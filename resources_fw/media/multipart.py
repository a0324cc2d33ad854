"""``multipart/form-data``: body parts in order, each with its headers and a stream.

The wire format is parsed by werkzeug's sans-IO ``MultipartDecoder``; this module only keeps
the parts in body order (Falcon's shape) instead of splitting them into form and files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from tempfile import SpooledTemporaryFile
from typing import IO, TYPE_CHECKING, Any

from werkzeug.datastructures import Headers
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import parse_options_header
from werkzeug.sansio.multipart import (
    Data,
    Epilogue,
    Field,
    File,
    MultipartDecoder,
    NeedData,
    Preamble,
)

from ..constants import MEDIA_JSON, MEDIA_URLENCODED
from ..errors import HTTPContentTooLarge, MediaMalformedError, MultipartParseError
from ..util import secure_filename
from .base import BaseHandler

if TYPE_CHECKING:
    from .handlers import Handlers

_CHUNK = 64 * 1024
# Part headers (and a preamble) beyond this are refused, as Falcon does.
_MAX_HEADER_BLOCK = 8192


def _part_handlers() -> Handlers:
    """JSON and urlencoded parts, as in Falcon; add "multipart/mixed" for nested forms."""
    from .handlers import Handlers
    from .json import JSONHandler
    from .urlencoded import URLEncodedFormHandler

    return Handlers({MEDIA_JSON: JSONHandler(), MEDIA_URLENCODED: URLEncodedFormHandler()})


@dataclass
class MultipartParseOptions:
    """Limits and decoding options for multipart bodies.

    ``max_body_part_count`` bounds the number of parts (0: no bound);
    ``max_body_part_buffer_size`` bounds each part without a filename (kept in memory);
    parts with a filename larger than ``spool_threshold`` bytes spill to a temporary file.
    ``max_secure_filename_length`` caps :attr:`BodyPart.secure_filename` (0: no cap; the
    default 255 is what most file systems accept). ``media_handlers`` decode a part's
    :attr:`BodyPart.media`.
    """

    max_body_part_count: int = 64
    max_body_part_buffer_size: int = 1024 * 1024
    spool_threshold: int = 500 * 1024
    max_secure_filename_length: int = 255
    default_charset: str = "utf-8"
    media_handlers: Handlers | None = field(default=None)

    def __post_init__(self) -> None:
        if self.media_handlers is None:
            self.media_handlers = _part_handlers()


class BodyPart:
    """One part of a multipart form: ``name``, ``filename``, ``content_type``, ``headers``
    and its content as ``stream`` / ``data`` / ``text`` / ``media``."""

    def __init__(
        self,
        name: str,
        filename: str | None,
        headers: Headers,
        stream: IO[bytes],
        options: MultipartParseOptions,
    ) -> None:
        self.name = name
        self.filename = filename
        self.headers = headers
        self.stream = stream
        self._options = options
        self._data: bytes | None = None
        self._media: Any = _UNSET

    def __repr__(self) -> str:
        return f"<BodyPart {self.name!r} filename={self.filename!r}>"

    @property
    def content_type(self) -> str:
        """The part's Content-Type (``text/plain`` when the part does not say)."""
        return self.headers.get("Content-Type") or "text/plain"

    @property
    def secure_filename(self) -> str:
        """``filename`` made safe for the local file system (werkzeug's rules), shortened
        to ``max_secure_filename_length`` characters (the extension is kept).

        Raises :class:`MediaMalformedError` when the part has no usable file name.
        """
        try:
            return secure_filename(self.filename or "", self._options.max_secure_filename_length)
        except ValueError:
            raise MediaMalformedError(
                "multipart/form-data",
                description=f"The file name of part {self.name!r} is missing or unusable.",
            ) from None

    def get_data(self) -> bytes:
        if self._data is None:
            self.stream.seek(0)
            self._data = self.stream.read()
        return self._data

    data = property(get_data, doc="The part's content as bytes.")

    def get_text(self) -> str | None:
        """The content decoded by the part's charset; ``None`` for non-text parts."""
        mimetype, opts = parse_options_header(self.content_type)
        if not mimetype.startswith("text/"):
            return None
        charset = opts.get("charset", self._options.default_charset)
        try:
            return self.get_data().decode(charset)
        except (LookupError, UnicodeDecodeError) as exc:
            raise MediaMalformedError(
                "multipart/form-data",
                description=f"Part {self.name!r} is not valid {charset} text.",
            ) from exc

    text = property(get_text, doc="The content as text (text/* parts only).")

    def get_media(self) -> Any:
        """The content decoded by its content type with the form's media handlers."""
        if self._media is _UNSET:
            handlers = self._options.media_handlers
            if handlers is None:  # set to None after construction
                handlers = _part_handlers()
            handler, _ = handlers.resolve(self.content_type)
            self.stream.seek(0)
            self._media = handler.deserialize(self.stream, self.content_type, None)
        return self._media

    media = property(get_media, doc="The content decoded by its media type.")


_UNSET: Any = object()


class MultipartForm:
    """The parts of a form in body order; iterate it, or use :meth:`get` / :meth:`as_dict`."""

    def __init__(self, parts: list[BodyPart]) -> None:
        self.parts = parts

    def __iter__(self) -> Iterator[BodyPart]:
        return iter(self.parts)

    def __len__(self) -> int:
        return len(self.parts)

    def close(self) -> None:
        """Release the parts' buffers and temporary files (the app does this after the
        response is sent)."""
        for part in self.parts:
            part.stream.close()
            # A part decoded into a nested form (multipart/mixed) owns that form's files.
            close = getattr(part._media, "close", None)
            if close is not None:
                close()

    def get(self, name: str) -> BodyPart | None:
        """The first part named ``name``."""
        return next((p for p in self.parts if p.name == name), None)

    def as_dict(self) -> dict[str, Any]:
        """``{name: text or part}``: text fields as strings, files as :class:`BodyPart`."""
        out: dict[str, Any] = {}
        for part in self.parts:
            out.setdefault(part.name, part if part.filename is not None else part.text)
        return out


class MultipartFormHandler(BaseHandler):
    """Decode ``multipart/form-data`` into a :class:`MultipartForm` (limits in
    ``parse_options``)."""

    def __init__(self, parse_options: MultipartParseOptions | None = None) -> None:
        self.parse_options = parse_options or MultipartParseOptions()

    def deserialize(
        self, stream: IO[bytes], content_type: str | None, content_length: int | None
    ) -> Any:
        _, opts = parse_options_header(content_type or "")
        boundary = opts.get("boundary", "")
        if not boundary:
            raise MultipartParseError(description="The multipart body has no boundary.")
        try:
            parts = self._parse(stream, boundary.encode("latin-1"))
        except RequestEntityTooLarge:
            options = self.parse_options
            raise HTTPContentTooLarge(
                description="The multipart body has more than "
                f"{options.max_body_part_count} parts or a field larger than "
                f"{options.max_body_part_buffer_size} bytes."
            ) from None
        except (ValueError, UnicodeError) as exc:
            raise MultipartParseError(description=f"Malformed multipart body: {exc}") from exc
        return MultipartForm(parts)

    def _parse(self, stream: IO[bytes], boundary: bytes) -> list[BodyPart]:
        options = self.parse_options
        # Per-part size limits are applied in _Building (only to parts without a filename).
        # The decoder's buffer holds part headers and any preamble until their end is seen:
        # bound it, or one endless header line would be read into memory whole.
        decoder = MultipartDecoder(
            boundary, _CHUNK + _MAX_HEADER_BLOCK, max_parts=options.max_body_part_count or None
        )
        parts: list[BodyPart] = []
        building: list[_Building] = []
        try:
            return self._feed(stream, decoder, parts, building)
        except BaseException:
            for item in building:
                item.file.close()
            raise

    def _feed(
        self,
        stream: IO[bytes],
        decoder: MultipartDecoder,
        parts: list[BodyPart],
        building: list[_Building],
    ) -> list[BodyPart]:
        current: _Building | None = None
        while True:
            chunk = stream.read(_CHUNK)
            decoder.receive_data(chunk or None)
            event = decoder.next_event()
            while not isinstance(event, NeedData | Epilogue):
                current = self._step(event, current, parts)
                if current is not None and (not building or building[-1] is not current):
                    building.append(current)
                event = decoder.next_event()
            if isinstance(event, Epilogue):
                return parts
            if not chunk:
                raise ValueError("the body ended before the closing boundary")

    def _step(
        self, event: Any, current: _Building | None, parts: list[BodyPart]
    ) -> _Building | None:
        options = self.parse_options
        if isinstance(event, Preamble):
            return current
        if isinstance(event, Field | File):
            filename = event.filename if isinstance(event, File) else None
            limit = None if filename is not None else options.max_body_part_buffer_size
            return _Building(event.name, filename, event.headers, options, limit)
        if current is None or not isinstance(event, Data):
            raise ValueError("unexpected multipart event")
        current.write(event.data)
        if not event.more_data:
            parts.append(current.finish())
        return current


class _Building:
    def __init__(
        self,
        name: str,
        filename: str | None,
        headers: Headers,
        options: MultipartParseOptions,
        limit: int | None,
    ) -> None:
        self.name = name
        self.filename = filename
        self.headers = headers
        self.options = options
        self.limit = limit
        self.size = 0
        self.file: IO[bytes] = SpooledTemporaryFile(  # noqa: SIM115 - handed to the BodyPart
            max_size=options.spool_threshold, mode="w+b"
        )

    def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.limit is not None and self.size > self.limit:
            raise RequestEntityTooLarge()
        self.file.write(data)

    def finish(self) -> BodyPart:
        self.file.seek(0)
        return BodyPart(self.name, self.filename, self.headers, self.file, self.options)
