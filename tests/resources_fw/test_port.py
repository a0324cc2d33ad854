"""A typical Falcon app and its Falcon-style tests run on resources_fw with only the imports
changed (``import falcon`` -> ``import resources_fw as falcon``)."""

from __future__ import annotations

import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SOURCE = Path(__file__).parent / "falcon_port" / "things_app.py"
IMPORTS = {
    "import falcon\n": "import resources_fw as falcon\n",
    "from falcon import testing\n": "from resources_fw import testing\n",
}


def load(ported: bool) -> dict[str, Any]:
    text = SOURCE.read_text()
    if ported:
        for old, new in IMPORTS.items():
            assert text.count(old) == 1, old
            text = text.replace(old, new)
    module = types.ModuleType("things_app_ported" if ported else "things_app_falcon")
    exec(compile(text, str(SOURCE), "exec"), module.__dict__)
    return module.__dict__


def test_only_import_lines_differ() -> None:
    original = SOURCE.read_text().splitlines()
    ported = SOURCE.read_text()
    for old, new in IMPORTS.items():
        ported = ported.replace(old, new)
    changed = [a for a, b in zip(original, ported.splitlines(), strict=True) if a != b]
    assert changed == ["import falcon", "from falcon import testing"]


PORTED = load(ported=True)
TESTS: list[tuple[str, Callable[[], None]]] = sorted(
    (name, func) for name, func in PORTED.items() if name.startswith("test_")
)


@pytest.mark.parametrize(("name", "test"), TESTS, ids=[name for name, _ in TESTS])
def test_ported_falcon_tests_pass(name: str, test: Callable[[], None]) -> None:
    test()


def test_ported_app_with_webtest(client: Any) -> None:
    logger = PORTED["ResponseLogger"]()
    web = client(PORTED["create_app"](logger))
    assert web.get("/things").json == {"things": []}
    web.post_json("/things", {"name": "x"}, status=401)


def test_same_tests_pass_on_falcon_itself() -> None:
    """The reference run: the unported file passes on Falcon, so the port test is fair."""
    pytest.importorskip("falcon")
    original = load(ported=False)
    for name, func in sorted(original.items()):
        if name.startswith("test_"):
            func()
