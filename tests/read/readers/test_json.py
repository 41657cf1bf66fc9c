"""JSON reader: the shapes portals export, values as written, and every refusal said in French.
Every file here is fictitious."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.common.problems import SourceError
from pipelines.read.manifest import FORMATS, ReadOptions
from pipelines.read.readers import json as json_reader
from pipelines.read.readers import reader_for
from schemas.tables import SOURCES
from tests.json_fictif import json_manifest

FIELDS = {"porteur": "Association fictive", "montant": 1500.5}


def read(tmp_path: Path, data: object | str, **options) -> list[tuple]:
    path = tmp_path / "export-fictif.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return [(r.number, r.place, r.cells) for r in reader_for("json")(path, ReadOptions(**options))]


def refused(tmp_path: Path, data: object | str, **options) -> SourceError:
    with pytest.raises(SourceError) as info:
        read(tmp_path, data, **options)
    return info.value


@pytest.mark.parametrize(
    ("data", "place"),
    [
        ([FIELDS], "liste JSON"),
        ({"total_count": 1, "results": [FIELDS]}, "clé results"),  # OpenDataSoft v2.1
        ({"data": [FIELDS], "page": 1, "total": 1, "next_page": None}, "clé data"),  # udata
        (  # OpenDataSoft v1: the fields of each record, its facets left aside
            {
                "nhits": 1,
                "parameters": {"dataset": "laureats-fictifs", "facet": ["departement"]},
                "records": [
                    {
                        "datasetid": "laureats-fictifs",
                        "recordid": "0f1c",
                        "fields": FIELDS,
                        "record_timestamp": "2024-01-01T00:00:00Z",
                    }
                ],
                "facet_groups": [{"name": "departement", "facets": [{"name": "29", "count": 1}]}],
            },
            "clé records",
        ),
        (  # OpenDataSoft's « export JSON »: a list, each record's fields wrapped
            [{"datasetid": "x", "recordid": "1", "fields": FIELDS, "geometry": None}],
            "liste JSON",
        ),
        (  # OpenDataSoft v2.0: links beside the records, the fields under record.fields
            {
                "total_count": 1,
                "links": [{"href": "https://exemple.invalid/fictif", "rel": "self"}],
                "records": [
                    {
                        "links": [{"href": "https://exemple.invalid/1", "rel": "self"}],
                        "record": {"id": "1", "timestamp": "2024", "size": 9, "fields": FIELDS},
                    }
                ],
            },
            "clé records",
        ),
        (  # GeoJSON: the features' properties
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "geometry": {"type": "Point", "coordinates": [-4.48, 48.39]},
                        "properties": FIELDS,
                    }
                ],
            },
            "clé features",
        ),
    ],
    ids=["liste", "ods-v2.1", "udata", "ods-v1", "ods-export", "ods-v2.0", "geojson"],
)
def test_portal_shapes_give_the_same_table(tmp_path: Path, data: object, place: str):
    assert read(tmp_path, data) == [
        (0, place, ("porteur", "montant")),
        (1, place, ("Association fictive", "1500.5")),
    ]


def test_values_as_written_keys_in_the_order_first_seen(tmp_path: Path):
    text = """[
      {"nom": "Association  fictive ", "siret": 12345678901234567890, "montant": 15000.50,
       "adresse": {"commune": "Brest (fictif)", "geo": {"dep": "29"}}, "valide": true},
      {"nom": "Crèche fictive", "montant": 1.5e4, "themes": ["éveil", null, 3, false],
       "valide": false, "note": null, "adresse": {}},
      {"montant": 1.234, "themes": [], "nouveau": ""}
    ]"""
    header, *rows = read(tmp_path, text)
    assert header[2] == (
        "nom",
        "siret",
        "montant",
        "adresse.commune",
        "adresse.geo.dep",
        "valide",
        "themes",
        "note",
        "nouveau",
    )
    assert [r[2] for r in rows] == [
        (
            "Association fictive",
            "12345678901234567890",
            "15000.50",
            "Brest (fictif)",
            "29",
            "true",
            None,
            None,
            None,
        ),
        ("Crèche fictive", None, "15000", None, None, "false", "éveil ; 3 ; false", None, None),
        (None, None, "1.2340", None, None, None, None, None, None),  # decimal "," by default
    ]
    # Where "." is the decimal mark too: « 1.234 » would read as thousands written with dots.
    assert read(tmp_path, text, decimal=".")[3][2][2] == "1.2340"


def test_encodings(tmp_path: Path):
    path = tmp_path / "export-fictif.json"
    data = json.dumps([{"porteur": "Crèche fictive"}], ensure_ascii=False)
    path.write_bytes(b"\xef\xbb\xbf" + data.encode("utf-8"))
    assert reader_for("json")(path, ReadOptions())[1].cells == ("Crèche fictive",)
    path.write_bytes(("\n" + data).encode("cp1252"))
    with pytest.raises(SourceError) as info:
        reader_for("json")(path, ReadOptions())
    assert info.value.message == "le fichier n'est pas en UTF-8 (octet 0xe8 illisible)"
    assert info.value.place == "ligne 2" and "read.encoding" in info.value.fix
    assert reader_for("json")(path, ReadOptions(encoding="cp1252"))[1].cells == ("Crèche fictive",)


def test_read_records_chooses_among_several_lists(tmp_path: Path):
    data = {"result": {"fields": [{"id": "porteur"}], "records": [FIELDS, FIELDS]}}
    error = refused(tmp_path, data)
    assert error.message == (
        "plusieurs listes d'enregistrements dans le fichier JSON : « result.fields » (1), "
        "« result.records » (2)"
    )
    assert error.place == "manifeste, read.records"
    assert "read.records" in error.fix
    rows = read(tmp_path, data, records="result.records")
    assert len(rows) == 3 and rows[1] == (
        1,
        "clé result.records",
        ("Association fictive", "1500.5"),
    )

    absent = refused(tmp_path, data, records="result.lignes")
    assert "pas de clé « result.lignes »" in absent.message
    assert absent.fix.endswith("result.fields, result.records")
    assert "est un objet, pas une liste" in refused(tmp_path, {"a": {"b": 1}}, records="a").message
    assert refused(tmp_path, [FIELDS], records="data").fix == "retirer read.records"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("", "fichier vide"),
        ("\ufeff  \n", "fichier vide"),
        ("42", "le fichier JSON ne contient qu'une valeur (un nombre ou un texte)"),
        ("null", "le fichier JSON ne contient qu'une valeur (null)"),
        ({"titre": "Liste fictive", "total": 3}, "aucune liste d'enregistrements"),
        ([FIELDS, "fictif"], "l'élément 2 de la liste est un nombre ou un texte, pas un objet"),
        ([{"a.b": 1, "a": {"b": 2}}], "deux valeurs pour la colonne « a.b »"),
        ([{"a": [[1, 2]]}], "la clé « a » contient une liste de listes"),
        ("<html><body>Liste fictive</body></html>", "il contient du HTML"),
        ('[{"a": 1}] [{"a": 2}]', "du texte après la fin du JSON"),
        ('[{"a": "fictif}]', "texte entre guillemets jamais fermé"),
    ],
)
def test_refusals_are_said_in_french(tmp_path: Path, data: object, message: str):
    error = refused(tmp_path, data)
    assert message in error.message
    assert error.fix and "Error" not in error.message


def test_size_guards(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(json_reader, "MAX_BYTES", 100)
    error = refused(tmp_path, [FIELDS] * 10)
    assert "au-delà de la limite" in error.message
    monkeypatch.setattr(json_reader, "MAX_BYTES", 1 << 20)
    monkeypatch.setattr(json_reader, "MAX_CELLS", 10)
    error = refused(tmp_path, [FIELDS] * 6)
    assert error.message.startswith("6 enregistrements de 2 champs")


def test_read_records_must_be_a_path(tmp_path: Path, stage):
    manifest = json_manifest({"beneficiary_name": "porteur"}, read={"records": "data..x"})
    staged = stage("chemin-fictif", json.dumps({"data": [FIELDS]}), manifest, ext="json")
    assert staged.status == "bad_manifest"
    assert "read.records : le chemin de la liste" in staged.error.message


def test_nothing_is_lost(stage):
    records = [
        {"porteur": "Association fictive A", "montant": 1000},
        {"porteur": "Association fictive B", "montant": "mille"},
        {"porteur": "TOTAL", "montant": 1000},
    ]
    manifest = json_manifest({"beneficiary_name": "porteur", "amount_eur": "montant"})
    staged = stage("perte-fictive", json.dumps({"data": records}), manifest, ext="json")
    s = staged.source
    assert (s["format"], s["rows_read"], s["rows_accepted"]) == ("json", 4, 1)
    assert (s["rows_rejected"], s["rows_skipped"]) == (1, 2)  # the keys' row, the TOTAL
    reject = staged.rejects.iloc[0]
    assert (reject["source_row"], reject["place"], reject["value"]) == (2, "clé data", "mille")


def test_every_readable_format_can_be_published():
    assert set(FORMATS) <= set(SOURCES.field("format").enum)
