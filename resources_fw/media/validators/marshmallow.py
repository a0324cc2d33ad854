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

from ...core.schemas import SchemaArg, SchemaValidationError, load_body, schema_instance
from ...errors import HTTPUnprocessableEntity
from ...hooks import _decorator

T = TypeVar("T")


class MediaSchemaError(SchemaValidationError, HTTPUnprocessableEntity):
    """422 whose JSON body carries marshmallow's field errors under ``errors`` (catchable as
    ``HTTPUnprocessableEntity``)."""


def validate(req_schema: SchemaArg = None, resp_schema: SchemaArg = None) -> Callable[[T], T]:
    """Validate ``req.media`` with ``req_schema`` and dump ``resp.media`` with ``resp_schema``."""
    req_s = schema_instance(req_schema)
    resp_s = schema_instance(resp_schema)

    def wrap(responder: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(responder)
        def validated(self: Any, req: Any, resp: Any, **params: Any) -> Any:
            if req_s is not None:
                loaded = load_body(req_s, req.get_media(), MediaSchemaError)
                req.__dict__["_media_result"] = ("ok", loaded)
            result = responder(self, req, resp, **params)
            if resp_s is not None and resp.media is not None:
                many = isinstance(resp.media, list)
                resp.media = resp_s.dump(resp.media, many=many)
            return result

        return validated

    return _decorator(wrap)
