"""The load command: its accounting and bars on made-up results, its HTTP reader on canned
bytes, and one short real run against waitress for both front-ends (no timing asserted)."""

from __future__ import annotations

import json
import random
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compare.load import cli
from compare.load.bars import Cell, evaluate, rss_growth
from compare.load.client import Connection, ProtocolError, Reader, Reply, read_reply
from compare.load.generator import LoadSummary, Plan, Tally, percentile, summarise
from compare.load.servers import ProcessFigures, ServerError, Snapshot, command, high_water
from compare.load.slow import MAX_SLOW_CLIENTS, SlowResult, drip_and_probe
from compare.load.traffic import CLIENT_ERRORS, Session, Spec, good_requests, hostile_requests

GOOD = Spec("good", b"GET / HTTP/1.1\r\n\r\n", frozenset({200}))
HOSTILE = Spec("bad", b"GET /x HTTP/1.1\r\n\r\n", CLIENT_ERRORS, hostile=True)
ECHO = Spec("echo", b"", frozenset({308}), hostile=True, forbid_header="X-Injected")


def reply(status: int, *headers: tuple[str, str]) -> Reply:
    return Reply(status, list(headers))


# -- accounting ---------------------------------------------------------------------------


def test_tally_counts_good_requests_by_outcome() -> None:
    tally = Tally()
    tally.record(GOOD, reply(200), 0.002)
    tally.record(GOOD, reply(503), 0.004)
    tally.record(GOOD, None, 0.1, "ConnectionResetError")
    assert (tally.good, tally.good_unexpected, tally.good_5xx) == (3, 2, 1)
    assert tally.good_socket_errors == 1
    assert tally.latencies == [0.002, 0.004]  # a failed request has no latency
    assert tally.classes == {"2xx": 1, "5xx": 1}
    assert tally.failures == {"good: 503": 1, "good: ConnectionResetError": 1}


def test_tally_counts_hostile_requests_apart() -> None:
    tally = Tally()
    tally.record(HOSTILE, reply(400), 0.001)
    tally.record(HOSTILE, reply(200), 0.001)
    tally.record(HOSTILE, reply(500), 0.001)
    tally.record(HOSTILE, None, 0.001, "TimeoutError")
    assert (tally.hostile, tally.hostile_expected, tally.hostile_5xx) == (4, 1, 1)
    assert tally.hostile_socket_errors == 1
    assert (tally.good, tally.latencies) == (0, [])


def test_a_forbidden_header_makes_the_answer_unexpected() -> None:
    tally = Tally()
    tally.record(ECHO, reply(308, ("Location", "/docs/")), 0.001)
    tally.record(ECHO, reply(308, ("x-injected", "1")), 0.001)
    assert tally.hostile_expected == 1
    assert tally.failures == {"echo: 308": 1}


def test_merge_adds_every_count() -> None:
    first, second = Tally(), Tally()
    first.record(GOOD, reply(200), 0.001)
    second.record(GOOD, reply(500), 0.003)
    second.record(HOSTILE, reply(404), 0.001)
    second.stale_retries = 2
    first.merge(second)
    assert (first.good, first.good_5xx, first.hostile, first.hostile_expected) == (2, 1, 1, 1)
    assert first.stale_retries == 2
    assert first.classes == {"2xx": 1, "5xx": 1, "4xx": 1}
    assert first.failures == {"good: 500": 1}
    assert sorted(first.latencies) == [0.001, 0.003]


def test_summary_figures() -> None:
    tally = Tally()
    for ms in range(1, 101):
        tally.record(GOOD, reply(200), ms / 1000)
    summary = summarise(tally, 2.0)
    assert (summary.requests, summary.requests_per_second) == (100, 50.0)
    assert (summary.p50_ms, summary.p99_ms) == (50.0, 99.0)


@given(st.lists(st.floats(0, 10), min_size=1), st.floats(0, 1), st.floats(0, 1))
def test_percentile_is_a_monotonic_member(values: list[float], low: float, high: float) -> None:
    low, high = sorted((low, high))
    assert percentile(values, low) in values
    assert percentile(values, low) <= percentile(values, high)


