"""The HTTP error family the core raises and renders, and the bridge from werkzeug's.

An :class:`HTTPException` is anything that ends a request with a fixed response: an
:class:`HTTPError` (4xx/5xx, rendered as JSON or HTML by negotiation) or an
:class:`HTTPRedirect` (3xx with a ``Location``). Front-ends subclass these to give them the
names their users know (``HTTPNotFound``, ``NotFound``...).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

from werkzeug.exceptions import HTTPException as WerkzeugHTTPException

HeaderItems = Mapping[str, str] | Iterable[tuple[str, str]]


_PHRASES = {s.value: s.phrase for s in HTTPStatus}
STATUS_LINES = {code: f"{code} {phrase}" for code, phrase in _PHRASES.items()}


def reason_phrase(status: int) -> str:
    """The standard reason phrase for ``status`` ("Not Found"), or "Unknown"."""
    return _PHRASES.get(status, "Unknown")


def status_line(status: int, reason: str | None = None) -> str:
    """``"404 Not Found"`` for 404; ``reason`` overrides the standard phrase."""
    if reason is None:
        line = STATUS_LINES.get(status)
        if line is not None:
            return line
    return f"{status} {reason or reason_phrase(status)}"


class HTTPException(Exception):
    """Base of every exception that becomes a response of its own."""

    status: int = 500

    def __init__(self, status: int | None = None, *, headers: HeaderItems | None = None) -> None:
        if status is not None:
            self.status = int(status)
        self.headers: list[tuple[str, str]] = []
        if headers:  # most errors have none: skip the (slow, abc) Mapping check
            items = headers.items() if isinstance(headers, Mapping) else headers
            self.headers = [(str(k), str(v)) for k, v in items]
        # What Exception.__init__(self.status) does, without the call: a 404 is built on
        # every unrouted request.
        self.args = (self.status,)


class HTTPError(HTTPException):
    """A 4xx or 5xx error with a title, a description and optional headers.

    ``debug_detail`` is extra text (a parser message, say) shown only when the application
    runs in debug mode; the plain body never carries it.
    """

    title: str | None = None
    description: str | None = None
    # Defaults on the class: __init__ stores only what it is given.
    href: str | None = None
    code: int | str | None = None
    debug_detail: str | None = None

    def __init__(
        self,
        status: int | None = None,
        title: str | None = None,
        description: str | None = None,
        *,
        headers: HeaderItems | None = None,
        href: str | None = None,
        code: int | str | None = None,
        debug_detail: str | None = None,
    ) -> None:
        HTTPException.__init__(self, status, headers=headers)
        self.title = (
            title
            or type(self).title
            or STATUS_LINES.get(self.status)
            or (f"{self.status} {reason_phrase(self.status)}")
        )
        if description is not None:
            self.description = description
        if href is not None:
            self.href = href
        if code is not None:
            self.code = code
        if debug_detail is not None:
            self.debug_detail = debug_detail

    def __str__(self) -> str:
        return f"{self.title}: {self.description}" if self.description else str(self.title)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {self.title}>"

    def to_dict(self) -> dict[str, Any]:
        """The error as the JSON body shows it."""
        body: dict[str, Any] = {"title": self.title}
        if self.description:
            body["description"] = self.description
        if self.code is not None:
            body["code"] = self.code
        if self.href:
            body["link"] = {"href": self.href, "rel": "help", "text": "Documentation"}
        return body


class HTTPRedirect(HTTPException):
    """A 3xx answer carrying a ``Location``."""

    def __init__(
        self, location: str, status: int = 302, *, headers: HeaderItems | None = None
    ) -> None:
        super().__init__(status, headers=headers)
        self.location = location
        self.headers.append(("Location", location))


class BadRequest(HTTPError):
    status = 400
    description = "The request could not be understood."


class NotFound(HTTPError):
    status = 404
    description = "The requested resource was not found."


class MethodNotAllowed(HTTPError):
    status = 405

    def __init__(self, allowed: Iterable[str], **kwargs: Any) -> None:
        self.allowed = tuple(allowed)
        kwargs.setdefault("description", "The method is not allowed for the requested URL.")
        super().__init__(headers=[("Allow", ", ".join(self.allowed))], **kwargs)


class LengthRequired(HTTPError):
    status = 411
    description = "A Content-Length header is required for this request body."


class ContentTooLarge(HTTPError):
    status = 413
    description = "The request body is larger than this server accepts."


class UnsupportedMediaType(HTTPError):
    status = 415
    description = "The request body's content type is not supported here."


class UnprocessableContent(HTTPError):
    status = 422


class InternalServerError(HTTPError):
    status = 500
    description = "The server encountered an unexpected error."


def from_werkzeug(exc: WerkzeugHTTPException) -> HTTPException:
    """Map a werkzeug ``HTTPException`` (``abort(404)``, ``RequestRedirect``...) onto ours."""
    status = exc.code or 500
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    location = getattr(exc, "new_url", None)
    if 300 <= status < 400 and location:
        return HTTPRedirect(location, status, headers=headers)
    return HTTPError(status, description=exc.description, headers=headers)
