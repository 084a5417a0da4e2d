"""Raw billing assets: AWS Data Exports (CUR 2.0) billing periods, replaced atomically per delivery."""

import dagster as dg

from pipelines.lib import freshness
from pipelines.lib.raw_source import RawSource, SourceCheck, raw_source_asset
from pipelines.partitions import billing_month
from pipelines.sources import aws_cur

AWS_CUR = RawSource(
    table="aws_cur_line_items", resource="aws_cur", group="billing", kinds=frozenset({"s3", "duckdb", "parquet"}),
    fetch=aws_cur.fetch, load=aws_cur.load, partitions=billing_month, freshness=freshness.BILLING, retry_delay_s=5,
    checks=(SourceCheck("no_duplicate_line_items",
                        "identity_line_item_id + identity_time_interval unique in the period"),),
    description=(
        "AWS Data Exports (CUR 2.0) line items, one billing period per partition. The newest manifest of the "
        "period names the files; its delivery replaces the period in one transaction. Duplicate line items and "
        "unreadable rows go to quarantine.aws_cur_line_items with the reason."
    ),
)
AWS_CUR_KEY = AWS_CUR.key


@dg.definitions
def billing_assets() -> dg.Definitions:
    return dg.Definitions(assets=[raw_source_asset(AWS_CUR)])
