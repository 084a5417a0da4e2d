"""Raw sources without Dagster: for each source a *plan* (what to fetch), a *fetch* into the landing area
(collectors only, no warehouse connection) and a *load* of the landed files (warehouse only). The one asset factory
in ``pipelines/lib/raw_source.py`` wires them; ``pipelines/defs`` only declares which source is which asset."""
