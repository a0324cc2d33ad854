"""``Handlers``: the media handler registry, a dict from media type to handler."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.http import parse_options_header

from ..constants import MEDIA_JSON, MEDIA_MULTIPART, MEDIA_URLENCODED
from ..core.limits import Limits
from ..errors import HTTPUnsupportedMediaType
from .base import BaseHandler
from .json import JSONHandler
from .multipart import MultipartFormHandler, MultipartParseOptions
from .urlencoded import URLEncodedFormHandler

_UNBOUNDED = 2**63


def _is_json(mimetype: str) -> bool:
    return mimetype.startswith("application/") and mimetype.endswith("+json")


class Handlers(dict[str, BaseHandler]):
    """Media type -> handler. Defaults: JSON, urlencoded and multipart forms; assign
    ``handlers["application/x-yaml"] = MyHandler()`` to add or replace one.

    Lookup ignores parameters (``; charset=...``) and case; any ``application/*+json`` type
    falls back to the JSON handler.
    """

    def __init__(self, initial: Mapping[str, BaseHandler] | None = None) -> None:
        if initial is None:
            initial = {
                MEDIA_JSON: JSONHandler(),
                MEDIA_URLENCODED: URLEncodedFormHandler(),
                MEDIA_MULTIPART: MultipartFormHandler(),
            }
        super().__init__(initial)
        self._cache: dict[str, tuple[BaseHandler, str]] = {}

    def __setitem__(self, key: str, value: BaseHandler) -> None:
        super().__setitem__(key, value)
        self._cache.clear()

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._cache.clear()

    def update(self, *args: Any, **kwargs: Any) -> None:
        super().update(*args, **kwargs)
        self._cache.clear()

    def find(self, media_type: str) -> BaseHandler | None:
        """The handler for ``media_type`` or ``None``."""
        found = self._cache.get(media_type)
        if found is not None:
            return found[0]
        mimetype = parse_options_header(media_type)[0].lower()
        handler = self.get(mimetype) or self.get(media_type)
        if handler is None and _is_json(mimetype):
            handler = self.get(MEDIA_JSON)
        if handler is None:
            # A registered key with parameters ("text/csv; charset=utf-8") still matches.
            handler = next(
                (h for k, h in self.items() if parse_options_header(k)[0].lower() == mimetype),
                None,
            )
        if handler is not None and len(self._cache) < 64:
            self._cache[media_type] = (handler, mimetype)
        return handler

    def resolve(self, media_type: str | None, default: str = MEDIA_JSON) -> tuple[BaseHandler, str]:
        """The handler for ``media_type`` (``default`` when ``None``) and the type used;
        a 415 naming the type when none is registered."""
        wanted = media_type or default
        found = self._cache.get(wanted)
        if found is not None:
            return found[0], wanted
        handler = self.find(wanted)
        if handler is None:
            raise HTTPUnsupportedMediaType(
                description=f"{wanted!r} is an unsupported media type; supported: "
                f"{', '.join(sorted(self))}."
            )
        return handler, wanted

    @classmethod
    def from_limits(cls, limits: Limits) -> Handlers:
        """The default handlers with form limits taken from the core's :class:`Limits`
        (``max_form_memory_size``, ``max_form_parts``, ``spool_threshold``)."""
        multipart = MultipartParseOptions(
            max_body_part_count=limits.max_form_parts or 0,
            max_body_part_buffer_size=limits.max_form_memory_size or _UNBOUNDED,
            spool_threshold=limits.spool_threshold,
        )
        return cls(
            {
                MEDIA_JSON: JSONHandler(),
                MEDIA_URLENCODED: URLEncodedFormHandler(max_size=limits.max_form_memory_size),
                MEDIA_MULTIPART: MultipartFormHandler(multipart),
            }
        )

    # Falcon's spelling
    def _resolve(
        self, media_type: str | None, default: str = MEDIA_JSON
    ) -> tuple[BaseHandler, str]:
        return self.resolve(media_type, default)
