"""The context-local proxies: our lean one behaves like werkzeug's LocalProxy."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

import pytest
from werkzeug.local import LocalProxy

from globals_fw import g, request
from globals_fw.local import PROXY_KIND, ContextProxy, lean_proxy

Maker = Callable[[ContextVar[Any], str | None, str], Any]


def _werkzeug(var: ContextVar[Any], attr: str | None, message: str) -> Any:
    return LocalProxy(var, attr, unbound_message=message)


MAKERS = [pytest.param(lean_proxy, id="lean"), pytest.param(_werkzeug, id="werkzeug")]


class Box:
    def __init__(self) -> None:
        self.items: dict[str, int] = {"a": 1}
        self.name = "box"

    def __call__(self, x: int) -> int:
        return x * 2

    def __enter__(self) -> str:
        return "entered"

    def __exit__(self, *exc: Any) -> None:
        self.name = "exited"


@pytest.fixture
def var() -> ContextVar[Any]:
    var: ContextVar[Any] = ContextVar("test_var")
    return var


@pytest.mark.parametrize("make", MAKERS)
def test_attribute_and_dunder_forwarding(make: Maker, var: ContextVar[Any]) -> None:
    box = Box()
    token = var.set(box)
    try:
        proxy = make(var, None, "unbound!")
        items = make(var, "items", "unbound!")
        assert proxy.name == "box"
        proxy.extra = 5
        assert box.extra == 5  # type: ignore[attr-defined]
        del proxy.extra
        assert not hasattr(box, "extra")
        assert proxy(21) == 42
        assert isinstance(proxy, Box)
        assert proxy._get_current_object() is box
        assert items["a"] == 1
        items["b"] = 2
        assert box.items == {"a": 1, "b": 2}
        del items["b"]
        assert "a" in items
        assert list(items) == ["a"]
        assert len(items) == 1
        assert bool(items) is True
        assert items == {"a": 1}
        assert items != {}
        assert str(items) == "{'a': 1}"
        assert repr(items) == "{'a': 1}"
        assert "items" in dir(proxy)
        with proxy as entered:
            assert entered == "entered"
        assert box.name == "exited"
        assert hash(make(var, "name", "x")) == hash("exited")
    finally:
        var.reset(token)


@pytest.mark.parametrize("make", MAKERS)
def test_unbound_proxy(make: Maker, var: ContextVar[Any]) -> None:
    proxy = make(var, "items", "push a context first")
    with pytest.raises(RuntimeError, match="push a context first"):
        proxy.anything  # noqa: B018
    with pytest.raises(RuntimeError, match="push a context first"):
        proxy["key"]
    with pytest.raises(RuntimeError, match="push a context first"):
        proxy._get_current_object()
    assert not isinstance(proxy, Box)
    assert bool(proxy) is False
    assert dir(proxy) == []


def test_globals_are_lean_by_default() -> None:
    if os.environ.get("GLOBALS_FW_PROXY") == "werkzeug":
        pytest.skip("this run uses werkzeug's proxies")
    assert PROXY_KIND == "lean"
    assert isinstance(type(request), type)
    assert type(request).__mro__[1] is ContextProxy
    assert type(g).__mro__[1] is ContextProxy


def test_environment_selects_werkzeugs_proxy() -> None:
    code = (
        "from werkzeug.local import LocalProxy; import globals_fw; "
        "print(type(globals_fw.request) is LocalProxy)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "GLOBALS_FW_PROXY": "werkzeug"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "True"
