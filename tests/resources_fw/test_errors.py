"""The HTTPError family, HTTPStatus, redirects, status constants and conversions."""

from __future__ import annotations

from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

import pytest

import resources_fw as falcon
from resources_fw import testing
from resources_fw.core import errors as core
from resources_fw.errors import from_core


def raising(exc: BaseException) -> falcon.App:
    class Res:
        def on_get(self, req: Any, resp: Any) -> None:
            raise exc

    app = falcon.App()
    app.add_route("/", Res())
    return app


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (falcon.HTTPBadRequest, 400),
        (falcon.HTTPUnauthorized, 401),
        (falcon.HTTPForbidden, 403),
        (falcon.HTTPNotFound, 404),
        (falcon.HTTPNotAcceptable, 406),
        (falcon.HTTPConflict, 409),
        (falcon.HTTPGone, 410),
        (falcon.HTTPLengthRequired, 411),
        (falcon.HTTPPreconditionFailed, 412),
        (falcon.HTTPContentTooLarge, 413),
        (falcon.HTTPPayloadTooLarge, 413),
        (falcon.HTTPUriTooLong, 414),
        (falcon.HTTPUnsupportedMediaType, 415),
        (falcon.HTTPUnprocessableEntity, 422),
        (falcon.HTTPLocked, 423),
        (falcon.HTTPFailedDependency, 424),
        (falcon.HTTPPreconditionRequired, 428),
        (falcon.HTTPTooManyRequests, 429),
        (falcon.HTTPRequestHeaderFieldsTooLarge, 431),
        (falcon.HTTPUnavailableForLegalReasons, 451),
        (falcon.HTTPInternalServerError, 500),
        (falcon.HTTPNotImplemented, 501),
        (falcon.HTTPBadGateway, 502),
        (falcon.HTTPServiceUnavailable, 503),
        (falcon.HTTPGatewayTimeout, 504),
        (falcon.HTTPVersionNotSupported, 505),
        (falcon.HTTPInsufficientStorage, 507),
        (falcon.HTTPLoopDetected, 508),
        (falcon.HTTPNetworkAuthenticationRequired, 511),
    ],
)
def test_error_classes_render_their_status(cls: type[falcon.HTTPError], status: int) -> None:
    err = cls(title="T", description="D")
    assert err.status == err.status_code == status
    result = testing.simulate_get(raising(err), "/")
    assert result.status_code == status
    assert result.json == {"title": "T", "description": "D"}
    default = cls()
    assert default.title == falcon.code_to_http_status(status)
    assert isinstance(default, core.HTTPError)


def test_generic_http_error_fields() -> None:
    err = falcon.HTTPError(
        falcon.HTTP_409,
        title="Clash",
        description="again",
        headers={"X-Why": "dup"},
        href="https://docs/x",
        code=77,
    )
    assert err.status == 409
    assert err.status_line == "409 Conflict"
    assert err.to_dict() == {
        "title": "Clash",
        "description": "again",
        "code": 77,
        "link": {
            "href": "https://docs/x",
            "rel": "help",
            "text": "API documentation for this error",
        },
    }
    assert err.to_json().startswith(b'{"title": "Clash"')
    result = testing.simulate_get(raising(err), "/")
    assert result.headers["X-Why"] == "dup"
    assert str(err) == "Clash: again"


def test_unauthorized_challenges() -> None:
    err = falcon.HTTPUnauthorized(challenges=["Bearer", 'Basic realm="x"'])
    result = testing.simulate_get(raising(err), "/")
    assert result.headers["WWW-Authenticate"] == 'Bearer, Basic realm="x"'


def test_retry_after_forms() -> None:
    when = datetime(2030, 1, 1, tzinfo=UTC)
    assert dict(falcon.HTTPTooManyRequests(retry_after=60).headers)["Retry-After"] == "60"
    assert dict(falcon.HTTPServiceUnavailable(retry_after=when).headers)["Retry-After"] == (
        "Tue, 01 Jan 2030 00:00:00 GMT"
    )
    assert dict(falcon.HTTPServiceUnavailable(retry_after=1.9).headers)["Retry-After"] == "1"


