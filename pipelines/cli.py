"""`infraledger`: sample data, demo, materialize, read-only SQL, quarantine and the Dagster UI."""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import click

from pipelines.config import ConfigError, InfraledgerConfig, load_config

REPO_ROOT = Path(__file__).resolve().parents[1]


def _config(ctx: click.Context) -> InfraledgerConfig:
    try:
        return load_config(ctx.obj.get("config_path"))
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from None


class _Commands(click.Group):
    """The command group; whatever a command did not foresee ends as one clear line and exit 1, never a traceback
    (``--verbose`` shows the traceback for a bug report)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            raise click.exceptions.Exit(130) from None
        except OSError as exc:
            if os.environ.get("INFRALEDGER_VERBOSE"):
                raise
            where = f": {exc.filename}" if exc.filename else ""
            raise click.ClickException(f"{exc.strerror or exc}{where}") from None
        except Exception as exc:
            if os.environ.get("INFRALEDGER_VERBOSE"):
                raise
            raise click.ClickException(f"unexpected {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                                       " (rerun with --verbose for the traceback)") from None


@click.group(cls=_Commands, help="infraledger: what AI infrastructure costs, and what it did for the money.",
             context_settings={"max_content_width": 110})
@click.option("--config", "config_path", type=click.Path(dir_okay=False), default=None,
              help="Config file (default: $INFRALEDGER_CONFIG or ./infraledger.yaml, else built-in defaults).")
@click.option("--verbose", "-v", is_flag=True, help="Print Dagster's run log and dbt's output (quiet by default).")
@click.pass_context
def main(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    ctx.ensure_object(dict)
    ctx.obj["config_path"] = config_path
    if verbose:
        os.environ["INFRALEDGER_VERBOSE"] = "1"
    if config_path:
        os.environ["INFRALEDGER_CONFIG"] = str(Path(config_path).resolve())


@main.command("sample-data", help="Write a seeded sample period for every source in its real wire format.")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder to (re)create.")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), default="2026-10-01", show_default=True)
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True, help="Same seed, same bytes.")
def sample_data(out: str, start, days: int, seed: int) -> None:
    from collectors.samples.writer import write_samples

    summary = write_samples(Path(out), start=start.date(), days=days, seed=seed,
                            progress=lambda m: click.echo(m, err=True))
    click.echo(json.dumps(summary, indent=2))


def _billing_partitions(cfg: InfraledgerConfig) -> list[str]:
    from pipelines.partitions import month_key
    from pipelines.resources_impl import build_source_resources

    periods: set[str] = set()
    for name, res in build_source_resources(cfg).items():
        if hasattr(res, "deliveries") and getattr(res, "enabled", True):
            periods |= set(res.deliveries(res.store()))
    return [month_key(period) for period in sorted(periods)]


def _run(cfg: InfraledgerConfig, selection: str | None, partitions: list[str | None],
         definitions: object | None = None) -> bool:
    import dagster as dg

    from pipelines.definitions import defs
    from pipelines.runner import materialize, prepare_dagster_home

    prepare_dagster_home(cfg)
    with dg.DagsterInstance.get() as instance:
        results = materialize(definitions or defs(), selection=selection, partitions=partitions, instance=instance,
                              progress=lambda m: click.echo(m, err=True))
    if results and all(r.success for r in results) and cfg.warehouse.read_snapshot:
        from warehouse.snapshot import publish

        click.echo(f"published the read snapshot {publish(cfg.warehouse_path, wait_s=cfg.warehouse.lock_wait_s)}",
                   err=True)
    ok = True
    for r in results:
        label = r.partition or "unpartitioned"
        status = "ok" if r.success and not r.checks_failed else "FAILED"
        click.echo(f"{label}: {status}" + (f" (failed checks: {', '.join(r.checks_failed)})" if r.checks_failed else ""),
                   err=True)
        for line in r.failure_details:
            click.echo(f"{label}:   {line}", err=True)
        if r.checks_warned:
            click.echo(f"{label}: warnings from checks: {', '.join(r.checks_warned)}", err=True)
        ok = ok and r.success and not r.checks_failed
    return ok


@main.command(help="Sample data → materialize everything → print headline figures. No cloud account needed.")
@click.option("--days", type=click.IntRange(1, 366), default=7, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.pass_context
def demo(ctx: click.Context, days: int, seed: int) -> None:
    from collectors.samples.writer import DEFAULT_START, write_samples
    from pipelines.headlines import headline_report
    from pipelines.summary import summary_lines

    cfg = _config(ctx)
    samples = cfg.resolve(cfg.samples_dir)
    click.echo(f"writing {days} days of sample data to {samples}", err=True)
    write_samples(samples, start=DEFAULT_START, days=days, seed=seed, progress=lambda m: click.echo(m, err=True))
    partitions = _billing_partitions(cfg)
    if not _run(cfg, None, partitions or [None]):
        raise click.ClickException("the demo run failed; see the log above (infraledger --verbose demo for more)")
    if os.environ.get("INFRALEDGER_VERBOSE"):
        click.echo(f"\n{headline_report(cfg.warehouse_path)}")
    click.echo(f"\nwarehouse: {cfg.warehouse_path}\n")
    click.echo("\n".join(summary_lines(cfg.warehouse_path, cfg.warehouse_path.parent / "reports")))


@main.command(help="Materialize assets in-process (recorded in the persistent Dagster instance).")
@click.option("--select", "selection", default=None,
              help='Dagster asset selection, e.g. "key:raw/aws_cur_line_items" or "group:marts". Default: all.')
@click.option("--partition", "partitions", multiple=True,
              help="Billing month, YYYY-MM (or its partition key YYYY-MM-01). Repeatable. Default: every "
                   "billing period with a delivery.")
@click.pass_context
def materialize(ctx: click.Context, selection: str | None, partitions: tuple[str, ...]) -> None:
    from pipelines.lib.cli_args import UsageError, billing_partition_key, check_selection
    from pipelines.partitions import billing_month

    cfg = _config(ctx)
    try:
        # the partitions first: refused in a second, before the definitions are loaded (several seconds)
        existing = billing_month().get_partition_keys()
        chosen = [billing_partition_key(p, existing) for p in partitions]
        from pipelines.definitions import defs

        loaded = defs()  # once: the selection is checked against the same definitions the run uses
        if selection:
            check_selection(selection, loaded.resolve_asset_graph())
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None
    keys: list[str | None] = chosen or list(_billing_partitions(cfg)) or [None]
    if not _run(cfg, selection, keys, loaded):
        raise click.ClickException("materialization failed; see the log above")


def _day(text: str, *, end: bool) -> dt.date:
    try:
        if len(text) == 7:  # YYYY-MM: the whole month
            first = dt.date.fromisoformat(f"{text}-01")
            return first.replace(day=calendar.monthrange(first.year, first.month)[1]) if end else first
        return dt.date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not YYYY-MM-DD or YYYY-MM") from None


@main.command(help="Backfill a date range (YYYY-MM-DD or YYYY-MM): daily partitions, billing months, then the "
                   "marts once, with progress. Re-running a range replaces it.")
@click.option("--from", "start", required=True, help="First day (or month) to load.")
@click.option("--to", "end", required=True, help="Last day (or month) to load, inclusive.")
@click.option("--select", "selection", default=None, help='Dagster asset selection (default: every asset).')
@click.pass_context
def backfill(ctx: click.Context, start: str, end: str, selection: str | None) -> None:
    import dagster as dg

    from pipelines.backfill import check_range, plan, run_step
    from pipelines.runner import prepare_dagster_home

    cfg = _config(ctx)
    first, last = _day(start, end=False), _day(end, end=True)
    try:
        check_range(first, last)  # refused in a second, before the definitions are loaded (several seconds)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    from pipelines.definitions import defs

    d = defs()
    try:
        steps = plan(d, first, last, selection)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    if not steps:
        raise click.ClickException("nothing to backfill: no selected asset has a partition in that range")
    prepare_dagster_home(cfg)
    failed: list[str] = []
    with dg.DagsterInstance.get() as instance, click.progressbar(
            steps, label=f"backfill {start}..{end}", file=sys.stderr, show_pos=True,
            item_show_func=lambda s: s.label if s else None) as bar:
        for n, step in enumerate(bar, start=1):
            summary = run_step(d, step, instance)
            ok = summary.success and not summary.checks_failed
            if not ok:
                failed.append(step.label)
            click.echo(f"\n[{n}/{len(steps)}] {step.label}: {'ok' if ok else 'FAILED'}"
                       + (f" (failed checks: {', '.join(summary.checks_failed)})" if summary.checks_failed else ""),
                       err=True)
            for line in summary.failure_details:
                click.echo(f"    {line}", err=True)
    if failed:
        raise click.ClickException(f"backfill finished with failures: {failed}")
    if cfg.warehouse.read_snapshot:
        from warehouse.snapshot import publish

        publish(cfg.warehouse_path, wait_s=cfg.warehouse.lock_wait_s)
    click.echo(f"backfilled {start}..{end}: {len(steps)} runs")


@main.command(help="Run a read-only SQL query on the warehouse (SELECT only; no writes, files or extensions), or "
                   "a saved one (--saved NAME: the report's, status's and the summary's own statements).")
@click.argument("query", required=False)
@click.option("--saved", "saved", metavar="NAME", help="Run a saved query (`infraledger saved` lists them).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A saved query's parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.pass_context
def sql(ctx: click.Context, query: str | None, saved: str | None, params: tuple[str, ...], fmt: str) -> None:
    from pipelines.sql_output import as_csv, as_json, as_table
    from warehouse.connection import WarehouseLockedError
    from warehouse.query import QueryRefused, run_query

    cfg = _config(ctx)
    text, bound = _query_text(query, saved, params)
    try:
        res = run_query(cfg.warehouse_path, text, params=bound)
    except (QueryRefused, WarehouseLockedError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # DuckDB parser/binder errors: show them plainly
        raise click.ClickException(f"query failed: {exc}") from None
    if res.note:
        click.echo(f"note: {res.note}", err=True)
    if fmt == "json":
        click.echo(as_json(res.columns, res.rows))
    elif fmt == "csv":
        click.echo(as_csv(res.columns, res.rows), nl=False)
    else:
        click.echo(as_table(res.columns, res.rows))


def _query_text(query: str | None, saved: str | None, params: tuple[str, ...]) -> tuple[str, dict[str, str] | None]:
    """The SQL to run and its parameters: the query given, or the saved statement with its --param values."""
    from warehouse.statements import saved_queries, statement

    if (query is None) == (saved is None):
        raise click.UsageError("give a query or --saved NAME (one of them)")
    if saved is None:
        if params:
            raise click.UsageError("--param goes with --saved")
        return query, None
    known = {q.name: q for q in saved_queries()}
    if saved not in known:
        raise click.UsageError(f"no saved query {saved!r}; `infraledger saved` lists them")
    bound = dict(p.split("=", 1) for p in params if "=" in p)
    if len(bound) != len(params) or set(bound) != set(known[saved].params):
        wanted = ", ".join(f"--param {p}=..." for p in known[saved].params) or "no --param"
        raise click.UsageError(f"{saved} takes {wanted}")
    return statement(saved), bound or None


@main.command(short_help="The report's and status's queries, by name.",
              help="List the saved queries (the report's, status's and the summary's statements) and their parameters.")
def saved() -> None:
    from pipelines.sql_output import as_table
    from warehouse.statements import saved_queries

    click.echo(as_table(["name", "parameters", "what it answers"],
                        [(q.name, " ".join(q.params), q.title) for q in saved_queries()]))


@main.command(help="List the tables you can query (marts first) with their descriptions and row counts.")
@click.pass_context
def tables(ctx: click.Context) -> None:
    from pipelines.sql_output import as_table
    from warehouse.connection import WarehouseLockedError
    from warehouse.query import run_query
    from warehouse.statements import statement

    cfg = _config(ctx)
    descriptions = _model_descriptions()
    try:
        res = run_query(cfg.warehouse_path, statement("catalog_tables"))
    except (WarehouseLockedError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:  # the catalog could not be read: say so in one line
        raise click.ClickException(f"cannot list the tables: {exc}") from None
    order = {"marts": 0, "intermediate": 1, "staging": 2, "raw": 3, "audit": 4}
    rows = sorted(res.rows, key=lambda r: (order.get(r[0].split(".")[0], 9), r[0]))
    click.echo(as_table(["table", "rows", "description"],
                        [(t, n, descriptions.get(t, "")[:100]) for t, n in rows]))


def _model_descriptions() -> dict[str, str]:
    """'schema.table' -> the dbt model's description, from the manifest (empty when there is none yet)."""
    from pipelines.lib.dbt_project import MANIFEST_PATH as manifest

    if not manifest.exists():
        return {}
    nodes = json.loads(manifest.read_text())["nodes"].values()
    return {f"{n['schema']}.{n['alias'] or n['name']}": " ".join(n.get("description", "").split())
            for n in nodes if n.get("resource_type") in ("model", "seed")}


