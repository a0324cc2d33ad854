"""``python -m compare``: measure everything, write the report, print the summary."""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from compare.apps import registry
from compare.bench.apps import FRAMEWORKS
from compare.bench.runner import CLOCKS, Settings
from compare.bench.scenarios import SCENARIOS, SWEEP_SIZES

from .code import ROOT
from .collect import Options, collect, failures
from .progress import Progress
from .render import render_docs, write_report
from .summary import summary

DOCS_PAGE = ROOT / "docs" / "design-trade-offs.md"
QUICK_SIZES = (10, 100, 1000)


class UsageError(ValueError):
    """A flag value the command cannot use; the message says which and what would do."""


def _names(text: str, known: Sequence[str], what: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in known]
    if unknown or not names:
        choices = ", ".join(known) or "(none registered)"
        raise UsageError(
            f"unknown {what} {', '.join(unknown) or '(none given)'}; choose among: {choices}"
        )
    return names


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(sorted({int(n) for n in text.split(",")}))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes takes integers like 10,100: {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"--sizes must be positive integers: {text!r}")
    return sizes


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1, got {value}")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m compare",
        description="Measure resources_fw against globals_fw (and Falcon, Flask, Bottle, raw "
        "WSGI): benchmark scenarios, the reference apps, memory, code size, context-local "
        "strategies. Writes report.html, report.md and report.json to --out.",
    )
    p.add_argument("--out", type=Path, default=Path("out/report"), help="default out/report")
    p.add_argument("--apps", help="comma-separated app pairs (default: every registered one)")
    p.add_argument(
        "--frameworks", help="comma-separated, from: " + ", ".join(FRAMEWORKS) + " (default all)"
    )
    p.add_argument("--baseline", default="falcon", help="ratios divide by it (default falcon)")
    p.add_argument("--rounds", type=_positive, help="timed rounds per cell (default 7; quick 3)")
    p.add_argument("--number", type=_positive, help="requests per round (default: by time)")
    p.add_argument("--round-time", type=float, help="seconds per round (default 0.1; quick 0.03)")
    p.add_argument("--sizes", type=_sizes, help="route counts of the sweep (default 10..1000)")
    p.add_argument(
        "--startup-repeat", type=int, help="fresh processes per start-up cell (default 3; quick 0)"
    )
    p.add_argument("--memory-requests", type=_positive, help="default 2000; quick 200")
    p.add_argument("--clock", choices=list(CLOCKS), default="cpu", help="default cpu time")
    p.add_argument("--quick", action="store_true", help="a rough look in well under a minute")
    p.add_argument("--no-bench", action="store_true", help="skip the bench scenarios and sweep")
    p.add_argument("--no-apps", action="store_true", help="skip the reference apps")
    p.add_argument("--no-memory", action="store_true", help="skip peak memory")
    p.add_argument("--no-locals", action="store_true", help="skip the context-local study")
    p.add_argument(
        "--write-docs",
        nargs="?",
        type=Path,
        const=DOCS_PAGE,
        metavar="PATH",
        help="also write the generated docs chapter (default docs/design-trade-offs.md) and, "
        "beside it, the results it was generated from (.json)",
    )
    p.add_argument(
        "--from-json",
        type=Path,
        metavar="PATH",
        help="measure nothing: render the report (and docs) from a report.json",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return p


def _pick(value: Any, quick: bool, quick_default: Any, default: Any) -> Any:
    if value is not None:
        return value
    return quick_default if quick else default


def options_from(args: argparse.Namespace, argv: Sequence[str]) -> Options:
    """Resolve the defaults (``--quick`` ones if asked; explicit flags win) and check."""
    known_apps = [pair.name for pair in registry.APPS]
    chosen = _names(args.apps, known_apps, "app") if args.apps else known_apps
    frameworks = (
        _names(args.frameworks, list(FRAMEWORKS), "framework")
        if args.frameworks
        else list(FRAMEWORKS)
    )
    if args.baseline not in FRAMEWORKS:
        raise UsageError(f"--baseline {args.baseline}: choose among {', '.join(FRAMEWORKS)}")
    # A baseline left out of --frameworks gives way to the first one chosen.
    baseline = args.baseline if args.baseline in frameworks else frameworks[0]
    quick = args.quick
    startup = _pick(args.startup_repeat, quick, 0, 3)
    if startup < 0:
        raise UsageError(f"--startup-repeat must be 0 (skip) or more, got {startup}")
    try:
        settings = Settings(
            rounds=_pick(args.rounds, quick, 3, 7),
            number=args.number,
            round_time=_pick(args.round_time, quick, 0.03, 0.1),
            clock=args.clock,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return Options(
        frameworks=frameworks,
        baseline=baseline,
        pairs=[pair for pair in registry.APPS if pair.name in chosen],
        settings=settings,
        sizes=_pick(args.sizes, quick, QUICK_SIZES, SWEEP_SIZES),
        startup_repeat=startup,
        bench=not args.no_bench,
        apps=not args.no_apps,
        memory=not args.no_memory,
        memory_requests=_pick(args.memory_requests, quick, 200, 2000),
        locals=not args.no_locals,
        locals_rounds=3 if quick else 7,
        locals_number=20_000 if quick else 200_000,
        command=shlex.join(["python", "-m", "compare", *argv]),
        extra={"quick": quick, "scenarios": list(SCENARIOS)},
    )


def _write(data: dict[str, Any], args: argparse.Namespace) -> list[Path]:
    written = write_report(data, args.out)
    path = args.out / "report.json"
    if args.from_json is None or args.from_json.resolve() != path.resolve():
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    if args.write_docs is not None:
        page: Path = args.write_docs
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(render_docs(data), encoding="utf-8")
        # The results beside the page, so that anyone can regenerate it byte for byte.
        source = page.with_suffix(".json")
        if args.from_json is None or args.from_json.resolve() != source.resolve():
            source.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        written += [page, source]
    return written


def _load(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise UsageError(f"--from-json {path}: cannot read a results document ({exc})") from None
    if data.get("schema") != 1:
        raise UsageError(f"--from-json {path}: not a report.json of python -m compare")
    return data


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns 1 if any framework or app answered wrongly."""
    argv = list(sys.argv[1:] if argv is None else argv)
    p = parser()
    args = p.parse_args(argv)
    try:
        if args.from_json is not None:
            data = _load(args.from_json)
        else:
            options = options_from(args, argv)
            progress = Progress(options.steps(), enabled=not args.quiet)
            data = collect(options, progress)
    except UsageError as exc:
        p.error(str(exc))
    written = _write(data, args)
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:  # "µs" on a terminal that cannot encode it: no crash
        reconfigure(errors="replace")
    print(summary(data))
    print("\nWritten: " + ", ".join(str(path) for path in written))
    wrong = failures(data)
    for line in wrong:
        print(f"ERROR {line}", file=sys.stderr)
    return 1 if wrong else 0
