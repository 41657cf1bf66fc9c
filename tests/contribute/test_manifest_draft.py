"""The drafted manifest says exactly what was found, whatever the headers hold. Every file here is fictitious."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
import yaml

from pipelines.contribute import new_source
from pipelines.read.manifest_file import load_manifest

# Headers as a publisher might write them, each still recognised: colons, quotes, `#`, brackets,
# non-ASCII, a département code in the label.
HOSTILE_HEADER = [
    '"Porteur" du projet : nom #1',
    "Intitulé du projet: l'action « 1000 jours »",
    "Code département # 01",
    "Montant ARS: 2022 ' #",
    'Subvention DREETS "fictive"',
    "N° SIRET : 'établissement'",
    "Axe du projet - {x}, [y] & *z",
    "Observations: yes",
]
HOSTILE_ROW = [
    "Association fictive",
    "Projet fictif",
    "971",
    "1 000",
    "2 000",
    "",
    "axe fictif",
    "",
]

# Labels no reader hands over as they are (spaces around, line breaks, one value alone), yet a
# manifest may hold: what YAML would read as another type, or as its own syntax, if left plain.
ODD_LABELS = [
    "  espaces devant",
    "espaces derrière  ",
    "01",
    "971",
    "yes",
    "No",
    "on",
    "OFF",
    "null",
    "~",
    "true",
    "1:20",
    "1_000",
    "0x1F",
    "1.5",
    ".5",
    "1e3",
    "2024-01-31",
    "-",
    "- tiret",
    "? x",
    ": deux-points",
    "a: b",
    "a #b",
    "#x",
    "'",
    '"',
    "'\"'",
    "[x]",
    "{x}",
    "&ancre",
    "*alias",
    "!tag",
    "%x",
    "@x",
    "`x",
    "|",
    ">",
    "=",
    "<<",
    "---",
    "...",
    "\\",
    "tab\tici",
    "",
    "é",
    "ligne 1\nligne 2",
    "x\u2028y",
    "Montant accordé (€)",
]
FIELDS = [
    "beneficiary_name",
    "project_title",
    "department",
    "amount_eur",
    "siret",
    "rna",
    "volet",
    "theme",
]


def hostile_csv(path: Path) -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerows([HOSTILE_HEADER, HOSTILE_ROW])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_hostile_headers_round_trip_through_the_manifest_loader(tmp_path: Path):
    d = new_source.draft(hostile_csv(tmp_path / "laureats-fictifs.csv"), "01", 2024)
    new_source.write(d)
    assert d.columns == {
        "beneficiary_name": HOSTILE_HEADER[0],
        "project_title": HOSTILE_HEADER[1],
        "department": HOSTILE_HEADER[2],
        "siret": HOSTILE_HEADER[5],
        "theme": HOSTILE_HEADER[6],
    }
    assert d.by_funder == {"ARS": HOSTILE_HEADER[3], "DREETS": HOSTILE_HEADER[4]}
    assert d.unmapped == ["Observations: yes"]

    manifest = load_manifest(d.manifest_path)
    assert list(manifest.columns.items()) == [
        *d.columns.items(),
        ("amount_eur_by_funder", d.by_funder),
    ]
    assert manifest.region == "01"  # Guadeloupe, never the number 1
    assert yaml.safe_load(d.text)["region"] == "01"
    # The comments stay comments: the left-out header is said, never mapped.
    assert "# Colonnes non reprises, donc non publiées : « Observations: yes »." in d.text


@pytest.mark.parametrize("start", range(0, len(ODD_LABELS), len(FIELDS)))
def test_odd_labels_round_trip_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start: int):
    labels = ODD_LABELS[start : start + len(FIELDS)]
    columns = dict(zip(FIELDS, labels))
    by_funder = {"ARS": labels[0] + " (ARS)", "DREETS": labels[-1]}
    unmapped = [
        f"non reprise {x}" for x in labels
    ]  # said in a comment, which a line break must not end
    monkeypatch.setattr(
        new_source, "propose_columns", lambda *_: (dict(columns), dict(by_funder), list(unmapped))
    )
    path = tmp_path / "laureats-fictifs.csv"
    path.write_bytes("Structure porteuse;Montant accordé\r\nAssociation fictive;1 000\r\n".encode())
    d = new_source.draft(path, "Guadeloupe", 2024)
    new_source.write(d)

    manifest = load_manifest(d.manifest_path)
    assert list(manifest.columns.items()) == [*columns.items(), ("amount_eur_by_funder", by_funder)]
    assert manifest.region == "01"
    # No key read back that was not written: the comments held every label, line breaks and all.
    assert list(yaml.safe_load(d.text)) == [
        "source",
        "region",
        "year",
        "campaign",
        "table",
        "read",
        "columns",
    ]
