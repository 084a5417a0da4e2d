"""The sample writers' telemetry text: Prometheus answers written as text directly are what ``json.dumps`` writes,
values are formatted as before, and the 3-day sample's answers keep their bytes (the figures tests and the README
quote are computed from them)."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from collectors.samples.dcgm import _fmt
from collectors.samples.query_range_json import matrix_answer, point

pytestmark = pytest.mark.unit

# sha256 over (relative path, NUL, bytes) of every file under prometheus/query_range of the seed-42 sample of
# 2026-10-01 and 3 days, as written before the writers built the text directly (and as written since)
QUERY_RANGE_DIGEST = "44933238e729f98c4ad4e3dbfcbf3f4f89f4d16495206d94ffd7108e74a1c9b9"


def _reference_fmt(v: float) -> str:
    """How a DCGM sample value was formatted: NaN, a whole number as an integer, else repr."""
    if math.isnan(v):
        return "NaN"
    return str(int(v)) if float(v).is_integer() else repr(v)


@given(st.floats(allow_infinity=False))
@example(-0.0)
@example(0.0)
@example(1e16)
@example(-1e22)
@example(4_123_456_789.0)
@example(1e-07)
@example(math.nan)
def test_a_value_is_formatted_as_the_reference_formats_it(v: float) -> None:
    assert _fmt(v) == _reference_fmt(v)


labels = st.dictionaries(st.text(min_size=1, max_size=8), st.text(max_size=12), max_size=4)
values = st.lists(st.tuples(st.integers(0, 2**40), st.floats(allow_infinity=False).map(_reference_fmt)), max_size=5)


@given(st.lists(st.tuples(labels, values), max_size=4))
def test_an_answer_written_as_text_is_what_json_dumps_writes(series: list) -> None:
    body = {"status": "success", "data": {"resultType": "matrix", "result": [
        {"metric": lbl, "values": [[t, v] for t, v in pts]} for lbl, pts in series]}}
    text = matrix_answer([(lbl, [point(t, v) for t, v in pts]) for lbl, pts in series])
    assert text == json.dumps(body, separators=(",", ":")) + "\n"
    assert json.loads(text) == body


def test_the_sample_answers_keep_their_bytes(sample_dir: Path) -> None:
    digest = hashlib.sha256()
    for p in sorted((sample_dir / "prometheus" / "query_range").rglob("*")):
        if p.is_file():
            digest.update(str(p.relative_to(sample_dir)).encode() + b"\0" + p.read_bytes())
    assert digest.hexdigest() == QUERY_RANGE_DIGEST, (
        "the sample's Prometheus answers changed: if on purpose, the figures computed from them change too "
        "(tests, README); update QUERY_RANGE_DIGEST with them")
