"""Metadata for the UI: column schemas and previews of warehouse tables (load results are described by
``pipelines/sources/contract.result_metadata``: row counts, files and checksums, never credentials)."""

from __future__ import annotations

import dagster as dg

from warehouse.describe import TableDescription


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
    """Row count (tables, not views) and column schema (with dbt's column descriptions), and for marts a preview of
    the first rows."""
    meta: dict[str, object] = {"dagster/column_schema": column_schema(desc.columns, descriptions)}
    if desc.rows is not None:  # a view has none
        meta = {"dagster/row_count": desc.rows, **meta}
    if preview:
        meta["preview"] = dg.MetadataValue.md(preview_markdown(desc))
    return meta
