"""Raw EC2 spot price changes: a daily-partitioned asset; a backfill of many days runs as one fetch."""

import datetime as dt
from pathlib import Path

import dagster as dg

from collectors.aws.spot_prices import SpotWindow, fetch_pages, recorded_pages, write_pages
from pipelines.defs.billing.load_checks import load_check_results, load_check_specs
from pipelines.lib import freshness
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.partitions import daily
from pipelines.resources_impl import SpotPricesSourceResource, WarehouseResource
from warehouse.loaders.spot_prices import load_spot_price_pages, series_watermarks

SPOT_KEY = dg.AssetKey(["raw", "aws_spot_prices"])


def _utc(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.timezone.utc).replace(tzinfo=None)


@dg.asset(
    key=SPOT_KEY, freshness_policy=freshness.DAILY, group_name="prices", kinds={"aws", "duckdb"}, owners=["team:data-platform"],
    partitions_def=daily, backfill_policy=dg.BackfillPolicy.single_run(), pool="duckdb",
    retry_policy=dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL),
    check_specs=load_check_specs(SPOT_KEY),
    description=(
        "EC2 spot price changes (DescribeSpotPriceHistory) for the configured regions, instance types and products. "
        "Each run asks from the newest stored change of the window minus the overlap, keeps the raw pages in the "
        "landing area, and appends only changes not stored yet; a stored change is never modified."
    ),
)
def aws_spot_prices(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                    spot_prices: SpotPricesSourceResource) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        window = context.partition_time_window
        start, end = _utc(window.start), _utc(window.end)
        label = f"{start:%Y-%m-%d}..{end:%Y-%m-%d}"
        days = [start.date() + dt.timedelta(days=n) for n in range((end - start).days)]
        totals = {"read": 0, "loaded": 0, "quarantined": 0, "known": 0, "pages": 0}
        for region in spot_prices.regions:
            if spot_prices.live:
                with warehouse.writer() as conn:
                    marks = series_watermarks(conn, region, start, end)
                wanted = len(spot_prices.instance_types) * len(spot_prices.product_descriptions)
                newest_complete = min(marks.values()) if marks and len(marks) >= wanted else start
                ask_from = max(start, newest_complete) - dt.timedelta(hours=spot_prices.overlap_hours)
                request = SpotWindow(region=region, start=ask_from.replace(tzinfo=dt.timezone.utc),
                                     end=end.replace(tzinfo=dt.timezone.utc),
                                     instance_types=tuple(spot_prices.instance_types),
                                     product_descriptions=tuple(spot_prices.product_descriptions))
                stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
                folder = Path(spot_prices.landing_dir) / "spot_prices" / region / f"{label}_{stamp}"
                pages = write_pages(fetch_pages(spot_prices.ec2(region), request), folder)
                context.log.info(f"{region}: {len(pages)} pages for {ask_from:%Y-%m-%d %H:%M}..{end:%Y-%m-%d %H:%M}")
            else:
                root = Path(spot_prices.location)
                if not root.is_dir():
                    raise FileNotFoundError(f"sources.spot_prices.location {root} is neither a folder of recorded "
                                            "pages nor 'api'")
                pages = recorded_pages(root, region, days)
            if not pages:
                context.log.info(f"{region}: no spot price pages for {label}")
                continue
            with warehouse.writer() as conn:
                result = load_spot_price_pages(conn, region=region, pages=pages, window=label)
            totals["read"] += result.rows_read
            totals["loaded"] += result.rows_loaded
            totals["quarantined"] += result.rows_quarantined
            totals["known"] += int(result.notes.get("rows_already_loaded", 0))
            totals["pages"] += len(pages)
        context.log.info(f"spot prices {label}: read {totals['read']}, new {totals['loaded']}, already stored "
                         f"{totals['known']}, quarantined {totals['quarantined']}")
        return dg.MaterializeResult(
            metadata={"window": label, "pages": totals["pages"], "rows_read": totals["read"],
                      "rows_loaded": totals["loaded"], "rows_already_loaded": totals["known"],
                      "rows_quarantined": totals["quarantined"], "dagster/row_count": totals["loaded"]},
            check_results=load_check_results(totals["read"], totals["loaded"], totals["quarantined"], None,
                                             totals["known"]),
        )


@dg.definitions
def spot_assets() -> dg.Definitions:
    return dg.Definitions(assets=[aws_spot_prices])
