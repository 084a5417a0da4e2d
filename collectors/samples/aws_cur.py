"""Sample AWS Data Exports (CUR 2.0) deliveries: Parquet in the export's S3 layout, with manifests.

Dirt on purpose: each billing period is delivered twice (the second delivery restates the spot hours of the
earlier days and adds the last day), and the second delivery's two files overlap by a few line items.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from collectors.samples import world
from collectors.samples.spot_prices import hourly_spot_price

EXPORT_NAME = "infraledger-cur2"
BUCKET = "infraledger-billing"
PREFIX = "cur"
SP_ARN = "arn:aws:savingsplans::111122223333:savingsplan/3f2b1c7e-5a1d-4c0e-9f3a-7d2e8b9c1a01"
SP_COMMITMENT_PER_HOUR = 65.0
SP_DISCOUNT = 0.64  # effective rate / on-demand rate under the Compute Savings Plan
DUPLICATED_ROWS = 5

_STR = pa.string()
_F64 = pa.float64()
_TS = pa.timestamp("ms")
SCHEMA = pa.schema(
    [
        ("bill_bill_type", _STR), ("bill_billing_entity", _STR), ("bill_billing_period_end_date", _TS),
        ("bill_billing_period_start_date", _TS), ("bill_invoice_id", _STR), ("bill_invoicing_entity", _STR),
        ("bill_payer_account_id", _STR), ("bill_payer_account_name", _STR),
        ("cost_category", pa.map_(_STR, _STR)), ("discount", pa.map_(_STR, _F64)),
        ("discount_bundled_discount", _F64), ("discount_total_discount", _F64),
        ("identity_line_item_id", _STR), ("identity_time_interval", _STR),
        ("line_item_availability_zone", _STR), ("line_item_blended_cost", _F64), ("line_item_blended_rate", _STR),
        ("line_item_currency_code", _STR), ("line_item_legal_entity", _STR), ("line_item_line_item_description", _STR),
        ("line_item_line_item_type", _STR), ("line_item_net_unblended_cost", _F64),
        ("line_item_normalization_factor", _F64), ("line_item_normalized_usage_amount", _F64),
        ("line_item_operation", _STR), ("line_item_product_code", _STR), ("line_item_resource_id", _STR),
        ("line_item_tax_type", _STR), ("line_item_unblended_cost", _F64), ("line_item_unblended_rate", _STR),
        ("line_item_usage_account_id", _STR), ("line_item_usage_account_name", _STR),
        ("line_item_usage_amount", _F64), ("line_item_usage_end_date", _TS), ("line_item_usage_start_date", _TS),
        ("line_item_usage_type", _STR), ("pricing_currency", _STR), ("pricing_lease_contract_length", _STR),
        ("pricing_offering_class", _STR), ("pricing_public_on_demand_cost", _F64),
        ("pricing_public_on_demand_rate", _STR), ("pricing_purchase_option", _STR), ("pricing_term", _STR),
        ("pricing_unit", _STR), ("product", pa.map_(_STR, _STR)), ("product_from_location", _STR),
        ("product_from_region_code", _STR), ("product_instance_family", _STR), ("product_instance_type", _STR),
        ("product_location", _STR), ("product_product_family", _STR), ("product_region_code", _STR),
        ("product_servicecode", _STR), ("product_sku", _STR), ("product_to_location", _STR),
        ("product_to_region_code", _STR), ("product_usagetype", _STR),
        ("resource_tags", pa.map_(_STR, _STR)),
        ("savings_plan_amortized_upfront_commitment_for_billing_period", _F64),
        ("savings_plan_recurring_commitment_for_billing_period", _F64),
        ("savings_plan_savings_plan_a_r_n", _STR), ("savings_plan_savings_plan_effective_cost", _F64),
        ("savings_plan_savings_plan_rate", _F64), ("savings_plan_total_commitment_to_date", _F64),
        ("savings_plan_used_commitment", _F64),
        ("reservation_amortized_upfront_cost_for_usage", _F64),
        ("reservation_amortized_upfront_fee_for_billing_period", _F64), ("reservation_effective_cost", _F64),
        ("reservation_recurring_fee_for_usage", _F64), ("reservation_reservation_a_r_n", _STR),
        ("reservation_unused_amortized_upfront_fee_for_billing_period", _F64),
        ("reservation_unused_recurring_fee", _F64),
    ]
)


def _period_bounds(d: date) -> tuple[datetime, datetime]:
    start = datetime(d.year, d.month, 1)
    end = datetime(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return start, end


def _line(d_start: datetime, hours: float, *, account: str, product_code: str, usage_type: str, operation: str,
          line_type: str, cost: float, usage: float, unit: str, description: str, resource_id: str | None = None,
          az: str | None = None, tags: dict[str, str] | None = None, od_rate: float | None = None,
          family: str = "Compute Instance", instance_type: str | None = None, term: str = "OnDemand",
          extra: dict[str, object] | None = None) -> dict[str, object]:
    p_start, p_end = _period_bounds(d_start.date())
    end = d_start + timedelta(hours=hours)
    interval = f"{d_start:%Y-%m-%dT%H:%M:%S}Z/{end:%Y-%m-%dT%H:%M:%S}Z"
    row: dict[str, object] = {c: None for c in SCHEMA.names}
    row.update(
        bill_bill_type="Anniversary", bill_billing_entity="AWS", bill_billing_period_start_date=p_start,
        bill_billing_period_end_date=p_end, bill_invoice_id=None, bill_invoicing_entity="Amazon Web Services, Inc.",
        bill_payer_account_id=world.PAYER_ACCOUNT, bill_payer_account_name=world.PAYER_NAME,
        cost_category=[], discount=[], discount_bundled_discount=0.0, discount_total_discount=0.0,
        identity_line_item_id=world.stable_id(account, resource_id, usage_type, line_type, d_start.isoformat()),
        identity_time_interval=interval, line_item_availability_zone=az or "",
        line_item_blended_cost=cost, line_item_blended_rate=f"{cost / usage:.10f}" if usage else "",
        line_item_currency_code="USD", line_item_legal_entity="Amazon Web Services, Inc.",
        line_item_line_item_description=description, line_item_line_item_type=line_type,
        line_item_net_unblended_cost=cost, line_item_normalization_factor=0.0, line_item_normalized_usage_amount=0.0,
        line_item_operation=operation, line_item_product_code=product_code, line_item_resource_id=resource_id or "",
        line_item_tax_type="", line_item_unblended_cost=cost,
        line_item_unblended_rate=f"{cost / usage:.10f}" if usage else "",
        line_item_usage_account_id=world.ACCOUNTS[account], line_item_usage_account_name=account,
        line_item_usage_amount=usage, line_item_usage_start_date=d_start, line_item_usage_end_date=end,
        line_item_usage_type=usage_type, pricing_currency="USD", pricing_lease_contract_length="",
        pricing_offering_class="", pricing_public_on_demand_cost=(od_rate * usage) if od_rate else cost,
        pricing_public_on_demand_rate=f"{od_rate:.10f}" if od_rate else "", pricing_purchase_option="",
        pricing_term=term, pricing_unit=unit,
        product=[("region", world.REGION), ("servicename", product_code)] + (
            [("instance_type", instance_type)] if instance_type else []),
        product_from_location="", product_from_region_code="",
        product_instance_family="", product_instance_type=instance_type or "", product_location="US East (N. Virginia)",
        product_product_family=family, product_region_code=world.REGION, product_servicecode=product_code,
        product_sku=world.stable_id(product_code, usage_type, length=16).upper(), product_to_location="",
        product_to_region_code="", product_usagetype=usage_type,
        resource_tags=sorted((tags or {}).items()),
        savings_plan_amortized_upfront_commitment_for_billing_period=0.0,
        savings_plan_recurring_commitment_for_billing_period=0.0, savings_plan_savings_plan_a_r_n="",
        savings_plan_savings_plan_effective_cost=0.0, savings_plan_savings_plan_rate=0.0,
        savings_plan_total_commitment_to_date=0.0, savings_plan_used_commitment=0.0,
        reservation_amortized_upfront_cost_for_usage=0.0, reservation_amortized_upfront_fee_for_billing_period=0.0,
        reservation_effective_cost=0.0, reservation_recurring_fee_for_usage=0.0, reservation_reservation_a_r_n="",
        reservation_unused_amortized_upfront_fee_for_billing_period=0.0, reservation_unused_recurring_fee=0.0,
    )
    if extra:
        row.update(extra)
    return row


def _tags(service: str | None, team: str | None) -> dict[str, str]:
    tags = {}
    if service:
        tags["user_service"] = service
    if team:
        tags["user_team"] = team
    return tags


def day_rows(d: date, seed: int, *, restated: bool) -> list[dict[str, object]]:
    """Every CUR line item of one usage day. ``restated`` = the final numbers (second delivery)."""
    rows: list[dict[str, object]] = []
    rng = world.rng_for(seed, "aws_cur", d.isoformat())
    for hour in range(24):
        ts = world.at(d, hour).replace(tzinfo=None)
        for h in (h for h in world.HOSTS if h.provider == "aws"):
            tags = {} if h.hostname in world.SHARED_HOSTS else _tags(h.service, h.team)
            common = dict(account=h.account, resource_id=h.resource_id, az=h.availability_zone, tags=tags,
                          instance_type=h.instance_type, od_rate=h.hourly_rate)
            if h.purchase == "spot":
                price = hourly_spot_price(h.instance_type, h.availability_zone, world.at(d, hour), seed)
                if not restated:
                    price = round(price * 0.97, 6)  # the first delivery's estimate, corrected later
                rows.append(_line(ts, 1, product_code="AmazonEC2", usage_type=f"SpotUsage:{h.instance_type}",
                                  operation="RunInstances:SV001", line_type="Usage", cost=price, usage=1.0,
                                  unit="Hrs", term="Spot",
                                  description=f"${price:.4f} per Linux/UNIX Spot Instance-hour", **common))
            elif h.purchase == "savings_plan":
                eff = round(h.hourly_rate * SP_DISCOUNT, 6)
                sp = dict(savings_plan_savings_plan_a_r_n=SP_ARN, savings_plan_savings_plan_effective_cost=eff,
                          savings_plan_savings_plan_rate=eff)
                rows.append(_line(ts, 1, product_code="AmazonEC2", usage_type=f"BoxUsage:{h.instance_type}",
                                  operation="RunInstances", line_type="SavingsPlanCoveredUsage",
                                  cost=h.hourly_rate, usage=1.0, unit="Hrs", extra=sp,
                                  description=f"Compute SP covered usage of {h.instance_type}", **common))
                rows.append(_line(ts, 1, product_code="AmazonEC2", usage_type=f"BoxUsage:{h.instance_type}",
                                  operation="RunInstances", line_type="SavingsPlanNegation",
                                  cost=-h.hourly_rate, usage=0.0, unit="Hrs", extra=sp,
                                  description=f"SavingsPlanNegation used by AccountId : {world.ACCOUNTS[h.account]}"
                                              f" and UsageSku : {h.instance_type}", **common))
                rows.append(_line(ts, 1, account=h.account, product_code="ComputeSavingsPlans",
                                  usage_type="ComputeSP:3yrNoUpfront", operation="", line_type="SavingsPlanRecurringFee",
                                  cost=SP_COMMITMENT_PER_HOUR, usage=1.0, unit="Hrs", resource_id=SP_ARN,
                                  family="Savings Plans", term="Savings Plan",
                                  description="3 year No Upfront Compute Savings Plan",
                                  extra=dict(savings_plan_savings_plan_a_r_n=SP_ARN,
                                             savings_plan_recurring_commitment_for_billing_period=SP_COMMITMENT_PER_HOUR,
                                             savings_plan_total_commitment_to_date=SP_COMMITMENT_PER_HOUR,
                                             savings_plan_used_commitment=eff)))
            else:
                rows.append(_line(ts, 1, product_code="AmazonEC2", usage_type=f"BoxUsage:{h.instance_type}",
                                  operation="RunInstances", line_type="Usage", cost=h.hourly_rate, usage=1.0,
                                  unit="Hrs", description=f"${h.hourly_rate} per On Demand Linux {h.instance_type} Instance Hour",
                                  **common))
            gb_month = 2000 / (24 * 30)
            vol = "vol-" + world.stable_id(h.resource_id, "root", length=17)
            rows.append(_line(ts, 1, account=h.account, product_code="AmazonEC2", usage_type="EBS:VolumeUsage.gp3",
                              operation="CreateVolume-Gp3", line_type="Usage", cost=round(0.08 * gb_month, 10),
                              usage=gb_month, unit="GB-Mo", resource_id=vol, az=h.availability_zone, tags=tags,
                              family="Storage", description="$0.08 per GB-month of General Purpose (gp3) provisioned storage"))
            shape = world.diurnal(world.at(d, hour))
            egress = {
                "chat-api": (38.0, 55.0, 0.0), "embeddings": (6.0, 30.0, 0.0), "batch-eval": (1.5, 8.0, 4.0)
            }[h.service]
            for kind, gb, rate, utype, op in (
                ("internet", egress[0] * shape, 0.09, "DataTransfer-Out-Bytes", "RunInstances"),
                ("inter_az", egress[1] * shape, 0.01, "DataTransfer-Regional-Bytes", "InterZone-Out"),
                ("inter_region", egress[2], 0.02, "USE1-USE2-AWS-Out-Bytes", "RunInstances"),
            ):
                if gb <= 0:
                    continue
                gb = round(gb * (0.9 + 0.2 * rng.random()), 6)
                rows.append(_line(ts, 1, account=h.account, product_code="AWSDataTransfer", usage_type=utype,
                                  operation=op, line_type="Usage", cost=round(gb * rate, 10), usage=gb, unit="GB",
                                  resource_id=h.resource_id, az=h.availability_zone, tags=tags, family="Data Transfer",
                                  description=f"${rate} per GB - {kind.replace('_', ' ')} data transfer"))
        itype, account, zone, service, team, od_rate, _ = world.SPOT_WORKER
        for rid, _, share in (w for w in world.spot_worker_hours(d) if w[1] == hour):
            price = hourly_spot_price(itype, zone, world.at(d, hour), seed)
            if not restated:
                price = round(price * 0.97, 6)
            rows.append(_line(ts, 1, account=account, product_code="AmazonEC2", usage_type=f"SpotUsage:{itype}",
                              operation="RunInstances:SV001", line_type="Usage", cost=round(price * share, 10),
                              usage=share, unit="Hrs", term="Spot", resource_id=rid, az=zone,
                              tags=_tags(service, team), instance_type=itype, od_rate=od_rate,
                              description=f"${price:.4f} per Linux/UNIX Spot Instance-hour"))
        ri_arn, ri_instance, upfront, recurring, term_hours = world.RESERVATION
        for rid, itype, account, rate, service in world.CPU_INSTANCES:
            if rid == ri_instance:  # covered by the reservation: no charge of its own, its effective cost stated
                amortized = round(upfront / term_hours, 10)
                ri = dict(reservation_reservation_a_r_n=ri_arn, reservation_recurring_fee_for_usage=recurring,
                          reservation_amortized_upfront_cost_for_usage=amortized,
                          reservation_effective_cost=round(recurring + amortized, 10))
                rows.append(_line(ts, 1, account=account, product_code="AmazonEC2", usage_type=f"BoxUsage:{itype}",
                                  operation="RunInstances", line_type="DiscountedUsage", cost=0.0, usage=1.0,
                                  unit="Hrs", resource_id=rid, az="us-east-1a", tags=_tags(service, None),
                                  instance_type=itype, od_rate=rate, term="Reserved", extra=ri,
                                  description=f"Linux/UNIX (Amazon VPC), {itype} reserved instance applied"))
                continue
            rows.append(_line(ts, 1, account=account, product_code="AmazonEC2", usage_type=f"BoxUsage:{itype}",
                              operation="RunInstances", line_type="Usage", cost=rate, usage=1.0, unit="Hrs",
                              resource_id=rid, az="us-east-1a", tags=_tags(service, None), instance_type=itype,
                              od_rate=rate, description=f"${rate} per On Demand Linux {itype} Instance Hour"))
    day_start = world.at(d).replace(tzinfo=None)
    tb_day = 42.0 + d.day * 0.3
    rows.append(_line(day_start, 24, account="ml-research", product_code="AmazonS3", usage_type="TimedStorage-ByteHrs",
                      operation="StandardStorage", line_type="Usage", cost=round(tb_day * 1024 * 0.023 / 30, 10),
                      usage=round(tb_day * 1024 / 30, 6), unit="GB-Mo", resource_id="infraledger-eval-datasets",
                      tags=_tags("batch-eval", "research"), family="Storage",
                      description="$0.023 per GB - first 50 TB / month of storage used"))
    # Network paths the egress classes must tell apart; CloudFront's usage type also ends in DataTransfer-Out-Bytes.
    for product, utype, op, gb, rate, service in (
        ("AmazonCloudFront", "US-DataTransfer-Out-Bytes", "GET", 820.0, 0.085, "chat-api"),
        ("AmazonEC2", "NatGateway-Bytes", "NatGateway", 140.0, 0.045, "embeddings"),
        ("AmazonVPC", "USE1-TransitGateway-Bytes", "TransitGatewayVPC", 95.0, 0.02, "chat-api"),
        ("AWSDirectConnect", "USE1-DataXfer-Out:dc.1", "DataXfer-Out", 60.0, 0.02, "batch-eval"),
    ):
        gb_day = round(gb * (0.9 + 0.2 * rng.random()), 6)
        rows.append(_line(day_start, 24, account="ml-prod", product_code=product, usage_type=utype, operation=op,
                          line_type="Usage", cost=round(gb_day * rate, 10), usage=gb_day, unit="GB",
                          tags=_tags(service, None), family="Data Transfer",
                          description=f"${rate} per GB data transfer ({product})"))
    if d.day == 1:
        rows.append(_line(day_start, 24, account="ml-prod", product_code="AmazonEC2", usage_type="",
                          operation="", line_type="Credit", cost=-250.0, usage=0.0, unit="",
                          family="", description="AWS Credits - Proof of concept"))
    return rows


def reservation_fee_row(p_start: datetime, p_end: datetime) -> dict[str, object]:
    """The reservation's RIFee line item for a billing period: its reserved hours, the recurring fee for them (its
    cost), the upfront fee amortized over them, and nothing unused (the covered instance runs all month)."""
    ri_arn, ri_instance, upfront, recurring, term_hours = world.RESERVATION
    itype = next(t for rid, t, *_ in world.CPU_INSTANCES if rid == ri_instance)
    hours = (p_end - p_start) / timedelta(hours=1)
    return _line(p_start, hours, account="ml-prod", product_code="AmazonEC2", usage_type=f"HeavyUsage:{itype}",
                 operation="RunInstances", line_type="RIFee", cost=round(recurring * hours, 10), usage=hours,
                 unit="Hrs", term="Reserved", instance_type=itype,
                 description=f"USD {recurring} hourly fee per Linux/UNIX (Amazon VPC), {itype} instance",
                 extra=dict(reservation_reservation_a_r_n=ri_arn,
                            reservation_amortized_upfront_fee_for_billing_period=round(upfront * hours / term_hours, 10),
                            reservation_unused_amortized_upfront_fee_for_billing_period=0.0,
                            reservation_unused_recurring_fee=0.0, pricing_public_on_demand_cost=0.0))


def spike_rows(d: date) -> list[dict[str, object]]:
    """The planted spike's line items: hourly on-demand usage of an instance nobody stopped."""
    rid, itype, account, rate, service, team = world.SPIKE_INSTANCE
    return [_line(world.at(d, hour).replace(tzinfo=None), 1, account=account, product_code="AmazonEC2",
                  usage_type=f"BoxUsage:{itype}", operation="RunInstances", line_type="Usage", cost=rate, usage=1.0,
                  unit="Hrs", resource_id=rid, az="us-east-1b", tags=_tags(service, team), instance_type=itype,
                  od_rate=rate, description=f"${rate} per On Demand Linux {itype} Instance Hour")
            for hour in world.SPIKE_HOURS]


