"""Every ```python block in docs/*.md is executed, so the documentation cannot drift.

Each page is one test case: its blocks run in order in one fresh namespace (a later block sees
what an earlier one defined); a block whose first line is ``# doctest: skip`` is not run. A
failure names the page, the block and the line, and the traceback points into the page.
"""

from __future__ import annotations

import re
import sys
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))

SKIP_MARKER = "# doctest: skip"
EXECUTED = "python"
# Fence languages that look like Python but would silently escape execution.
SUSPECT = frozenset({"py", "py3", "python3", "Python", "PYTHON"})

_FENCE = re.compile(r"(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)")


class DocPageError(AssertionError):
    """A documentation page is malformed or one of its samples failed."""


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    index: int  # 1-based position among the page's python blocks
    line: int  # 1-based line in the page of the block's first code line
    source: str

    @property
    def skipped(self) -> bool:
        first = self.source.lstrip("\n").split("\n", 1)[0]
        return first.strip() == SKIP_MARKER


def _opening(line: str) -> tuple[int, str, str] | None:
    """(indent, fence, language) when ``line`` opens a fenced block."""
    m = _FENCE.fullmatch(line)
    if m is None:
        return None
    fence, info = m.group("fence"), m.group("info").strip()
    if fence[0] == "`" and "`" in info:
        return None  # inline code such as ```x```, not a fence
    language = info.split()[0].lstrip(".{").rstrip("}") if info else ""
    return len(m.group("indent").expandtabs(4)), fence, language


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return len(stripped) >= len(fence) and set(stripped) == {fence[0]} and stripped[0] == fence[0]


def extract_blocks(text: str, name: str) -> list[Block]:
    """The ```python blocks of a page, with their positions; raises on a malformed page."""
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opened = _opening(lines[i])
        i += 1
        if opened is None:
            continue
        indent, fence, language = opened
        if language in SUSPECT:
            raise DocPageError(
                f"{name}, line {i}: code fence language {language!r} is not executed; "
                f"write ```{EXECUTED} (or use a different language on purpose)"
            )
        start = i
        while i < len(lines) and not _closes(lines[i], fence):
            i += 1
        if i == len(lines):
            raise DocPageError(f"{name}, line {start}: code fence {fence!r} is never closed")
        body = [_dedent(line, indent) for line in lines[start:i]]
        i += 1
        if language == EXECUTED:
            blocks.append(Block(len(blocks) + 1, start + 1, "\n".join(body) + "\n"))
    return blocks


def _dedent(line: str, indent: int) -> str:
    """Remove up to ``indent`` columns of the fence's own indentation (list items)."""
    expanded = line.expandtabs(4)
    strip = min(indent, len(expanded) - len(expanded.lstrip(" ")))
    return expanded[strip:]


def _page_frames(exc: BaseException, filename: str) -> list[traceback.FrameSummary]:
    return [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]


def _failure(name: str, path: Path, block: Block, exc: BaseException) -> DocPageError:
    lineno = block.line
    if isinstance(exc, SyntaxError) and exc.lineno:
        lineno = exc.lineno
    frames = _page_frames(exc, str(path))
    if frames and frames[-1].lineno:
        lineno = frames[-1].lineno
    text = path.read_text(encoding="utf-8").splitlines()[lineno - 1].strip()
    detail = "".join(traceback.format_exception_only(exc)).strip()
    return DocPageError(
        f"{name}: python block {block.index} (starting at line {block.line}) failed at "
        f"line {lineno}: {text}\n{detail}"
    )


def run_page(path: Path, name: str | None = None) -> int:
    """Execute the page's python blocks in order in one fresh module; the number run.

    The code is compiled with the page as its file name and padded to its real line numbers,
    so tracebacks (and pytest's report) show the lines of the page itself.
    """
    name = name or path.name
    blocks = extract_blocks(path.read_text(encoding="utf-8"), name)
    module = types.ModuleType("docs_page_" + re.sub(r"\W", "_", path.stem))
    module.__file__ = str(path)
    # Registered while it runs, as a real module is (dataclasses and typing look it up).
    saved = sys.modules.get(module.__name__)
    sys.modules[module.__name__] = module
    ran = 0
    try:
        for block in blocks:
            if block.skipped:
                continue
            try:
                code = compile("\n" * (block.line - 1) + block.source, str(path), "exec")
                exec(code, module.__dict__)
            except Exception as exc:
                raise _failure(name, path, block, exc) from exc
            ran += 1
    finally:
        if saved is None:
            sys.modules.pop(module.__name__, None)
        else:
            sys.modules[module.__name__] = saved
    return ran


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_page_samples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Samples that write files write them somewhere disposable.
    monkeypatch.chdir(tmp_path)
    run_page(page, f"docs/{page.name}")