@main.command(help="Write the monthly HTML report (charts inline, one self-contained file).")
@click.option("--month", default=None, help="YYYY-MM. Default: the latest month with cost data.")
@click.option("--out", type=click.Path(file_okay=False), default=None,
              help="Folder for the file. Default: reports/ beside the warehouse (in the git-ignored data folder).")
@click.pass_context
def report(ctx: click.Context, month: str | None, out: str | None) -> None:
    from pipelines.report.monthly import write_report
    from warehouse.statements import run

    cfg = _config(ctx)
    months = [m for m, in _read(cfg, lambda conn: run(conn, "months_with_cost").fetchall())]
    if month is None:
        if not months:
            raise click.ClickException("no month has cost data yet: run `infraledger materialize` first")
        month = months[-1]
    elif month not in months and re.fullmatch(r"\d{4}-\d{2}", month):
        raise click.BadParameter(f"{month} has no cost data; months with data: {', '.join(months) or 'none'}",
                                 param_hint="--month")
    try:
        path = write_report(cfg.warehouse_path, month, Path(out) if out else cfg.warehouse_path.parent / "reports")
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    click.echo(f"wrote {path}")


def _read(cfg: InfraledgerConfig, fn):
    """``fn(conn)`` on a read-only connection to the warehouse; a locked or missing file is a clear message."""
    from warehouse.connection import WarehouseLockedError, connect
    from warehouse.query import READ_ONLY_CONFIG

    try:
        conn = connect(cfg.warehouse_path, read_only=True, config=READ_ONLY_CONFIG, wait_s=5)
    except (WarehouseLockedError, FileNotFoundError) as exc:
        raise click.ClickException(str(exc)) from None
    try:
        return fn(conn)
    finally:
        conn.close()


