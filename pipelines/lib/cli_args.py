"""Checks of what a user types on the command line, so a mistake is one clear line before any work starts."""

from __future__ import annotations

import difflib
import re

import dagster as dg

from pipelines.partitions import billing_period, month_key


class UsageError(ValueError):
    """A command-line value that cannot be used; the message says what would be."""


def billing_partition_key(text: str, existing: list[str]) -> str:
    """'2026-10' or '2026-10-01' → the billing month's partition key '2026-10-01'; anything else is refused,
    saying which keys exist (a single day is a job for `infraledger backfill`)."""
    m = re.fullmatch(r"(\d{4}-(?:0[1-9]|1[0-2]))(-(\d{2}))?", text.strip())
    if m is None or (m.group(3) and m.group(3) != "01"):
        hint = (f"; for the single day {text} use `infraledger backfill --from {text} --to {text}`"
                if m is not None else "")
        raise UsageError(f"--partition {text!r}: a partition is a billing month, YYYY-MM (or YYYY-MM-01){hint}")
    key = month_key(m.group(1))
    if key not in existing:
        span = f"{billing_period(existing[0])} .. {billing_period(existing[-1])}" if existing else "none"
        raise UsageError(f"--partition {text!r}: no billing month {m.group(1)}; the months that exist are {span} "
                         "(billing_start_month in the configuration sets the first)")
    return key


def check_selection(selection: str, graph: dg.AssetGraph) -> None:
    """Refuse an asset selection that is invalid or matches nothing, naming the closest asset keys."""
    try:
        matched = dg.AssetSelection.from_string(selection).resolve(graph)
    except Exception as exc:  # Dagster raises several classes for a malformed selection string
        raise UsageError(f"--select {selection!r} is not a valid asset selection: {exc}") from None
    if matched:
        return
    keys = sorted(k.to_user_string() for k in graph.materializable_asset_keys)
    words = re.findall(r"[A-Za-z0-9_/.-]+", selection.replace("key:", " "))
    close = sorted({c for w in words for c in difflib.get_close_matches(w.strip('"'), keys, n=3, cutoff=0.4)})
    raise UsageError(f"--select {selection!r} matches no asset" +
                     (f"; did you mean {', '.join(f'key:{c}' for c in close)}?" if close else
                      "; `infraledger materialize --help` shows the syntax (key:raw/aws_cur_line_items, group:marts)"))
