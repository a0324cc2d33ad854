"""The ``HTTPError`` family, with Falcon's names and signatures.

Every class here subclasses the core's :class:`~resources_fw.core.errors.HTTPError`, so the
core renders them too; inside an :class:`~resources_fw.App` they go through the app's error
handlers and serializer. ``status`` is the integer code (Falcon keeps the status line; use
``status_code`` or :func:`~resources_fw.util.code_to_http_status` for portable code).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from .core import errors as core
from .core.errors import HeaderItems
from .util import code_to_http_status, dt_to_http, http_status_to_code

HeaderArg = HeaderItems


def _own_line(status: str | bytes, code: int | None) -> str | None:
    """``status`` as a status line if its reason phrase is not the standard one."""
    line = code_to_http_status(status)
    return None if code is None or line == code_to_http_status(code) else line


class HTTPError(core.HTTPError):
    """An HTTP 4xx/5xx error: ``status``, ``title``, ``description``, ``headers``, ``href``,
    ``code``. Serialized by the app's error serializer (JSON or HTML by ``Accept``)."""

    href_text = "API documentation for this error"
    #: The status line given in full with a reason phrase of its own ("499 Client Closed
    #: Request"), kept to be sent as given; None for a standard one.
    _line: str | None = None

    def __init__(
        self,
        status: int | str | None = None,
        title: str | None = None,
        description: str | None = None,
        *,
        headers: HeaderArg | None = None,
        href: str | None = None,
        href_text: str | None = None,
        code: int | str | None = None,
        debug_detail: str | None = None,
    ) -> None:
        code_int = http_status_to_code(status) if status is not None else None
        if isinstance(status, str | bytes):
            self._line = _own_line(status, code_int)
        super().__init__(
            code_int,
            title,
            description,
            headers=headers,
            href=href,
            code=code,
            debug_detail=debug_detail,
        )
        if href_text:
            self.href_text = href_text

    @property
    def status_code(self) -> int:
        return self.status

    @property
    def status_line(self) -> str:
        line = self._line
        if line is not None and line[:3] == str(self.status):
            return line
        return code_to_http_status(self.status)

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        if "link" in body:
            body["link"]["text"] = self.href_text
        return body

    def to_json(self) -> bytes:
        """The JSON body Falcon's default serializer produces."""
        return json.dumps(self.to_dict()).encode()


