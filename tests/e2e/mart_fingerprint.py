"""An order-independent fingerprint of every mart: its rows and a sum of row hashes (doubles to 9 significant
digits, so summation order cannot change it). Recorded in mart_fingerprints.json from the sample month before the
one-shape redesign; the redesign must leave every mart row as it was."""

from __future__ import annotations

from pathlib import Path

import duckdb

RECORDED = Path(__file__).with_name("mart_fingerprints.json")


def _expr(name: str, dtype: str) -> str:
    col = f'"{name}"'
    return f"printf('%.9g', {col})" if dtype in ("DOUBLE", "FLOAT", "REAL") else col


def mart_fingerprints(warehouse: Path) -> dict[str, list[int | str]]:
    """{mart: [rows, sum of row hashes as text]} for every table and view in the marts schema."""
    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = [r[0] for r in conn.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'marts' order by 1").fetchall()]
        out: dict[str, list[int | str]] = {}
        for mart in marts:
            cols = conn.execute("select column_name, data_type from information_schema.columns where table_schema = "
                                "'marts' and table_name = ? order by ordinal_position", [mart]).fetchall()
            row_hash = f"hash({', '.join(_expr(c, t) for c, t in cols)})"
            rows, total = conn.execute(f"select count(*), coalesce(sum({row_hash}), 0)::varchar "
                                       f'from marts."{mart}"').fetchone()
            out[mart] = [rows, total]
        return out
    finally:
        conn.close()
