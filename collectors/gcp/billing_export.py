"""The GCP Cloud Billing export: exported files in a folder, or the BigQuery table read incrementally.

BigQuery reads are incremental by ``export_time``: rows at or after (watermark - overlap) are fetched, so late rows
(exported after the last run) are never missed; re-read rows are recognised and skipped by the loader. Results are
written as NDJSON in the export's own shape, so files and BigQuery load through one path.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

EXPORT_SUFFIXES = (".ndjson", ".jsonl", ".json", ".ndjson.gz", ".jsonl.gz", ".json.gz", ".parquet", ".csv", ".csv.gz")
_BQ_RE = re.compile(r"^bigquery://([A-Za-z0-9_.:-]+)\.([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$")
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)


def parse_bigquery_location(location: str) -> tuple[str, str, str]:
    """``bigquery://project.dataset.table`` → (project, dataset, table)."""
    m = _BQ_RE.match(location)
    if not m:
        raise ValueError(f"not a bigquery://project.dataset.table location: {location!r}")
    return m.group(1), m.group(2), m.group(3)


def export_files(folder: Path) -> dict[str, list[Path]]:
    """Exported files under ``folder``, grouped by the export table they came from (their parent folder)."""
    out: dict[str, list[Path]] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name.endswith(EXPORT_SUFFIXES):
            out.setdefault(path.parent.name if path.parent != folder else folder.name, []).append(path)
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    if isinstance(value, (dt.date, decimal.Decimal)):
        return str(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def write_ndjson(rows: Iterable[Mapping[str, Any]], dest: Path) -> int:
    """Write rows as NDJSON (atomically); return how many."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    n = 0
    with open(tmp, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(_plain(dict(row.items())), sort_keys=True) + "\n")
            n += 1
    tmp.replace(dest)
    return n


def bigquery_client(project: str, endpoint: str | None = None) -> Any:
    """A BigQuery client: default credentials against Google, anonymous against an explicit endpoint (tests)."""
    from google.cloud import bigquery

    if endpoint:
        from google.auth.credentials import AnonymousCredentials

        return bigquery.Client(project=project, credentials=AnonymousCredentials(),
                               client_options={"api_endpoint": endpoint})
    return bigquery.Client(project=project)


def fetch_since(client: Any, project: str, dataset: str, table: str, since: dt.datetime | None,
                overlap: dt.timedelta, dest: Path) -> tuple[int, dt.datetime]:
    """Rows with ``export_time >= since - overlap`` into ``dest`` (NDJSON); returns (rows, lower bound used)."""
    from google.cloud import bigquery

    lower = EPOCH if since is None else (since.replace(tzinfo=since.tzinfo or dt.timezone.utc) - overlap)
    job_config = bigquery.QueryJobConfig(
        query_parameters=[bigquery.ScalarQueryParameter("since", "TIMESTAMP", lower)]
    )
    sql = f"SELECT * FROM `{project}.{dataset}.{table}` WHERE export_time >= @since ORDER BY export_time"
    rows = client.query_and_wait(sql, job_config=job_config, page_size=10_000)
    return write_ndjson(rows, dest), lower