def _write_delivery(root: Path, period: str, rows: list[dict[str, object]], delivered: datetime, execution_id: str,
                    duplicates: int, p_start: datetime, p_end: datetime) -> Path:
    folder = f"{delivered:%Y%m%dT%H%M%SZ}-{execution_id}"
    data_dir = root / EXPORT_NAME / "data" / f"BILLING_PERIOD={period}" / folder
    meta_dir = root / EXPORT_NAME / "metadata" / f"BILLING_PERIOD={period}" / folder
    data_dir.mkdir(parents=True, exist_ok=True)
    meta_dir.mkdir(parents=True, exist_ok=True)
    half = len(rows) // 2
    parts = [rows[:half], rows[half - duplicates:half] + rows[half:]] if duplicates else [rows[:half], rows[half:]]
    keys = []
    for i, part in enumerate(parts, start=1):
        name = f"{EXPORT_NAME}-{i:05d}.snappy.parquet"
        table = pa.Table.from_pylist(part, schema=SCHEMA)
        pq.write_table(table, data_dir / name, compression="snappy")
        keys.append(f"s3://{BUCKET}/{PREFIX}/{EXPORT_NAME}/data/BILLING_PERIOD={period}/{folder}/{name}")
    manifest = {
        "version": "1.0",
        "executionId": execution_id,
        "exportArn": f"arn:aws:bcm-data-exports:us-east-1:{world.PAYER_ACCOUNT}:export/{EXPORT_NAME}-{world.stable_id(EXPORT_NAME, length=8)}",
        "exportName": EXPORT_NAME,
        "billingPeriod": {"start": f"{p_start:%Y-%m-%dT%H:%M:%S}.000Z", "end": f"{p_end:%Y-%m-%dT%H:%M:%S}.000Z"},
        "deliveryTime": f"{delivered:%Y-%m-%dT%H:%M:%S}.000Z",
        "dataFileFormat": "parquet",
        "dataFiles": keys,
        "rowCount": sum(len(p) for p in parts),
        "columns": [{"name": f.name, "type": str(f.type)} for f in SCHEMA],
    }
    path = meta_dir / f"{EXPORT_NAME}-Manifest.json"
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return path


