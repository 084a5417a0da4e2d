"""The report's charts, drawn with matplotlib and returned as inline SVG (text kept as text, no scripts, nothing
fetched): a daily line chart with partial days marked, a horizontal bar chart, and an hour-of-day heatmap with its
colour scale, and a value against its expected band with the anomalies marked. Every axis says its unit; 4 to 6 ticks with gridlines; the time axis spans the days that have data."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from html import escape

import matplotlib
from matplotlib import dates as mdates
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, MaxNLocator

WIDTH_IN = 7.6
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf", "#e377c2", "#7f7f7f")
UNOBSERVED = "#c8c8c8"
HEATMAP_CMAP = "viridis"
_RC = {"svg.fonttype": "none", "svg.hashsalt": "infraledger", "font.size": 9, "axes.titlesize": 10,
       "axes.spines.top": False, "axes.spines.right": False}


def empty(title: str) -> str:
    return f'<p class="empty">{escape(title)}: no data for this month.</p>'


def _svg(fig: Figure, title: str) -> str:
    """The figure as an ``<svg>`` element for inlining in HTML (no XML prolog, no DOCTYPE, no metadata block)."""
    buf = io.StringIO()
    with matplotlib.rc_context(_RC):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.S)
    return text.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)


def _number(v: float) -> str:
    """A value written beside a bar: thousands separated, two decimals below 1,000, three significant below 1."""
    if v == 0:
        return "0"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    return f"{v:,.2f}" if abs(v) >= 1 else f"{v:.3g}"


class _TickLabels(Formatter):
    """Tick labels with the fewest decimals that write every tick exactly (1.385, 1.390, ... not 1.39, 1.39; 2.5, 5.0),
    thousands separated."""

    def format_ticks(self, values: list[float]) -> list[str]:
        decimals = next((d for d in range(7) if all(abs(round(v, d) - v) <= 1e-9 * max(1.0, abs(v)) for v in values)),
                        6)
        return [f"{v:,.{decimals}f}" for v in values]

    def __call__(self, x: float, pos: int | None = None) -> str:
        return _number(x)


def _grid(ax, axis: str) -> None:
    ax.grid(True, axis=axis, color="#e0e0e0", linewidth=0.8)
    ax.set_axisbelow(True)


def _day_axes(ax, days: list[dt.datetime]) -> None:
    """A time axis over ``days`` (whole days: every day up to 6 days, then every n-th day for at most 6 ticks) and
    4 to 6 value ticks written exactly."""
    half_day = dt.timedelta(hours=12)
    ax.set_xlim(days[0] - half_day, days[-1] + half_day)
    ax.xaxis.set_major_locator(mdates.DayLocator(interval=math.ceil(len(days) / 6)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.set_xlabel(f"day (UTC), {days[0]:%d %b} to {days[-1]:%d %b %Y}")
    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, min_n_ticks=4))
    ax.yaxis.set_major_formatter(_TickLabels())


def daily_lines(title: str, series: dict[str, dict[dt.date, float | None]], y_label: str, *,
                partial_days: set[dt.date] = frozenset(), from_zero: bool = True) -> str:
    """One line per series over the days that have data; a missing day breaks the line, a partial day (not every hour
    observed) gets a hollow marker on a shaded band, so it reads as incomplete rather than as a dip."""
    days = sorted({d for s in series.values() for d, v in s.items() if v is not None})
    if not days:
        return empty(title)
    span = [dt.datetime.combine(days[0] + dt.timedelta(days=i), dt.time()) for i in range((days[-1] - days[0]).days + 1)]
    partial = {dt.datetime.combine(d, dt.time()) for d in partial_days if days[0] <= d <= days[-1]}
    half_day = dt.timedelta(hours=12)
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(WIDTH_IN, 3.0))
        ax = fig.add_subplot()
        for n, (name, values) in enumerate(series.items()):
            ys = [math.nan if values.get(t.date()) is None else float(values[t.date()]) for t in span]
            color = PALETTE[n % len(PALETTE)]
            # the line joins whole days only; a partial day's value stands apart as a hollow marker
            ax.plot(span, [math.nan if t in partial else y for t, y in zip(span, ys)], color=color, linewidth=1.8,
                    marker="o", markersize=3.5, label=name)
            hollow = [(t, y) for t, y in zip(span, ys) if t in partial and not math.isnan(y)]
            if hollow:
                ax.plot([t for t, _ in hollow], [y for _, y in hollow], linestyle="none", marker="o", markersize=6,
                        markerfacecolor="white", markeredgecolor=color, markeredgewidth=1.5)
        for t in sorted(partial):
            ax.axvspan(t - half_day, t + half_day, facecolor="#eeeeee", hatch="///", edgecolor="#c0c0c0",
                       linewidth=0, zorder=0)
        _day_axes(ax, span)
        if from_zero:
            ax.set_ylim(bottom=0)
        ax.set_ylabel(y_label)
        _grid(ax, "both")
        handles, labels = ax.get_legend_handles_labels()
        if partial:
            handles.append(Patch(facecolor="#eeeeee", edgecolor="#c0c0c0", hatch="///"))
            labels.append("partial day (not every hour observed)")
        ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        return _svg(fig, title)


def band_chart(title: str, days: list[tuple[dt.date, float, float | None, float | None, bool]], y_label: str,
               name: str) -> str:
    """A daily value (``name``) against its expected band: the band shaded between its bounds, the value as a line,
    each day judged an anomaly as a red diamond. ``days``: (day, actual, lower, upper, is_anomaly)."""
    if not days:
        return empty(title)
    xs = [dt.datetime.combine(d, dt.time()) for d, *_ in days]
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(WIDTH_IN, 3.0))
        ax = fig.add_subplot()
        lows = [math.nan if lo is None else lo for _, _, lo, _, _ in days]
        highs = [math.nan if hi is None else hi for _, _, _, hi, _ in days]
        ax.fill_between(xs, lows, highs, color=PALETTE[0], alpha=0.15, linewidth=0, label="expected band")
        ax.plot(xs, [a for _, a, *_ in days], color=PALETTE[0], linewidth=1.8, marker="o", markersize=3.5, label=name)
        flagged = [(x, a) for x, (_, a, _, _, bad) in zip(xs, days) if bad]
        if flagged:
            ax.plot([x for x, _ in flagged], [a for _, a in flagged], linestyle="none", marker="D", markersize=7,
                    color=PALETTE[1], label="anomaly")
        _day_axes(ax, xs)
        ax.set_ylabel(y_label)
        _grid(ax, "both")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        return _svg(fig, title)


def horizontal_bars(title: str, bars: list[tuple[str, float]], x_label: str) -> str:
    """One bar per label, largest first, each with its value written at its end."""
    if not bars:
        return empty(title)
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(WIDTH_IN, 0.9 + 0.32 * len(bars)))
        ax = fig.add_subplot()
        labels = [b[0] for b in bars][::-1]
        values = [float(b[1]) for b in bars][::-1]
        ax.barh(labels, values, color=PALETTE[0], height=0.6)
        hi = max(values + [0.0])
        for y, v in enumerate(values):
            ax.text(v + hi * 0.01, y, _number(v), va="center", fontsize=8)
        ax.set_xlim(0, (hi or 1.0) * 1.15)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, min_n_ticks=4))
        ax.xaxis.set_major_formatter(_TickLabels())
        ax.set_xlabel(x_label)
        _grid(ax, "x")
        return _svg(fig, title)


def hour_heatmap(title: str, rows: list[str], cells: dict[tuple[str, int], float], scale_label: str) -> str:
    """Rows (hosts) by hour of day 0..23, shaded 0..1 on a labelled colour scale; an hour never observed is grey."""
    if not rows:
        return empty(title)
    import numpy as np

    grid = np.ma.masked_invalid(np.array([[cells.get((r, h), math.nan) for h in range(24)] for r in rows], float))
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(WIDTH_IN, 1.2 + 0.28 * len(rows)))
        ax = fig.add_subplot()
        cmap = matplotlib.colormaps[HEATMAP_CMAP].with_extremes(bad=UNOBSERVED)
        image = ax.imshow(grid, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
        ax.set_xticks(range(0, 24, 4), [f"{h:02d}:00" for h in range(0, 24, 4)])
        ax.set_yticks(range(len(rows)), rows)
        ax.set_xlabel("hour of day (UTC)")
        bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02, ticks=[0, 0.25, 0.5, 0.75, 1.0])
        bar.set_label(scale_label)
        if grid.mask.any():
            ax.legend([Patch(facecolor=UNOBSERVED)], ["not observed"], loc="upper left", bbox_to_anchor=(0, -0.18),
                      frameon=False, fontsize=8)
        return _svg(fig, title)
