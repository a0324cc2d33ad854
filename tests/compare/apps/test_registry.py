"""The registry is complete: every pair has a spec, importable modules and working probes."""

from __future__ import annotations

from pathlib import Path
from wsgiref.validate import validator

import pytest
from webtest import TestApp

from compare.apps.registry import APPS, FRONT_ENDS, AppPair

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent

PAIRS = [pytest.param(pair, id=pair.name) for pair in APPS]


def test_there_are_pairs_with_unique_names() -> None:
    names = [pair.name for pair in APPS]
    assert len(names) >= 5
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("pair", PAIRS)
def test_each_pair_has_a_spec(pair: AppPair) -> None:
    spec = HERE / f"test_{pair.name}.py"
    assert spec.is_file(), f"add the behaviour spec {spec.relative_to(ROOT)}"
    assert f'APP = "{pair.name}"' in spec.read_text(encoding="utf-8")


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_both_modules_create_apps(pair: AppPair, front_end: str) -> None:
    assert set(pair.modules) == set(FRONT_ENDS) == set(pair.web_layer)
    app = pair.factory(front_end)()
    assert callable(app)
    for path in pair.web_layer[front_end]:
        assert (ROOT / path).is_file(), path


@pytest.mark.parametrize("pair", PAIRS)
@pytest.mark.parametrize("front_end", FRONT_ENDS)
def test_probes_get_their_status_twice(pair: AppPair, front_end: str) -> None:
    """Probes are repeatable: the benchmark sends each many times to one app."""
    assert 3 <= len(pair.probes) <= 6
    client = TestApp(validator(pair.factory(front_end)()))
    for probe in pair.probes:
        for _ in range(2):
            headers = dict(probe.headers)
            if probe.content_type is not None:
                headers["Content-Type"] = probe.content_type
            response = client.request(
                probe.path + (f"?{probe.query}" if probe.query else ""),
                method=probe.method,
                body=probe.body,
                headers=headers,
                expect_errors=True,
            )
            assert response.status_int == probe.status, (probe, response.text[:200])
