"""Every published version kept unchanged under the storage root, releases/<version>/, and
releases/latest naming the latest (assets/releases.py): on a local folder and on an object store.
A real publication keeps its version so too (tests/test_postgres.py)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from upath import UPath

from assets.releases import ReleaseConflict, keep_built_release, keep_release
from pipelines.consolidate.tables import consolidate
from pipelines.publish.docs import render_docs
from pipelines.publish.package import publish
from pipelines.read.discovery import discover
from pipelines.stage.publishable import hold_back
from pipelines.stage.source import stage_source
from tests.fictif import csv_fictif
from tests.hostile.cases import manifest, write


@pytest.fixture(params=["local", "memory"])
def root(request, tmp_path: Path):
    """A storage root: a local folder, or an object store (fsspec's in-memory one)."""
    if request.param == "local":
        yield UPath(tmp_path / "stockage")
        return
    remote = UPath(f"memory://stockage-fictif-{uuid.uuid4().hex}")
    yield remote
    remote.fs.rm(remote.path, recursive=True)


def _published(
    folder: Path, version: str, data: str = "id;montant\n1;100\n", readme: str = "v"
) -> Path:
    (folder / "data").mkdir(parents=True, exist_ok=True)
    (folder / "datapackage.json").write_text(json.dumps({"version": version}))
    (folder / "data" / "awards.csv").write_text(data)
    (folder / "README.md").write_text(f"Paquet fictif ({readme}).\n")
    return folder


def _stamps(root: UPath) -> dict[str, object]:
    """When each stored file was last written."""
    found = root.fs.find(root.path, detail=True)
    return {name: info.get("mtime", info.get("created")) for name, info in found.items()}


def _text(path: UPath) -> str:
    return path.read_text(encoding="utf-8")


def test_a_new_version_is_kept_and_an_unchanged_one_rewrites_nothing(tmp_path: Path, root: UPath):
    published = _published(tmp_path / "published", "1.0.0")
    first = keep_release(published, root)
    assert first.written and _text(root / "releases" / "latest") == "1.0.0\n"
    assert _text(root / "releases" / "1.0.0" / "data" / "awards.csv") == "id;montant\n1;100\n"
    assert "  data/awards.csv\n" in _text(root / "releases" / "1.0.0.sha256")
    written = _stamps(root)

    again = keep_release(published, root)  # the same version published again
    assert not again.written and _stamps(root) == written  # no copy, nothing rewritten

    _published(published, "1.1.0", data="id;montant\n1;100\n2;250\n", readme="nouveau")
    assert keep_release(published, root).written
    assert _text(root / "releases" / "latest") == "1.1.0\n"
    assert _text(root / "releases" / "1.0.0" / "data" / "awards.csv") == "id;montant\n1;100\n"
    assert {k: v for k, v in _stamps(root).items() if "/1.0.0" in k} == {
        k: v for k, v in written.items() if "/1.0.0" in k
    }  # the earlier version untouched


def test_a_version_kept_with_other_data_is_refused(tmp_path: Path, root: UPath):
    keep_release(_published(tmp_path / "published", "1.0.0"), root)
    keep_release(_published(tmp_path / "published", "1.1.0", data="id;montant\n1;999\n"), root)
    written = _stamps(root)
    # published/ lost, the numbering started again: other data under a number already kept.
    again = _published(tmp_path / "perdu", "1.0.0", data="id;montant\n7;700\n")
    with pytest.raises(ReleaseConflict) as refused:
        keep_release(again, root)
    said = str(refused.value)
    assert "La version 1.0.0 est déjà gardée dans" in said and "(data/awards.csv)" in said
    assert "une version publiée ne change jamais" in said and "À faire :" in said
    assert "dernière version gardée (1.1.0" in said
    assert _stamps(root) == written and _text(root / "releases" / "latest") == "1.1.0\n"


def test_a_version_kept_with_other_words_is_refused_too(tmp_path: Path, root: UPath):
    """A change of the documents alone makes a patch version (pipelines/publish/versioning.py):
    the same number with another README is not a publication of this project, it is refused."""
    keep_release(_published(tmp_path / "published", "1.0.0", readme="premier"), root)
    written = _stamps(root)
    with pytest.raises(ReleaseConflict, match=r"\(README\.md\)"):
        keep_release(_published(tmp_path / "published", "1.0.0", readme="reformulé"), root)
    assert _text(root / "releases" / "1.0.0" / "README.md") == "Paquet fictif (premier).\n"
    assert _stamps(root) == written


def _built(project: Path) -> dict:
    """The tables of one fictitious list."""
    raw = project / "raw"
    write(raw / "normandie" / "2024", "liste-fictif", csv_fictif(), manifest("liste-fictif"))
    return consolidate([hold_back(stage_source(s.manifest, raw)) for s in discover(raw)]).tables


def test_a_release_refused_before_it_replaces_published(tmp_path: Path, monkeypatch):
    """published/ lost, the numbering starts again at 1.0.0, already kept with other data: the
    publication stops before published/ changes."""
    monkeypatch.setenv("MILLE_JOURS_STORAGE", str(tmp_path / "stockage"))
    keep_release(_published(tmp_path / "avant", "1.0.0"), UPath(tmp_path / "stockage"))
    project = tmp_path / "projet"
    (project / "published").mkdir(parents=True)
    (project / "published" / "README.md").write_text("Publication précédente fictive.\n")
    with pytest.raises(ReleaseConflict, match=r"La version 1\.0\.0 est déjà gardée"):
        publish(
            _built(project),
            project / "published",
            render_docs,
            project=project,
            keep=keep_built_release,
        )
    assert [p.name for p in (project / "published").iterdir()] == ["README.md"]
    assert not list(project.glob("published.tmp-*"))  # the built release cleared away
    assert sorted(p.name for p in (tmp_path / "stockage" / "releases").iterdir()) == [
        "1.0.0",
        "1.0.0.sha256",
        "latest",
    ]
