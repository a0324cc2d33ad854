"""``@validate(req_schema=..., resp_schema=...)``: marshmallow schemas on responders.

The request body (``req.get_media()``) is loaded through ``req_schema``; failures answer
422 with the field errors (``{"errors": {"field": ["message"]}}``) and the loaded data
replaces ``req.media``. After the responder, ``resp.media`` is dumped through
``resp_schema``. Decorate a responder, or a resource class to cover all its responders.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from ...errors import HTTPUnprocessableEntity
from ...hooks import _decorator

T = TypeVar("T")
SchemaArg = Schema | type[Schema] | None


class MediaSchemaError(HTTPUnprocessableEntity):
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
    return schema() if isinstance(schema, type) else schema


def validate(req_schema: SchemaArg = None, resp_schema: SchemaArg = None) -> Callable[[T], T]:
    """Validate ``req.media`` with ``req_schema`` and dump ``resp.media`` with ``resp_schema``."""
    req_s = _instance(req_schema)
    resp_s = _instance(resp_schema)
    for schema in (req_s, resp_s):
        if schema is not None and not isinstance(schema, Schema):
            raise TypeError(f"{schema!r} is not a marshmallow Schema (class or instance)")

    def wrap(responder: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(responder)
        def validated(self: Any, req: Any, resp: Any, **params: Any) -> Any:
            if req_s is not None:
                try:
                    loaded = req_s.load(req.get_media())
                except SchemaError as exc:
                    raise MediaSchemaError(exc.messages) from None
                req.__dict__["_media_result"] = ("ok", loaded)
            result = responder(self, req, resp, **params)
            if resp_s is not None and resp.media is not None:
                many = isinstance(resp.media, list)
                resp.media = resp_s.dump(resp.media, many=many)
            return result

        return validated

    return _decorator(wrap)
