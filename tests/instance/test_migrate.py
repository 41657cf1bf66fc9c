"""An upgrade's `dagster instance migrate` through the wrapper the README gives
(`.venv/bin/python -m assets.instance dagster instance migrate`): it really runs on the instance's
storage, SQLite or PostgreSQL, without the environment activated."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg2

REPO = Path(__file__).resolve().parents[2]


def _migrate(
    home: Path,
    pg_url: str | None = None,
    command: tuple[str, ...] = ("dagster", "instance", "migrate"),
) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DAGSTER_PG_URL", "MILLE_JOURS_PG_DRIVER_URL", "VIRTUAL_ENV")
    }
    env.update(PYTHONPATH=str(REPO), DAGSTER_HOME=str(home), PATH="/usr/bin:/bin")
    if pg_url:
        env["DAGSTER_PG_URL"] = pg_url
    return subprocess.run(
        [sys.executable, "-m", "assets.instance", *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_migrate_runs_on_a_sqlite_instance(tmp_path: Path):
    done = _migrate(tmp_path / "instance")
    assert done.returncode == 0, done.stderr
    assert "Updating run storage" in done.stdout and "Updating event storage" in done.stdout
    assert "ConsolidatedSqliteEventLogStorage" in done.stdout  # the instance's own configuration
    assert (tmp_path / "instance" / "history" / "runs.db").is_file()


def test_migrate_runs_on_a_postgresql_instance(tmp_path: Path, pg_url: str):
    done = _migrate(tmp_path / "instance", pg_url)
    assert done.returncode == 0, done.stderr
    assert "Updating run storage" in done.stdout and "PostgresRunStorage" in done.stdout
    assert "postgres:postgres@" not in (tmp_path / "instance" / "dagster.yaml").read_text()
    db = psycopg2.connect(pg_url)
    with db, db.cursor() as sql:
        sql.execute("SELECT count(*) FROM alembic_version")
        assert sql.fetchone()[0] == 1  # Dagster's schema, at its version
    db.close()
    assert not (tmp_path / "instance" / "history").exists()


def test_migrate_refuses_an_environment_contradicting_the_instance(tmp_path: Path, pg_url: str):
    assert _migrate(tmp_path / "instance", command=()).returncode == 0  # created on SQLite
    refused = _migrate(tmp_path / "instance", pg_url)
    assert refused.returncode == 2 and "Updating" not in refused.stdout
    assert "a été créée avec le stockage SQLite" in refused.stderr, refused.stderr
