"""Append EC2 spot price changes from ``DescribeSpotPriceHistory`` response pages to ``raw.aws_spot_prices``.

A change already stored (same region, zone, instance type, product and timestamp, same price) is skipped, so the
overlap a window re-reads is harmless. Items with a price that is not a positive number, no zone, no instance
type or an unreadable timestamp go to ``quarantine.aws_spot_prices``; a stored change reported again with
another price is quarantined too (a stored row is never changed). A page that is not JSON fails the load naming
the file.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition

SOURCE = "aws_spot_prices"
TARGET = "raw.aws_spot_prices"
QUARANTINE = "quarantine.aws_spot_prices"
_ITEM_FIELDS = ("AvailabilityZone", "InstanceType", "ProductDescription", "SpotPrice", "Timestamp")


class SpotPageError(ValueError):
    """A response page that cannot be read."""


def _items(pages: Sequence[Path]) -> pa.Table:
    rows: dict[str, list[object]] = {k: [] for k in ("file", "item", "raw", *_ITEM_FIELDS)}
    for page in pages:
        try:
            doc = json.loads(page.read_bytes())
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SpotPageError(f"spot price page {page} is not valid JSON: {exc}") from exc
        if not isinstance(doc, dict) or not isinstance(doc.get("SpotPriceHistory", []), list):
            raise SpotPageError(f"spot price page {page} has no SpotPriceHistory list")
        for n, item in enumerate(doc.get("SpotPriceHistory", [])):
            item = item if isinstance(item, dict) else {}
            rows["file"].append(str(page))
            rows["item"].append(n)
            rows["raw"].append(json.dumps(item, sort_keys=True))
            for k in _ITEM_FIELDS:
                v = item.get(k)
                rows[k].append(None if v is None else str(v))
    return pa.table({k: pa.array(v, pa.int64() if k == "item" else pa.string()) for k, v in rows.items()})


def _stage(conn: duckdb.DuckDBPyConnection, region: str, pages: Sequence[Path], load_id: str, partition: str
           ) -> StageCounts:
    items = _items(pages)  # noqa: F841 (read by DuckDB below)
    conn.execute(
        """
        create or replace temp table _spot_typed as
        select file, item, raw, ? as region,
               nullif(trim("AvailabilityZone"), '') as availability_zone,
               nullif(trim("InstanceType"), '') as instance_type,
               coalesce(nullif(trim("ProductDescription"), ''), 'unknown') as product_description,
               "SpotPrice" as price_text,
               try_cast("SpotPrice" as decimal(18, 8)) as spot_price,
               case when regexp_matches("Timestamp", '(Z|[+-]\\d{2}:?\\d{2})$')
                    then try_cast("Timestamp" as timestamptz) at time zone 'UTC'
                    else try_cast("Timestamp" as timestamp) end as price_timestamp
        from items
        """,
        [region],
    )
    conn.execute(
        f"""
        create or replace temp table _spot_judged as
        with keyed as (
            select t.*, s.spot_price as stored_price,
                   row_number() over (partition by t.region, t.availability_zone, t.instance_type,
                                      t.product_description, t.price_timestamp, t.spot_price
                                      order by t.file, t.item) as _rank,
                   count(distinct t.spot_price) over (partition by t.region, t.availability_zone, t.instance_type,
                                      t.product_description, t.price_timestamp) as _prices
            from _spot_typed t
            left join {TARGET} s
              on s.region = t.region and s.availability_zone = t.availability_zone
             and s.instance_type = t.instance_type and s.product_description = t.product_description
             and s.price_timestamp = t.price_timestamp
        )
        select *, case
            when availability_zone is null then 'AvailabilityZone missing'
            when instance_type is null then 'InstanceType missing'
            when price_timestamp is null then 'Timestamp missing or unreadable: ' || coalesce(price_text, 'null')
            when spot_price is null then 'SpotPrice is not a number: ' || coalesce(price_text, 'null')
            when spot_price <= 0 then 'SpotPrice is not positive: ' || price_text
            when stored_price is not null and stored_price <> spot_price
                then 'conflicts with the stored price ' || stored_price::varchar || ' of the same change'
            when _prices > 1 then 'the same change is reported with different prices in this batch'
        end as _reason,
        stored_price is not null or _rank > 1 as _known
        from keyed
        """
    )
    conn.execute(
        f"insert into {TARGET} select region, availability_zone, instance_type, product_description, spot_price, "
        "price_timestamp, file, item, ?, now() from _spot_judged where _reason is null and not _known",
        [load_id],
    )
    conn.execute(
        f"insert into {QUARANTINE} select ?, ?, file, item, _reason, raw::json, now() from _spot_judged "
        "where _reason is not null", [partition, load_id],
    )
    read, bad, known = conn.execute(
        "select count(*), count(_reason), count(*) filter (_reason is null and _known) from _spot_judged"
    ).fetchone()
    for t in ("_spot_typed", "_spot_judged"):
        conn.execute(f"drop table if exists {t}")
    return StageCounts(rows_read=read, rows_loaded=read - bad - known, rows_quarantined=bad, rows_skipped=known,
                       notes={"pages": len(pages)})


def load_spot_price_pages(conn: duckdb.DuckDBPyConnection, *, region: str, pages: Sequence[Path],
                          window: str) -> LoadResult:
    """Append the new changes of ``pages`` (one region's pages of one window, ``window`` names it in the audit)."""
    inputs = [InputFile.of(p) for p in pages]
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="region",
        partition_key=f"{region}/{window}", delivery_id=None, input_files=inputs, replace=False,
        stage=lambda c, load_id: _stage(c, region, pages, load_id, f"{region}/{window}"),
    )


def series_watermarks(conn: duckdb.DuckDBPyConnection, region: str, start: object, end: object
                      ) -> dict[tuple[str, str, str], object]:
    """The newest stored change per (zone, instance type, product) of ``region`` inside [start, end)."""
    rows = conn.execute(
        f"select availability_zone, instance_type, product_description, max(price_timestamp) from {TARGET} "
        "where region = ? and price_timestamp >= ? and price_timestamp < ? group by all",
        [region, start, end],
    ).fetchall()
    return {(a, i, p): ts for a, i, p, ts in rows}
