"""Cross-site scripting and template injection in globals_fw's Jinja templates (matrix row 25).

HTML-like templates (``.html``, ``.htm``, ``.xml``, ``.xhtml``, ``.svg``) and template strings
are autoescaped; ``tojson`` output is safe inside ``<script>``; text the user sent is only ever
a value in a template, never template source.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from reliability_spec import build_environ, call_wsgi

import globals_fw
from globals_fw import render_template, render_template_string, request

XSS = "<script>alert('x')</script>&\""
SSTI = "{{ 7 * 7 }}{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}"
ESCAPING = [".html", ".htm", ".xml", ".xhtml", ".svg"]


@pytest.fixture
def app(tmp_path: Path) -> globals_fw.App:
    templates = tmp_path / "templates"
    templates.mkdir()
    for ext in [*ESCAPING, ".txt"]:
        (templates / f"page{ext}").write_text("<p>{{ value }}</p>")
    (templates / "script.html").write_text("<script>var data = {{ value|tojson }};</script>")
    application = globals_fw.App("templates", root_path=str(tmp_path), static_folder=None)

    @application.get("/page/<ext>")
    def page(ext: str) -> Any:
        return render_template(f"page.{ext}", value=request.args.get("v", ""))

    @application.get("/string")
    def string() -> Any:
        return render_template_string("<p>{{ value }}</p>", value=request.args.get("v", ""))

    @application.get("/script")
    def script() -> Any:
        return render_template("script.html", value=request.args.get("v", ""))

    return application


def _get(app: globals_fw.App, path: str, value: str) -> str:
    result = call_wsgi(app, build_environ("GET", path, query="v=" + quote(value)))
    assert result.code == 200, result.status
    return str(result.body.decode())


@pytest.mark.parametrize("ext", [e[1:] for e in ESCAPING])
def test_html_like_templates_are_autoescaped(app: globals_fw.App, ext: str) -> None:
    body = _get(app, f"/page/{ext}", XSS)
    assert "<script>" not in body
    assert body == "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#34;</p>"


def test_template_strings_are_autoescaped(app: globals_fw.App) -> None:
    assert "<script>" not in _get(app, "/string", XSS)


def test_text_templates_are_not_escaped(app: globals_fw.App) -> None:
    # Flask's rule: only the HTML-like extensions above (case-sensitive) are escaped.
    assert _get(app, "/page/txt", XSS) == f"<p>{XSS}</p>"


@pytest.mark.parametrize(
    "value",
    [
        "</script><script>alert(1)</script>",
        "</SCRIPT>",
        "<!--",
        "'quotes' & \"doubles\"",
        "\u2028\u2029",
    ],
)
def test_tojson_is_safe_inside_a_script_element(app: globals_fw.App, value: str) -> None:
    body = _get(app, "/script", value)
    inner = body.removeprefix("<script>var data = ").removesuffix(";</script>")
    assert not set("<>&'") & set(inner)
    assert json.loads(inner) == value  # still the same string for the script


@pytest.mark.parametrize("path", ["/string", "/page/html", "/script"])
def test_what_the_user_sends_is_never_template_source(app: globals_fw.App, path: str) -> None:
    body = _get(app, path, SSTI)
    assert "49" not in body
    assert "subclasses" in body  # shown as text (escaped), not run
    assert "<class" not in body


def test_error_pages_do_not_evaluate_the_path(app: globals_fw.App) -> None:
    environ = build_environ("GET", "/{{7*7}}", headers={"Accept": "text/html"})
    result = call_wsgi(app, environ)
    assert result.code == 404
    assert b"49" not in result.body
