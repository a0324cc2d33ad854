"""The context-local study: which strategy keeps concurrent requests apart (no timing asserted).

The headline finding is asserted here: the thread-ident-keyed ``Local`` of older werkzeug and
Flask hands one asyncio task the request of another task running on the same thread, while
``contextvars`` (what globals_fw uses) keeps them apart.
"""

from __future__ import annotations

import asyncio

import pytest

from compare.locals_study import (
    VARIANTS,
    ContextVarStrategy,
    GlobalsFwStrategy,
    IdentLocal,
    IdentLocalStack,
    IdentStackStrategy,
    Outcome,
    Strategy,
    ThreadLocalStrategy,
    globals_fw_design,
    measure_access,
    run_isolation,
    run_study,
)
from compare.locals_study.isolation import (
    check_asyncio,
    check_greenlets,
    check_threads,
    greenlet_module,
)
from compare.locals_study.strategies import UnboundError

STRATEGIES = [IdentStackStrategy, ThreadLocalStrategy, ContextVarStrategy, GlobalsFwStrategy]


@pytest.mark.parametrize("make", STRATEGIES, ids=lambda s: s.__name__)
def test_every_strategy_isolates_threads(make: type[Strategy]) -> None:
    check = check_threads(make())
    assert check.outcome is Outcome.ISOLATED
    assert check.seen == {"A": "A", "B": "B"}


def test_ident_keyed_local_leaks_one_asyncio_task_request_into_another() -> None:
    check = check_asyncio(IdentStackStrategy())
    assert check.outcome is Outcome.LEAKED
    # Both tasks share the thread's slot: the one that bound first reads the other's request.
    assert check.seen["A"] == "B"


def test_threading_local_leaks_across_asyncio_tasks_too() -> None:
    check = check_asyncio(ThreadLocalStrategy())
    assert check.outcome is Outcome.LEAKED
    assert check.seen["A"] == "B"


@pytest.mark.parametrize("make", [ContextVarStrategy, GlobalsFwStrategy], ids=lambda s: s.__name__)
def test_contextvars_and_globals_fw_isolate_asyncio_tasks(make: type[Strategy]) -> None:
    check = check_asyncio(make())
    assert check.outcome is Outcome.ISOLATED
    assert check.seen == {"A": "A", "B": "B"}


def test_greenlets_are_checked_or_skipped_with_a_note() -> None:
    checks = {s.name: check_greenlets(s) for s in (IdentStackStrategy(), ContextVarStrategy())}
    if greenlet_module() is None:
        for check in checks.values():
            assert check.outcome is Outcome.SKIPPED
            assert "greenlet is not installed" in check.note
    else:  # the ident is greenlet.getcurrent(), and greenlet >= 1 gives each its own context
        assert {c.outcome for c in checks.values()} == {Outcome.ISOLATED}


def test_run_isolation_covers_every_strategy_and_mode() -> None:
    checks = run_isolation()
    assert {(c.strategy, c.mode) for c in checks} == {
        (make().name, mode) for make in STRATEGIES for mode in ("threads", "asyncio", "greenlets")
    }
    leaked = {(c.strategy, c.mode) for c in checks if c.outcome is Outcome.LEAKED}
    assert ("ident-keyed LocalStack", "asyncio") in leaked
    assert not any(strategy == "contextvars.ContextVar" for strategy, _ in leaked)


def test_ident_local_keeps_one_slot_per_ident() -> None:
    current = ["one"]
    local = IdentLocal(lambda: current[0])
    local.user = "ada"
    current[0] = "two"
    with pytest.raises(AttributeError):
        _ = local.user
    local.user = "grace"
    current[0] = "one"
    assert local.user == "ada"
    proxy = local("user")
    assert proxy.upper() == "ADA"
    del local.user
    with pytest.raises(AttributeError):
        del local.user
    current[0] = "two"
    local.__release_local__()
    with pytest.raises(AttributeError):
        _ = local.user


def test_ident_local_stack_pushes_and_pops_per_ident() -> None:
    stack = IdentLocalStack(lambda: "only")
    assert stack.top is None
    stack.push("outer")
    stack.push("inner")
    assert stack.top == "inner"
    assert stack.pop() == "inner"
    assert stack.pop() == "outer"
    assert stack.top is None
    with pytest.raises(UnboundError, match="empty"):
        stack.pop()


@pytest.mark.parametrize("make", STRATEGIES, ids=lambda s: s.__name__)
def test_reading_with_nothing_bound_raises_unbound(make: type[Strategy]) -> None:
    strategy = make()
    with pytest.raises(UnboundError):
        strategy.get()
    with strategy.bind("X"):
        assert strategy.get() == "X"
    with pytest.raises(UnboundError):
        strategy.get()


def test_a_task_inherits_the_context_it_was_created_in() -> None:
    strategy = ContextVarStrategy()

    async def read() -> object:
        return strategy.get()

    async def main() -> object:
        with strategy.bind("outer"):
            return await asyncio.create_task(read())

    assert asyncio.run(main()) == "outer"


def test_access_measurement_reports_every_variant() -> None:
    costs = measure_access(rounds=2, number=50)
    assert [c.key for c in costs] == [v.key for v in VARIANTS]
    for cost in costs:
        assert len(cost.samples_ns) == 2
        assert cost.to_json()["median_ns"] >= 0


def test_access_measurement_rejects_nonsense_counts() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        measure_access(rounds=0)


def test_globals_fw_design_is_read_from_its_module() -> None:
    design = globals_fw_design()
    assert design["contextvars"] == ["globals_fw.app_ctx", "globals_fw.request_ctx"]
    assert {"request", "session", "g", "current_app"} <= set(design["proxies"])
    # globals_fw may use werkzeug's LocalProxy or its own proxy class; either is named.
    assert "Proxy" in design["proxy_class"]
    assert design["werkzeug_proxy"] == (design["proxy_class"] == "werkzeug.local.LocalProxy")


def test_study_document_has_every_part() -> None:
    study = run_study(rounds=1, number=20)
    assert {"isolation", "access", "globals_fw", "greenlet_note"} <= set(study)
    assert all(c["outcome"] in {"isolated", "leaked", "skipped"} for c in study["isolation"])
