"""The example unit tests the report measures (compare/report/examples) must really pass,
and really fail when the handler they test is wrong."""

from __future__ import annotations

import pytest

from compare.report.examples import globals_style, resources_style


def test_resources_style_example_passes() -> None:
    resources_style.test_greeting_reads_the_name_from_the_query()


def test_globals_style_example_passes() -> None:
    globals_style.test_greet_reads_the_name_from_the_query()


def test_resources_style_example_catches_a_broken_responder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(self: object, req: object, resp: resources_style.resources_fw.Response) -> None:
        resp.media = {"greeting": "Hello, world!"}

    monkeypatch.setattr(resources_style.Greeting, "on_get", broken)
    with pytest.raises(AssertionError):
        resources_style.test_greeting_reads_the_name_from_the_query()


def test_globals_style_example_needs_its_request_context() -> None:
    with pytest.raises(RuntimeError, match="outside of request context"):
        globals_style.greet()
