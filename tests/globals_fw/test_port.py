"""A typical Flask app and its tests (tests/globals_fw/port/) run on globals_fw with only
their import lines changed; the same files run on Flask too, which shows the tests are
Flask's own idiom and not written for us."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PORT = Path(__file__).parent / "port"
FILES = ("notes_app.py", "notes_app_tests.py")


def port_imports(source: str) -> str:
    """The only change a port needs: Flask's imports become globals_fw's, with ``Flask``
    imported as ``App as Flask``."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            start, end = node.lineno - 1, node.end_lineno or node.lineno
            text = "".join(lines[start:end]).replace("from flask import", "from globals_fw import")
            text = re.sub(r"\bFlask\b", "App as Flask", text)
            lines[start:end] = [text]
    return "".join(lines)


def _without_imports(source: str) -> str:
    tree = ast.parse(source)
    tree.body = [n for n in tree.body if not isinstance(n, ast.Import | ast.ImportFrom)]
    return ast.dump(tree)


@pytest.mark.parametrize("name", FILES)
def test_port_changes_only_import_statements(name: str) -> None:
    source = (PORT / name).read_text()
    ported = port_imports(source)
    assert "from flask" in source
    assert "flask" not in ported.replace("Flask", "")
    assert _without_imports(ported) == _without_imports(source)


def _run(tmp_path: Path, framework: str) -> subprocess.CompletedProcess[str]:
    for name in FILES:
        source = (PORT / name).read_text()
        if framework == "globals_fw":
            source = port_imports(source)
        target = "test_notes.py" if name == "notes_app_tests.py" else name
        (tmp_path / target).write_text(source)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "error",
            "test_notes.py",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("framework", ["globals_fw", "flask"])
def test_flask_app_and_its_tests_pass(tmp_path: Path, framework: str) -> None:
    if framework == "flask":
        pytest.importorskip("flask")
    result = _run(tmp_path, framework)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"\b17 passed in", result.stdout), result.stdout