def test_plan_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="at least one good request"):
        Plan(())
    with pytest.raises(ValueError, match="hostile_ratio"):
        Plan((GOOD,), (HOSTILE,), 1.5)


def test_plan_mixes_in_hostile_requests_at_the_ratio() -> None:
    rng = random.Random(7)
    clean, mixed = Plan((GOOD,)), Plan((GOOD,), (HOSTILE,), 0.1)
    assert not any(clean.pick(rng).hostile for _ in range(1000))
    hostile = sum(mixed.pick(rng).hostile for _ in range(10_000))
    assert 800 < hostile < 1200


def test_the_catalogue_covers_the_brief() -> None:
    good = {s.name for s in good_requests(Session("cookie", "token"))}
    hostile = {s.name for s in hostile_requests()}
    assert {"plain GET", "form POST (login)", "multipart upload", "static Range"} <= good
    assert {"session read", "session write", "streamed report", "file download"} <= good
    assert {"malformed JSON", "oversized body", "garbage Content-Length"} <= hostile
    assert {"path traversal (static)", "CR/LF echoed into Location", "huge header"} <= hostile
    assert all(s.hostile and s.expect for s in hostile_requests())


# -- bars ---------------------------------------------------------------------------------


def snap(*processes: tuple[int, int, int, int]) -> Snapshot:
    return Snapshot(tuple(ProcessFigures(*p) for p in processes))


def run_of(*outcomes: tuple[Spec, int | None], p99: float = 0.004) -> LoadSummary:
    tally = Tally()
    for spec, status in outcomes:
        tally.record(spec, None if status is None else reply(status), p99, "OSError")
    return summarise(tally, 1.0)


def cell(
    mixed: LoadSummary | None = None,
    baseline: LoadSummary | None = None,
    after: Snapshot | None = None,
) -> Cell:
    before = snap((1, 30_000, 10, 1), (2, 40_000, 12, 5))
    return Cell(
        "server",
        "front",
        baseline or run_of((GOOD, 200)),
        mixed or run_of((GOOD, 200), (HOSTILE, 404)),
        before,
        after or before,
    )


def failed(result: Cell) -> set[str]:
    return {bar.name for bar in evaluate(result) if not bar.passed}


def test_a_clean_cell_meets_every_bar() -> None:
    assert failed(cell()) == set()


def test_good_traffic_bars() -> None:
    assert failed(cell(run_of((GOOD, 500), (HOSTILE, 404)))) == {
        "good traffic: zero 5xx",
        "good traffic: expected status",
    }
    assert "good traffic: zero socket errors" in failed(cell(run_of((GOOD, None), (HOSTILE, 400))))
    assert failed(cell(run_of((GOOD, 404), (HOSTILE, 400)))) == {"good traffic: expected status"}


def test_hostile_bar() -> None:
    assert failed(cell(run_of((GOOD, 200), (HOSTILE, 200)))) == {"hostile traffic gets 4xx"}
    assert failed(cell(run_of((GOOD, 200), (HOSTILE, None)))) == {"hostile traffic gets 4xx"}
    assert failed(cell(run_of((GOOD, 200)))) == {"hostile traffic gets 4xx"}  # none were sent


def test_resource_bars() -> None:
    grown = snap((1, 30_000, 10, 1), (2, 42_400, 12, 5))  # the worker grew 6%
    assert failed(cell(after=grown)) == {"RSS growth < 5% after warm-up"}
    leaky = snap((1, 30_000, 10, 1), (2, 40_000, 13, 6))
    assert failed(cell(after=leaky)) == {"fds flat", "threads flat"}
    replaced = snap((1, 30_000, 10, 1), (3, 40_000, 12, 5))
    assert failed(cell(after=replaced)) == {"no worker died or was replaced"}


def test_rss_growth_is_the_worst_process() -> None:
    before = snap((1, 100_000, 1, 1), (2, 10_000, 1, 1))
    after = snap((1, 100_000, 1, 1), (2, 11_000, 1, 1))
    assert rss_growth(before, after) == pytest.approx(0.10)


