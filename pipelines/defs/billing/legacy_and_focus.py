"""Raw billing assets for legacy Cost and Usage Reports and FOCUS exports, one billing period per partition.
A source the configuration does not name loads nothing and says so; its checks then yield no result (skipped in the
UI, not a green pass over no rows) and gate nothing."""

import dataclasses

import dagster as dg

from pipelines.config import load_config
from pipelines.lib import freshness
from pipelines.lib.raw_source import RawSource, raw_source_asset
from pipelines.partitions import billing_month
from pipelines.sources import aws_cur_legacy, focus

LEGACY = RawSource(
    table="aws_cur_legacy_line_items", resource="aws_cur_legacy", group="billing",
    kinds=frozenset({"s3", "duckdb", "csv"}), fetch=aws_cur_legacy.fetch, load=aws_cur_legacy.load,
    partitions=billing_month, freshness=freshness.BILLING, retry_delay_s=5, setting="sources.aws_cur_legacy",
    description=(
        "Legacy AWS Cost and Usage Report line items (CSV.gz or Parquet) mapped to CUR 2.0 columns. The period-level "
        "<report>-Manifest.json names the current assembly and its reportKeys; that assembly replaces the period."),
)
FOCUS = RawSource(
    table="focus_cost_rows", resource="focus", group="billing", kinds=frozenset({"s3", "duckdb"}),
    fetch=focus.fetch, load=focus.load, partitions=billing_month, freshness=freshness.BILLING, retry_delay_s=5,
    setting="sources.focus",
    description=(
        "FOCUS 1.0-1.2 cost and usage rows of one export (AWS, Azure, OCI or GCP flavour). What had to be coerced "
        "to read real files (NULL tokens, timestamps without T/Z, enum spellings) is recorded per row and reported."),
)
LEGACY_KEY, FOCUS_KEY = LEGACY.key, FOCUS.key


def _configured() -> tuple[bool, bool]:
    """Whether the configuration names a legacy CUR report and a FOCUS export (read when the definitions load)."""
    sources = load_config().sources
    return sources.aws_cur_legacy is not None, sources.focus is not None


def unconfigured_keys() -> set[dg.AssetKey]:
    """The billing assets whose source the configuration does not name: their checks gate nothing."""
    legacy, focus_on = _configured()
    return {key for key, on in ((LEGACY_KEY, legacy), (FOCUS_KEY, focus_on)) if not on}


@dg.definitions
def legacy_and_focus_assets() -> dg.Definitions:
    legacy, focus_on = _configured()
    return dg.Definitions(assets=[raw_source_asset(dataclasses.replace(LEGACY, configured=legacy)),
                                  raw_source_asset(dataclasses.replace(FOCUS, configured=focus_on))])
