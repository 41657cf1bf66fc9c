"""The automatic flow on a real Dagster instance: raw/ changes → sensor → source runs → tables → package.

The project is a copy of the real raw/ plus fictitious sources (tests/fictif.py).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from assets.definitions import defs
from assets.resources import ProjectPaths
from assets.sensors import raw_sources_sensor
from pipelines.read.discovery import discover
from schemas.tables import TABLES
from tests.conftest import REPO, add_source
from tests.fictif import LAUREATS_FICTIFS, csv_fictif, manifest_fictif

# Raised inside Dagster's own condition evaluator, not by the code under test.
pytestmark = pytest.mark.filterwarnings("ignore::dagster.BetaWarning")

TABLES_AND_PACKAGE = set(TABLES) | {"data_package"}
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
FICTIF = "normandie/2024/laureats-fictifs"


class Flow:
    """What the Dagster daemon does, one step at a time: sensor ticks, runs, automation ticks."""

    def __init__(self, instance: dg.DagsterInstance, root: Path) -> None:
        self.instance, self.root = instance, root
        self.sensor_cursor: str | None = None
        self.automation_cursor = None

    def tick(self) -> dg.SensorResult | dg.SkipReason:
        context = dg.build_sensor_context(
            instance=self.instance,
            cursor=self.sensor_cursor,
            resources={"paths": ProjectPaths(root=str(self.root))},
        )
        result = raw_sources_sensor(context)
        if isinstance(result, dg.SensorResult):
            self.sensor_cursor = result.cursor
            for request in result.dynamic_partitions_requests:
                if isinstance(request, dg.AddDynamicPartitionsRequest):
                    self.instance.add_dynamic_partitions(
                        request.partitions_def_name, list(request.partition_keys)
                    )
                else:
                    for key in request.partition_keys:
                        self.instance.delete_dynamic_partition(request.partitions_def_name, key)
        return result

    def ingest(self, key: str) -> dg.ExecuteInProcessResult:
        return defs.resolve_job_def("ingest_source").execute_in_process(
            partition_key=key, instance=self.instance, raise_on_error=False, run_config=QUIET
        )

    def keys(self, request: dg.RunRequest) -> list[str]:
        """The sources one run request reads: its partition, or its range of partitions."""
        if request.partition_key:
            return [request.partition_key]
        order = list(self.instance.get_dynamic_partitions("raw_sources"))
        span = request.partition_key_range
        return order[order.index(span.start) : order.index(span.end) + 1]

    def run_sensor_requests(self, result: dg.SensorResult) -> dict[str, dg.ExecuteInProcessResult]:
        """Each ingestion request as one run, as the daemon launches it; its result under each source it read."""
        runs = {}
        for request in result.run_requests:
            if request.job_name != "ingest_source":
                continue
            run = defs.resolve_job_def("ingest_source").execute_in_process(
                instance=self.instance,
                raise_on_error=False,
                run_config=QUIET,
                partition_key=request.partition_key,
                tags={
                    k: v
                    for k, v in request.tags.items()
                    if not k.startswith("dagster/partition") or not request.partition_key
                },
            )
            runs.update(dict.fromkeys(self.keys(request), run))
        return runs

    def requested(self) -> set[str]:
        evaluation = dg.evaluate_automation_conditions(
            defs=defs, instance=self.instance, cursor=self.automation_cursor
        )
        self.automation_cursor = evaluation.cursor
        return {
            r.key.to_user_string()
            for r in evaluation.results
            if isinstance(r.key, dg.AssetKey) and r.true_subset.size
        }

    def publish(self) -> dg.ExecuteInProcessResult:
        result = defs.resolve_job_def("publish").execute_in_process(
            instance=self.instance, run_config=QUIET
        )
        assert result.success
        return result


@pytest.fixture
def flow(project: Path):
    with dg.instance_for_test() as instance:
        yield Flow(instance, project)


def published(root: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(root / "published" / "data" / f"{table}.csv", dtype=str)


def test_sensor_registers_rereads_and_forgets_sources(flow: Flow, project: Path):
    real = [s.key for s in discover(project / "raw")]
    first = flow.tick()
    assert sorted(first.dynamic_partitions_requests[0].partition_keys) == real
    # Every new source in one run (a range of partitions), not one run each.
    assert len(first.run_requests) == 1 and first.run_requests[0].job_name == "ingest_source"
    assert sorted(flow.keys(first.run_requests[0])) == real
    runs = flow.run_sensor_requests(first)
    assert set(runs) == set(real) and all(r.success for r in runs.values())
    assert isinstance(flow.tick(), dg.SkipReason)  # nothing new

    path = add_source(
        project, "normandie", 2024, "laureats-fictifs", csv_fictif(), manifest_fictif()
    )
    new = flow.tick()
    assert list(new.dynamic_partitions_requests[0].partition_keys) == [FICTIF]
    assert [r.partition_key for r in new.run_requests] == [FICTIF]  # one small run for one new file
    flow.run_sensor_requests(new)

    # The contributor corrects the manifest: only this source is read again, under a new run key.
    manifest = path.with_suffix(".yaml")
    original = manifest.read_text(encoding="utf-8")
    manifest.write_text(original + "# relu\n", encoding="utf-8")
    changed = flow.tick()
    assert [r.partition_key for r in changed.run_requests] == [FICTIF]
    assert changed.run_requests[0].run_key != new.run_requests[0].run_key
    assert not changed.dynamic_partitions_requests
    flow.run_sensor_requests(changed)
    assert isinstance(flow.tick(), dg.SkipReason)

    # Put back as it was (how a bad upload is undone): read again, not taken for an old run.
    manifest.write_text(original, encoding="utf-8")
    reverted = flow.tick()
    assert [r.partition_key for r in reverted.run_requests] == [FICTIF]
    assert reverted.run_requests[0].run_key not in {
        new.run_requests[0].run_key,
        changed.run_requests[0].run_key,
    }
    flow.run_sensor_requests(reverted)

    path.unlink()
    manifest.unlink()
    removed = flow.tick()
    assert list(removed.dynamic_partitions_requests[0].partition_keys) == [FICTIF]
    # The package is rebuilt once (a published source is held back until --allow-removals).
    assert [r.job_name for r in removed.run_requests] == ["publish"]
    assert FICTIF not in flow.instance.get_dynamic_partitions("raw_sources")
    assert isinstance(flow.tick(), dg.SkipReason)  # the same state asks for nothing again


def test_tables_and_package_follow_new_sources_without_waiting_for_a_broken_one(
    flow: Flow, project: Path
):
    first = flow.tick()
    keys = flow.keys(first.run_requests[0])
    # Sources registered, none read yet: nothing is published (no empty package over the last release).
    assert flow.requested() == set()

    for key in keys[:-1]:
        assert flow.ingest(key).success
    ingest_job = defs.resolve_job_def("ingest_source")
    running = flow.instance.create_run_for_job(
        job_def=ingest_job,
        tags={"dagster/partition": keys[-1]},
        status=dg.DagsterRunStatus.STARTED,
        asset_selection=frozenset({dg.AssetKey("staged_source")}),
    )
    assert flow.requested() == set()  # a source is being read: wait for it

    assert isinstance(flow.tick(), dg.SkipReason)  # being read: not requested twice

    # Its run crashes: the source stays missing, and the others are published all the same.
    flow.instance.report_run_failed(running)
    assert flow.requested() == TABLES_AND_PACKAGE
    # The sensor reads it again on its next tick.
    assert [r.partition_key for r in flow.tick().run_requests] == [keys[-1]]
    flow.publish()
    assert flow.requested() == set()  # handled: no second publication for the same inputs
    assert len(published(project, "sources")) == len(keys) - 1

    # A region drops a new list: it flows through to the package by itself.
    add_source(project, "normandie", 2024, "laureats-fictifs", csv_fictif(), manifest_fictif())
    runs = flow.run_sensor_requests(flow.tick())
    # With it, the source whose run crashed, still unread: neighbours in registration, one run for both.
    assert set(runs) == {keys[-1], FICTIF} and runs[FICTIF].success
    assert flow.requested() == TABLES_AND_PACKAGE
    flow.publish()
    awards = published(project, "awards")
    mine = awards[awards["source_id"] == FICTIF]
    assert sorted(mine["beneficiary_name"]) == sorted(r[0] for r in LAUREATS_FICTIFS)
    assert set(mine["campaign_id"]) == {"normandie-2024-aap"} and set(mine["region_code"]) == {"28"}


def test_refused_source_fails_its_own_checks_with_samples_and_the_others_publish(
    flow: Flow, project: Path
):
    first = flow.tick()
    assert (
        flow.requested() == set()
    )  # the automation sensor ticks from the start, as with the daemon
    flow.run_sensor_requests(first)
    rows = [r[:] for r in LAUREATS_FICTIFS]
    rows[1][3] = "huit mille"
    rows[2][4] = "joindre referente.fictive@example.org"
    add_source(project, "normandie", 2024, "laureats-fictifs", csv_fictif(rows), manifest_fictif())
    add_source(
        project,
        "normandie",
        2024,
        "illisible-fictif",
        csv_fictif(),
        manifest_fictif(region="Atlantide"),
    )
    (project / "raw" / "normandie" / "2024" / "sans-fichier-fictif.yaml").write_text(
        manifest_fictif()
    )
    runs = flow.run_sensor_requests(flow.tick())
    assert all(
        r.success for r in runs.values()
    )  # a refused source is a failed check, not a failed run

    # One result per source (partition), whichever run read it.
    checks = {
        e.partition: e
        for r in {id(r): r for r in runs.values()}.values()
        for e in r.get_asset_check_evaluations()
        if e.check_name == "source_checked"
    }
    unreadable = checks["normandie/2024/illisible-fictif"]
    assert not unreadable.passed and unreadable.severity == dg.AssetCheckSeverity.ERROR
    assert unreadable.metadata["source_readable"].value == "erreur"
    message = unreadable.metadata["message"].value
    assert (
        "illisible-fictif.yaml" in message
        and "région inconnue 'Atlantide'" in message
        and "À faire" in message
    )
    assert (
        "aucun fichier de données"
        in checks["normandie/2024/sans-fichier-fictif"].metadata["message"].value
    )

    fictif = checks[FICTIF]
    assert not fictif.passed and fictif.severity == dg.AssetCheckSeverity.ERROR
    assert (
        fictif.metadata["rows_valid"].value == "erreur"
        and fictif.metadata["num_failures"].value == 1
    )
    assert "huit mille" in fictif.metadata["failure_sample"].value
    assert fictif.metadata["quality_warnings"].value == "erreur"  # personal data
    assert fictif.metadata["num_blocking"].value == 1
    assert "personal_email" in fictif.metadata["warning_sample"].value
    assert "referente.fictive" not in fictif.metadata["warning_sample"].value

    assert flow.requested() == TABLES_AND_PACKAGE
    flow.publish()
    sources = published(project, "sources").set_index("source_id")
    assert sources.loc["normandie/2024/illisible-fictif", ["status", "format"]].tolist() == [
        "bad_manifest",
        "csv",
    ]
    assert sources.loc["normandie/2024/sans-fichier-fictif", "status"] == "unreadable"
    assert pd.isna(
        sources.loc["normandie/2024/sans-fichier-fictif", "sha256"]
    )  # no file to fingerprint
    # Personal data in the file: the source is refused whole, nothing of it is published.
    assert sources.loc[FICTIF, "status"] == "refused"
    assert "données personnelles" in sources.loc[FICTIF, "message"]
    awards = published(project, "awards")
    assert (awards["source_id"] == FICTIF).sum() == 0
    assert not any(
        "referente.fictive" in p.read_text(encoding="utf-8", errors="replace")
        for p in (project / "published").rglob("*")
        if p.suffix in (".csv", ".md", ".html", ".json")
    )
    assert (
        awards["source_id"] == "pays-de-la-loire/2021/laureats-presse"
    ).sum() == 1  # the others flow
    rejected = published(project, "rejected_rows")
    assert rejected.loc[rejected["source_id"] == FICTIF, "value"].tolist() == ["huit mille"]


def test_readme_command_rereads_one_source_and_the_package_follows(project: Path):
    """`dg launch --assets staged_source --partition KEY`, as README.md shows it (run from the project)."""
    env = {
        **os.environ,
        "DAGSTER_HOME": str(project / ".dagster"),
        "MILLE_JOURS_ROOT": str(project),
        "VIRTUAL_ENV": str(Path(sys.executable).parents[1]),
    }
    key = "centre-val-de-loire/2022/campagne"
    with dg.DagsterInstance.get() as instance:
        flow = Flow(instance, project)
        flow.tick()  # the sensor registers the sources
        assert flow.requested() == set()
    dg_cli = Path(sys.executable).with_name("dg")
    done = subprocess.run(
        [str(dg_cli), "launch", "--assets", "staged_source", "--partition", key],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "supersede" not in (done.stdout + done.stderr).lower()
    with dg.DagsterInstance.get() as instance:
        event = instance.get_latest_materialization_event(dg.AssetKey("staged_source"))
        assert event is not None and event.dagster_event.partition == key
        flow.instance = instance
        # With the daemon on, the automation sensor would now publish the tables and the package.
        requested = flow.requested()
    # On a first evaluation, the other sources never read yet do not hold the publication back.
    assert requested == TABLES_AND_PACKAGE


def test_daemon_started_after_make_publish_reads_nothing_and_a_dead_publish_run_is_failed(
    project: Path,
):
    """`make publish`, then `make dev`: the sensor finds every source read; a run whose process died is failed."""
    from assets.publication import publish_all

    assert publish_all(project).ok
    with dg.DagsterInstance.get() as instance:
        flow = Flow(instance, project)
        assert isinstance(
            flow.tick(), dg.SkipReason
        )  # empty sensor cursor, yet nothing to read again

        # A publish process killed while reading a source leaves its run STARTED.
        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        gone.wait()
        key = "centre-val-de-loire/2022/campagne"
        stuck = instance.create_run_for_job(
            job_def=defs.resolve_job_def("ingest_source"),
            status=dg.DagsterRunStatus.STARTED,
            tags={
                "dagster/partition": key,
                "mille-jours/pid": str(gone.pid),
                "mille-jours/host": socket.gethostname(),
            },
            asset_selection=frozenset({dg.AssetKey("staged_source")}),
        )
        manifest = project / "raw" / "centre-val-de-loire" / "2022" / "campagne.yaml"
        manifest.write_text(manifest.read_text(encoding="utf-8") + "# relu\n", encoding="utf-8")
        result = flow.tick()
        assert instance.get_run_by_id(stuck.run_id).status == dg.DagsterRunStatus.FAILURE
        assert [r.partition_key for r in result.run_requests] == [key]  # read again at once


def test_a_broken_source_keeps_its_failed_checks_while_another_source_is_read_again(
    flow: Flow, project: Path
):
    broken = "normandie/2024/illisible-fictif"
    add_source(
        project,
        "normandie",
        2024,
        "illisible-fictif",
        csv_fictif(),
        manifest_fictif(region="Atlantide"),
    )
    add_source(project, "normandie", 2024, "laureats-fictifs", csv_fictif(), manifest_fictif())
    flow.run_sensor_requests(flow.tick())
    manifest = project / "raw" / "normandie" / "2024" / "laureats-fictifs.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + "# relu\n", encoding="utf-8")
    runs = flow.run_sensor_requests(flow.tick())
    assert list(runs) == [FICTIF]  # only the changed one

    storage = flow.instance.event_log_storage
    readable = dg.AssetCheckKey(dg.AssetKey("staged_source"), "source_checked")
    by_partition = {
        info.partition_key: info.latest_execution_status.value
        for info in storage.get_asset_check_partition_info([readable])
    }
    assert by_partition[broken] == "FAILED"  # not turned green by the other source's run
    assert by_partition[FICTIF] == "SUCCEEDED"
    assert by_partition["centre-val-de-loire/2022/campagne"] == "SUCCEEDED"
    assert len(by_partition) == len(discover(project / "raw"))  # one result per source


def test_published_files_hold_no_path_of_the_publishing_machine(project: Path):
    from assets.publication import publish_all

    add_source(
        project,
        "normandie",
        2024,
        "illisible-fictif",
        csv_fictif(),
        manifest_fictif(region="Atlantide"),
    )
    (project / "raw" / "normandie" / "2024" / "sans-fichier-fictif.yaml").write_text(
        manifest_fictif()
    )
    outcome = publish_all(project)
    assert not outcome.ok and "normandie/2024/illisible-fictif refusée" in outcome.lines[-1]
    sources = published(project, "sources").set_index("source_id")
    assert sources.loc["normandie/2024/illisible-fictif", "message"].startswith(
        "raw/normandie/2024/illisible-fictif.yaml"
    )
    for path in (project / "published").rglob("*"):
        if path.is_file():
            assert str(project).encode() not in path.read_bytes(), path
            assert str(project.parent).encode() not in path.read_bytes(), path


def test_weekly_refresh_reads_every_source_in_one_run(flow: Flow, project: Path):
    from assets.schedules import weekly_refresh

    flow.tick()  # registers the sources
    context = dg.build_schedule_context(
        instance=flow.instance,
        scheduled_execution_time=pd.Timestamp("2026-11-30 06:00", tz="Europe/Paris"),
    )
    request = weekly_refresh(context)
    assert isinstance(request, dg.RunRequest) and request.partition_key is None
    assert sorted(flow.keys(request)) == sorted(s.key for s in discover(project / "raw"))
