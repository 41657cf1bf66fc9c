"""Releases: versions that move only with the content, a changelog, atomic and safe publication."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

from pipelines.consolidate.tables import consolidate
from pipelines.publish.docs import render_docs
from pipelines.publish.files import csv_frame
from pipelines.publish.package import publish
from pipelines.read.discovery import discover
from pipelines.stage.source import stage_source
from schemas.tables import TABLES
from tests.conftest import REPO, add_source
from tests.test_pipeline import tree

NEW_SOURCE = """\
# Manifeste FICTIF pour les tests.
source: {publisher: Éditeur fictif, url: "https://example.org/fictif", retrieved: 2026-02-01}
region: "28"
year: 2024
campaign: {id: nor-2024-fictif, title: Appel fictif}
table: awards
columns: {beneficiary_name: Porteur, amount_eur: Montant, department: Département}
defaults: {funder: ARS}
"""


def build(root: Path):
    staged = [stage_source(s.manifest, root / "raw") for s in discover(root / "raw")]
    return publish(consolidate(staged).tables, root / "published", render_docs=render_docs)


def descriptor(root: Path) -> dict:
    return json.loads((root / "published" / "datapackage.json").read_text())


def test_version_moves_only_with_the_content(project: Path):
    first = build(project)
    assert (first.version, first.changed) == ("1.0.0", True)
    again = build(project)
    assert (again.version, again.changed) == ("1.0.0", False)

    add_source(
        project,
        "normandie",
        2024,
        "fictif",
        "Porteur;Département;Montant\nAssociation fictive;Calvados;1 500 €\n",
        NEW_SOURCE,
    )
    added = build(project)
    assert (added.version, added.changed) == ("1.1.0", True)
    # The latest retrieved date of raw/ (the fictitious source's is older), not the clock's.
    latest = max(
        str(yaml.safe_load(m.read_text(encoding="utf-8")).get("source", {}).get("retrieved", ""))
        for m in (project / "raw").rglob("*.yaml")
    )
    assert descriptor(project)["created"] == f"{latest}T00:00:00Z"
    changelog = (project / "published" / "CHANGELOG.md").read_text()
    assert changelog.index("## 1.1.0") < changelog.index("## 1.0.0")
    assert "source ajoutée : `normandie/2024/fictif`" in changelog
    assert "`nor-2024-fictif` : nouvelle campagne ; 1 ligne(s) ajoutée(s)" in changelog

    (project / "raw" / "normandie" / "2024" / "fictif.csv").write_text(
        "Porteur;Département;Montant\nAssociation fictive;Calvados;2 500 €\n"
    )
    amended = build(project)
    assert amended.version == "1.2.0"
    assert (
        "`nor-2024-fictif` : 1 montant(s) modifié(s)"
        in (project / "published" / "CHANGELOG.md").read_text()
    )


def test_a_schema_change_is_a_major_version(project: Path):
    build(project)
    path = project / "published" / "datapackage.json"
    data = json.loads(path.read_text())
    data["resources"][0]["schema"]["fields"][0]["description"] = "ancienne description"
    path.write_text(json.dumps(data))
    assert build(project).version == "2.0.0"


def test_csv_cells_cannot_run_as_formulas():
    frame = pd.DataFrame(
        [{"funder": "ARS", "funder_name": '=HYPERLINK("http://x")', "description": "+33 1 23"}]
    )
    cells = csv_frame(frame, TABLES["funders"]).iloc[0]
    assert cells["funder_name"] == '\'=HYPERLINK("http://x")'
    assert cells["description"] == "'+33 1 23"


KILLER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from tests.publish.test_release import build
build(Path({root!r}))
"""


def test_a_publication_killed_mid_way_leaves_the_previous_release_whole(project: Path):
    build(project)
    before = tree(project / "published")
    add_source(
        project,
        "normandie",
        2024,
        "fictif",
        "Porteur;Département;Montant\nAssociation fictive;Orne;900 €\n",
        NEW_SOURCE,
    )
    repo = str(REPO)
    for _attempt in range(5):
        proc = subprocess.Popen([sys.executable, "-c", KILLER.format(repo=repo, root=str(project))])
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not list(project.glob("published.tmp-*")):
            time.sleep(0.002)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        if list(project.glob("published.tmp-*")):
            break  # killed while the new release was half-built
    else:
        raise AssertionError("the publication never reached its staging step")
    assert tree(project / "published") == before
    # The next publication clears the half-built folder and goes through.
    assert build(project).version == "1.1.0"
    assert not list(project.glob("published.tmp-*"))


def test_recovery_after_a_stop_between_the_two_renames_of_the_fallback(tmp_path: Path):
    from pipelines.publish.package import recover

    published = tmp_path / "published"
    previous = tmp_path / "published.prev-123"
    previous.mkdir()
    (previous / "datapackage.json").write_text("{}")
    (tmp_path / "published.tmp-456").mkdir()
    recover(published)
    assert (published / "datapackage.json").read_text() == "{}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["published"]


def test_documents_alone_changing_make_a_patch_version(tmp_path: Path):
    """Same data, another README (a template changed): the bytes differ, so the version does too,
    and a version always names the same bytes (kept as such under releases/)."""
    root = tmp_path / "fictif"
    add_source(
        root,
        "normandie",
        2024,
        "fictif",
        "Porteur;Département;Montant\nAssociation fictive;Calvados;1 500 €\n",
        NEW_SOURCE,
    )
    staged = [stage_source(s.manifest, root / "raw") for s in discover(root / "raw")]
    tables = consolidate(staged).tables

    def reworded_docs(folder: Path, *args) -> None:
        render_docs(folder, *args)
        readme = folder / "README.md"
        readme.write_text(readme.read_text(encoding="utf-8") + "\nPhrase fictive.\n", "utf-8")

    first = publish(tables, root / "published", render_docs=render_docs)
    patch = publish(tables, root / "published", render_docs=reworded_docs)
    assert (first.version, patch.version, patch.changed) == ("1.0.0", "1.0.1", True)
    said = descriptor(root)
    assert (said["version"], said["versionId"]) == ("1.0.1", patch.descriptor["versionId"])
    changelog = (root / "published" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## 1.0.1") < changelog.index("## 1.0.0")
    assert "Documents seulement" in changelog.split("## 1.0.0")[0]
    again = publish(tables, root / "published", render_docs=reworded_docs)
    assert (again.version, again.changed) == ("1.0.1", False)
