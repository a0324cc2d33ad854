"""Trade-off findings in plain words, computed from a results document (never hand-written).

Every function takes the JSON-shaped results (see :mod:`.collect`) and returns sentences
that quote the numbers they rest on. A difference whose rounds overlap (the fastest round of
the slower side beats the slowest round of the faster one) is called out as within noise.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from typing import Any

Data = Mapping[str, Any]
FRONT_ENDS = {"resources": "resources_fw", "globals": "globals_fw"}
PEER_OF = {"resources": "falcon", "globals": "flask"}


def num(value: float) -> str:
    """A short human number: 0.912, 3.81, 42.6, 1050."""
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    if abs(value) >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def signed_pct(fraction: float) -> str:
    return f"{fraction * 100:+.0f}%"


def cell(cells: Sequence[Data], framework: str, scenario: str) -> Data | None:
    """The timed cell of ``framework`` in ``scenario``, or None if missing or untimed."""
    for c in cells:
        if c["framework"] == framework and c["scenario"] == scenario:
            return c if c.get("state") == "ok" else None
    return None


def overlaps(a: Data, b: Data, unit: str = "us") -> bool:
    """Whether the rounds of ``a`` and ``b`` overlap (the difference is within noise)."""
    return bool(a[f"min_{unit}"] <= b[f"max_{unit}"] and b[f"min_{unit}"] <= a[f"max_{unit}"])


def compare_pair(label: str, slow_name: str, a: Data, fast_name: str, b: Data) -> str:
    """'On X, A takes .. µs and B .. µs: A costs .. µs more (+..%).' with a noise note."""
    ma, mb = a["median_us"], b["median_us"]
    diff = ma - mb
    word = "more" if diff >= 0 else "less"
    text = (
        f"On {label}, {slow_name} takes {num(ma)} µs per request and {fast_name} {num(mb)} µs: "
        f"{slow_name} costs {num(abs(diff))} µs {word} ({signed_pct(diff / mb)})."
    )
    if overlaps(a, b):
        text += " The rounds overlap, so this is within the noise of the run."
    return text


def _scenarios(cells: Sequence[Data]) -> list[str]:
    return list(dict.fromkeys(c["scenario"] for c in cells))


def geometric_mean(values: Sequence[float]) -> float:
    return math.exp(statistics.fmean(math.log(v) for v in values))


def bench_findings(bench: Data) -> list[str]:
    """globals_fw versus resources_fw per scenario, each versus its model, and the core."""
    cells = bench["requests"]
    out = []
    for name in _scenarios(cells):
        g, r = cell(cells, "globals", name), cell(cells, "resources", name)
        if g is not None and r is not None:
            out.append(compare_pair(name, "globals_fw", g, "resources_fw", r))
    for ours, peer in PEER_OF.items():
        ratios = [
            c["median_us"] / p["median_us"]
            for name in _scenarios(cells)
            if (c := cell(cells, ours, name)) is not None
            and (p := cell(cells, peer, name)) is not None
        ]
        if ratios:
            out.append(
                f"Over {len(ratios)} scenarios, {FRONT_ENDS[ours]} takes on average (geometric "
                f"mean) {geometric_mean(ratios):.2f}x the time of {peer}, the framework whose "
                f"style it follows (from {min(ratios):.2f}x to {max(ratios):.2f}x)."
            )
    core = cell(cells, "core", "hello")
    for ours, label in FRONT_ENDS.items():
        front = cell(cells, ours, "hello")
        if core is not None and front is not None:
            extra = front["median_us"] - core["median_us"]
            out.append(
                f"On hello, the {label} layer adds {num(extra)} µs to the {num(core['median_us'])}"
                f" µs the bare core needs ({signed_pct(extra / core['median_us'])})."
            )
    return out


def routes_findings(bench: Data) -> list[str]:
    """How much the routed request grows from the smallest to the largest route count."""
    cells = bench.get("routes", [])
    sizes = sorted({int(c["scenario"].rsplit("-", 1)[1]) for c in cells})
    if len(sizes) < 2:
        return []
    low, high = sizes[0], sizes[-1]
    growth = []
    for fw in bench["frameworks"]:
        a, b = cell(cells, fw, f"routes-{low}"), cell(cells, fw, f"routes-{high}")
        if a is not None and b is not None:
            growth.append((b["median_us"] / a["median_us"], fw, a["median_us"], b["median_us"]))
    if not growth:
        return []
    growth.sort()
    parts = [f"{fw} {g:.2f}x ({num(a)} → {num(b)} µs)" for g, fw, a, b in growth]
    return [
        f"From {low} to {high} routes, the cost of reaching the middle route grows by: "
        + "; ".join(parts)
        + "."
    ]


def startup_findings(bench: Data) -> list[str]:
    cells = bench.get("startup", [])
    out = []
    for name in _scenarios(cells):
        found = [(fw, c["median_ms"]) for fw in bench["frameworks"] if (c := cell(cells, fw, name))]
        if found:
            shown = ", ".join(f"{fw} {num(ms)} ms" for fw, ms in found)
            count = name.rsplit("-", 1)[1]
            out.append(f"Building {count} routes and serving the first request: {shown}.")
    return out


def _probe_diffs(apps: Data) -> list[tuple[str, float, float]]:
    """(pair:probe, globals µs - resources µs, that as a fraction) for every timed probe."""
    out = []
    for pair in apps["pairs"]:
        for probe in pair["probes"]:
            r = probe["results"].get("resources_fw", {})
            g = probe["results"].get("globals_fw", {})
            if r.get("state") == "ok" and g.get("state") == "ok":
                diff = g["median_us"] - r["median_us"]
                out.append((f"{pair['name']}:{probe['probe']}", diff, diff / r["median_us"]))
    return out


def apps_findings(apps: Data) -> list[str]:
    """globals_fw versus resources_fw over every probe, then per app."""
    diffs = _probe_diffs(apps)
    if not diffs:
        return ["No app probe was timed in both front-ends."]
    slower = sum(1 for _, d, _ in diffs if d > 0)
    fractions = [f for _, _, f in diffs]
    out = [
        f"Over {len(diffs)} probes of the reference apps, globals_fw is slower than "
        f"resources_fw on {slower} and faster on {len(diffs) - slower}; the median difference "
        f"is {signed_pct(statistics.median(fractions))} (from {signed_pct(min(fractions))} to "
        f"{signed_pct(max(fractions))})."
    ]
    widest = sorted(diffs, key=lambda d: -abs(d[2]))[:3]
    out.append(
        "The widest gaps: "
        + "; ".join(f"{name} {signed_pct(f)} ({num(d)} µs)" for name, d, f in widest)
        + "."
    )
    for pair in apps["pairs"]:
        mine = [(d, f) for name, d, f in diffs if name.split(":", 1)[0] == pair["name"]]
        if mine:
            d = statistics.median(x for x, _ in mine)
            f = statistics.median(y for _, y in mine)
            out.append(
                f"{pair['name']}: on its median probe, globals_fw costs {num(abs(d))} µs "
                f"{'more' if d >= 0 else 'less'} than resources_fw ({signed_pct(f)})."
            )
    return out


def memory_findings(memory: Data) -> list[str]:
    ok = {m["framework"]: m for m in memory["frameworks"] if m.get("state") == "ok"}
    out = []
    r, g = ok.get("resources"), ok.get("globals")
    n, scenario = memory["requests"], memory["scenario"]
    if r is not None and g is not None:
        out.append(
            f"Building the {scenario} app and serving {n} requests, globals_fw's Python heap "
            f"peaks at {num(g['tracemalloc_peak_kib'])} KiB and resources_fw's at "
            f"{num(r['tracemalloc_peak_kib'])} KiB (tracemalloc)."
        )
        if "max_rss_mib" in g and "max_rss_mib" in r:
            out.append(
                f"Whole-process peak RSS: globals_fw {num(g['max_rss_mib'])} MiB, resources_fw "
                f"{num(r['max_rss_mib'])} MiB, of which importing the framework added "
                f"{num(g['import_rss_mib'])} and {num(r['import_rss_mib'])} MiB."
            )
    if ok:
        low = min(ok.values(), key=lambda m: m["tracemalloc_peak_kib"])
        high = max(ok.values(), key=lambda m: m["tracemalloc_peak_kib"])
        out.append(
            f"Smallest heap peak: {low['framework']} ({num(low['tracemalloc_peak_kib'])} KiB); "
            f"largest: {high['framework']} ({num(high['tracemalloc_peak_kib'])} KiB)."
        )
    return out


def code_findings(code: Data) -> list[str]:
    out = []
    totals = {"resources_fw": 0, "globals_fw": 0}
    for app in code.get("apps", []):
        fes = app["front_ends"]
        if all(fes.get(fe, {}).get("lines") for fe in totals):
            for fe in totals:
                totals[fe] += fes[fe]["lines"]
            r, g = fes["resources_fw"], fes["globals_fw"]
            out.append(
                f"{app['name']}: {r['lines']} lines with resources_fw ({len(r['names'])} "
                f"framework names) against {g['lines']} with globals_fw ({len(g['names'])} names)."
            )
    r_total, g_total = totals["resources_fw"], totals["globals_fw"]
    if r_total and g_total:
        out.insert(
            0,
            f"In total the web layers take {r_total} lines with resources_fw and {g_total} with "
            f"globals_fw: globals_fw needs {abs(g_total - r_total) / r_total * 100:.0f}% "
            f"{'fewer' if g_total < r_total else 'more'} lines.",
        )
    for test in code.get("unit_tests", []):
        out.append(
            f"Unit-testing one handler in the {test['style']} style takes a {test['lines']}-line "
            f"test that sets up {len(test['setup'])} things: {'; '.join(test['setup'])}."
        )
    return out


def _hello_globals_us(data: Data) -> float | None:
    bench = data.get("bench")
    found = cell(bench["requests"], "globals", "hello") if bench else None
    return None if found is None else float(found["median_us"])


def locals_findings(data: Data) -> list[str]:
    study = data["locals"]
    out = []
    for check in study["isolation"]:
        if check["outcome"] == "leaked":
            seen = ", ".join(
                f"{w} read {v}'s request" for w, v in sorted(check["seen"].items()) if w != v
            )
            out.append(
                f"{check['strategy']} leaked across {check['mode']}: {seen} "
                f"(each bound its own, then read 'the current request')."
            )
    isolated: dict[str, list[str]] = {}
    for check in study["isolation"]:
        if check["outcome"] != "skipped":
            isolated.setdefault(check["strategy"], []).append(check["outcome"])
    clean = [name for name, outcomes in isolated.items() if set(outcomes) == {"isolated"}]
    if clean:
        out.append("Kept every tested pair of requests apart: " + ", ".join(clean) + ".")
    if study.get("greenlet_note"):
        out.append(study["greenlet_note"])
    design = study["globals_fw"]
    out.append(
        f"globals_fw uses one ContextVar per context ({', '.join(design['contextvars'])}) "
        f"read through {design['proxy_class']} objects ({', '.join(design['proxies'])})."
    )
    out += _access_findings(study["access"], _hello_globals_us(data))
    return out


def _access_findings(access: Sequence[Data], hello_us: float | None) -> list[str]:
    costs = {a["key"]: a["median_ns"] for a in access}
    if "direct" not in costs or "globals_fw" not in costs:
        return []
    extra = costs["globals_fw"] - costs["direct"]
    text = (
        f"Reading request.method through globals_fw's proxy costs {num(costs['globals_fw'])} ns "
        f"against {num(costs['direct'])} ns for a parameter: {num(extra)} ns more per access."
    )
    if hello_us:
        share = 10 * extra / 1000 / hello_us
        text += (
            f" A view touching the proxies 10 times pays {num(10 * extra / 1000)} µs, "
            f"{share * 100:.1f}% of a globals_fw hello request ({num(hello_us)} µs)."
        )
    out = [text]
    if "werkzeug_proxy" in costs:
        out.append(
            f"werkzeug's LocalProxy over a ContextVar (modern Flask) costs "
            f"{num(costs['werkzeug_proxy'])} ns per access."
        )
    if "ident_proxy" in costs:
        out.append(
            f"Old Flask's proxy over an ident-keyed LocalStack costs {num(costs['ident_proxy'])}"
            f" ns per access; a bare ContextVar.get() lookup {num(costs.get('contextvar', 0.0))}"
            " ns."
        )
    return out


def all_findings(data: Data) -> dict[str, list[str]]:
    """Section key -> findings, for every part the document has."""
    found: dict[str, list[str]] = {}
    bench = data.get("bench")
    if bench:
        found["bench"] = bench_findings(bench)
        found["routes"] = routes_findings(bench) + startup_findings(bench)
    if data.get("apps"):
        found["apps"] = apps_findings(data["apps"])
    if data.get("memory"):
        found["memory"] = memory_findings(data["memory"])
    if data.get("code"):
        found["code"] = code_findings(data["code"])
    if data.get("locals"):
        found["locals"] = locals_findings(data)
    return found
