"""Static routes (traversal, ETag/304, Range) and CORS."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import resources_fw as falcon
from resources_fw import testing


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<h1>home</h1>")
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "site.css").write_text("body{}")
    (tmp_path / "data.bin").write_bytes(bytes(range(100)))
    (tmp_path.parent / "secret.txt").write_text("top secret")
    return tmp_path


@pytest.fixture
def app(site: Path) -> falcon.App:
    app = falcon.App()
    app.add_static_route("/static", site)
    app.add_static_route("/dl", site, downloadable=True)
    app.add_static_route("/spa", site, fallback_filename="index.html")
    return app


def test_serves_files_with_types_and_validators(app: falcon.App) -> None:
    result = testing.simulate_get(app, "/static/css/site.css")
    assert result.text == "body{}"
    assert result.headers["Content-Type"] == "text/css; charset=utf-8"
    assert result.headers["Accept-Ranges"] == "bytes"
    assert result.headers["ETag"].startswith('"')
    assert "Last-Modified" in result.headers
    assert result.headers["Content-Length"] == "6"


@pytest.mark.parametrize(
    "path",
    [
        "/static/../secret.txt",
        "/static/%2e%2e/secret.txt",
        "/static/css/../../secret.txt",
        "/static//etc/passwd",
        "/static/missing.txt",
        "/static/css",
        "/static/",
        "/static/..%5csecret.txt",
        "/static/a%00b",
    ],
)
def test_traversal_and_missing_are_404(app: falcon.App, path: str) -> None:
    result = testing.simulate_get(app, path)
    assert result.status_code == 404
    assert "secret" not in result.text


def test_conditional_get(app: falcon.App) -> None:
    first = testing.simulate_get(app, "/static/index.html")
    etag = first.headers["ETag"]
    again = testing.simulate_get(app, "/static/index.html", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    since = testing.simulate_get(
        app, "/static/index.html", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304
    other = testing.simulate_get(app, "/static/index.html", headers={"If-None-Match": '"x"'})
    assert other.status_code == 200


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [("bytes=0-9", 0, 9), ("bytes=90-", 90, 99), ("bytes=-5", 95, 99), ("bytes=95-200", 95, 99)],
)
def test_range(app: falcon.App, header: str, start: int, end: int) -> None:
    result = testing.simulate_get(app, "/static/data.bin", headers={"Range": header})
    assert result.status_code == 206
    assert result.content == bytes(range(start, end + 1))
    assert result.headers["Content-Range"] == f"bytes {start}-{end}/100"


def test_unsatisfiable_range(app: falcon.App) -> None:
    result = testing.simulate_get(app, "/static/data.bin", headers={"Range": "bytes=200-"})
    assert result.status_code == 416
    assert result.headers["Content-Range"] == "bytes */100"


def test_head_download_fallback_and_methods(app: falcon.App) -> None:
    head = testing.simulate_head(app, "/static/data.bin")
    assert (head.status_code, head.content, head.headers["Content-Length"]) == (200, b"", "100")
    dl = testing.simulate_get(app, "/dl/data.bin")
    assert dl.headers["Content-Disposition"] == 'attachment; filename="data.bin"'
    assert testing.simulate_get(app, "/spa/some/client/route").text == "<h1>home</h1>"
    post = testing.simulate_post(app, "/static/index.html")
    assert (post.status_code, post.headers["Allow"]) == (405, "GET, HEAD, OPTIONS")


def test_bad_static_configuration(site: Path) -> None:
    app = falcon.App()
    with pytest.raises(ValueError, match="start with"):
        app.add_static_route("static", site)
    with pytest.raises(ValueError, match="not a directory"):
        app.add_static_route("/s", site / "index.html")
    with pytest.raises(ValueError, match="fallback_filename"):
        app.add_static_route("/s", site, fallback_filename="nope.html")
    with pytest.raises(ValueError, match="//"):
        app.add_static_route("/a//b", site)


def test_static_with_webtest(client: Any, app: falcon.App) -> None:
    web = client(app)
    assert web.get("/static/index.html").text == "<h1>home</h1>"
    web.get("/static/../secret.txt", status=404)
    assert (
        web.get("/static/data.bin", headers={"Range": "bytes=0-1"}, status=206).body == b"\x00\x01"
    )


class Things:
    def on_get(self, req: Any, resp: Any) -> None:
        resp.media = ["thing"]

    def on_post(self, req: Any, resp: Any) -> None:
        resp.media = {"ok": True}


def test_cors_enable() -> None:
    app = falcon.App(cors_enable=True)
    app.add_route("/things", Things())
    plain = testing.simulate_get(app, "/things")
    assert "Access-Control-Allow-Origin" not in plain.headers
    cross = testing.simulate_get(app, "/things", headers={"Origin": "https://a.example"})
    assert cross.headers["Access-Control-Allow-Origin"] == "*"
    pre = testing.simulate_options(
        app,
        "/things",
        headers={
            "Origin": "https://a.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "X-Custom",
        },
    )
    assert pre.status_code == 200
    assert pre.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS, POST"
    assert pre.headers["Access-Control-Allow-Headers"] == "X-Custom"
    assert pre.headers["Access-Control-Max-Age"] == "86400"
    assert "Allow" not in pre.headers
    with pytest.raises(ValueError, match="cors_enable"):
        app.add_middleware(falcon.CORSMiddleware())


def test_cors_configured() -> None:
    cors = falcon.CORSMiddleware(
        allow_origins=["https://ok.example"],
        expose_headers=["X-Total"],
        allow_credentials=["https://ok.example"],
        allow_private_network=True,
    )
    app = falcon.App(middleware=[cors])
    app.add_route("/things", Things())
    good = testing.simulate_get(app, "/things", headers={"Origin": "https://ok.example"})
    assert good.headers["Access-Control-Allow-Origin"] == "https://ok.example"
    assert good.headers["Access-Control-Allow-Credentials"] == "true"
    assert good.headers["Access-Control-Expose-Headers"] == "X-Total"
    assert good.headers["Vary"] == "Origin"
    bad = testing.simulate_get(app, "/things", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in bad.headers
    pre = testing.simulate_options(
        app,
        "/things",
        headers={
            "Origin": "https://ok.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Private-Network": "true",
        },
    )
    assert pre.headers["Access-Control-Allow-Private-Network"] == "true"
    assert pre.headers["Access-Control-Allow-Headers"] == "*"
    err = testing.simulate_get(app, "/missing", headers={"Origin": "https://ok.example"})
    assert err.status_code == 404
    assert err.headers["Access-Control-Allow-Origin"] == "https://ok.example"
    assert err.headers["Vary"] == "Accept, Origin"
