"""The report's charts as SVG a reader can check: units on the axes, 4 to 6 ticks with gridlines, a time axis that
spans the data, partial days marked and kept out of the line, PUE not from zero, a colour scale on the heatmap and
grey really drawn for hours never observed."""

from __future__ import annotations

import base64
import datetime as dt
import io
import re

import matplotlib
import numpy as np
import pytest
from matplotlib.image import imread

from pipelines.report import charts

pytestmark = pytest.mark.unit
OCT = [dt.date(2026, 10, d) for d in range(1, 8)]


def _texts(svg: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]


def _ticks(svg: str, axis: str) -> list[str]:
    """The label of every major tick on ``axis`` ('x' or 'y'), read from matplotlib's tick groups."""
    return [t.strip() for t in re.findall(rf'<g id="{axis}tick_\d+">.*?<text[^>]*>([^<]*)</text>', svg, re.S)]


def test_a_daily_line_chart_says_its_unit_and_spans_only_the_days_with_data() -> None:
    series = {"chat-api": {d: 15.0 + i / 10 for i, d in enumerate(OCT)}, "embeddings": {d: 0.3 for d in OCT}}
    svg = charts.daily_lines("cost per 1,000 requests", series, "USD per 1,000 requests")
    assert svg.startswith("<svg") and "<script" not in svg and "<?xml" not in svg
    assert "USD per 1,000 requests" in _texts(svg)
    assert "day (UTC), 01 Oct to 07 Oct 2026" in _texts(svg)  # 7 days drawn as 7 days, not as a 31-day month
    x, y = _ticks(svg, "x"), _ticks(svg, "y")
    assert 4 <= len(x) <= 6 and all(re.fullmatch(r"0[1-7] Oct", t) for t in x), x
    assert 4 <= len(y) <= 6 and y[0] == "0", y  # money from zero
    assert svg.count("stroke: #e0e0e0") >= len(x) + len(y)  # one gridline per tick
    assert {"chat-api", "embeddings"} <= set(_texts(svg)) and "partial day" not in svg


def test_a_partial_day_is_marked_and_not_joined_to_the_line() -> None:
    kw = {d: 6.9 for d in OCT} | {dt.date(2026, 10, 8): 6.2}
    marked = charts.daily_lines("rack power", {"rack-a1": kw}, "average power (kW)",
                                partial_days={dt.date(2026, 10, 8)})
    plain = charts.daily_lines("rack power", {"rack-a1": kw}, "average power (kW)")
    assert "partial day (not every hour observed)" in _texts(marked) and "partial day" not in plain
    assert 'id="patch_' in marked and "<pattern" in marked  # the hatched band over the partial day
    # the line's own path has 7 vertices when the partial day stands apart, 8 when it is joined (the dip)
    assert _line_vertices(marked, "#1f77b4") == 7 and _line_vertices(plain, "#1f77b4") == 8


def _line_vertices(svg: str, color: str) -> int:
    paths = re.findall(r'<path d="([^"]+)"[^>]*style="fill: none; stroke: ' + color, svg)
    line = max(paths, key=len)
    return len(re.findall(r"[ML] ", line))


def test_pue_is_not_drawn_from_zero_and_its_ticks_are_distinct() -> None:
    pue = {"iad-colo-1": {d: v for d, v in zip(OCT, (1.404, 1.382, 1.404, 1.405, 1.404, 1.405, 1.404))}}
    svg = charts.daily_lines("PUE", pue, "PUE (ratio)", from_zero=False)
    y = _ticks(svg, "y")
    assert 4 <= len(y) <= 6 and len(set(y)) == len(y), y  # 1.385, 1.390 ... never 1.39, 1.39
    assert all(1.3 < float(t) < 1.5 for t in y), y


def test_bars_carry_their_values_and_the_axis_its_unit() -> None:
    svg = charts.horizontal_bars("egress", [("inter_az", 16755.2), ("internet", 10025.0), ("nat", 975.33)],
                                 "egress (GB)")
    texts = _texts(svg)
    assert {"inter_az", "internet", "nat", "16,755", "10,025", "975.33", "egress (GB)"} <= set(texts)
    x = _ticks(svg, "x")
    assert 4 <= len(x) <= 6 and x[0] == "0", x


def _embedded_pixels(svg: str) -> np.ndarray:
    """The heatmap cells: matplotlib embeds an imshow as one PNG; the largest is the grid (the other the colour bar)."""
    images = re.findall(r'xlink:href="data:image/png;base64,([^"]+)"', svg)
    arrays = [imread(io.BytesIO(base64.b64decode(i))) for i in images]
    return max(arrays, key=lambda a: a.shape[0] * a.shape[1])


def test_the_heatmap_has_a_colour_scale_and_shows_unobserved_hours_in_grey() -> None:
    cells = {("gpu-a", h): h / 23 for h in range(24)} | {("gpu-b", h): 0.5 for h in range(12)}
    svg = charts.hour_heatmap("GPU activity", ["gpu-a", "gpu-b"], cells, "activity (0 to 1)")
    texts = _texts(svg)
    assert "activity (0 to 1)" in texts and {"0.00", "0.50", "1.00"} <= set(texts)  # the colour bar, labelled
    assert "not observed" in texts and "hour of day (UTC)" in texts
    grid = (_embedded_pixels(svg)[..., :3] * 255).round().astype(int)
    grey = tuple(int(charts.UNOBSERVED[i:i + 2], 16) for i in (1, 3, 5))
    is_grey = np.all(grid == grey, axis=-1)
    assert is_grey.any(), "the unobserved hours are not drawn grey"
    # grey exactly where nothing was seen: gpu-b's hours 12 to 23, a quarter of the cells, all in the right half
    assert abs(is_grey.mean() - 12 / 48) < 0.01 and np.nonzero(is_grey)[1].min() >= grid.shape[1] // 2 - 1
    viridis = (np.array(matplotlib.colormaps["viridis"].colors) * 255).round().astype(int)
    observed = grid[~is_grey]
    assert all(np.abs(viridis - px).sum(axis=1).min() <= 3 for px in observed[:: max(1, len(observed) // 50)])


def test_no_data_says_so_instead_of_an_empty_frame() -> None:
    assert "no data for this month" in charts.daily_lines("PUE", {}, "PUE (ratio)")
    assert "no data for this month" in charts.horizontal_bars("egress", [], "GB")
    assert "no data for this month" in charts.hour_heatmap("GPU activity", [], {}, "activity")


def test_a_band_chart_shades_the_band_and_marks_only_the_anomalies() -> None:
    days = [(d, 35.0 + i % 2, 27.0, 44.0, False) for i, d in enumerate(OCT[:-1])] + [(OCT[-1], 1414.6, 27.0, 44.0, True)]
    svg = charts.band_chart("batch-eval against its band", days, "daily_cost (USD)", "daily_cost batch-eval")
    texts = _texts(svg)
    assert {"expected band", "daily_cost batch-eval", "anomaly", "daily_cost (USD)"} <= set(texts)
    assert "day (UTC), 01 Oct to 07 Oct 2026" in texts
    assert svg.count(f"fill: {charts.PALETTE[1]}") == 2  # one red diamond (the anomalous day) and its legend key
    calm = charts.band_chart("calm", [d[:4] + (False,) for d in days], "USD", "x")
    assert "anomaly" not in _texts(calm) and f"fill: {charts.PALETTE[1]}" not in calm
    assert "no data" in charts.band_chart("nothing", [], "USD", "x")
