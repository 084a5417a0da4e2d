"""The mart fingerprint comparison finds what changed: rows, exact columns, floats beyond 1e-9, marts gone."""

from __future__ import annotations

import pytest

from tests.e2e.mart_fingerprint import same_figures

pytestmark = pytest.mark.unit
RECORDED = {"fct_x": {"rows": 3, "hash": "123", "floats": {"kw": [1.5, 2.25]}}}


def test_the_same_figures_with_float_noise_pass() -> None:
    noisy = {"fct_x": {"rows": 3, "hash": "123", "floats": {"kw": [1.5 * (1 + 4e-16), 2.25]}}}
    assert same_figures(noisy, RECORDED) == []


@pytest.mark.parametrize("found", [
    {"fct_x": {"rows": 4, "hash": "123", "floats": {"kw": [1.5, 2.25]}}},
    {"fct_x": {"rows": 3, "hash": "124", "floats": {"kw": [1.5, 2.25]}}},
    {"fct_x": {"rows": 3, "hash": "123", "floats": {"kw": [1.5000001, 2.25]}}},
    {"fct_x": {"rows": 3, "hash": "123", "floats": {"kw": [None, 2.25]}}},
    {},
])
def test_a_changed_mart_is_reported(found: dict) -> None:
    assert same_figures(found, RECORDED) != []
