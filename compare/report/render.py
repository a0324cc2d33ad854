"""Rendering the sections: a self-contained HTML page, Markdown, and the docs chapter."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from html import escape
from pathlib import Path

from .findings import Data
from .sections import (
    Block,
    Chart,
    Findings,
    Paragraph,
    Section,
    Table,
    build_sections,
    key_findings,
)

CSS = """
body{font:15px/1.45 system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
table{border-collapse:collapse;margin:.8em 0;font-size:13px}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:#f4f4f4}
ul.findings{background:#f7f9fc;border-left:4px solid #4e79a7;padding:.6em 1.6em}
ul.findings li{margin:.2em 0}pre{background:#f6f6f6;padding:.6em;overflow:auto}
figure{margin:1em 0}figcaption{color:#555;font-size:13px}nav a{margin-right:1em}
""".strip()


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{escape(block.text)}</p>"
    if isinstance(block, Findings):
        items = "".join(f"<li>{escape(item)}</li>" for item in block.items)
        return f'<ul class="findings">{items}</ul>' if items else ""
    if isinstance(block, Table):
        head = "".join(f"<th>{escape(h)}</th>" for h in block.header)
        body = "".join(
            "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in block.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if isinstance(block, Chart):
        if not block.svg:
            return ""
        return f"<figure>{block.svg}<figcaption>{escape(block.title)}</figcaption></figure>"
    return f"<pre><code>{escape(block.text)}</code></pre>"


def render_html(data: Data) -> str:
    """One page, no external resources: CSS and SVG inline."""
    sections = build_sections(data)
    nav = "".join(f'<a href="#{s.key}">{escape(s.title)}</a>' for s in sections)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>resources_fw vs globals_fw: comparison report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>resources_fw vs globals_fw: comparison report</h1>",
        f"<p>Generated {escape(data['generated'])} on {escape(data['machine']['platform'])} "
        f"by <code>{escape(data['command'])}</code>.</p>",
        f"<nav>{nav}</nav>",
        '<h2 id="summary">Key findings</h2>',
        _html_block(Findings(key_findings(data))),
    ]
    for section in sections:
        parts.append(f'<h2 id="{section.key}">{escape(section.title)}</h2>')
        parts += [_html_block(b) for b in section.blocks]
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def md_table(table: Table) -> str:
    lines = ["| " + " | ".join(_cell(h) for h in table.header) + " |"]
    lines.append("|" + "|".join("---" for _ in table.header) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return "\n".join(lines)


def _md_block(block: Block, charts: bool) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Findings):
        return "\n".join(f"- {item}" for item in block.items)
    if isinstance(block, Table):
        return md_table(block)
    if isinstance(block, Chart):
        return f"![{block.title}]({block.name}.svg)" if charts and block.svg else ""
    # Example code is shown, not run, when the page is a docs page.
    return f"```{block.language}\n# doctest: skip\n{block.text}\n```"


def _md_sections(sections: Sequence[Section], charts: bool, level: str = "##") -> list[str]:
    out = []
    for section in sections:
        out.append(f"{level} {section.title}")
        out += [text for b in section.blocks if (text := _md_block(b, charts))]
    return out


def render_markdown(data: Data) -> str:
    """The report as Markdown; charts are the ``*.svg`` files written next to it."""
    parts = [
        "# resources_fw vs globals_fw: comparison report",
        f"Generated {data['generated']} on {data['machine']['platform']} by `{data['command']}`.",
        "## Key findings",
        _md_block(Findings(key_findings(data)), False),
        *_md_sections(build_sections(data), charts=True),
    ]
    return "\n\n".join(parts) + "\n"


def chart_files(data: Data) -> dict[str, str]:
    """``name.svg`` -> SVG text for every chart the Markdown links to."""
    return {
        f"{b.name}.svg": b.svg + "\n"
        for s in build_sections(data)
        for b in s.blocks
        if isinstance(b, Chart) and b.svg
    }


MARKER = "generated-by: python -m compare --write-docs"


def docs_body(data: Data) -> str:
    machine = data["machine"]
    parts = [
        "# Design trade-offs",
        "What the comparison measured, in numbers and in plain words: explicit `req`/`resp` "
        "passing (`resources_fw`) against context-local globals (`globals_fw`), next to Falcon, "
        "Flask, Bottle and raw WSGI. Every figure and sentence below is generated from the "
        "results of one run; [Running the comparison](compare.md) says how to reproduce it.",
        f"This run: {data['generated']}, `{data['command']}`, {machine['platform']}, "
        f"Python {machine['python']}, {machine['cpus']} CPUs. The numbers of another machine, "
        "or of a busy one, will differ; the ratios and findings travel better than the "
        "microseconds.",
        "## Key findings",
        _md_block(Findings(key_findings(data)), False),
        *_md_sections(build_sections(data), charts=False),
    ]
    return "\n\n".join(parts) + "\n"


def checksum(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def render_docs(data: Data) -> str:
    """docs/design-trade-offs.md: a marker comment naming the run, then the body.

    The marker carries a checksum of the body, so a hand edit is detectable
    (:func:`check_docs`).
    """
    body = docs_body(data)
    machine = data["machine"]
    header = (
        f"<!-- {MARKER}; run {data['generated']} on {machine['platform']} "
        f"({machine['cpus']} CPUs, Python {machine['python']}); do not edit by hand, "
        f"regenerate; sha256={checksum(body)} -->"
    )
    return f"{header}\n\n{body}"


class HandEditedError(ValueError):
    """A generated page whose body no longer matches the checksum in its marker."""


def check_docs(text: str) -> str:
    """The run stamp of a generated page; raises HandEditedError if it was edited by hand."""
    first, _, rest = text.partition("\n\n")
    if not first.startswith("<!-- ") or MARKER not in first:
        raise HandEditedError(f"no '{MARKER}' marker on the first line: regenerate the page")
    stamp = first.split("sha256=", 1)
    if len(stamp) != 2 or stamp[1].removesuffix(" -->") != checksum(rest):
        raise HandEditedError(
            "the page differs from what the generator wrote; run "
            "'python -m compare --from-json docs/design-trade-offs.json --write-docs'"
        )
    return first


def write_report(data: Data, out: Path) -> list[Path]:
    """report.html, report.md and its chart files into ``out``; returns what was written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in {
        "report.html": render_html(data),
        "report.md": render_markdown(data),
        **chart_files(data),
    }.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