def test_high_water_raises_rss_and_threads_but_not_fds() -> None:
    settled = snap((1, 100, 10, 4), (2, 200, 7, 2))
    samples = [snap((1, 150, 30, 3), (2, 180, 40, 5)), snap((1, 120, 30, 5), (3, 999, 1, 9))]
    assert high_water(settled, samples) == snap((1, 150, 10, 5), (2, 200, 7, 5))


def test_latency_bar() -> None:
    slow = run_of((GOOD, 200), (HOSTILE, 400), p99=0.009)
    assert failed(cell(slow, run_of((GOOD, 200), p99=0.004))) == {
        "good p99 within 2x of no-hostile run"
    }
    assert failed(cell(slow, run_of((GOOD, 200), p99=0.005))) == set()


# -- the HTTP reader and the command line ---------------------------------------------------


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    left, right = socket.socketpair()
    with left, right:
        yield left, right


def test_reads_chunked_and_sized_replies(pair: tuple[socket.socket, socket.socket]) -> None:
    server, client = pair
    server.sendall(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
        b"HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno"
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
    )
    reader = Reader(client)
    first, second = read_reply(reader, False), read_reply(reader, False)
    assert (first.status, first.body, first.keep_alive) == (200, b"abcde", True)
    assert (second.status, second.body, second.keep_alive) == (404, b"no", False)
    assert read_reply(reader, head_request=True).body == b""  # HEAD: no body follows


def test_rejects_a_garbage_reply(pair: tuple[socket.socket, socket.socket]) -> None:
    server, client = pair
    server.sendall(b"SMTP ready\r\n\r\n")
    with pytest.raises(ProtocolError, match="status line"):
        read_reply(Reader(client), False)


@pytest.mark.parametrize("host", ["10.0.0.1", "example.org", "0.0.0.0"])
def test_only_loopback_targets(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        Connection(host, 80)


def test_command_lines() -> None:
    assert command("gunicorn-gthread", "globals_fw", 8000)[-1] == "compare.load.wsgi_globals:app"
    assert "--threads=4" in command("waitress", "resources_fw", 8000)
    with pytest.raises(ServerError, match="Unknown server"):
        command("uwsgi", "resources_fw", 8000)


def test_slow_client_check_is_bounded() -> None:
    with pytest.raises(ValueError, match="slow_clients"):
        drip_and_probe(1, MAX_SLOW_CLIENTS + 1)
    result = SlowResult("waitress", "globals_fw", 8, 8, probes=5, answered=4, worst_ms=2.0)
    assert not result.passed


def test_command_line_options() -> None:
    quick = cli.parse(["--quick", "--servers", "waitress"])
    assert (quick.servers, quick.duration, quick.concurrency) == (("waitress",), 1.0, 4)
    with pytest.raises(SystemExit):
        cli.parse(["--servers", "nginx"])
    with pytest.raises(SystemExit):
        cli.parse(["--hostile-ratio", "1"])


# -- a real run -----------------------------------------------------------------------------


def test_a_short_real_run_on_waitress(tmp_path: Path) -> None:
    """Both front-ends on waitress: good traffic all answered (no 5xx, no socket error) and
    every hostile request got its 4xx. Throughput and latency are reported, not asserted."""
    out = tmp_path / "load.json"
    cli.main(["--quick", "--servers", "waitress", "--json", str(out)])
    report = json.loads(out.read_text())
    cells = {c["front_end"]: c for c in report["cells"]}
    assert set(cells) == {"resources_fw", "globals_fw"}
    for result in cells.values():
        bars = {b["name"]: b for b in result["bars"]}
        for name in (
            "good traffic: zero 5xx",
            "good traffic: zero socket errors",
            "good traffic: expected status",
            "hostile traffic gets 4xx",
            "no worker died or was replaced",
        ):
            assert bars[name]["passed"], (name, bars[name]["detail"], result["mixed"]["tally"])
        assert result["mixed"]["tally"]["hostile"] > 0
