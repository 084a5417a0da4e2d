"""One great-expectations asset check per raw source and per mart, made from the suites in
``pipelines.quality.registry``. Raw checks block the models downstream when an error-severity rule fails; warnings
are reported and do not stop anything. Every validation lands in ``audit.quality_results`` and the GX data docs,
linked from the check's metadata."""

import dagster as dg

from pipelines.config import current_config
from pipelines.lib.raw_source import unconfigured_keys
from pipelines.quality.asset_check import gx_check
from pipelines.quality.registry import ALL_SUITES


@dg.definitions
def quality_checks() -> dg.Definitions:
    unconfigured = unconfigured_keys(current_config())
    return dg.Definitions(asset_checks=[gx_check(s, gating=dg.AssetKey(list(s.asset)) not in unconfigured)
                                        for s in ALL_SUITES])
