"""The direct (one-frame) path of ``App.wsgi_app`` against the step-by-step path: the same
answers, the same failure handling, the same response class."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from webtest import TestApp
from webtest import TestResponse as WebTestResponse
from werkzeug.test import EnvironBuilder

from globals_fw import (
    App,
    Response,
    abort,
    after_this_request,
    jsonify,
    redirect,
    request,
    session,
    signals,
    stream_with_context,
)
from globals_fw.ctx import AppContext, RequestContext
from globals_fw.globals import _cv_app, _cv_request
from globals_fw.json import DefaultJSONProvider
from globals_fw.sessions import SecureCookieSessionInterface

Client = Callable[[Any], TestApp]


def make_app() -> App:
    """An app without hooks or signal receivers: plain requests take the direct path."""
    app = App("fast_paths", root_path="/nonexistent", static_folder=None, template_folder=None)
    app.config.update(SECRET_KEY="fast paths secret")
    _add_plain_views(app)
    _add_context_views(app)
    _add_other_views(app)
    return app


def _add_plain_views(app: App) -> None:
    @app.route("/str")
    def text() -> str:
        return "hello " + request.args.get("name", "world")

    @app.route("/dict")
    def mapping() -> dict[str, Any]:
        return {"a": 1, "b": [1, 2], "c": "é"}

    @app.route("/tuple", methods=["GET", "POST"])
    def with_status() -> Any:
        return "made", 201, {"X-Custom": "yes"}

    @app.route("/abort")
    def aborting() -> str:
        abort(400)

    @app.route("/boom")
    def boom() -> str:
        raise RuntimeError("secret detail")

    @app.route("/redirect")
    def redirecting() -> Any:
        return redirect("/str")


def _add_context_views(app: App) -> None:
    @app.route("/session/set")
    def session_set() -> str:
        session["n"] = session.get("n", 0) + 1
        return "set"

    @app.route("/session/get")
    def session_get() -> str:
        return f"n={session.get('n')}"

    @app.route("/after")
    def after() -> str:
        @after_this_request
        def add_header(response: Response) -> Response:
            response.headers["X-After"] = "ran"
            return response

        return "after"

    @app.route("/stream")
    def stream() -> Response:
        def generate() -> Iterator[str]:
            yield "path="
            yield request.path  # needs the request context kept for the stream

        return Response(stream_with_context(generate()), mimetype="text/plain")

    @app.route("/json")
    def json_view() -> Response:
        return jsonify(x=1, y=[True, None])


def _add_other_views(app: App) -> None:
    @app.route("/dir/")
    def directory() -> str:
        return "dir"

    @app.route("/bytes")
    def raw() -> bytes:
        return b"raw"

    @app.route("/gen")
    def generated() -> Iterator[str]:
        yield "a"
        yield "b"

    @app.route("/u/<int:x>")
    def user(x: int) -> str:
        return str(x * 2)

    @app.route("/bad-header")
    def bad_header() -> Any:
        return "x", {"X-Bad": "a\nb"}

    @app.route("/list")
    def listing() -> list[int]:
        return [1, 2]

    @app.route("/surrogate")
    def surrogate() -> str:
        return "lone \ud800"  # cannot be encoded: a logged 500 on both paths

    @app.route("/nan")
    def not_a_number() -> dict[str, float]:
        return {"x": float("nan")}  # not JSON: a logged 500 on both paths


# (method, path, headers)
REQUESTS: list[tuple[str, str, dict[str, str]]] = [
    ("GET", "/str", {}),
    ("GET", "/after", {}),  # before any cookie is set: a str view with a callback
    ("GET", "/str?name=you%20two", {}),
    ("GET", "/dict", {}),
    ("GET", "/tuple", {}),
    ("POST", "/tuple", {}),
    ("GET", "/missing", {}),
    ("GET", "/missing", {"Accept": "text/html"}),
    ("POST", "/str", {}),
    ("HEAD", "/str", {}),
    ("HEAD", "/dict", {}),
    ("GET", "/list", {}),
    ("HEAD", "/list", {}),
    ("GET", "/surrogate", {}),
    ("GET", "/nan", {}),
    ("GET", "/abort", {}),
    ("GET", "/abort", {"Accept": "text/html"}),
    ("GET", "/boom", {}),
    ("GET", "/redirect", {}),
    ("OPTIONS", "/str", {}),
    ("OPTIONS", "/tuple", {}),
    ("GET", "/session/get", {}),
    ("GET", "/session/set", {}),
    ("GET", "/session/set", {}),
    ("GET", "/session/get", {}),
    ("GET", "/after", {}),
    ("GET", "/stream", {}),
    ("GET", "/json", {}),
    ("GET", "/dir", {}),
    ("GET", "/dir/", {}),
    ("GET", "/dir?q=1", {}),
    ("HEAD", "/stream", {}),
    ("GET", "/bytes", {}),
    ("GET", "/gen", {}),
    ("GET", "/u/21", {}),
    ("GET", "/u/x", {}),
    ("GET", "/bad-header", {}),
    ("GET", "/list", {}),
]


def _normalized_headers(app: App, resp: WebTestResponse) -> list[tuple[str, str]]:
    """The header list, with a session cookie's (time-stamped) value replaced by the session
    it holds."""
    interface = app.session_interface
    assert isinstance(interface, SecureCookieSessionInterface)
    serializer = interface.get_signing_serializer(app)
    assert serializer is not None
    out = []
    for name, value in resp.headerlist:
        if name.lower() == "set-cookie" and value.startswith("session="):
            cookie, _, attributes = value.partition(";")
            data = serializer.loads(cookie.removeprefix("session="))
            value = f"session={sorted(data.items())!r};{attributes}"
        out.append((name, value))
    return out


def _run_all(app: App, client: Client) -> list[tuple[int, list[tuple[str, str]], bytes]]:
    http = client(app)  # a fresh cookie jar per run: both runs send the same cookies
    results = []
    for method, path, headers in REQUESTS:
        resp = http.request(path, method=method, headers=headers, expect_errors=True)
        # Header order between different names carries no meaning (the direct path puts
        # Content-Type before Content-Length): compare the headers as a multiset.
        results.append((resp.status_int, sorted(_normalized_headers(app, resp)), resp.body))
    return results


@pytest.fixture
def layered_calls(monkeypatch: pytest.MonkeyPatch) -> Callable[[App], list[str]]:
    """Count, per app, the requests that took the step-by-step path."""

    def watch(app: App) -> list[str]:
        calls: list[str] = []
        original = app._dispatch_layered

        def counting(environ: Any, start_response: Any) -> Any:
            calls.append(environ["PATH_INFO"])
            return original(environ, start_response)

        monkeypatch.setattr(app, "_dispatch_layered", counting)
        return calls

    return watch


def test_direct_and_layered_paths_answer_alike(
    client: Client,
    caplog: pytest.LogCaptureFixture,
    layered_calls: Callable[[App], list[str]],
) -> None:
    app = make_app()
    calls = layered_calls(app)
    with caplog.at_level(logging.ERROR):
        direct = _run_all(app, client)
    assert calls == [], "plain requests should take the direct path"
    direct_errors = [r for r in caplog.records if r.exc_info]

    def receiver(sender: Any, **extra: Any) -> None:
        return None

    caplog.clear()
    signals.request_started.connect(receiver, app)
    try:
        with caplog.at_level(logging.ERROR):
            layered = _run_all(app, client)
    finally:
        # From every sender: blinker keeps a receiver disconnected from one sender in
        # ``receivers``, which would keep later requests on the layered path (see
        # test_disconnecting_from_the_sender_restores_the_direct_path).
        signals.request_started.disconnect(receiver)
    assert not signals.request_started.receivers
    assert len(calls) == len(REQUESTS), "a request_started receiver forces the layered path"
    layered_errors = [r for r in caplog.records if r.exc_info]

    for request_spec, one, other in zip(REQUESTS, direct, layered, strict=True):
        assert one == other, request_spec
    # Sanity: the answers are the expected ones, not merely equal.
    by_request = dict(zip((f"{m} {p} {h}" for m, p, h in REQUESTS), direct, strict=False))
    assert by_request["GET /str {}"][0] == 200
    assert by_request["GET /str {}"][2] == b"hello world"
    assert by_request["GET /str?name=you%20two {}"][2] == b"hello you two"
    assert by_request["GET /missing {}"][0] == 404
    assert by_request["POST /str {}"][0] == 405
    assert by_request["HEAD /str {}"][2] == b""
    assert by_request["GET /abort {}"][0] == 400
    assert by_request["GET /boom {}"][0] == 500
    assert b"secret" not in by_request["GET /boom {}"][2]
    assert by_request["GET /redirect {}"][0] == 302
    assert by_request["OPTIONS /str {}"][0] == 200
    assert by_request["GET /session/get {}"][2] == b"n=2"
    after = [result for spec, result in zip(REQUESTS, direct, strict=True) if spec[1] == "/after"]
    assert len(after) == 2  # without and with a session cookie
    assert all(("X-After", "ran") in headers for _, headers, _ in after)
    assert by_request["GET /stream {}"][2] == b"path=/stream"
    assert by_request["GET /dir {}"][0] == 308
    assert by_request["GET /dir?q=1 {}"][0] == 308
    assert ("Location", "/dir/?q=1") in by_request["GET /dir?q=1 {}"][1]
    assert ("X-Custom", "yes") in by_request["GET /tuple {}"][1]
    assert by_request["GET /u/21 {}"][2] == b"42"
    assert by_request["GET /u/x {}"][0] == 404
    assert by_request["GET /bad-header {}"][0] == 500
    # The view error and the unsafe header are logged, with tracebacks, on both paths.
    direct_kinds = [type(r.exc_info[1]) for r in direct_errors]  # type: ignore[index]
    layered_kinds = [type(r.exc_info[1]) for r in layered_errors]  # type: ignore[index]
    assert direct_kinds == layered_kinds
    # The view's RuntimeError, the unencodable str, NaN in JSON, the newline in a header.
    assert sorted(k.__name__ for k in direct_kinds) == [
        "RuntimeError",
        "UnicodeEncodeError",
        "ValueError",
        "ValueError",
    ]
    assert by_request["GET /surrogate {}"][0] == 500
    assert by_request["GET /nan {}"][0] == 500
    assert by_request["GET /list {}"][2] == b"[1,2]\n"
    assert by_request["HEAD /list {}"][2] == b""


@pytest.mark.parametrize("layered", [False, True])
def test_failing_teardown_is_a_logged_500(
    client: Client, caplog: pytest.LogCaptureFixture, layered: bool
) -> None:
    app = make_app()
    torn_down: list[BaseException | None] = []

    @app.teardown_request
    def failing(error: BaseException | None) -> None:
        torn_down.append(error)
        raise ValueError("teardown secret")

    if layered:

        @app.before_request
        def nothing() -> None:
            return None

    with caplog.at_level(logging.ERROR):
        resp = client(app).get("/str", status=500)
    assert b"teardown secret" not in resp.body
    assert torn_down == [None]
    logged = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert any(isinstance(exc, ValueError) for exc in logged)


@pytest.mark.parametrize("layered", [False, True])
def test_failing_500_handler_gives_a_minimal_500(
    client: Client, caplog: pytest.LogCaptureFixture, layered: bool
) -> None:
    app = make_app()

    @app.errorhandler(500)
    def broken_handler(error: Exception) -> str:
        raise KeyError("handler secret")

    if layered:

        @app.before_request
        def nothing() -> None:
            return None

    with caplog.at_level(logging.ERROR):
        resp = client(app).get("/boom", status=500, headers={"Accept": "application/json"})
    assert resp.json["title"] == "500 Internal Server Error"
    assert set(resp.json) <= {"title", "description"}
    assert b"secret" not in resp.body
    logged = [r.exc_info[1] for r in caplog.records if r.exc_info]
    assert any(isinstance(exc, KeyError) for exc in logged)


def _call(app: App, path: str) -> tuple[str, list[tuple[str, str]], bytes]:
    environ = EnvironBuilder(path=path).get_environ()
    seen: list[Any] = []
    chunks = app(environ, lambda status, headers, exc_info=None: seen.append((status, headers)))  # type: ignore[arg-type]
    try:
        body = b"".join(chunks)
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()
    return seen[0][0], seen[0][1], body


def test_testing_propagates_view_errors_on_the_direct_path(
    layered_calls: Callable[[App], list[str]],
) -> None:
    app = make_app()
    calls = layered_calls(app)
    assert _call(app, "/str")[0] == "200 OK"  # first request before testing is turned on
    app.testing = True
    with pytest.raises(RuntimeError, match="secret detail"):
        _call(app, "/boom")
    # HTTP errors are still answered, not raised.
    assert _call(app, "/missing")[0] == "404 Not Found"
    assert calls == []


def test_testing_propagates_through_the_test_client() -> None:
    app = make_app()
    app.testing = True
    with pytest.raises(RuntimeError, match="secret detail"):
        app.test_client().get("/boom")


class Tagged(Response):
    """A response class with an ``__init__`` of its own (so not lean)."""

    made: list[Any] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        Tagged.made.append(self)
        self.headers["X-Tagged"] = "1"


def test_own_response_class_with_init_is_used(
    client: Client, layered_calls: Callable[[App], list[str]]
) -> None:
    assert Response.lean_init is True
    assert Tagged.lean_init is False
    Tagged.made = []
    app = make_app()
    app.response_class = Tagged
    calls = layered_calls(app)
    http = client(app)
    for path in ("/str", "/json", "/dict"):
        resp = http.get(path)
        assert resp.headers["X-Tagged"] == "1", path
    assert resp.json == {"a": 1, "b": [1, 2], "c": "é"}
    assert http.get("/json").json == {"x": 1, "y": [True, None]}
    assert http.get("/missing", status=404).headers["X-Tagged"] == "1"
    assert len(Tagged.made) >= 5
    assert all(isinstance(r, Tagged) for r in Tagged.made)
    assert calls == []


def test_jsonify_with_own_response_class_calls_init() -> None:
    Tagged.made = []
    app = make_app()
    app.response_class = Tagged
    with app.test_request_context("/"):
        response = jsonify([1, 2])
    assert isinstance(response, Tagged)
    assert Tagged.made == [response]
    assert response.headers["X-Tagged"] == "1"
    assert response.mimetype == "application/json"


def _noop_receiver(sender: Any, **extra: Any) -> None:
    return None


def test_disconnecting_from_the_sender_restores_the_direct_path(
    layered_calls: Callable[[App], list[str]],
) -> None:
    app = make_app()
    calls = layered_calls(app)
    signals.request_started.connect(_noop_receiver, app)
    try:
        assert _call(app, "/str")[2] == b"hello world"
        assert calls == ["/str"]
        signals.request_started.disconnect(_noop_receiver, app)
        assert _call(app, "/str")[2] == b"hello world"
        assert calls == ["/str"], "the direct path is back once nobody listens"
    finally:
        signals.request_started.disconnect(_noop_receiver)


@pytest.mark.parametrize("which", ["request", "app"])
def test_context_classes_set_on_the_app_are_used(
    which: str, layered_calls: Callable[[App], list[str]]
) -> None:
    """The direct path makes the contexts itself, so only for our own classes: classes
    set on the instance (not a subclass of App) take the step-by-step path and are used."""
    made: list[str] = []

    class OwnRequestContext(RequestContext):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append("request")

    class OwnAppContext(AppContext):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append("app")

    app = make_app()
    calls = layered_calls(app)
    if which == "request":
        app.request_context_class = OwnRequestContext
    else:
        app.app_context_class = OwnAppContext
    assert _call(app, "/str")[2] == b"hello world"
    assert made == [which]
    assert calls == ["/str"]


def test_a_finished_request_context_can_be_pushed_again() -> None:
    """The direct path leaves the contexts as ``pop()`` would: pushing one again later
    (as a test holding on to it might) runs its teardown once, on that pop."""
    app = make_app()
    kept: list[RequestContext] = []
    torn: list[str] = []

    @app.route("/keep")
    def keep() -> str:
        kept.append(_cv_request.get())
        return "kept"

    assert _call(app, "/keep")[2] == b"kept"
    app.teardown_request(lambda exc: torn.append("down"))
    with kept[0]:
        assert request.path == "/keep"
    assert torn == ["down"]


def test_json_provider_settings_and_subclasses_are_honoured(client: Client) -> None:
    """A dict or list from a view is encoded on the direct path only by the default
    provider, with the app's settings; a provider of one's own is called as usual."""
    app = make_app()
    provider = app.json
    assert isinstance(provider, DefaultJSONProvider)
    provider.sort_keys = False
    provider.mimetype = "application/vnd.example+json"
    http = client(app)
    answer = http.get("/dict")
    assert answer.content_type == "application/vnd.example+json"
    assert answer.body == b'{"a":1,"b":[1,2],"c":"\\u00e9"}\n'

    class Wrapping(DefaultJSONProvider):
        def response(self, *args: Any, **kwargs: Any) -> Response:
            response = super().response(*args, **kwargs)
            response.headers["X-Provider"] = "own"
            return response

    app.json = Wrapping(app)
    assert http.get("/list").headers["X-Provider"] == "own"


def test_direct_path_contexts_have_the_state_their_init_makes() -> None:
    """The direct path makes both contexts without calling ``__init__``: the attributes
    must be the ones ``__init__`` (plus ``push``) would have made."""
    app = make_app()
    seen: dict[str, Any] = {}

    @app.route("/state")
    def state() -> str:
        ctx = _cv_request.get()
        app_ctx = _cv_app.get()
        made = RequestContext(app, request=ctx.request)
        made_app = AppContext(app)
        seen["request"] = (sorted(vars(ctx)), sorted(vars(made)))
        seen["app"] = (sorted(vars(app_ctx)), sorted(vars(made_app)))
        seen["values"] = (ctx.app, ctx.request, app_ctx.app, len(ctx._tokens))
        return "ok"

    assert _call(app, "/state")[2] == b"ok"
    assert seen["request"][0] == seen["request"][1]
    assert seen["app"][0] == seen["app"][1]
    assert seen["values"][0] is app
    assert seen["values"][2] is app
    assert seen["values"][3] == 1
