"""A portal's JSON export goes in from the drafted manifest, exactly; a broken one is refused
with a French message (exit 2), never a traceback. Every file here is fictitious (tests/json_fictif.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.contribute.test_publisher_shapes import cli, contribute, folder, lines_of
from tests.json_fictif import (
    ODS_LINES,
    ODS_RESULTS,
    ODS_TOTAL,
    PLAIN,
    PLAIN_LINES,
    PLAIN_TOTAL,
    UDATA,
    UDATA_LINES,
    UDATA_THEMES,
    UDATA_TOTAL,
    json_manifest,
    write_json,
)

VARIANTS = {  # name: (region folder, region, year, data, lines, total, columns drafted)
    "liste": (
        "normandie",
        "28",
        2024,
        PLAIN,
        PLAIN_LINES,
        PLAIN_TOTAL,
        {
            "beneficiary_name": "Porteur du projet",
            "project_title": "Intitulé du projet",
            "department": "Département",
            "amount_eur": "Montant accordé",
        },
    ),
    "opendatasoft-results": (
        "bretagne",
        "53",
        2023,
        ODS_RESULTS,
        ODS_LINES,
        ODS_TOTAL,
        {
            "beneficiary_name": "porteur.nom",
            "project_title": "projet.titre",
            "volet": "projet.volet",
            "department": "localisation.departement",
            "amount_eur": "montant",
            "funder": "financeur",
        },
    ),
    "udata-data": (
        "ile-de-france",
        "11",
        2024,
        UDATA,
        UDATA_LINES,
        UDATA_TOTAL,
        {
            "beneficiary_name": "beneficiaire",
            "project_title": "intitule",
            "department": "departement",
            "amount_eur": "montant.total",
            "theme": "thematique",
            "funder": "financeur",
        },
    ),
}


def _report(manifest: Path) -> tuple[int, dict]:
    result = cli("validate", "--format", "json", manifest)
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize("name", list(VARIANTS))
def test_json_export_drafted_then_validated_exactly(tmp_path: Path, name: str):
    region_folder, region, year, data, lines, total, columns = VARIANTS[name]
    path = write_json(folder(tmp_path, region_folder, year) / f"export-{name}-fictif.json", data)

    c = contribute(tmp_path, path, region, year)

    draft = yaml.safe_load(c.draft)
    assert draft["columns"] == columns
    assert "header_row" not in draft["read"] and "records" not in draft["read"]
    assert "en-tête trouvé : les clés des enregistrements" in c.drafted
    assert c.exit_code == 0, c.validated
    assert lines_of(c.staged) == lines
    code, report = _report(c.manifest)
    source = report["sources"][0]
    assert code == 0
    assert source["computed"]["awards_count"] == len(lines)
    assert source["computed"]["total_eur"] == pytest.approx(total, abs=1e-6)
    # The keys' row is the header, counted as read and skipped; record N is row N.
    assert source["rows_read"] == len(lines) + 1 and source["rows_skipped"] == 1
    assert source["rows_accepted"] == len(lines) and source["rows_rejected"] == 0
    assert c.staged.rows["source_row"].tolist() == list(range(1, len(lines) + 1))
    if name == "udata-data":
        themes = c.staged.rows["theme"].tolist()
        assert [None if pd.isna(t) else t for t in themes] == UDATA_THEMES


def test_json_numbers_are_the_amounts_written_whatever_the_decimal_mark(tmp_path: Path):
    records = [
        {"Porteur": "Association fictive A", "Montant": 1.234},  # one euro and some, not 1 234 €
        {"Porteur": "Association fictive B", "Montant": 12500.25},
        {"Porteur": "Association fictive C", "Montant": 1.5e3},
        {"Porteur": "Association fictive D", "Montant": 20000},
    ]
    path = write_json(folder(tmp_path, "bretagne", 2023) / "montants-fictifs.json", records)
    columns = {"beneficiary_name": "Porteur", "amount_eur": "Montant"}
    for decimal in (",", "."):
        path.with_suffix(".yaml").write_text(
            json_manifest(columns, read={"decimal": decimal}), encoding="utf-8"
        )
        code, report = _report(path.with_suffix(".yaml"))
        assert code == 0, report
        assert report["sources"][0]["computed"]["awards_count"] == 4
        assert report["sources"][0]["computed"]["total_eur"] == pytest.approx(34001.48, abs=1e-6)


def test_several_lists_are_drafted_with_read_records_to_check(tmp_path: Path):
    data = {
        "result": {
            "fields": [{"id": "Porteur", "type": "text"}, {"id": "Montant", "type": "numeric"}],
            "records": [
                {"Porteur du projet": f"Association fictive {i}", "Montant accordé": 1000 + i}
                for i in range(3)
            ],
        }
    }
    path = write_json(folder(tmp_path, "bretagne", 2023) / "ckan-fictif.json", data)
    c = contribute(tmp_path, path, "53", 2023)
    assert yaml.safe_load(c.draft)["read"]["records"] == "result.records"
    assert "À VÉRIFIER : la plus longue des listes d'objets du fichier (3 enregistrements) ; " in (
        c.draft
    )
    assert "les autres : result.fields (2)" in c.draft
    assert "read.records" in c.drafted  # listed among what to check
    assert c.exit_code == 0, c.validated
    assert [r[4] for r in lines_of(c.staged)] == [1000.0, 1001.0, 1002.0]


def _nested(levels: int) -> object:
    return {"b": _nested(levels - 1)} if levels else "fictif"


HOSTILE = {  # name: (file text, what the message says)
    "invalide": (
        '[\n  {"Porteur du projet": "Association fictive",\n   "Montant accordé": 1000,}\n]',
        "JSON invalide : nom de clé entre guillemets doubles attendu",
    ),
    "scalaire": ('"liste fictive"', "le fichier JSON ne contient qu'une valeur"),
    "deux-listes": (
        json.dumps(
            {
                "laureats": [{"Porteur du projet": "Association fictive", "Montant accordé": 1}],
                "candidats": [{"Porteur du projet": "Crèche fictive", "Montant accordé": 2}],
            }
        ),
        "plusieurs listes d'enregistrements dans le fichier JSON : « laureats » (1), "
        "« candidats » (1)",
    ),
    "imbrication": ("[" * 100_000 + "]" * 100_000, "JSON imbriqué sur des centaines de niveaux"),
    "objets-imbriques": (
        json.dumps([{"Porteur du projet": "Association fictive", "a": _nested(12)}]),
        "objets imbriqués sur plus de 10 niveaux",
    ),
    "liste-vide": ("[]", "la liste d'enregistrements est vide"),
    "data-vide": ('{"data": [], "total": 0}', "la liste d'enregistrements est vide"),
    "liste-d-objets": (
        json.dumps([{"Porteur du projet": "Association fictive", "financements": [{"a": 1}]}]),
        "la clé « financements » contient une liste d'objets",
    ),
}
PLACES = {
    "invalide": "ligne 3, colonne 28",
    "deux-listes": "manifeste, read.records",
    "objets-imbriques": "liste JSON, enregistrement 1",
    "liste-d-objets": "liste JSON, enregistrement 1",
    "data-vide": "clé data",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_json_is_refused_in_french(tmp_path: Path, name: str):
    text, message = HOSTILE[name]
    path = folder(tmp_path, "bretagne", 2023) / f"{name}-fictif.json"
    path.write_text(text, encoding="utf-8")
    path.with_suffix(".yaml").write_text(
        json_manifest({"beneficiary_name": "Porteur du projet"}), encoding="utf-8"
    )

    result = cli("validate", path.with_suffix(".yaml"))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "correction :" in result.output and "Error" not in result.output
    if name in PLACES:
        assert PLACES[name] in result.output

    path.with_suffix(".yaml").unlink()
    drafted = cli("new-source", path, "--region", "53", "--year", "2023")
    assert drafted.exit_code == (0 if name == "deux-listes" else 2), drafted.output
    if name != "deux-listes":
        assert message in drafted.stderr and not path.with_suffix(".yaml").exists()
