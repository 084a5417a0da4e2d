"""The monthly report as a reader sees it: the whole graph materialized (the shared build), the report asset's HTML
rendered in headless Chromium (screenshot kept in test-artifacts/), its charts really drawn, and the same figures in
the asset's metadata in the Dagster UI."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import dagster as dg
import numpy as np
import pytest
from matplotlib import colormaps
from matplotlib.image import imread

from pipelines.report import charts
from tests.e2e.browser import browse
from tests.e2e.webserver import REPO_ROOT

pytestmark = pytest.mark.e2e
ARTIFACTS = REPO_ROOT / "test-artifacts"


def _rgb(hex_color: str) -> tuple[int, int, int]:
    return tuple(int(hex_color[i:i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def test_the_report_draws_in_chromium_and_its_figures_are_the_assets_metadata(
        chromium: str, built: Path, instance: dg.DagsterInstance) -> None:
    event = instance.get_latest_materialization_event(dg.AssetKey(["reports", "monthly_report"]))
    assert event is not None and event.asset_materialization is not None
    metadata = event.asset_materialization.metadata
    report = Path(metadata["report"].value)
    assert report == built.parent / "reports" / "infraledger-report-2026-10.html" and report.is_file()
    html = report.read_text()

    # the same figures in the UI: every section's markdown carries the HTML table's cells and the chart itself
    sections = [v.value for k, v in sorted(metadata.items()) if re.fullmatch(r"\d\d_\w+", k)]
    assert len(sections) == 16 and sections[0].startswith("**Month to date: totals")
    tiles = re.findall(r'<div class="tile"><span>(.*?)</span><b>(.*?)</b></div>', html)
    head, _, values = sections[0].splitlines()[-3:]
    cells = lambda line: [c.strip() for c in line.strip("|").split("|")]  # noqa: E731
    assert tiles == list(zip(cells(head), cells(values)))
    services_md = sections[1].split("\n\n")[-1].splitlines()
    services_html = html.split("<section>")[2]
    rows_html = re.findall(r"<tr>((?:<td>.*?</td>)+)</tr>", services_html)
    assert [cells(r) for r in services_md[2:]] == [[unescape(c) for c in re.findall(r"<td>(.*?)</td>", r)]
                                                   for r in rows_html]
    assert sum("data:image/svg+xml;base64," in s for s in sections) == 14
    commitments_md = next(s for s in sections if s.startswith("**Commitments:"))
    assert "| savingsplan" not in commitments_md and "0.968" in commitments_md  # the sample plan, 96.8 % used

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report-2026-10.png"
    shot.unlink(missing_ok=True)
    res = browse(chromium, report.as_uri(), f"--screenshot={shot}", window="1000,4400")
    assert res.returncode == 0 and shot.is_file(), res.stderr[-2000:]
    pixels = (imread(shot)[..., :3] * 255).round().astype(int)
    ink = np.any(pixels < 235, axis=-1)
    drawn_rows = np.nonzero(ink.any(axis=1))[0]
    # the page is drawn from the title down to the last chart, not a blank or cut-off frame
    assert drawn_rows.min() < 100 and drawn_rows.max() > 2500, (drawn_rows.min(), drawn_rows.max())
    bars = np.all(pixels == _rgb(charts.PALETTE[0]), axis=-1).sum()
    assert bars > 5_000, f"the bar charts are not drawn ({bars} pixels of the bar colour)"
    second_series = np.all(pixels == _rgb(charts.PALETTE[1]), axis=-1).sum()
    assert second_series > 50, "the second series of the line charts is not drawn"
    scale = (np.array(colormaps[charts.HEATMAP_CMAP].colors) * 255).round().astype(int)
    near = np.array([(a, b, c) for a in (-1, 0, 1) for b in (-1, 0, 1) for c in (-1, 0, 1)])
    viridis = {tuple(c + d) for c in scale for d in near}  # the scale's colours, give or take the browser's resampling
    flat = pixels.reshape(-1, 3)
    heat = sum(1 for px in map(tuple, flat[::7]) if px in viridis) * 7
    assert heat > 5_000, f"the GPU heatmap is not drawn ({heat} pixels on its colour scale)"
