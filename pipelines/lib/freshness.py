"""How fresh each kind of source must be (Dagster freshness policies, shown on every asset in the UI):
billing within 36 h (exports land a few times a day), telemetry and power within 15 min (scraped and polled every
minute, loaded every 15), price feeds and history within 36 h (daily)."""

import datetime as dt

import dagster as dg

BILLING = dg.FreshnessPolicy.time_window(fail_window=dt.timedelta(hours=36), warn_window=dt.timedelta(hours=26))
TELEMETRY = dg.FreshnessPolicy.time_window(fail_window=dt.timedelta(minutes=15), warn_window=dt.timedelta(minutes=5))
POWER = dg.FreshnessPolicy.time_window(fail_window=dt.timedelta(minutes=15), warn_window=dt.timedelta(minutes=5))
DAILY = dg.FreshnessPolicy.time_window(fail_window=dt.timedelta(hours=36), warn_window=dt.timedelta(hours=26))
