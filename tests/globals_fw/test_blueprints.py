"""Blueprints: prefixes, names, nesting, hooks, error handlers, templates, static files."""

from __future__ import annotations

from typing import Any

import pytest

from globals_fw import App, Blueprint, render_template, request, url_for


def test_prefix_endpoint_and_relative_url_for(app: App, client: Any) -> None:
    bp = Blueprint("admin", __name__, url_prefix="/admin")

    @bp.route("/")
    def index() -> str:
        return url_for(".users") + " " + url_for("admin.users") + " " + str(request.blueprint)

    @bp.route("/users")
    def users() -> str:
        return "users"

    app.register_blueprint(bp)
    c = client(app)
    assert c.get("/admin/").text == "/admin/users /admin/users admin"
    assert c.get("/admin/users").text == "users"
    assert "admin.index" in app.view_functions
    assert app.blueprints["admin"] is bp


def test_register_twice_with_name_and_url_prefix(app: App, client: Any) -> None:
    bp = Blueprint("api", __name__)
    bp.add_url_rule("/ping", "ping", lambda: request.endpoint)
    app.register_blueprint(bp, url_prefix="/v1")
    app.register_blueprint(bp, url_prefix="/v2", name="api2")
    c = client(app)
    assert c.get("/v1/ping").text == "api.ping"
    assert c.get("/v2/ping").text == "api2.ping"
    with pytest.raises(ValueError, match="already registered"):
        app.register_blueprint(bp, url_prefix="/v3")


def test_names_are_checked() -> None:
    with pytest.raises(ValueError, match="dot"):
        Blueprint("a.b", __name__)
    with pytest.raises(ValueError, match="empty"):
        Blueprint("", __name__)
    bp = Blueprint("x", __name__)
    with pytest.raises(ValueError, match="dot"):
        bp.add_url_rule("/", "a.b", lambda: "")
    with pytest.raises(ValueError, match="itself"):
        bp.register_blueprint(bp)


def test_nested_blueprints_and_hook_order(app: App, client: Any) -> None:
    events: list[str] = []
    parent = Blueprint("parent", __name__, url_prefix="/p")
    child = Blueprint("child", __name__, url_prefix="/c")

    app.before_request(lambda: events.append("app before"))
    parent.before_request(lambda: events.append("parent before"))
    child.before_request(lambda: events.append("child before"))

    def after(name: str) -> Any:
        def hook(response: Any) -> Any:
            events.append(f"{name} after")
            return response

        return hook

    app.after_request(after("app"))
    parent.after_request(after("parent"))
    child.after_request(after("child"))
    child.teardown_request(lambda exc: events.append("child teardown"))

    @child.route("/x")
    def x() -> str:
        return f"{request.endpoint} {request.blueprints} {url_for('.x')}"

    parent.register_blueprint(child)
    app.register_blueprint(parent)
    res = client(app).get("/p/c/x")
    assert res.text == "parent.child.x ['parent.child', 'parent'] /p/c/x"
    assert events == [
        "app before",
        "parent before",
        "child before",
        "child after",
        "parent after",
        "app after",
        "child teardown",
    ]


def test_blueprint_hooks_only_for_its_requests(app: App, client: Any) -> None:
    events: list[str] = []
    bp = Blueprint("bp", __name__, url_prefix="/bp")
    bp.before_request(lambda: events.append("bp"))
    bp.before_app_request(lambda: events.append("app-wide"))
    bp.add_url_rule("/", "i", lambda: "bp")
    app.add_url_rule("/", "root", lambda: "root")
    app.register_blueprint(bp)
    c = client(app)
    c.get("/")
    assert events == ["app-wide"]
    c.get("/bp/")
    assert events == ["app-wide", "app-wide", "bp"]


def test_blueprint_error_handlers(app: App, client: Any) -> None:
    bp = Blueprint("bp", __name__, url_prefix="/bp")

    @bp.errorhandler(KeyError)
    def bp_key(e: KeyError) -> Any:
        return "bp handled", 400

    @bp.app_errorhandler(404)
    def any_404(e: Any) -> Any:
        return "app-wide 404", 404

    @bp.route("/k")
    def k() -> str:
        raise KeyError

    @app.route("/k")
    def app_k() -> str:
        raise KeyError

    app.register_blueprint(bp)
    c = client(app)
    assert c.get("/bp/k", status=400).text == "bp handled"
    assert c.get("/missing", status=404).text == "app-wide 404"
    with pytest.raises(KeyError):
        app.test_client().get("/k")


