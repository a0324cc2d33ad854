"""Leaks: file handles from static files and downloads (matrix row 29) and app or request
objects kept alive, or memory growing with the request count (row 50), in both front-ends.

Unclosed files are caught twice: by counting this process's open descriptors
(``/proc/self/fd``) before and after a couple of thousand requests, and by turning
``ResourceWarning`` into an error while collecting garbage (an unclosed file warns when freed).
"""

from __future__ import annotations

import gc
import os
import sys
import tracemalloc
import warnings
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from wsgiref.util import FileWrapper

import pytest
from reliability_spec import build_environ, call_wsgi

import globals_fw
import resources_fw as falcon
from globals_fw import request, send_file, send_from_directory

BIG = bytes(range(256)) * 1024  # 256 KiB: several 64 KiB blocks
FD_DIR = Path("/proc/self/fd")
needs_proc = pytest.mark.skipif(not FD_DIR.is_dir(), reason="counts descriptors in /proc")


@pytest.fixture
def files(tmp_path: Path) -> Path:
    directory = tmp_path / "static"
    directory.mkdir()
    (directory / "big.bin").write_bytes(BIG)
    (directory / "small.txt").write_bytes(b"small file")
    return directory


def _resources_app(directory: Path) -> Any:
    class Download:
        def on_get(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
            path = directory / name
            resp.content_type = "application/octet-stream"
            # The response owns the file: it is closed after the last byte.
            resp.set_stream(open(path, "rb"), path.stat().st_size)  # noqa: SIM115

    app = falcon.App()
    app.add_static_route("/static", directory)
    app.add_route("/download/{name}", Download())
    return app


def _globals_app(directory: Path) -> Any:
    app = globals_fw.App(
        "leaks", root_path=str(directory.parent), static_folder=directory.name, template_folder=None
    )

    @app.get("/download/<name>")
    def download(name: str) -> Any:
        if request.args.get("how") == "dir":
            return send_from_directory(directory, name)
        if request.args.get("how") == "fileobj":
            return send_file(open(directory / name, "rb"), mimetype="application/octet-stream")
        return send_file(directory / name)

    return app


BUILDERS: dict[str, Callable[[Path], Any]] = {
    "resources_fw": _resources_app,
    "globals_fw": _globals_app,
}
PATHS = {
    "resources_fw": ["/static/big.bin", "/static/small.txt", "/download/big.bin"],
    "globals_fw": [
        "/static/big.bin",
        "/static/small.txt",
        "/download/big.bin",
        "/download/big.bin?how=dir",
        "/download/big.bin?how=fileobj",
    ],
}


@pytest.fixture(params=BUILDERS)
def front_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _environ(method: str, path: str, headers: dict[str, str], wrapper: bool) -> dict[str, Any]:
    path, _, query = path.partition("?")
    environ: dict[str, Any] = build_environ(method, path, query=query, headers=headers)
    if wrapper:
        environ["wsgi.file_wrapper"] = FileWrapper  # what most servers provide
    return environ


def _variants(path: str, etag: str | None) -> Iterator[tuple[str, dict[str, str]]]:
    yield "GET", {}
    yield "HEAD", {}
    yield "GET", {"Range": "bytes=0-99"}
    yield "GET", {"Range": "bytes=1000000-"}  # 416
    yield "GET", {"Range": "bytes=0-1,5-6,9-10"}  # several ranges
    if etag is not None:
        yield "GET", {"If-None-Match": etag}  # 304


def _abort_after_first_chunk(app: Any, environ: dict[str, Any]) -> None:
    """A client that goes away mid-download: the server closes the body early."""
    body = app(environ, lambda status, headers, exc_info=None: None)
    try:
        next(iter(body), None)
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()


def _one_round(app: Any, paths: list[str], wrapper: bool) -> None:
    for path in paths:
        first = call_wsgi(app, _environ("GET", path, {}, wrapper))
        assert first.code == 200, (path, first.status)
        for method, headers in _variants(path, first.header("ETag")):
            result = call_wsgi(app, _environ(method, path, headers, wrapper))
            assert result.code < 500, (path, method, headers, result.status)
        _abort_after_first_chunk(app, _environ("GET", path, {}, wrapper))


@contextmanager
def unraisable_errors() -> Iterator[list[str]]:
    """Collect what ``__del__`` methods raise, with ``ResourceWarning`` as an error: an
    unclosed file shows up here when it is freed."""
    seen: list[str] = []
    old_hook = sys.unraisablehook

    def hook(info: Any) -> None:
        seen.append(f"{info.exc_type.__name__}: {info.exc_value}")

    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        sys.unraisablehook = hook
        try:
            yield seen
            gc.collect()
        finally:
            sys.unraisablehook = old_hook


def _open_fds() -> int:
    return len(os.listdir(FD_DIR))


@pytest.mark.parametrize("wrapper", [False, True], ids=["no-file-wrapper", "file-wrapper"])
def test_no_unclosed_file_after_any_kind_of_download(
    files: Path, front_name: str, wrapper: bool
) -> None:
    app = BUILDERS[front_name](files)
    with unraisable_errors() as errors:
        _one_round(app, PATHS[front_name], wrapper)
    assert errors == []


@needs_proc
def test_open_descriptors_stay_flat_over_two_thousand_requests(
    files: Path, front_name: str
) -> None:
    app = BUILDERS[front_name](files)
    paths = PATHS[front_name]
    _one_round(app, paths, False)  # warm up (imports, mimetypes, loggers)
    gc.collect()
    before = _open_fds()
    per_round = len(paths) * 8
    with unraisable_errors() as errors:
        for round_number in range(2000 // per_round + 1):
            _one_round(app, paths, wrapper=bool(round_number % 2))
    assert errors == []
    # Not "==": a socket another test's server thread is still closing may go away meanwhile.
    assert _open_fds() <= before


# -- row 50: app and request objects, memory ------------------------------------------------


class _Hello:
    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"hello": req.get_param("name", default="you")}


def _small_resources_app(seen: list[Any]) -> Any:
    class Remember:
        def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
            seen.append(weakref.ref(req))
            resp.text = "ok"

    app = falcon.App()
    app.add_route("/hello", _Hello())
    app.add_route("/remember", Remember())
    return app


def _small_globals_app(seen: list[Any]) -> Any:
    app = globals_fw.App("small", static_folder=None, template_folder=None)

    @app.get("/hello")
    def hello() -> Any:
        return {"hello": request.args.get("name", "you")}

    @app.get("/remember")
    def remember() -> Any:
        seen.append(weakref.ref(request._get_current_object()))  # type: ignore[attr-defined]
        return "ok"

    return app


SMALL_BUILDERS: dict[str, Callable[[list[Any]], Any]] = {
    "resources_fw": _small_resources_app,
    "globals_fw": _small_globals_app,
}


def _build_use_and_drop(builder: Callable[[list[Any]], Any]) -> weakref.ref[Any]:
    app = builder([])
    assert call_wsgi(app, build_environ("GET", "/hello", query="name=x")).code == 200
    return weakref.ref(app)


def test_apps_built_and_dropped_are_freed(front_name: str) -> None:
    builder = SMALL_BUILDERS[front_name]
    refs = [_build_use_and_drop(builder) for _ in range(300)]
    gc.collect()
    assert sum(ref() is not None for ref in refs) == 0


@pytest.mark.xfail(
    strict=True,
    reason="both apps keep bound methods of themselves (globals_fw's kernel dispatch; "
    "resources_fw's wsgi_app, error handlers and serializer), so only the collector frees them",
)
def test_apps_are_freed_without_the_garbage_collector(front_name: str) -> None:
    builder = SMALL_BUILDERS[front_name]
    gc.collect()
    gc.disable()
    try:
        ref = _build_use_and_drop(builder)
        assert ref() is None
    finally:
        gc.enable()


def test_request_objects_are_freed_after_the_response(front_name: str) -> None:
    seen: list[Any] = []
    app = SMALL_BUILDERS[front_name](seen)
    for _ in range(50):
        assert call_wsgi(app, build_environ("GET", "/remember")).body == b"ok"
    gc.collect()
    assert len(seen) == 50
    assert sum(ref() is not None for ref in seen) == 0


def test_memory_plateaus_over_thousands_of_requests(front_name: str) -> None:
    app = SMALL_BUILDERS[front_name]([])

    def run(count: int) -> None:
        for number in range(count):
            query = f"name=user{number % 50}"
            assert call_wsgi(app, build_environ("GET", "/hello", query=query)).code == 200
            assert call_wsgi(app, build_environ("GET", "/missing")).code == 404

    run(500)  # warm up every cache
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        run(2500)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    growth = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    # 5000 requests: a leak of even 20 bytes each would show; allow slack for snapshots.
    assert growth < 64 * 1024, growth
