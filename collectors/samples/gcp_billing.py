"""Sample GCP Cloud Billing export rows (detailed/resource schema) as the NDJSON BigQuery writes on export.

Files are grouped by ``export_time`` date, like an incremental export job would write them. Dirt on purpose: one
row of the first day arrives late, in the last file, with a later ``export_time``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path

from collectors.samples import world

TABLE = f"gcp_billing_export_resource_v1_{world.GCP_BILLING_ACCOUNT.replace('-', '_')}"
COMPUTE = {"id": "6F81-5844-456A", "description": "Compute Engine"}
STORAGE = {"id": "95FF-2EF5-5EA1", "description": "Cloud Storage"}
NETWORK = COMPUTE  # GCP bills internet egress of VMs under Compute Engine


# usage.unit amounts per pricing unit, as the export states them (seconds, bytes, byte-seconds).
_PER_PRICING_UNIT = {"hour": 3600.0, "gibibyte": 2.0**30, "gibibyte hour": 2.0**30 * 3600, "gibibyte month": 2.0**30 * 86400 * 30}


def _ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S UTC")


def _row(start: datetime, hours: int, service: dict[str, str], sku: tuple[str, str], cost: float, usage: float,
         unit: str, pricing_unit: str, labels: dict[str, str], resource: str | None, credits: list[dict[str, object]],
         export_delay_h: float, zone: str | None = "us-central1-a",
         system_labels: dict[str, str] | None = None) -> dict[str, object]:
    end = start + timedelta(hours=hours)
    return {
        "billing_account_id": world.GCP_BILLING_ACCOUNT,
        "service": service,
        "sku": {"id": sku[0], "description": sku[1]},
        "usage_start_time": _ts(start),
        "usage_end_time": _ts(end),
        "project": {"id": world.GCP_PROJECT, "number": "381204000117", "name": world.GCP_PROJECT,
                    "labels": [{"key": "env", "value": "prod"}], "ancestry_numbers": "/528416349115/381204000117/"},
        "labels": [{"key": k, "value": v} for k, v in sorted(labels.items())],
        "system_labels": [{"key": k, "value": v} for k, v in sorted((system_labels or {}).items())],
        "location": {"location": "us-central1", "country": "US", "region": "us-central1", "zone": zone},
        "resource": {"name": resource, "global_name": f"//compute.googleapis.com/projects/{world.GCP_PROJECT}/zones/"
                                                     f"us-central1-a/instances/{resource}" if resource else None},
        "tags": [],
        "export_time": _ts(end + timedelta(hours=export_delay_h)),
        "cost": round(cost, 6),
        "currency": "USD",
        "currency_conversion_rate": 1.0,
        "usage": {"amount": usage, "unit": unit, "amount_in_pricing_units": round(usage / _PER_PRICING_UNIT[pricing_unit], 6),
                  "pricing_unit": pricing_unit},
        "credits": credits,
        "invoice": {"month": start.strftime("%Y%m")},
        "cost_type": "regular",
        "adjustment_info": None,
        "cost_at_list": round(cost, 6),
    }


def day_rows(d: date, seed: int) -> list[dict[str, object]]:
    """All export rows whose usage falls on day ``d``."""
    rng = world.rng_for(seed, "gcp", d.isoformat())
    host = next(h for h in world.HOSTS if h.provider == "gcp")
    labels = {"service": host.service, "team": host.team}
    # Compute Engine writes the VM's machine type and shape into the system labels of its rows
    vm = {"compute.googleapis.com/machine_spec": host.instance_type, "compute.googleapis.com/cores": "12",
          "compute.googleapis.com/memory": "87040"}
    rows = []
    for hour in range(24):
        t = world.at(d, hour)
        delay = 3 + rng.random() * 3
        gpu = 2.933908
        rows.append(_row(t, 1, COMPUTE, ("039F-D0DA-4055", "Nvidia Tesla A100 GPU running in Americas"),
                         gpu, 3600.0, "seconds", "hour", labels, host.resource_id,
                         _commitment_credits("Nvidia Tesla A100 GPU running in Americas", 1, gpu), delay,
                         system_labels=vm))
        core = 12 * 0.031611
        rows.append(_row(t, 1, COMPUTE, ("2E92-B8A5-B0F3", "A2 Instance Core running in Americas"),
                         core, 12 * 3600.0, "seconds", "hour", labels, host.resource_id,
                         _commitment_credits("A2 Instance Core running in Americas", 12, core), delay,
                         system_labels=vm))
        ram = 85 * 0.004237
        rows.append(_row(t, 1, COMPUTE, ("5A2D-8A18-9D37", "A2 Instance Ram running in Americas"),
                         ram, 85 * 3600.0 * 2**30, "byte-seconds", "gibibyte hour", labels, host.resource_id,
                         [{"name": "Sustained Usage Discount", "amount": round(-ram * 0.2, 6),
                           "full_name": None, "id": "", "type": "SUSTAINED_USAGE_DISCOUNT"}], delay,
                         system_labels=vm))
        gib = round(4.0 * world.diurnal(t) * (0.9 + 0.2 * rng.random()), 6)
        rows.append(_row(t, 1, NETWORK, ("9DE9-9092-B3BC", "Network Internet Egress from Americas to Americas"),
                         gib * 0.12, gib * 2**30, "bytes", "gibibyte", labels, host.resource_id, [], delay))
        # the newer SKU wording for the same kind of traffic
        rows.append(_row(t, 1, NETWORK, ("F274-1692-F213", "Network Internet Data Transfer Out from Americas to EMEA"),
                         gib * 0.25 * 0.12, gib * 0.25 * 2**30, "bytes", "gibibyte", labels, host.resource_id, [],
                         delay))
    rows.append(_row(world.at(d), 24, STORAGE, ("E5F0-6A5D-7BAD", "Standard Storage US Multi-region"),
                     1800 * 0.026 / 30, 1800 * 2**30 * 86400.0, "byte-seconds", "gibibyte month",
                     {"service": "embeddings", "team": "search"}, None, [], 8, zone=None))
    # the commitments' fees: one row per commitment and hour, regional, on no resource and without labels
    for hour in range(24):
        for sku_id, description, units, rate, _ in world.GCP_COMMITMENTS:
            rows.append(_row(world.at(d, hour), 1, COMPUTE, (sku_id, description), units * rate, units * 3600.0,
                             "seconds", "hour", {}, None, [], 4, zone=None))
    return rows


def _commitment_credits(usage_sku: str, units: float, cost: float) -> list[dict[str, object]]:
    """The credits of one VM usage row: the committed use discount for the units a commitment covers (as much of
    the cost as those units carry), a 20 % sustained use discount on the rest of an eligible (core/RAM) row."""
    committed = sum(c[2] for c in world.GCP_COMMITMENTS if c[4] == usage_sku)
    covered = min(units, committed)
    credits: list[dict[str, object]] = []
    if covered:
        credits.append({"name": "Committed use discount: " + usage_sku.split(" running in ")[0],
                        "amount": round(-cost * covered / units, 6), "full_name": None, "id": "",
                        "type": "COMMITTED_USAGE_DISCOUNT"})
    if covered < units and "Instance" in usage_sku:
        credits.append({"name": "Sustained Usage Discount", "amount": round(-cost * (units - covered) / units * 0.2, 6),
                        "full_name": None, "id": "", "type": "SUSTAINED_USAGE_DISCOUNT"})
    return credits


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    """NDJSON files under ``out/gcp_billing/<table>/`` named by export date; the late row lands in the last one."""
    folder = out / "gcp_billing" / TABLE
    folder.mkdir(parents=True, exist_ok=True)
    all_days = world.days(start, n_days)
    rows = [r for d in all_days for r in day_rows(d, seed)]
    late = rows[5]
    late["export_time"] = _ts(world.at(all_days[-1] + timedelta(days=1), 7, 30))
    by_file: dict[str, list[dict[str, object]]] = {}
    for r in rows:
        by_file.setdefault(r["export_time"][:10], []).append(r)
    for export_date, file_rows in sorted(by_file.items()):
        with open(folder / f"export_date={export_date}.ndjson", "w") as fh:
            for r in sorted(file_rows, key=lambda r: (r["export_time"], r["usage_start_time"], r["sku"]["id"])):
                fh.write(json.dumps(r, sort_keys=True) + "\n")
    return {"gcp_billing_rows": len(rows), "gcp_billing_files": len(by_file)}
