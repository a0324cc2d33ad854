"""The request and response classes, the core's with Flask's extra attributes."""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from werkzeug.datastructures import Headers
from werkzeug.exceptions import HTTPException as WerkzeugHTTPException
from werkzeug.http import remove_entity_headers
from werkzeug.wrappers import Response as WerkzeugResponse

from resources_fw.core import HTTPException, Route
from resources_fw.core import Request as CoreRequest
from resources_fw.core import Response as CoreResponse

from .json import RequestJSON


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
    routing_exception: HTTPException | WerkzeugHTTPException | None = None
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


class Response(CoreResponse):
    """The response: the core's lean response, HTML by default, with JSON helpers."""

    default_mimetype = "text/html"

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
            from .json import loads

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


R = TypeVar("R", bound=CoreResponse)


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
