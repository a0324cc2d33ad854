"""The documentation site builds with MkDocs in strict mode, as CI builds it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_config_discovers_pages_instead_of_listing_them() -> None:
    # Other packages add pages to docs/ without editing mkdocs.yml: an explicit nav would
    # leave their pages out of the navigation.
    config = (ROOT / "mkdocs.yml").read_text()
    assert re.search(r"^nav\s*:", config, re.MULTILINE) is None
    assert re.search(r"^docs_dir:\s*docs\s*$", config, re.MULTILINE) is not None


def test_site_builds_strictly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr
    pages = sorted(p.stem for p in (ROOT / "docs").glob("*.md") if p.stem != "index")
    assert all((site / page / "index.html").is_file() for page in pages)
    # Examples are published as plain files (pages link to them); bytecode is not.
    assert (site / "examples" / "core_notes.py").is_file()
    assert not list(site.rglob("__pycache__"))