@main.command(help="Quarantined rows: a count per table, partition and reason, or with --table the rows themselves.")
@click.option("--table", default=None, help="A quarantine table (e.g. aws_cur_line_items): show its rows.")
@click.option("--limit", type=click.IntRange(1, 100_000), default=20, show_default=True, help="Rows to show.")
@click.pass_context
def quarantine(ctx: click.Context, table: str | None, limit: int) -> None:
    from pipelines.headlines import format_table
    from warehouse.quarantine import quarantine_summary, quarantined_rows

    if table is None:
        rows = _read(_config(ctx), quarantine_summary)
        click.echo(format_table(["table", "partition", "reason", "rows"], rows))
        return
    try:
        rows = _read(_config(ctx), lambda conn: quarantined_rows(conn, table, limit))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--table") from None
    click.echo(format_table(["partition", "file", "row", "reason", "record"],
                            [(p, Path(f).name, r, why[:100], (rec or "")[:100]) for p, f, r, why, rec in rows]))


@main.command(help="Show each data-quality suite's latest validation: rules, errors, warnings, and the data docs.")
@click.pass_context
def quality(ctx: click.Context) -> None:
    from pipelines.headlines import format_table
    from warehouse.quality import latest_results

    cfg = _config(ctx)
    click.echo(format_table(["asset", "suite", "validated_at", "rules", "errors", "warnings"],
                            _read(cfg, latest_results)))
    from pipelines.quality.gx_runner import docs_site, rebuild_index

    docs = cfg.resolve(cfg.quality.docs_dir)
    # the checks of a run leave the index to its mart suites' step: bring it up to date
    site = rebuild_index(docs) if (docs / "gx").is_dir() else docs_site(docs) / "index.html"
    click.echo(f"\ndata docs: {site}")


