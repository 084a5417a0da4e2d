"""Every raw source (pipelines/sources/registry.py) as an asset; its description and freshness come from its dbt
source, and an optional source the configuration does not name is marked so and gates nothing."""

import dagster as dg

from pipelines.config import current_config
from pipelines.lib.dbt_sources import raw_table_contracts
from pipelines.lib.raw_source import raw_key, raw_source_asset, unconfigured_keys
from pipelines.sources.registry import RAW_SOURCES


@dg.definitions
def raw_sources() -> dg.Definitions:
    absent, contracts = unconfigured_keys(current_config()), raw_table_contracts()
    return dg.Definitions(assets=[raw_source_asset(s, contracts, configured=raw_key(s) not in absent)
                                  for s in RAW_SOURCES])