class _Fixed(HTTPError):
    """An error whose status is fixed by its class (keyword-only options, as in Falcon)."""

    def __init__(
        self,
        title: str | None = None,
        description: str | None = None,
        headers: HeaderArg | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(None, title, description, headers=headers, **kwargs)


def _with(headers: HeaderArg | None, name: str, value: str) -> list[tuple[str, str]]:
    items = headers.items() if isinstance(headers, Mapping) else (headers or ())
    out = [(str(k), str(v)) for k, v in items]
    out.append((name, value))
    return out


def _retry_after(value: int | float | datetime | str) -> str:
    if isinstance(value, datetime):
        return dt_to_http(value)
    if isinstance(value, float):
        return str(int(value))
    return str(value)


class HTTPBadRequest(_Fixed):
    status = 400


class HTTPUnauthorized(_Fixed):
    status = 401

    def __init__(
        self,
        title: str | None = None,
        description: str | None = None,
        headers: HeaderArg | None = None,
        challenges: Iterable[str] | None = None,
        **kwargs: Any,
    ) -> None:
        if challenges:
            headers = _with(headers, "WWW-Authenticate", ", ".join(challenges))
        super().__init__(title, description, headers, **kwargs)


class HTTPForbidden(_Fixed):
    status = 403


class HTTPNotFound(_Fixed):
    status = 404


class HTTPRouteNotFound(HTTPNotFound):
    """No route matched the path (a subclass of 404, so 404 handlers catch it)."""


class HTTPMethodNotAllowed(_Fixed):
    status = 405

    def __init__(self, allowed_methods: Iterable[str], **kwargs: Any) -> None:
        self.allowed_methods = tuple(allowed_methods)
        headers = _with(kwargs.pop("headers", None), "Allow", ", ".join(self.allowed_methods))
        super().__init__(headers=headers, **kwargs)


class HTTPNotAcceptable(_Fixed):
    status = 406


class HTTPConflict(_Fixed):
    status = 409


class HTTPGone(_Fixed):
    status = 410


class HTTPLengthRequired(_Fixed):
    status = 411


class HTTPPreconditionFailed(_Fixed):
    status = 412


class HTTPContentTooLarge(_Fixed):
    status = 413

    def __init__(
        self,
        title: str | None = None,
        description: str | None = None,
        headers: HeaderArg | None = None,
        retry_after: int | float | datetime | str | None = None,
        **kwargs: Any,
    ) -> None:
        if retry_after is not None:
            headers = _with(headers, "Retry-After", _retry_after(retry_after))
        super().__init__(title, description, headers, **kwargs)


HTTPPayloadTooLarge = HTTPContentTooLarge


class HTTPUriTooLong(_Fixed):
    status = 414


class HTTPUnsupportedMediaType(_Fixed):
    status = 415


class HTTPRangeNotSatisfiable(_Fixed):
    status = 416

    def __init__(self, resource_length: int, **kwargs: Any) -> None:
        headers = _with(kwargs.pop("headers", None), "Content-Range", f"bytes */{resource_length}")
        super().__init__(headers=headers, **kwargs)


class HTTPUnprocessableEntity(_Fixed):
    status = 422


class HTTPLocked(_Fixed):
    status = 423


class HTTPFailedDependency(_Fixed):
    status = 424


class HTTPPreconditionRequired(_Fixed):
    status = 428


class HTTPTooManyRequests(HTTPContentTooLarge):
    status = 429


class HTTPRequestHeaderFieldsTooLarge(_Fixed):
    status = 431


class HTTPUnavailableForLegalReasons(_Fixed):
    status = 451


class HTTPInternalServerError(_Fixed):
    status = 500


class HTTPNotImplemented(_Fixed):
    status = 501


class HTTPBadGateway(_Fixed):
    status = 502


class HTTPServiceUnavailable(HTTPContentTooLarge):
    status = 503


class HTTPGatewayTimeout(_Fixed):
    status = 504


class HTTPVersionNotSupported(_Fixed):
    status = 505


class HTTPInsufficientStorage(_Fixed):
    status = 507


class HTTPLoopDetected(_Fixed):
    status = 508


class HTTPNetworkAuthenticationRequired(_Fixed):
    status = 511


class HTTPInvalidHeader(HTTPBadRequest):
    """A request header has a bad value (400 naming the header)."""

    def __init__(self, msg: str, header_name: str, **kwargs: Any) -> None:
        self.header_name = header_name
        kwargs.setdefault("title", "Invalid header value")
        super().__init__(
            description=f'The value provided for the "{header_name}" header is invalid. {msg}',
            **kwargs,
        )


class HTTPMissingHeader(HTTPBadRequest):
    """A required request header is absent (400 naming the header)."""

    def __init__(self, header_name: str, **kwargs: Any) -> None:
        self.header_name = header_name
        kwargs.setdefault("title", "Missing header value")
        super().__init__(description=f'The "{header_name}" header is required.', **kwargs)


class HTTPInvalidParam(HTTPBadRequest):
    """A query parameter has a bad value (400 naming the parameter)."""

    def __init__(self, msg: str, param_name: str, **kwargs: Any) -> None:
        self.param_name = param_name
        kwargs.setdefault("title", "Invalid parameter")
        super().__init__(description=f'The "{param_name}" parameter is invalid. {msg}', **kwargs)


class HTTPMissingParam(HTTPBadRequest):
    """A required query parameter is absent (400 naming the parameter)."""

    def __init__(self, param_name: str, **kwargs: Any) -> None:
        self.param_name = param_name
        kwargs.setdefault("title", "Missing parameter")
        super().__init__(description=f'The "{param_name}" parameter is required.', **kwargs)


class MediaNotFoundError(HTTPBadRequest):
    """The body is empty where media was expected."""

    def __init__(self, media_type: str, **kwargs: Any) -> None:
        kwargs.setdefault("title", f"Invalid {media_type}")
        kwargs.setdefault("description", f"Could not parse an empty {media_type} body")
        super().__init__(**kwargs)


class MediaMalformedError(HTTPBadRequest):
    """The body could not be parsed as its media type."""

    def __init__(self, media_type: str, **kwargs: Any) -> None:
        kwargs.setdefault("title", f"Invalid {media_type}")
        kwargs.setdefault("description", f"Could not parse {media_type} body")
        super().__init__(**kwargs)


class MediaValidationError(HTTPBadRequest):
    """The body parsed but failed validation."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("title", "Request data failed validation")
        super().__init__(**kwargs)


class MultipartParseError(MediaMalformedError):
    """A multipart form body is malformed."""

    def __init__(self, description: str | None = None, **kwargs: Any) -> None:
        super().__init__("multipart/form-data", description=description, **kwargs)


class InvalidMediaType(ValueError):
    """A media type (``type/subtype``) given to :mod:`resources_fw.mediatypes` is malformed."""


class InvalidMediaRange(InvalidMediaType):
    """An ``Accept``-style media range is malformed (no ``type/subtype``, or a bad ``q``)."""


class HeaderNotSupported(ValueError):
    """The header cannot be set with this method (e.g. ``Set-Cookie`` via ``set_header``)."""


class CompatibilityError(ValueError):
    """An option or value that this framework does not support."""


#: The classes core errors are re-raised as, so handlers for Falcon's names catch them.
BY_STATUS: dict[int, type[_Fixed]] = {
    cls.status: cls
    for cls in (
        HTTPBadRequest,
        HTTPUnauthorized,
        HTTPForbidden,
        HTTPNotFound,
        HTTPNotAcceptable,
        HTTPConflict,
        HTTPGone,
        HTTPLengthRequired,
        HTTPPreconditionFailed,
        HTTPContentTooLarge,
        HTTPUriTooLong,
        HTTPUnsupportedMediaType,
        HTTPUnprocessableEntity,
        HTTPLocked,
        HTTPFailedDependency,
        HTTPPreconditionRequired,
        HTTPTooManyRequests,
        HTTPRequestHeaderFieldsTooLarge,
        HTTPUnavailableForLegalReasons,
        HTTPInternalServerError,
        HTTPNotImplemented,
        HTTPBadGateway,
        HTTPServiceUnavailable,
        HTTPGatewayTimeout,
        HTTPVersionNotSupported,
        HTTPInsufficientStorage,
        HTTPLoopDetected,
        HTTPNetworkAuthenticationRequired,
    )
}


def from_core(exc: core.HTTPError) -> HTTPError:
    """The front-end error for a core one (a core ``NotFound`` becomes ``HTTPRouteNotFound``)."""
    if isinstance(exc, HTTPError):
        return exc
    kwargs: dict[str, Any] = {
        "description": exc.description,
        "headers": exc.headers,
        "href": exc.href,
        "code": exc.code,
        "debug_detail": exc.debug_detail,
    }
    if isinstance(exc, core.MethodNotAllowed):
        kwargs["headers"] = [(k, v) for k, v in exc.headers if k.lower() != "allow"]
        new: HTTPError = HTTPMethodNotAllowed(exc.allowed, **kwargs)
    elif isinstance(exc, core.NotFound):
        new = HTTPRouteNotFound(**kwargs)
    else:
        cls = BY_STATUS.get(exc.status)
        new = cls(**kwargs) if cls is not None else HTTPError(exc.status, **kwargs)
    if exc.title and not exc.title.startswith(str(exc.status)):
        new.title = exc.title
    return new
