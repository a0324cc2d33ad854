"""Contexts and the context-local globals."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from globals_fw import (
    App,
    after_this_request,
    copy_current_request_context,
    current_app,
    g,
    has_app_context,
    has_request_context,
    request,
    session,
    stream_with_context,
)
from globals_fw.globals import _cv_app, _cv_request


@pytest.mark.parametrize("proxy", [request, session], ids=["request", "session"])
def test_request_proxies_outside_context_say_what_to_do(proxy: Any) -> None:
    with pytest.raises(RuntimeError, match="test_request_context"):
        proxy.anything  # noqa: B018


@pytest.mark.parametrize("proxy", [current_app, g], ids=["current_app", "g"])
def test_app_proxies_outside_context_say_what_to_do(proxy: Any) -> None:
    with pytest.raises(RuntimeError, match="app_context"):
        proxy.anything  # noqa: B018


def test_app_context_makes_current_app_and_g(app: App) -> None:
    assert not has_app_context()
    with app.app_context() as ctx:
        assert has_app_context()
        assert not has_request_context()
        assert current_app._get_current_object() is app  # type: ignore[attr-defined]
        g.x = 1
        assert ctx.g.x == 1
    assert not has_app_context()


def test_app_contexts_nest_and_each_has_its_own_g(app: App) -> None:
    other = App("other", root_path="/nonexistent")
    with app.app_context():
        g.name = "outer"
        with other.app_context():
            assert current_app.name == "other"
            assert "name" not in g
        assert current_app.name == "test_app"
        assert g.name == "outer"


def test_same_context_pushed_twice_tears_down_once(app: App) -> None:
    calls: list[Any] = []
    app.teardown_appcontext(calls.append)
    ctx = app.app_context()
    with ctx, ctx:
        pass
    assert calls == [None]


def test_popping_the_wrong_context_is_an_error(app: App) -> None:
    first, second = app.app_context(), app.app_context()
    first.push()
    second.push()
    with pytest.raises(RuntimeError, match="wrong application context"):
        first.pop()
    second.pop()
    first.pop()


def test_g_behaves_like_flasks(app: App) -> None:
    with app.app_context():
        assert "a" not in g
        assert g.get("a") is None
        assert g.get("a", 5) == 5
        assert g.setdefault("a", 1) == 1
        assert g.setdefault("a", 2) == 1
        g.b = 2
        assert sorted(g) == ["a", "b"]
        assert g.pop("a") == 1
        assert g.pop("a", None) is None
        with pytest.raises(KeyError):
            g.pop("a")
        with pytest.raises(AttributeError):
            g.missing  # noqa: B018
        del g.b
        assert list(g) == []
        assert "test_app" in repr(g)


def test_test_request_context_gives_request_and_routing(app: App) -> None:
    @app.post("/items/<int:item_id>")
    def item(item_id: int) -> str:
        return "x"

    with app.test_request_context(
        "/items/3?q=1", method="POST", json={"a": 1}, headers={"X-Thing": "yes"}
    ):
        assert has_request_context()
        assert has_app_context()
        assert request.method == "POST"
        assert request.args["q"] == "1"
        assert request.get_json() == {"a": 1}
        assert request.headers["X-Thing"] == "yes"
        assert request.endpoint == "item"
        assert request.view_args == {"item_id": 3}
        assert request.url_rule is not None
        assert request.url_rule.rule == "/items/<int:item_id>"
    with app.test_request_context("/missing"):
        assert request.routing_exception is not None
        assert request.endpoint is None


def test_request_context_reuses_an_app_context_of_the_same_app(app: App) -> None:
    with app.app_context():
        g.kept = True
        with app.test_request_context("/"):
            assert g.kept is True


def _isolated_worker(app: App, name: str, barrier: threading.Barrier, out: dict[str, Any]) -> None:
    with app.test_request_context(f"/{name}"):
        g.name = name
        barrier.wait()  # every thread has pushed its own context before any reads
        out[name] = (request.path, g.name)


def test_threads_see_their_own_contexts(app: App) -> None:
    barrier = threading.Barrier(4)
    out: dict[str, Any] = {}
    threads = [
        threading.Thread(target=_isolated_worker, args=(app, f"t{i}", barrier, out))
        for i in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == {f"t{i}": (f"/t{i}", f"t{i}") for i in range(4)}


def test_asyncio_tasks_see_their_own_contexts(app: App) -> None:
    async def handle(name: str, started: asyncio.Event, go: asyncio.Event) -> tuple[str, str]:
        with app.test_request_context(f"/{name}"):
            g.name = name
            started.set()
            await go.wait()  # all tasks hold a context at once
            return request.path, g.name

    async def main() -> list[tuple[str, str]]:
        go = asyncio.Event()
        events = [asyncio.Event() for _ in range(3)]
        tasks = [asyncio.create_task(handle(f"a{i}", events[i], go)) for i in range(3)]
        for e in events:
            await e.wait()
        assert not has_request_context()  # the main task has none
        go.set()
        return await asyncio.gather(*tasks)

    assert asyncio.run(main()) == [(f"/a{i}", f"a{i}") for i in range(3)]


def test_copy_current_request_context_in_a_thread(app: App, client: Any) -> None:
    seen: dict[str, Any] = {}

    @app.route("/work")
    def work() -> str:
        @copy_current_request_context
        def in_thread() -> None:
            seen["path"] = request.path
            seen["arg"] = request.args["x"]

        t = threading.Thread(target=in_thread)
        t.start()
        t.join()
        return "ok"

    assert client(app).get("/work?x=7").text == "ok"
    assert seen == {"path": "/work", "arg": "7"}


def test_copy_current_request_context_needs_a_request() -> None:
    with pytest.raises(RuntimeError, match="test_request_context"):
        copy_current_request_context(lambda: None)


def test_after_this_request_runs_before_after_request_hooks(app: App, client: Any) -> None:
    order: list[str] = []

    @app.after_request
    def hook(response: Any) -> Any:
        order.append("hook")
        return response

    @app.route("/")
    def index() -> str:
        @after_this_request
        def add_header(response: Any) -> Any:
            order.append("this")
            response.headers["X-Foo"] = "a"
            return response

        return "x"

    res = client(app).get("/")
    assert res.headers["X-Foo"] == "a"
    assert order == ["this", "hook"]


def test_after_this_request_outside_a_request() -> None:
    with pytest.raises(RuntimeError, match="after_this_request"):
        after_this_request(lambda r: r)


def test_stream_with_context_keeps_request_and_tears_down_once_after_last_byte(
    app: App, client: Any
) -> None:
    events: list[str] = []

    @app.teardown_request
    def td(exc: BaseException | None) -> None:
        events.append("teardown_request")

    @app.teardown_appcontext
    def tda(exc: BaseException | None) -> None:
        events.append("teardown_appcontext")

    @app.route("/stream")
    def stream() -> Any:
        g.n = "G"

        def generate() -> Any:
            events.append("first")
            yield request.args["a"]
            yield g.n
            events.append("last")

        return stream_with_context(generate())

    res = client(app).get("/stream?a=A")
    assert res.text == "AG"
    assert events == ["first", "last", "teardown_request", "teardown_appcontext"]


def test_stream_with_context_as_decorator_and_head(app: App, client: Any) -> None:
    events: list[str] = []
    app.teardown_request(lambda exc: events.append("td"))

    @app.route("/s")
    def s() -> Any:
        @stream_with_context
        def generate() -> Any:
            yield "x"
            yield request.method

        return generate()

    assert client(app).get("/s").text == "xGET"
    assert events == ["td"]
    client(app).head("/s")  # no body sent: closing the stream still tears down once
    assert events == ["td", "td"]


def test_stream_with_context_that_is_not_returned_still_tears_down(app: App, client: Any) -> None:
    events: list[str] = []
    app.teardown_request(lambda exc: events.append("td"))

    @app.route("/")
    def index() -> str:
        stream_with_context(iter(["unused"]))
        return "plain"

    assert client(app).get("/").text == "plain"
    assert events == ["td"]


def test_stream_with_context_needs_a_request() -> None:
    with pytest.raises(RuntimeError, match="stream_with_context"):
        stream_with_context(iter([]))


@pytest.mark.parametrize("where", ["view", "before", "after", "teardown", "teardown_app"])
def test_no_context_left_when_something_raises(app: App, where: str) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    ran: list[str] = []

    def boom(*args: Any) -> Any:
        raise ValueError(where)

    if where == "before":
        app.before_request(boom)
    elif where == "after":
        app.after_request(boom)
    elif where == "teardown":
        app.teardown_request(boom)
        app.teardown_request(lambda exc: ran.append("other teardown"))
    elif where == "teardown_app":
        app.teardown_appcontext(boom)
        app.teardown_appcontext(lambda exc: ran.append("other teardown"))

    @app.route("/")
    def index() -> str:
        if where == "view":
            raise ValueError(where)
        return "ok"

    res = app.test_client().get("/")
    if where in ("view", "before", "after"):
        assert res.status_code == 500
    if where.startswith("teardown"):
        assert ran == ["other teardown"]
    assert _cv_app.get(None) is None
    assert _cv_request.get(None) is None


def test_propagated_exception_leaves_no_context(app: App) -> None:
    @app.route("/")
    def index() -> str:
        raise KeyError("boom")

    with pytest.raises(KeyError):
        app.test_client().get("/")
    assert _cv_request.get(None) is None


def test_teardown_callbacks_get_the_unhandled_error(app: App) -> None:
    app.config["PROPAGATE_EXCEPTIONS"] = False
    seen: list[Any] = []
    app.teardown_request(seen.append)
    app.teardown_appcontext(seen.append)

    @app.route("/")
    def index() -> str:
        raise ZeroDivisionError

    assert app.test_client().get("/").status_code == 500
    assert [type(e) for e in seen] == [ZeroDivisionError, ZeroDivisionError]


def test_several_failing_teardowns_raise_a_group(app: App) -> None:
    def one(exc: Any) -> None:
        raise ValueError("one")

    def two(exc: Any) -> None:
        raise KeyError("two")

    app.teardown_appcontext(one)
    app.teardown_appcontext(two)
    with pytest.raises(ExceptionGroup) as info, app.app_context():
        pass
    assert len(info.value.exceptions) == 2


def test_concurrent_requests_in_threads_are_isolated(app: App) -> None:
    barrier = threading.Barrier(3)

    @app.route("/who/<name>")
    def who(name: str) -> Any:
        g.name = name
        barrier.wait()  # all three requests are inside their views at once
        return {"path": request.path, "g": g.name, "arg": request.args["n"]}

    results: dict[str, Any] = {}

    def call(name: str) -> None:
        results[name] = app.test_client().get(f"/who/{name}?n={name}").get_json()

    threads = [threading.Thread(target=call, args=(n,)) for n in ("a", "b", "c")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == {n: {"path": f"/who/{n}", "g": n, "arg": n} for n in "abc"}


def test_g_is_fresh_for_each_request(app: App, client: Any) -> None:
    @app.route("/")
    def index() -> str:
        seen = g.get("seen", False)
        g.seen = True
        return str(seen)

    c = client(app)
    assert c.get("/").text == "False"
    assert c.get("/").text == "False"


def test_tasks_started_by_an_async_view_see_its_request(app: App, client: Any) -> None:
    @app.route("/fan/<int:n>")
    async def fan(n: int) -> Any:
        async def part(i: int) -> str:
            await asyncio.sleep(0)
            return f"{request.path}#{i}"

        return list(await asyncio.gather(*(part(i) for i in range(n))))

    assert client(app).get("/fan/3").json == ["/fan/3#0", "/fan/3#1", "/fan/3#2"]


def test_copied_context_shares_the_session(app: App, client: Any) -> None:
    @app.route("/")
    def index() -> str:
        @copy_current_request_context
        def in_thread() -> None:
            session["from_thread"] = "yes"

        t = threading.Thread(target=in_thread)
        t.start()
        t.join()
        return str(session.get("from_thread"))

    c = client(app)
    assert c.get("/").text == "yes"
    assert "session=" in c.get("/").headers["Set-Cookie"]
