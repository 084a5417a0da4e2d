"""The monthly report as an asset: the HTML file beside the warehouse, and its key charts in the asset's metadata."""

import base64
from pathlib import Path

import dagster as dg

from pipelines.defs.partitions import billing_months
from pipelines.report.monthly import report_sections, write_report
from pipelines.resources_impl import WarehouseResource

MARTS = ["fct_unit_economics_daily", "fct_gpu_utilization_hourly", "fct_gpu_efficiency_daily", "fct_egress_daily",
         "fct_power_rack_hourly", "fct_site_energy_daily"]


def _img(title: str, svg: str) -> str:
    return f"![{title}](data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()})"


@dg.asset(
    key=["reports", "monthly_report"], group_name="reports", kinds={"html"}, owners=["team:data-platform"],
    partitions_def=billing_months, deps=[dg.AssetKey(["marts", m]) for m in MARTS],
    description="The month's HTML report (cost per 1,000 requests, GPU heatmap, idle cost, egress, rack kW, PUE), "
                "written beside the warehouse under reports/; the key charts are in this asset's metadata.",
)
def monthly_report(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    month = context.partition_key[:7]
    wh = Path(warehouse.path)
    path = write_report(wh, month, wh.parent / "reports")
    sections = report_sections(wh, month)
    title, chart, table = sections[0]
    return dg.MaterializeResult(metadata={
        "report": dg.MetadataValue.path(str(path)),
        "cost_per_1k_requests": dg.MetadataValue.md(f"**{title}**\n\n{_img(title, chart)}\n\n{table}"),
        "gpu_activity": dg.MetadataValue.md(_img(sections[1][0], sections[1][1])),
        "rack_kw": dg.MetadataValue.md(_img(sections[4][0], sections[4][1])),
    })


@dg.definitions
def report_assets() -> dg.Definitions:
    return dg.Definitions(assets=[monthly_report])