# -- the runner itself --------------------------------------------------------------------


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_failing_block_fails_its_page_and_says_where(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "broken.md",
        "# Broken\n\n```python\nx = 1\n```\n\nText.\n\n```python\ny = x + 1\nassert y == 3\n```\n",
    )
    with pytest.raises(DocPageError) as info:
        run_page(page)
    message = str(info.value)
    assert message.startswith("broken.md: python block 2 (starting at line 10) failed at line 11")
    assert "assert y == 3" in message
    assert "AssertionError" in message
    # The traceback points into the page, at the failing line.
    cause = info.value.__cause__
    assert cause is not None
    last = traceback.extract_tb(cause.__traceback__)[-1]
    assert (last.filename, last.lineno) == (str(page), 11)


def test_an_exception_inside_a_function_is_located_in_the_page(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "nested.md",
        "```python\ndef f():\n    return {}['missing']\n```\n\n```python\nf()\n```\n",
    )
    with pytest.raises(DocPageError, match=r"block 2 .* at line 3: return \{\}\['missing'\]"):
        run_page(page)


def test_a_syntax_error_is_reported_with_its_line(tmp_path: Path) -> None:
    page = write(tmp_path, "syntax.md", "Intro.\n\n```python\nok = 1\nif ok\n    pass\n```\n")
    with pytest.raises(DocPageError, match=r"syntax.md: python block 1 .* line 5: if ok"):
        run_page(page)


def test_blocks_share_a_namespace_within_a_page_but_not_across_pages(tmp_path: Path) -> None:
    first = write(tmp_path, "a.md", "```python\nshared = 41\n```\n\n```python\nshared += 1\n```\n")
    assert run_page(first) == 2
    second = write(tmp_path, "b.md", "```python\nshared\n```\n")
    with pytest.raises(DocPageError, match="NameError"):
        run_page(second)


def test_skipped_and_non_python_blocks_are_not_run(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "skips.md",
        "```python\n# doctest: skip\nraise SystemExit('must not run')\n```\n\n"
        "```bash\nthis is not python\n```\n\n"
        "```pycon\n>>> 1/0\n```\n\n"
        "```python\nran = True\n```\n",
    )
    assert run_page(page) == 1


def test_fences_of_every_kind_are_read(tmp_path: Path) -> None:
    page = write(
        tmp_path,
        "fences.md",
        "1. A list item:\n\n"
        "    ```python\n    value = 1\n    if value:\n        value = 2\n    ```\n\n"
        "~~~python\nassert value == 2\n~~~\n\n"
        "````markdown\n```python\nraise RuntimeError('inside another block: not a sample')\n```\n"
        "````\n\n"
        "```python``` inline code is not a fence.\n",
    )
    blocks = extract_blocks(page.read_text(), "fences.md")
    assert [(b.index, b.line) for b in blocks] == [(1, 4), (2, 10)]
    assert blocks[0].source == "value = 1\nif value:\n    value = 2\n"
    assert run_page(page) == 2


def test_an_unclosed_fence_is_an_error(tmp_path: Path) -> None:
    page = write(tmp_path, "open.md", "```python\nx = 1\n")
    with pytest.raises(DocPageError, match=r"open\.md, line 1: code fence '```' is never closed"):
        run_page(page)


@pytest.mark.parametrize("language", sorted(SUSPECT))
def test_python_spelled_otherwise_is_refused(tmp_path: Path, language: str) -> None:
    page = write(tmp_path, "spelling.md", f"```{language}\n1/0\n```\n")
    with pytest.raises(DocPageError, match=f"language '{language}' is not executed"):
        run_page(page)


def test_the_core_pages_exist_and_carry_samples() -> None:
    names = {p.name for p in PAGES}
    assert {"index.md", "wsgi-primer.md", "core.md"} <= names
    for page in [DOCS / "wsgi-primer.md", *sorted(DOCS.glob("core*.md"))]:
        blocks = extract_blocks(page.read_text(encoding="utf-8"), page.name)
        assert len([b for b in blocks if not b.skipped]) >= 3, page.name
