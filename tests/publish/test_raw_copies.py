"""The raw files of the published sources ship under published/sources/, each the very bytes whose
SHA-256 the `sources` table lists; a refused source never does, and a raw file changed since its
reading stops the publication. Added sources are fictitious (tests/hostile/cases.py)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from pipelines.consolidate.tables import consolidate
from pipelines.publish.docs import render_docs
from pipelines.publish.package import PublishError, publish
from pipelines.publish.raw_copies import raw_copies
from pipelines.read.discovery import discover
from pipelines.stage.publishable import hold_back
from pipelines.stage.source import stage_source
from tests.conftest import REPO, build_package
from tests.hostile.cases import CASES


def sources_of(published: Path) -> pd.DataFrame:
    return pd.read_csv(published / "data" / "sources.csv", dtype=str, keep_default_na=False)


def shipped(published: Path) -> dict[str, str]:
    folder = published / "sources"
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "SHA256SUMS"
    }


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_every_published_source_ships_the_bytes_its_hash_names(published_package: Path) -> None:
    sources = sources_of(published_package)
    published = sources[sources["status"].isin(["ok", "rejected_rows"])]
    assert len(published) > 10
    expected = {
        f"{row.source_id}{Path(row.path).suffix}": row.sha256 for row in published.itertuples()
    }
    assert shipped(published_package) == expected
    for row in published.itertuples():  # the same bytes as raw/
        copy = published_package / "sources" / f"{row.source_id}{Path(row.path).suffix}"
        assert copy.read_bytes() == (REPO / row.path).read_bytes()
    check = subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"],
        cwd=published_package / "sources",
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0 and check.stdout.count(": OK") == len(published), check.stdout
    readme = (published_package / "README.md").read_text(encoding="utf-8")
    assert "sha256sum sources/" in readme and "sha256sum -c SHA256SUMS" in readme
    assert all(f"`sources/{name}`" in readme for name in expected)


def test_refused_sources_never_ship(tmp_path: Path) -> None:
    shutil.copytree(REPO / "raw" / "pays-de-la-loire", tmp_path / "raw" / "pays-de-la-loire")
    folder = tmp_path / "raw" / "normandie" / "2024"
    for name in ("email-montant-fictif", "nir-fictif", "controle-fictif"):
        CASES[name].build(folder, name)
    published = build_package(tmp_path)
    status = sources_of(published).set_index("source_id")["status"]
    assert status["normandie/2024/email-montant-fictif"] == "refused"
    assert status["normandie/2024/nir-fictif"] == "refused"
    names = shipped(published)
    assert "normandie/2024/email-montant-fictif.csv" not in names
    assert "normandie/2024/nir-fictif.csv" not in names
    # A published source ships as read, invisible characters and all: its hash must match.
    raw = (folder / "controle-fictif.csv").read_bytes()
    assert "\u202e".encode() in raw
    assert (published / "sources" / "normandie/2024/controle-fictif.csv").read_bytes() == raw
    assert "email-montant" not in (published / "sources" / "SHA256SUMS").read_text(encoding="utf-8")
    readme = (published / "README.md").read_text(encoding="utf-8")
    assert "`sources/normandie/2024/controle-fictif.csv`" in readme
    assert "`sources/normandie/2024/email-montant-fictif" not in readme


def test_which_files_ship_and_under_which_name() -> None:
    sources = pd.DataFrame(
        {
            "source_id": [
                "fictif/2024/liste",
                "fictif/2024/page",
                "fictif/2024/refus",
                "fictif/2024/vide",
            ],
            "path": [
                "raw/fictif/2024/liste.xlsx",
                "raw/fictif/2024/page.html",
                "raw/fictif/2024/refus.csv",
                "raw/fictif/2024/vide.pdf",
            ],
            "sha256": ["a" * 64, "b" * 64, "c" * 64, ""],
            "status": ["rejected_rows", "ok", "refused", "unreadable"],
        }
    )
    assert [(c.path, c.sha256) for c in raw_copies(sources)] == [
        ("sources/fictif/2024/liste.xlsx", "a" * 64),
        ("sources/fictif/2024/page.html.txt", "b" * 64),  # a page no browser runs from published/
    ]


def test_a_raw_file_changed_or_gone_since_its_reading_stops_the_publication(
    tmp_path: Path,
) -> None:
    shutil.copytree(REPO / "raw" / "pays-de-la-loire", tmp_path / "raw" / "pays-de-la-loire")
    published = build_package(tmp_path)
    before = tree(published)
    staged = [
        hold_back(stage_source(s.manifest, tmp_path / "raw")) for s in discover(tmp_path / "raw")
    ]
    tables = consolidate(staged).tables
    raw = tmp_path / "raw" / "pays-de-la-loire" / "2021" / "enveloppes.csv"
    raw.write_bytes(raw.read_bytes() + b"\n")  # changed after its reading, for the test only
    with pytest.raises(PublishError) as changed:
        publish(tables, published, render_docs=render_docs)
    message = str(changed.value)
    assert (
        "raw/pays-de-la-loire/2021/enveloppes.csv : le fichier a changé depuis sa lecture"
        in message
    )
    assert (
        "À faire : relancer `mille-jours publish`" in message
        and "published/ est inchangé" in message
    )
    raw.unlink()
    with pytest.raises(PublishError) as gone:
        publish(tables, published, render_docs=render_docs)
    assert "raw/pays-de-la-loire/2021/enveloppes.csv : fichier introuvable" in str(gone.value)
    assert tree(published) == before
    assert not list(tmp_path.glob("published.tmp-*"))  # no half-built release left behind
