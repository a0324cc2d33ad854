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

from resources_fw.core import Response as CoreResponse
from resources_fw.core.schemas import SchemaArg, SchemaValidationError, load_body, schema_instance

from .globals import request

F = TypeVar("F", bound=Callable[..., Any])


MediaSchemaError = SchemaValidationError


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
    req_s = schema_instance(req_schema)
    resp_s = schema_instance(resp_schema)

    def decorator(view: F) -> F:
        @wraps(view)
        def validated(*args: Any, **kwargs: Any) -> Any:
            if req_s is not None:
                request.media = load_body(req_s, request.get_media())
            rv = view(*args, **kwargs)
            if resp_s is not None:
                rv = _dump(resp_s, rv)
            return rv

        return validated  # type: ignore[return-value]

    return decorator