def write(out: Path, start: date, n_days: int, seed: int) -> dict[str, object]:
    """Write two deliveries per billing period under ``out/aws_cur`` (the S3 prefix ``s3://BUCKET/PREFIX``)."""
    root = out / "aws_cur"
    by_period: dict[str, list[date]] = defaultdict(list)
    for d in world.days(start, n_days):
        by_period[f"{d:%Y-%m}"].append(d)
    spike = world.spike_day(start, n_days)
    manifests = []
    for period, ds in sorted(by_period.items()):
        p_start, p_end = _period_bounds(ds[0])
        first_days = ds[:-1] or ds
        fee = [reservation_fee_row(p_start, p_end)]  # a reservation's monthly fee is billed from the month's start
        first = fee + [r for d in first_days for r in day_rows(d, seed, restated=False)]
        final = fee + [r for d in ds for r in day_rows(d, seed, restated=True) + (spike_rows(d) if d == spike else [])]
        t1 = world.at(first_days[-1] + timedelta(days=1), 3, 15, 12).replace(tzinfo=None)
        t2 = world.at(ds[-1] + timedelta(days=1), 9, 40, 51).replace(tzinfo=None)
        manifests.append(_write_delivery(root, period, first, t1, world.stable_uuid(seed, period, 1), 0, p_start, p_end))
        manifests.append(_write_delivery(root, period, final, t2, world.stable_uuid(seed, period, 2),
                                         DUPLICATED_ROWS, p_start, p_end))
    return {"aws_cur_manifests": len(manifests), "aws_cur_periods": sorted(by_period)}
