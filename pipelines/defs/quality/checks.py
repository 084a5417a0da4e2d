"""One great-expectations asset check per raw source and per mart, made from the suites in
``pipelines.quality.registry``. Raw checks (and ``fct_cost``'s) block the models downstream when an error-severity
rule fails, each in its own step; the other marts' checks run together in one step (one GX context, the data docs
built once). Warnings are reported and do not stop anything. Every validation lands in ``audit.quality_results`` and the GX data docs,
linked from the check's metadata."""

import dagster as dg

from pipelines.config import current_config
from pipelines.lib.raw_source import unconfigured_keys
from pipelines.quality.asset_check import gx_check, gx_checks_together
from pipelines.quality.registry import MART_SUITES, RAW_SUITES


@dg.definitions
def quality_checks() -> dg.Definitions:
    unconfigured = unconfigured_keys(current_config())
    alone = [gx_check(s, gating=dg.AssetKey(list(s.asset)) not in unconfigured)
             for s in RAW_SUITES + tuple(s for s in MART_SUITES if s.blocking)]
    together = gx_checks_together("marts__gx_suites", [s for s in MART_SUITES if not s.blocking])
    return dg.Definitions(asset_checks=[*alone, together])
