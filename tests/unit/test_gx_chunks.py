"""A suite validated in row chunks gives the result GX gives on the whole frame: the same success of every rule and
of the suite, the same counts and percentages, the same observed values. GX on the whole frame is the oracle."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipelines.quality.chunks import chunk_count, chunk_key, merge_results
from pipelines.quality.gx_runner import _validate_unstored, gx_session
from pipelines.quality.registry import ALL_SUITES
from pipelines.quality.rules import (Rule, Suite, a_not_before_b, between, exists, in_set, not_null, regex,
                                     row_count_at_least, timestamps, unique)

pytestmark = pytest.mark.unit
SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])
COMPARED = ("element_count", "unexpected_count", "missing_count", "observed_value")
PERCENTS = ("unexpected_percent", "missing_percent", "unexpected_percent_total", "unexpected_percent_nonmissing")


def _suite(key: tuple[str, ...], mostly: float, min_rows: int) -> Suite:
    rules = (*exists("id", "kind"), *not_null("id", mostly=mostly), unique(*key),
             in_set("kind", ["a", "b"], severity="warn"), between("amount", 0, 3, mostly=mostly),
             regex("code", r"^[A-Z]{3}$"), a_not_before_b("ends", "starts"), *timestamps("starts"),
             *not_null("kind"), row_count_at_least(min_rows))
    return Suite(name="chunked", asset=("raw", "chunked"), rules=rules, scope="test")


def _split(frame: pd.DataFrame, key: list[str], chunks: int) -> list[pd.DataFrame]:
    """Rows split as the asset check splits them: by a hash of the key columns (here pandas' hash, there DuckDB's)."""
    bucket = pd.util.hash_pandas_object(frame[key], index=False).to_numpy() % np.uint64(chunks)
    parts = [frame[bucket == i] for i in range(chunks)]
    start = 0
    for part in parts:
        part.index = pd.RangeIndex(start, start + len(part))
        start += len(part)
    return parts


def _results(frame: pd.DataFrame, suite: Suite, chunks: int) -> tuple[object, object]:
    """GX's result on the whole frame, and the merge of its results on the chunks."""
    with gx_session(None) as session:
        checkpoint = session._checkpoint(suite)
        whole = _validate_unstored(checkpoint, frame.reset_index(drop=True))
        parts = [_validate_unstored(checkpoint, part) for part in _split(frame, chunk_key(suite), chunks)]
    return whole, merge_results(parts)


def _assert_same(whole, merged) -> None:
    assert merged.success == whole.success
    assert merged.statistics == whole.statistics
    for w, m in zip(whole.results, merged.results, strict=True):
        what = (w.expectation_config.type, w.expectation_config.kwargs)
        assert m.success == w.success, what
        assert m.expectation_config.type == w.expectation_config.type
        for field in COMPARED:
            assert (m.result or {}).get(field) == (w.result or {}).get(field), (what, field)
        for field in PERCENTS:
            a, b = (m.result or {}).get(field), (w.result or {}).get(field)
            assert (a is None) == (b is None) and (a is None or math.isclose(a, b, rel_tol=1e-12)), (what, field)
        # the partial lists are the first 20 failing values: the same values where fewer fail
        if ((w.result or {}).get("unexpected_count") or 0) <= 20:
            assert sorted(map(repr, (m.result or {}).get("partial_unexpected_list") or [])) == \
                sorted(map(repr, (w.result or {}).get("partial_unexpected_list") or [])), what


ids = st.sampled_from(["i1", "i2", "i3", "i4", "i5", "i6", "i7", "i8", None])
rows = st.tuples(ids, st.sampled_from(["a", "b", "c", None]),
                 st.one_of(st.none(), st.floats(min_value=-1, max_value=4, allow_nan=False)),
                 st.sampled_from(["USD", "usd", "EU", None]),
                 st.integers(0, 3), st.one_of(st.none(), st.integers(-2, 2)))


def _frame(data: list[tuple]) -> pd.DataFrame:
    base = pd.Timestamp("2026-10-01")
    return pd.DataFrame({
        "id": pd.Series([r[0] for r in data], dtype="str"),
        "kind": pd.Series([r[1] for r in data], dtype="str"),
        "amount": pd.Series([np.nan if r[2] is None else r[2] for r in data], dtype="float64"),
        "code": pd.Series([r[3] for r in data], dtype="str"),
        "starts": pd.Series([base + pd.Timedelta(hours=r[4]) for r in data], dtype="datetime64[us]"),
        "ends": pd.Series([pd.NaT if r[5] is None else base + pd.Timedelta(hours=r[4] + r[5]) for r in data],
                          dtype="datetime64[us]"),
    })


