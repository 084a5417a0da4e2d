"""Prometheus ``query_range`` answers (``resultType: matrix``) written as compact JSON text directly.

The sample writers emit millions of points; as ``[time, "value"]`` lists for ``json.dumps`` they were most of the
writing's time (one tracked list per point, which the garbage collector walks again and again while they pile up).
The text is byte for byte what ``json.dumps(answer, separators=(",", ":"))`` gives for the same answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterable


def point(t: int, value: str) -> str:
    """One point of a series, ``[t,"value"]``; ``value`` is a number's text (nothing in it needs escaping)."""
    return f'[{t},"{value}"]'


def matrix_answer(series: Iterable[tuple[dict[str, str], list[str]]]) -> str:
    """A successful answer holding each (labels, points) series in order (points from ``point``), with a newline."""
    result = ",".join(f'{{"metric":{json.dumps(labels, separators=(",", ":"))},"values":[{",".join(points)}]}}'
                      for labels, points in series)
    return f'{{"status":"success","data":{{"resultType":"matrix","result":[{result}]}}}}\n'
