"""The HTTP error family (resources_fw.core.errors) and the bridge from werkzeug's."""

from __future__ import annotations

import pytest
from werkzeug import exceptions as wz
from werkzeug.routing import RequestRedirect

from resources_fw.core import (
    BadRequest,
    ContentTooLarge,
    HTTPError,
    HTTPException,
    HTTPRedirect,
    InternalServerError,
    LengthRequired,
    MethodNotAllowed,
    NotFound,
    UnprocessableContent,
    UnsupportedMediaType,
    from_werkzeug,
)
from resources_fw.core.errors import reason_phrase, status_line


@pytest.mark.parametrize(
    ("code", "phrase"), [(200, "OK"), (404, "Not Found"), (418, "I'm a Teapot"), (599, "Unknown")]
)
def test_reason_phrase(code: int, phrase: str) -> None:
    assert reason_phrase(code) == phrase


def test_status_line() -> None:
    assert status_line(404) == "404 Not Found"
    assert status_line(404, "Gone Fishing") == "404 Gone Fishing"
    assert status_line(599) == "599 Unknown"
    assert status_line(200, "") == "200 OK"


def test_http_error_defaults() -> None:
    error = HTTPError(404)
    assert error.status == 404
    assert error.title == "404 Not Found"
    assert error.description is None
    assert error.headers == []
    assert error.href is None
    assert error.code is None
    assert error.debug_detail is None
    assert error.to_dict() == {"title": "404 Not Found"}
    assert str(error) == "404 Not Found"
    assert repr(error) == "<HTTPError: 404 Not Found>"
    assert isinstance(error, HTTPException)
    assert isinstance(error, Exception)


def test_http_error_everything() -> None:
    error = HTTPError(
        409,
        "Version clash",
        "The document changed.",
        headers={"X-Version": 3},  # type: ignore[arg-type]
        href="https://docs.example.com/errors#409",
        code="E_VERSION",
        debug_detail="expected 2, got 3",
    )
    assert error.headers == [("X-Version", "3")]
    assert str(error) == "Version clash: The document changed."
    assert error.to_dict() == {
        "title": "Version clash",
        "description": "The document changed.",
        "code": "E_VERSION",
        "link": {
            "href": "https://docs.example.com/errors#409",
            "rel": "help",
            "text": "Documentation",
        },
    }
    # The debug detail is never part of the plain body.
    assert "expected 2" not in str(error.to_dict())


def test_numeric_code_zero_is_kept() -> None:
    assert HTTPError(400, code=0).to_dict()["code"] == 0


def test_headers_as_pairs() -> None:
    error = HTTPError(429, headers=[("Retry-After", "5"), ("X-A", "1"), ("X-A", "2")])
    assert error.headers == [("Retry-After", "5"), ("X-A", "1"), ("X-A", "2")]


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (BadRequest, 400),
        (NotFound, 404),
        (LengthRequired, 411),
        (ContentTooLarge, 413),
        (UnsupportedMediaType, 415),
        (UnprocessableContent, 422),
        (InternalServerError, 500),
    ],
)
def test_subclasses(cls: type[HTTPError], status: int) -> None:
    error = cls()
    assert error.status == status
    assert error.title == f"{status} {reason_phrase(status)}"
    assert isinstance(error, HTTPError)
    custom = cls(description="Why it failed.")
    assert custom.to_dict()["description"] == "Why it failed."
    assert custom.status == status


def test_subclass_default_description_and_override() -> None:
    assert NotFound().description == "The requested resource was not found."
    assert "description" not in NotFound(description="").to_dict()


def test_subclass_class_level_title() -> None:
    class Gone(HTTPError):
        status = 410
        title = "It left"

    assert Gone().title == "It left"
    assert Gone(title="Other").title == "Other"


def test_method_not_allowed_carries_allow() -> None:
    error = MethodNotAllowed(["GET", "HEAD", "POST"])
    assert error.status == 405
    assert error.allowed == ("GET", "HEAD", "POST")
    assert error.headers == [("Allow", "GET, HEAD, POST")]
    assert error.description == "The method is not allowed for the requested URL."
    assert MethodNotAllowed([], description="nope").description == "nope"


def test_http_redirect() -> None:
    redirect = HTTPRedirect("/new", 301, headers={"Cache-Control": "no-store"})
    assert redirect.status == 301
    assert redirect.location == "/new"
    assert redirect.headers == [("Cache-Control", "no-store"), ("Location", "/new")]
    assert not isinstance(redirect, HTTPError)
    assert HTTPRedirect("/x").status == 302


# -- from_werkzeug ------------------------------------------------------------------------


def test_from_werkzeug_not_found() -> None:
    error = from_werkzeug(wz.NotFound())
    assert isinstance(error, HTTPError)
    assert error.status == 404
    assert error.title == "404 Not Found"
    assert error.description == wz.NotFound.description
    assert error.headers == []  # werkzeug's HTML Content-Type is dropped


def test_from_werkzeug_method_not_allowed_keeps_allow() -> None:
    error = from_werkzeug(wz.MethodNotAllowed(valid_methods=["GET", "POST"]))
    assert error.status == 405
    assert ("Allow", "GET, POST") in error.headers


def test_from_werkzeug_request_redirect() -> None:
    error = from_werkzeug(RequestRedirect("http://example.com/dir/"))
    assert isinstance(error, HTTPRedirect)
    assert error.status == 308
    assert error.location == "http://example.com/dir/"
    assert ("Location", "http://example.com/dir/") in error.headers


def test_from_werkzeug_abort() -> None:
    with pytest.raises(wz.HTTPException) as info:
        wz.abort(418)
    error = from_werkzeug(info.value)
    assert isinstance(error, HTTPError)
    assert error.status == 418
    assert error.to_dict() == {
        "title": "418 I'm a Teapot",
        "description": "This server is a teapot, not a coffee machine",
    }


def test_from_werkzeug_keeps_extra_headers_and_description() -> None:
    error = from_werkzeug(wz.TooManyRequests("Slow down.", retry_after=30))
    assert error.status == 429
    assert ("Retry-After", "30") in error.headers
    assert isinstance(error, HTTPError)
    assert error.description == "Slow down."


def test_from_werkzeug_without_a_code_is_500() -> None:
    error = from_werkzeug(wz.HTTPException("odd"))
    assert error.status == 500
