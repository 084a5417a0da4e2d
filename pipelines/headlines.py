"""The headline figures `infraledger demo` prints, read from the marts."""

from __future__ import annotations

from pathlib import Path

from warehouse.query import run_query

HEADLINES: dict[str, str] = {
    "Cost by provider and service (net of negotiated discounts; billed = invoice view, effective = amortized)": """
        select provider_name, tag_service as service, billing_currency as currency,
               round(sum(net_billed_cost), 2) as net_billed, round(sum(net_effective_cost), 2) as net_effective
        from marts.fct_cost_daily group by all order by net_billed desc, provider_name, service""",
    "Egress by provider and class (GB = 10^9 bytes; each transfer once, at its sending side)": """
        select provider, egress_class, round(sum(gb), 1) as gb, currency, round(sum(billed_cost), 2) as billed
        from marts.fct_egress_daily where egress_class <> 'inbound'
        group by all order by billed desc, provider, egress_class""",
    "GPU-hours billed by instance type and purchase option": """
        select instance_type, purchase_option, round(sum(gpu_hours), 1) as gpu_hours,
               round(sum(effective_cost), 2) as effective_usd,
               round(sum(effective_cost) / nullif(sum(gpu_hours), 0), 4) as effective_usd_per_gpu_hour
        from marts.fct_gpu_instance_hours_daily group by all order by gpu_hours desc, instance_type, purchase_option""",
    "Spot savings from the bill (on-demand reference: the bill's public on-demand cost)": """
        select instance_type, availability_zone, round(sum(spot_hours), 1) as spot_hours,
               round(sum(price_paid), 2) as paid, round(sum(on_demand_cost), 2) as on_demand,
               round(sum(savings), 2) as savings, round(sum(savings) / nullif(sum(on_demand_cost), 0), 3) as ratio,
               round(sum(price_paid) / nullif(sum(spot_gpu_hours), 0), 4) as paid_per_gpu_hour
        from marts.fct_spot_savings_daily group by all order by savings desc, instance_type""",
    "GPU utilization by machine (telemetry joined to the inventory)": """
        select provider, instance_type, hostname, count(distinct gpu_uuid) as gpus,
               round(sum(coverage), 1) as observed_gpu_hours, round(avg(avg_sm_active), 3) as avg_sm_active,
               round(sum(energy_kwh), 1) as energy_kwh
        from marts.fct_gpu_utilization_hourly group by all order by provider, instance_type, hostname""",
    "Requests and tokens by service (vLLM / Triton)": """
        select service, round(sum(requests)) as requests, round(sum(prompt_tokens) / 1e6, 1) as prompt_mtok,
               round(sum(generation_tokens) / 1e6, 1) as generation_mtok,
               round(max(latency_p99_s), 2) as worst_hour_p99_s, sum(counter_resets) as counter_resets
        from marts.fct_requests_hourly group by all order by requests desc""",
    "Racks: power, headroom and the GPU share (facility meters and Redfish PDUs)": """
        select site, rack, round(avg(avg_kw), 2) as avg_kw, round(max(peak_kw), 2) as peak_kw,
               round(min(headroom_kw), 2) as min_headroom_kw, round(sum(kwh), 1) as kwh,
               round(avg(gpu_share), 3) as gpu_share, round(avg(coverage), 3) as coverage
        from marts.fct_power_rack_hourly group by all order by site, rack""",
    "Site energy and PUE (over minutes with both the utility meter and every PDU)": """
        select site, round(sum(it_kwh), 1) as it_kwh, round(sum(facility_kwh), 1) as facility_kwh,
               round(sum(facility_kwh) / sum(it_kwh), 3) as pue, round(avg(coverage), 4) as coverage,
               currency, round(sum(energy_cost), 2) as energy_cost
        from marts.fct_site_energy_daily group by all order by site""",
}


def format_table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[str(c) for c in columns]] + [["" if v is None else str(v) for v in r] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def headline_report(warehouse_path: Path) -> str:
    parts = []
    for title, sql in HEADLINES.items():
        res = run_query(warehouse_path, sql)
        parts.append(f"{title}\n{format_table(res.columns, res.rows)}")
    return "\n\n".join(parts)
