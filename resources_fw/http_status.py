"""``HTTPStatus``: raise to end a request with any status, headers and text."""

from __future__ import annotations

from http import HTTPStatus as _StdStatus
from typing import Any

from .core.errors import HeaderItems, HTTPException
from .errors import _own_line
from .util import code_to_http_status, http_status_to_code


class HTTPStatus(HTTPException):
    """Short-circuit the responder with ``status`` (int, ``HTTP_204``, ``http.HTTPStatus``),
    optional ``headers`` and an optional ``text`` body; not treated as an error."""

    _line: str | None = None  # as HTTPError's: a status line with a reason phrase of its own

    def __init__(
        self,
        status: int | str | _StdStatus,
        headers: HeaderItems | None = None,
        text: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(http_status_to_code(status), headers=headers)
        self.text = text
        if isinstance(status, str):
            self._line = _own_line(status, self.status)

    @property
    def status_code(self) -> int:
        return self.status

    @property
    def status_line(self) -> str:
        """The status line, with the reason phrase given to the constructor if any."""
        line = self._line
        if line is not None and line[:3] == str(self.status):
            return line
        return code_to_http_status(self.status)
