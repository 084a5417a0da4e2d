"""Metadata for the UI: load results (row counts, files and checksums, never credentials), column schemas and
previews of warehouse tables."""

from __future__ import annotations

import dagster as dg

from pipelines.sources.contract import result_metadata
from warehouse.describe import TableDescription
from warehouse.loads import LoadResult


def load_metadata(result: LoadResult) -> dict[str, object]:
    meta = {k: dg.MetadataValue.json(v) if isinstance(v, (list, dict)) else v for k, v in result_metadata(result).items()}
    return {"dagster/row_count": result.rows_loaded, **meta}


def column_schema(columns: list[tuple[str, str]] | tuple[tuple[str, str], ...],
                  descriptions: dict[str, str] | None = None) -> dg.TableSchema:
    return dg.TableSchema(columns=[dg.TableColumn(name, dtype, description=(descriptions or {}).get(name))
                                   for name, dtype in columns])


def _cell(v: object) -> str:
    text = "" if v is None else str(v)
    return (text[:37] + "...") if len(text) > 40 else text.replace("|", "\\|")


def preview_markdown(desc: TableDescription) -> str:
    """The first rows as a markdown table (the UI renders it under the materialization)."""
    names = [n for n, _ in desc.columns]
    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in desc.preview]
    return "\n".join(lines)


def table_metadata(desc: TableDescription, descriptions: dict[str, str] | None = None,
                   preview: bool = False) -> dict[str, object]:
    """Row count and column schema (with dbt's column descriptions), and for marts a preview of the first rows."""
    meta: dict[str, object] = {"dagster/row_count": desc.rows,
                               "dagster/column_schema": column_schema(desc.columns, descriptions)}
    if preview:
        meta["preview"] = dg.MetadataValue.md(preview_markdown(desc))
    return meta
