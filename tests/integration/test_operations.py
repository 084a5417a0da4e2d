"""Daily operations: the daily ingestion schedules, the billing delivery sensor over a real S3 API (moto), and the
automation that refreshes the marts once their upstream lands."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import dagster as dg
import pytest

pytestmark = pytest.mark.integration
BUCKET = "infraledger-billing"
UTC = dt.timezone.utc


def _tick(defs: dg.Definitions, name: str, at: dt.datetime, instance: dg.DagsterInstance) -> list[dg.RunRequest]:
    ctx = dg.build_schedule_context(instance=instance, scheduled_execution_time=at,
                                    repository_def=defs.get_repository_def())
    return list(defs.resolve_schedule_def(name).evaluate_tick(ctx).run_requests)


def test_daily_ingestion_requests_yesterday_the_current_month_and_the_rest(
        infraledger_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INFRALEDGER_SCHEDULES_DAILY_INGESTION_CRON", "30 5 * * *")
    import importlib

    import pipelines.defs.operations.daily as daily

    importlib.reload(daily)  # the cron is read from the configuration when the definitions load
    from pipelines.definitions import defs

    d = defs()
    names = ("daily_ingestion_feeds", "daily_ingestion_billing", "daily_ingestion_sources")
    assert {d.resolve_schedule_def(n).cron_schedule for n in names} == {"30 5 * * *"}
    at = dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    with dg.DagsterInstance.ephemeral() as instance:
        feeds, billing, sources = (_tick(d, n, at, instance) for n in names)
    assert [(r.partition_key, r.run_key) for r in feeds] == [("2026-10-31", "2026-10-31")]
    assert [r.partition_key for r in billing] == ["2026-10-01"]  # yesterday's month, though today is November
    assert [r.partition_key for r in sources] == [None]
    selected = {k.to_user_string() for n in names for k in d.resolve_job_def(n).asset_layer.executable_asset_keys}
    assert {"raw/aws_spot_prices", "raw/prometheus_samples", "raw/power_readings", "raw/aws_cur_line_items",
            "raw/gcp_billing_export", "raw/host_inventory", "raw/dcgm_samples"} <= selected
    monkeypatch.delenv("INFRALEDGER_SCHEDULES_DAILY_INGESTION_CRON")
    importlib.reload(daily)


def test_every_run_executes_its_steps_in_one_process(infraledger_env: Path) -> None:
    """Scheduled, sensor-, automation- and UI-launched runs use the code location's executor: in-process for every
    job, the implicit asset job (automation, the UI's Materialize) included, not a process per step."""
    from pipelines.definitions import defs

    d = defs()
    jobs = {j.name: j.executor_def.name for j in d.resolve_all_job_defs()}
    assert "__ASSET_JOB" in jobs and "daily_ingestion_sources" in jobs and "scrape_telemetry" in jobs
    assert {name for name, executor in jobs.items() if executor != "in_process"} == set()


def _upload(client, sample_dir: Path, manifest: Path) -> None:
    data = [sample_dir / "aws_cur" / u.split("/cur/", 1)[1] for u in json.loads(manifest.read_text())["dataFiles"]]
    for f in [*data, manifest]:  # the manifest last, as AWS delivers
        client.upload_file(str(f), BUCKET, "cur/" + f.relative_to(sample_dir / "aws_cur").as_posix())


def test_a_new_manifest_in_s3_starts_one_load_of_its_month(
        make_bucket, moto_endpoint: str, sample_dir: Path, infraledger_env: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    client = make_bucket(BUCKET)
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_LOCATION", f"s3://{BUCKET}/cur")
    monkeypatch.setenv("INFRALEDGER_SOURCES_AWS_CUR_ENDPOINT_URL", moto_endpoint)
    from pipelines.definitions import defs

    d = defs()
    sensor = d.resolve_sensor_def("aws_cur_new_delivery")
    manifests = sorted((sample_dir / "aws_cur").rglob("*-Manifest.json"),
                       key=lambda p: json.loads(p.read_text())["deliveryTime"])
    with dg.DagsterInstance.ephemeral() as instance:
        def evaluate(cursor: str | None) -> dg.SensorExecutionData:
            ctx = dg.build_sensor_context(instance=instance, cursor=cursor, repository_def=d.get_repository_def(),
                                          resources={"aws_cur": d.get_repository_def().get_top_level_resources()["aws_cur"]})
            return sensor.evaluate_tick(ctx)

        empty = evaluate(None)
        assert empty.run_requests == [] and "no new delivery" in empty.skip_message

        _upload(client, sample_dir, manifests[0])
        first = evaluate(empty.cursor)
        assert [r.partition_key for r in first.run_requests] == ["2026-10-01"]
        again = evaluate(first.cursor)
        assert again.run_requests == []  # cursor kept: no double run

        _upload(client, sample_dir, manifests[-1])  # the restatement of the same month
        restated = evaluate(again.cursor)
        assert [r.partition_key for r in restated.run_requests] == ["2026-10-01"]
        assert restated.run_requests[0].run_key != first.run_requests[0].run_key
        # the requested run is a real load of that month from S3
        job = d.resolve_implicit_global_asset_job_def()
        result = job.execute_in_process(instance=instance, partition_key="2026-10-01",
                                        asset_selection=list(restated.run_requests[0].asset_selection or
                                                             [dg.AssetKey(["raw", "aws_cur_line_items"])]))
        assert result.success


def test_marts_refresh_once_their_upstream_lands(infraledger_env: Path) -> None:
    from pipelines.definitions import defs

    d = defs()
    marts = dg.AssetSelection.groups("staging", "intermediate", "marts")
    with dg.DagsterInstance.ephemeral() as instance:
        before = dg.evaluate_automation_conditions(defs=d, instance=instance, asset_selection=marts)
        assert before.total_requested == 0  # nothing upstream has landed: nothing to refresh

        job = d.resolve_implicit_global_asset_job_def()
        assert job.execute_in_process(instance=instance, partition_key="2026-10-01",
                                      asset_selection=[dg.AssetKey(["raw", "aws_cur_line_items"])]).success
        after = dg.evaluate_automation_conditions(defs=d, instance=instance, asset_selection=marts,
                                                  cursor=before.cursor)
        requested = {k.to_user_string() for k in d.resolve_asset_graph().get_all_asset_keys()
                     if after.get_num_requested(k)}
        assert {"staging/stg_aws_cur__line_items", "marts/fct_cost", "marts/fct_cost_daily"} <= requested
        assert "staging/stg_gcp__billing_export" not in requested  # its upstream did not change
        settled = dg.evaluate_automation_conditions(defs=d, instance=instance, asset_selection=marts,
                                                    cursor=after.cursor)
        assert settled.total_requested == 0  # requested once, not on every tick
