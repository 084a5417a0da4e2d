"""A loopback HTTP server answering the BigQuery REST calls google-cloud-bigquery makes for a parametrized query
(``jobs.query``, then ``jobs.getQueryResults`` pages), over rows in the billing export's real schema.

It evaluates only what the incremental read needs: ``WHERE export_time >= @since ORDER BY export_time``. Every
request is recorded so tests can assert what the client asked for and what it was sent.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.integration.loopback import LoopbackServer, send_json

KV = [{"name": "key", "type": "STRING"}, {"name": "value", "type": "STRING"}]
# The detailed (resource-level) billing export schema, as documented by Google, for the fields the samples carry.
EXPORT_SCHEMA: list[dict[str, Any]] = [
    {"name": "billing_account_id", "type": "STRING"},
    {"name": "service", "type": "RECORD", "fields": [{"name": "id", "type": "STRING"}, {"name": "description", "type": "STRING"}]},
    {"name": "sku", "type": "RECORD", "fields": [{"name": "id", "type": "STRING"}, {"name": "description", "type": "STRING"}]},
    {"name": "usage_start_time", "type": "TIMESTAMP"},
    {"name": "usage_end_time", "type": "TIMESTAMP"},
    {"name": "project", "type": "RECORD", "fields": [
        {"name": "id", "type": "STRING"}, {"name": "number", "type": "STRING"}, {"name": "name", "type": "STRING"},
        {"name": "labels", "type": "RECORD", "mode": "REPEATED", "fields": KV},
        {"name": "ancestry_numbers", "type": "STRING"}]},
    {"name": "labels", "type": "RECORD", "mode": "REPEATED", "fields": KV},
    {"name": "system_labels", "type": "RECORD", "mode": "REPEATED", "fields": KV},
    {"name": "location", "type": "RECORD", "fields": [
        {"name": "location", "type": "STRING"}, {"name": "country", "type": "STRING"},
        {"name": "region", "type": "STRING"}, {"name": "zone", "type": "STRING"}]},
    {"name": "resource", "type": "RECORD", "fields": [{"name": "name", "type": "STRING"}, {"name": "global_name", "type": "STRING"}]},
    {"name": "export_time", "type": "TIMESTAMP"},
    {"name": "cost", "type": "FLOAT"},
    {"name": "currency", "type": "STRING"},
    {"name": "currency_conversion_rate", "type": "FLOAT"},
    {"name": "usage", "type": "RECORD", "fields": [
        {"name": "amount", "type": "FLOAT"}, {"name": "unit", "type": "STRING"},
        {"name": "amount_in_pricing_units", "type": "FLOAT"}, {"name": "pricing_unit", "type": "STRING"}]},
    {"name": "credits", "type": "RECORD", "mode": "REPEATED", "fields": [
        {"name": "name", "type": "STRING"}, {"name": "amount", "type": "FLOAT"}, {"name": "full_name", "type": "STRING"},
        {"name": "id", "type": "STRING"}, {"name": "type", "type": "STRING"}]},
    {"name": "invoice", "type": "RECORD", "fields": [{"name": "month", "type": "STRING"}]},
    {"name": "cost_type", "type": "STRING"},
    {"name": "cost_at_list", "type": "FLOAT"},
]


def _micros(ts: str) -> str:
    t = dt.datetime.strptime(ts.removesuffix(" UTC"), "%Y-%m-%d %H:%M:%S").replace(tzinfo=dt.timezone.utc)
    return str(int(t.timestamp() * 1_000_000))


def _cell(field: dict[str, Any], value: Any) -> Any:
    if field.get("mode") == "REPEATED":
        return [{"v": _cell({**field, "mode": "NULLABLE"}, v)} for v in (value or [])]
    if value is None:
        return None
    if field["type"] == "RECORD":
        return {"f": [{"v": _cell(f, value.get(f["name"]))} for f in field["fields"]]}
    if field["type"] == "TIMESTAMP":
        return _micros(value)
    return str(value)


def to_bigquery_row(row: dict[str, Any]) -> dict[str, Any]:
    """One export row (as the NDJSON export writes it) in BigQuery's REST ``f``/``v`` form."""
    return {"f": [{"v": _cell(f, row.get(f["name"]))} for f in EXPORT_SCHEMA]}


def _parse_since(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace(" ", "T")).astimezone(dt.timezone.utc)


class FakeBigQuery(LoopbackServer):
    """Serve ``rows`` (export-shaped dicts); ``page_size`` rows per page, so the client has to page."""

    def __init__(self, rows: list[dict[str, Any]], page_size: int = 200) -> None:
        self.rows = list(rows)
        self.page_size = page_size
        self.requests: list[dict[str, Any]] = []
        self.sent_rows: list[list[dict[str, Any]]] = []  # per query: the rows the query matched
        self._results: dict[str, list[dict[str, Any]]] = {}
        self.queries: dict[str, str] = {}
        super().__init__()

    def _page(self, job_id: str, offset: int) -> dict[str, Any]:
        matched = self._results[job_id]
        page = matched[offset: offset + self.page_size]
        body: dict[str, Any] = {
            "kind": "bigquery#getQueryResultsResponse",
            "jobReference": {"projectId": "p", "jobId": job_id, "location": "US"},
            "jobComplete": True, "totalRows": str(len(matched)),
            "schema": {"fields": EXPORT_SCHEMA}, "rows": [to_bigquery_row(r) for r in page],
        }
        if offset + self.page_size < len(matched):
            body["pageToken"] = str(offset + self.page_size)
        return body

    def _query(self, request: dict[str, Any]) -> dict[str, Any]:
        params = {p["name"]: p["parameterValue"]["value"] for p in request.get("queryParameters", [])}
        since = _parse_since(params["since"])
        matched = sorted((r for r in self.rows if _parse_since(r["export_time"].replace(" UTC", "+00:00")) >= since),
                         key=lambda r: r["export_time"])
        job_id = f"job_{uuid.uuid4().hex[:12]}"
        self._results[job_id] = matched
        self.queries[job_id] = request.get("query", "")
        self.sent_rows.append(matched)
        return {**self._page(job_id, 0), "kind": "bigquery#queryResponse"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _reply(self, status: int, body: dict[str, Any]) -> None:
                send_json(self, status, body)

            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                url = urlparse(self.path)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                fake.requests.append({"method": "POST", "path": url.path, "body": body})
                if url.path.endswith("/queries"):
                    return self._reply(200, fake._query(body))
                return self._reply(404, {"error": {"code": 404, "message": f"not served: {url.path}"}})

            def do_GET(self) -> None:  # noqa: N802
                url = urlparse(self.path)
                query = parse_qs(url.query)
                fake.requests.append({"method": "GET", "path": url.path, "query": query})
                job_id = url.path.rsplit("/", 1)[-1]
                if "/jobs/" in url.path and job_id in fake._results:  # jobs.get: the finished query job
                    return self._reply(200, {
                        "kind": "bigquery#job", "id": f"p:US.{job_id}",
                        "jobReference": {"projectId": "p", "jobId": job_id, "location": "US"},
                        "status": {"state": "DONE"},
                        "configuration": {"jobType": "QUERY", "query": {"query": fake.queries.get(job_id, "")}},
                        "statistics": {"query": {"totalBytesProcessed": "0"}},
                    })
                if "/queries/" in url.path and job_id in fake._results:
                    return self._reply(200, fake._page(job_id, int(query.get("pageToken", ["0"])[0])))
                return self._reply(404, {"error": {"code": 404, "message": f"not served: {url.path}"}})

            def log_message(self, *args: object) -> None:
                pass

        return Handler
