"""One list never blocks the national release: generated identifiers are never masked, and a source
whose rows would break a table is held back alone. Every name and amount here is fictitious."""

from __future__ import annotations

import itertools
from pathlib import Path

import pandas as pd
import pytest

from assets.publication import publish_all
from pipelines.common import personal
from pipelines.consolidate.beneficiaries import digest, name_key
from pipelines.consolidate.tables import clean_text, consolidate
from pipelines.stage.source import stage_source
from schemas.tables import TABLES
from tests.fictif import LAUREATS_FICTIFS, csv_fictif, manifest_fictif

CAMPAIGN = {"id": "normandie-2024-aap-02", "title": "Second appel à projets fictif 2024"}
NORMANDIE = "28"


def names_with_phone_like_ids(count: int) -> list[str]:
    """Fictitious names whose generated beneficiary id (b- and 10 hex digits) reads as a phone
    number: what an honest list of a thousand names meets by chance."""
    found = []
    for i in itertools.count():
        name = f"Association Fictive n° {i}"
        beneficiary_id = "b-" + digest(f"name:{NORMANDIE}:{name_key(name)}")
        if any(f.code == "personal_phone" for f in personal.find(beneficiary_id)):
            found.append(name)
            if len(found) == count:
                return found
    raise AssertionError("unreachable")


def write_source(
    folder: Path, stem: str, rows: list[list[str]], total: str = "41 734,50 €", **manifest
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.csv").write_bytes(csv_fictif(rows, total=total))
    path = folder / f"{stem}.yaml"
    path.write_text(manifest_fictif(**manifest), encoding="utf-8")
    return path


def test_ids_that_look_like_phone_numbers_are_published_as_they_are(tmp_path, monkeypatch):
    names = names_with_phone_like_ids(2)
    rows = [
        [name, "Projet fictif", "14", f"{1000 * (i + 1)} €", ""] for i, name in enumerate(names)
    ]
    folder = tmp_path / "raw" / "normandie" / "2024"
    write_source(folder, "second-appel", rows, total="3 000 €", campaign=CAMPAIGN)
    (tmp_path / "published").mkdir()
    monkeypatch.setenv("MILLE_JOURS_ROOT", str(tmp_path))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / ".dagster"))

    outcome = publish_all(tmp_path)

    assert outcome.ok, "\n".join(outcome.lines)
    awards = pd.read_csv(tmp_path / "published" / "data" / "awards.csv", dtype=str)
    expected = {"b-" + digest(f"name:{NORMANDIE}:{name_key(n)}") for n in names}
    assert set(awards["beneficiary_id"]) == expected
    assert not awards["beneficiary_id"].str.contains("…").any()
    assert awards["award_id"].is_unique


def test_the_last_guard_masks_publisher_text_and_never_an_identifier():
    awards = pd.DataFrame(
        {
            "award_id": ["normandie-2024-aap-02-12345678", "normandie-2024-aap-02-12345679"],
            "beneficiary_id": ["b-0612345678", "b-0612345679"],
            "source_id": ["normandie/2024/liste-0612345678", "normandie/2024/autre"],
            "project_title": ["Rappeler au 06 12 34 56 78", "Projet fictif"],
        }
    )
    tables = {"awards": awards}

    warnings = clean_text(tables)

    cleaned = tables["awards"]
    assert list(cleaned["award_id"]) == list(awards["award_id"])
    assert list(cleaned["beneficiary_id"]) == ["b-0612345678", "b-0612345679"]
    assert cleaned.loc[1, "source_id"] == "normandie/2024/autre"
    assert "06 12 34 56 78" not in cleaned.loc[0, "project_title"]
    assert warnings == [
        "awards.project_title : 1 cellule(s) nettoyée(s) avant publication "
        "(caractères de contrôle ou données personnelles masquées)"
    ]


def test_the_columns_masked_are_the_publisher_text_of_the_schemas():
    assert TABLES["awards"].publisher_text == (
        "beneficiary_name",
        "project_title",
        "volet",
        "theme",
    )
    for table in TABLES.values():
        for name in table.publisher_text:
            field = table.field(name)
            assert not (field.identifier or field.enum or field.pattern), (table.name, name)
        assert "source_id" not in table.publisher_text


def test_a_source_whose_rows_break_a_table_is_held_back_and_the_others_kept(tmp_path):
    folder = tmp_path / "raw" / "normandie" / "2024"
    manifests = [
        write_source(folder, "premier-appel", LAUREATS_FICTIFS),
        write_source(
            folder,
            "second-appel",
            [["Crèche Fictive du Val", "Éveil", "27", "5 000 €", ""]],
            total="5 000 €",
            campaign=CAMPAIGN,
        ),
    ]
    staged = [stage_source(m, tmp_path / "raw") for m in manifests]
    assert [s.status for s in staged] == ["ok", "ok"]
    # A reading bug past the source's own checks: an amount no table accepts.
    staged[1].rows.loc[:, "amount_eur"] = -1.0

    result = consolidate(staged)

    sources = result.tables["sources"].set_index("source_id")
    held = sources.loc["normandie/2024/second-appel"]
    assert held["status"] == "refused"
    assert "la table awards refuse une de ses lignes (colonne amount_eur" in held["message"]
    assert "les autres le sont" in held["message"]
    assert sources.loc["normandie/2024/premier-appel", "status"] == "ok"
    assert set(result.tables["awards"]["source_id"]) == {"normandie/2024/premier-appel"}
    assert len(result.tables["awards"]) == len(LAUREATS_FICTIFS)
    assert any(
        w.startswith("normandie/2024/second-appel : la table awards") for w in result.warnings
    )


@pytest.mark.parametrize("stem", ["liste-0699887766", "contact_06_99_88_77_66"])
def test_personal_data_in_a_file_name_holds_the_source_back(tmp_path, stem):
    manifest = write_source(tmp_path / "raw" / "normandie" / "2024", stem, LAUREATS_FICTIFS)

    staged = stage_source(manifest, tmp_path / "raw")

    found = [w for w in staged.warnings if w.place == "nom du fichier"]
    assert [w.code for w in found] == ["personal_phone"]
    assert "renommer le fichier" in found[0].fix