def test_method_not_allowed_and_range_errors() -> None:
    err = falcon.HTTPMethodNotAllowed(["GET", "PUT"], headers={"X": "1"})
    assert dict(err.headers) == {"X": "1", "Allow": "GET, PUT"}
    assert dict(falcon.HTTPRangeNotSatisfiable(100).headers)["Content-Range"] == "bytes */100"


def test_param_and_header_errors_name_the_thing() -> None:
    cases = [
        (
            falcon.HTTPInvalidParam("Must be odd.", "n"),
            "Invalid parameter",
            'The "n" parameter is invalid. Must be odd.',
        ),
        (falcon.HTTPMissingParam("n"), "Missing parameter", 'The "n" parameter is required.'),
        (
            falcon.HTTPInvalidHeader("Bad.", "X-A"),
            "Invalid header value",
            'The value provided for the "X-A" header is invalid. Bad.',
        ),
        (falcon.HTTPMissingHeader("X-A"), "Missing header value", 'The "X-A" header is required.'),
    ]
    for err, title, description in cases:
        assert (err.status, err.title, err.description) == (400, title, description)
        assert isinstance(err, falcon.HTTPBadRequest)


def test_media_errors() -> None:
    assert falcon.MediaNotFoundError("JSON").description == "Could not parse an empty JSON body"
    assert falcon.MediaMalformedError("YAML").title == "Invalid YAML"
    assert falcon.MediaValidationError().title == "Request data failed validation"


def test_core_errors_become_front_end_classes() -> None:
    assert isinstance(from_core(core.NotFound()), falcon.HTTPRouteNotFound)
    moved = from_core(core.MethodNotAllowed(["GET"]))
    assert isinstance(moved, falcon.HTTPMethodNotAllowed)
    assert dict(moved.headers)["Allow"] == "GET"
    assert isinstance(from_core(core.ContentTooLarge()), falcon.HTTPContentTooLarge)
    odd = from_core(core.HTTPError(418, title="Teapot"))
    assert (odd.status, odd.title) == (418, "Teapot")
    same = falcon.HTTPConflict()
    assert from_core(same) is same


def test_werkzeug_abort_inside_responder_is_rendered() -> None:
    from werkzeug.exceptions import Forbidden

    result = testing.simulate_get(raising(Forbidden()), "/")
    assert result.status_code == 403
    assert result.json["title"] == "403 Forbidden"


def test_http_status_exception() -> None:
    st = falcon.HTTPStatus(HTTPStatus.ACCEPTED, text="ok")
    assert st.status_code == 202
    assert st.status_line == "202 Accepted"


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (falcon.HTTPMovedPermanently, 301),
        (falcon.HTTPFound, 302),
        (falcon.HTTPSeeOther, 303),
        (falcon.HTTPTemporaryRedirect, 307),
        (falcon.HTTPPermanentRedirect, 308),
    ],
)
def test_redirects(cls: type[falcon.HTTPFound], status: int) -> None:
    result = testing.simulate_get(raising(cls("/new", headers={"X-R": "1"})), "/")
    assert result.status_code == status
    assert result.headers["Location"] == "/new"
    assert result.headers["X-R"] == "1"
    assert result.content == b""


def test_status_constants_and_conversion() -> None:
    assert falcon.HTTP_200 == falcon.HTTP_OK == "200 OK"
    assert falcon.HTTP_404 == falcon.HTTP_NOT_FOUND == "404 Not Found"
    assert falcon.HTTP_TOO_MANY_REQUESTS == "429 Too Many Requests"
    assert falcon.code_to_http_status(201) == falcon.HTTP_201
    assert falcon.code_to_http_status(HTTPStatus.NO_CONTENT) == falcon.HTTP_204
    assert falcon.code_to_http_status("404") == falcon.HTTP_404
    assert falcon.code_to_http_status(b"418 Teapot") == "418 Teapot"
    assert falcon.http_status_to_code(falcon.HTTP_503) == 503
    for bad in ("abc", 42, "1000"):
        with pytest.raises(ValueError, match="HTTP status"):
            falcon.code_to_http_status(bad)


def test_to_query_str() -> None:
    assert falcon.to_query_str({"a": 1, "b": [1, 2], "c": True}) == "?a=1&b=1,2&c=true"
    assert falcon.to_query_str({"b": ["x y", "z"]}, comma_delimited_lists=False, prefix=False) == (
        "b=x%20y&b=z"
    )
    assert falcon.to_query_str({}) == ""
