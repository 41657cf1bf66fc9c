"""`mille-jours publish` with a Dagster instance it may not write (a .dagster/ left read-only, a
DAGSTER_HOME in a folder it may not create): a French message naming the folder and what to do,
never « Erreur inattendue », published/ as it was (assets/instance.py)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from assets.cli import main
from tests.fictif import csv_fictif
from tests.hostile.cases import manifest, write

# The superuser writes whatever the permissions say: nothing to refuse.
pytestmark = pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="permissions: a user other than root"
)


def _read_only(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o555)


def _home_read_only(project: Path) -> tuple[Path, str]:
    home = project / ".dagster"
    _read_only(home)
    return home, "n'est pas modifiable :"


def _history_read_only(project: Path) -> tuple[Path, str]:
    home = project / ".dagster"
    (home / "history").mkdir(parents=True)
    _read_only(home / "history")
    return home, "n'est pas modifiable (history y est en lecture seule)"


def _database_read_only(project: Path) -> tuple[Path, str]:
    home = project / ".dagster"
    (home / "history").mkdir(parents=True)
    (home / "history" / "runs.db").write_bytes(b"")
    (home / "history" / "runs.db").chmod(0o444)
    return home, "n'est pas modifiable (history/runs.db y est en lecture seule)"


def _home_not_creatable(project: Path) -> tuple[Path, str]:
    _read_only(project / "instances")
    return project / "instances" / "mille-jours", "ne peut pas être créé"


@pytest.mark.parametrize(
    "make", [_home_read_only, _history_read_only, _database_read_only, _home_not_creatable]
)
def test_an_instance_not_writable_is_named_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make: Callable[[Path], tuple[Path, str]]
):
    project = tmp_path / "projet"
    write(
        project / "raw" / "normandie" / "2024",
        "liste-fictif",
        csv_fictif(),
        manifest("liste-fictif"),
    )
    (project / "published").mkdir()
    previous = project / "published" / "README.md"
    previous.write_text("Publication précédente fictive.\n", encoding="utf-8")
    home, state = make(project)
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    try:
        result = CliRunner().invoke(main, ["publish", "--root", str(project)])
    finally:
        for folder in (
            project / ".dagster",
            project / ".dagster" / "history",
            project / "instances",
        ):
            if folder.exists():
                folder.chmod(0o755)  # pytest removes tmp_path afterwards
    assert result.exit_code == 1, result.output
    assert f"Le dossier de l'instance Dagster {home} {state}" in result.output, result.output
    assert "À faire :" in result.output and "DAGSTER_HOME" in result.output, result.output
    assert "Erreur inattendue" not in result.output and "Traceback" not in result.output
    assert [p.name for p in (project / "published").iterdir()] == ["README.md"]
    assert previous.read_text(encoding="utf-8") == "Publication précédente fictive.\n"
