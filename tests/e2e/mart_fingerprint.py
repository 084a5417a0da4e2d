"""A fingerprint of every mart that a change of code shape must leave as it is: the row count and a sum of row
hashes over the exact columns (file paths by their name only, since the folder is the test's), and per floating
column its sum and sum of squares (compared to 1e-9 relative: summation order may change the last bits).
Recorded in mart_fingerprints.json from the sample month at the commit before the one-shape redesign (e54b3ef).
A new mart is added with its first figures; a change meant to move figures re-records it (and says so in its commit): materialize the sample month as
``test_whole_graph``'s ``built`` fixture does, then write ``json.dumps(mart_fingerprints(warehouse), indent=1,
sort_keys=True)`` to mart_fingerprints.json."""

from __future__ import annotations

from pathlib import Path

import duckdb

RECORDED = Path(__file__).with_name("mart_fingerprints.json")
FLOATS = ("DOUBLE", "FLOAT", "REAL")


def _exact(name: str) -> str:
    col = f'"{name}"'
    return f"regexp_extract({col}, '[^/]+$')" if name.endswith("source_file") else col


def mart_fingerprints(warehouse: Path) -> dict[str, dict]:
    """{mart: {"rows", "hash" (text), "floats": {column: [sum, sum of squares]}}} for every mart."""
    conn = duckdb.connect(str(warehouse), read_only=True)
    try:
        marts = [r[0] for r in conn.execute("select table_name from information_schema.tables "
                                            "where table_schema = 'marts' order by 1").fetchall()]
        out: dict[str, dict] = {}
        for mart in marts:
            cols = conn.execute("select column_name, data_type from information_schema.columns where table_schema = "
                                "'marts' and table_name = ? order by ordinal_position", [mart]).fetchall()
            exact = [_exact(c) for c, t in cols if t not in FLOATS]
            floats = [c for c, t in cols if t in FLOATS]
            aggregates = [f"coalesce(sum(hash({', '.join(exact)})), 0)::varchar"]
            aggregates += [f'sum("{c}"), sum("{c}" * "{c}")' for c in floats]
            row = conn.execute(f"select count(*), {', '.join(aggregates)} from marts.\"{mart}\"").fetchone()
            out[mart] = {"rows": row[0], "hash": row[1],
                         "floats": {c: [row[2 + 2 * i], row[3 + 2 * i]] for i, c in enumerate(floats)}}
        return out
    finally:
        conn.close()


def same_figures(found: dict[str, dict], recorded: dict[str, dict], rel: float = 1e-9) -> list[str]:
    """The differences between two fingerprints, in words (empty when every mart is as recorded)."""
    problems = [f"{m}: missing" for m in recorded if m not in found]
    problems += [f"{m}: not recorded" for m in found if m not in recorded]
    for mart in sorted(set(found) & set(recorded)):
        a, b = found[mart], recorded[mart]
        if (a["rows"], a["hash"]) != (b["rows"], b["hash"]):
            problems.append(f"{mart}: rows/hash {a['rows']}/{a['hash']} != recorded {b['rows']}/{b['hash']}")
        for col, values in b["floats"].items():
            for x, y in zip(a["floats"].get(col, [None, None]), values):
                if (x is None) != (y is None) or (x is not None and abs(x - y) > rel * max(abs(x), abs(y), 1e-300)):
                    problems.append(f"{mart}.{col}: {x} != recorded {y}")
    return problems
