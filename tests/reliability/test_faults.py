"""Faults in the application itself, against both front-ends: cookies built from user input,
error handlers that fail, exceptions that must propagate, automatic OPTIONS and 405s."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
from reliability_spec import Front, build_environ, call_wsgi, check_no_leak

import globals_fw
import resources_fw as falcon

# -- cookies set from user input -----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["a;b", "x; Domain=evil.example", "a\r\nX-Injected: 1", "\u20ac", "\x00", 'a"b\\c', "a,b"],
    ids=repr,
)
def test_a_cookie_value_from_user_input_is_quoted(front: Front, value: str) -> None:
    result = front.call(build_environ("GET", "/cookie", query="v=" + quote(value.encode())))
    assert all(k.lower() != "x-injected" for k, _ in result.headers)
    if result.code == 500:
        result.check_error(500)  # refused and logged: acceptable too
        return
    assert result.code == 200
    cookie = result.header("Set-Cookie") or ""
    name_value = cookie.split("; ")[0]
    # The value is one quoted token: no attribute (Domain=...) can be smuggled in.
    assert name_value.startswith("c=")
    assert "evil" not in cookie[len(name_value) :]
    if any(ch in value for ch in ';,"\\\r\n\x00') or not value.isascii():
        assert name_value.startswith('c="')
        assert name_value.endswith('"')


# -- automatic OPTIONS, 404 before 405 ----------------------------------------------------


@pytest.mark.parametrize(("path", "method"), [("/hello", "GET"), ("/echo", "POST")])
def test_options_is_answered_with_allow(front: Front, path: str, method: str) -> None:
    result = front.call(build_environ("OPTIONS", path))
    assert result.code == 200
    assert method in {m.strip() for m in (result.header("Allow") or "").split(",")}


def test_an_unknown_path_is_404_whatever_the_method(front: Front) -> None:
    for method in ("GET", "POST", "DELETE", "FOO"):
        result = front.call(build_environ(method, "/no/such/thing"), validate=False)
        result.check_error(404)


# -- error handlers that fail, exceptions that must propagate ----------------------------------

SECRET = "handler-secret-91c2"


def _raise_key_error(*args: Any) -> Any:
    raise KeyError(SECRET)


def _falcon_app(handler: Callable[..., Any] | None, error: type[BaseException]) -> Any:
    class Broken:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            raise error("view-secret")

    app = falcon.App()
    app.add_route("/broken", Broken())
    if handler is not None:
        app.add_error_handler(falcon.HTTPNotFound, handler)
        app.add_error_handler(RuntimeError, handler)
    return app


def _globals_app(handler: Callable[..., Any] | None, error: type[BaseException]) -> Any:
    app = globals_fw.App("faults", static_folder=None, template_folder=None)

    @app.get("/broken")
    def broken() -> Any:
        raise error("view-secret")

    if handler is not None:
        app.register_error_handler(404, handler)
        app.register_error_handler(500, handler)
        app.register_error_handler(RuntimeError, handler)
    return app


BUILDERS = {"resources_fw": _falcon_app, "globals_fw": _globals_app}


@pytest.fixture(params=BUILDERS)
def build(request: pytest.FixtureRequest) -> Callable[..., Any]:
    return BUILDERS[request.param]


@pytest.mark.parametrize("path", ["/nope", "/broken"])
def test_an_error_handler_that_raises_still_gives_a_minimal_500(
    build: Callable[..., Any], path: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = build(_raise_key_error, RuntimeError)
    with caplog.at_level(logging.ERROR):
        result = call_wsgi(app, build_environ("GET", path))
    result.check_error(500)
    check_no_leak(result.body)
    assert SECRET.encode() not in result.body
    assert b"view-secret" not in result.body
    assert caplog.records, "the failing error handler was not logged"


@pytest.mark.parametrize("error", [KeyboardInterrupt, SystemExit])
def test_base_exceptions_propagate(build: Callable[..., Any], error: type[BaseException]) -> None:
    app = build(None, error)
    with pytest.raises(error):
        call_wsgi(app, build_environ("GET", "/broken"))
