"""The performance targets (issue 22) beside what a bench run measured: each line says the target, the figure and
whether it was met, missed or not measured by this run (a target that needs another scale or the test suite's own
timing says so)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Figures = dict[str, Any]


@dataclass(frozen=True)
class Target:
    name: str
    limit: str
    measure: Callable[[Figures], tuple[float, str] | None]   # (value, how it reads) or None: not measured
    met: Callable[[float], bool]


def _step(figures: Figures, name: str) -> dict[str, Any] | None:
    return next((s for s in figures.get("steps", []) if s["step"] == name), None)


def _ratio(name: str) -> Callable[[Figures], tuple[float, str] | None]:
    def measure(figures: Figures) -> tuple[float, str] | None:
        s = _step(figures, name)
        if s is None or s["ratio_to_raw"] is None:
            return None
        return s["ratio_to_raw"], f"{s['ratio_to_raw']:.2f}x ({s['seconds']:.2f} s vs {s['raw_seconds']:.2f} s)"
    return measure


def _daily_seconds(figures: Figures) -> tuple[float, str] | None:
    runs = figures.get("daily_run") or []
    if not runs or figures.get("scale") != 1:
        return None
    worst = max(runs, key=lambda d: d["seconds"])
    return worst["seconds"], ", ".join(f"{d['seconds']:.1f} s after {d['history_days']} d" for d in runs)


def _daily_flat(figures: Figures) -> tuple[float, str] | None:
    runs = sorted(figures.get("daily_run") or [], key=lambda d: d["history_days"])
    if len(runs) < 2 or runs[-1]["history_days"] < 10:
        return None
    growth = runs[-1]["seconds"] / runs[0]["seconds"]
    return growth, f"{growth:.2f}x from {runs[0]['history_days']} to {runs[-1]['history_days']} days"


def _daily_rss(figures: Figures) -> tuple[float, str] | None:
    runs = figures.get("daily_run") or []
    if not runs:
        return None
    peak = max(d["peak_rss_mib"] for d in runs)
    return peak, f"{peak:,} MiB"


def _http_rate(figures: Figures) -> tuple[float, str] | None:
    h = figures.get("prometheus_http")
    return None if not h else (h["points_per_s"], f"{h['points_per_s']:,} points/s ({h['seconds']:.2f} s)")


def _http_vs_files(figures: Figures) -> tuple[float, str] | None:
    h = figures.get("prometheus_http")
    return None if not h else (h["ratio_to_saved_files"],
                               f"{h['ratio_to_saved_files']:.2f}x ({h['seconds']:.2f} s vs {h['saved_files_seconds']:.2f} s)")


def _backfill(figures: Figures) -> tuple[float, str] | None:
    """The backfill's seconds, when it covered a whole month at scale 0.1 or more (a shorter or smaller one, as the
    smoke test runs, says nothing about the target)."""
    b = figures.get("backfill")
    if not b or b["days"] < 28 or b["scale"] < 0.1:
        return None
    return b["seconds"], f"{b['seconds']:.1f} s ({b['days']} days at scale {b['scale']})"


def _scale_growth(figures: Figures) -> tuple[float, str] | None:
    g = figures.get("scale_growth")
    return None if not g else (g["ratio"], f"{g['ratio']:.2f}x ({g['seconds']:.1f} s vs {g['base_seconds']:.1f} s)")


TARGETS: tuple[Target, ...] = (
    Target("daily run at scale 1", "<= 25 s", _daily_seconds, lambda v: v <= 25),
    Target("daily run flat in history (30 vs 1 day)", "<= 1.2x", _daily_flat, lambda v: v <= 1.2),
    Target("daily run peak RSS", "<= 2,560 MiB", _daily_rss, lambda v: v <= 2560),
    Target("daily run at scale 4 vs scale 1", "<= 4.5x", _scale_growth, lambda v: v <= 4.5),
    Target("GCP export ingest vs bare read_json", "<= 2x", _ratio("GCP export ingest"), lambda v: v <= 2),
    Target("Prometheus over HTTP", ">= 500,000 points/s", _http_rate, lambda v: v >= 500_000),
    Target("Prometheus over HTTP vs saved files", "<= 2x", _http_vs_files, lambda v: v <= 2),
    Target("month backfill, scale 0.1, loopback APIs", "<= 180 s", _backfill, lambda v: v <= 180),
    Target("CUR month ingest vs raw", "<= 1.2x", _ratio("CUR 2.0 month ingest"), lambda v: v <= 1.2),
    Target("DCGM day ingest vs raw", "<= 1.5x", _ratio("DCGM history, one day"), lambda v: v <= 1.5),
)


def verdicts(figures: Figures) -> list[dict[str, str]]:
    """Each target with its measurement and ``met`` / ``missed`` / ``not measured``."""
    out = []
    for t in TARGETS:
        m = t.measure(figures)
        out.append({"target": t.name, "limit": t.limit, "measured": "-" if m is None else m[1],
                    "verdict": "not measured" if m is None else ("met" if t.met(m[0]) else "MISSED")})
    return out


def print_verdicts(figures: Figures) -> None:
    rows = verdicts(figures)
    print(f"{'target':<42} {'limit':<20} {'verdict':<12} measured")
    for r in rows:
        print(f"{r['target']:<42} {r['limit']:<20} {r['verdict']:<12} {r['measured']}")
    print("(the test suite's target, <= 10 minutes on 2 cores, is timed on a fresh clone by .ci/run, not here)")
