"""A failure of a service the project runs on, said in French with the service and what to check,
never « Erreur inattendue » (assets/infrastructure.py): each caused for real (a closed port, a
refused password on the real server, a SQLite database locked or read-only, a storage unreachable)."""

from __future__ import annotations

import socket
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy
from click.testing import CliRunner

from assets.cli import main
from assets.infrastructure import infrastructure_message
from pipelines.cli import Runtime, command_line
from tests.fictif import csv_fictif
from tests.hostile.cases import manifest, write

STOPPED = "La commande s'arrête ; une publication en cours laisse published/ tel qu'il était."


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fictitious source, a published/ left by a previous release, a new instance."""
    root = tmp_path / "projet"
    write(
        root / "raw" / "normandie" / "2024", "liste-fictif", csv_fictif(), manifest("liste-fictif")
    )
    (root / "published").mkdir()
    (root / "published" / "README.md").write_text("Publication précédente fictive.\n")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "instance"))
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(root))
    for name in ("DAGSTER_PG_URL", "MILLE_JOURS_PG_DRIVER_URL", "MILLE_JOURS_STORAGE"):
        monkeypatch.delenv(name, raising=False)
    return root


def _publish(project: Path) -> str:
    result = CliRunner().invoke(main, ["publish", "--root", str(project)])
    assert result.exit_code == 2, result.output
    assert "Erreur inattendue" not in result.output and "Traceback" not in result.output
    assert [p.name for p in (project / "published").iterdir()] == ["README.md"]
    return result.output


def test_an_unreachable_postgresql_is_named(project: Path, monkeypatch: pytest.MonkeyPatch):
    port = _closed_port()
    monkeypatch.setenv("DAGSTER_PG_URL", f"postgresql://postgres:fictif@127.0.0.1:{port}/base")
    said = _publish(project)
    assert (
        f"Le serveur PostgreSQL de l'instance Dagster (127.0.0.1:{port}/base, variable "
        "DAGSTER_PG_URL) est injoignable" in said
    ), said
    assert "Connection refused" in said and "À faire : vérifier que le serveur tourne" in said


def test_a_refused_password_is_named(project: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch):
    user, _, server = pg_url.removeprefix("postgresql://").partition("@")
    wrong = f"postgresql://{user.partition(':')[0]}:mauvais-fictif@{server}"
    monkeypatch.setenv("DAGSTER_PG_URL", wrong)
    said = _publish(project)
    assert "refuse l'utilisateur ou le mot de passe" in said, said
    assert "password authentication failed" in said and "mauvais-fictif" not in said
    assert "À faire : vérifier l'utilisateur et le mot de passe de DAGSTER_PG_URL" in said


def test_an_unreachable_storage_is_named(project: Path, monkeypatch: pytest.MonkeyPatch):
    port = _closed_port()
    monkeypatch.setenv("MILLE_JOURS_STORAGE", f"ftp://depot:secret-fictif@127.0.0.1:{port}/stock")
    said = _publish(project)
    assert (
        f"Le stockage des données intermédiaires (ftp://depot@127.0.0.1:{port}/stock, variable "
        "MILLE_JOURS_STORAGE) est injoignable" in said
    ), said
    assert "secret-fictif" not in said and STOPPED in said


def _history(home: Path) -> Path:
    """A SQLite history of the instance, with a table Dagster-like writes go to."""
    database = home / "history" / "runs.db"
    database.parent.mkdir(parents=True)
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE runs (run_id TEXT)")
    return database


def _locked(database: Path) -> Callable[[], None]:
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's write transaction
    engine = sqlalchemy.create_engine(f"sqlite:///{database}", connect_args={"timeout": 0.1})
    return lambda: _write(engine)


def _read_only(database: Path) -> Callable[[], None]:
    engine = sqlalchemy.create_engine(f"sqlite:///file:{database}?mode=ro&uri=true")
    return lambda: _write(engine)


def _write(engine: sqlalchemy.Engine) -> None:
    with engine.begin() as db:
        db.execute(sqlalchemy.text("INSERT INTO runs VALUES ('fictif')"))


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_locked, "est verrouillée par un autre processus : database is locked"),
        (_read_only, "est en lecture seule : attempt to write a readonly database"),
    ],
)
def test_a_sqlite_history_locked_or_read_only_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make, says: str
):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    (tmp_path / "raw").mkdir()
    write_runs = make(_history(tmp_path))

    def publish(root: Path, verbose: bool, allow_removals: bool) -> tuple[bool, list[str]]:
        write_runs()  # where the publication notes its runs
        return True, []

    runtime = Runtime(read_sources=list, publish=publish, explain_failure=infrastructure_message)
    result = CliRunner().invoke(command_line(runtime), ["publish", "--root", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert f"La base SQLite de l'instance Dagster ({tmp_path / 'history'}) {says}" in result.output
    assert "À faire :" in result.output and "Erreur inattendue" not in result.output


def test_a_database_missing_dagster_tables_is_named(pg_url: str, monkeypatch: pytest.MonkeyPatch):
    """A first start killed while Dagster created its tables: the error PostgreSQL gives (a real
    one, from a query on a table the database lacks) is said as such, with what to do."""
    import psycopg2

    monkeypatch.setenv("DAGSTER_PG_URL", pg_url)
    connection = psycopg2.connect(pg_url)
    try:
        with pytest.raises(psycopg2.Error) as raised, connection.cursor() as cursor:
            cursor.execute("SELECT * FROM runs")
    finally:
        connection.close()
    said = infrastructure_message(raised.value)
    assert said is not None and "n'a pas toutes les tables de Dagster" in said
    assert "DROP SCHEMA public CASCADE" in said and "dagster instance migrate" in said
    assert "postgres:postgres" not in said  # no password in the message
