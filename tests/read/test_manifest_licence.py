"""`source.licence` is one id of a closed list (schemas/licences.py); anything else is refused in
French, naming the file, the value and the accepted ids. Every manifest here is fictitious (« fictif »)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from ruamel.yaml.comments import CommentedMap

from pipelines.common.problems import SourceError
from pipelines.read.manifest_file import load_manifest
from pipelines.stage.staged import source_record
from pipelines.web.manifest_form import LICENCES as FORM_LICENCES
from pipelines.web.manifest_form import apply_provenance
from schemas.licences import LICENCE_IDS, LICENCES
from tests.fictif import manifest_fictif

NOTE_FICTIVE = "« 12 projets fictifs retenus pour 480 000 € » (communiqué fictif du 3 mars)"


def write_manifest(folder: Path, name: str, **source) -> Path:
    base = yaml.safe_load(manifest_fictif())["source"]
    for key, value in source.items():
        if value is None:
            base.pop(key, None)
        else:
            base[key] = value
    path = folder / f"{name}.yaml"
    path.write_text(manifest_fictif(source=base), encoding="utf-8")
    return path


@pytest.mark.parametrize("licence", LICENCE_IDS)
def test_each_listed_licence_is_accepted_and_recorded_as_its_id(tmp_path: Path, licence: str):
    path = write_manifest(tmp_path, "liste-fictive", licence=f"  {licence} ", note=NOTE_FICTIVE)
    manifest = load_manifest(path)
    assert manifest.source.licence == licence
    record = source_record("bretagne/2023/liste-fictive", None, tmp_path, manifest, "csv")
    assert record["licence"] == licence


def test_no_licence_means_the_licence_ouverte(tmp_path: Path):
    assert load_manifest(write_manifest(tmp_path, "sans-licence-fictive")).source.licence == (
        "etalab-2.0"
    )


@pytest.mark.parametrize(
    "value",
    [
        "Tous droits réservés",
        "informations publiques (citation)",  # the old free-text spelling
        "Licence Ouverte 2.0",  # a title, not the id
        "CC-BY-4.0",  # ids are lower case
        "",
    ],
)
def test_a_licence_outside_the_list_is_refused_naming_file_value_and_ids(
    tmp_path: Path, value: str
):
    path = write_manifest(tmp_path, "droits-fictifs", licence=value)
    with pytest.raises(SourceError) as caught:
        load_manifest(path)
    message = caught.value.describe()
    assert "droits-fictifs.yaml" in message
    assert "source.licence" in message
    assert f"source.licence : « {value} » n'est pas une licence acceptée" in message
    for licence in LICENCE_IDS:
        assert licence in message
    assert caught.value.status != "ok"


@pytest.mark.parametrize("note", [None, "", "   "])
def test_quoted_public_information_needs_its_quote(tmp_path: Path, note: str | None):
    path = write_manifest(tmp_path, "presse-fictive", licence="information-publique", note=note)
    with pytest.raises(SourceError) as caught:
        load_manifest(path)
    assert "source.note doit citer les chiffres" in caught.value.describe()


def test_only_public_information_needs_a_note(tmp_path: Path):
    for licence in (li for li in LICENCES if not li.needs_note):
        path = write_manifest(tmp_path, f"{licence.id}-fictive", licence=licence.id, note=None)
        assert load_manifest(path).source.note is None


def test_the_contributor_page_offers_exactly_the_list():
    assert list(FORM_LICENCES) == list(LICENCE_IDS)
    for value, expected in (("cc0-1.0", None), ("Tous droits réservés", "Choisir une valeur")):
        data = CommentedMap()
        errors = apply_provenance(
            data,
            {
                "publisher": "ARS fictive",
                "url": "https://exemple.invalid/fictif",
                "title": "Appel fictif",
                "licence": value,
                "kind": "call",
                "retrieved": "2026-01-15",
            },
        )
        if expected is None:
            assert "licence" not in errors and data["source"]["licence"] == value
        else:
            assert expected in errors["licence"] and "licence" not in data["source"]
