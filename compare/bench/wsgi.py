"""WSGI types and the one place that drives an app the way a server does."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeAlias
from wsgiref.types import StartResponse as StartResponse
from wsgiref.types import WSGIApplication

from .environ import WSGIEnviron

WSGIApp: TypeAlias = WSGIApplication


def _write(data: bytes) -> None:
    raise RuntimeError("compare.bench: apps must return their body, not call write()")


def null_start_response(
    status: str, headers: list[tuple[str, str]], exc_info: object = None, /
) -> Callable[[bytes], object]:
    """The timed loop's ``start_response``: accepts and forgets, as cheaply as possible."""
    return _write


@dataclass(frozen=True)
class Answer:
    """What one request produced: status line, headers and the whole body."""

    status: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def status_code(self) -> int:
        return int(self.status.split(" ", 1)[0])

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


def call(app: WSGIApp, environ: WSGIEnviron) -> Answer:
    """Serve one request and keep everything (for checking, not timing)."""
    seen: dict[str, Any] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None, /
    ) -> Callable[[bytes], object]:
        seen["status"], seen["headers"] = status, list(headers)
        return _write

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    if "status" not in seen:
        raise RuntimeError("the app returned without calling start_response()")
    return Answer(seen["status"], seen["headers"], body)
