"""Shared fixtures. Every data file the tests write or keep under tests/ is fictitious."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# A real browser for the pages (the overview page, the contributor page).
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throwaway project folder: a copy of the real raw/, an empty published/, its own Dagster home."""
    root = tmp_path / "project"
    shutil.copytree(REPO / "raw", root / "raw")
    (root / "published").mkdir()
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(root))
    monkeypatch.setenv("DAGSTER_HOME", str(root / ".dagster"))
    (root / ".dagster").mkdir()
    (root / ".dagster" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    return root


def add_source(
    root: Path,
    region: str,
    year: int,
    name: str,
    data: str | bytes,
    manifest: str,
    ext: str = "csv",
) -> Path:
    """Drop a (fictitious) file and its manifest into raw/<region>/<year>/ of a test project."""
    folder = root / "raw" / region / str(year)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.{ext}"
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    (folder / f"{name}.yaml").write_text(manifest, encoding="utf-8")
    return path


def build_package(root: Path) -> Path:
    """Publish root/raw into root/published with the pipeline's own functions (no Dagster run)."""
    from pipelines.consolidate.tables import consolidate
    from pipelines.publish.docs import render_docs
    from pipelines.publish.package import publish
    from pipelines.read.discovery import discover
    from pipelines.stage.publishable import hold_back
    from pipelines.stage.source import stage_source

    staged = [hold_back(stage_source(s.manifest, root / "raw")) for s in discover(root / "raw")]
    publish(consolidate(staged).tables, root / "published", render_docs=render_docs)
    return root / "published"


@pytest.fixture(scope="session")
def published_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package built once from a copy of the real raw/; tests only read it."""
    root = tmp_path_factory.mktemp("released")
    shutil.copytree(REPO / "raw", root / "raw")
    return build_package(root)


@pytest.fixture
def pg_url() -> str:
    """A throwaway database on a real PostgreSQL server (started by .ci/run), dropped afterwards."""
    import os
    import uuid

    import psycopg2

    server = os.environ.get(
        "MILLE_JOURS_TEST_PG", "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
    )
    try:
        admin = psycopg2.connect(server, connect_timeout=5)
    except psycopg2.OperationalError as exc:
        if os.environ.get("CI"):
            pytest.fail(
                f"PostgreSQL injoignable en CI ({server}) : .ci/run devait le démarrer ({exc})"
            )
        pytest.skip(
            f"aucun serveur PostgreSQL joignable ({server}) : .ci/run en installe et démarre un"
        )
    admin.autocommit = True
    name = f"mille_jours_test_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.rsplit("/", 1)[0] + f"/{name}"
        finally:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium absent (/usr/bin/chromium) : apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


# The longest test files, started first: `make test` shares the files out between two processes
# (pytest-xdist, --dist loadfile), which then end together rather than one waiting on a long file.
LONGEST_FILES = (
    "tests/test_postgres.py",
    "tests/hostile/test_publish.py",
    "tests/test_pipeline.py",
    "tests/test_recovery.py",
    "tests/contribute/test_publisher_shapes.py",
    "tests/hostile/test_held_back.py",
    "tests/test_automation.py",
    "tests/publish/test_site.py",
    "tests/test_deployment.py",
    "tests/contribute/test_scanned_tables.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.nodeid.split("::", 1)[0]
        return LONGEST_FILES.index(path) if path in LONGEST_FILES else len(LONGEST_FILES)

    items.sort(key=rank)  # stable: each file's tests keep their order
