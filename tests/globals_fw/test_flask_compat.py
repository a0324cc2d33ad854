"""Flask behaviour that typical apps rely on, found missing by running Flask's own tutorial
and test suite against globals_fw (import lines changed only). Each test is ours."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import werkzeug.serving
from jinja2 import BaseLoader, DictLoader

from globals_fw import (
    App,
    Blueprint,
    json,
    render_template,
    render_template_string,
    request,
    send_file,
    url_for,
)
from globals_fw.json import DefaultJSONProvider
from resources_fw.core import RouteConflictError

# -- rules Flask keeps for url_for only --------------------------------------------------


def test_a_rule_without_a_view_under_a_blueprint_route_builds_but_never_answers(
    app: App, client: Any
) -> None:
    # The Flask tutorial: the blog's index at "/", and "index" as a second name for it.
    blog = Blueprint("blog", __name__)

    @blog.route("/")
    def index() -> str:
        return f"blog index; home is {url_for('index')}"

    app.register_blueprint(blog)
    app.add_url_rule("/", endpoint="index")

    assert client(app).get("/").text == "blog index; home is /"
    assert sorted(r.endpoint or "" for r in app.url_map.iter_rules()) == ["blog.index", "index"]


def test_two_views_for_the_same_rule_are_still_refused(app: App) -> None:
    app.add_url_rule("/", "first", lambda: "1")
    with pytest.raises(RouteConflictError, match="conflicts with '/'"):
        app.add_url_rule("/", "second", lambda: "2")


def test_a_blueprint_static_folder_without_prefix_is_served_by_the_apps(
    tmp_path: Path, client: Any
) -> None:
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.css").write_text("app css")
    (tmp_path / "bp" / "static").mkdir(parents=True)
    (tmp_path / "bp" / "static" / "bp.css").write_text("bp css")
    app = App("static_app", root_path=str(tmp_path))
    bp = Blueprint("bp", "static_app", root_path=str(tmp_path / "bp"), static_folder="static")
    app.register_blueprint(bp)  # its /static/<path:filename> is under the app's, as in Flask

    with app.test_request_context():
        assert url_for("bp.static", filename="bp.css") == "/static/bp.css"
    http = client(app)
    assert http.get("/static/site.css").text == "app css"
    http.get("/static/bp.css", status=404)
    with app.test_request_context(), bp.send_static_file("bp.css") as rv:
        assert rv.get_data() == b"bp css"


# -- url_map -----------------------------------------------------------------------------


def test_url_defaults_can_ask_which_endpoints_take_a_value(app: App, client: Any) -> None:
    # Flask's documented URL-processor pattern for a language code in the URL.
    @app.url_defaults
    def add_lang(endpoint: str, values: dict[str, Any]) -> None:
        if app.url_map.is_endpoint_expecting(endpoint, "lang"):
            values.setdefault("lang", "en")

    @app.route("/<lang>/about")
    def about(lang: str) -> str:
        return url_for("about") + " " + url_for("plain")

    @app.route("/plain")
    def plain() -> str:
        return ""

    assert client(app).get("/de/about").text == "/en/about /plain"
    assert app.url_map.is_endpoint_expecting("about", "lang")
    assert not app.url_map.is_endpoint_expecting("plain", "lang")
    assert not app.url_map.is_endpoint_expecting("nowhere", "lang")


def test_url_for_takes_a_field_named_self(app: App) -> None:
    @app.route("/<self>")
    def index(self: str) -> str:
        return self

    with app.test_request_context():
        assert url_for("index", self="me") == "/me"


# -- templates ---------------------------------------------------------------------------


def test_blueprint_registers_app_wide_template_tests_and_globals(app: App) -> None:
    bp = Blueprint("bp", __name__)

    def short(value: str) -> bool:
        return len(value) < 3

    bp.add_app_template_test(short)
    bp.add_app_template_global(lambda: "hi", "greet")

    @bp.app_template_test("long")
    def long_(value: str) -> bool:
        return not short(value)

    app.register_blueprint(bp)
    with app.app_context():
        source = "{{ 'ab' is short }} {{ 'abcd' is long }} {{ greet() }}"
        assert render_template_string(source) == "True True hi"


def test_create_global_jinja_loader_can_be_overridden(client: Any) -> None:
    class DictApp(App):
        def create_global_jinja_loader(self) -> BaseLoader:
            return DictLoader({"page.html": "from a dict: {{ n }}"})

    app = DictApp("dict_app", root_path="/nonexistent")
    app.add_url_rule("/", "page", lambda: render_template("page.html", n=1))
    assert client(app).get("/").text == "from a dict: 1"


# -- JSON --------------------------------------------------------------------------------


class _Point:
    def __init__(self, x: int) -> None:
        self.x = x


class _PointProvider(DefaultJSONProvider):
    """Decodes ``{"$point": x}`` as a point: a provider that passes ``object_hook``."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        kwargs.setdefault("object_hook", self._hook)
        return super().loads(s, **kwargs)

    @staticmethod
    def _hook(obj: dict[str, Any]) -> Any:
        return _Point(obj["$point"]) if list(obj) == ["$point"] else obj


def test_a_custom_provider_loads_request_bodies_with_its_options(app: App, client: Any) -> None:
    app.json = _PointProvider(app)

    @app.post("/")
    def index() -> str:
        point = request.get_json()["at"]
        return f"{type(point).__name__} {point.x}"

    http = client(app)
    assert http.post_json("/", {"at": {"$point": 3}}).text == "_Point 3"
    # Options or not, NaN stays refused: a 400, not a float the app cannot send back.
    http.post("/", b'{"at": NaN}', content_type="application/json", status=400)