@main.command(help="In ten lines: the last run, data freshness, yesterday's cost, the month to date and its forecast, "
                   "budgets, open anomalies, failing loads and checks.")
@click.option("--sources", is_flag=True, help="Also list every source's last successful load.")
@click.pass_context
def status(ctx: click.Context, sources: bool) -> None:
    import dagster as dg

    from pipelines.headlines import format_table
    from pipelines.runner import prepare_dagster_home
    from pipelines.status import (anomaly_line, budget_line, complaining_checks, cost_lines, failed_loads,
                                  freshness_line, source_freshness)

    cfg = _config(ctx)
    freshness, failures, checks, costs, budgets, anomalies = _read(cfg, lambda conn: (
        source_freshness(conn), failed_loads(conn), complaining_checks(conn), cost_lines(conn), budget_line(conn),
        anomaly_line(conn)))
    prepare_dagster_home(cfg)
    with dg.DagsterInstance.get() as instance:
        runs = instance.get_runs(limit=1)
    if runs:
        run = runs[0]
        started = instance.get_run_stats(run.run_id).start_time
        when = dt.datetime.fromtimestamp(started, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if started else "?"
        click.echo(f"last run: {run.status.value} ({when}, run {run.run_id[:8]})")
    else:
        click.echo("last run: none yet in this Dagster instance")
    click.echo(freshness_line(freshness))
    click.echo("\n".join(costs))
    click.echo(budgets)
    click.echo(anomalies)
    click.echo("failing loads: " + (", ".join(f"{s} {p} ({st})" for s, p, st in failures) if failures else "none"))
    click.echo("checks with findings: " + (", ".join(f"{a} ({e} errors, {w} warnings)" for a, e, w in checks)
                                            if checks else "none"))
    if sources:
        click.echo("\nsources (last successful load):\n" + format_table(["source", "loaded", "age", "rows"], freshness))


@main.command(help="Start the Dagster UI on the workspace (persistent DAGSTER_HOME under the data folder).")
@click.option("--port", type=click.IntRange(1, 65535), default=3000, show_default=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.pass_context
def ui(ctx: click.Context, port: int, host: str) -> None:
    from pipelines.runner import prepare_dagster_home

    import socket

    with socket.socket() as probe:  # refuse at once, rather than start a daemon beside a webserver that cannot bind
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise click.ClickException(f"cannot serve on {host}:{port} ({exc.strerror or exc}); "
                                       "choose another with --port") from None
    cfg = _config(ctx)
    home = prepare_dagster_home(cfg)
    click.echo(f"DAGSTER_HOME={home}", err=True)
    # `dg dev` (the project's [tool.dg] table names the code location): `dagster dev` is superseded by it and warns
    dg_cli = Path(sys.executable).parent / "dg"
    cmd = [str(dg_cli) if dg_cli.exists() else "dg", "dev", "--host", host, "--port", str(port)]
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
           "VIRTUAL_ENV": sys.prefix}  # the project's own environment is the active one: dg does not warn
    raise SystemExit(run_process_group(cmd, cwd=REPO_ROOT, env=env))


def run_process_group(cmd: list[str], grace_s: float = 20.0, **popen: object) -> int:
    """Run ``cmd`` in a process group of its own and make sure the whole group (dg dev, its webserver and its
    daemon) stops with us: SIGTERM and Ctrl-C are passed to the group as SIGTERM, and a group still running
    ``grace_s`` seconds later (or left behind when the command exits) is killed."""
    import signal
    import time

    proc: subprocess.Popen | None = None
    asked_to_stop: list[float] = []

    def stop_group(sig: int) -> None:
        if proc is None:
            return
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            pass

    def on_signal(_signum: int, _frame: object) -> None:
        asked_to_stop.append(time.monotonic())
        stop_group(signal.SIGTERM)

    # the handlers come first: a signal between the start of the group and their installation would end us with
    # the default action and leave a group that ignores SIGTERM running for good
    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    try:
        proc = subprocess.Popen(cmd, start_new_session=True, **popen)
        if asked_to_stop:  # asked while the group was starting
            stop_group(signal.SIGTERM)
        while True:
            try:
                return proc.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                if asked_to_stop and time.monotonic() - asked_to_stop[0] > grace_s:
                    stop_group(signal.SIGKILL)  # a group that ignored SIGTERM for the whole grace does not survive
    finally:
        if proc is not None:
            stop_group(signal.SIGTERM)
            try:
                proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                pass
            stop_group(signal.SIGKILL)  # a member that ignored SIGTERM (the daemon's workers) does not survive us
        for s, handler in previous.items():
            signal.signal(s, handler)


# one line each in `infraledger --help` (the full help text is under `infraledger COMMAND --help`)
SHORT_HELP = {
    "backfill": "Load a range of days or months, with progress.",
    "demo": "Sample data, every asset, then the month's headline figures.",
    "materialize": "Run assets for billing months (default: every delivered month).",
    "quality": "Each data-quality suite's latest result and the data docs.",
    "quarantine": "Refused rows: counts by reason, or the rows of one table.",
    "report": "Write the monthly HTML report.",
    "sample-data": "Write a seeded sample period of every source.",
    "sql": "Run a read-only SQL query on the warehouse.",
    "status": "Freshness, the last run, failing checks, yesterday's cost.",
    "tables": "List what you can query, with descriptions.",
    "ui": "Start the Dagster UI (stops all of it on Ctrl-C).",
}
for _name, _command in main.commands.items():
    _command.short_help = SHORT_HELP.get(_name, _command.short_help)


if __name__ == "__main__":
    main()
