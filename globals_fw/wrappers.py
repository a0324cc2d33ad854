"""The request and response classes, the core's with Flask's extra attributes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from http import HTTPStatus
from typing import Any, NamedTuple, Self, TypeVar, cast

from werkzeug.datastructures import Headers, HeaderSet, ResponseCacheControl
from werkzeug.exceptions import HTTPException as WerkzeugHTTPException
from werkzeug.exceptions import RequestedRangeNotSatisfiable
from werkzeug.http import (
    generate_etag,
    http_date,
    is_resource_modified,
    parse_cache_control_header,
    parse_date,
    parse_etags,
    parse_range_header,
    parse_set_header,
    quote_etag,
    remove_entity_headers,
    unquote_etag,
)
from werkzeug.wrappers import Response as WerkzeugResponse

from resources_fw.core import HTTPException, Route
from resources_fw.core import Request as CoreRequest
from resources_fw.core import Response as CoreResponse
from resources_fw.core.response import text_content_type

from .globals import _cv_app
from .json import RequestJSON, loads


class Rule(NamedTuple):
    """What ``request.url_rule`` shows of the matched route (werkzeug ``Rule``'s names)."""

    rule: str
    endpoint: str | None
    methods: frozenset[str]
    defaults: dict[str, Any]
    arguments: frozenset[str]
    strict_slashes: bool


def rule_of(route: Route) -> Rule:
    return Rule(
        route.rule,
        route.name,
        route.methods,
        dict(route.defaults),
        frozenset(route.names),
        route.strict_slashes,
    )


class Request(CoreRequest):
    """The request: the core's lazy werkzeug request plus routing results.

    ``view_args`` are the converted URL values, ``endpoint`` the matched endpoint,
    ``blueprint`` / ``blueprints`` the blueprint it belongs to (innermost first), and
    ``routing_exception`` the 404/405/redirect the URL matched to, if any.
    """

    json_module = RequestJSON()  # type: ignore[assignment]
    #: The 404/405/redirect the URL matched to (or, rarely, a converter's own error).
    routing_exception: HTTPException | WerkzeugHTTPException | Exception | None = None
    view_args: dict[str, Any] | None = None
    #: The body as loaded by a ``@validate(req_schema=...)`` view.
    media: Any = None

    @property
    def url_rule(self) -> Rule | None:
        """The matched rule (``.rule``, ``.endpoint``, ``.methods``...), or ``None``."""
        route = self.route
        return rule_of(route) if route is not None and not route.automatic else None

    @property
    def endpoint(self) -> str | None:
        route = self.route
        if route is None or route.automatic:
            return None
        return route.name

    @property
    def blueprint(self) -> str | None:
        """The name of the blueprint the endpoint belongs to, or ``None``."""
        endpoint = self.endpoint
        if endpoint is not None and "." in endpoint:
            return endpoint.rpartition(".")[0]
        return None

    @property
    def blueprints(self) -> list[str]:
        """The blueprint and its parents, innermost first (``["a.b", "a"]``)."""
        name = self.blueprint
        if name is None:
            return []
        parts = name.split(".")
        return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]

    # The app's limits (MAX_CONTENT_LENGTH, MAX_FORM_MEMORY_SIZE, MAX_FORM_PARTS), and, as
    # in Flask 3.1, settable for one request (in a view or a before_request hook, before
    # the body is read): an upload endpoint may accept more than the rest of the app.
    @property
    def max_content_length(self) -> int | None:
        return self.limits.max_content_length

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self.limits = replace(self.limits, max_content_length=value)

    @property
    def max_form_memory_size(self) -> int | None:
        return self.limits.max_form_memory_size

    @max_form_memory_size.setter
    def max_form_memory_size(self, value: int | None) -> None:
        self.limits = replace(self.limits, max_form_memory_size=value)

    @property  # type: ignore[override]  # werkzeug's is an int; None means no limit
    def max_form_parts(self) -> int | None:
        return self.limits.max_form_parts

    @max_form_parts.setter
    def max_form_parts(self, value: int | None) -> None:
        self.limits = replace(self.limits, max_form_parts=value)


