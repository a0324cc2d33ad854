"""Context isolation under load (reliability matrix row 48): threads, asyncio tasks in one
thread and greenlets each run thousands of real requests, switching in the middle of each
one, and every request sees only its own ``request``, ``g`` and ``session``.

test_ctx.py checks the mechanism on a handful of contexts; this module interleaves many.
Every loop is bounded in count; nothing is timed (a barrier timeout only turns a hang into a
failure).
"""

from __future__ import annotations

import asyncio
import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from globals_fw import (
    App,
    copy_current_request_context,
    g,
    has_request_context,
    request,
    session,
    stream_with_context,
)
from globals_fw.testing import make_environ

greenlet = pytest.importorskip("greenlet")

#: Hands control to another thread, task or greenlet; set by each test.
Switch = Callable[[], None]


class Probe:
    """An app whose requests switch away in the view, in ``after_request`` and in teardown,
    and record every time they see a value that is not their own."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.switch: Switch = lambda: None
        self.mismatches: list[tuple[str, Any, Any]] = []
        self.teardowns = 0
        self._lock = threading.Lock()
        self._install()

    def check(self, where: str) -> None:
        ident = request.view_args["ident"] if request.view_args else None
        seen = {
            "g": g.get("ident"),
            "session": session.get("ident"),
            "arg": request.args.get("i"),
            "header": request.headers.get("X-Ident"),
            "path": request.path.rpartition("/")[2],
        }
        for name, value in seen.items():
            if value != ident:
                with self._lock:
                    self.mismatches.append((f"{where}:{name}", ident, value))

    def _install(self) -> None:
        app = self.app

        @app.route("/r/<ident>")
        def view(ident: str) -> Any:
            g.ident = ident
            session["ident"] = ident
            session["n"] = session.get("n", 0) + 1
            self.switch()
            self.check("view")
            return {"ident": g.ident, "n": session["n"]}

        @app.route("/stream/<ident>")
        def stream(ident: str) -> Any:
            g.ident = ident
            session["ident"] = ident

            def chunks() -> Iterator[str]:
                for _ in range(3):
                    self.check("stream")
                    yield f"{g.ident},"

            return stream_with_context(chunks())

        @app.after_request
        def after(response: Any) -> Any:
            self.switch()
            self.check("after_request")
            return response

        @app.teardown_request
        def teardown(exc: BaseException | None) -> None:
            self.switch()
            self.check("teardown")
            with self._lock:
                self.teardowns += 1


@pytest.fixture
def probe(app: App) -> Probe:
    return Probe(app)


def run_client(probe: Probe, ident: str, count: int) -> list[Any]:
    """``count`` requests from one browser (its own cookie jar) as ``ident``."""
    client = probe.app.test_client()
    return [
        client.get(f"/r/{ident}?i={ident}", headers={"X-Ident": ident}).get_json()
        for _ in range(count)
    ]


def expected(ident: str, count: int) -> list[Any]:
    # ``n`` counts up: each browser's session cookie carried only its own writes.
    return [{"ident": ident, "n": n} for n in range(1, count + 1)]


def test_threads_interleaved_inside_every_request(probe: Probe) -> None:
    workers, per_worker = 8, 250
    barrier = threading.Barrier(workers, timeout=60)
    probe.switch = _barrier_in_view_only(barrier)
    results: dict[str, list[Any]] = {}

    def work(ident: str) -> None:
        try:
            results[ident] = run_client(probe, ident, per_worker)
        except BaseException:
            barrier.abort()  # don't leave the others waiting
            raise

    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(work, f"t{i}") for i in range(workers)]
        for future in futures:
            future.result()
    assert probe.mismatches == []
    assert results == {f"t{i}": expected(f"t{i}", per_worker) for i in range(workers)}
    assert probe.teardowns == workers * per_worker


def _barrier_in_view_only(barrier: threading.Barrier) -> Switch:
    """Every request waits in its view until all workers are inside theirs; the later
    switches (after_request, teardown) only let another thread run."""

    def switch() -> None:
        if g.get("waited"):
            time.sleep(0)
            return
        g.waited = True
        barrier.wait()

    return switch


def test_greenlets_switching_inside_every_request(probe: Probe) -> None:
    workers, per_worker = 20, 100
    probe.switch = lambda: greenlet.getcurrent().parent.switch()
    results: dict[str, list[Any]] = {}

    def work(ident: str) -> None:
        results[ident] = run_client(probe, ident, per_worker)

    greenlets = [greenlet.greenlet(lambda i=i: work(f"gr{i}")) for i in range(workers)]
    switches = 0
    # Round robin: each greenlet is parked inside a request whenever another one runs.
    while any(not gr.dead for gr in greenlets):
        for gr in greenlets:
            if not gr.dead:
                gr.switch()
                switches += 1
        assert switches < 10 * workers * per_worker, "the greenlets never finished"
        assert not has_request_context()  # the scheduler sees none of theirs
    assert probe.mismatches == []
    assert results == {f"gr{i}": expected(f"gr{i}", per_worker) for i in range(workers)}
    assert switches >= 3 * workers * per_worker  # view, after_request and teardown switched


def test_asyncio_tasks_holding_contexts_across_awaits(probe: Probe) -> None:
    tasks, per_task = 20, 100
    app = probe.app

    async def one(ident: str, cookie: str | None) -> tuple[Any, str | None]:
        headers = {"X-Ident": ident}
        if cookie:
            headers["Cookie"] = cookie
        with app.test_request_context(f"/r/{ident}?i={ident}", headers=headers):
            g.ident = ident
            await asyncio.sleep(0)
            response = app.full_dispatch_request()  # hooks and view, in this task's context
            await asyncio.sleep(0)
            probe.check("task")
            set_cookie = response.headers.get("Set-Cookie")
        return response.get_json(), (set_cookie or "").split(";")[0] or cookie

    async def browser(ident: str) -> list[Any]:
        cookie: str | None = None
        out = []
        for _ in range(per_task):
            data, cookie = await one(ident, cookie)
            out.append(data)
        return out

    async def main() -> list[list[Any]]:
        return await asyncio.gather(*(browser(f"a{i}") for i in range(tasks)))

    results = asyncio.run(main())
    assert probe.mismatches == []
    assert results == [expected(f"a{i}", per_task) for i in range(tasks)]
    assert probe.teardowns == tasks * per_task


def test_asyncio_tasks_streaming_real_wsgi_responses(probe: Probe) -> None:
    tasks, per_task = 20, 50
    app = probe.app

    async def one(ident: str) -> bytes:
        environ = make_environ(app, f"/stream/{ident}?i={ident}", headers={"X-Ident": ident})
        statuses: list[str] = []

        def start_response(status: str, headers: Any, exc_info: Any = None) -> Any:
            statuses.append(status)
            return lambda data: None

        body = app(environ, start_response)
        chunks = []
        try:
            for chunk in body:  # the other tasks' streams are open while this one waits
                chunks.append(chunk)
                await asyncio.sleep(0)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        assert statuses == ["200 OK"]
        return b"".join(chunks)

    async def browser(ident: str) -> list[bytes]:
        return [await one(ident) for _ in range(per_task)]

    async def main() -> list[list[bytes]]:
        return await asyncio.gather(*(browser(f"s{i}") for i in range(tasks)))

    results = asyncio.run(main())
    assert probe.mismatches == []
    assert results == [[f"s{i},".encode() * 3] * per_task for i in range(tasks)]
    assert probe.teardowns == tasks * per_task


# -- handing work to an executor --------------------------------------------------------


def _read_path() -> str:
    try:
        return request.path
    except RuntimeError as exc:
        return f"error: {exc}"


def test_an_executor_without_copy_context_is_outside_the_request(app: App) -> None:
    @app.route("/offload")
    def offload() -> Any:
        with ThreadPoolExecutor(1) as pool:
            bare = pool.submit(_read_path).result()
            copied = pool.submit(contextvars.copy_context().run, _read_path).result()
            decorated = pool.submit(copy_current_request_context(_read_path)).result()
        return {"bare": bare, "copied": copied, "decorated": decorated}

    data = app.test_client().get("/offload").get_json()
    assert data["bare"].startswith("error: Working outside of request context")
    assert "test_request_context" in data["bare"]  # the message says what to do
    assert data["copied"] == data["decorated"] == "/offload"


def test_asyncio_run_in_executor_needs_the_context_copied(app: App) -> None:
    async def main() -> tuple[str, str]:
        with app.test_request_context("/in-task"):
            loop = asyncio.get_running_loop()
            bare = await loop.run_in_executor(None, _read_path)  # no context copy
            copied = await asyncio.to_thread(_read_path)  # copies the context
        return bare, copied

    bare, copied = asyncio.run(main())
    assert bare.startswith("error: Working outside of request context")
    assert copied == "/in-task"
