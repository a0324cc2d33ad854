"""Upload file names (matrix row 15) and requests with very many fields or parameters (row 17),
against both front-ends.

A client chooses the file name of an upload; it must never become a path. Both front-ends
give werkzeug's ``secure_filename`` rules: resources_fw as ``part.secure_filename`` (also
shortened to 255 characters), globals_fw through ``werkzeug.utils.secure_filename``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability_spec import MAX_FORM_MEMORY, Front, build_environ, call_wsgi
from werkzeug.utils import secure_filename

import globals_fw
import resources_fw as falcon
from globals_fw import request
from resources_fw.core import Limits

HOSTILE_NAMES = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "C:\\x",
    "/etc/passwd",
    "CON",
    "con.txt",
    "a\x00b.txt",
    "x" * 10_000 + ".txt",
    "invoice\u202etxt.exe",  # right-to-left override: shows as "invoiceexe.txt"
    "..",
    ".",
    "%2e%2e%2fsecret",
    "~/.ssh/authorized_keys",
    "dir/../../up.txt",
    "\u00e9t\u00e9.png",
]
MAX_NAME = 255


def _multipart(filename: str) -> bytes:
    quoted = filename.replace("\\", "\\\\").replace('"', '\\"')
    return (
        b"--B\r\n"
        b'Content-Disposition: form-data; name="upload"; filename="'
        + quoted.encode("utf-8")
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\nuploaded bytes\r\n--B--\r\n'
    )


def _resources_app(target: Path) -> Any:
    class Upload:
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            saved = []
            for part in req.get_media():
                name = part.secure_filename  # a 400 when nothing usable is left
                (target / name).write_bytes(part.get_data())
                saved.append(name)
            resp.media = {"saved": saved}

    app = falcon.App()
    app.add_route("/upload", Upload())
    return app


def _globals_app(target: Path) -> Any:
    app = globals_fw.App("uploads", static_folder=None, template_folder=None)

    @app.post("/upload")
    def upload() -> Any:
        saved = []
        for storage in request.files.getlist("upload"):
            # The recipe from docs/security.md: werkzeug's rules, then a length cap.
            name = secure_filename(storage.filename or "")[:MAX_NAME]
            if not name:
                globals_fw.abort(400, description="The upload has no usable file name.")
            storage.save(target / name)
            saved.append(name)
        return {"saved": saved}

    return app


BUILDERS: dict[str, Callable[[Path], Any]] = {
    "resources_fw": _resources_app,
    "globals_fw": _globals_app,
}


@pytest.fixture(params=BUILDERS)
def build(request: pytest.FixtureRequest) -> Callable[[Path], Any]:
    return BUILDERS[request.param]


def _files_under(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def _upload(app: Any, filename: str) -> Any:
    environ = build_environ(
        "POST", "/upload", _multipart(filename), content_type="multipart/form-data; boundary=B"
    )
    return call_wsgi(app, environ)


@pytest.mark.parametrize("filename", HOSTILE_NAMES, ids=lambda n: repr(n[:30]))
def test_an_upload_name_never_becomes_a_path(
    build: Callable[[Path], Any], tmp_path: Path, filename: str
) -> None:
    target = tmp_path / "deep" / "down" / "uploads"
    target.mkdir(parents=True)
    result = _upload(build(target), filename)
    if result.code == 400:  # nothing usable left of the name: refused, nothing written
        result.check_error(400)
        assert _files_under(tmp_path) == set()
        return
    assert result.code == 200, (result.status, result.body[:200])
    (saved,) = result.json()["saved"]
    assert _files_under(tmp_path) == {target / saved}  # written there, and only there
    assert (target / saved).read_bytes() == b"uploaded bytes"
    assert saved == secure_filename(filename)[:MAX_NAME] or len(saved) == MAX_NAME
    assert len(saved) <= MAX_NAME
    assert saved.isascii()
    assert saved.isprintable()
    assert not {"/", "\\", "\x00", "\u202e"} & set(saved)
    assert not saved.startswith(".")


def test_a_long_name_keeps_its_extension_in_resources_fw(tmp_path: Path) -> None:
    result = _upload(_resources_app(tmp_path), "x" * 10_000 + ".txt")
    (saved,) = result.json()["saved"]
    assert saved == "x" * (MAX_NAME - 4) + ".txt"


def test_windows_device_names_are_renamed_when_running_on_windows(
    build: Callable[[Path], Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build(tmp_path)
    names = []
    # werkzeug reads os.name at call time; saving stays POSIX underneath.
    with monkeypatch.context() as patch:
        patch.setattr(os, "name", "nt")
        for device in ("CON", "con.txt", "NUL", "COM1.log", "lpt1"):
            names.append(secure_filename(device))
            assert _upload(app, device).json()["saved"] == [names[-1]]
    assert all(name.startswith("_") for name in names), names


def _name_resources_app() -> Any:
    class Name:
        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = [part.secure_filename for part in req.get_media()]

    app = falcon.App()
    app.add_route("/upload", Name())
    return app


def _name_globals_app() -> Any:
    app = globals_fw.App("names", static_folder=None, template_folder=None)

    @app.post("/upload")
    def upload() -> Any:
        return [secure_filename(f.filename or "") for f in request.files.getlist("upload")]

    return app


NAME_APPS = {"resources_fw": _name_resources_app(), "globals_fw": _name_globals_app()}
FILENAMES = st.one_of(
    st.text(max_size=80),
    st.lists(st.sampled_from(["..", ".", "/", "\\", "C:", "CON", "\x00", "\u202e", "a", "~"])).map(
        "".join
    ),
)


@pytest.mark.parametrize("name", NAME_APPS)
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(filename=FILENAMES)
def test_any_upload_name_becomes_one_safe_component(name: str, filename: str) -> None:
    result = _upload(NAME_APPS[name], filename)
    assert result.code in (200, 400), result.status  # 400: a name that breaks the header
    if result.code == 400:
        return
    names = result.json()
    assert len(names) <= 1  # a CR or LF cuts the part header: then no file at all
    root = "/srv/uploads"
    for safe in names:
        if not safe:  # globals_fw: the caller must refuse an empty name (see docs)
            assert name == "globals_fw"
            continue
        assert os.path.dirname(os.path.join(root, safe)) == root
        assert safe not in (".", "..")
        assert safe.isascii()
        assert safe.isprintable()
        assert len(safe) <= MAX_NAME or name == "globals_fw"


# -- row 17: many fields and parameters -----------------------------------------------------


def _count_resources_app() -> Any:
    class Count:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"params": len(req.params)}

        def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
            resp.media = {"fields": len(req.get_media())}

    app = falcon.App(limits=Limits(max_form_memory_size=MAX_FORM_MEMORY))
    app.add_route("/count", Count())
    return app


def _count_globals_app() -> Any:
    app = globals_fw.App("count", static_folder=None, template_folder=None)
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_FORM_MEMORY

    @app.route("/count", methods=["GET", "POST"])
    def count() -> Any:
        if request.method == "POST":
            return {"fields": len(request.form)}
        return {"params": len(request.args)}

    return app


COUNT_BUILDERS = {"resources_fw": _count_resources_app, "globals_fw": _count_globals_app}


@pytest.fixture(params=COUNT_BUILDERS)
def counter(request: pytest.FixtureRequest) -> Any:
    return COUNT_BUILDERS[request.param]()


def _fields(count: int) -> str:
    return "&".join(f"f{number}=v" for number in range(count))


def test_a_query_string_with_many_parameters_is_parsed_in_full(counter: Any) -> None:
    # No cap in the framework: the server's request-line limit bounds the query string.
    result = call_wsgi(counter, build_environ("GET", "/count", query=_fields(20_000)))
    assert result.json() == {"params": 20_000}


def test_a_form_with_many_fields_under_the_memory_limit_is_parsed(counter: Any) -> None:
    body = _fields(6_000).encode()
    assert len(body) < MAX_FORM_MEMORY
    environ = build_environ(
        "POST", "/count", body, content_type="application/x-www-form-urlencoded"
    )
    assert call_wsgi(counter, environ).json() == {"fields": 6_000}


@pytest.mark.parametrize("count", [12_000, 100_000])
def test_a_form_with_too_many_fields_is_413(counter: Any, count: int) -> None:
    body = _fields(count).encode()
    assert len(body) > MAX_FORM_MEMORY
    environ = build_environ(
        "POST", "/count", body, content_type="application/x-www-form-urlencoded"
    )
    call_wsgi(counter, environ).check_error(413)


def test_many_tiny_fields_cost_no_more_than_their_bytes(front: Front) -> None:
    # "a&a&a...": the most fields per byte; the memory limit counts bytes, not fields.
    body = b"&".join([b"a"] * (MAX_FORM_MEMORY // 2 + 1))
    result = front.send("/form", "POST", body, content_type="application/x-www-form-urlencoded")
    result.check_error(413)
    body = b"&".join([b"a"] * (MAX_FORM_MEMORY // 4))
    result = front.send("/form", "POST", body, content_type="application/x-www-form-urlencoded")
    assert result.code == 200
