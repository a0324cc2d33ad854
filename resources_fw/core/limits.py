"""Request-body limits, shared by every codec so that no path is left unbounded."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How much of a request body the application accepts.

    ``max_content_length`` bounds every body (``None``: no bound, as in Falcon and Flask);
    ``max_form_memory_size`` bounds each non-file form field and the whole urlencoded body;
    ``max_form_parts`` bounds the number of multipart parts; file parts larger than
    ``spool_threshold`` bytes are spilled to a temporary file instead of memory.
    """

    max_content_length: int | None = None
    max_form_memory_size: int | None = 500_000
    max_form_parts: int | None = 1000
    spool_threshold: int = 500 * 1024


DEFAULT_LIMITS = Limits()
