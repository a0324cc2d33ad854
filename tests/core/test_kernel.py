"""The WSGI kernel (resources_fw.core.kernel): request in, dispatch, exceptions to responses,
nothing leaked, everything logged."""

from __future__ import annotations

import logging
import platform
import sys
from collections.abc import Callable
from typing import Any

import pytest
from webtest import TestApp
from werkzeug import exceptions as wz
from werkzeug.routing import RequestRedirect

from resources_fw.core import (
    HTTPError,
    HTTPRedirect,
    Kernel,
    Limits,
    MediaDecoders,
    NotFound,
    Request,
    Response,
    Router,
)

Environ = dict[str, Any]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SECRET = "password=hunter2 at db.internal:5432"


def app_with(handler: Callable[..., Response], path: str = "/", **options: Any) -> Kernel:
    router = Router()
    router.add(path, handler, methods=("GET", "POST"))
    return Kernel(router, **options)


def explode(request: Request) -> Response:
    raise RuntimeError(SECRET)


# -- unexpected exceptions ----------------------------------------------------------------


@pytest.mark.parametrize("accept", [None, "application/json", BROWSER])
def test_unexpected_exception_is_a_500_that_leaks_nothing(
    accept: str | None, client: Callable[[Any], TestApp], caplog: pytest.LogCaptureFixture
) -> None:
    headers = {"Accept": accept} if accept else {}
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        result = client(app_with(explode)).get("/", headers=headers, status=500)
    body = result.text
    for leak in (
        SECRET,
        "hunter2",
        "Traceback",
        "RuntimeError",
        __file__,
        ".py",
        "line ",
        sys.version,
        platform.python_version(),
    ):
        assert leak not in body, leak
    assert "500 Internal Server Error" in body
    assert "The server encountered an unexpected error." in body
    assert result.content_type == ("text/html" if accept == BROWSER else "application/json")


def test_unexpected_exception_is_logged_with_its_traceback(
    client: Callable[[Any], TestApp], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        client(app_with(explode, path="/boom")).post("/boom", status=500)
    (record,) = [r for r in caplog.records if r.name == "resources_fw"]
    assert record.levelno == logging.ERROR
    assert "POST /boom" in record.getMessage()
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], RuntimeError)
    assert SECRET in caplog.text
    assert "Traceback" in caplog.text
    assert "in explode" in caplog.text


def test_debug_shows_the_traceback(
    client: Callable[[Any], TestApp], caplog: pytest.LogCaptureFixture
) -> None:
    app = client(app_with(explode, debug=True))
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        api = app.get("/", status=500)
        html = app.get("/", headers={"Accept": BROWSER}, status=500)
    detail = api.json["detail"]
    assert detail.startswith("Traceback")
    assert f"RuntimeError: {SECRET}" in detail
    assert "in explode" in detail
    assert "<pre>Traceback" in html.text


def test_propagate_exceptions_reraises(environ: Callable[..., Environ]) -> None:
    app = app_with(explode, propagate_exceptions=True)
    with pytest.raises(RuntimeError, match="hunter2"):
        app(environ(method="GET"), lambda *a: lambda d: None)


@pytest.mark.parametrize("exc", [KeyboardInterrupt, SystemExit, GeneratorExit])
def test_base_exceptions_propagate(
    exc: type[BaseException], environ: Callable[..., Environ]
) -> None:
    def handler(request: Request) -> Response:
        raise exc()

    started: list[str] = []
    with pytest.raises(exc):
        app_with(handler)(environ(method="GET"), lambda *a: started.append(a[0]))  # type: ignore[arg-type]
    assert started == []


