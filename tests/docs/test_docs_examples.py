"""Every docs/examples/*.py imports cleanly and exposes a WSGI app (``app`` or ``create_app``).

Parametrized over the directory, so examples added by any front-end's documentation are covered
as soon as they land; each example's behaviour is tested by its own test (the core's in
test_docs_core_examples.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
PATHS = sorted(EXAMPLES.glob("*.py"))

Importer = Callable[[Path], ModuleType]
AppOf = Callable[[ModuleType], Any]


@pytest.mark.parametrize("path", PATHS, ids=[p.name for p in PATHS])
def test_example_imports_and_exposes_a_wsgi_app(
    path: Path, import_example: Importer, wsgi_app_of: AppOf
) -> None:
    app = wsgi_app_of(import_example(path))
    assert callable(app), f"{path.name}: `app` (or what create_app() returns) is not callable"


def test_an_example_without_an_app_is_refused(
    tmp_path: Path, import_example: Importer, wsgi_app_of: AppOf
) -> None:
    bare = tmp_path / "bare.py"
    bare.write_text("VALUE = 1\n")
    with pytest.raises(AttributeError, match="defines neither `app` nor `create_app"):
        wsgi_app_of(import_example(bare))


def test_an_example_that_fails_to_import_fails(tmp_path: Path, import_example: Importer) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("import resources_fw.no_such_module\n")
    with pytest.raises(ModuleNotFoundError):
        import_example(broken)


def test_every_core_example_has_its_own_test() -> None:
    tests = (Path(__file__).parent / "test_docs_core_examples.py").read_text()
    core = sorted(EXAMPLES.glob("core_*.py"))
    assert len(core) >= 2
    assert [p.stem for p in core if f'"{p.stem}"' not in tests] == []
