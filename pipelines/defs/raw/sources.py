"""Every raw source (pipelines/sources/registry.py) as an asset; its description and freshness come from its dbt
source, and an optional source the configuration does not name is marked so and gates nothing."""

import dagster as dg

from pipelines.config import InfraledgerConfig, current_config
from pipelines.lib.dbt_sources import raw_table_contracts
from pipelines.lib.raw_source import raw_key, raw_source_asset
from pipelines.sources.registry import RAW_SOURCES


def unconfigured_keys(cfg: InfraledgerConfig) -> set[dg.AssetKey]:
    """The raw assets of optional sources the configuration does not name: their checks gate nothing."""
    return {raw_key(s) for s in RAW_SOURCES if s.optional and getattr(cfg.sources, s.settings) is None}


@dg.definitions
def raw_sources() -> dg.Definitions:
    absent, contracts = unconfigured_keys(current_config()), raw_table_contracts()
    return dg.Definitions(assets=[raw_source_asset(s, contracts, configured=raw_key(s) not in absent)
                                  for s in RAW_SOURCES])
