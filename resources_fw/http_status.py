"""``HTTPStatus``: raise to end a request with any status, headers and text."""

from __future__ import annotations

from http import HTTPStatus as _StdStatus
from typing import Any

from .core.errors import HeaderItems, HTTPException
from .util import code_to_http_status, http_status_to_code


class HTTPStatus(HTTPException):
    """Short-circuit the responder with ``status`` (int, ``HTTP_204``, ``http.HTTPStatus``),
    optional ``headers`` and an optional ``text`` body; not treated as an error."""

    def __init__(
        self,
        status: int | str | _StdStatus,
        headers: HeaderItems | None = None,
        text: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(http_status_to_code(status), headers=headers)
        self.text = text

    @property
    def status_code(self) -> int:
        return self.status

    @property
    def status_line(self) -> str:
        return code_to_http_status(self.status)
