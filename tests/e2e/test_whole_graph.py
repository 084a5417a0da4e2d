"""The whole graph in-process on the sample period, checked against an independent calculation."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.storage.asset_check_execution_record import AssetCheckExecutionRecordStatus

from tests.cur_totals import amortized_cost, unique_line_items
from tests.e2e.whole_graph_run import WholeGraph, materialize_all
from tests.secret_scan import warehouse_leaks

pytestmark = pytest.mark.e2e


def _manifest_files(sample_dir: Path) -> tuple[list[Path], list[Path]]:
    """(first delivery files, restated delivery files) read straight from the manifests."""
    manifests = sorted((sample_dir / "aws_cur").rglob("*-Manifest.json"),
                       key=lambda p: json.loads(p.read_text())["deliveryTime"])
    files = [[sample_dir / "aws_cur" / u.split("/cur/", 1)[1] for u in json.loads(m.read_text())["dataFiles"]]
             for m in manifests]
    return files[0], files[-1]


def _aws_egress_class(product: str, utype: str, operation: str) -> str | None:
    """The CID first-match rules and the receiving-side rule, written again in Python for the check."""
    if "Bytes" not in utype and "DataXfer" not in utype or "TimedStorage" in utype:
        return None
    if utype.endswith("-In-Bytes") or "DataXfer-In" in utype or operation == "InterZone-In":
        return "inbound"
    rules = [(product == "AmazonCloudFront", "cdn"), (product == "AWSDirectConnect" or "DataXfer" in utype, "direct_connect"),
             (utype.endswith("TransitGateway-Bytes"), "transit_gateway"), ("VpcPeering" in utype, "vpc_peering"),
             (utype.endswith("NatGateway-Bytes"), "nat"), (utype.endswith("DataTransfer-Regional-Bytes"), "inter_az"),
             (utype.endswith(("-AWS-Out-Bytes", "-AWS-In-Bytes")) and utype.count("-") == 4, "inter_region"),
             (utype.endswith("DataTransfer-Out-Bytes"), "internet")]
    return next((cls for hit, cls in rules if hit), "other")


def _expected(files: list[Path]) -> dict[str, object]:
    """Plain Python over the Parquet files: dedupe by line item identity, sum per day with Decimal."""
    rows = 0
    per_day: dict[str, Decimal] = defaultdict(Decimal)
    gpu_hours = Decimal(0)
    egress_gb: dict[str, Decimal] = defaultdict(Decimal)
    gpus = {"p5.48xlarge": 8, "g5.12xlarge": 4}
    for r in unique_line_items(files):
        rows += 1
        per_day[r["line_item_usage_start_date"].date().isoformat()] += Decimal(repr(r["line_item_unblended_cost"]))
        utype = r["line_item_usage_type"] or ""
        itype = r["product_instance_type"]
        if (itype in gpus and r["pricing_unit"] == "Hrs"
                and r["line_item_line_item_type"] in ("Usage", "SavingsPlanCoveredUsage")):
            gpu_hours += Decimal(repr(r["line_item_usage_amount"])) * gpus[itype]
        cls = _aws_egress_class(r["line_item_product_code"], utype, r["line_item_operation"]) if r["line_item_line_item_type"] == "Usage" \
            else None
        if cls:
            egress_gb[cls] += Decimal(repr(r["line_item_usage_amount"]))
    return {"rows": rows, "per_day": dict(per_day), "gpu_hours": gpu_hours, "egress_gb": dict(egress_gb)}


def _expected_commitments(files: list[Path]) -> dict[tuple[str, str], dict[str, Decimal]]:
    """Commitments per (day, ARN) as AWS defines them (Cost and Usage Report, "Understanding Savings Plans" and
    "Reservation line items"). A Savings Plan: each SavingsPlanRecurringFee line item is one hour of the plan with
    its total commitment to date and the part eligible usage used; SavingsPlanCoveredUsage line items carry the
    on-demand cost of the covered usage. A reservation: its RIFee line item covers the billing period with the
    recurring fee (its cost) and the amortized upfront fee, less their unused parts, shared among the period's days
    by hours, up to the newest day of usage in the bill; DiscountedUsage line items carry the public on-demand cost of the usage it covered."""
    out: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(
        lambda: {"hours": Decimal(0), "commitment": Decimal(0), "used": Decimal(0), "covered": Decimal(0)})
    newest_usage = max(r["line_item_usage_start_date"] for r in unique_line_items(files)
                       if r["line_item_line_item_type"] in ("Usage", "DiscountedUsage", "SavingsPlanCoveredUsage"))
    for r in unique_line_items(files):
        kind = r["line_item_line_item_type"]
        arn = r["savings_plan_savings_plan_a_r_n"] or r.get("reservation_reservation_a_r_n")
        if not arn:
            continue
        start = r["line_item_usage_start_date"]
        if kind == "RIFee":
            end = r["line_item_usage_end_date"]
            total = Decimal(repr(r["line_item_unblended_cost"])) + Decimal(
                repr(r["reservation_amortized_upfront_fee_for_billing_period"]))
            unused = Decimal(repr(r["reservation_unused_recurring_fee"])) + Decimal(
                repr(r["reservation_unused_amortized_upfront_fee_for_billing_period"]))
            period_h = Decimal((end - start).total_seconds()) / 3600
            t = start
            while t < end:
                day_h = Decimal((min(end, datetime.combine(t.date() + timedelta(days=1), datetime.min.time()))
                                 - t).total_seconds()) / 3600
                if t.date() > newest_usage.date():  # the month's days to come are not shown yet
                    break
                day = out[(t.date().isoformat(), arn)]
                day["hours"] += day_h
                day["commitment"] += total * day_h / period_h
                day["used"] += (total - unused) * day_h / period_h
                t += timedelta(hours=float(day_h))
            continue
        day = out[(start.date().isoformat(), arn)]
        if kind == "SavingsPlanRecurringFee":
            day["hours"] += 1
            day["commitment"] += Decimal(repr(r["savings_plan_total_commitment_to_date"]))
            day["used"] += Decimal(repr(r["savings_plan_used_commitment"]))
        elif kind == "SavingsPlanCoveredUsage":
            day["covered"] += Decimal(repr(r["line_item_unblended_cost"]))
        elif kind == "DiscountedUsage":
            day["covered"] += Decimal(repr(r["pricing_public_on_demand_cost"]))
    return {k: v for k, v in out.items() if v["hours"]}


def _gcp_export_rows(sample_dir: Path) -> list[dict]:
    return [json.loads(line) for f in sorted((sample_dir / "gcp_billing").rglob("*.ndjson"))
            for line in f.read_text().splitlines()]


def _gcp_covered_units(r: dict) -> Decimal:
    """The units of an export row a resource-based committed use discount covered: its credit of type
    COMMITTED_USAGE_DISCOUNT cancels the on-demand cost of the covered units (Cloud Billing export, credits.type)."""
    credit = sum((Decimal(repr(c["amount"])) for c in r["credits"] if c["type"] == "COMMITTED_USAGE_DISCOUNT"),
                 Decimal(0))
    cost = Decimal(repr(r["cost"]))
    return Decimal(repr(r["usage"]["amount_in_pricing_units"])) * -credit / cost if credit and cost else Decimal(0)


def _gcp_commitment_key(r: dict) -> tuple[str, str, str]:
    """(region, resource, hour) an export row commits or draws on: a fee SKU "Commitment v1: <resource> in <geo> for
    N Year" names its resource; a usage SKU "<resource> running in <geo>" names its own ("A2 Instance Core" is the
    "A2 Cpu" a commitment names)."""
    sku = r["sku"]["description"]
    resource = (sku.removeprefix("Commitment v1: ").split(" in ")[0] if sku.startswith("Commitment v1: ") else
                sku.split(" running in ")[0].replace(" Instance Core", " Cpu").replace(" Instance Ram", " Ram"))
    return r["location"]["region"], resource, r["usage_start_time"]


def _gcp_amortized(sample_dir: Path) -> list[tuple[dict, Decimal]]:
    """Every export row with its amortized cost, as FOCUS amortizes a commitment: net cost (cost + credits), plus, on
    usage a committed use discount covered, the hour's fee of its commitment x the row's covered units / the
    commitment's committed units (or the covered units, when usage exceeds them); a fee row keeps only the part
    usage left unused."""
    rows = _gcp_export_rows(sample_dir)
    fees: dict[tuple, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    covered: dict[tuple, Decimal] = defaultdict(Decimal)
    key = _gcp_commitment_key
    for r in rows:
        if r["sku"]["description"].startswith("Commitment v1: "):
            fees[key(r)][0] += Decimal(repr(r["cost"]))
            fees[key(r)][1] += Decimal(repr(r["usage"]["amount_in_pricing_units"]))
        else:
            covered[key(r)] += _gcp_covered_units(r)
    out = []
    for r in rows:
        net = Decimal(repr(r["cost"])) + sum((Decimal(repr(c["amount"])) for c in r["credits"]), Decimal(0))
        fee, units = fees.get(key(r), (Decimal(0), Decimal(0)))
        if r["sku"]["description"].startswith("Commitment v1: "):
            out.append((r, net * (1 - min(Decimal(1), covered[key(r)] / units))))
        elif units and _gcp_covered_units(r):
            out.append((r, net + fee * _gcp_covered_units(r) / max(units, covered[key(r)])))
        else:
            out.append((r, net))
    return out


def _expected_gcp_commitments(sample_dir: Path) -> dict[tuple[str, str], dict[str, Decimal]]:
    """GCP commitments per (day, region: fee SKU): each "Commitment v1: <resource> in <geo> for N Year" row is an hour
    of the commitment (its usage = the committed units); usage SKUs of the same resource ("A2 Instance Core" is the
    "A2 Cpu" a commitment names) in that region and hour draw on it. Used = fee x min(1, covered / committed)."""
    fees: dict[tuple, dict] = {}
    covered: dict[tuple, Decimal] = defaultdict(Decimal)
    on_demand: dict[tuple, Decimal] = defaultdict(Decimal)
    for r in _gcp_export_rows(sample_dir):
        key = _gcp_commitment_key(r)
        if r["sku"]["description"].startswith("Commitment v1: "):
            fees[key] = {"sku": r["sku"]["description"], "cost": Decimal(repr(r["cost"])),
                         "units": Decimal(repr(r["usage"]["amount_in_pricing_units"]))}
            continue
        covered[key] += _gcp_covered_units(r)
        on_demand[key] -= sum((Decimal(repr(c["amount"])) for c in r["credits"]
                               if c["type"] == "COMMITTED_USAGE_DISCOUNT"), Decimal(0))
    out: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(
        lambda: {"hours": Decimal(0), "commitment": Decimal(0), "used": Decimal(0), "covered": Decimal(0)})
    for (region, resource, hour), fee in fees.items():
        day = out[(hour[:10], f"{region}: {fee['sku']}")]
        day["hours"] += 1
        day["commitment"] += fee["cost"]
        day["used"] += fee["cost"] * min(Decimal(1), covered[(region, resource, hour)] / fee["units"])
        day["covered"] += on_demand[(region, resource, hour)]
    return dict(out)


def _expected_coverage(files: list[Path], sample_dir: Path) -> dict[tuple, dict[str, Decimal]]:
    """GPU-hours per (day, service, GPU model) by how they were bought. AWS: GPU instance-hours x GPUs, committed
    when the line is SavingsPlanCoveredUsage, spot when its pricing term is Spot; GCP: the hours of its GPU SKUs,
    committed as far as a committed use discount credit covered them; on-prem: the GPU-hours telemetry observed."""
    from collectors.samples import world

    shapes = {"p5.48xlarge": (8, "H100"), "g5.12xlarge": (4, "A10G")}
    out: dict[tuple, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in unique_line_items(files):
        kind, itype = r["line_item_line_item_type"], r["product_instance_type"]
        if itype not in shapes or r["pricing_unit"] != "Hrs" or kind not in ("Usage", "SavingsPlanCoveredUsage"):
            continue
        gpus, model = shapes[itype]
        bought = "committed" if kind == "SavingsPlanCoveredUsage" else "spot" if r["pricing_term"] == "Spot" \
            else "on_demand"
        service = dict(r["resource_tags"] or []).get("user_service") or "untagged"
        key = (r["line_item_usage_start_date"].date().isoformat(), service, model)
        out[key][bought] += Decimal(repr(r["line_item_usage_amount"])) * gpus
    for f in sorted((sample_dir / "gcp_billing").rglob("*.ndjson")):
        for line in f.read_text().splitlines():
            r = json.loads(line)
            sku = r["sku"]["description"]
            if not (sku.startswith("Nvidia") and " GPU running in " in sku):
                continue
            model = next(m for m in ("H100", "A100", "L4") if m in sku)
            service = next((lb["value"] for lb in r["labels"] if lb["key"] == "service"), "untagged")
            bought = "spot" if ("Spot" in sku or "Preemptible" in sku) else "on_demand"
            hours, committed = Decimal(repr(r["usage"]["amount_in_pricing_units"])), _gcp_covered_units(r)
            out[(r["usage_start_time"][:10], service, model)]["committed"] += committed
            out[(r["usage_start_time"][:10], service, model)][bought] += hours - committed
    # on-prem: each GPU-hour telemetry observed (the share of its minutes with a sample), for the workload whose pod
    # held the GPU that hour, else untagged
    from tests.e2e.test_fleet_marts import _gpu_minutes

    onprem = {world.gpu_uuid(h, g): h for h in world.HOSTS if h.provider == "onprem" for g in range(h.gpu_count)}
    seen, held = _gpu_minutes(sample_dir)
    for (hour, uuid), minutes in seen.items():
        if uuid in onprem:
            model = next(m for m in ("H100", "A100", "A10G") if m in onprem[uuid].gpu_model.name)
            service = next(iter(held[(hour, uuid)].values()))[0] if held.get((hour, uuid)) else "untagged"
            out[(hour.date().isoformat(), service, model)]["on_prem"] += Decimal(min(60, len(minutes))) / 60
    return out


def _expected_recommendation(files: list[Path], percentile: float = 0.10, month_hours: int = 730) -> dict:
    """Baseline vs burst per (region, GPU model), from the bill: GPU-hours each hour of on-demand and committed
    usage (spot left out; an hour without usage is 0) over every hour the bill covers (under the 30-day look-back),
    their 10th percentile (linear interpolation), the mean already committed, and the rates the bill shows: on demand
    = cost / GPU-hours of on-demand and plan-covered lines; committed = the plan's effective cost per covered GPU-hour,
    else the plan's discount (effective / on-demand cost of everything it covered) applied to the on-demand rate."""
    import numpy as np

    shapes = {"p5.48xlarge": (8, "H100"), "g5.12xlarge": (4, "A10G")}
    used: dict[tuple, dict] = defaultdict(lambda: defaultdict(Decimal))
    committed: dict[tuple, dict] = defaultdict(lambda: defaultdict(Decimal))
    od_cost, od_hours, c_cost, c_hours = (defaultdict(Decimal) for _ in range(4))
    plan_effective = plan_on_demand = Decimal(0)
    hours = set()
    for r in unique_line_items(files):
        kind, itype = r["line_item_line_item_type"], r["product_instance_type"]
        if itype not in shapes or r["pricing_unit"] != "Hrs" or r["pricing_term"] == "Spot" \
                or kind not in ("Usage", "SavingsPlanCoveredUsage", "DiscountedUsage"):
            continue
        gpus, model = shapes[itype]
        key, hour = (r["product_region_code"], model), r["line_item_usage_start_date"]
        hours.add(hour)
        gpu_hours = Decimal(repr(r["line_item_usage_amount"])) * gpus
        used[key][hour] += gpu_hours
        if kind in ("Usage", "SavingsPlanCoveredUsage"):
            od_cost[key] += Decimal(repr(r["line_item_unblended_cost"]))
            od_hours[key] += gpu_hours
        if kind == "SavingsPlanCoveredUsage":
            committed[key][hour] += gpu_hours
            effective = Decimal(repr(r["savings_plan_savings_plan_effective_cost"]))
            c_cost[key] += effective
            c_hours[key] += gpu_hours
            plan_effective += effective
            plan_on_demand += Decimal(repr(r["line_item_unblended_cost"]))
    every_hour = [min(hours) + timedelta(hours=h) for h in range(int((max(hours) - min(hours)).total_seconds() // 3600) + 1)]
    out = {}
    for key in used:
        series = [float(used[key].get(h, 0)) for h in every_hour]
        baseline = float(np.quantile(series, percentile))
        committed_now = sum(float(committed[key].get(h, 0)) for h in every_hour) / len(every_hour)
        on_demand = od_cost[key] / od_hours[key]
        rate = c_cost[key] / c_hours[key] if c_hours[key] else on_demand * plan_effective / plan_on_demand
        to_commit = max(baseline - committed_now, 0.0)
        out[key] = {"hours": len(every_hour), "baseline": baseline, "committed": committed_now, "to_commit": to_commit,
                    "on_demand": on_demand, "rate": rate,
                    "saving": Decimal(repr(to_commit)) * month_hours * (on_demand - rate)}
    return out


GPUS_PER_INSTANCE = {"g5.12xlarge": 4, "p5.48xlarge": 8}  # AWS's instance type pages


def _expected_interruptions(files: list[Path], sample_dir: Path, checkpoint_h: float = 1.0,
                            window_h: float = 6) -> dict[tuple, dict[str, object]]:
    """Per (day, account, zone, type): spot instance-hours and the interruptions the README defines, from the
    restated CUR lines and the EC2 inventory pages."""
    reasons = {i["InstanceId"]: (i.get("StateReason") or {}).get("Code")
               for page in (sample_dir / "inventory" / "ec2").rglob("page-*.json")
               for res in json.loads(page.read_text())["Reservations"] for i in res["Instances"]}
    hours: dict[str, list[tuple]] = defaultdict(list)
    newest = None
    for r in unique_line_items(files):
        if r["line_item_line_item_type"] != "Usage":
            continue
        newest = max(newest or r["line_item_usage_end_date"], r["line_item_usage_end_date"])
        if r["pricing_term"] == "Spot" and r["line_item_resource_id"]:
            hours[r["line_item_resource_id"]].append((r["line_item_usage_start_date"], r["line_item_usage_amount"],
                                                     r["line_item_usage_account_id"], r["line_item_availability_zone"],
                                                     r["product_instance_type"]))
    out: dict[tuple, dict[str, object]] = defaultdict(lambda: {"hours": 0.0, "interruptions": 0, "lost": 0.0,
                                                               "lost_gpu": 0.0})
    for rid, hs in hours.items():
        hs.sort()
        first, (last, share, account, zone, itype) = hs[0][0], hs[-1][:5]
        for start, amount, *_ in hs:
            out[(start.date(), account, zone, itype)]["hours"] += amount
        ended = last + timedelta(hours=share)
        replaced = any(o != rid and v[0][2:] == (account, zone, itype) and last < v[0][0] <= last + timedelta(
            hours=window_h + 1) for o, v in ((o, sorted(v)) for o, v in hours.items()))
        reason = reasons.get(rid) or ""
        if reason == "Server.SpotInstanceTermination" or (
                ended < newest - timedelta(hours=1) and replaced and not reason.startswith("Client.")):
            run_h = (ended - first).total_seconds() / 3600
            lost = run_h - checkpoint_h * (run_h // checkpoint_h)
            row = out[(last.date(), account, zone, itype)]
            row["interruptions"] += 1
            row["lost"] += lost
            row["lost_gpu"] += lost * GPUS_PER_INSTANCE[itype]
    return dict(out)


def _expected_gcp(sample_dir: Path) -> dict[str, object]:
    """Plain Python over the exported NDJSON: net cost = cost + credits, per usage day; every line is one row."""
    per_day: dict[str, Decimal] = defaultdict(Decimal)
    rows = 0
    gpu_hours = Decimal(0)
    for f in sorted((sample_dir / "gcp_billing").rglob("*.ndjson")):
        for line in f.read_text().splitlines():
            r = json.loads(line)
            rows += 1
            net = Decimal(repr(r["cost"])) + sum((Decimal(repr(c["amount"])) for c in r["credits"]), Decimal(0))
            per_day[r["usage_start_time"][:10]] += net
            # a GPU SKU bills GPU-hours: its usage in pricing units (hour)
            if r["sku"]["description"].startswith("Nvidia") and " GPU running in " in r["sku"]["description"]:
                gpu_hours += Decimal(repr(r["usage"]["amount_in_pricing_units"]))
    return {"rows": rows, "per_day": dict(per_day), "gpu_hours": gpu_hours}


def _expected_spot(sample_dir: Path, files: list[Path]) -> dict[str, dict[str, Decimal]]:
    """Spot hours of the bill per day: paid, on-demand cost, savings, and the market price of the same hours read
    from the recorded DescribeSpotPriceHistory pages (last change at or before the hour)."""
    changes: dict[tuple[str, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for page in sorted((sample_dir / "spot_prices").rglob("page-*.json")):
        for item in json.loads(page.read_text())["SpotPriceHistory"]:
            ts = item["Timestamp"].replace("+00:00", "").replace("Z", "")
            changes[(item["AvailabilityZone"], item["InstanceType"])].append((ts, Decimal(item["SpotPrice"])))
    out: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for r in unique_line_items(files):
        if r["pricing_term"] != "Spot":
            continue
        day = out[r["line_item_usage_start_date"].date().isoformat()]
        hours = Decimal(repr(r["line_item_usage_amount"]))
        day["hours"] += hours
        day["paid"] += Decimal(repr(r["line_item_unblended_cost"]))
        day["on_demand"] += Decimal(repr(r["pricing_public_on_demand_cost"]))
        hour = r["line_item_usage_start_date"].replace(minute=0, second=0).isoformat()
        prior = [p for t, p in sorted(changes[(r["line_item_availability_zone"], r["product_instance_type"])])
                 if t <= hour]
        if prior:
            day["market"] += prior[-1] * hours
        else:
            day["hours_without_market_price"] += hours
    return out


def _q(path: Path, sql: str) -> list[tuple]:
    conn = duckdb.connect(str(path), read_only=True)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_the_sample_month_materializes_green_and_reports_its_budget_alerts(whole_graph: WholeGraph) -> None:
    """The shared build: every check passes; the sample's budgets warn (the whole bill's forecast passes 80 % of its
    budget, batch-eval's month is over its $100) and their alerts, refused by the receiver, are recorded as not
    delivered; the webhook's secret path is nowhere in the warehouse."""
    summary, instance, receiver = whole_graph.summary, whole_graph.instance, whole_graph.receiver
    assert summary.success and summary.checks_failed == []
    assert sorted(c for c in summary.checks_warned if ":budget_" in c) == [
        "marts/fct_budget_status:budget_all_cloud", "marts/fct_budget_status:budget_batch_eval_experiments"]
    assert len(receiver.received) >= 2
    for name in ("budget_all_cloud", "budget_batch_eval_experiments"):
        [record] = instance.event_log_storage.get_asset_check_execution_history(
            dg.AssetCheckKey(dg.AssetKey(["marts", "fct_budget_status"]), name), limit=1)
        alert = record.event.dagster_event.event_specific_data.metadata["alert"].value
        assert alert.startswith("not delivered: 127.0.0.1 answered HTTP 503"), alert
    assert warehouse_leaks(whole_graph.warehouse, "planted-webhook-token") == []
    assert {"marts/fct_cost:reconciles_to_source_files", "marts/fct_cost:gx_suite", "raw/aws_spot_prices:rows_accounted_for",
            "raw/gcp_billing_export:gx_suite"} <= set(summary.checks_run)


def test_marts_match_an_independent_calculation(built: Path, sample_dir: Path) -> None:
    first, restated = _manifest_files(sample_dir)
    expected = _expected(restated)
    first_expected = _expected(first)
    gcp = _expected_gcp(sample_dir)

    counts = dict(_q(built, "select provider_name, count(*) from marts.fct_cost group by 1"))
    assert counts == {"AWS": expected["rows"], "Google Cloud": gcp["rows"]}
    per_day = dict(_q(built, "select cast(charge_date as varchar), sum(billed_cost) from marts.fct_cost_daily "
                             "where provider_name = 'AWS' group by 1"))
    assert per_day == {d: v.quantize(Decimal("1e-10")) for d, v in expected["per_day"].items()}
    gcp_per_day = dict(_q(built, "select cast(charge_date as varchar), sum(billed_cost) from marts.fct_cost_daily "
                                 "where provider_name = 'Google Cloud' group by 1"))
    assert gcp_per_day == {d: v.quantize(Decimal("1e-10")) for d, v in gcp["per_day"].items()}
    # billed - effective per provider: on AWS the reservation's month of recurring fee (billed from the 1st) less
    # the effective cost of the hours it covered so far, which include its upfront fee; nothing else on either
    views = dict(_q(built, "select provider_name, sum(billed_cost) - sum(effective_cost) from marts.fct_cost group by 1"))
    aws_diff = sum((Decimal(repr(r["line_item_unblended_cost"])) - amortized_cost(r) for r in unique_line_items(restated)),
                   Decimal(0))
    assert views == {"AWS": aws_diff.quantize(Decimal("1e-10")), "Google Cloud": 0} and aws_diff != 0
    # the restated delivery is the one counted, once: its days differ from the first delivery's
    assert any(first_expected["per_day"].get(d) != v for d, v in expected["per_day"].items())
    gpu_hours = dict(_q(built, "select provider_name, sum(gpu_hours) from marts.fct_gpu_instance_hours_daily group by 1"))
    assert gpu_hours == {"AWS": expected["gpu_hours"], "Google Cloud": gcp["gpu_hours"]}
    egress = dict(_q(built, "select egress_class, sum(gb) from marts.fct_egress_daily "
                            "where provider = 'AWS' group by 1"))
    assert egress == {c: v.quantize(Decimal("1e-10")) for c, v in expected["egress_gb"].items()}
    assert {"internet", "cdn", "nat", "transit_gateway", "direct_connect", "inter_az", "inter_region"} <= egress.keys()
    gcp_egress = dict(_q(built, "select destination, sum(gb) from marts.fct_egress_daily "
                                "where provider = 'Google Cloud' and egress_class = 'internet' group by 1"))
    assert set(gcp_egress) == {"Americas", "EMEA"}  # the old and the new SKU wording
    commitments = {(d, arn): (hours, cost, used, unused, utilization, covered, saved)
                   for d, arn, hours, cost, used, unused, utilization, covered, saved in _q(
                       built, "select cast(charge_date as varchar), commitment_id, commitment_hours, commitment_cost, "
                              "used_commitment, unused_commitment, utilization, covered_on_demand_cost, net_savings "
                              "from marts.fct_commitment_daily")}
    expected_sp = _expected_commitments(restated) | _expected_gcp_commitments(sample_dir)
    assert set(commitments) == set(expected_sp) and expected_sp
    for key, e in expected_sp.items():
        hours, cost, used, unused, utilization, covered, saved = commitments[key]
        assert hours == e["hours"] and covered == e["covered"].quantize(Decimal("1e-10")), key
        # a plan's hours sum exactly; a reservation's month is shared among days in double precision (1e-9)
        assert abs(cost - e["commitment"]) < Decimal("1e-9") and abs(used - e["used"]) < Decimal("1e-9"), key
        assert unused == cost - used and saved == covered - cost, key
        assert utilization == pytest.approx(float(e["used"] / e["commitment"]), rel=1e-12)
    # the sample's plan, its RI and the GCP project's two committed use discounts (the A100 all used, 12 of 16 vCPUs)
    assert {arn.split(":")[2] for _, arn in commitments if arn.startswith("arn:")} == {"savingsplans", "ec2"}
    assert {(cid, float(v[4])) for (_, cid), v in commitments.items() if not cid.startswith("arn:")} == {
        ("us-central1: Commitment v1: Nvidia Tesla A100 GPU in Americas for 1 Year", 1.0),
        ("us-central1: Commitment v1: A2 Cpu in Americas for 1 Year", 0.75)}
    assert all(v[3] > 0 for (_, arn), v in commitments.items() if "savingsplan" in arn)  # the plan is not fully used
    assert all(v[3] == 0 for (_, arn), v in commitments.items() if "reserved-instances" in arn)  # the RI: all used
    # GCP amortized: a fee row keeps its unused part, the covered usage carries the used part
    gcp_commitments = [e for (_, cid), e in expected_sp.items() if not cid.startswith("arn:")]
    gcp_views = dict(_q(built, "select charge_category, sum(effective_cost) - sum(billed_cost) from marts.fct_cost "
                               "where provider_name = 'Google Cloud' group by 1"))
    used = sum((e["used"] for e in gcp_commitments), Decimal(0))
    assert gcp_views == {"Purchase": -used, "Usage": used} and used > 0
    coverage = {(d, svc, model): (committed, on_demand, spot, on_prem, share) for d, svc, model, committed, on_demand,
                spot, on_prem, share in _q(built, "select cast(charge_date as varchar), service, gpu_model, "
                                                  "committed_gpu_hours, on_demand_gpu_hours, spot_gpu_hours, "
                                                  "on_prem_gpu_hours, coverage from marts.fct_commitment_coverage_daily")}
    expected_coverage = _expected_coverage(restated, sample_dir)
    assert set(coverage) == set(expected_coverage)
    for key, e in expected_coverage.items():
        committed, on_demand, spot, on_prem, share = coverage[key]
        assert (committed, on_demand, spot) == (e["committed"], e["on_demand"], e["spot"]), key
        assert float(on_prem) == pytest.approx(float(e["on_prem"]), rel=1e-9), key
        eligible = e["committed"] + e["on_demand"]
        assert share == (pytest.approx(float(e["committed"] / eligible)) if eligible else None), key
    # chat-api's H100s: one machine on the plan, one on demand (a day without eligible hours has no coverage)
    assert any(v[4] is not None and 0 < v[4] < 1 for v in coverage.values())
    recommended = {(region, model): rest for region, model, *rest in _q(
        built, "select region_id, gpu_model, hours_observed, baseline_gpu_hours_per_hour, committed_gpu_hours_per_hour, "
               "to_commit_gpu_hours_per_hour, on_demand_rate_per_gpu_hour, committed_rate_per_gpu_hour, monthly_saving "
               "from marts.fct_commitment_recommendation")}
    expected_rec = _expected_recommendation(restated)
    assert set(recommended) == set(expected_rec)
    for key, e in expected_rec.items():
        hours, baseline, committed_now, to_commit, on_demand, rate, saving = recommended[key]
        assert hours == e["hours"] and on_demand == e["on_demand"].quantize(Decimal("1e-10")), key
        assert (baseline, committed_now, to_commit) == pytest.approx((e["baseline"], e["committed"], e["to_commit"])), key
        assert abs(rate - e["rate"]) < Decimal("1e-9") and abs(saving - e["saving"]) < Decimal("0.01"), key
    assert all(r[-1] > 0 for r in recommended.values())  # one p5 on demand beside the plan's: commit it
    # the forecast: the month so far plus the last 7 days' mean daily cost for the days left (October has 31)
    daily_cost: dict[tuple, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for day, service, cur, cost in _q(built, "select cast(charge_date as varchar), tag_service, billing_currency, "
                                             "net_effective_cost from marts.fct_cost_daily"):
        for who in (service, "all services"):
            daily_cost[(who, cur)][day] += cost
    forecasts = {(svc, cur): rest for svc, cur, *rest in _q(
        built, "select service, billing_currency, cast(as_of_date as varchar), month_to_date, forecast, "
               "interval_half_width from marts.fct_cost_forecast")}
    newest = max(d for days in daily_cost.values() for d in days)
    days = [f"2026-10-{n:02d}" for n in range(1, int(newest[-2:]) + 1)]
    assert set(forecasts) == set(daily_cost)
    for key, by_day in daily_cost.items():
        as_of, to_date, forecast, half = forecasts[key]
        window = [float(by_day.get(d, 0)) for d in days[-7:]]
        mean = sum(window) / len(window)
        assert as_of == newest and to_date == sum(by_day.values()), key
        assert float(forecast) == pytest.approx(float(to_date) + mean * (31 - len(days)), rel=1e-9), key
        sd = (sum((x - mean) ** 2 for x in window) / (len(window) - 1)) ** 0.5
        assert float(half) == pytest.approx(1.96 * sd * (31 - len(days)) ** 0.5, rel=1e-6, abs=1e-9), key
    # anomalies: three days are too few to judge (five needed); each series is the day's cost without credits
    judged = _q(built, "select day, provider, account, service, currency, actual, baseline_method, is_anomaly "
                       "from marts.fct_cost_anomalies where metric = 'daily_cost'")
    series: dict[tuple, Decimal] = defaultdict(Decimal)
    for day, provider, account, service, cur, category, cost in _q(
            built, "select charge_date, provider_name, sub_account_id, tag_service, billing_currency, "
                   "charge_category, net_effective_cost from marts.fct_cost_daily"):
        if category not in ("Credit", "Adjustment"):
            series[(day, provider, account, service or "untagged", cur)] += cost
    assert {tuple(r[:5]): r[5] for r in judged} == series
    assert {(r[6], r[7]) for r in judged} == {("insufficient_history", False)}
    # spot interruptions: the sample's reclaimed training worker, 38.4 h after its first billed hour
    got_spot = {(d, a, z, t): r for d, a, z, t, *r in _q(
        built, "select day, sub_account_id, availability_zone, instance_type, spot_instance_hours, interruptions, "
               "lost_instance_hours, lost_gpu_hours, interruption_rate_per_1k_instance_hours "
               "from marts.fct_spot_interruptions_daily")}
    expected_spot = _expected_interruptions(restated, sample_dir)
    assert got_spot.keys() == expected_spot.keys()
    for key, e in expected_spot.items():
        hours, n, lost, lost_gpu, rate = got_spot[key]
        assert hours == pytest.approx(e["hours"]) and n == e["interruptions"], key
        assert (lost, lost_gpu) == pytest.approx((e["lost"], e["lost_gpu"])), key
        assert rate == pytest.approx(n * 1000 / e["hours"]), key
    assert sum(e["interruptions"] for e in expected_spot.values()) == 1
    assert [round(e["lost"], 6) for e in expected_spot.values() if e["interruptions"]] == [0.4]
    # budgets: a service budget's month to date and forecast are the forecast mart's for that service (one method)
    budgets = {r[0]: r[1:] for r in _q(built, "select budget_name, actual, forecast, status from marts.fct_budget_status")}
    assert {n: b[2] for n, b in budgets.items()} == {"all-cloud": "warn", "chat-api": "ok",
                                                     "batch-eval-experiments": "over", "ml-research-account": "ok"}
    for name, service in (("chat-api", "chat-api"), ("batch-eval-experiments", "batch-eval"),
                          ("all-cloud", "all services")):
        _, to_date, forecast, _ = forecasts[(service, "USD")]
        assert budgets[name][:2] == (to_date, forecast), name
    dupes = _q(built, "select count(*) from quarantine.aws_cur_line_items where reason like 'duplicate%'")[0][0]
    assert dupes > 0
    assert _q(built, "select count(*) from (select cost_id from marts.fct_cost group by 1 having count(*) > 1)") == [(0,)]


def _expected_onprem(sample_dir: Path, energy: dict[str, tuple], rack_kwh: dict[tuple, Decimal]) -> dict:
    """Each on-prem host's day from the register CSV and the topology file, by the rules the README gives: straight
    line (cost - residual) / months, each month's amount shared by its days; support per month likewise; the rack's
    own depreciation, support and space fee shared equally by the hosts the topology puts in it; energy = the rack's
    metered kWh / its hosts x PUE at the day's average facility price (the power marts' figures)."""
    import calendar
    import csv
    from datetime import date

    import yaml

    topology = yaml.safe_load((sample_dir / "power" / "topology.yaml").read_text())
    rack_of = {h: rack for site in topology["sites"].values() for room in site["rooms"].values()
               for rack, spec in room["racks"].items() for h in spec["hosts"]}
    per_rack = {r: sum(1 for h in rack_of.values() if h == r) for r in set(rack_of.values())}
    register = {(r["kind"], r["asset"]): r for r in csv.DictReader((sample_dir / "power" / "hardware_register.csv").open())}

    def monthly(row: dict, day: date) -> tuple[Decimal, Decimal, Decimal]:
        days = Decimal(calendar.monthrange(day.year, day.month)[1])
        bought = date.fromisoformat(row["purchase_date"])
        months = int(row["depreciation_months"])
        end = date(bought.year + (bought.month - 1 + months) // 12, (bought.month - 1 + months) % 12 + 1, bought.day)
        depreciation = (Decimal(row["purchase_cost"]) - Decimal(row["residual_value"])) / months \
            if bought <= day < end else Decimal(0)
        return depreciation / days, Decimal(row["support_per_month"]) / days, Decimal(row["space_per_month"]) / days

    out = {}
    for day_text, (pue, price) in energy.items():
        day = date.fromisoformat(day_text)
        for host, rack in rack_of.items():
            dep, support, space = monthly(register[("host", host)], day)
            r_dep, r_support, r_space = monthly(register[("rack", rack)], day)
            kwh = rack_kwh[(day_text, rack)] / per_rack[rack]
            out[(day_text, host)] = {"depreciation": dep, "support": support,
                                     "rack": space + (r_dep + r_support + r_space) / per_rack[rack],
                                     "energy": kwh * price, "cooling": kwh * (pue - 1) * price}
    return out


def test_onprem_cost_and_its_allocation_match_the_register(built: Path, sample_dir: Path) -> None:
    from collectors.samples import world

    energy = {d: (Decimal(repr(pue)), cost / Decimal(repr(kwh))) for d, pue, cost, kwh in _q(
        built, "select cast(day as varchar), pue, energy_cost, facility_kwh_metered from marts.fct_site_energy_daily")}
    rack_kwh = {(d, r): Decimal(repr(k)) for d, r, k in _q(
        built, "select cast(cast(hour_start as date) as varchar), rack, sum(kwh) from marts.fct_power_rack_hourly "
               "group by all")}
    expected = _expected_onprem(sample_dir, energy, rack_kwh)
    got = {(d, h): r for d, h, *r in _q(built, "select cast(day as varchar), host, depreciation_cost, support_cost, "
                                              "rack_cost, energy_cost, cooling_cost, total_cost, gpus, gpu_hours, "
                                              "cost_per_gpu_hour from marts.fct_onprem_cost_daily")}
    assert got.keys() == expected.keys() and expected
    host = next(h for h in world.HOSTS if h.provider == "onprem")
    for key, e in expected.items():
        dep, support, rack, energy_cost, cooling, total, gpus, gpu_hours, per_gpu_hour = got[key]
        assert abs(dep - e["depreciation"]) < Decimal("1e-9") and abs(support - e["support"]) < Decimal("1e-9"), key
        assert abs(rack - e["rack"]) < Decimal("1e-9"), key
        assert float(energy_cost) == pytest.approx(float(e["energy"]), rel=1e-9), key
        assert float(cooling) == pytest.approx(float(e["cooling"]), rel=1e-9), key
        assert total == dep + support + rack + energy_cost + cooling
        assert (gpus, gpu_hours) == (host.gpu_count, host.gpu_count * 24)
        assert per_gpu_hour == pytest.approx(float(total) / (host.gpu_count * 24))
    # October: 6,000 a month of depreciation ((320,000 - 32,000) / 48) over 31 days
    assert {round(v[0], 6) for v in got.values()} == {Decimal("193.548387")}
    # the hosts' cost flows into allocation: on-prem rows sum to it exactly, by GPU time held
    allocated = _q(built, "select sum(net_billed_cost), sum(net_effective_cost) from marts.fct_cost_allocation_daily "
                          "where provider_name = 'On-prem'")[0]
    total = sum(v[5] for v in got.values())
    assert allocated == (total, total) and total > 0
    services = dict(_q(built, "select service, sum(net_effective_cost) from marts.fct_cost_allocation_daily "
                              "where provider_name = 'On-prem' group by 1"))
    # chat-api's share of each day: the minutes its pods held the host's GPUs (from the answers) over 8 x 24 hours
    from tests.e2e.test_telemetry_marts import _held_minutes

    chat_hours: dict[str, Decimal] = defaultdict(Decimal)
    for (d, _, service), minutes in _held_minutes(sample_dir, {world.gpu_uuid(host, g)
                                                               for g in range(host.gpu_count)}).items():
        if service == host.service:
            chat_hours[d] += Decimal(len(minutes)) / 60
    want_chat = sum((v[5] * chat_hours[d] / 192 for (d, _), v in got.items()), Decimal(0))
    assert abs(services[host.service] - want_chat) < Decimal("1e-6")
    # cloud vs on-prem per GPU-hour: the bill's own rates (an on-demand p5.48xlarge at $98.32 an hour, the plan's
    # effective 64 % of it, for 8 H100s each), the on-prem host's cost over its GPU-hours
    compare = {(m, o): r for m, o, *r in _q(built, "select gpu_model, purchase_option, gpu_hours, cost, "
                                                  "cost_per_gpu_hour, observed_share, cost_per_active_gpu_hour "
                                                  "from marts.fct_gpu_hour_price_comparison")}
    assert compare[("H100", "on_demand")][2] == pytest.approx(98.32 / 8)
    assert compare[("H100", "committed")][2] == pytest.approx(98.32 * 0.64 / 8)
    onprem_hours = Decimal(host.gpu_count * 24 * len(got))
    assert tuple(compare[("H100", "on_prem")][:2]) == (onprem_hours, total)
    assert compare[("H100", "on_prem")][2] == pytest.approx(float(total / onprem_hours))
    # per active GPU-hour only observed machines count (chat-api's on-demand p5 was held every hour: its own rate;
    # a machine without telemetry, like a week-long sample's planted spike instance, lowers observed_share instead)
    assert 0 < compare[("H100", "on_demand")][3] <= 1
    assert compare[("H100", "on_demand")][4] == pytest.approx(98.32 / 8)
    # the GCP A100 is covered by its committed use discount: its VM's amortized cost per GPU-hour
    gcp_vm = _q(built, "select sum(net_effective_cost) / sum(gpu_hours) from marts.fct_gpu_instance_hours_daily "
                       "where provider_name = 'Google Cloud'")[0][0]
    assert compare[("A100", "committed")][2] == pytest.approx(float(gcp_vm))


def test_spot_savings_match_the_bill_and_the_price_feed(built: Path, sample_dir: Path) -> None:
    _, restated = _manifest_files(sample_dir)
    expected = _expected_spot(sample_dir, restated)
    # per day over the accounts that ran spot (embeddings' node in ml-prod, research's training workers)
    rows = _q(built, "select cast(charge_date as varchar), sum(spot_hours), sum(price_paid), sum(on_demand_cost), "
                     "sum(savings), sum(market_cost), sum(hours_without_market_price), "
                     "sum(hours_without_on_demand_price) from marts.fct_spot_savings_daily group by 1")
    assert {r[0] for r in rows} == set(expected)
    q = Decimal("1e-8")
    for day, hours, paid, on_demand, savings, market, no_market, no_od in rows:
        e = expected[day]
        assert (hours, paid.quantize(q), on_demand.quantize(q)) == (e["hours"], e["paid"].quantize(q),
                                                                   e["on_demand"].quantize(q)), day
        assert savings.quantize(q) == (e["on_demand"] - e["paid"]).quantize(q)
        assert market.quantize(q) == e["market"].quantize(q) and no_market == e["hours_without_market_price"]
        assert no_od == 0
    # the restated bill charges the market price of each hour: paid equals the price feed where both exist
    full_days = [r for r in rows if r[6] == 0]
    assert full_days and all(abs(r[2] - r[5]) < Decimal("0.0001") for r in full_days)


def test_spot_price_hourly_matches_the_pages_and_the_catalog(built: Path, sample_dir: Path) -> None:
    changes: dict[tuple[str, str], list[tuple[str, Decimal]]] = defaultdict(list)
    for page in sorted((sample_dir / "spot_prices").rglob("page-*.json")):
        for item in json.loads(page.read_text())["SpotPriceHistory"]:
            ts = item["Timestamp"].replace("+00:00", "").replace("Z", "")
            changes[(item["AvailabilityZone"], item["InstanceType"])].append((ts, Decimal(item["SpotPrice"])))
    rows = _q(built, "select availability_zone, instance_type, strftime(hour_start, '%Y-%m-%dT%H:%M:%S'), "
                     "price_per_hour, price_per_gpu_hour from marts.fct_spot_price_hourly where provider_name = 'AWS'")
    gpus = {"p5.48xlarge": 8, "g5.12xlarge": 4}
    for az, itype, hour, price, per_gpu in rows:
        series = sorted(changes[(az, itype)])
        assert price == [p for t, p in series if t <= hour][-1]
        assert per_gpu == (price / gpus[itype]).quantize(Decimal("1e-10"))
    for (az, itype), series in changes.items():  # every hour from the first full hour to the end of the last day
        first = datetime.fromisoformat(min(series)[0]).replace(minute=0, second=0)
        last_day = datetime.fromisoformat(max(series)[0]).date()
        n = int((datetime.combine(last_day, datetime.min.time()) + timedelta(hours=23) - first).total_seconds() // 3600)
        assert sum(1 for r in rows if (r[0], r[1]) == (az, itype)) == n
    gcp = _q(built, "select region, count(*), min(price_per_gpu_hour), max(price_per_gpu_hour) "
                    "from marts.fct_spot_price_hourly where provider_name = 'Google Cloud' group by 1 order by 1")
    days = len(_expected_gcp(sample_dir)["per_day"])
    assert gcp == [(r, days * 24, Decimal("1.1736"), Decimal("1.1736")) for r in ("us-central1", "us-east1")]


def test_every_mart_row_is_as_recorded_before_the_one_shape_redesign(built: Path) -> None:
    """Issue 18 changed the shape of the code, not one figure: every mart of the sample month has the rows and the
    row-hash sum recorded (tests/e2e/mart_fingerprints.json) from the commit before the redesign."""
    from tests.e2e.mart_fingerprint import RECORDED, mart_fingerprints, same_figures

    assert same_figures(mart_fingerprints(built), json.loads(RECORDED.read_text())) == []


def test_materializing_twice_is_idempotent(built: Path, instance: dg.DagsterInstance) -> None:
    def snapshot() -> list[tuple]:
        return _q(built, """
            select 'raw', count(*), sum(cast(line_item_unblended_cost as decimal(38,10))) from raw.aws_cur_line_items
            union all select 'fct_cost', count(*), sum(billed_cost) from marts.fct_cost
            union all select 'fct_cost_daily', count(*), sum(effective_cost) from marts.fct_cost_daily
            union all select 'quarantine', count(*), null from quarantine.aws_cur_line_items
            union all select 'gcp_raw', count(*), sum(cost) from raw.gcp_billing_export
            order by 1""")

    before = snapshot()
    assert materialize_all(instance).success
    assert snapshot() == before
    loads = _q(built, "select partition_key, status, rows_loaded, rows_replaced from audit.loads "
                      "where source = 'aws_cur' order by started_at")
    assert [(l[0], l[1]) for l in loads] == [("2026-10", "success")] * 2
    assert loads[1][3] == loads[0][2]  # the second run replaced exactly what the first loaded
    gcp_loads = _q(built, "select rows_read, rows_loaded from audit.loads where source = 'gcp_billing' "
                          "order by started_at")
    assert len(gcp_loads) == 2 and gcp_loads[0][1] > 0
    assert gcp_loads[1] == (0, 0)  # every export file unchanged: not read again, nothing appended twice


def test_materializations_carry_row_counts_columns_and_mart_previews(built: Path, instance: dg.DagsterInstance) -> None:
    def latest(*path: str) -> dict:
        [record] = instance.fetch_materializations(dg.AssetKey(list(path)), limit=1).records
        return record.asset_materialization.metadata

    fct = latest("marts", "fct_cost")
    rows = _q(built, "select count(*) from marts.fct_cost")[0][0]
    assert fct["dagster/row_count"].value == rows
    columns = {c.name: c.type for c in fct["dagster/column_schema"].schema.columns}
    assert columns["billed_cost"] == "DECIMAL(38,10)" and len(columns) == len(_q(built, "describe marts.fct_cost"))
    described = {c.name: c.description for c in fct["dagster/column_schema"].schema.columns}
    assert described["cost_id"].startswith("Provider prefix")  # dbt's column description kept beside the type
    preview = fct["preview"].value.splitlines()
    assert preview[0].startswith("| cost_id | billing_period_start |") and len(preview) == 2 + 10
    staging = latest("staging", "stg_aws_cur__line_items")  # a view: its columns, but no row count (a count
    assert "dagster/row_count" not in staging and "preview" not in staging  # would evaluate it over all history)
    assert {c.name for c in staging["dagster/column_schema"].schema.columns} >= {"line_item_key", "unblended_cost_usd"}


def test_unconfigured_sources_are_marked_and_their_checks_skipped(built: Path, instance: dg.DagsterInstance) -> None:
    """The sample configuration has no legacy CUR and no FOCUS export: their assets say "not configured", and their
    checks yield no result (Dagster resolves them as skipped), never a green pass over no rows."""
    from pipelines.definitions import defs

    graph = defs().resolve_asset_graph()
    unconfigured = [dg.AssetKey(["raw", "aws_cur_legacy_line_items"]), dg.AssetKey(["raw", "focus_cost_rows"])]
    configured = dg.AssetKey(["raw", "aws_cur_line_items"])
    for key in unconfigured:
        node = graph.get(key)
        assert "Not configured here" in node.description and node.metadata["infraledger/configured"] is False
        checks = {c.name for c in graph.asset_check_keys if c.asset_key == key}
        assert {"rows_accounted_for", "matches_manifest_row_count", "gx_suite"} <= checks
        for name in checks:
            [record] = instance.event_log_storage.get_asset_check_execution_history(
                dg.AssetCheckKey(key, name), limit=1)
            assert record.status == AssetCheckExecutionRecordStatus.PLANNED, (key, name, record.status)
    assert "Not configured" not in graph.get(configured).description
    [record] = instance.event_log_storage.get_asset_check_execution_history(
        dg.AssetCheckKey(configured, "gx_suite"), limit=1)
    assert record.status == AssetCheckExecutionRecordStatus.SUCCEEDED


def test_dbt_unit_tests_run_and_pass_on_the_built_warehouse(built: Path, tmp_path: Path) -> None:
    """The dbt unit tests (egress classes, counter increments, cost allocation; the expectations are worked out by hand
    from the providers' and Prometheus' documentation and the allocation rules) pass on the built warehouse: `dbt test
    --select test_type:unit` runs them all by name (a `dbt build` by hand includes them; Dagster's production runs
    leave them to development and CI, as dbt advises)."""
    import json
    import os
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    target = tmp_path / "dbt_target"
    env = {**os.environ, "INFRALEDGER_WAREHOUSE_PATH": str(built), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    proc = subprocess.run([str(Path(sys.executable).parent / "dbt"), "test", "--select", "test_type:unit",
                           "--project-dir", str(repo / "dbt"), "--profiles-dir", str(repo / "dbt"),
                           "--target-path", str(target), "--log-path", str(tmp_path / "dbt_logs")],
                          env=env, capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout[-4000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    # the project's on-run-start hook (it declares the lake's tables on Spark, nothing on DuckDB) is reported too
    assert {r["unique_id"] for r in results if not r["unique_id"].startswith("unit_test.")} == \
        {"operation.infraledger.infraledger-on-run-start-0"}
    ran = {r["unique_id"].split(".")[-1]: r["status"] for r in results if r["unique_id"].startswith("unit_test.")}
    assert ran == {"egress_classes_directions_and_gb": "pass", "counter_increments_resets_and_gaps": "pass",
                   "allocation_by_tag_gpu_time_and_proportion": "pass",
                   "pue_matched_minutes_and_time_of_use_cost": "pass",
                   "commitments_spread_reservation_fees_and_sum_plan_hours": "pass",
                   "forecast_run_rate_and_backtest": "pass",
                   "gcp_commitments_match_fee_and_credits_by_resource_and_hour": "pass",
                   "gcp_commitment_fees_move_onto_the_usage_they_cover": "pass",
                   "machine_gpu_time_by_machine_key": "pass", "team_usage_against_quota": "pass",
                   "capacity_stranded_on_partly_used_nodes": "pass", "points_once_per_series_and_time": "pass"}, ran