def test_the_kernel_keeps_serving_after_a_failure(
    client: Callable[[Any], TestApp], caplog: pytest.LogCaptureFixture
) -> None:
    calls: list[int] = []

    def flaky(request: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            raise ZeroDivisionError("first call fails")
        return Response("fine")

    app = client(app_with(flaky))
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        app.get("/", status=500)
    assert app.get("/").text == "fine"


def test_a_handler_returning_garbage_is_a_logged_500(
    client: Callable[[Any], TestApp], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        result = client(app_with(lambda request: "not a Response")).get("/", status=500)  # type: ignore[arg-type, return-value]
    assert result.json["title"] == "500 Internal Server Error"
    assert "not a Response" not in result.text
    assert "Unhandled exception on GET /" in caplog.text


# -- HTTP exceptions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "exc",
    [
        HTTPRedirect("/next\r\nSet-Cookie: evil=1"),
        HTTPError(400, headers={"X-Reason": "a\nevil: 1"}),
    ],
    ids=["redirect", "error"],
)
def test_an_http_exception_with_unsafe_headers_is_a_logged_500(
    exc: Exception,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # e.g. redirect(request.args["next"]) with next=%0D%0ASet-Cookie... : the kernel must
    # answer its own 500, not let the exception escape to the server.
    def handler(request: Request) -> Response:
        raise exc

    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        result = wsgi(app_with(handler), environ(method="GET"))
    assert result.code == 500
    assert all("evil" not in value for _, value in result.headers)
    assert "Unhandled exception on GET /" in caplog.text


def test_core_http_errors_are_rendered_not_logged(
    client: Callable[[Any], TestApp], caplog: pytest.LogCaptureFixture
) -> None:
    def handler(request: Request) -> Response:
        raise NotFound(description="No such user.")

    with caplog.at_level(logging.DEBUG, logger="resources_fw"):
        result = client(app_with(handler)).get("/", status=404)
    assert result.json == {"title": "404 Not Found", "description": "No such user."}
    assert [r for r in caplog.records if r.name == "resources_fw"] == []


def test_server_errors_raised_on_purpose_are_logged(
    client: Callable[[Any], TestApp], caplog: pytest.LogCaptureFixture
) -> None:
    def handler(request: Request) -> Response:
        raise HTTPError(503, description="Down for maintenance.", headers={"Retry-After": "60"})

    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        result = client(app_with(handler)).get("/", status=503)
    assert result.headers["Retry-After"] == "60"
    assert result.json["description"] == "Down for maintenance."
    assert "GET / answered 503" in caplog.text


@pytest.mark.parametrize(
    ("exc", "status", "header"),
    [
        (wz.NotFound(), 404, None),
        (wz.MethodNotAllowed(valid_methods=["GET", "PUT"]), 405, ("Allow", "GET, PUT")),
        (RequestRedirect("http://localhost/new/"), 308, ("Location", "http://localhost/new/")),
        (wz.Forbidden("Members only."), 403, None),
    ],
)
def test_werkzeug_exceptions_are_rendered(
    exc: wz.HTTPException,
    status: int,
    header: tuple[str, str] | None,
    client: Callable[[Any], TestApp],
) -> None:
    def handler(request: Request) -> Response:
        raise exc

    result = client(app_with(handler)).get("/", status=status)
    if header is not None:
        assert result.headers[header[0]] == header[1]
    if status < 400:
        assert result.body == b""
    else:
        assert result.json["title"] == f"{status} {result.status.split(' ', 1)[1]}"
        assert result.json["description"] == exc.description


def test_werkzeug_abort_is_rendered(client: Callable[[Any], TestApp]) -> None:
    def handler(request: Request) -> Response:
        wz.abort(418)

    result = client(app_with(handler)).get("/", headers={"Accept": BROWSER}, status=418)
    assert result.content_type == "text/html"
    assert "418 I&#x27;m a Teapot" in result.text


# -- dispatch and routing -----------------------------------------------------------------


def test_custom_dispatch_receives_the_request(client: Callable[[Any], TestApp]) -> None:
    class MyRequest(Request):
        pass

    seen: list[Request] = []

    def dispatch(request: Request) -> Response:
        seen.append(request)
        return Response(f"{request.method} {request.path} {request.args.get('q')}")

    kernel = Kernel(dispatch=dispatch, request_class=MyRequest)
    assert client(kernel).get("/any/path?q=1").text == "GET /any/path 1"
    (request,) = seen
    assert type(request) is MyRequest
    assert request.route is None  # it chose not to route


def test_match_records_the_route_on_the_request(client: Callable[[Any], TestApp]) -> None:
    router = Router()

    def dispatch(request: Request) -> Response:
        match = kernel.match(request)
        assert request.route is match.route
        assert request.route_params == match.params
        return Response(f"{request.route.name} {request.route_params}")

    kernel = Kernel(router, dispatch)
    router.add("/users/<int:user_id>", None, name="user")
    assert client(kernel).get("/users/42").text == "user {'user_id': 42}"
    client(kernel).get("/nowhere", status=404)


def test_default_dispatch_calls_the_target_with_params(client: Callable[[Any], TestApp]) -> None:
    router = Router()
    router.add(
        "/items/<int:item>/<name>",
        lambda request, item, name: Response(f"{item + 1}:{name}:{request.route.name}"),
        name="item",
    )
    assert client(Kernel(router)).get("/items/41/x").text == "42:x:item"


def test_routing_errors_are_rendered(client: Callable[[Any], TestApp]) -> None:
    router = Router()
    router.add("/only-get", lambda request: Response("ok"))
    router.add("/dir/", lambda request: Response("dir"))
    app = client(Kernel(router))
    assert app.get("/missing", status=404).json["title"] == "404 Not Found"
    not_allowed = app.post("/only-get", status=405)
    assert not_allowed.headers["Allow"] == "GET, HEAD, OPTIONS"
    redirect = app.get("/dir", status=308)
    assert redirect.headers["Location"].endswith("/dir/")
    assert redirect.body == b""


@pytest.mark.parametrize(
    ("route", "path", "query", "location"),
    [
        ("/café/", "/café", "", "/caf%C3%A9/"),
        ("/caf€/", "/caf€", "q=%20a&b", "/caf%E2%82%AC/?q=%20a&b"),
        ("/a b/", "/a b", "", "/a%20b/"),
        ("/100%/", "/100%", "", "/100%25/"),
    ],
)
def test_slash_redirect_location_is_percent_encoded(
    route: str,
    path: str,
    query: str,
    location: str,
    environ: Callable[..., Environ],
    wsgi: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The router's Location is the decoded path; a header must carry it as a URI (and
    # non-latin-1 text there would be refused as unsafe: a 500 instead of a redirect).
    router = Router()
    router.add(route, lambda request: Response("ok"))
    raw_path = path.encode().decode("latin-1")  # PEP 3333 hands UTF-8 over as latin-1
    with caplog.at_level(logging.ERROR, logger="resources_fw"):
        result = wsgi(Kernel(router), environ(method="GET", path=raw_path, query=query))
    assert result.code == 308
    assert result.header("Location") == location


def test_automatic_options(client: Callable[[Any], TestApp]) -> None:
    router = Router()
    router.add("/thing", lambda request: Response("thing"), methods=("GET", "POST"))
    result = client(Kernel(router)).options("/thing")
    assert result.status == "200 OK"
    assert result.headers["Allow"] == "GET, HEAD, OPTIONS, POST"
    assert result.body == b""
    assert result.headers["Content-Length"] == "0"


def test_automatic_head_matches_get(client: Callable[[Any], TestApp]) -> None:
    router = Router()
    router.add("/page", lambda request: Response("a page body"))
    app = client(Kernel(router))
    got = app.get("/page")
    head = app.head("/page")
    assert head.body == b""
    assert list(head.headers.items()) == list(got.headers.items())


def test_kernel_passes_its_limits_and_decoders(
    client: Callable[[Any], TestApp],
) -> None:
    decoders = MediaDecoders()
    decoders.decoders["text/csv"] = lambda request: request.get_data(as_text=True).split(",")
    limits = Limits(max_content_length=10)

    def handler(request: Request) -> Response:
        assert request.limits is limits
        assert request.decoders is decoders
        return Response("|".join(request.get_media()))

    app = client(app_with(handler, limits=limits, decoders=decoders))
    assert app.post("/", b"a,b", content_type="text/csv").text == "a|b"
    assert app.post("/", b"a,b,c,d,e,f", content_type="text/csv", status=413)


def test_response_class_used_for_errors_and_options(client: Callable[[Any], TestApp]) -> None:
    class HTMLResponse(Response):
        default_mimetype = "text/html"

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.headers["X-Made-By"] = "HTMLResponse"

    router = Router()
    router.add("/", lambda request: HTMLResponse("<p>hi</p>"))
    kernel = Kernel(router, response_class=HTMLResponse)
    assert type(kernel.options_response(["GET"])) is HTMLResponse
    app = client(kernel)
    assert app.get("/").headers["Content-Type"] == "text/html; charset=utf-8"
    assert app.options("/").headers["Content-Type"] == "text/html; charset=utf-8"
    assert app.get("/missing", status=404).headers["X-Made-By"] == "HTMLResponse"


def test_unsafe_header_with_propagate_exceptions_raises(environ: Callable[..., Environ]) -> None:
    app = app_with(lambda request: Response("x", headers={"X": "\x00"}), propagate_exceptions=True)
    with pytest.raises(ValueError, match="control character"):
        app(environ(method="GET"), lambda *a: lambda d: None)
