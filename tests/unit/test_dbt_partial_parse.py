"""The parsed project a dbt run leaves is the one the next run starts from (dagster-dbt seeds each run's own target
folder from ``<project>/target/partial_parse.msgpack``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipelines.lib.dbt_run import PARTIAL_PARSE, keep_partial_parse, prune_run_folders


def test_the_runs_parse_replaces_the_kept_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBT_TARGET_PATH", raising=False)
    project, run = tmp_path / "dbt", tmp_path / "dbt" / "target" / "infraledger_dbt_models-abc1234-def5678"
    run.mkdir(parents=True)
    (project / "target" / PARTIAL_PARSE).write_bytes(b"first parse, other vars")
    (run / PARTIAL_PARSE).write_bytes(b"this run's parse")
    keep_partial_parse(project, run)
    assert (project / "target" / PARTIAL_PARSE).read_bytes() == b"this run's parse"
    # replaced by a rename: no temporary file is left beside it
    assert sorted(p.name for p in (project / "target").iterdir()) == [run.name, PARTIAL_PARSE]


def test_a_run_without_a_parse_leaves_the_kept_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBT_TARGET_PATH", "elsewhere")
    project, run = tmp_path / "dbt", tmp_path / "run"
    run.mkdir()
    (project / "elsewhere").mkdir(parents=True)
    (project / "elsewhere" / PARTIAL_PARSE).write_bytes(b"kept")
    keep_partial_parse(project, run)  # dbt failed before it parsed: nothing to keep
    assert (project / "elsewhere" / PARTIAL_PARSE).read_bytes() == b"kept"
    (run / PARTIAL_PARSE).write_bytes(b"new")
    keep_partial_parse(project, run)  # DBT_TARGET_PATH names the project's target folder, as dagster-dbt reads it
    assert (project / "elsewhere" / PARTIAL_PARSE).read_bytes() == b"new"


def test_only_the_newest_run_folders_of_the_op_are_kept(tmp_path: Path) -> None:
    target = tmp_path / "target"
    names = [f"infraledger_dbt_models-{i:07d}-abcdef{i}" for i in range(8)]
    for age, name in enumerate(names):  # names[0] newest ... names[-1] oldest
        (target / name).mkdir(parents=True)
        (target / name / "dbt.log").write_text("log")
        os.utime(target / name, (1_000_000 - age * 10, 1_000_000 - age * 10))
    other = target / "another_op-1234567-abcdef0"  # another op's runs are not this op's to prune
    other.mkdir()
    os.utime(other, (1, 1))
    (target / PARTIAL_PARSE).write_bytes(b"kept")
    this_run = target / names[3]  # the folder of the run that just ended (its mtime is irrelevant)
    removed = prune_run_folders(this_run, keep=3)
    left = sorted(p.name for p in target.iterdir())
    assert left == sorted([names[0], names[1], names[3], other.name, PARTIAL_PARSE])
    assert sorted(p.name for p in removed) == sorted(names[2:3] + names[4:])
