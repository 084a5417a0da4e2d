"""The monthly report as an asset: the HTML file beside the warehouse, and the same sections (totals, the per-service
table, every chart) in the asset's metadata."""

import base64
from pathlib import Path

import dagster as dg

from pipelines.partitions import billing_month, billing_period
from pipelines.report.monthly import Section, report_sections, write_report
from pipelines.resources_impl import WarehouseResource

MARTS = ["fct_headline_monthly", "fct_service_costs_monthly", "fct_cost_allocation_daily", "fct_unit_economics_daily",
         "fct_gpu_utilization_hourly", "fct_gpu_efficiency_daily", "fct_egress_daily", "fct_power_rack_hourly",
         "fct_site_energy_daily", "fct_commitment_daily", "fct_commitment_coverage_daily", "fct_cost_anomalies", "fct_budget_status"]


def _markdown(section: Section) -> str:
    parts = [f"**{section.title}**"]
    if section.chart.startswith("<svg"):
        encoded = base64.b64encode(section.chart.encode()).decode()
        parts.append(f"![{section.title}](data:image/svg+xml;base64,{encoded})")
    if section.columns:
        parts.append(section.markdown_table())
    return "\n\n".join(parts)


def _metadata_key(section: Section, index: int) -> str:
    words = "".join(ch if ch.isalnum() else "_" for ch in section.title.split("(")[0].strip().lower())
    return f"{index:02d}_{'_'.join(w for w in words.split('_') if w)}"


def monthly_report(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    month = billing_period(context.partition_key)
    wh = Path(warehouse.path)
    sections = report_sections(wh, month)
    path = write_report(wh, month, wh.parent / "reports", sections)
    metadata: dict[str, dg.MetadataValue] = {"report": dg.MetadataValue.path(str(path))}
    for i, section in enumerate(sections):
        metadata[_metadata_key(section, i)] = dg.MetadataValue.md(_markdown(section))
    return dg.MaterializeResult(metadata=metadata)


@dg.definitions
def report_assets() -> dg.Definitions:
    asset = dg.asset(
        key=["reports", "monthly_report"], group_name="reports", kinds={"html"}, owners=["team:data-platform"],
        partitions_def=billing_month(), deps=[dg.AssetKey(["marts", m]) for m in MARTS],
        description="The month's HTML report (totals, cost per 1,000 requests per service with the unallocated cost "
                    "and its reason, GPU heatmap, idle cost, egress, rack kW, PUE), written beside the warehouse under "
                    "reports/; the same sections are in this asset's metadata.",
    )(monthly_report)
    return dg.Definitions(assets=[asset])
