"""The layout contract: the core imports no front-end; the front-ends never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(package_dir: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in package_dir.rglob("*.py"):
        names: set[str] = set()
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


def offenders(
    package_dir: Path, forbidden: tuple[str, ...], allowed: tuple[str, ...] = ()
) -> list[str]:
    bad = []
    for path, names in imported_modules(package_dir).items():
        for name in names:
            if name.startswith(allowed):
                continue
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path} imports {name}")
    return bad


def test_core_imports_no_front_end() -> None:
    bad = offenders(
        ROOT / "resources_fw" / "core", ("globals_fw", "resources_fw"), ("resources_fw.core",)
    )
    assert bad == []


def test_globals_fw_does_not_import_resources_front_end() -> None:
    bad = offenders(ROOT / "globals_fw", ("resources_fw",), ("resources_fw.core",))
    assert bad == []


def test_resources_fw_does_not_import_globals_fw() -> None:
    pkg = ROOT / "resources_fw"
    bad = offenders(pkg, ("globals_fw",))
    assert bad == []


@pytest.mark.parametrize("package", ["resources_fw", "globals_fw"])
def test_packages_are_typed(package: str) -> None:
    assert (ROOT / package / "py.typed").exists()


def test_detector_catches_a_forbidden_import(tmp_path: Path) -> None:
    pkg = tmp_path / "core"
    pkg.mkdir()
    (pkg / "bad.py").write_text("import globals_fw.app\nfrom resources_fw import App\n")
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        bad = offenders(pkg, ("globals_fw", "resources_fw"), ("resources_fw.core",))
    finally:
        ROOT = saved
    assert sorted(bad) == ["core/bad.py imports globals_fw.app", "core/bad.py imports resources_fw"]
