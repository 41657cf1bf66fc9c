"""One broken source never blocks the others, and failures are loud: a source of the release that
breaks is held back on its last good reading, `mille-jours publish` exits 1 and posts one message to
the webhook, a failed run is alerted by the run-failure sensor. Every list and name is fictitious."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import dagster as dg
import pandas as pd
import pytest

from assets.alerts import ALERT_URL_ENV, post_alert, run_failure_alert
from assets.publication import publish_all
from tests.conftest import REPO
from tests.fictif import LAUREATS_FICTIFS
from tests.hostile.test_release_per_source import CAMPAIGN, write_source

FIRST = "normandie/2024/premier-appel"
SECOND = "normandie/2024/second-appel"
SECOND_ROWS = [["Crèche Fictive du Val", "Éveil", "27", "5 000 €", ""]]


class Receiver:
    """A real local HTTP endpoint standing for the alert webhook: keeps each JSON body posted."""

    def __init__(self) -> None:
        received: list[dict] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/alerte"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def fictif(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fictitious project of two Normandie lists, published once."""
    root = tmp_path / "projet"
    folder = root / "raw" / "normandie" / "2024"
    write_source(folder, "premier-appel", LAUREATS_FICTIFS)
    write_source(folder, "second-appel", SECOND_ROWS, total="5 000 €", campaign=CAMPAIGN)
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(root))
    monkeypatch.setenv("DAGSTER_HOME", str(root / ".dagster"))
    monkeypatch.delenv(ALERT_URL_ENV, raising=False)
    first = publish_all(root)
    assert first.ok, "\n".join(first.lines)
    return root


def table(root: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(root / "published" / "data" / f"{name}.csv", dtype=str)


def test_a_broken_source_is_held_back_the_others_publish_and_one_alert_names_it(
    fictif: Path, receiver: Receiver
):
    manifest = fictif / "raw" / "normandie" / "2024" / "premier-appel.yaml"
    manifest.write_text(manifest.read_text().replace("funder: ARS", "funder: Mécène inconnu"))
    write_source(
        manifest.parent,
        "second-appel",
        [["Crèche Fictive du Val", "Éveil", "27", "6 000 €", ""]],
        total="6 000 €",
        campaign=CAMPAIGN,
    )

    done = subprocess.run(
        [sys.executable, "-m", "assets.cli", "publish", "--root", str(fictif)],
        cwd=REPO,
        env={**os.environ, ALERT_URL_ENV: receiver.url, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=240,
    )

    assert done.returncode == 1, done.stdout + done.stderr
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("Échec, 1 source(s) non publiée(s)") and FIRST in last, last
    assert "retenue" in last and SECOND not in last
    awards = table(fictif, "awards")
    assert awards.loc[awards["source_id"] == SECOND, "amount_eur"].tolist() == ["6000.00"]
    assert (awards["source_id"] == FIRST).sum() == len(LAUREATS_FICTIFS)  # its last good lines
    sources = table(fictif, "sources").set_index("source_id")
    held = sources.at[FIRST, "held_back"]
    assert held.startswith("retenue : dernière lecture valide du 15/01/2026, la version actuelle")
    assert "defaults.funder" in held and "defaults.funder" in sources.at[FIRST, "message"]
    assert pd.isna(sources.at[SECOND, "held_back"])
    changelog = (fictif / "published" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"source retenue : `{FIRST}` — retenue : dernière lecture valide" in changelog
    assert len(receiver.received) == 1, receiver.received
    alert = receiver.received[0]
    assert alert["job"] == "mille-jours publish" and alert["message"] == last
    assert [s["source_id"] for s in alert["sources"]] == [FIRST]

    withdrawn = publish_all(fictif, allow_removals=True)  # asked for: its lines go

    assert not withdrawn.ok and "refusée (bad_manifest)" in withdrawn.lines[-1]
    assert FIRST not in set(table(fictif, "awards")["source_id"])
    assert table(fictif, "sources").set_index("source_id").at[FIRST, "status"] == "bad_manifest"


def test_a_source_removed_from_raw_is_held_back_until_its_removal_is_asked(fictif: Path):
    for ext in ("csv", "yaml"):
        (fictif / "raw" / "normandie" / "2024" / f"premier-appel.{ext}").unlink()

    kept = publish_all(fictif)

    assert not kept.ok and "retenue" in kept.lines[-1] and FIRST in kept.lines[-1]
    sources = table(fictif, "sources").set_index("source_id")
    assert "retiré de raw/" in sources.at[FIRST, "held_back"]
    assert "--allow-removals" in sources.at[FIRST, "held_back"]
    assert (fictif / "published" / "sources" / "normandie" / "2024" / "premier-appel.csv").exists()
    withdrawn = publish_all(fictif, allow_removals=True)
    assert withdrawn.ok, "\n".join(withdrawn.lines)
    assert set(table(fictif, "sources")["source_id"]) == {SECOND}


def test_a_failed_run_is_alerted_once_and_a_publish_run_is_left_to_publish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, receiver: Receiver
):
    monkeypatch.setenv(ALERT_URL_ENV, receiver.url)

    @dg.op
    def lecture_fictive() -> None:
        raise dg.Failure(description="lecture fictive impossible")

    @dg.job(name="ingest_source")
    def job_fictif() -> None:
        lecture_fictive()

    run_ids = []
    with dg.instance_for_test(temp_dir=str(tmp_path)) as instance:
        for tags in ({}, {"mille-jours/pid": "12345"}):
            result = job_fictif.execute_in_process(
                instance=instance, raise_on_error=False, tags=tags
            )
            assert not result.success
            run_ids.append(result.run_id)
            context = dg.build_run_status_sensor_context(
                sensor_name=run_failure_alert.name,
                dagster_event=result.get_run_failure_event(),
                dagster_instance=instance,
                dagster_run=result.dagster_run,
            ).for_run_failure()
            run_failure_alert(context)
    assert len(receiver.received) == 1, receiver.received
    alert = receiver.received[0]
    assert alert["job"] == "ingest_source" and alert["run_id"] == run_ids[0]
    assert "lecture fictive impossible" in alert["message"]
    assert alert["message"].startswith("Le run ")


def test_an_alert_that_cannot_be_delivered_is_logged_and_the_run_goes_on(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    closed = Receiver()
    url = closed.url
    closed.close()  # nothing listens there any more
    monkeypatch.setenv(ALERT_URL_ENV, url)

    assert (
        post_alert({"job": "fictif", "run_id": None, "sources": [], "message": "fictif"}) is False
    )
    assert "alerte non envoyée à MILLE_JOURS_ALERT_URL" in caplog.text
