"""``JSONHandler``: JSON bodies via the core's codec (pluggable ``dumps``/``loads``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, Any

from ..core.media import JSONCodec, make_dumps, strict_loads
from ..errors import MediaMalformedError, MediaNotFoundError
from .base import BaseHandler


class JSONHandler(BaseHandler):
    """Read and write JSON; pass ``dumps=`` / ``loads=`` to use another library."""

    def __init__(
        self,
        dumps: Callable[..., str | bytes] | None = None,
        loads: Callable[..., Any] | None = None,
    ) -> None:
        self._dumps = dumps or _dumps
        # Without a loads of yours, the core's strict decoder: UTF-8 only, no NaN/Infinity,
        # no lone surrogates.
        self._codec = JSONCodec(loads, self._dumps) if loads else JSONCodec(dumps=self._dumps)
        # The default pair is called directly: the codec's adapters cost a call each.
        self._default = dumps is None and loads is None

    def serialize(self, media: Any, content_type: str) -> bytes:
        if self._default:
            return _dumps(media).encode()
        return self._codec.encode(media)

    def deserialize(
        self, stream: IO[bytes], content_type: str | None, content_length: int | None
    ) -> Any:
        return self.loads(stream.read())

    def loads(self, data: bytes | str) -> Any:
        """Decode ``data``; empty -> :class:`MediaNotFoundError`, bad -> 400 naming JSON."""
        # Only a body that starts with white space can be all white space (no copy else).
        if not data or (data[:1].isspace() and not data.strip()):
            raise MediaNotFoundError("JSON")
        try:
            return strict_loads(data) if self._default else self._codec.loads(data)
        except (ValueError, RecursionError) as exc:
            # The parser's message is for the developer: shown in debug mode only.
            raise MediaMalformedError(
                "JSON", description="Could not parse JSON body.", debug_detail=str(exc)
            ) from exc


# Falcon's output format (json.dumps with ensure_ascii=False), from one encoder built once.
_dumps = make_dumps()
