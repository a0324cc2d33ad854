"""marshmallow schemas on request bodies: load or answer 422 with the field errors.

Both front-ends' ``@validate(req_schema=..., resp_schema=...)`` decorators stand on this;
they differ only in where the body comes from and where the result goes.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema
from marshmallow import ValidationError as SchemaError

from .errors import UnprocessableContent

SchemaArg = Schema | type[Schema] | None


class SchemaValidationError(UnprocessableContent):
    """422 whose JSON body carries marshmallow's field errors under ``errors``."""

    def __init__(self, errors: Any, **kwargs: Any) -> None:
        self.errors = errors
        kwargs.setdefault("description", "The request body failed validation.")
        super().__init__(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        body = super().to_dict()
        body["errors"] = self.errors
        return body


def schema_instance(schema: SchemaArg) -> Schema | None:
    """A schema instance from a class, an instance or ``None``; anything else is refused
    when the decorator is applied, not at the first request."""
    instance = schema() if isinstance(schema, type) else schema
    if instance is not None and not isinstance(instance, Schema):
        raise TypeError(f"{schema!r} is not a marshmallow Schema (class or instance)")
    return instance


def load_body(
    schema: Schema, data: Any, error_class: type[SchemaValidationError] = SchemaValidationError
) -> Any:
    """``schema.load(data)``, or raise ``error_class`` (422) with the field errors."""
    try:
        return schema.load(data)
    except SchemaError as exc:
        raise error_class(exc.messages) from None
