"""Render docs/data-quality.md from the suites, so the documented rules are the rules that run.

``python -m pipelines.quality.docs > docs/data-quality.md`` (a test fails when the file is stale).
"""

from __future__ import annotations

from pipelines.quality.registry import MART_SUITES, RAW_SUITES
from pipelines.quality.rules import Suite

HEADER = """# Data-quality rules

Generated from `pipelines/quality/suites/` by `python -m pipelines.quality.docs > docs/data-quality.md`; a test
fails when this file and the suites disagree.

Every raw source and every mart has a great-expectations 1.x suite, run by a Dagster asset check named `gx_suite`
on a pandas frame of the rows in scope (GX's SQL path does not work on DuckDB), holding only the columns its rules
read and those that name a failing row (read through Arrow: a CUR month's frame is 15 columns, not 79).
Rows larger than `quality.chunk_mib` (default 256 MiB of frame) are validated in row chunks, split by a hash of the
suite's uniqueness key so that repeated rows meet in one chunk; the chunks' results are merged (counts added, GX's
own `mostly` test on the sums) into the one result, record and docs page the whole frame would give. A check's memory
stays near a few times the chunk size at any fleet size (a CUR month at 4x the sample fleet is 8 million rows).

- **error** rules fail the check with severity ERROR. On raw tables the check is *blocking*: the staging models
  downstream are not built on the bad load (the run shows them skipped; fix the source and re-materialize).
- **warn** rules fail the check with severity WARN: shown in the UI and by `infraledger quality`, nothing stops.
- Every validation is kept: one row per rule in `audit.quality_results` (with the run id, scope, unexpected count
  and the data docs page) and a page in the GX data docs site,
  `<quality.docs_dir>/gx/uncommitted/data_docs/local_site/index.html` (default `data/quality`). The check's
  metadata links the page (`data_docs`). The site keeps the newest `quality.keep_results` results of each suite
  (default 7; GX reads every kept result on each build); its index is rebuilt by the mart suites' step and by
  `infraledger quality`.
- Besides these suites: load checks on each raw asset (rows accounted for, manifest row counts, duplicates), the
  dbt tests of every model (shown as asset checks), the reconciliation of `fct_cost` to the delivered files, and
  freshness policies (billing 36 h, telemetry and power 15 min, daily feeds 36 h).
"""


def _section(suite: Suite) -> list[str]:
    kind = "blocking" if suite.blocking else "non-blocking"
    lines = [f"### `{'/'.join(suite.asset)}`: suite `{suite.name}` ({kind})", "",
             f"Validates {suite.scope}.", "", "| severity | rule | why |", "|---|---|---|"]
    for r in suite.rules:
        lines.append(f"| {r.severity} | `{r.describe()}` | {r.why} |")
    return lines + [""]


def render() -> str:
    out = [HEADER, "## Raw sources", ""]
    for s in RAW_SUITES:
        out += _section(s)
    out += ["## Marts", ""]
    for s in MART_SUITES:
        out += _section(s)
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    print(render(), end="")
