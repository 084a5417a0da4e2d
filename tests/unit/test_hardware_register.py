"""The on-prem hardware register: good rows load, bad rows are quarantined with the reason, a reload replaces both."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from collectors.power.hardware_register import RegisterError, read_register
from warehouse.loaders.power import replace_hardware_register
from warehouse.schema import apply_ddl

CSV = """asset,kind,site,purchase_date,currency,purchase_cost,depreciation_months,residual_value,support_per_month,space_per_month
gpu-01,host,site-1,2025-06-01,usd,320000,48,32000,2100,
rack-a1,rack,site-1,2025-06-01,USD,18000,60,0,0,1800
rack-a2,rack,site-1,,USD,0,,0,0,1200
gpu-02,server,site-1,2025-06-01,USD,1,12,0,0,0
gpu-03,host,site-1,06/01/2025,USD,1000,12,0,0,0
gpu-04,host,site-1,2025-06-01,USD,1000,0,0,0,0
gpu-05,host,site-1,2025-06-01,USD,1000,12,2000,0,0
gpu-06,host,site-1,2025-06-01,USD,-5,12,0,0,0
gpu-07,host,site-1,2025-06-01,US,1000,12,0,0,0
gpu-01,host,site-1,2025-07-01,USD,1,12,0,0,0
gpu-08,host,site-1,2025-06-01,USD,NaN,12,0,0,0
"""


def test_bad_rows_are_returned_with_the_reason_and_the_good_ones_kept(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(CSV)
    assets, rejected = read_register(path)
    assert [(a.kind, a.asset) for a in assets] == [("host", "gpu-01"), ("rack", "rack-a1"), ("rack", "rack-a2")]
    host = assets[0]
    assert (host.currency, host.purchase_cost, host.residual_value, host.depreciation_months, host.space_per_month) == (
        "USD", Decimal(320000), Decimal(32000), 48, Decimal(0))
    assert assets[2].purchase_date is None  # space only: nothing to depreciate, no date needed
    reasons = {r.line: r.reason for r in rejected}
    assert sorted(reasons) == list(range(5, 13))
    assert "kind 'server'" in reasons[5] and "purchase_date '06/01/2025'" in reasons[6]
    assert "depreciation_months '0'" in reasons[7] and "residual_value 2000 is above purchase_cost 1000" in reasons[8]
    assert "purchase_cost '-5'" in reasons[9] and "currency 'US'" in reasons[10]
    assert "already registered" in reasons[11] and "purchase_cost 'NaN'" in reasons[12]


def test_a_register_without_its_columns_or_file_is_an_error_that_says_so(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match="cannot read the hardware register"):
        read_register(tmp_path / "missing.csv")
    (tmp_path / "r.csv").write_text("name,cost\nx,1\n")
    with pytest.raises(RegisterError, match="missing column.*asset, kind, currency"):
        read_register(tmp_path / "r.csv")


def test_loading_replaces_the_register_and_its_quarantine(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(CSV)
    conn = duckdb.connect(str(tmp_path / "wh.duckdb"))
    apply_ddl(conn)
    for load in ("load-1", "load-2"):  # a reload gives the same tables, nothing twice
        counts = replace_hardware_register(conn, *read_register(path), source_file=str(path), load_id=load)
        assert counts == {"assets": 3, "assets_quarantined": 8}
        assert conn.execute("select count(*), sum(purchase_cost) from raw.onprem_assets").fetchone() == (
            3, Decimal(338000))
        assert conn.execute("select count(*), count(distinct load_id) from quarantine.onprem_assets").fetchone() == (8, 1)
    line, reason, record = conn.execute("select source_row, reason, record::varchar from quarantine.onprem_assets "
                                        "order by source_row limit 1").fetchone()
    assert line == 5 and "kind 'server'" in reason and '"asset": "gpu-02"' in record
