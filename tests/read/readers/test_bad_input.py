"""Bad input: a clear French message naming the file, the place and the fix; never a traceback;
the other sources still go through."""

from __future__ import annotations

import pytest

from pipelines.read.discovery import discover
from pipelines.stage.source import stage_source
from tests.conftest import add_source
from tests.fixtures_gen import (
    csv_text,
    file_bytes,
    html_manifest,
    manifest,
    ods_manifest,
    write_encrypted_xlsx,
    write_pdf_without_table,
    xlsx_manifest,
)

BAD = {  # name: (bytes, manifest, extension, what the message says)
    "vide-csv-fictif": (b"", manifest(), "csv", "fichier vide"),
    "vide-xlsx-fictif": (b"", xlsx_manifest(), "xlsx", "fichier vide"),
    "vide-ods-fictif": (b"", ods_manifest(), "ods", "fichier vide"),
    "vide-pdf-fictif": (b"", manifest(), "pdf", "fichier vide"),
    "vide-html-fictif": (b"  \n", html_manifest(), "html", "fichier vide"),
    "blancs-csv-fictif": (b";;;\n;;;\n", manifest(), "csv", "aucune ligne lue"),
    "corrompu-xlsx-fictif": (
        b"PK\x03\x04" + bytes(range(256)) * 4,
        xlsx_manifest(),
        "xlsx",
        "classeur xlsx corrompu",
    ),
    "tronque-ods-fictif": (
        b"PK\x03\x04\x14\x00\x00\x00",
        ods_manifest(),
        "ods",
        "classeur ods corrompu",
    ),
    "pas-un-classeur-fictif": (
        b"<html><table><tr><td>x</td></tr></table></html>",
        xlsx_manifest(),
        "xlsx",
        "ce n'est pas un classeur xlsx",
    ),
    "corrompu-pdf-fictif": (
        b"%PDF-1.4\n" + b"\x00garbage" * 50,
        manifest(),
        "pdf",
        "PDF corrompu ou illisible",
    ),
    "sans-tableau-pdf-fictif": (None, manifest(), "pdf", "aucun tableau trouvé dans le PDF"),
    "chiffre-xlsx-fictif": (None, xlsx_manifest(), "xlsx", "classeur protégé par un mot de passe"),
    "encodage-faux-fictif": (
        csv_text().encode("cp1252"),
        manifest(read={"encoding": "utf-8"}),
        "csv",
        "le fichier n'est pas en utf-8",
    ),
    "colonne-absente-fictif": (
        csv_text().encode(),
        manifest(
            {
                "beneficiary_name": "Porteur du projet",
                "amount_eur": "Montant accordé",
                "siret": "SIRET",
            }
        ),
        "csv",
        "colonne 'SIRET' (pour beneficiary_siret) absente de l'en-tête",
    ),
    "entete-double-fictif": (
        "Porteur du projet;Montant accordé;Montant accordé\nAsso fictive;1;2\n".encode(),
        manifest({"beneficiary_name": "Porteur du projet", "amount_eur": "Montant accordé"}),
        "csv",
        "l'en-tête 'Montant accordé' apparaît 2 fois",
    ),
    "manifeste-faux-fictif": (
        csv_text().encode(),
        manifest().replace("table: awards", "table: laureats"),
        "csv",
        "table : valeur « laureats » non permise",
    ),
}


@pytest.fixture(scope="module")
def generated():
    return {
        "sans-tableau-pdf-fictif": file_bytes(write_pdf_without_table, ".pdf"),
        "chiffre-xlsx-fictif": file_bytes(write_encrypted_xlsx, ".xlsx"),
    }


@pytest.mark.parametrize("name", list(BAD))
def test_each_bad_file_gets_a_clear_message(project, generated, name):
    data, text, ext, message = BAD[name]
    path = add_source(
        project,
        "bretagne-fictive",
        2023,
        name,
        data if data is not None else generated[name],
        text,
        ext=ext,
    )
    staged = stage_source(path.with_suffix(".yaml"), project / "raw")

    assert staged.status == ("bad_manifest" if name == "manifeste-faux-fictif" else "unreadable")
    assert staged.rows.empty and staged.rejects.empty
    assert message in staged.error.message
    described = staged.source["message"]
    # Published in sources.csv: the path from the project folder, never this machine's.
    named = path if name != "manifeste-faux-fictif" else path.with_suffix(".yaml")
    assert described.startswith(named.relative_to(project).as_posix() + " ")
    assert "À faire : " in described and staged.error.fix
    assert "Traceback" not in described and "Error" not in staged.error.message


def test_bad_sources_do_not_stop_the_good_ones(project, generated):
    for name, (data, text, ext, _) in BAD.items():
        add_source(
            project,
            "bretagne-fictive",
            2023,
            name,
            data if data is not None else generated[name],
            text,
            ext=ext,
        )
    add_source(project, "bretagne-fictive", 2023, "laureats-fictifs", csv_text(), manifest())

    staged = {s.key: stage_source(s.manifest, project / "raw") for s in discover(project / "raw")}
    ours = {k: v for k, v in staged.items() if k.startswith("bretagne-fictive/")}
    assert len(ours) == len(BAD) + 1
    assert ours["bretagne-fictive/2023/laureats-fictifs"].status == "ok"
    assert len(ours["bretagne-fictive/2023/laureats-fictifs"].rows) == 5
    assert {k for k, v in ours.items() if v.status in ("unreadable", "bad_manifest")} == {
        f"bretagne-fictive/2023/{name}" for name in BAD
    }
    # the real sources of raw/ are untouched by their neighbours' failures
    assert all(v.error is None for k, v in staged.items() if not k.startswith("bretagne-fictive/"))


def test_the_encrypted_workbook_is_a_real_encrypted_file(generated):
    data = generated["chiffre-xlsx-fictif"]
    assert data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE container, as Excel writes it
    assert "EncryptedPackage".encode("utf-16-le") in data
