"""The malformed-input corpus (tests/corpus/<format>/): one file per way a source goes wrong, for every format the
collectors read that tests/unit/test_bad_billing_input.py does not already write byte by byte. Each file either
fails with a clear error naming the file, or loads its valid rows and quarantines (or reports) the rest with a
reason: never a crash, never a silent loss."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pytest

from collectors.aws.cur import parse_manifest
from collectors.dcgm.scrape import gpu_rows
from collectors.gcp.catalog import recorded_skus
from collectors.inventory.ec2 import instances, read_pages
from collectors.inventory.hosts_csv import read_hosts
from collectors.power.topology import load_topology
from collectors.prometheus.scrape import read_saved
from collectors.redfish.client import FolderTransport
from collectors.redfish.walk import walk
from collectors.serving.metrics import serving_rows
from warehouse.loaders.dcgm import load_dcgm_scrapes
from warehouse.loaders.inventory import load_inventory
from warehouse.loaders.power import load_bms_day
from warehouse.loaders.prometheus import load_query_range_day
from warehouse.loaders.scrapes import ScrapeFile
from warehouse.loaders.serving import load_serving_scrapes
from warehouse.loaders.spot_prices import load_spot_price_pages
from warehouse.schema import apply_ddl

pytestmark = pytest.mark.unit
CORPUS = Path(__file__).resolve().parents[1] / "corpus"
AT = dt.datetime(2026, 10, 1, 0, 0)


@dataclass
class Outcome:
    loaded: int
    set_aside: int
    reasons: list[str] = field(default_factory=list)


def _quarantine(conn: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r for r, in conn.execute(f"select reason from quarantine.{table} order by source_row").fetchall()]


def _manifest(conn, path: Path) -> Outcome:
    d = parse_manifest(path.read_bytes(), path.name, "infraledger-cur2")
    return Outcome(len(d.data_keys), 0)


def _spot(conn, path: Path) -> Outcome:
    r = load_spot_price_pages(conn, region="us-east-1", pages=[path], window="2026-10-01")
    return Outcome(r.rows_loaded, r.rows_quarantined, _quarantine(conn, "aws_spot_prices"))


def _catalog(conn, path: Path) -> Outcome:
    skus, _ = recorded_skus(path.parent)
    return Outcome(len(skus), 0)


def _dcgm(conn, path: Path) -> Outcome:
    [(p, _, exp)] = list(read_saved([path]))
    r = load_dcgm_scrapes(conn, [ScrapeFile(p, "node-1", AT, gpu_rows(exp, AT, "node-1"),
                                            [(b.line_no, b.line, b.reason) for b in exp.bad_lines])])
    return Outcome(r.rows_loaded, r.rows_quarantined, _quarantine(conn, "dcgm_samples"))


def _serving(conn, path: Path) -> Outcome:
    [(p, _, exp)] = list(read_saved([path]))
    rows = serving_rows(exp, AT, service="chat-api", instance="10.0.1.11:8000")
    r = load_serving_scrapes(conn, [ScrapeFile(p, "10.0.1.11:8000", AT, rows,
                                               [(b.line_no, b.line, b.reason) for b in exp.bad_lines])])
    return Outcome(r.rows_loaded, r.rows_quarantined, _quarantine(conn, "serving_samples"))


def _prometheus(conn, path: Path) -> Outcome:
    r = load_query_range_day(conn, metric="DCGM_FI_DEV_GPU_UTIL", day="2026-10-01", files=[path])
    return Outcome(r.rows_loaded, r.rows_quarantined, _quarantine(conn, "prometheus_samples"))


def _ec2(conn, path: Path) -> Outcome:
    rows = list(instances(read_pages([path]), "us-east-1"))
    r = load_inventory(conn, inventory_source="ec2:us-east-1", rows=rows, files=[path])
    return Outcome(r.rows_loaded, r.rows_quarantined, _quarantine(conn, "host_inventory"))


def _hosts(conn, path: Path) -> Outcome:
    good, bad = [], []
    for line, row, reason in read_hosts(path):
        (bad.append((str(path), line, reason, row)) if reason else good.append(row))
    r = load_inventory(conn, inventory_source="csv", rows=good, bad_rows=bad, files=[path])
    return Outcome(r.rows_loaded, r.rows_quarantined, _quarantine(conn, "host_inventory"))


def _bms(conn, path: Path) -> Outcome:
    r = load_bms_day(conn, day="2026-10-01", files=[path])
    return Outcome(r.rows_loaded, r.rows_quarantined, _quarantine(conn, "power_readings"))


def _redfish(conn, path: Path) -> Outcome:
    w = walk(FolderTransport(path))
    return Outcome(len(w.readings), len(w.problems), [f"{p.problem}: {p.uri} {p.detail}" for p in w.problems])


def _topology(conn, path: Path) -> Outcome:
    t = load_topology(path)
    return Outcome(len(t.racks), 0)


READERS: dict[str, Callable[[duckdb.DuckDBPyConnection, Path], Outcome]] = {
    "cur_manifest": _manifest, "spot_prices": _spot, "gcp_catalog": _catalog, "dcgm": _dcgm, "serving": _serving,
    "prometheus": _prometheus, "ec2": _ec2, "hosts_csv": _hosts, "bms_csv": _bms, "redfish": _redfish,
    "topology": _topology,
}

# (corpus path, error the file must raise | (rows loaded, rows set aside, reasons that must appear))
CASES: list[tuple[str, str | tuple[int, int, list[str]]]] = [
    ("cur_manifest/truncated-Manifest.json", r"truncated-Manifest\.json.*(JSON|json)"),
    ("cur_manifest/no_data_files-Manifest.json", r"no_data_files-Manifest\.json.*dataFiles"),
    ("spot_prices/html_error_page.json", r"html_error_page\.json.*JSON"),
    ("spot_prices/bad_entries.json", (1, 4, ["SpotPrice is not a number: abc", "SpotPrice is not positive",
                                             "AvailabilityZone missing", "Timestamp missing or unreadable"])),
    ("gcp_catalog/truncated.json", r"truncated\.json is not valid JSON"),
    ("dcgm/html_instead_of_metrics.prom", (0, 3, ["not a sample line"])),
    ("dcgm/mixed.prom", (3, 3, ["unreadable labels", "could not convert", "not a sample line"])),
    ("serving/vllm_mixed.prom", (4, 2, ["not a sample line"])),
    ("prometheus/error_answer.json", r"error_answer\.json.*(bad_data|parse error)"),
    ("prometheus/not_json.json", r"not_json\.json"),
    ("prometheus/odd_values.json", (4, 2, [])),
    ("ec2/truncated_page.json", r"truncated_page\.json is not valid JSON"),
    ("ec2/instance_without_id.json", (1, 1, ["provider or resource id missing"])),
    ("hosts_csv/wrong_header.csv", r"wrong_header\.csv: header lacks 'hostname'"),
    # gpu-4 has no resource id: an on-prem server's defaults to its hostname
    ("hosts_csv/bad_rows.csv", (2, 3, ["hostname is required", "provider must be one of"])),
    ("bms_csv/wrong_columns.csv", r"wrong_columns\.csv: needs columns 'timestamp'"),
    ("bms_csv/bad_rows.csv", (2, 4, ["no device", "timestamp unreadable: soon", "reading not a number: lots"])),
    ("redfish/broken_pdu", (1, 4, ["unreadable", "dangling_link", "not_a_number"])),
    ("topology/invalid_yaml.yaml", r"cannot read topology .*invalid_yaml\.yaml"),
    ("topology/unknown_key.yaml", r"racks\.rack-a1: unknown key\(s\) colour"),
    ("topology/sites_as_list.yaml", r"sites_as_list\.yaml: expected 'sites:' mapping"),
]


def test_every_corpus_file_has_a_case_and_every_format_a_reader() -> None:
    files = {p.relative_to(CORPUS).as_posix() for p in CORPUS.glob("*/*")}
    assert files == {c for c, _ in CASES}
    assert {c.split("/")[0] for c, _ in CASES} == set(READERS)


@pytest.mark.parametrize(("case", "expected"), CASES, ids=[c for c, _ in CASES])
def test_malformed_input(case: str, expected, tmp_path: Path) -> None:
    path = CORPUS / case
    fmt = case.split("/")[0]
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    apply_ddl(conn)
    if isinstance(expected, str):
        with pytest.raises(Exception) as info:
            READERS[fmt](conn, path)
        assert re.search(expected, str(info.value)), str(info.value)
        return
    outcome = READERS[fmt](conn, path)
    loaded, set_aside, reasons = expected
    assert (outcome.loaded, outcome.set_aside) == (loaded, set_aside), outcome
    text = " | ".join(outcome.reasons)
    for reason in reasons:
        assert reason in text, text
