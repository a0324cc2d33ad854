"""The slow-client check (reliability matrix #54): connections that drip their request at
1 byte/s -- half of them the headers (slowloris), half a JSON body that never reaches its
Content-Length -- while a health probe must keep answering within a second."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass

from compare.load.proxy import deployed
from compare.load.servers import HOST, health_status

MAX_SLOW_CLIENTS = 500
PROBE_TIMEOUT = 1.0
#: What the slow clients start with, in turn; each then sends one more byte a second. The
#: body goes to a route that reads it (the notes API's JSON create).
OPENINGS = (
    b"GET /crosscut/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ",
    b"POST /notes/notes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 65536\r\n\r\n",
)


@dataclass(frozen=True)
class SlowResult:
    """How the health probe fared while ``slow_clients`` connections were dripping."""

    server: str
    front_end: str
    slow_clients: int
    connected: int
    probes: int
    answered: int
    worst_ms: float | None

    @property
    def passed(self) -> bool:
        return self.answered == self.probes


def _drip(sockets: list[socket.socket], stop: threading.Event, deadline: float) -> None:
    while not stop.wait(1.0) and time.monotonic() < deadline:
        for sock in sockets:
            try:
                sock.send(b"a")
            except OSError:  # the server gave up on it: that is allowed
                continue


def _probe(port: int) -> float | None:
    started = time.perf_counter()
    status = health_status(port, PROBE_TIMEOUT)
    elapsed = time.perf_counter() - started
    return elapsed if status == 200 and elapsed <= PROBE_TIMEOUT else None


def drip_and_probe(port: int, slow_clients: int, probes: int = 5) -> tuple[int, list[float | None]]:
    """Open ``slow_clients`` dripping connections, then probe the health URL ``probes`` times;
    returns how many connected and each probe's latency (``None``: not answered in time)."""
    if not 0 <= slow_clients <= MAX_SLOW_CLIENTS:
        raise ValueError(f"slow_clients {slow_clients} must be in [0, {MAX_SLOW_CLIENTS}].")
    sockets: list[socket.socket] = []
    stop = threading.Event()
    dripper = threading.Thread(
        target=_drip, args=(sockets, stop, time.monotonic() + 30 + probes), daemon=True
    )
    try:
        for i in range(slow_clients):
            try:
                sock = socket.create_connection((HOST, port), timeout=2.0)
                sock.sendall(OPENINGS[i % len(OPENINGS)])
            except OSError:
                continue
            sockets.append(sock)
        dripper.start()
        time.sleep(1.5)  # let every slow connection reach a worker
        results = []
        for _ in range(probes):
            results.append(_probe(port))
            time.sleep(0.5)
        return len(sockets), results
    finally:
        stop.set()
        if dripper.is_alive():
            dripper.join(5)
        for sock in sockets:
            sock.close()


def check(server: str, front_end: str, slow_clients: int, probes: int = 5) -> SlowResult:
    """Run the slow-client check against ``server`` (2 workers; ``+nginx``: behind nginx)
    serving ``front_end``."""
    with deployed(server, front_end) as deployment:
        connected, latencies = drip_and_probe(deployment.port, slow_clients, probes)
    answered = [t for t in latencies if t is not None]
    return SlowResult(
        server=server,
        front_end=front_end,
        slow_clients=slow_clients,
        connected=connected,
        probes=probes,
        answered=len(answered),
        worst_ms=round(max(answered) * 1000, 1) if answered else None,
    )
