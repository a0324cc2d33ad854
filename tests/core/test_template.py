"""Template parsing: both syntaxes become one form."""

from __future__ import annotations

import re

import pytest

from resources_fw.core.routing import Field, TemplateError, parse_template


@pytest.mark.parametrize(
    ("falcon", "werkzeug"),
    [
        ("/", "/"),
        ("/users/{id:int}", "/users/<int:id>"),
        ("/users/{id}", "/users/<id>"),
        ("/users/{id:int(min=1, max=9)}", "/users/<int(min=1, max=9):id>"),
        ("/d/{day:dt('%Y-%m-%d')}", "/d/<dt('%Y-%m-%d'):day>"),
        ("/files/{name}.{ext}", "/files/<name>.<ext>"),
        ("/a/{x:any(one, two)}/b/", "/a/<any(one, two):x>/b/"),
        ('/r/{u:regex("[a-z/]+")}', '/r/<regex("[a-z/]+"):u>'),
    ],
)
def test_both_syntaxes_give_the_same_template(falcon: str, werkzeug: str) -> None:
    a = parse_template(falcon, "falcon")
    b = parse_template(werkzeug, "werkzeug")
    assert a.segments == b.segments


def test_fields_carry_converter_and_arguments() -> None:
    t = parse_template("/u/<int(3, min=1):id>/<name>", "werkzeug")
    assert t.fields == (
        Field("id", "int", (3,), (("min", 1),)),
        Field("name", "default"),
    )


def test_converter_arguments_are_literals_read_not_evaluated() -> None:
    t = parse_template("/t/{t:int(min=-90, max=90)}/{c:any(red, 'dark blue')}", "falcon")
    assert t.fields[0].kwargs == (("min", -90), ("max", 90))
    assert t.fields[1].args == ("red", "dark blue")


def test_segments_split_on_slashes_but_not_inside_arguments() -> None:
    t = parse_template('/d/{when:dt("%Y/%m/%d")}/x', "falcon")
    assert len(t.segments) == 3
    assert t.fields[0].args == ("%Y/%m/%d",)


def test_trailing_slash_is_an_empty_segment() -> None:
    assert parse_template("/dir/").segments == (("dir",), ("",))
    assert parse_template("/").segments == (("",),)


def test_shape_ignores_field_names() -> None:
    assert parse_template("/u/<int:a>").shape() == parse_template("/u/<int:b>").shape()
    assert parse_template("/u/<int:a>").shape() != parse_template("/u/<a>").shape()


@pytest.mark.parametrize(
    ("template", "syntax", "message"),
    [
        ("users", "werkzeug", "must be a string starting with '/'"),
        ("/u/<int:id", "werkzeug", "never closed"),
        ("/u/int:id>", "werkzeug", "unmatched '>'"),
        ("/u/{id}}", "falcon", "unmatched '}'"),
        ("/u/<a>/<a>", "werkzeug", "uses the field name 'a' twice"),
        ("/u/<1x>", "werkzeug", "not a valid field name"),
        ("/u/<a><b>", "werkzeug", "touch"),
        ("/u/{id:int(}", "falcon", "cannot read converter"),
        ('/u/<int("x):id>', "werkzeug", "never closed"),
        ("/u/<int(1 2):id>", "werkzeug", "cannot parse the arguments of 'int(1 2)'"),
        ("/u/<int(min=1+1):id>", "werkzeug", "'1 + 1' is not a literal"),
    ],
)
def test_bad_templates_are_rejected_with_a_reason(template: str, syntax: str, message: str) -> None:
    with pytest.raises(TemplateError, match=re.escape(message)) as info:
        parse_template(template, syntax)  # type: ignore[arg-type]
    assert template in str(info.value)
