"""The release can be cited and deposited: CITATION.cff (checked against the Citation File Format
1.2.0 schema), .zenodo.json and LICENSE, each naming the version and date of the data beside it."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from jsonschema import Draft7Validator

from pipelines.publish import identity
from pipelines.publish.choropleth import CREDIT
from pipelines.publish.citable import citation_cff
from tests.conftest import REPO, build_package

URL = "https://depot.example.org/mille-jours-fictif/tree/main/published"
# The schema of CFF 1.2.0, as its repository's tag 1.2.0 gives it (tests/publish/vendor/README.md).
SCHEMA = json.loads(
    (Path(__file__).parent / "vendor" / "cff-1.2.0.schema.json").read_text(encoding="utf-8")
)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("citable")
    shutil.copytree(REPO / "raw", root / "raw")
    patch = pytest.MonkeyPatch()
    patch.setenv("MILLE_JOURS_HOMEPAGE", URL)
    try:
        return build_package(root)
    finally:
        patch.undo()


def descriptor(published: Path) -> dict:
    return json.loads((published / "datapackage.json").read_text(encoding="utf-8"))


def cff_errors(cff: dict) -> list[str]:
    validator = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
    return [f"{list(e.absolute_path)} : {e.message}" for e in validator.iter_errors(cff)]


def test_citation_cff_is_valid_and_names_this_version(release: Path) -> None:
    package = descriptor(release)
    cff = yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff_errors(cff) == []
    assert cff["cff-version"] == "1.2.0" and cff["type"] == "dataset"
    assert (cff["title"], cff["version"]) == (package["title"], package["version"])
    assert cff["date-released"] == package["created"][:10]
    assert [i["value"] for i in cff["identifiers"]] == [package["id"], package["versionId"]]
    assert cff["license"] == "etalab-2.0" and cff["license-url"] == package["licenses"][0]["path"]
    assert cff["url"] == URL
    # An organisation, never an invented person; the data's publishers are named in `sources`.
    assert cff["authors"] == [{"name": identity.AUTHOR}]
    assert "data/sources.csv" in cff["abstract"]


def test_the_repository_named_in_pyproject_is_the_citation_s_code(
    release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = descriptor(release)
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.mille-jours]\n", encoding="utf-8")
    monkeypatch.setattr(identity, "PYPROJECT", pyproject)
    assert "repository-code" not in yaml.safe_load(citation_cff(package))  # none named: none said
    pyproject.write_text(
        '[tool.mille-jours]\nrepository = "https://depot.example.org/fictif/"\n', encoding="utf-8"
    )
    cff = yaml.safe_load(citation_cff(package))
    assert cff["repository-code"] == "https://depot.example.org/fictif" and cff_errors(cff) == []


def test_the_schema_check_refuses_a_broken_citation(release: Path) -> None:
    cff = yaml.safe_load((release / "CITATION.cff").read_text(encoding="utf-8"))
    for key, value in (
        ("authors", []),
        ("license", "Licence Ouverte"),
        ("type", "données"),
        ("date-released", "1er décembre 2026"),
    ):
        broken = copy.deepcopy(cff)
        broken[key] = value
        assert cff_errors(broken), key
    broken = copy.deepcopy(cff)
    broken["authors"] = [{"nom": "Jeanne Fictive"}]
    assert cff_errors(broken)


def test_zenodo_metadata_is_this_release(release: Path) -> None:
    package = descriptor(release)
    deposit = json.loads((release / ".zenodo.json").read_text(encoding="utf-8"))
    assert deposit["upload_type"] == "dataset" and deposit["access_right"] == "open"
    assert deposit["version"] == package["version"]
    assert deposit["publication_date"] == package["created"][:10]
    assert deposit["title"] == package["title"] and deposit["keywords"] == package["keywords"]
    assert deposit["creators"] == [{"name": identity.AUTHOR}] and deposit["license"] == "etalab-2.0"
    related = {(r["identifier"], r["relation"]) for r in deposit["related_identifiers"]}
    assert {
        (package["id"], "isVersionOf"),
        (package["versionId"], "isIdenticalTo"),
        (URL, "isSupplementTo"),
    } <= related
    sources = pd.read_csv(release / "data" / "sources.csv", dtype=str, keep_default_na=False)
    urls = {u for u in sources["url"] if u}
    assert urls and {(u, "isDerivedFrom") for u in urls} <= related
    assert all(
        set(r) == {"identifier", "relation", "scheme"} for r in deposit["related_identifiers"]
    )


def test_licence_file_names_every_licence(release: Path) -> None:
    text = (release / "LICENSE").read_text(encoding="utf-8")
    package = descriptor(release)
    assert package["licenses"][0]["name"] == "etalab-2.0"
    assert "etalab-2.0" in text and package["licenses"][0]["path"] in text
    assert f"version {package['version']}" in text
    assert "data/sources.csv" in text and "colonne licence" in text
    assert all(
        CREDIT[key] in text for key in ("package", "version", "author", "url", "licence_url")
    )
    assert "CC-BY-4.0" in text
