"""What Dagster shows of the sources' and the package's freshness, on a real instance.

A raw file changed after a publication: the sensor observes it once, the Dagster UI (its GraphQL
API, served by a real `dagster-webserver`) shows its source stale until it is read again. The
published package passes its freshness check after a publication and fails it once overdue.
"""

from __future__ import annotations

import datetime
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import defs
from assets.freshness import PACKAGE_FRESHNESS, freshness_checks, package_freshness_checks
from assets.instance import ensure_instance_home
from assets.observation import RAW_FILE
from assets.partitions import file_version
from assets.planning import registered_sources, survey
from assets.publication import publish_all
from assets.resources import ProjectPaths
from assets.sensors import raw_sources_sensor
from tests.conftest import REPO, add_source
from tests.fictif import LAUREATS_FICTIFS, csv_fictif, manifest_fictif

# Said once at import by assets/freshness.py; the test builds the check again with another bound.
pytestmark = pytest.mark.filterwarnings("ignore:Function `build_last_update_freshness_checks`")

CHANGED = "normandie/2024/laureats-fictifs"
UNCHANGED = "normandie/2023/laureats-fictifs"
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}
STALENESS = """
query ($partitions: [String!]) {
  assetNodes(assetKeys: [{path: ["staged_source"]}]) {
    staleStatusByPartition(partitions: $partitions)
    staleCausesByPartition(partitions: $partitions) { reason key { path } }
  }
}
"""


@pytest.fixture
def fictif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project of two fictitious lists (2023 and 2024), its own Dagster home."""
    root = tmp_path / "projet-fictif"
    (root / "published").mkdir(parents=True)
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(root))
    monkeypatch.setenv("DAGSTER_HOME", str(root / ".dagster"))
    add_source(root, "normandie", 2024, "laureats-fictifs", csv_fictif(), manifest_fictif())
    campaign = {"id": "normandie-2023-aap", "title": "Appel à projets fictif 2023"}
    add_source(
        root,
        "normandie",
        2023,
        "laureats-fictifs",
        csv_fictif(),
        manifest_fictif(year=2023, campaign=campaign),
    )
    ensure_instance_home(root)
    return root


@pytest.fixture
def webserver(fictif: Path) -> Iterator[str]:
    """`dagster-webserver` on the project's instance, as `make dev` serves the UI; its GraphQL address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("dagster-webserver")),
            *("-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)),
        ],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        os.killpg(server.pid, signal.SIGKILL)  # the webserver and the code server it started
        server.wait(timeout=30)


def staleness(url: str, key: str, timeout: float = 120) -> tuple[str, set[str]]:
    """The source's status as the UI shows it, and where its staleness comes from (asset, why)."""
    body = json.dumps({"query": STALENESS, "variables": {"partitions": [key]}}).encode()
    deadline = time.monotonic() + timeout
    while True:
        try:
            request = urllib.request.Request(
                url, body, headers={"Content-Type": "application/json"}
            )
            with urllib.request.urlopen(request, timeout=30) as response:
                nodes = json.load(response)["data"]["assetNodes"]
            if nodes:  # empty while the code location is still loading
                causes = nodes[0]["staleCausesByPartition"][0]
                return nodes[0]["staleStatusByPartition"][0], {
                    ("/".join(c["key"]["path"]), c["reason"]) for c in causes
                }
        except OSError:  # not listening yet
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"dagster-webserver muet depuis {timeout} s sur {url}")
        time.sleep(0.5)


def observations(instance: dg.DagsterInstance, key: str | None = None) -> list[str]:
    """The data versions raw_file was observed at, oldest first (one source's, or all)."""
    records = instance.fetch_observations(
        dg.AssetRecordsFilter(
            asset_key=dg.AssetKey(RAW_FILE), asset_partitions=[key] if key else None
        ),
        limit=1000,
    ).records
    return [r.event_log_entry.tags["dagster/data_version"] for r in reversed(records)]