class Response(CoreResponse):
    """The response: the core's lean response, HTML by default, with JSON helpers and
    werkzeug's conditional-response helpers (``set_etag``, ``make_conditional``...)."""

    default_mimetype = "text/html"
    direct_passthrough = False
    lean_init = True  # __init__ below only stores its arguments

    @property
    def max_cookie_size(self) -> int:  # type: ignore[override]
        """``MAX_COOKIE_SIZE`` of the current app (werkzeug warns about a longer
        ``Set-Cookie``; 0 turns that off), or the class default outside an app context."""
        app_ctx = _cv_app.get(None)
        if app_ctx is not None:
            return int(app_ctx.app.config["MAX_COOKIE_SIZE"])
        return super().max_cookie_size

    def __init__(
        self,
        response: Any = None,
        status: int | str | HTTPStatus | None = None,
        headers: Any = None,
        mimetype: str | None = None,
        content_type: str | None = None,
        direct_passthrough: bool = False,
    ) -> None:
        if content_type is None and mimetype is not None:
            content_type = text_content_type(mimetype, self.charset)
        super().__init__(response, 200 if status is None else status, headers, content_type)
        self.direct_passthrough = direct_passthrough

    @classmethod
    def force_type(cls, response: Any, environ: dict[str, Any] | None = None) -> Self:
        """``response`` as an instance of this class (werkzeug's classmethod, which response
        subclasses override to accept more return types): one of ours is re-classed, a
        werkzeug response converted, and a WSGI application run with ``environ``."""
        if isinstance(response, cls):
            return response
        if isinstance(response, WerkzeugResponse):
            return from_werkzeug_response(response, cls)
        if isinstance(response, CoreResponse):
            response.__class__ = cls
            return cast(Self, response)
        if not callable(response):
            raise TypeError(
                f"force_type() needs a response or a WSGI application, not "
                f"{type(response).__name__}"
            )
        if environ is None:
            raise TypeError(
                "force_type() needs the request's environ to run a WSGI application: "
                "pass force_type(app, request.environ)"
            )
        from werkzeug.test import run_wsgi_app

        app_iter, status, headers = run_wsgi_app(response, environ)
        return cls(app_iter, status, headers)

    # -- caching and conditional requests (werkzeug's names and semantics) --------------

    def set_etag(self, etag: str, weak: bool = False) -> None:
        """Set the ``ETag`` header (quoted; ``W/`` prefixed when ``weak``)."""
        self.headers["ETag"] = quote_etag(etag, weak)

    def get_etag(self) -> tuple[str, bool] | tuple[None, None]:
        """``(etag, is_weak)`` from the ``ETag`` header, or ``(None, None)``."""
        return unquote_etag(self.headers.get("ETag"))

    def add_etag(self, overwrite: bool = False, weak: bool = False) -> None:
        """Set an ETag computed from the body, unless one is set (or ``overwrite``)."""
        if overwrite or "ETag" not in self.headers:
            self.set_etag(generate_etag(self.data), weak)

    def make_conditional(
        self,
        request_or_environ: Any,
        accept_ranges: bool | str = False,
        complete_length: int | None = None,
    ) -> Response:
        """Answer a conditional GET/HEAD: 304 (or 412 for a failed ``If-Match``) when the
        client's copy, judged by ``ETag`` and ``Last-Modified``, is current.

        With ``accept_ranges`` (``True`` means ``"bytes"``) and ``complete_length`` (the
        body's full length), a ``Range`` request gets a 206 with that part of a bytes, str or
        seekable file body, or ``RequestedRangeNotSatisfiable`` (416), as in werkzeug."""
        environ = getattr(request_or_environ, "environ", request_or_environ)
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self
        if (
            accept_ranges
            and complete_length
            and self._answer_range(
                environ, "bytes" if accept_ranges is True else accept_ranges, complete_length
            )
        ):
            return self
        etag = self.headers.get("ETag")
        if_match = environ.get("HTTP_IF_MATCH")
        if if_match and not parse_etags(if_match).contains_raw(etag or ""):
            self._not_sent(412)
        elif not is_resource_modified(
            environ, etag, last_modified=self.headers.get("Last-Modified")
        ):
            self._not_sent(304)
        return self

    def _answer_range(self, environ: dict[str, Any], unit: str, length: int) -> bool:
        """Turn this 200 into a 206 for the request's ``Range`` (True), or leave it (False):
        no ``Range``, a stale ``If-Range``, the whole body asked for, or a body that cannot
        be cut (an iterable)."""
        self.headers["Accept-Ranges"] = unit
        if "HTTP_RANGE" not in environ or self.status_code != 200:
            return False
        if "HTTP_IF_RANGE" in environ and is_resource_modified(
            environ,
            self.headers.get("ETag"),
            last_modified=self.headers.get("Last-Modified"),
            ignore_if_range=False,
        ):
            return False
        parsed = parse_range_header(environ["HTTP_RANGE"])
        span = parsed.range_for_length(length) if parsed is not None else None
        content_range = parsed.to_content_range_header(length) if parsed is not None else None
        if span is None or content_range is None:
            raise RequestedRangeNotSatisfiable(length=length)
        start, stop = span
        if (start, stop) == (0, length):
            return False
        body = self.body
        if isinstance(body, str):
            body = body.encode(self.charset)
        if isinstance(body, bytes | bytearray | memoryview):
            self.body = bytes(body[start:stop])
        elif hasattr(body, "read") and hasattr(body, "seek"):
            self.body = _file_part(body, start, stop - start)
        else:
            return False
        self.status_code, self.reason = 206, None
        self.headers["Content-Range"] = content_range
        self.headers["Content-Length"] = str(stop - start)
        return True

    def _not_sent(self, status: int) -> None:
        self.status_code, self.reason = status, None
        self.body = None
        remove_entity_headers(self.headers)

    @property
    def last_modified(self) -> datetime | None:
        return parse_date(self.headers.get("Last-Modified"))

    @last_modified.setter
    def last_modified(self, value: datetime | int | float | None) -> None:
        if value is None:
            self.headers.remove("Last-Modified")
        else:
            self.headers["Last-Modified"] = http_date(value)

    @property
    def vary(self) -> HeaderSet:
        """The ``Vary`` header as a set; changes write back to the header."""

        def update(values: HeaderSet) -> None:
            if values:
                self.headers["Vary"] = values.to_header()
            else:
                self.headers.remove("Vary")

        return parse_set_header(self.headers.get("Vary"), on_update=update)

    @property
    def cache_control(self) -> ResponseCacheControl:
        """The ``Cache-Control`` header as an object; changes write back to the header."""

        def update(control: Any) -> None:
            if control:
                self.headers["Cache-Control"] = control.to_header()
            else:
                self.headers.remove("Cache-Control")

        return parse_cache_control_header(
            self.headers.get("Cache-Control"), update, ResponseCacheControl
        )

    @property
    def content_type(self) -> str | None:
        """The Content-Type header, or the default the response will be sent with."""
        return self.headers.get("Content-Type") or self.default_content_type

    @content_type.setter
    def content_type(self, value: str | None) -> None:
        if value is None:
            self.headers.remove("Content-Type")
        else:
            self.headers["Content-Type"] = value

    @property
    def is_json(self) -> bool:
        mt = self.mimetype or ""
        return mt == "application/json" or (mt.startswith("application/") and mt.endswith("+json"))

    def get_json(self, force: bool = False, silent: bool = False) -> Any:
        """The body parsed as JSON (``None`` if it is not JSON, unless ``force``)."""
        if not (force or self.is_json):
            return None
        try:
            return loads(self.get_data())
        except ValueError:
            if silent:
                return None
            raise

    @property
    def json(self) -> Any:
        return self.get_json()

    @property
    def text(self) -> str:
        return str(self.get_data(as_text=True))

    @property
    def is_streamed(self) -> bool:
        return self.content_length is None

    def close(self) -> None:
        """Close the body (a file from ``send_file``, a generator) and run the
        ``call_on_close`` functions, for a response that will not be served (werkzeug's
        ``Response.close``; the server does this itself for a served one)."""
        body_close = getattr(self.body, "close", None)
        callbacks, self._on_close = self._on_close, []
        try:
            if body_close is not None:
                body_close()
        finally:
            for func in callbacks:
                func()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


R = TypeVar("R", bound=CoreResponse)


def _file_part(file: Any, start: int, size: int) -> Iterator[bytes]:
    """``size`` bytes of ``file`` from ``start``, in blocks; the file is closed at the end
    or when the body is closed."""
    try:
        file.seek(start)
        while size > 0:
            block = file.read(min(size, 65536))
            if not block:
                break
            size -= len(block)
            yield block
    finally:
        file.close()


def from_werkzeug_response(rv: WerkzeugResponse, response_class: type[R]) -> R:
    """Our response for a werkzeug one (``send_file``'s, or one a view returned)."""
    headers = Headers(rv.headers)
    if rv.status_code in (304, 412):
        remove_entity_headers(headers)
    out = response_class(status=rv.status, headers=headers)
    out.body = rv.response
    for func in getattr(rv, "_on_close", ()):
        out.call_on_close(func)
    return out