@SETTINGS
@given(data=st.lists(rows, max_size=40), chunks=st.integers(1, 4), mostly=st.sampled_from([1.0, 0.9, 0.5]),
       compound=st.booleans(), min_rows=st.integers(0, 30))
@example(data=[("i1", "a", 1.0, "USD", 0, 1)] * 3 + [(None, "c", None, None, 1, -1)] * 2, chunks=3, mostly=0.5,
         compound=False, min_rows=5)
@example(data=[], chunks=2, mostly=1.0, compound=True, min_rows=0)
def test_chunks_merge_into_the_whole_frames_result(data: list[tuple], chunks: int, mostly: float, compound: bool,
                                                   min_rows: int) -> None:
    suite = _suite(("id", "kind") if compound else ("id",), mostly, min_rows)
    whole, merged = _results(_frame(data), suite, chunks)
    _assert_same(whole, merged)


def test_duplicates_split_over_chunks_would_be_missed_so_the_key_keeps_them_together() -> None:
    """Why rows are split by the uniqueness key: split any other way, a repeated id in two chunks passes."""
    frame = _frame([("i1", "a", 1.0, "USD", h, 0) for h in range(2)] + [("i2", "a", 1.0, "USD", 0, 0)])
    suite = _suite(("id",), 1.0, 0)
    whole, merged = _results(frame, suite, 2)
    _assert_same(whole, merged)
    assert not whole.success
    with gx_session(None) as session:
        checkpoint = session._checkpoint(suite)
        naive = merge_results([_validate_unstored(checkpoint, frame.iloc[[0]]),
                               _validate_unstored(checkpoint, frame.iloc[[1, 2]].set_index(pd.RangeIndex(1, 3)))])
    unique_rule = next(r for r in naive.results if r.expectation_config.type == "expect_column_values_to_be_unique")
    assert unique_rule.success  # the split the key prevents


def test_chunk_key_follows_the_uniqueness_rules() -> None:
    assert chunk_key(_suite(("id",), 1.0, 0)) == ["id"]
    assert chunk_key(_suite(("id", "kind"), 1.0, 0)) == ["id", "kind"]
    two = Suite("two", ("raw", "two"), (unique("a", "b", "c"), unique("c", "a")), "test")
    assert chunk_key(two) == ["a", "c"]  # rows equal under either rule are equal on both columns
    apart = Suite("apart", ("raw", "apart"), (unique("a"), unique("b")), "test")
    assert chunk_key(apart) is None
    assert chunk_key(Suite("none", ("raw", "none"), tuple(not_null("a")), "test")) == []
    mean = Suite("mean", ("raw", "mean"), (Rule("ExpectColumnMeanToBeBetween", {"column": "a", "min_value": 0}),),
                 "test")
    assert chunk_key(mean) is None  # a mean of chunks' means is not the mean: validated whole
    # every suite we ship can be validated in chunks
    assert [s.name for s in ALL_SUITES if chunk_key(s) is None] == []


def test_chunk_count() -> None:
    assert chunk_count(0, 100.0, 1000) == 1
    assert chunk_count(10, 100.0, 1000) == 1
    assert chunk_count(11, 100.0, 1000) == 2
    assert chunk_count(8_000_000, 430.0, 256 * 2**20) == 13


def test_a_rule_gx_could_not_evaluate_on_a_chunk_fails_the_merge_with_its_reason() -> None:
    """A column missing from the rows: GX cannot compute the rule's metrics on any chunk, and the merged result says
    so as the whole frame's does, instead of adding up counts that were never made."""
    suite = Suite("broken", ("raw", "broken"), (*not_null("absent"), *not_null("id")), "test")
    frame = _frame([("i1", "a", 1.0, "USD", 0, 0), ("i2", "b", 1.0, "USD", 1, 0)])
    with gx_session(None) as session:
        checkpoint = session._checkpoint(suite)
        whole = _validate_unstored(checkpoint, frame)
        merged = merge_results([_validate_unstored(checkpoint, frame.iloc[[0]]),
                                _validate_unstored(checkpoint, frame.iloc[[1]].set_index(pd.RangeIndex(1, 2)))])
    assert [r.success for r in merged.results] == [r.success for r in whole.results] == [False, True]
    assert merged.results[0].exception_info and not merged.success
    assert merged.results[1].result["element_count"] == 2
