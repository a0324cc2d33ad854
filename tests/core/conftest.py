"""Fixtures for the core's tests: raw environ building and a WSGI caller that checks PEP 3333.

WebTest (the ``client`` fixture) covers ordinary requests; these fixtures exist for what it
cannot send: garbage ``Content-Length`` values, streams that fail when read, chunked bodies
with or without ``wsgi.input_terminated``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from functools import partial
from typing import IO, Any

import pytest
from wsgi_support import Environ, Result, build_environ, call_wsgi

from resources_fw.core import Request

__all__ = ["Environ", "Result", "build_environ", "call_wsgi"]


class ExplodingInput(io.RawIOBase):
    """A ``wsgi.input`` that fails the test if anything reads it."""

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        raise AssertionError("the request body was read")

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the request body was read")

    def readline(self, size: int | None = -1) -> bytes:
        raise AssertionError("the request body was read")


@pytest.fixture
def environ() -> Callable[..., Environ]:
    """Build a raw WSGI environ (see :func:`build_environ`); POST unless ``method=`` says."""
    return partial(build_environ, method="POST")


@pytest.fixture
def wsgi() -> Callable[..., Result]:
    """Call a WSGI app on an environ (see :func:`call_wsgi`)."""
    return call_wsgi


@pytest.fixture
def exploding_input() -> ExplodingInput:
    """A ``wsgi.input`` that fails the test when read."""
    return ExplodingInput()


class UploadTracking:
    """A request class that records every temporary file made for an upload."""

    def __init__(self) -> None:
        self.files: list[IO[bytes]] = []
        tracker = self

        class TrackingRequest(Request):
            def _get_file_stream(self, *args: Any, **kwargs: Any) -> IO[bytes]:
                stream = super()._get_file_stream(*args, **kwargs)
                tracker.files.append(stream)
                return stream

        self.request_class = TrackingRequest


@pytest.fixture
def uploads() -> Iterator[UploadTracking]:
    """Track upload temp files; whatever the core left open is closed at teardown, so that a
    leak fails only the test that checks for it, not whichever test the GC runs in."""
    tracking = UploadTracking()
    yield tracking
    for stream in tracking.files:
        stream.close()
