"""The package is citable: a stable id, a configurable homepage, a citation and BibTeX with URL and version."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipelines.publish import identity
from tests.conftest import REPO, build_package

URL = "https://depot.example.org/mille-jours-fictif/tree/main/published"


@pytest.fixture
def cited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MILLE_JOURS_HOMEPAGE", URL)
    shutil.copytree(REPO / "raw", tmp_path / "raw")
    return build_package(tmp_path)


def test_homepage_id_and_citation_carry_the_url_and_version(cited: Path) -> None:
    descriptor = json.loads((cited / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["homepage"] == URL and descriptor["id"] == identity.PACKAGE_ID
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", descriptor["id"])
    readme = (cited / "README.md").read_text(encoding="utf-8")
    bibtex = readme.split("```bibtex\n", 1)[1].split("```", 1)[0]
    assert f"url     = {{{URL}}}" in bibtex and f"version = {{{descriptor['version']}}}" in bibtex
    citation = readme.split("Citer la version utilisée :", 1)[1].split("```", 1)[0]
    assert URL in citation and f"version {descriptor['version']}" in citation
    page = (cited / "index.html").read_text(encoding="utf-8")
    assert f'href="{URL}"' in page and f"url     = {{{URL}}}" in page


def test_the_id_stays_when_the_version_moves(cited: Path, tmp_path: Path) -> None:
    before = json.loads((cited / "datapackage.json").read_text(encoding="utf-8"))
    (tmp_path / "raw" / "centre-val-de-loire" / "2021" / "campagne.csv").write_text(
        "Campagne;Lauréats retenus\nAppel à projets 2021;8\n", encoding="utf-8"
    )  # a change, for the test only
    published = build_package(tmp_path)
    after = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    assert after["version"] != before["version"] and after["id"] == before["id"]
    # Each version its own identifier, beside the stable one, recomputable from the two.
    assert after["versionId"] != before["versionId"] != before["id"]
    assert after["versionId"] == identity.version_id(after["version"])
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", after["versionId"])
    readme = (published / "README.md").read_text(encoding="utf-8")
    assert after["versionId"] in readme and before["versionId"] not in readme
    assert after["versionId"] in (published / "CITATION.cff").read_text(encoding="utf-8")
    bibtex = readme.split("```bibtex\n", 1)[1].split("```", 1)[0]
    assert after["versionId"] in bibtex and "author  = {{Projet mille-jours}}" in bibtex
    assert bibtex.splitlines()[0] == f"@misc{{mille_jours_{after['version'].replace('.', '_')},"


def test_default_homepage_is_the_repository_published_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MILLE_JOURS_HOMEPAGE", raising=False)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(
        '[tool.mille-jours]\nrepository = "https://depot.example.org/fictif/"\n', encoding="utf-8"
    )
    monkeypatch.setattr(identity, "PYPROJECT", pyproject)
    assert identity.homepage() == "https://depot.example.org/fictif/tree/main/published"
    pyproject.write_text("[tool.mille-jours]\n", encoding="utf-8")
    assert identity.homepage() is None  # no repository named: no homepage rather than a wrong one
