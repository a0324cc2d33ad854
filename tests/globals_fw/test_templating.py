"""Jinja templates: folders, autoescape, globals, filters, streaming, signals."""

from __future__ import annotations

from typing import Any

import pytest
from jinja2 import TemplateNotFound

from globals_fw import (
    App,
    before_render_template,
    flash,
    g,
    get_template_attribute,
    render_template,
    render_template_string,
    session,
    stream_template,
    stream_template_string,
    template_rendered,
)


@pytest.fixture
def tpl_app(tmp_path: Any) -> App:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "page.html").write_text(
        "{{ value }}|{{ url_for('page') }}|{{ config.SITE }}|{{ g.who }}|"
        "{{ session.get('s') }}|{{ request.path }}|{{ get_flashed_messages()|join(',') }}"
    )
    (templates / "plain.txt").write_text("{{ value }}")
    (templates / "macros.html").write_text("{% macro hi(n) %}hi {{ n }}{% endmacro %}")
    app = App("tpl", root_path=str(tmp_path))
    app.config.update(SECRET_KEY="k", SITE="Site", TESTING=True)

    @app.route("/page")
    def page() -> str:
        g.who = "G"
        session["s"] = "S"
        flash("F")
        return render_template("page.html", value="<i>")

    return app


def test_render_template_has_flask_globals_and_autoescapes(tpl_app: App, client: Any) -> None:
    assert client(tpl_app).get("/page").text == "&lt;i&gt;|/page|Site|G|S|/page|F"


def test_txt_templates_are_not_escaped(tpl_app: App) -> None:
    with tpl_app.app_context():
        assert render_template("plain.txt", value="<i>") == "<i>"
        assert render_template_string("{{ v }}", v="<i>") == "&lt;i&gt;"
        assert render_template(["missing.html", "plain.txt"], value="x") == "x"
        with pytest.raises(TemplateNotFound):
            render_template("missing.html")


def test_filters_tests_globals(tpl_app: App) -> None:
    @tpl_app.template_filter()
    def reverse(s: str) -> str:
        return s[::-1]

    @tpl_app.template_test("short")
    def is_short(s: str) -> bool:
        return len(s) < 3

    @tpl_app.template_global("answer")
    def answer() -> int:
        return 42

    with tpl_app.app_context():
        out = render_template_string("{{ 'abc'|reverse }} {{ 'ab' is short }} {{ answer() }}")
    assert out == "cba True 42"


def test_get_template_attribute(tpl_app: App) -> None:
    with tpl_app.app_context():
        assert get_template_attribute("macros.html", "hi")("x") == "hi x"


def test_stream_template_keeps_context(tpl_app: App, client: Any) -> None:
    @tpl_app.route("/stream")
    def stream() -> Any:
        g.who = "streamed"
        return stream_template_string("{% for i in range(3) %}{{ i }}{% endfor %} {{ g.who }}")

    assert client(tpl_app).get("/stream").text == "012 streamed"
    with tpl_app.app_context():
        assert "".join(stream_template("plain.txt", value="v")) == "v"


def test_template_signals(tpl_app: App) -> None:
    seen: list[str] = []

    def before(sender: App, template: Any, context: dict[str, Any]) -> None:
        seen.append(f"before {template.name}")

    def rendered(sender: App, template: Any, context: dict[str, Any]) -> None:
        seen.append(f"rendered {template.name} {context['value']}")

    with (
        before_render_template.connected_to(before, tpl_app),
        template_rendered.connected_to(rendered, tpl_app),
        tpl_app.app_context(),
    ):
        render_template("plain.txt", value="v")
    assert seen == ["before plain.txt", "rendered plain.txt v"]


def test_debug_enables_auto_reload(tpl_app: App) -> None:
    env = tpl_app.jinja_env
    assert env.auto_reload is False
    tpl_app.debug = True
    assert env.auto_reload is True
