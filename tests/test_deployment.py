"""Deployed as Dagster's Helm chart runs it: a code server, the webserver and the daemon as separate
processes on one PostgreSQL instance, the webserver and the daemon loading the code over gRPC.

A fictitious source dropped into raw/ is read by the sensor's run, the automation sensor rebuilds the
tables and the package, and published/ holds it; the webserver answers all along.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path

import pytest

from tests.conftest import REPO, add_source
from tests.fictif import csv_fictif, manifest_fictif

BIN = Path(sys.executable).parent
# Every wait is bounded, with room for a loaded machine.
START_S = 60
PUBLISH_S = 120
STOP_S = 15
PUBLISHER = "ARS Normandie (éditeur fictif)"
URL = "https://exemple.invalid/deploiement-fictif"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive_in_group(pgid: int) -> list[int]:
    """The processes of a process group still running (zombies waiting to be reaped excluded)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone meanwhile
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(stat.parent.name))
    return alive


class Services:
    """The three processes, each the leader of its own process group (its runs and workers inside)."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder, self.env = folder, env
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *command: str) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        # Started as `make dev` starts Dagster: through the instance's module, with the project's
        # dagster.yaml in DAGSTER_HOME.
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "assets.instance", *command],
            cwd=self.env["MILLE_JOURS_ROOT"],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def logs(self) -> str:
        return "\n".join(
            f"--- {name} ---\n" + (self.folder / f"{name}.log").read_text(errors="replace")[-3000:]
            for name in self.procs
        )

    def check_running(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                pytest.fail(f"{name} s'est arrêté (code {proc.returncode})\n{self.logs()}")

    def wait_for(self, what: str, seconds: float, probe: Callable[[], object]) -> object:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.check_running()
            value = probe()
            if value:
                return value
            time.sleep(0.5)
        pytest.fail(f"{what} : rien après {seconds} s\n{self.logs()}")

    def stop(self) -> list[int]:
        """SIGTERM to every group, SIGKILL to what remains; the processes still alive after that."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for proc in self.procs.values():
                if alive_in_group(proc.pid):
                    os.killpg(proc.pid, sig)
            deadline = time.monotonic() + STOP_S
            for proc in self.procs.values():
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            while time.monotonic() < deadline and self.remaining():
                time.sleep(0.2)
            if not self.remaining():
                break
        return self.remaining()

    def remaining(self) -> list[int]:
        return [pid for proc in self.procs.values() for pid in alive_in_group(proc.pid)]


@pytest.fixture
def services(tmp_path: Path, pg_url: str) -> Iterator[Services]:
    root = tmp_path / "projet"
    (root / "raw").mkdir(parents=True)
    (root / "published").mkdir()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(tmp_path / "dagster_home"),
        "DAGSTER_PG_URL": pg_url,
        "MILLE_JOURS_ROOT": str(root),
        "MILLE_JOURS_SENSOR_SECONDS": "2",
        "PYTHONPATH": str(REPO),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    # The instance's dagster.yaml written once, before the three processes read it.
    subprocess.run(
        [sys.executable, "-m", "assets.instance"], cwd=root, env=env, check=True, timeout=60
    )
    running = Services(tmp_path, env)
    try:
        yield running
    finally:
        running.stop()


def graphql(port: int, query: str) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql",
        data=json.dumps({"query": query}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)["data"]


LOCATIONS = """{ workspaceOrError { ... on Workspace { locationEntries {
  name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }"""
RUNS = """{ runsOrError { ... on Runs { results {
  runId jobName status tags { key value } } } } }"""


def location_loaded(port: int) -> bool:
    try:
        entries = graphql(port, LOCATIONS)["workspaceOrError"]["locationEntries"]
    except OSError:  # not listening yet
        return False
    return [(e["name"], e["locationOrLoadError"]["__typename"]) for e in entries] == [
        ("mille-jours", "RepositoryLocation")
    ]


def runs(port: int) -> list[dict]:
    found = graphql(port, RUNS)["runsOrError"]["results"]
    for run in found:
        run["tags"] = {t["key"]: t["value"] for t in run["tags"]}
    return found


def package_naming_source(published: Path) -> dict | None:
    try:
        package = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):  # not written yet
        return None
    return package if URL in {s.get("path") for s in package.get("sources", [])} else None


def test_code_server_webserver_and_daemon_publish_a_source_added_to_raw(
    services: Services, tmp_path: Path
):
    grpc_port, web_port = free_port(), free_port()
    (tmp_path / "workspace.yaml").write_text(
        "load_from:\n  - grpc_server:\n"
        f"      host: 127.0.0.1\n      port: {grpc_port}\n      location_name: mille-jours\n",
        encoding="utf-8",
    )
    workspace = str(tmp_path / "workspace.yaml")
    services.start(
        "code-server",
        "dagster", "code-server", "start", "-m", "assets.definitions",
        "-h", "127.0.0.1", "-p", str(grpc_port),
    )  # fmt: skip
    services.start(
        "webserver",
        "dagster-webserver", "-w", workspace, "-h", "127.0.0.1", "-p", str(web_port),
    )  # fmt: skip
    services.start("daemon", "dagster-daemon", "run", "-w", workspace)
    started = time.monotonic()
    services.wait_for(
        "le webserver voit l'emplacement de code", START_S, lambda: location_loaded(web_port)
    )
    with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/server_info", timeout=10) as info:
        assert json.load(info)["dagster_webserver_version"] == version("dagster-webserver")

    root = Path(services.env["MILLE_JOURS_ROOT"])
    manifest = manifest_fictif(
        source={"publisher": PUBLISHER, "url": URL, "retrieved": "2026-01-15"}
    )
    add_source(root, "normandie", 2024, "deploiement-fictif", csv_fictif(), manifest)
    package = services.wait_for(
        "published/ nomme la source ajoutée",
        PUBLISH_S,
        lambda: package_naming_source(root / "published"),
    )
    published_after = time.monotonic() - started
    assert any(s["title"].startswith(PUBLISHER) for s in package["sources"]), package["sources"]

    from frictionless import validate

    report = validate(root / "published" / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]

    # The runs were launched by the daemon: the source by the raw/ sensor, the package by automation.
    finished = services.wait_for(
        "les runs se terminent",
        30,
        lambda: (
            (found := runs(web_port))
            and all(r["status"] in {"SUCCESS", "FAILURE", "CANCELED"} for r in found)
            and found
        ),
    )
    assert {r["status"] for r in finished} == {"SUCCESS"}, finished
    sensors = {r["tags"].get("dagster/sensor_name") for r in finished}
    assert "raw_sources_sensor" in sensors, finished
    assert "tables_and_package_automation" in sensors, finished
    print(f"publié {published_after:.1f} s après le démarrage des trois services")

    assert services.stop() == []  # every process of the three groups, runs included, is gone
