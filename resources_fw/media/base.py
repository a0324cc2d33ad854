"""The media handler interface: turn a body stream into Python objects and back."""

from __future__ import annotations

from typing import IO, Any


class BaseHandler:
    """Subclass and implement :meth:`serialize` and/or :meth:`deserialize`; register the
    instance under a media type in ``app.req_options.media_handlers`` (request bodies) or
    ``app.resp_options.media_handlers`` (``resp.media``)."""

    #: Whether an empty body is an error (JSON) or simply empty media (forms).
    exhaust_stream = False

    def serialize(self, media: Any, content_type: str) -> bytes:
        raise NotImplementedError(f"{type(self).__name__} cannot serialize media")

    def deserialize(
        self, stream: IO[bytes], content_type: str | None, content_length: int | None
    ) -> Any:
        raise NotImplementedError(f"{type(self).__name__} cannot deserialize media")
