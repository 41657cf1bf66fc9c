"""Production storage: with DAGSTER_PG_URL, Dagster keeps runs and event logs in a real PostgreSQL."""

from __future__ import annotations

import psycopg2
import pytest

from pipelines.run import publish_all
from tests.test_pipeline import read, tree


def test_publish_keeps_dagster_runs_and_events_in_postgresql(project, pg_url, monkeypatch: pytest.MonkeyPatch):
    (project / ".dagster" / "dagster.yaml").unlink()  # the one `make publish` writes, as on a fresh machine
    monkeypatch.setenv("DAGSTER_PG_URL", pg_url)
    outcome = publish_all(project)
    assert outcome.ok, "\n".join(outcome.lines)
    config = (project / ".dagster" / "dagster.yaml").read_text()
    assert "MILLE_JOURS_PG_DRIVER_URL" in config and "postgres:postgres@" not in config  # no secret in the file
    assert len(read(project / "published", "sources")) == 8

    db = psycopg2.connect(pg_url)
    with db, db.cursor() as sql:
        sql.execute("SELECT pipeline_name FROM runs WHERE status = 'SUCCESS'")
        assert sorted(r[0] for r in sql.fetchall()) == ["ingest_source", "publish"]  # the 8 sources in one run
        sql.execute("SELECT count(*) FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'")
        assert sql.fetchone()[0] >= 8 + 1  # a reading per source, the package (and the tables)
        sql.execute("SELECT count(DISTINCT partition) FROM asset_check_executions WHERE check_name = 'source_readable'")
        assert sql.fetchone()[0] == 8  # one result per source
    db.close()
    assert not (project / ".dagster" / "history").exists()  # nothing went to SQLite

    first = tree(project / "published")
    again = publish_all(project)
    assert again.ok and "0 à lire, 8 inchangée(s)" in "\n".join(again.lines)
    assert tree(project / "published") == first
