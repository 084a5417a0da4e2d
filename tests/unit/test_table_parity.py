"""The table comparison the Spark parity test relies on: it must find every kind of difference it is meant to find
(a cent of money, a float beyond 1e-9 relative, a row, a column) and let through what differs only in form (float
noise, an instant against its UTC wall time, a date read back as text)."""

from __future__ import annotations

import duckdb
import pytest

from tests.e2e.table_parity import differences

pytestmark = pytest.mark.unit

LEFT = """(select * from (values
    ('a', 1.25::decimal(18, 6), 0.1::double + 0.2::double, timestamptz '2026-10-01 02:00:00+02', '2026-10-01', 1),
    ('b', 2.50::decimal(18, 6), 1e20, timestamptz '2026-10-02 00:00:00+00', '2026-10-02', 2),
    ('b', 2.50::decimal(18, 6), null, null, '2026-10-02', 3)
) t(k, cost, x, seen_at, day, n))"""


def _right(*, cost: str = "2.50", x: str = "1e20", n: str = "2", extra: str = "") -> str:
    return f"""(select * from (values
    ('a', 1.251::decimal(38, 10), 0.3::double, timestamp '2026-10-01 00:00:00', date '2026-10-01', 1),
    ('b', 2.50::decimal(38, 10), null, null, date '2026-10-02', 3),
    ('b', {cost}::decimal(38, 10), {x}::double, timestamp '2026-10-02 00:00:00', date '2026-10-02', {n})
) t(k, cost, x, seen_at, day, n){extra})"""


@pytest.fixture
def conn():
    with duckdb.connect() as c:
        c.execute("set timezone = 'UTC'")
        yield c


def test_rows_equal_in_substance_are_the_same(conn) -> None:
    # float noise (0.1 + 0.2), money past the cent, an instant against its UTC time, a date as text; other order
    assert differences(conn, LEFT, _right()) == []


def test_a_cent_of_money_is_a_difference(conn) -> None:
    assert differences(conn, LEFT, _right(cost="2.51"))


def test_a_float_beyond_the_tolerance_is_a_difference(conn) -> None:
    assert differences(conn, LEFT, _right(x="1.0000001e20"))
    assert differences(conn, LEFT, _right(x="1.00000000001e20")) == []
    assert differences(conn, LEFT, _right(x="null"))  # a number against nothing


def test_a_changed_value_a_missing_row_or_column_is_a_difference(conn) -> None:
    assert differences(conn, LEFT, _right(n="4"))
    assert differences(conn, LEFT, _right(extra=" where k = 'a'")) == ["3 rows left, 1 right"]
    assert "columns differ" in differences(conn, LEFT, f"(select *, 1 as more from {_right()})")[0]
    assert differences(conn, LEFT, f"(select *, 1 as more from {_right()})", skip=frozenset({"more"})) == []
