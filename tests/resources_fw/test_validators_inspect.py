"""marshmallow schemas on responders, and the inspect command."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner
from marshmallow import Schema, fields

import resources_fw as falcon
from resources_fw import testing
from resources_fw.inspect import inspect_app, load_app, main
from resources_fw.media.validators.marshmallow import validate


class NoteIn(Schema):
    title = fields.String(required=True)
    stars = fields.Integer(load_default=0)


class NoteOut(Schema):
    title = fields.String()
    stars = fields.Integer()


class Notes:
    def __init__(self) -> None:
        self.notes: list[dict[str, Any]] = []

    @validate(req_schema=NoteIn, resp_schema=NoteOut())
    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        note = req.media
        note["secret"] = "hidden by the response schema"
        self.notes.append(note)
        resp.status = falcon.HTTP_201
        resp.media = note

    @validate(resp_schema=NoteOut)
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = self.notes


@pytest.fixture
def app() -> falcon.App:
    app = falcon.App()
    app.add_route("/notes", Notes())
    return app


def test_valid_body_is_loaded_and_response_dumped(app: falcon.App) -> None:
    result = testing.simulate_post(app, "/notes", json={"title": "hi"})
    assert result.status_code == 201
    assert result.json == {"title": "hi", "stars": 0}
    assert testing.simulate_get(app, "/notes").json == [{"title": "hi", "stars": 0}]


def test_invalid_body_is_422_with_field_errors(app: falcon.App) -> None:
    result = testing.simulate_post(app, "/notes", json={"stars": "many", "extra": 1})
    assert result.status_code == 422
    assert result.json["errors"] == {
        "title": ["Missing data for required field."],
        "stars": ["Not a valid integer."],
        "extra": ["Unknown field."],
    }
    assert testing.simulate_post(app, "/notes", body="{").status_code == 400


def test_validate_on_class_and_bad_schema() -> None:
    @validate(resp_schema=NoteOut)
    class One:
        def on_get(self, req: Any, resp: Any) -> None:
            resp.media = {"title": "t", "stars": 1, "x": 2}

    app = falcon.App()
    app.add_route("/", One())
    assert testing.simulate_get(app, "/").json == {"title": "t", "stars": 1}
    with pytest.raises(TypeError, match="marshmallow"):
        validate(req_schema=dict)  # type: ignore[arg-type]


class Log:
    def process_request(self, req: Any, resp: Any) -> None:
        pass


inspected = falcon.App(middleware=[Log()])
inspected.add_route("/notes", Notes())
inspected.add_sink(lambda req, resp: None, "/proxy")


def test_inspect_app(tmp_path: Any) -> None:
    inspected.add_static_route("/s", tmp_path)
    info = inspect_app(inspected)
    text = str(info)
    assert "/notes -> " in text
    assert "POST -> " in text
    assert "Notes.on_post" in text
    assert "Sinks:" in text
    assert "/proxy" in text
    assert "Static routes:" in text
    assert "Log: process_request" in text
    assert "HTTPStatus -> " in text


def test_inspect_command() -> None:
    runner = CliRunner()
    result = runner.invoke(main, [f"{__name__}:inspected"])
    assert result.exit_code == 0, result.output
    assert "/notes" in result.output
    bad = runner.invoke(main, ["no_colon"])
    assert bad.exit_code != 0
    assert "package.module:app" in bad.output
    with pytest.raises(Exception, match="not a resources_fw App"):
        load_app(f"{__name__}:Log")
