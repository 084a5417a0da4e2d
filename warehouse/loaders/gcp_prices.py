"""Keep GCP SKU prices as a history in ``raw.gcp_sku_prices``.

For each (SKU, region, tier) a fetched price equal to the open row's changes nothing; a different price closes the
open row where the new price starts and opens a new row; a key the fetch no longer lists is closed at the fetch.
Rows without a usable price (a ``problem`` from parsing, a negative price, no currency) go to
``quarantine.gcp_sku_prices`` with the reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa

from warehouse.loads import InputFile, LoadResult, StageCounts, replace_partition

SOURCE = "gcp_sku_prices"
TARGET = "raw.gcp_sku_prices"
QUARANTINE = "quarantine.gcp_sku_prices"
_COLUMNS = ("sku_id", "service_display_name", "description", "resource_family", "resource_group", "usage_type",
            "region", "tier_start_usage", "usage_unit", "currency", "unit_price", "price_per_hour", "effective_time",
            "problem", "raw")
_TYPES = {"tier_start_usage": pa.float64(), "unit_price": pa.decimal128(38, 10), "price_per_hour": pa.decimal128(38, 10)}


def _table(rows: Sequence[Mapping[str, object]]) -> pa.Table:
    cols = {c: [r.get(c) for r in rows] for c in _COLUMNS}
    cols["unit_price"] = [None if v is None else Decimal(v).quantize(Decimal("1e-10")) for v in cols["unit_price"]]
    cols["price_per_hour"] = [None if v is None else Decimal(v).quantize(Decimal("1e-10")) for v in cols["price_per_hour"]]
    return pa.table({c: pa.array(v, _TYPES.get(c, pa.string())) for c, v in cols.items()})


def _stage(conn: duckdb.DuckDBPyConnection, rows: Sequence[Mapping[str, object]], fetched_at: dt.datetime,
           source_file: str, load_id: str, full_fetch: bool) -> StageCounts:
    fetched = _table(rows)  # noqa: F841 (read by DuckDB below)
    conn.execute(
        """
        create or replace temp table _sku_judged as
        select * exclude (region, effective_time), coalesce(region, 'global') as region,
               coalesce(try_cast(effective_time as timestamptz) at time zone 'UTC', ?) as valid_from,
               try_cast(effective_time as timestamptz) at time zone 'UTC' as effective_ts,
               case
                   when problem is not null then problem
                   when sku_id is null then 'skuId missing'
                   when unit_price < 0 then 'negative unit price ' || unit_price::varchar
                   when currency is null then 'currency missing'
               end as _reason
        from fetched
        """,
        [fetched_at],
    )
    key = "t.sku_id = s.sku_id and t.region = s.region and t.tier_start_usage = s.tier_start_usage"
    conn.execute(
        f"""
        create or replace temp table _sku_compared as
        select s.*, t.unit_price as open_price, t.currency as open_currency, t.valid_from as open_from
        from (select * from _sku_judged where _reason is null) s
        left join {TARGET} t on {key} and t.valid_to is null
        """
    )
    changed = conn.execute(
        "select count(*) from _sku_compared where open_price is not null "
        "and (open_price <> unit_price or open_currency <> currency)"
    ).fetchone()[0]
    # close the open rows whose price changed, where the new price starts (never before the old one started)
    conn.execute(
        f"""
        update {TARGET} t set valid_to = greatest(s.valid_from, t.valid_from)
        from _sku_compared s
        where {key} and t.valid_to is null and (s.unit_price <> t.unit_price or s.currency <> t.currency)
        """
    )
    closed_missing = 0
    if full_fetch:
        closed_missing = conn.execute(
            f"select count(*) from {TARGET} t where t.valid_to is null and not exists "
            f"(select 1 from _sku_judged s where {key})"
        ).fetchone()[0]
        conn.execute(
            f"update {TARGET} t set valid_to = ? where t.valid_to is null and not exists "
            f"(select 1 from _sku_judged s where {key})",
            [fetched_at],
        )
    conn.execute(
        f"""
        insert into {TARGET}
        select sku_id, service_display_name, description, resource_family, resource_group, usage_type, region,
               tier_start_usage, usage_unit, currency, unit_price, price_per_hour, effective_ts,
               case when open_price is null then valid_from else greatest(valid_from, open_from) end,
               null, ?, ?, now()
        from _sku_compared
        where open_price is null or open_price <> unit_price or open_currency <> currency
        """,
        [source_file, load_id],
    )
    conn.execute(
        f"insert into {QUARANTINE} select 'catalog', ?, ?, null, _reason, raw::json, now() "
        "from _sku_judged where _reason is not null",
        [load_id, source_file],
    )
    read, bad, new = conn.execute(
        "select count(*), count(_reason), (select count(*) from _sku_compared where open_price is null or "
        "open_price <> unit_price or open_currency <> currency) from _sku_judged"
    ).fetchone()
    for t in ("_sku_judged", "_sku_compared"):
        conn.execute(f"drop table if exists {t}")
    return StageCounts(rows_read=read, rows_loaded=new, rows_quarantined=bad, rows_skipped=read - bad - new,
                       notes={"prices_changed": changed, "series_closed_no_longer_listed": closed_missing})


def load_sku_prices(conn: duckdb.DuckDBPyConnection, *, rows: Sequence[Mapping[str, object]], source_file: Path,
                    fetched_at: dt.datetime, full_fetch: bool = True) -> LoadResult:
    """Merge one catalog fetch (price rows as mappings) into the price history, in one transaction.

    ``full_fetch``: the rows cover every SKU of the fetched services, so an open series missing from them is
    closed; pass False for a partial fetch.
    """
    return replace_partition(
        conn, source=SOURCE, target_table=TARGET, quarantine_table=QUARANTINE, partition_column="sku_id",
        partition_key="catalog", delivery_id=None, input_files=[InputFile.of(source_file)], replace=False,
        stage=lambda c, load_id: _stage(c, rows, fetched_at.replace(tzinfo=None) if fetched_at.tzinfo is None else
                                        fetched_at.astimezone(dt.timezone.utc).replace(tzinfo=None),
                                        str(source_file), load_id, full_fetch),
    )