def tick(instance: dg.DagsterInstance, root: Path, cursor: str | None):
    """One tick of raw_sources_sensor, its observations stored as the daemon stores them."""
    context = dg.build_sensor_context(
        instance=instance, cursor=cursor, resources={"paths": ProjectPaths(root=str(root))}
    )
    result = raw_sources_sensor(context)
    if isinstance(result, dg.SensorResult):
        for event in result.asset_events:
            instance.report_runless_asset_event(event)
    return result


def test_a_raw_file_changed_after_a_publication_shows_its_source_stale_until_read(
    fictif: Path, webserver: str
):
    assert publish_all(fictif).ok
    with dg.DagsterInstance.get() as instance:
        # `mille-jours publish` observes once for the instance, never once per source it reads.
        assert len(observations(instance)) == 1
        # The publication evaluated the package's freshness too: just published, fresh.
        freshness = instance.get_latest_asset_check_evaluation_record(
            dg.AssetCheckKey(dg.AssetKey("data_package"), "freshness_check")
        )
        assert freshness is not None and freshness.status.value == "SUCCEEDED"
        assert staleness(webserver, CHANGED) == ("FRESH", set())

        data = fictif / "raw" / "normandie" / "2024" / "laureats-fictifs.csv"
        data.write_bytes(csv_fictif(LAUREATS_FICTIFS[:3], total="21 734,50 €"))
        before = observations(instance, CHANGED)
        # The daemon started after the publication: one observation, of the changed source only.
        changed = tick(instance, fictif, None)
        assert isinstance(changed, dg.SensorResult)
        assert [e.partition for e in changed.asset_events] == [CHANGED]
        assert len(observations(instance)) == 2
        assert len(observations(instance, CHANGED)) == len(before) + 1
        now = survey(fictif / "raw", registered_sources(instance)).current[CHANGED]
        assert observations(instance, CHANGED)[-1] == file_version(now)
        assert staleness(webserver, CHANGED) == ("STALE", {(RAW_FILE, "has a new data version")})
        assert staleness(webserver, UNCHANGED) == ("FRESH", set())

        # Still to read at the next tick, but already observed at this version: no new event.
        waiting = tick(instance, fictif, changed.cursor)
        assert isinstance(waiting, dg.SensorResult) and not waiting.asset_events
        # The run the sensor asked for reads it: fresh again, and nothing more to observe.
        [request] = changed.run_requests
        assert request.partition_key == CHANGED
        run = defs.resolve_job_def("ingest_source").execute_in_process(
            instance=instance, partition_key=CHANGED, run_config=QUIET
        )
        assert run.success
        assert staleness(webserver, CHANGED) == ("FRESH", set())
        again = tick(instance, fictif, waiting.cursor)
        assert isinstance(again, dg.SkipReason)


def evaluate(instance: dg.DagsterInstance, checks: list[dg.AssetChecksDefinition]) -> bool:
    """The package's freshness check run on the instance, as its sensor's run runs it."""
    job = dg.define_asset_job("fraicheur", selection=dg.AssetSelection.checks(*checks))
    location = dg.Definitions(
        assets=[dg.AssetSpec("data_package")], asset_checks=checks, jobs=[job]
    )
    result = location.resolve_job_def("fraicheur").execute_in_process(
        instance=instance, run_config=QUIET
    )
    [evaluation] = result.get_asset_check_evaluations()
    assert evaluation.asset_key == dg.AssetKey("data_package")
    return evaluation.passed


def test_the_package_is_overdue_past_its_weekly_bound(tmp_path: Path):
    # Mondays at 6 h, a day's margin for the refresh or its retry: never overdue between two.
    assert datetime.timedelta(days=7) < PACKAGE_FRESHNESS <= datetime.timedelta(days=8)
    sensor = next(s for s in defs.sensors if s.name == "package_freshness_sensor")
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        assert not evaluate(instance, freshness_checks)  # never published
        instance.report_runless_asset_event(dg.AssetMaterialization("data_package"))
        assert evaluate(instance, freshness_checks)
        # The same check with a bound already past: the last publication is overdue.
        second = datetime.timedelta(seconds=1)
        time.sleep(1.1)
        assert not evaluate(instance, package_freshness_checks(second))
