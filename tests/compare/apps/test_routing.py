"""Behaviour spec of the routing app, run against both implementations."""

from __future__ import annotations

import pytest
from webtest import TestApp

APP = "routing"


def test_index_builds_links(app: TestApp) -> None:
    response = app.get("/")
    assert response.content_type == "application/json"
    assert response.json == {
        "links": {
            "user": "/users/7",
            "article": "/articles/2024/hello-world",
            "file": "/files/docs/read%20me.md",
            "search": "/search?q=wsgi&page=2",
            "docs": "/docs/",
        }
    }


def test_links_follow_the_mount_point(app: TestApp) -> None:
    links = app.get("/", extra_environ={"SCRIPT_NAME": "/api"}).json["links"]
    assert links["user"] == "/api/users/7"
    assert links["docs"] == "/api/docs/"
    user = app.get("/users/7", extra_environ={"SCRIPT_NAME": "/api"})
    assert user.json["self"] == "/api/users/7"


def test_built_links_resolve(app: TestApp) -> None:
    for link in app.get("/").json["links"].values():
        assert app.get(link).status_int == 200, link


def test_int_converter(app: TestApp) -> None:
    assert app.get("/users/7").json == {"id": 7, "name": "linus", "self": "/users/7"}


@pytest.mark.parametrize("path", ["/users/0", "/users/-1", "/users/abc", "/users/7.5"])
def test_int_converter_rejects(app: TestApp, path: str) -> None:
    response = app.get(path, status=404)
    assert response.json["title"] == "404 Not Found"


def test_unknown_user_is_a_404_naming_it(app: TestApp) -> None:
    assert app.get("/users/8", status=404).json == {
        "title": "404 Not Found",
        "description": "No user 8.",
    }


def test_custom_slug_converter(app: TestApp) -> None:
    assert app.get("/articles/2025/routing-tables").json == {
        "year": 2025,
        "slug": "routing-tables",
        "title": "Routing tables",
        "self": "/articles/2025/routing-tables",
    }
    for path in ("/articles/2024/Hello-World", "/articles/2024/hello--world", "/articles/1969/x"):
        app.get(path, status=404)
    assert app.get("/articles/2024/no-such", status=404).json["description"] == (
        "No article 'no-such' in 2024."
    )


def test_path_converter(app: TestApp) -> None:
    assert app.get("/files/docs/read%20me.md").json == {
        "path": "docs/read me.md",
        "parts": ["docs", "read me.md"],
    }


def test_uuid_converter(app: TestApp) -> None:
    value = "6f1a5b4e-7c1d-4b7a-9d2e-0b5a1c2d3e4f"
    assert app.get(f"/items/{value}").json == {"id": value, "version": 4}
    app.get("/items/not-a-uuid", status=404)


def test_fields_inside_a_segment(app: TestApp) -> None:
    assert app.get("/exports/report.csv").json == {"name": "report", "format": "csv"}
    assert app.get("/exports/report.json").json == {"name": "report", "format": "json"}
    app.get("/exports/report.xml", status=404)


def test_query_parameters(app: TestApp) -> None:
    assert app.get("/search?q=wsgi&page=2").json == {"q": "wsgi", "page": 2}
    assert app.get("/search").json == {"q": "", "page": 1}
    for bad in ("0", "x", "1.5", ""):
        response = app.get(f"/search?page={bad}", status=400)
        assert response.content_type == "application/json"
        assert '"page"' in response.json["description"]


def test_unknown_path_is_a_json_404(app: TestApp) -> None:
    response = app.get("/nowhere", status=404)
    assert response.content_type == "application/json"
    assert response.json["title"] == "404 Not Found"


def test_browsers_get_an_html_404(app: TestApp) -> None:
    response = app.get("/nowhere", headers={"Accept": "text/html"}, status=404)
    assert response.content_type == "text/html"
    assert "404 Not Found" in response.text


def test_wrong_method_is_a_405_with_allow(app: TestApp) -> None:
    response = app.post("/users/7", status=405)
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert response.json["title"] == "405 Method Not Allowed"
    app.delete("/about", status=405)


def test_head_and_options(app: TestApp) -> None:
    head = app.head("/users/7")
    assert head.body == b""
    assert int(head.headers["Content-Length"]) == len(app.get("/users/7").body)
    assert app.options("/users/7").headers["Allow"] == "GET, HEAD, OPTIONS"


def test_missing_trailing_slash_redirects(app: TestApp) -> None:
    response = app.get("/docs", status=308)
    assert response.headers["Location"].endswith("/docs/")
    assert app.get("/docs?x=1", status=308).headers["Location"].endswith("/docs/?x=1")
    assert response.follow().json == {"page": "docs"}


def test_extra_trailing_slash_is_a_404(app: TestApp) -> None:
    assert app.get("/about").json == {"page": "about"}
    app.get("/about/", status=404)
