"""`mille-jours publish` with every hostile input of tests/hostile/cases.py dropped beside the real
sources at once: each refused alone with its message, the others published, nothing hostile in
published/; and the releases that must not happen leave published/ as it was."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from assets.cli import main
from assets.publication import publish_all
from tests.conftest import REPO
from tests.hostile.cases import CASES, MARKERS, MARKUP

PUBLISHED = {name: case for name, case in CASES.items() if case.publish}


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def read(published: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(published / "data" / f"{table}.csv", dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def hostile_release(tmp_path_factory: pytest.TempPathFactory):
    """The real raw/ plus every hostile case, published once."""
    root = tmp_path_factory.mktemp("hostile")
    shutil.copytree(REPO / "raw", root / "raw")
    for name, case in PUBLISHED.items():
        case.build(root / "raw" / case.folder[0] / str(case.folder[1]), name)
    mp = pytest.MonkeyPatch()
    mp.setenv("MILLE_JOURS_ROOT", str(root))
    mp.setenv("DAGSTER_HOME", str(root / ".dagster"))
    outcome = publish_all(root)
    mp.undo()
    return root, outcome


def test_each_hostile_source_is_refused_alone_with_its_message(hostile_release):
    root, outcome = hostile_release
    published = root / "published"
    assert (published / "datapackage.json").exists(), "\n".join(outcome.lines)
    sources = read(published, "sources").set_index("source_id")
    for name, case in PUBLISHED.items():
        row = sources.loc[case.source_id(name)]
        assert row["status"] == case.status, (name, row["message"])
        if case.status in ("unreadable", "bad_manifest", "refused"):
            assert "À faire" in row["message"], (name, row["message"])
    assert "lien symbolique" in sources.loc["normandie/2024/lien-env-fictif", "message"]
    assert (
        sources.loc["normandie/2024/lien-zero-fictif", "sha256"] == ""
    )  # never read, not even hashed
    assert sources.loc["bretagne/2024/dossier-lien-fictif", "sha256"] == ""
    assert "données personnelles" in sources.loc["normandie/2024/iban-fictif", "message"]
    assert (
        "campagne normandie-2024-aap"
        in sources.loc["pays-de-la-loire/2024/campagne-ailleurs-fictif", "message"]
    )
    # Every summary line of the run names its source: the contributor sees which one failed and why.
    assert any("normandie/2024/jumeau-fictif" in line for line in outcome.lines)
    assert any("seul jumeau-fictif.csv est lu" in line for line in outcome.lines), outcome.lines


def test_the_other_sources_are_published(hostile_release):
    root, _ = hostile_release
    published = root / "published"
    awards = read(published, "awards")
    for real in (
        "pays-de-la-loire/2021/laureats-presse",
        "bourgogne-franche-comte/2021/laureats-presse",
    ):
        assert (awards["source_id"] == real).any()
    published_ids = set(awards["source_id"])
    for name, case in PUBLISHED.items():
        if case.status in ("unreadable", "bad_manifest", "refused"):
            assert case.source_id(name) not in published_ids, name
    assert {
        "normandie/2024/laureats",
        "normandie/2024/laureats.v2",
    } <= published_ids  # dotted stems pair
    campaigns = read(published, "campaigns").set_index("campaign_id")
    assert campaigns.loc["normandie-2024-aap", "region_code"] == "28"
    result = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "datapackage.json"],
        cwd=published,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout[-2000:]


def test_nothing_hostile_reaches_published(hostile_release):
    root, _ = hostile_release
    published = root / "published"
    for path in published.rglob("*"):
        if path.relative_to(published).parts[0] == "sources":
            continue  # the raw files shipped as read: below
        if path.suffix not in (".csv", ".json", ".md", ".html", ".js"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in MARKERS + MARKUP.get(path.suffix, ()):
            assert marker not in text, (path.name, marker)
    # The raw files of the published sources are their very bytes (control characters and all,
    # their SHA-256 must match): no secret, no personal data, no page a browser would run.
    shipped = [p for p in (published / "sources").rglob("*") if p.is_file()]
    assert shipped and not any(p.suffix in (".html", ".htm", ".svg") for p in shipped)
    for path in shipped:
        text = path.read_bytes().decode("utf-8", errors="replace")
        for marker in (m for m in MARKERS if m.isprintable()):
            assert marker not in text, (path.name, marker)
    sources = read(published, "sources")
    refused = sources.loc[~sources["status"].isin(["ok", "rejected_rows"]), "source_id"]
    names = {p.relative_to(published / "sources").as_posix().split(".")[0] for p in shipped}
    assert not names & set(refused) and "normandie/2024/email-montant-fictif" in set(refused)
    awards = read(published, "awards")
    cleaned = awards.loc[
        awards["source_id"] == "normandie/2024/controle-fictif", "beneficiary_name"
    ]
    assert "Association Fictive du Bocage" in set(cleaned)  # control characters out, the name kept
    readme = (published / "README.md").read_text(encoding="utf-8")
    assert (
        "&lt;img src" in readme and "\\| \\[clic\\]" in readme
    )  # inert, and the table stays a table
    rejected = read(published, "rejected_rows")
    mine = rejected[rejected["source_id"] == "normandie/2024/email-montant-fictif"]
    assert (
        len(mine) == 1 and "j…@exemple.invalid" in mine["value"].iloc[0]
    )  # masked, never as typed


def test_a_lost_source_with_no_good_reading_left_stops_the_release_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """On a fresh clone (published/ in git, no stored readings), a source gone from raw/ cannot be
    held back on its last good reading: the release is refused rather than losing it."""
    root = tmp_path / "projet"
    shutil.copytree(
        REPO / "raw" / "pays-de-la-loire" / "2021", root / "raw" / "pays-de-la-loire" / "2021"
    )
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(root))
    monkeypatch.setenv("DAGSTER_HOME", str(root / ".dagster"))
    assert publish_all(root).ok
    published = root / "published"
    before = tree(published)
    for ext in ("csv", "yaml"):  # one source of the release, gone by mistake
        (root / "raw" / "pays-de-la-loire" / "2021" / f"laureats-presse.{ext}").unlink()
    shutil.rmtree(root / ".dagster")
    refused = publish_all(root)
    assert not refused.ok and tree(published) == before
    text = "\n".join(refused.lines)
    assert (
        "1 source(s) de la publication précédente n'y seraient plus (pays-de-la-loire/2021/laureats-presse)"
        in text
    )
    assert "--allow-removals" in text
    shutil.rmtree(root / "raw" / "pays-de-la-loire")  # raw/ emptied: refused before any run
    emptied = publish_all(root)
    assert not emptied.ok and tree(published) == before
    assert "Aucune source dans raw/" in "\n".join(emptied.lines)


def test_publish_outside_a_project_refuses_to_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    result = CliRunner().invoke(main, ["publish"])
    assert result.exit_code == 2
    assert "Pas de dossier raw/" in result.output and "À faire" in result.output
    assert list(tmp_path.iterdir()) == []  # neither .dagster/ nor published/ created there


def test_an_unwritable_publication_folder_says_so(tmp_path: Path):
    from pipelines.consolidate.tables import consolidate
    from pipelines.publish.package import LOCK_NAME, PublishError, publish

    (tmp_path / LOCK_NAME).mkdir()  # the lock cannot be written (root ignores file permissions)
    with pytest.raises(PublishError) as error:
        publish(consolidate([]).tables, tmp_path / "published")
    assert "impossible d'écrire la publication" in str(error.value) and "À faire" in str(
        error.value
    )
    assert not (tmp_path / "published").exists()


def test_a_source_shrinking_to_one_line_is_not_published_unasked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """40 fictitious laureates, then the same source with 1: the release keeps the 40 until asked."""
    from tests.fictif import csv_fictif
    from tests.hostile.cases import manifest, write

    root = tmp_path / "projet"
    folder = root / "raw" / "normandie" / "2024"
    rows = [
        [f"Association Fictive n° {i}", "Projet fictif", "14", "1 000 €", ""] for i in range(40)
    ]
    write(folder, "quarante-fictif", csv_fictif(rows, total=""), manifest("quarante-fictif"))
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(root))
    monkeypatch.setenv("DAGSTER_HOME", str(root / ".dagster"))
    assert publish_all(root).ok
    published = root / "published"
    before = tree(published)
    write(folder, "quarante-fictif", csv_fictif(rows[:1], total=""), manifest("quarante-fictif"))
    refused = publish_all(root)
    assert not refused.ok and tree(published) == before
    text = "\n".join(refused.lines)
    assert (
        "1 source(s) perdraient plus de la moitié de leurs lignes (normandie/2024/quarante-fictif : "
        "1 ligne(s) acceptée(s) au lieu de 40)"
    ) in text
    assert "--allow-removals" in text
    assert publish_all(root, allow_removals=True).ok
    assert len(pd.read_csv(published / "data" / "awards.csv")) == 1
