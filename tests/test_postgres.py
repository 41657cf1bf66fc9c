"""Production storage: with DAGSTER_PG_URL, Dagster keeps runs and event logs in a real PostgreSQL."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest

from assets.publication import publish_all
from assets.resources import PUBLICATION_LOCK_KEY
from pipelines.read.discovery import discover
from tests.test_pipeline import read, tree


def test_publish_keeps_dagster_runs_and_events_in_postgresql(
    project, pg_url, monkeypatch: pytest.MonkeyPatch
):
    (
        project / ".dagster" / "dagster.yaml"
    ).unlink()  # the one `make publish` writes, as on a fresh machine
    monkeypatch.setenv("DAGSTER_PG_URL", pg_url)
    sources = len(discover(project / "raw"))
    outcome = publish_all(project)
    assert outcome.ok, "\n".join(outcome.lines)
    config = (project / ".dagster" / "dagster.yaml").read_text()
    assert (
        "MILLE_JOURS_PG_DRIVER_URL" in config and "postgres:postgres@" not in config
    )  # no secret in the file
    assert len(read(project / "published", "sources")) == sources

    db = psycopg2.connect(pg_url)
    with db, db.cursor() as sql:
        sql.execute("SELECT pipeline_name FROM runs WHERE status = 'SUCCESS'")
        assert sorted(r[0] for r in sql.fetchall()) == [
            "ingest_source",
            "publish",
        ]  # every source in one run
        sql.execute(
            "SELECT count(*) FROM event_logs WHERE dagster_event_type = 'ASSET_MATERIALIZATION'"
        )
        assert (
            sql.fetchone()[0] >= sources + 1
        )  # a reading per source, the package (and the tables)
        sql.execute(
            "SELECT count(DISTINCT partition) FROM asset_check_executions WHERE check_name = 'source_checked'"
        )
        assert sql.fetchone()[0] == sources  # one result per source
    db.close()
    assert not (project / ".dagster" / "history").exists()  # nothing went to SQLite

    first = tree(project / "published")
    nothing = publish_all(project)
    assert nothing.ok and "rien de changé depuis la dernière publication" in nothing.lines[-1]

    manifest = project / "raw" / "centre-val-de-loire" / "2022" / "campagne.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "# relu\n", encoding="utf-8")
    # Another host holds the publication: this publish waits on the advisory lock, then goes on.
    holder = psycopg2.connect(pg_url)
    with holder.cursor() as sql:
        sql.execute("SELECT pg_advisory_lock(%s)", (PUBLICATION_LOCK_KEY,))
    with ThreadPoolExecutor(1) as pool:
        again = pool.submit(publish_all, project)
        watcher = psycopg2.connect(pg_url)
        waiting = False
        try:
            for _ in range(600):
                # The waiting publication's session, named after it, tries the lock in turn.
                with watcher, watcher.cursor() as sql:
                    sql.execute(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE application_name LIKE 'mille-jours publish %%'"
                    )
                    waiting = sql.fetchone()[0] == 1
                if waiting or again.done():
                    break
                time.sleep(0.2)
            time.sleep(1)  # a few tries of the lock while it is held
            assert waiting and not again.done()
        finally:
            watcher.close()
            holder.close()  # the other host is done
        outcome = again.result(timeout=600)
    assert outcome.ok and f"1 à lire, {sources - 1} inchangée(s)" in "\n".join(outcome.lines)
    assert tree(project / "published") == first
    # The version, published twice with the same data, is kept once under the storage root.
    releases = project / ".dagster" / "storage" / "releases"
    version = (releases / "latest").read_text().strip()
    assert sorted(p.name for p in releases.iterdir()) == sorted(
        [version, f"{version}.sha256", "latest"]
    )
    assert tree(releases / version) == first
