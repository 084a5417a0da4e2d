"""Host inventory: EC2 DescribeInstances (live, pages kept in the landing area, or recorded pages) and a hosts CSV
(GKE nodes, on-prem servers), upserted into raw.host_inventory so telemetry hosts meet their bill lines."""

import datetime as dt
from pathlib import Path

import dagster as dg

from collectors.aws.spot_prices import write_pages
from collectors.inventory import ec2 as ec2_inventory
from collectors.inventory.hosts_csv import read_hosts
from collectors.inventory.k8s_nodes import read_nodes
from pipelines.defs.billing.load_checks import load_check_results, load_check_specs
from pipelines.lib import freshness
from pipelines.lib.failures import fail_fast_on_bad_input
from pipelines.resources_impl import InventorySourceResource, WarehouseResource
from warehouse.loaders.inventory import load_inventory

INVENTORY_KEY = dg.AssetKey(["raw", "host_inventory"])


def _judged(path: Path, setting: str, reader) -> tuple[list, list, list[Path]]:
    """(usable rows, (file, line, reason, row) of the others, [path]) of a hosts file or a saved node list."""
    if not path.is_file():
        raise FileNotFoundError(f"sources.inventory.{setting} {path} does not exist")
    good, bad = [], []
    for line, row, reason in reader(path):
        (bad.append((str(path), line, reason, row)) if reason else good.append(row))
    return good, bad, [path]


@dg.asset(
    key=INVENTORY_KEY, freshness_policy=freshness.DAILY, group_name="telemetry", kinds={"aws", "csv", "duckdb"}, owners=["team:data-platform"],
    pool="duckdb", check_specs=load_check_specs(INVENTORY_KEY),
    retry_policy=dg.RetryPolicy(max_retries=2, delay=10, backoff=dg.Backoff.EXPONENTIAL),
    description=(
        "Which billed machine each telemetry host is: EC2 instances (id, type, private DNS name = EKS node name, "
        "Name tag, IP), a hosts CSV for on-prem servers and a saved `kubectl get nodes -o json` (GKE, EKS, on-prem "
        "nodes). Upserted, never deleted."
    ),
)
def host_inventory(context: dg.AssetExecutionContext, warehouse: WarehouseResource,
                   inventory: InventorySourceResource) -> dg.MaterializeResult:
    with fail_fast_on_bad_input():
        loads = []
        if inventory.ec2:
            for region in inventory.ec2_regions:
                if inventory.ec2 == "api":
                    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
                    files = write_pages(ec2_inventory.fetch_pages(inventory.ec2_client(region)),
                                        Path(inventory.landing_dir) / "inventory" / "ec2" / stamp / region)
                else:
                    files = ec2_inventory.recorded_pages(Path(inventory.ec2), region)
                rows = list(ec2_inventory.instances(ec2_inventory.read_pages(files), region))
                loads.append((f"ec2:{region}", rows, [], files))
        for name, setting, reader in (("csv", "hosts_csv", read_hosts), ("kubectl", "kubectl_nodes", read_nodes)):
            if getattr(inventory, setting):
                loads.append((name, *_judged(Path(getattr(inventory, setting)), setting, reader)))
        totals = [0, 0, 0, 0]
        with warehouse.writer() as conn:
            for name, rows, bad, files in loads:
                r = load_inventory(conn, inventory_source=name, rows=rows, bad_rows=bad, files=files)
                for i, v in enumerate((r.rows_read, r.rows_loaded, r.rows_quarantined,
                                        int(r.notes.get("rows_already_loaded", 0)))):
                    totals[i] += v
            known = dict(conn.execute("select provider, count(*) from raw.host_inventory group by 1").fetchall())
        context.log.info(f"inventory: {totals[1]} resources seen, {totals[2]} rows quarantined; known {known}")
        return dg.MaterializeResult(
            metadata={"rows_read": totals[0], "rows_loaded": totals[1], "rows_quarantined": totals[2],
                      "known_by_provider": dg.MetadataValue.json(known), "dagster/row_count": sum(known.values())},
            check_results=load_check_results(totals[0], totals[1], totals[2], None, totals[3]),
        )


@dg.definitions
def inventory_assets() -> dg.Definitions:
    return dg.Definitions(assets=[host_inventory])
