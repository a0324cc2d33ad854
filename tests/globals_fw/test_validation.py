"""marshmallow schemas on views."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import Schema, fields

from globals_fw import App, request, validate


class ItemIn(Schema):
    name = fields.String(required=True)
    qty = fields.Integer(load_default=1)


class ItemOut(Schema):
    name = fields.String()
    qty = fields.Integer()


def test_request_loaded_and_response_dumped(app: App, client: Any) -> None:
    @app.post("/items")
    @validate(req_schema=ItemIn, resp_schema=ItemOut())
    def create() -> Any:
        return {**request.media, "secret": "dropped by the schema"}, 201

    @app.get("/items")
    @validate(resp_schema=ItemOut)
    def listing() -> Any:
        return [{"name": "a", "qty": 2, "internal": True}]

    c = client(app)
    res = c.post_json("/items", {"name": "pen"}, status=201)
    assert res.json == {"name": "pen", "qty": 1}
    assert c.get("/items").json == [{"name": "a", "qty": 2}]
    res = c.post("/items", {"name": "form", "qty": "3"}, status=201)
    assert res.json == {"name": "form", "qty": 3}


def test_invalid_body_is_422_with_field_errors(app: App, client: Any) -> None:
    @app.post("/items")
    @validate(req_schema=ItemIn)
    def create() -> Any:
        return request.media

    c = client(app)
    res = c.post_json("/items", {"qty": "many"}, status=422)
    assert res.json["errors"] == {
        "name": ["Missing data for required field."],
        "qty": ["Not a valid integer."],
    }
    c.post("/items", "{", content_type="application/json", status=400)
    app.register_error_handler(422, lambda e: ({"handled": e.code}, 422))
    assert c.post_json("/items", {}, status=422).json == {"handled": 422}


def test_schema_must_be_a_schema() -> None:
    with pytest.raises(TypeError, match="not a marshmallow Schema"):
        validate(req_schema=dict)  # type: ignore[arg-type]