def test_url_defaults_and_value_preprocessor_on_blueprint(app: App, client: Any) -> None:
    bp = Blueprint("lang", __name__, url_prefix="/<lang>")
    seen: dict[str, Any] = {}

    @bp.url_defaults
    def defaults(endpoint: str, values: dict[str, Any]) -> None:
        values.setdefault("lang", seen.get("lang", "en"))

    @bp.url_value_preprocessor
    def pull(endpoint: str | None, values: dict[str, Any] | None) -> None:
        seen["lang"] = values.pop("lang") if values else None

    @bp.route("/home")
    def home() -> str:
        return url_for(".home")

    app.register_blueprint(bp)
    assert client(app).get("/de/home").text == "/de/home"


def test_blueprint_url_defaults_option(app: App, client: Any) -> None:
    bp = Blueprint("bp", __name__, url_defaults={"kind": "a"})
    bp.add_url_rule("/k", "k", lambda kind: kind)
    app.register_blueprint(bp, url_prefix="/x", url_defaults={"kind": "b"})
    assert client(app).get("/x/k").text == "b"


def test_record_and_record_once(app: App) -> None:
    calls: list[Any] = []
    bp = Blueprint("bp", __name__)
    bp.record(lambda state: calls.append(("every", state.name, state.first_registration)))
    bp.record_once(lambda state: calls.append(("once", state.name)))
    app.register_blueprint(bp)
    app.register_blueprint(bp, name="again")
    assert calls == [
        ("every", "bp", True),
        ("once", "bp"),
        ("every", "again", False),
    ]


def test_blueprint_templates_filters_and_context_processor(tmp_path: Any, client: Any) -> None:
    (tmp_path / "bp_templates").mkdir()
    (tmp_path / "bp_templates" / "bp.html").write_text("{{ name|shout }} {{ extra }} {{ '<b>' }}")
    app = App("tpl", root_path=str(tmp_path))
    bp = Blueprint("bp", "tpl", template_folder="bp_templates", root_path=str(tmp_path))

    @bp.app_template_filter("shout")
    def shout(s: str) -> str:
        return s.upper()

    @bp.context_processor
    def extra() -> dict[str, str]:
        return {"extra": "from-bp"}

    @bp.route("/t")
    def t() -> str:
        return render_template("bp.html", name="ann")

    app.register_blueprint(bp)
    assert client(app).get("/t").text == "ANN from-bp &lt;b&gt;"


def test_blueprint_static_folder(tmp_path: Any, client: Any) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "a.txt").write_text("asset")
    app = App("s", root_path=str(tmp_path), static_folder=None)
    bp = Blueprint("bp", "s", static_folder="assets", url_prefix="/bp", root_path=str(tmp_path))
    app.register_blueprint(bp)
    assert client(app).get("/bp/assets/a.txt").text == "asset"
    with app.test_request_context():
        assert url_for("bp.static", filename="a.txt") == "/bp/assets/a.txt"


def test_bp_endpoint_decorator(app: App, client: Any) -> None:
    bp = Blueprint("bp", __name__)
    bp.add_url_rule("/e", "e")

    @bp.endpoint("e")
    def e() -> str:
        return "endpoint"

    app.register_blueprint(bp)
    assert client(app).get("/e").text == "endpoint"


def test_blueprint_cli_commands(app: App) -> None:
    import click

    grouped = Blueprint("users", __name__)
    flat = Blueprint("tools", __name__, cli_group=None)

    @grouped.cli.command("create")
    @click.argument("name")
    def create(name: str) -> None:
        from globals_fw import current_app

        click.echo(f"created {name} in {current_app.name}")

    @flat.cli.command("clean")
    def clean() -> None:
        click.echo("cleaned")

    app.register_blueprint(grouped)
    app.register_blueprint(flat)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "create", "ann"]).output == "created ann in test_app\n"
    assert runner.invoke(args=["clean"]).output == "cleaned\n"


def test_blueprint_app_template_global_and_test(app: App) -> None:
    from globals_fw import render_template_string

    bp = Blueprint("bp", __name__)

    @bp.app_template_global()
    def site() -> str:
        return "Site"

    @bp.app_template_test("even")
    def is_even(n: int) -> bool:
        return n % 2 == 0

    app.register_blueprint(bp)
    with app.app_context():
        assert render_template_string("{{ site() }} {{ 4 is even }}") == "Site True"
