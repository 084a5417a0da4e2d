"""Small inline-SVG charts (no JavaScript, no external files): line chart, bar chart, heatmap."""

from __future__ import annotations

from html import escape

PALETTE = ("#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563")
W, H, PAD = 720, 260, 48


def _fmt(v: float) -> str:
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}" if abs(v) >= 1 else f"{v:.3g}"


def line_chart(title: str, x_labels: list[str], series: dict[str, list[float | None]], unit: str = "") -> str:
    """One line per series over shared x labels; None = no point (the line breaks, a gap stays a gap)."""
    values = [v for s in series.values() for v in s if v is not None]
    if not x_labels or not values:
        return f'<p class="empty">{escape(title)}: no data for this month.</p>'
    lo, hi = min(0.0, min(values)), max(values) or 1.0
    sx = (W - 2 * PAD) / max(1, len(x_labels) - 1)
    y = lambda v: H - PAD - (v - lo) / (hi - lo or 1) * (H - 2 * PAD)  # noqa: E731
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H + 20 * len(series)}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<line x1="{PAD}" y1="{H - PAD}" x2="{W - PAD}" y2="{H - PAD}" stroke="#999"/>',
             f'<text x="4" y="{PAD - 8}" font-size="11">{escape(_fmt(hi))} {escape(unit)}</text>',
             f'<text x="4" y="{H - PAD}" font-size="11">{escape(_fmt(lo))}</text>']
    step = max(1, len(x_labels) // 8)
    for i in range(0, len(x_labels), step):
        parts.append(f'<text x="{PAD + i * sx:.1f}" y="{H - PAD + 16}" font-size="10">{escape(x_labels[i])}</text>')
    for n, (name, vals) in enumerate(series.items()):
        color = PALETTE[n % len(PALETTE)]
        runs, run = [], []
        for i, v in enumerate(vals):
            if v is None:
                if run:
                    runs.append(run)
                run = []
            else:
                run.append(f"{PAD + i * sx:.1f},{y(v):.1f}")
        if run:
            runs.append(run)
        for r in runs:
            parts.append(f'<polyline fill="none" stroke="{color}" stroke-width="2" points="{" ".join(r)}"/>')
        parts.append(f'<rect x="{PAD}" y="{H + 20 * n - 4}" width="10" height="10" fill="{color}"/>'
                     f'<text x="{PAD + 16}" y="{H + 20 * n + 5}" font-size="11">{escape(name)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(title: str, bars: list[tuple[str, float]], unit: str = "") -> str:
    if not bars:
        return f'<p class="empty">{escape(title)}: no data for this month.</p>'
    hi = max(v for _, v in bars) or 1.0
    row = 24
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {row * len(bars) + 10}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for i, (label, v) in enumerate(bars):
        width = max(0.0, v) / hi * (W - 260)
        parts.append(f'<text x="0" y="{i * row + 16}" font-size="12">{escape(label)}</text>'
                     f'<rect x="160" y="{i * row + 4}" width="{width:.1f}" height="16" fill="{PALETTE[0]}"/>'
                     f'<text x="{166 + width:.1f}" y="{i * row + 16}" font-size="11">{escape(_fmt(v))} '
                     f'{escape(unit)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def heatmap(title: str, rows: list[str], cols: list[str], cells: dict[tuple[str, str], float | None]) -> str:
    """Cells shaded 0..1 (white = 0, dark = 1); a missing cell is grey hatched (not observed)."""
    if not rows or not cols:
        return f'<p class="empty">{escape(title)}: no data for this month.</p>'
    cw, ch, left = (W - 200) / len(cols), 18, 200
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {ch * len(rows) + 30}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for c, col in enumerate(cols):
        if c % 3 == 0:
            parts.append(f'<text x="{left + c * cw:.1f}" y="{ch * len(rows) + 14}" font-size="10">{escape(col)}</text>')
    for r, row in enumerate(rows):
        parts.append(f'<text x="0" y="{r * ch + 13}" font-size="11">{escape(row)}</text>')
        for c, col in enumerate(cols):
            v = cells.get((row, col))
            fill = "#e5e7eb" if v is None else f"rgba(37,99,235,{max(0.0, min(1.0, v)):.3f})"
            tip = "not observed" if v is None else f"{v:.2f}"
            parts.append(f'<rect x="{left + c * cw:.1f}" y="{r * ch}" width="{cw:.1f}" height="{ch - 2}" '
                         f'fill="{fill}"><title>{escape(row)} {escape(col)}: {tip}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)
