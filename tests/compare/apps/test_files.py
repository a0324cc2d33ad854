"""Behaviour spec of the files app (uploads, downloads, static files), run against both."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from webtest import TestApp, TestResponse

from compare.apps.files.domain import STATIC, WELCOME

from .conftest import MakeApp

APP = "files"
LIMIT = 4096


@pytest.fixture
def app_config(tmp_path: Path) -> dict[str, Any]:
    return {"upload_dir": tmp_path / "uploads", "max_upload": LIMIT}


def upload(app: TestApp, name: str, content: bytes, **kwargs: Any) -> TestResponse:
    return app.post("/files", upload_files=[("file", name, content)], **kwargs)


def attachment_name(response: TestResponse) -> str | None:
    disposition = response.headers["Content-Disposition"]
    match = re.fullmatch(r'attachment; filename="?([^";]+)"?', disposition)
    return match.group(1) if match else None


def test_list_has_the_welcome_file(app: TestApp) -> None:
    name, content = WELCOME
    assert app.get("/files").json == {
        "files": [{"name": name, "size": len(content), "url": f"/files/{name}"}]
    }


def test_upload_then_download(app: TestApp, app_config: dict[str, Any]) -> None:
    content = bytes(range(256)) * 4
    response = upload(app, "data.bin", content, status=201)
    assert response.headers["Location"] == "/files/data.bin"
    assert response.json == {"name": "data.bin", "size": len(content)}
    assert (app_config["upload_dir"] / "data.bin").read_bytes() == content

    download = app.get("/files/data.bin")
    assert download.body == content
    assert download.content_type == "application/octet-stream"
    assert int(download.headers["Content-Length"]) == len(content)
    assert attachment_name(download) == "data.bin"
    names = [f["name"] for f in app.get("/files").json["files"]]
    assert names == ["data.bin", "welcome.txt"]


def test_download_types(app: TestApp) -> None:
    upload(app, "notes.txt", b"plain text", status=201)
    download = app.get("/files/notes.txt")
    assert download.content_type == "text/plain"
    assert download.text == "plain text"


def test_upload_replaces_a_file_of_the_same_name(app: TestApp) -> None:
    upload(app, "a.txt", b"one", status=201)
    upload(app, "a.txt", b"two!", status=201)
    assert app.get("/files/a.txt").body == b"two!"


def test_file_names_are_made_safe(app: TestApp, app_config: dict[str, Any]) -> None:
    response = upload(app, "../../etc/pass wd.txt", b"x", status=201)
    assert response.json["name"] == "etc_pass_wd.txt"
    assert (app_config["upload_dir"] / "etc_pass_wd.txt").is_file()
    assert upload(app, "..", b"x", status=400).json["title"] == "400 Bad Request"


def test_upload_limit_is_a_413(app: TestApp, app_config: dict[str, Any]) -> None:
    response = upload(app, "big.bin", b"x" * (LIMIT + 1), status=413)
    assert response.content_type == "application/json"
    assert response.json["title"].startswith("413 ")
    assert not (app_config["upload_dir"] / "big.bin").exists()
    upload(app, "fits.bin", b"x" * (LIMIT - 300), status=201)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"params": {"file": "not a file"}},
        {"upload_files": [("other", "x.txt", b"x")]},
        {"params": b'{"file": "x"}', "content_type": "application/json"},
    ],
    ids=["field-not-file", "wrong-field", "json"],
)
def test_upload_without_a_file_part_is_a_400(app: TestApp, kwargs: dict[str, Any]) -> None:
    response = app.post("/files", status=400, **kwargs)
    assert response.json["title"] == "400 Bad Request"


def test_missing_download_is_a_404(app: TestApp) -> None:
    assert app.get("/files/nothing.txt", status=404).json["title"] == "404 Not Found"
    app.get("/files/..%2Fsecret", status=404)


def test_streamed_csv_report(app: TestApp) -> None:
    upload(app, "b.txt", b"12345", status=201)
    response = app.get("/report.csv")
    assert response.content_type == "text/csv"
    assert response.charset == "utf-8"
    assert response.text == "name,size\r\nb.txt,5\r\nwelcome.txt,27\r\n"


def test_static_file(app: TestApp) -> None:
    response = app.get("/static/hello.txt")
    assert response.body == (STATIC / "hello.txt").read_bytes()
    assert response.content_type == "text/plain"
    assert app.get("/static/site.css").content_type == "text/css"


def test_static_conditional_and_range(app: TestApp) -> None:
    first = app.get("/static/hello.txt")
    again = app.get(
        "/static/hello.txt", headers={"If-None-Match": first.headers["ETag"]}, status=304
    )
    assert again.body == b""
    part = app.get("/static/hello.txt", headers={"Range": "bytes=0-4"}, status=206)
    assert part.body == b"hello"


@pytest.mark.parametrize("path", ["/static/nothing.txt", "/static/../domain.py", "/static/"])
def test_static_misses_are_404(app: TestApp, path: str) -> None:
    app.get(path, status=404)


def test_default_config_uses_a_temporary_directory(make_app: MakeApp) -> None:
    app = make_app()
    assert [f["name"] for f in app.get("/files").json["files"]] == ["welcome.txt"]
