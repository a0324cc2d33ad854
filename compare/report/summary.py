"""The terminal summary: the scenario table, the app probes, the key findings."""

from __future__ import annotations

from compare.bench.report import table

from .findings import Data
from .sections import Table, build_sections, key_findings


def _text_table(t: Table) -> str:
    return table(list(t.header), [list(row) for row in t.rows])


def summary(data: Data) -> str:
    """Plain text for the terminal, built from the same sections as the report."""
    out = ["compare: resources_fw vs globals_fw (and peers); lower is better"]
    by_key = {s.key: s for s in build_sections(data)}
    bench = by_key.get("bench")
    if bench is not None:
        first = next(b for b in bench.blocks if isinstance(b, Table))
        baseline = data["bench"]["baseline"]
        out += ["", f"µs per request, median of rounds (x = ratio to {baseline}):"]
        out.append(_text_table(first))
    apps = by_key.get("apps")
    tables = [b for b in apps.blocks if isinstance(b, Table)] if apps else []
    if tables:
        probes = tables[0]
        slim = Table(
            [probes.header[0] + ":probe", *probes.header[3:]],
            [[f"{row[0]}:{row[1]}", *row[3:]] for row in probes.rows],
        )
        out += ["", "Reference apps, µs per request (fastest-slowest round):", _text_table(slim)]
    memory = by_key.get("memory")
    if memory is not None:
        t = next(b for b in memory.blocks if isinstance(b, Table))
        out += ["", f"Peak memory ({data['memory']['scenario']}):", _text_table(t)]
    local = by_key.get("locals")
    if local is not None:
        isolation, access = [b for b in local.blocks if isinstance(b, Table)][:2]
        slim_access = Table(
            [access.header[0], *access.header[2:]], [[r[0], *r[2:]] for r in access.rows]
        )
        out += ["", "Context locals: isolation", _text_table(isolation)]
        out += ["", "Context locals: one request.method read", _text_table(slim_access)]
    out += ["", "Key findings:", *(f"- {line}" for line in key_findings(data))]
    return "\n".join(out)