def test_json_dump_and_load_use_the_apps_provider(app: App) -> None:
    app.json = _PointProvider(app)
    out = io.StringIO()
    with app.app_context():
        json.dump({"b": 1, "a": [2]}, out)
        # Keys sorted: the app's provider, spaced like json.dumps (as Flask's).
        assert out.getvalue() == '{"a": [2], "b": 1}'
        out.seek(0)
        assert json.load(out) == {"a": [2], "b": 1}
        assert json.load(io.BytesIO(b'{"$point": 4}')).x == 4
    assert json.load(io.StringIO("[1]")) == [1]  # no app: the standard library


# -- requests and responses --------------------------------------------------------------


def test_one_view_may_accept_a_larger_body_than_the_app(app: App, client: Any) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 10

    @app.post("/upload")
    def upload() -> str:
        request.max_content_length = 100
        return str(len(request.get_data()))

    @app.post("/other")
    def other() -> str:
        return str(len(request.get_data()))

    http = client(app)
    assert http.post("/upload", b"x" * 50).text == "50"
    http.post("/other", b"x" * 50, status=413)


def test_request_form_limits_can_be_set_for_one_request(app: App, client: Any) -> None:
    @app.post("/small-fields")
    def small_fields() -> str:
        request.max_form_memory_size = 10
        return ",".join(request.form)

    @app.post("/two-parts")
    def two_parts() -> str:
        request.max_form_parts = 2
        return ",".join(request.form)

    http = client(app)
    assert http.post("/small-fields", {"a": "1", "b": "2"}).text == "a,b"
    http.post("/small-fields", {"a": "x" * 20}, status=413)
    multipart = "multipart/form-data"
    assert http.post("/two-parts", {"a": "1"}, content_type=multipart).text == "a"
    http.post("/two-parts", {"a": "1", "b": "2", "c": "3"}, content_type=multipart, status=413)


def test_an_unserved_response_can_be_closed(app: App, tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("data")
    closed: list[str] = []
    with app.test_request_context():
        rv = send_file(path)
        rv.call_on_close(lambda: closed.append("callback"))
        assert rv.get_data() == b"data"
        rv.close()
        rv.close()  # a second close runs nothing twice
    assert closed == ["callback"]


def test_the_missing_form_key_is_named_in_debug_only(app: App, client: Any) -> None:
    app.config["TRAP_BAD_REQUEST_ERRORS"] = False

    @app.post("/")
    def index() -> str:
        return request.form["name"]

    http = client(app)
    json_only = {"Accept": "application/json"}
    app.debug = True
    assert "KeyError: 'name'" in http.post("/", {"n": "1"}, json_only, status=400).text
    app.debug = False
    assert "name" not in http.post("/", {"n": "1"}, json_only, status=400).text


@pytest.mark.parametrize("hooks", [False, True], ids=["direct path", "step-by-step path"])
def test_405_does_not_offer_options_a_rule_refuses(app: App, client: Any, hooks: bool) -> None:
    if hooks:
        app.before_request(lambda: None)
    app.add_url_rule(
        "/", "index", lambda: "ok", methods=["GET", "POST"], provide_automatic_options=False
    )
    app.add_url_rule("/auto", "auto", lambda: "ok")

    http = client(app)
    assert http.put("/", status=405).headers["Allow"] == "GET, HEAD, POST"
    assert http.options("/", status=405).headers["Allow"] == "GET, HEAD, POST"
    assert http.put("/auto", status=405).headers["Allow"] == "GET, HEAD, OPTIONS"


# -- async hooks -------------------------------------------------------------------------


def test_async_hooks_and_error_handlers_are_awaited(app: App, client: Any) -> None:
    calls: list[str] = []
    bp = Blueprint("bp", __name__)

    @app.before_request
    async def before() -> None:
        calls.append("before")

    @app.after_request
    async def after(response: Any) -> Any:
        calls.append("after")
        response.headers["X-After"] = "yes"
        return response

    @app.teardown_request
    async def teardown(error: BaseException | None) -> None:
        calls.append("teardown")

    @app.teardown_appcontext
    async def teardown_app(error: BaseException | None) -> None:
        calls.append("teardown_app")

    @bp.errorhandler(LookupError)
    async def missing(error: LookupError) -> tuple[str, int]:
        return f"missing {error}", 404

    @bp.before_app_request
    async def bp_before() -> None:
        calls.append("bp_before")

    @bp.route("/item")
    async def item() -> str:
        raise LookupError("item")

    app.register_blueprint(bp, url_prefix="/bp")

    response = client(app).get("/bp/item", status=404)
    assert (response.text, response.headers["X-After"]) == ("missing item", "yes")
    assert calls == ["before", "bp_before", "after", "teardown", "teardown_app"]
    assert app.ensure_sync(before) is not before
    assert app.ensure_sync(len) is len


# -- running -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "server_name", "expected"),
    [
        ((), None, ("127.0.0.1", 5000)),
        ((), "example.test:8080", ("example.test", 8080)),
        (("localhost",), "example.test:8080", ("localhost", 8080)),
        ((None, 0), "example.test:8080", ("example.test", 0)),
        ((None, 80), "example.test", ("example.test", 80)),
    ],
)
def test_run_defaults_to_the_server_name(
    app: App,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[Any, ...],
    server_name: str | None,
    expected: tuple[str, int],
) -> None:
    seen: list[tuple[str, int]] = []

    def run_simple(host: str, port: int, *rest: Any, **kwargs: Any) -> None:
        seen.append((host, port))

    fake: Callable[..., None] = run_simple
    monkeypatch.setattr(werkzeug.serving, "run_simple", fake)
    app.config["SERVER_NAME"] = server_name
    app.run(*args)
    assert seen == [expected]
