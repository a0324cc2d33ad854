"""``@validate(req_schema=..., resp_schema=...)``: marshmallow schemas on views.

The same declaration as the resources front-end's: the request body
(``request.get_media()``: JSON or a form) is loaded through ``req_schema`` and the result
put on ``request.media``; a body that fails answers 422 with the field errors as
``{"errors": {"field": ["message"]}}``. What the view returns (a dict or a list, alone or
first in a tuple) is dumped through ``resp_schema``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from resources_fw.core import Response as CoreResponse
from resources_fw.core import UnprocessableContent

from .globals import request

F = TypeVar("F", bound=Callable[..., Any])
SchemaArg = Schema | type[Schema] | None


class MediaSchemaError(UnprocessableContent):
    """422 whose JSON body carries marshmallow's field errors under ``errors``."""

    def __init__(self, errors: Any, **kwargs: Any) -> None:
        self.errors = errors
        kwargs.setdefault("description", "The request body failed validation.")
        super().__init__(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["errors"] = self.errors
        return body


def _instance(schema: SchemaArg) -> Schema | None:
    rv = schema() if isinstance(schema, type) else schema
    if rv is not None and not isinstance(rv, Schema):
        raise TypeError(f"{schema!r} is not a marshmallow Schema (class or instance)")
    return rv


def _dump(schema: Schema, rv: Any) -> Any:
    if isinstance(rv, tuple) and rv and isinstance(rv[0], dict | list):
        return (_dump(schema, rv[0]), *rv[1:])
    if isinstance(rv, list):
        return schema.dump(rv, many=True)
    if isinstance(rv, CoreResponse | str | bytes) or callable(rv):
        return rv
    return schema.dump(rv)  # a dict, or an object the schema reads attributes of


def validate(req_schema: SchemaArg = None, resp_schema: SchemaArg = None) -> Callable[[F], F]:
    """Load the request body with ``req_schema`` (422 on failure; the data on
    ``request.media``) and dump the view's result with ``resp_schema``."""
    req_s = _instance(req_schema)
    resp_s = _instance(resp_schema)

    def decorator(view: F) -> F:
        @wraps(view)
        def validated(*args: Any, **kwargs: Any) -> Any:
            if req_s is not None:
                try:
                    request.media = req_s.load(request.get_media())
                except SchemaError as exc:
                    raise MediaSchemaError(exc.messages) from None
            rv = view(*args, **kwargs)
            if resp_s is not None:
                rv = _dump(resp_s, rv)
            return rv

        return validated  # type: ignore[return-value]

    return decorator
