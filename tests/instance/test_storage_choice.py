"""The instance's storage is chosen once, when its dagster.yaml is first written: a later process
whose environment names another storage refuses to start, in French (assets/instance_storage.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from assets.cli import main
from assets.instance import MARKER, ensure_instance_home
from assets.instance_storage import pg_server
from tests.fictif import csv_fictif
from tests.hostile.cases import manifest, write

REPO = Path(__file__).resolve().parents[2]
PG_FICTIF = "postgresql://mille_jours:motdepasse-fictif@pg-fictif.invalid:5433/instance_fictive"
OTHER_FICTIF = "postgresql://mille_jours:motdepasse-fictif@pg-fictif.invalid:5433/autre_base"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "instance"))
    monkeypatch.delenv("DAGSTER_PG_URL", raising=False)
    monkeypatch.delenv("MILLE_JOURS_PG_DRIVER_URL", raising=False)
    return tmp_path / "instance"


@pytest.mark.parametrize(
    ("created_with", "then", "says", "fix"),
    [
        (
            None,
            PG_FICTIF,
            "DAGSTER_PG_URL désigne PostgreSQL (pg-fictif.invalid:5433/instance_fictive)",
            "retirer DAGSTER_PG_URL",
        ),
        (
            PG_FICTIF,
            None,
            "DAGSTER_PG_URL n'est pas définie : ce processus écrirait ses runs dans SQLite",
            "définir DAGSTER_PG_URL vers pg-fictif.invalid:5433/instance_fictive",
        ),
        (
            PG_FICTIF,
            OTHER_FICTIF,
            "DAGSTER_PG_URL désigne une autre base, pg-fictif.invalid:5433/autre_base",
            "corriger DAGSTER_PG_URL pour qu'elle désigne pg-fictif.invalid:5433/instance_fictive",
        ),
    ],
)
def test_an_environment_contradicting_the_instance_refuses_to_start(
    home: Path, monkeypatch: pytest.MonkeyPatch, created_with, then, says, fix
):
    if created_with:
        monkeypatch.setenv("DAGSTER_PG_URL", created_with)
    ensure_instance_home(home.parent)
    created = (home / "dagster.yaml").read_text(encoding="utf-8")
    assert "motdepasse-fictif" not in created  # the password stays in the environment
    if then:
        monkeypatch.setenv("DAGSTER_PG_URL", then)
    else:
        monkeypatch.delenv("DAGSTER_PG_URL")
    refused = subprocess.run(
        [sys.executable, "-m", "assets.instance"],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
    )
    assert refused.returncode == 2, refused.stderr
    message = refused.stderr
    assert f"L'instance Dagster {home} a été créée avec le stockage " in message, message
    assert says in message and f"À faire : {fix}" in message, message
    assert "DAGSTER_HOME" in message and f"supprimer {home / 'dagster.yaml'}" in message
    assert "motdepasse-fictif" not in message and "Traceback" not in message
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == created  # nothing rewritten


def test_two_processes_started_together_agree_on_one_storage(home: Path, pg_url: str):
    """A publish with DAGSTER_PG_URL and one without, started at once on a new instance: the first
    to write the instance chooses, the other refuses; neither writes its runs elsewhere."""
    urls = (pg_url, None, pg_url, None)
    starts = [
        subprocess.Popen(
            [sys.executable, "-m", "assets.instance"],
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO), **({"DAGSTER_PG_URL": url} if url else {})},
            stderr=subprocess.PIPE,
            text=True,
        )
        for url in urls
    ]
    outcomes = [(p.wait(timeout=60), p.stderr.read()) for p in starts]
    chosen = (home / "dagster.yaml").read_text(encoding="utf-8")
    postgres = f"# mille-jours storage: postgresql {pg_server(pg_url)}\n" in chosen
    assert postgres != ("# mille-jours storage: sqlite\n" in chosen), chosen
    for (code, stderr), url in zip(outcomes, urls):
        assert code == (0 if bool(url) == postgres else 2), stderr
        assert code == 0 or "a été créée avec le stockage" in stderr, stderr
    assert sorted(p.name for p in home.iterdir()) == ["dagster.yaml"]  # no file left aside


def test_other_settings_are_refreshed_and_the_users_own_file_is_left_alone(
    home: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("DAGSTER_PG_URL", PG_FICTIF)
    ensure_instance_home(home.parent)
    assert os.environ["MILLE_JOURS_PG_DRIVER_URL"].startswith("postgresql+psycopg2://")
    monkeypatch.setenv("MILLE_JOURS_MAX_RUNS", "7")
    ensure_instance_home(home.parent)
    refreshed = (home / "dagster.yaml").read_text(encoding="utf-8")
    assert "max_concurrent_runs: 7" in refreshed and "env: MILLE_JOURS_PG_DRIVER_URL" in refreshed

    own = "telemetry:\n  enabled: false\n"  # the marker line removed: the user's settings
    (home / "dagster.yaml").write_text(own, encoding="utf-8")
    monkeypatch.delenv("DAGSTER_PG_URL")
    ensure_instance_home(home.parent)
    assert (home / "dagster.yaml").read_text(encoding="utf-8") == own


def test_an_instance_written_before_its_storage_was_recorded_keeps_its_storage(
    home: Path, monkeypatch: pytest.MonkeyPatch
):
    """A dagster.yaml of an earlier version (no storage line) is taken at its settings' word."""
    home.mkdir()
    (home / "dagster.yaml").write_text(
        f"{MARKER} (assets/instance.py)\nrun_storage:\n  module: dagster.core.storage.runs\n"
        "  class: SqliteRunStorage\n  config:\n    base_dir: history\n",
        encoding="utf-8",
    )
    ensure_instance_home(home.parent)
    assert "# mille-jours storage: sqlite" in (home / "dagster.yaml").read_text(encoding="utf-8")
    monkeypatch.setenv("DAGSTER_PG_URL", PG_FICTIF)
    with pytest.raises(Exception, match="créée avec le stockage SQLite"):
        ensure_instance_home(home.parent)


def test_publish_refuses_an_instance_of_another_storage_and_leaves_published_as_it_was(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
):
    project = tmp_path / "projet"
    write(
        project / "raw" / "normandie" / "2024",
        "liste-fictif",
        csv_fictif(),
        manifest("liste-fictif"),
    )
    (project / "published").mkdir()
    (project / "published" / "README.md").write_text("Publication précédente fictive.\n")
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(project))
    ensure_instance_home(project)  # SQLite
    monkeypatch.setenv("DAGSTER_PG_URL", PG_FICTIF)
    result = CliRunner().invoke(main, ["publish", "--root", str(project)])
    assert result.exit_code == 1, result.output
    assert "a été créée avec le stockage SQLite" in result.output, result.output
    assert "Erreur inattendue" not in result.output
    assert [p.name for p in (project / "published").iterdir()] == ["README.md"]
    assert sorted(p.name for p in home.iterdir()) == ["dagster.yaml"]  # no run written anywhere
