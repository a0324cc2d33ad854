"""Code measures: lines of the web layer, framework names used, the unit test of a handler.

Lines are *non-blank, non-comment* lines (a docstring counts: it is code a reader reads).
Framework names are found with ``ast``: every name imported from ``resources_fw`` /
``globals_fw`` (``from globals_fw import request`` -> ``request``; ``from
resources_fw.testing import create_environ`` -> ``testing.create_environ``), and every
attribute read through a module alias (``import resources_fw as falcon`` then
``falcon.HTTPNotFound`` -> ``HTTPNotFound``).
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from compare.apps.registry import AppPair

PACKAGES = ("resources_fw", "globals_fw")
ROOT = Path(__file__).resolve().parents[2]

_NOT_CODE = frozenset(
    {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENCODING,
        tokenize.ENDMARKER,
    }
)


def code_lines(source: str) -> set[int]:
    """Numbers of the lines holding code (a multi-line string covers all its lines)."""
    lines: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in _NOT_CODE:
            lines.update(range(token.start[0], token.end[0] + 1))
    return lines


def count_lines(source: str) -> int:
    """Non-blank, non-comment lines of ``source``."""
    return len(code_lines(source))


def _package_of(module: str, packages: Sequence[str]) -> tuple[str, str] | None:
    """(package, dotted rest) when ``module`` is one of ``packages`` or inside one."""
    for package in packages:
        if module == package:
            return package, ""
        if module.startswith(package + "."):
            return package, module[len(package) + 1 :]
    return None


class _NameFinder(ast.NodeVisitor):
    def __init__(self, packages: Sequence[str]) -> None:
        self.packages = packages
        self.aliases: dict[str, str] = {}  # local name -> dotted rest inside the package
        self.names: set[str] = set()

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            found = _package_of(alias.name, self.packages)
            if found is None:
                continue
            if alias.asname is not None:
                self.aliases[alias.asname] = found[1]
            else:  # "import resources_fw.testing" binds "resources_fw"
                self.aliases[alias.name.split(".", 1)[0]] = ""

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        found = _package_of(node.module or "", self.packages) if node.level == 0 else None
        if found is None:
            return
        prefix = f"{found[1]}." if found[1] else ""
        for alias in node.names:
            self.names.add(prefix + alias.name)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        chain: list[str] = []
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            chain.append(current.attr)
            current = current.value
        if isinstance(current, ast.Name) and current.id in self.aliases:
            base = self.aliases[current.id]
            dotted = ".".join(reversed(chain))
            self.names.add(f"{base}.{dotted}" if base else dotted)
            return  # the inner attributes are part of this chain
        self.generic_visit(node)


def framework_names(source: str, packages: Sequence[str] = PACKAGES) -> set[str]:
    """The names ``source`` uses from the framework packages (see the module docstring)."""
    finder = _NameFinder(packages)
    finder.visit(ast.parse(source))
    # "import resources_fw as falcon" alone, without "falcon.x", uses no name yet.
    return finder.names


def _read(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


def measure_web_layer(files: Iterable[str]) -> dict[str, Any]:
    """Lines and framework names of a front-end's web-layer files (paths from the repo root)."""
    lines = 0
    names: set[str] = set()
    missing: list[str] = []
    counted: list[dict[str, Any]] = []
    for path in files:
        try:
            source = _read(path)
        except OSError:
            missing.append(path)
            continue
        count = count_lines(source)
        counted.append({"path": path, "lines": count})
        lines += count
        names |= framework_names(source)
    return {"files": counted, "missing": missing, "lines": lines, "names": sorted(names)}


def measure_apps(pairs: Sequence[AppPair], front_ends: Sequence[str]) -> list[dict[str, Any]]:
    """Per app pair and front-end: web-layer lines and the framework names used."""
    return [
        {
            "name": pair.name,
            "front_ends": {fe: measure_web_layer(pair.web_layer.get(fe, ())) for fe in front_ends},
        }
        for pair in pairs
    ]


def _test_functions(tree: ast.Module) -> list[ast.FunctionDef]:
    return [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test")]


def measure_unit_test(style: str, module: ModuleType) -> dict[str, Any]:
    """The example unit test of ``module``: its length, the names it needs, its set-up."""
    path = Path(module.__file__ or "")
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    tests = _test_functions(tree)
    if len(tests) != 1:
        raise ValueError(f"{path} must define exactly one test function, found {len(tests)}")
    test = tests[0]
    body = code_lines(source)
    span = range(test.lineno, (test.end_lineno or test.lineno) + 1)
    first, last = test.lineno, test.end_lineno or test.lineno
    return {
        "style": style,
        "file": path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path),
        "test": test.name,
        "lines": len(body.intersection(span)),
        "source": "\n".join(source.splitlines()[first - 1 : last]),
        "names": sorted(framework_names(source)),
        "setup": list(getattr(module, "SETUP", ())),
    }


def measure_unit_tests() -> list[dict[str, Any]]:
    """Both example tests, resources_fw style first."""
    from .examples import globals_style, resources_style

    return [
        measure_unit_test("resources_fw", resources_style),
        measure_unit_test("globals_fw", globals_style),
    ]
