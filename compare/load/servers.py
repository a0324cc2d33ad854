"""Starting, watching and stopping the real servers.

Each server runs in its own process group so that stopping it (SIGTERM, then SIGKILL after a
grace period) also stops its workers. Process figures come from ``/proc`` (Linux).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from compare.load.client import Connection, request_bytes

HOST = "127.0.0.1"
ENTRY_POINTS = {
    "resources_fw": "compare.load.wsgi_resources:app",
    "globals_fw": "compare.load.wsgi_globals:app",
}
#: Two cores: two gunicorn processes; gthread adds four threads each (see docs/deployment.md).
SERVERS = ("gunicorn-sync", "gunicorn-gthread", "waitress")
STARTUP_TIMEOUT = 20.0
STOP_GRACE = 5.0


class ServerError(RuntimeError):
    """A server did not start, or an unknown server was asked for."""


def command(server: str, front_end: str, port: int, workers: int = 2) -> list[str]:
    """The command line serving ``front_end`` with ``server`` on ``HOST:port``."""
    entry = ENTRY_POINTS[front_end]
    gunicorn = [sys.executable, "-m", "gunicorn", "-b", f"{HOST}:{port}", "-w", str(workers)]
    quiet = ["--log-level", "warning", "--graceful-timeout", "2"]
    if server == "gunicorn-sync":
        return [*gunicorn, *quiet, entry]
    if server == "gunicorn-gthread":
        return [*gunicorn, "-k", "gthread", "--threads", "4", *quiet, entry]
    if server == "waitress":
        return [sys.executable, "-m", "waitress", f"--listen={HOST}:{port}", "--threads=4", entry]
    raise ServerError(f"Unknown server {server!r}: use one of {', '.join(SERVERS)}.")


def free_port() -> int:
    """A port that was free a moment ago on ``HOST``."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class ProcessFigures:
    """RSS (KiB), open file descriptors and threads of one process."""

    pid: int
    rss_kib: int
    fds: int
    threads: int


@dataclass(frozen=True)
class Snapshot:
    """The figures of a server's processes (master and workers) at one moment."""

    processes: tuple[ProcessFigures, ...]

    @property
    def rss_kib(self) -> int:
        return sum(p.rss_kib for p in self.processes)

    @property
    def fds(self) -> int:
        return sum(p.fds for p in self.processes)

    @property
    def threads(self) -> int:
        return sum(p.threads for p in self.processes)

    @property
    def pids(self) -> frozenset[int]:
        return frozenset(p.pid for p in self.processes)


def _status_fields(pid: int) -> dict[str, str]:
    text = Path(f"/proc/{pid}/status").read_text()
    return {k: v.strip() for k, _, v in (line.partition(":") for line in text.splitlines())}


def figures(pid: int) -> ProcessFigures:
    """The figures of process ``pid`` from ``/proc``."""
    fields = _status_fields(pid)
    return ProcessFigures(
        pid,
        rss_kib=int(fields.get("VmRSS", "0 kB").split()[0]),
        fds=len(os.listdir(f"/proc/{pid}/fd")),
        threads=int(fields.get("Threads", "0")),
    )


def children(pid: int) -> list[int]:
    """The direct children of ``pid`` (all threads' children lists)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def snapshot(pid: int) -> Snapshot:
    """The figures of ``pid`` and its children; processes that vanish meanwhile are skipped."""
    processes = []
    for member in [pid, *children(pid)]:
        try:
            processes.append(figures(member))
        except (FileNotFoundError, ProcessLookupError):
            continue
    return Snapshot(tuple(processes))


@dataclass
class Server:
    """A running server."""

    name: str
    front_end: str
    port: int
    process: subprocess.Popen[bytes]
    log: IO[bytes]

    @property
    def pid(self) -> int:
        return self.process.pid

    def snapshot(self) -> Snapshot:
        """The figures of the server's processes now."""
        return snapshot(self.pid)

    def output(self, limit: int = 2000) -> str:
        """The last ``limit`` characters the server wrote."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")[-limit:]


def health_status(port: int, timeout: float = 2.0) -> int | None:
    """The status ``/crosscut/health`` on ``HOST:port`` answers with, or ``None`` when no
    answer comes within ``timeout`` seconds."""
    connection = Connection(HOST, port, timeout=timeout)
    try:
        return connection.exchange(request_bytes("GET", "/crosscut/health", close=True)).status
    except OSError:
        return None
    finally:
        connection.close()


def health_answers(port: int) -> bool:
    """Whether ``/crosscut/health`` on ``HOST:port`` answers ``200`` (within 2 s)."""
    return health_status(port) == 200


def wait_ready(server: Server, workers: int, timeout: float = STARTUP_TIMEOUT) -> None:
    """Wait until the server answers its health URL and all its workers are up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            output = (
                server.process.stdout.read().decode(errors="replace")
                if server.process.stdout
                else ""
            )
            raise ServerError(
                f"{server.name} exited with {server.process.returncode}:\n{output[-2000:]}"
            )
        expected = 1 + workers if server.name.startswith("gunicorn") else 1
        if len(server.snapshot().processes) >= expected and health_answers(server.port):
            return
        time.sleep(0.1)
    raise ServerError(f"{server.name} did not answer on port {server.port} within {timeout} s.")


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and its workers: SIGTERM to its process group, then SIGKILL to whatever
    is left of the group after the grace period."""
    try:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(STOP_GRACE)
        os.killpg(process.pid, signal.SIGKILL)  # a worker the master left behind
    except ProcessLookupError:  # the whole group is already gone
        pass
    process.wait(STOP_GRACE)


@contextlib.contextmanager
def running(server: str, front_end: str, workers: int = 2) -> Iterator[Server]:
    """Start ``server`` serving ``front_end`` on a free loopback port; always stop it."""
    port = free_port()
    # A file, not a pipe: a pipe nobody reads would stall a chatty server once it is full.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            command(server, front_end, port, workers),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stop() reaches the workers
        )
        try:
            handle = Server(server, front_end, port, process, log)
            wait_ready(handle, workers)
            yield handle
        finally:
            stop(process)


def high_water(settled: Snapshot, samples: Sequence[Snapshot]) -> Snapshot:
    """``settled`` with each process's RSS and threads raised to the highest value ``samples``
    saw: the warmed-up state a later snapshot must not exceed. The fds stay ``settled``'s,
    since samples taken under load count the open client connections."""
    peaks: dict[int, tuple[int, int]] = {}
    for sample in samples:
        for p in sample.processes:
            rss, threads = peaks.get(p.pid, (0, 0))
            peaks[p.pid] = (max(rss, p.rss_kib), max(threads, p.threads))
    return Snapshot(
        tuple(
            replace(
                p,
                rss_kib=max(p.rss_kib, peaks.get(p.pid, (0, 0))[0]),
                threads=max(p.threads, peaks.get(p.pid, (0, 0))[1]),
            )
            for p in settled.processes
        )
    )
