"""Two builds of one table compared in DuckDB, row for row: the same rows as multisets, money equal to the cent,
other floating-point numbers to 1e-9 relative (1e-12 absolute), instants compared in UTC, and a value that comes
back as text on one side (a partition column read from its folder's name, JSON written as a string) compared as
text. The rows are aligned by sorting both sides on every exact column, then on the floating-point ones."""

from __future__ import annotations

import duckdb

FLOATS = ("DOUBLE", "FLOAT", "REAL")


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _types(conn: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    return {name: dtype.upper() for name, dtype, *_ in conn.execute(f"describe {relation}").fetchall()}


def _normalized(column: str, own: str, other: str) -> tuple[str, bool]:
    """(the column's comparable form on this side, whether it is compared with a tolerance)."""
    c = _quoted(column)
    if own.startswith("DECIMAL") or other.startswith("DECIMAL"):
        return f"round(cast({c} as decimal(38, 10)), 2)", False  # money: to the cent
    if own in FLOATS or other in FLOATS:
        return f"cast({c} as double)", True
    plain = lambda t: "TIMESTAMP" if t == "TIMESTAMP WITH TIME ZONE" else t  # noqa: E731
    expr = f"timezone('UTC', {c})" if own == "TIMESTAMP WITH TIME ZONE" else c
    if plain(own) != plain(other):  # one side reads it as text: compare the text
        return f"cast({expr} as varchar)", False
    return expr, False


def differences(conn: duckdb.DuckDBPyConnection, left: str, right: str, *, skip: frozenset[str] = frozenset(),
                limit: int = 5) -> list[str]:
    """What differs between the relations ``left`` and ``right`` (table names or parenthesised queries), at most
    ``limit`` findings; empty when they hold the same rows. Columns in ``skip`` are left out on both sides."""
    conn.execute(f"create or replace temp table _left as select * from {left}")
    conn.execute(f"create or replace temp table _right as select * from {right}")
    lt, rt = _types(conn, "_left"), _types(conn, "_right")
    columns = [c for c in lt if c not in skip]
    if set(columns) != set(rt) - skip:
        return [f"columns differ: only left {sorted(set(columns) - set(rt))}, only right "
                f"{sorted(set(rt) - skip - set(columns))}"]
    n_left, n_right = (conn.execute(f"select count(*) from {t}").fetchone()[0] for t in ("_left", "_right"))
    if n_left != n_right:
        return [f"{n_left} rows left, {n_right} right"]
    forms = {c: (_normalized(c, lt[c], rt[c]), _normalized(c, rt[c], lt[c])) for c in columns}
    exact = [c for c in columns if not forms[c][0][1]]
    close = [c for c in columns if forms[c][0][1]]

    def side(table: str, i: int) -> str:
        return ", ".join(f"{forms[c][i][0]} as {_quoted(c)}" for c in columns) + f" from {table}"

    exact_list = ", ".join(_quoted(c) for c in exact) or "1"
    found = [f"only {name}: {row}" for name, row in conn.execute(f"""
        with l as (select {side('_left', 0)}), r as (select {side('_right', 1)})
        (select 'left', ({exact_list})::varchar from (select {exact_list} from l except all select {exact_list} from r))
        union all
        (select 'right', ({exact_list})::varchar from (select {exact_list} from r except all select {exact_list} from l))
        limit {limit}""").fetchall()]
    if found or not close:
        return found
    order = ", ".join(f"{_quoted(c)} nulls last" for c in [*exact, *close])
    same = " and ".join(
        f"coalesce(l.{_quoted(c)} = r.{_quoted(c)} or abs(l.{_quoted(c)} - r.{_quoted(c)}) <= "
        f"greatest(1e-9 * greatest(abs(l.{_quoted(c)}), abs(r.{_quoted(c)})), 1e-12), "
        f"l.{_quoted(c)} is null and r.{_quoted(c)} is null)" for c in close)
    pairs = ", ".join(f"l.{_quoted(c)}, r.{_quoted(c)}" for c in close)
    rows = conn.execute(f"""
        with l as (select *, row_number() over (order by {order}) as _n from (select {side('_left', 0)})),
             r as (select *, row_number() over (order by {order}) as _n from (select {side('_right', 1)}))
        select {pairs} from l join r using (_n) where not ({same}) limit {limit}""").fetchall()
    return [", ".join(f"{c}: {row[2 * i]} != {row[2 * i + 1]}" for i, c in enumerate(close)
                      if row[2 * i] != row[2 * i + 1]) for row in rows]
