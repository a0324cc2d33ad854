"""Request hooks: before/after/teardown, URL value processors, context processors."""

from __future__ import annotations

from typing import Any

from globals_fw import App, g, render_template_string, request, url_for


def test_hook_order_and_short_circuit(app: App, client: Any) -> None:
    events: list[str] = []

    @app.before_request
    def first() -> Any:
        events.append("before1")
        if request.args.get("stop"):
            return "stopped", 403
        return None

    @app.before_request
    def second() -> None:
        events.append("before2")

    @app.after_request
    def after1(response: Any) -> Any:
        events.append("after1")
        return response

    @app.after_request
    def after2(response: Any) -> Any:
        events.append("after2")
        response.headers["X-After"] = "yes"
        return response

    @app.teardown_request
    def td(exc: Any) -> None:
        events.append("teardown")

    @app.route("/")
    def index() -> str:
        events.append("view")
        return "ok"

    c = client(app)
    res = c.get("/")
    assert res.headers["X-After"] == "yes"
    assert events == ["before1", "before2", "view", "after2", "after1", "teardown"]
    events.clear()
    res = c.get("/?stop=1", status=403)
    assert res.text == "stopped"
    assert events == ["before1", "after2", "after1", "teardown"]


def test_before_request_runs_for_404_too(app: App, client: Any) -> None:
    seen: list[Any] = []
    app.before_request(lambda: seen.append(request.endpoint))
    client(app).get("/missing", status=404)
    assert seen == [None]


def test_error_in_before_request_goes_to_error_handler_and_after_hooks(
    app: App, client: Any
) -> None:
    @app.before_request
    def fail() -> None:
        raise PermissionError

    app.register_error_handler(PermissionError, lambda e: ("denied", 403))
    app.after_request(lambda r: (r.headers.add("X-A", "1"), r)[1])
    app.add_url_rule("/", "index", lambda: "never")
    res = client(app).get("/", status=403)
    assert res.text == "denied"
    assert res.headers["X-A"] == "1"


def test_url_value_preprocessor_and_url_defaults(app: App, client: Any) -> None:
    @app.url_defaults
    def add_lang(endpoint: str, values: dict[str, Any]) -> None:
        if "lang" in values:
            return
        if endpoint == "page" and "lang" in g:
            values.setdefault("lang", g.lang)

    @app.url_value_preprocessor
    def pull_lang(endpoint: str | None, values: dict[str, Any] | None) -> None:
        g.lang = values.pop("lang", None) if values else None

    @app.route("/<lang>/page")
    def page() -> str:
        return f"{g.lang} {url_for('page')}"

    assert client(app).get("/fr/page").text == "fr /fr/page"


def test_context_processor(app: App) -> None:
    @app.context_processor
    def inject() -> dict[str, Any]:
        return {"site": "Example", "who": "processor"}

    with app.test_request_context("/p"):
        g.x = "G"
        out = render_template_string(
            "{{ site }} {{ who }} {{ request.path }} {{ g.x }}", who="view"
        )
    assert out == "Example view /p G"


def test_teardown_appcontext_runs_after_teardown_request(app: App, client: Any) -> None:
    events: list[str] = []
    app.teardown_request(lambda exc: events.append("request"))
    app.teardown_appcontext(lambda exc: events.append("app"))
    app.add_url_rule("/", "index", lambda: "x")
    client(app).get("/")
    assert events == ["request", "app"]
