"""marshmallow bodies: load, or 422 with the field errors."""

from __future__ import annotations

import pytest
from marshmallow import Schema, fields

from resources_fw.core.schemas import SchemaValidationError, load_body, schema_instance


class Note(Schema):
    title = fields.String(required=True)
    stars = fields.Integer()


def test_load_body_returns_the_loaded_data() -> None:
    assert load_body(Note(), {"title": "t", "stars": "3"}) == {"title": "t", "stars": 3}


def test_failure_is_a_422_with_field_errors() -> None:
    with pytest.raises(SchemaValidationError) as info:
        load_body(Note(), {"stars": "many"})
    error = info.value
    assert error.status == 422
    assert error.to_dict()["errors"] == {
        "title": ["Missing data for required field."],
        "stars": ["Not a valid integer."],
    }
    assert error.to_dict()["description"] == "The request body failed validation."


def test_schema_instance_accepts_class_instance_or_none() -> None:
    assert isinstance(schema_instance(Note), Note)
    note = Note()
    assert schema_instance(note) is note
    assert schema_instance(None) is None
    with pytest.raises(TypeError, match="is not a marshmallow Schema"):
        schema_instance(dict)  # type: ignore[arg-type]
