"""The list of app pairs: what the behaviour specs, the benchmarks and the report iterate over.

Adding a pair = two modules (one per front-end, each with ``create_app(**config)``), a spec
under ``tests/compare/apps/``, and an entry here.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

FRONT_ENDS = ("resources_fw", "globals_fw")


@dataclass(frozen=True)
class Probe:
    """One request worth timing, and the status it must get."""

    name: str
    method: str = "GET"
    path: str = "/"
    query: str = ""
    body: bytes = b""
    content_type: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    status: int = 200


@dataclass(frozen=True)
class AppPair:
    """One reference app and its two implementations.

    ``modules`` maps a front-end name (``FRONT_ENDS``) to the module implementing the app in
    that style; each module has ``create_app(**config)`` returning a WSGI application.
    ``web_layer`` maps a front-end name to the source files of its web layer only (for
    lines-of-code counts), relative to the repository root. ``probes`` are the main routes
    the benchmark times in both implementations.
    """

    name: str
    summary: str
    modules: Mapping[str, str]
    web_layer: Mapping[str, tuple[str, ...]]
    probes: tuple[Probe, ...] = ()

    def factory(self, front_end: str) -> Callable[..., Any]:
        """The ``create_app`` of the ``front_end`` implementation."""
        module = importlib.import_module(self.modules[front_end])
        create: Callable[..., Any] = module.create_app
        return create


def _modules(name: str) -> dict[str, str]:
    return {
        "resources_fw": f"compare.apps.{name}.resources_app",
        "globals_fw": f"compare.apps.{name}.globals_app",
    }


def _web_layer(name: str, **extra: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The web-layer files of the usual layout, plus ``extra`` ones per front-end."""
    return {
        "resources_fw": (f"compare/apps/{name}/resources_app.py", *extra.get("resources_fw", ())),
        "globals_fw": (f"compare/apps/{name}/globals_app.py", *extra.get("globals_fw", ())),
    }


_UPLOAD = (
    b"--probe\r\n"
    b'Content-Disposition: form-data; name="file"; filename="probe.txt"\r\n'
    b"Content-Type: text/plain\r\n\r\n" + b"x" * 1024 + b"\r\n--probe--\r\n"
)

_ALICE = {"Authorization": "Bearer alice-token"}

#: Filled in as app pairs land; the order is the report's.
APPS: list[AppPair] = [
    AppPair(
        name="routing",
        summary="Converters (int bounds, uuid, path, a custom slug), 404/405, URL building, "
        "trailing slashes.",
        modules=_modules("routing"),
        web_layer=_web_layer("routing"),
        probes=(
            Probe("index (URL building)", path="/"),
            Probe("int converter", path="/users/7"),
            Probe("custom converter", path="/articles/2024/hello-world"),
            Probe("path converter", path="/files/docs/read%20me.md"),
            Probe("not found", path="/nowhere", status=404),
            Probe("method not allowed", method="POST", path="/users/7", status=405),
        ),
    ),
    AppPair(
        name="notes",
        summary="A REST API on sqlite: CRUD, pagination, filtering, marshmallow validation "
        "(422 per field), 201 + Location, ETag and conditional GET.",
        modules=_modules("notes"),
        web_layer=_web_layer("notes"),
        probes=(
            Probe("list a filtered page", path="/notes", query="limit=2&tag=shopping"),
            Probe("get one", path="/notes/1"),
            Probe("conditional get", path="/notes/1", headers={"If-None-Match": "*"}, status=304),
            Probe(
                "replace (idempotent)",
                method="PUT",
                path="/notes/2",
                body=b'{"title": "Call Ada", "tag": "people"}',
                content_type="application/json",
            ),
            Probe(
                "invalid body",
                method="POST",
                path="/notes",
                body=b'{"title": ""}',
                content_type="application/json",
                status=422,
            ),
        ),
    ),
    AppPair(
        name="html",
        summary="A guestbook: Jinja templates, a form, signed-cookie login/logout, flash "
        "messages, CSRF tokens.",
        modules=_modules("html"),
        web_layer=_web_layer("html"),
        probes=(
            Probe("home page", path="/", headers={"Accept": "text/html"}),
            Probe("login form", path="/login", headers={"Accept": "text/html"}),
            Probe(
                "post without CSRF token",
                method="POST",
                path="/login",
                body=b"username=ann&password=wonderland",
                content_type="application/x-www-form-urlencoded",
                headers={"Accept": "text/html"},
                status=400,
            ),
            Probe("not found", path="/nowhere", headers={"Accept": "text/html"}, status=404),
        ),
    ),
    AppPair(
        name="files",
        summary="Multipart upload with a size limit (413), streamed downloads and reports, "
        "static files.",
        modules=_modules("files"),
        web_layer=_web_layer("files"),
        probes=(
            Probe("list", path="/files"),
            Probe("download", path="/files/welcome.txt"),
            Probe(
                "upload (replaces)",
                method="POST",
                path="/files",
                body=_UPLOAD,
                content_type="multipart/form-data; boundary=probe",
                status=201,
            ),
            Probe("static file", path="/static/hello.txt"),
            Probe("streamed report", path="/report.csv"),
        ),
    ),
    AppPair(
        name="crosscut",
        summary="Auth token check, request id, timing header, CORS, domain exceptions as HTTP "
        "errors, clean-up after every request: middleware and hooks versus "
        "before/after/teardown functions.",
        modules=_modules("crosscut"),
        web_layer=_web_layer("crosscut"),
        probes=(
            Probe("public", path="/health"),
            Probe("authenticated", path="/orders/1", headers=_ALICE),
            Probe("domain error", path="/orders/99", headers=_ALICE, status=404),
            Probe("no token", path="/orders", status=401),
            Probe(
                "CORS preflight",
                method="OPTIONS",
                path="/orders/1/cancel",
                headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
            ),
            Probe(
                "CORS + auth",
                path="/orders",
                headers={**_ALICE, "Origin": "https://app.example"},
            ),
        ),
    ),
]
