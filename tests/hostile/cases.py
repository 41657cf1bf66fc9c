"""Hostile and broken inputs, each generated small and fast: what an attacker or a clumsy contributor
drops into raw/. Every file, name, address and number here is fictitious (« fictif »).

A case writes its files into raw/<région>/<année>/ of a test project and says what must happen:
the exit code of `mille-jours validate`, a part of its French message, and the status its source
gets in the published `sources` table.
"""

from __future__ import annotations

import copy
import io
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from tests.fictif import EN_TETE_FICTIF, LAUREATS_FICTIFS, csv_fictif, manifest_fictif

# Text that must never reach published/ (a secret behind a symlink, personal data, markup).
SECRET = "FICTIF_SECRET_7f3a9c"
MARKERS = (
    SECRET,
    "jeanne.fictive@exemple.invalid",
    "06 99 88 77 66",
    "FR7630006000011234567890189",
    "1 85 05 78 006 084 91",
    "Jeanne Fictive",
    "\x00",
    "\u202e",
    "\u200b",
)
# Live markup, in what a browser or a Markdown renderer shows (README.md, index.html).
MARKUP = {".html": ("<img src=x", 'href="javascript'), ".md": ("<img src=x", "[clic](javascript")}
REGION, YEAR = "normandie", 2024


@dataclass(frozen=True)
class Case:
    build: Callable[[Path, str], None]  # (folder raw/<région>/<année>/, name) → files written
    exit: int  # of `mille-jours validate`
    message: str  # a part of the French message
    status: str  # in the published `sources` table
    folder: tuple[str, int] = (REGION, YEAR)
    stem: str | None = None  # the source's name when it is not the case's
    beside: tuple[str, ...] = ()  # other cases it needs in the same project
    # Also dropped into the one publication of tests/hostile/test_publish.py. Manifest-only refusals
    # are published alike (bad_manifest, nothing of the source): a few of them stand for the rest.
    publish: bool = True

    def source_id(self, name: str) -> str:
        return f"{self.folder[0]}/{self.folder[1]}/{self.stem or name}"


def write(folder: Path, name: str, data: bytes | str, manifest: str, ext: str = "csv") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.{ext}"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    (folder / f"{name}.yaml").write_text(manifest, encoding="utf-8")


def campaign(name: str) -> dict:
    return {
        "id": f"normandie-2024-{name.removesuffix('-fictif')}",
        "title": f"Appel à projets fictif ({name})",
    }


def manifest(name: str, **overrides) -> str:
    return manifest_fictif(**{"campaign": campaign(name), **overrides})


def csv_utf8(rows: list[list[str]]) -> bytes:
    """The fictitious list in UTF-8 (what cp1252 cannot hold: NUL, zero-width, bidi characters)."""
    return "\r\n".join(";".join(r) for r in [EN_TETE_FICTIF, *rows]).encode("utf-8") + b"\r\n"


def rows_with(row: int, column: int, value: str) -> list[list[str]]:
    rows = [r[:] for r in LAUREATS_FICTIFS]
    rows[row][column] = value
    return rows


def plain(
    name: str,
    rows: list[list[str]] | None = None,
    header: list[str] | None = None,
    utf8: bool = False,
    **overrides,
):
    def build(folder: Path, name: str = name) -> None:
        data = csv_utf8(rows) if utf8 else csv_fictif(rows, header=header)
        write(folder, name, data, manifest(name, **overrides))

    return build


# --- 1. files stay inside raw/ ------------------------------------------------------------------


def symlink_to(target: Callable[[Path], Path]):
    def build(folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.csv").symlink_to(target(folder))
        (folder / f"{name}.yaml").write_text(manifest(name), encoding="utf-8")

    return build


def dot_env(folder: Path) -> Path:
    env = folder.parents[2] / ".env"  # the project's own secrets, beside raw/
    env.write_text(
        f"Structure porteuse;Intitulé du projet;Département;Montant accordé\nSECRET_KEY={SECRET};x;14;1\n",
        encoding="utf-8",
    )
    return env


def linked_folder(folder: Path, name: str) -> None:
    """raw/normandie/2024 itself a link to a folder outside raw/ (holding a file and its manifest)."""
    outside = folder.parents[2] / "ailleurs"
    write(outside, name, csv_fictif(), manifest(name))
    folder.parent.mkdir(parents=True, exist_ok=True)
    folder.symlink_to(outside, target_is_directory=True)


def fifo(folder: Path, name: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.mkfifo(folder / f"{name}.csv")
    (folder / f"{name}.yaml").write_text(manifest(name), encoding="utf-8")


def long_header(folder: Path, name: str) -> None:
    """A first line that is no header at all: the message quotes a short excerpt of it, never the whole."""
    text = "x" * 400 + SECRET + ";autre\n" + "a;b\n"
    write(folder, name, text, manifest(name, read={"delimiter": ";", "header_row": 1}))


# --- 2. bounded ---------------------------------------------------------------------------------


def sparse_xlsx(folder: Path, name: str) -> None:
    from openpyxl import Workbook

    folder.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.append(EN_TETE_FICTIF)
    ws.append(LAUREATS_FICTIFS[0])
    ws["XFD1048576"] = "fictif"  # one cell at the sheet's far corner
    wb.save(folder / f"{name}.xlsx")
    (folder / f"{name}.yaml").write_text(manifest(name, read=None), encoding="utf-8")


def ods_bomb(folder: Path, name: str) -> None:
    """A 2 KB ODS: a blank row repeated two billion times, a blank cell repeated a billion times."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )

    def row(*cells: str) -> str:
        return (
            "<table:table-row>"
            + "".join(
                f'<table:table-cell office:value-type="string"><text:p>{c}</text:p></table:table-cell>'
                for c in cells
            )
            + "</table:table-row>"
        )

    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}><office:body>'
        '<office:spreadsheet><table:table table:name="Feuille1">'
        + row(*EN_TETE_FICTIF[:4])
        + '<table:table-row><table:table-cell table:number-columns-repeated="1000000000"/>'
        '<table:table-cell office:value-type="string"><text:p>loin</text:p></table:table-cell></table:table-row>'
        + '<table:table-row table:number-rows-repeated="2000000000"><table:table-cell/></table:table-row>'
        + row(*LAUREATS_FICTIFS[0][:4])
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    write(folder, name, buffer.getvalue(), manifest(name, read=None), ext="ods")


def html_spans(folder: Path, name: str) -> None:
    """A 3 KB page whose cells span a thousand columns and a thousand rows."""
    head = "".join(f"<th>{h}</th>" for h in EN_TETE_FICTIF[:4])
    body = "".join(
        f'<tr><td colspan="1000" rowspan="1000">{r[0]}</td><td>{r[1]}</td></tr>'
        for r in LAUREATS_FICTIFS
    )
    page = f"<html><body><table><tr>{head}</tr>{body}</table></body></html>"
    write(folder, name, page, manifest(name, read=None), ext="html")


def pdf_pages(folder: Path, name: str) -> None:
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(folder / f"{name}.pdf"))
    pdf.drawString(72, 720, "Liste fictive")
    pdf.save()
    (folder / f"{name}.yaml").write_text(
        manifest(name, read={"pages": "1-999999999999"}), encoding="utf-8"
    )


def slow_regex(folder: Path, name: str) -> None:
    """« (a+)+$ » on a long line: catastrophic for a backtracking engine, linear for RE2."""
    rows = rows_with(0, 4, "a" * 30000 + "!")
    write(
        folder,
        name,
        csv_fictif(rows),
        manifest(name, read={"delimiter": ";", "skip_rows_matching": ["(a+)+$"]}),
    )


def slow_items(folder: Path, name: str) -> None:
    """A `read.items` pattern catastrophic for a backtracking engine, on a long list item."""
    page = f"<html><body><main><h3>Orne</h3><ul><li>{'a' * 30000}!</li></ul></main></body></html>"
    write(
        folder,
        name,
        page,
        manifest(name, read={"items": "(?P<beneficiary_name>(?:a+)+$)"}),
        ext="html",
    )


def items_unnamed(folder: Path, name: str) -> None:
    """A `read.items` pattern with a capturing group that names no field."""
    page = (
        "<html><body><ul><li>Association fictive – Projet fictif : 1 000 €</li></ul></body></html>"
    )
    write(
        folder,
        name,
        page,
        manifest(name, read={"items": "(?P<beneficiary_name>.+?) (–|-) .*"}),
        ext="html",
    )


def yaml_bomb(folder: Path, name: str) -> None:
    levels = ["a: &a [fictif, fictif, fictif, fictif, fictif, fictif, fictif, fictif, fictif]"]
    for i, letter in enumerate("bcdefghi"):
        previous = "abcdefghi"[i]
        levels.append(f"{letter}: &{letter} [" + ", ".join([f"*{previous}"] * 9) + "]")
    write(
        folder,
        name,
        csv_fictif(),
        manifest(name) + "\n".join(levels).replace("a: &a", "x_a: &a") + "\n",
    )


def nested_brackets(text: str = "[") -> str:
    """80 KB of brackets opened one inside the other: libyaml's loader recurses once per bracket."""
    return f"x_profond: {text * 80_000}\n"


def yaml_nested(folder: Path, name: str) -> None:
    write(folder, name, csv_fictif(), manifest(name) + nested_brackets())


# --- 4. personal data ---------------------------------------------------------------------------


def person_columns(folder: Path, name: str) -> None:
    header = ["Civilité", "Nom", "Prénom"] + EN_TETE_FICTIF
    rows = [["Mme", "Fictive", "Jeanne"] + r for r in LAUREATS_FICTIFS]
    write(folder, name, csv_fictif(rows, header=header), manifest(name))


# --- 7. stems with dots, twin files -------------------------------------------------------------


def dotted(folder: Path, name: str) -> None:
    write(folder, "laureats.v2", csv_fictif(), manifest("laureats-v2"))
    write(folder, "laureats", csv_fictif(), manifest("laureats"))


def twin(folder: Path, name: str) -> None:
    write(folder, name, csv_fictif(), manifest(name))
    (folder / f"{name}.xlsx").write_bytes(b"PK\x03\x04 copie fictive")


def campaign_elsewhere(folder: Path, name: str) -> None:
    """A Pays de la Loire source reusing a Normandie campaign id."""
    data = manifest_fictif(
        region="52", campaign={"id": "normandie-2024-aap", "title": "Campagne fictive"}
    )
    rows = [[r[0], r[1], "Sarthe", r[3], r[4]] for r in LAUREATS_FICTIFS]
    write(folder, name, csv_fictif(rows), data)


def normandie_campaign(folder: Path, name: str) -> None:
    write(folder, name, csv_fictif(), manifest_fictif())


def wrong_types(folder: Path, name: str) -> None:
    data = yaml.safe_load(manifest(name))
    data.update(
        year="deux mille vingt-quatre",
        declared={"awards_count": -1, "total_amount_eur": "beaucoup"},
        partial="peut-être",
    )
    data["read"] = {"header_row": "premier", "skip_rows_matching": "^TOTAL"}
    write(folder, name, csv_fictif(), yaml.safe_dump(data, allow_unicode=True))


# --- 8. Word documents ----------------------------------------------------------------------


def docx_not_a_zip(folder: Path, name: str) -> None:
    write(
        folder,
        name,
        "Ceci n'est pas un document Word (fictif).\n",
        manifest(name, read=None),
        "docx",
    )


def docx_without_table(folder: Path, name: str) -> None:
    from docx import Document

    folder.mkdir(parents=True, exist_ok=True)
    document = Document()
    document.add_heading("Lauréats fictifs", level=1)
    document.add_paragraph("Association fictive du Bocage – Projet fictif : 5 000 €")
    document.save(str(folder / f"{name}.docx"))
    (folder / f"{name}.yaml").write_text(manifest(name, read=None), encoding="utf-8")


def docx_spans(folder: Path, name: str) -> None:
    """A 40 KB document whose one row of 10 000 cells each spans a thousand columns."""
    from docx import Document
    from docx.oxml.ns import qn

    folder.mkdir(parents=True, exist_ok=True)
    document = Document()
    table = document.add_table(rows=2, cols=4)
    for cell, text in zip(table.rows[0].cells, EN_TETE_FICTIF):
        cell.text = text
    row = table.rows[1]._tr
    model = row.tc_lst[0]
    model.get_or_add_tcPr().grid_span = 1000
    for tc in row.tc_lst[1:]:
        row.remove(tc)
    for _ in range(10_000):
        row.append(copy.deepcopy(model))
    assert row.tc_lst[0].tcPr.find(qn("w:gridSpan")) is not None
    document.save(str(folder / f"{name}.docx"))
    (folder / f"{name}.yaml").write_text(manifest(name, read=None), encoding="utf-8")


CASES: dict[str, Case] = {
    # 1. files stay inside raw/
    "lien-env-fictif": Case(
        symlink_to(dot_env), 2, "lien symbolique qui sort du dossier de la source", "unreadable"
    ),
    "lien-zero-fictif": Case(
        symlink_to(lambda f: Path("/dev/zero")),
        2,
        "lien symbolique qui sort du dossier",
        "unreadable",
    ),
    "lien-passwd-fictif": Case(
        symlink_to(lambda f: Path("/etc/passwd")),
        2,
        "lien symbolique qui sort du dossier",
        "unreadable",
        publish=False,
    ),
    "dossier-lien-fictif": Case(
        linked_folder,
        2,
        "le dossier du manifeste est un lien qui sort de raw/",
        "bad_manifest",
        folder=("bretagne", 2024),
    ),
    "tube-fictif": Case(fifo, 2, "n'est pas un fichier ordinaire", "unreadable"),
    "entete-longue-fictif": Case(long_header, 2, "absente de l'en-tête", "unreadable"),
    # 2. bounded
    "creuse-fictif": Case(sparse_xlsx, 2, "déclare la plage A1:XFD1048576", "unreadable"),
    "bombe-ods-fictif": Case(ods_bomb, 2, "plus de 1048576 lignes", "unreadable"),
    "fusions-fictif": Case(html_spans, 1, "n'est pas un montant", "rejected_rows"),
    "pages-fictif": Case(pdf_pages, 2, "le document n'a que 1 page(s)", "unreadable"),
    "regex-lente-fictif": Case(slow_regex, 0, "ACCEPTÉE", "ok"),
    "liste-lente-fictif": Case(
        slow_items, 2, "ne suit le motif read.items", "unreadable", publish=False
    ),
    "liste-groupe-fictif": Case(items_unnamed, 2, "partie nommée", "bad_manifest", publish=False),
    "regex-retour-fictif": Case(
        plain("regex-retour-fictif", read={"delimiter": ";", "skip_rows_matching": [r"(a)\1"]}),
        2,
        "expression régulière invalide ou non permise",
        "bad_manifest",
        publish=False,
    ),
    "alias-fictif": Case(yaml_bomb, 2, "alias YAML (*nom) refusé", "bad_manifest"),
    "imbrique-fictif": Case(yaml_nested, 2, "manifeste trop imbriqué", "bad_manifest"),
    "email-long-fictif": Case(
        plain("email-long-fictif", rows_with(1, 4, "a" * 120000 + "@exemple.invalid")),
        1,
        "adresse e-mail",
        "refused",
    ),
    # 4. personal data, in any column, rejected values included
    "email-fictif": Case(
        plain("email-fictif", rows_with(0, 4, "écrire à jeanne.fictive@exemple.invalid")),
        1,
        "adresse e-mail",
        "refused",
    ),
    "telephone-fictif": Case(
        plain("telephone-fictif", rows_with(1, 4, "rappeler au 06 99 88 77 66")),
        1,
        "numéro de téléphone",
        "refused",
        publish=False,
    ),
    "iban-fictif": Case(
        plain("iban-fictif", rows_with(2, 4, "RIB FR7630006000011234567890189")),
        1,
        "IBAN",
        "refused",
    ),
    "nir-fictif": Case(
        plain("nir-fictif", rows_with(3, 4, "NIR 1 85 05 78 006 084 91")),
        1,
        "numéro de sécurité sociale",
        "refused",
    ),
    "civilite-fictif": Case(
        plain("civilite-fictif", rows_with(0, 0, "Mme Jeanne Fictive")),
        1,
        "nom de personne (civilité ou titre et nom)",
        "refused",
    ),
    "personnes-fictif": Case(
        person_columns, 1, "colonne « Prénom » : données de personnes", "refused"
    ),
    "email-montant-fictif": Case(
        plain("email-montant-fictif", rows_with(1, 3, "jeanne.fictive@exemple.invalid")),
        1,
        "adresse e-mail",
        "refused",
    ),
    # 5. clean text out
    "controle-fictif": Case(
        plain(
            "controle-fictif",
            rows_with(0, 0, "Association\u200b Fictive\u202e du\x00 Bocage"),
            utf8=True,
        ),
        0,
        "caractères invisibles ou de contrôle",
        "ok",
    ),
    "balises-fictif": Case(
        plain(
            "balises-fictif",
            rows_with(1, 1, "Projet | fictif"),
            utf8=True,
            source={
                "publisher": "ARS fictive <img src=x onerror=alert(1)> | [clic](javascript:alert(1))",
                "url": "https://exemple.invalid/balises",
                "retrieved": "2026-01-15",
            },
        ),
        0,
        "ACCEPTÉE",
        "ok",
    ),
    # 6. provenance
    "region-fictif": Case(
        plain("region-fictif", region="53"),
        2,
        "region vaut 53 (Bretagne) mais le fichier est rangé sous normandie/",
        "bad_manifest",
    ),
    "annee-fictif": Case(
        plain("annee-fictif", year=2023),
        2,
        "year vaut 2023 mais le fichier est rangé sous 2024/",
        "bad_manifest",
        publish=False,
    ),
    "url-vide-fictif": Case(
        plain(
            "url-vide-fictif",
            source={"publisher": "ARS fictive", "url": "", "retrieved": "2026-01-15"},
        ),
        2,
        "source.url : adresse web de la source obligatoire",
        "bad_manifest",
        publish=False,
    ),
    "url-js-fictif": Case(
        plain(
            "url-js-fictif",
            source={
                "publisher": "ARS fictive",
                "url": "javascript:alert(1)",
                "retrieved": "2026-01-15",
            },
        ),
        2,
        "en http:// ou https://",
        "bad_manifest",
    ),
    "editeur-vide-fictif": Case(
        plain(
            "editeur-vide-fictif",
            source={
                "publisher": " ",
                "url": "https://exemple.invalid/a",
                "retrieved": "2026-01-15",
            },
        ),
        2,
        "source.publisher : l'éditeur de la liste est obligatoire",
        "bad_manifest",
        publish=False,
    ),
    "futur-fictif": Case(
        plain(
            "futur-fictif",
            source={
                "publisher": "ARS fictive",
                "url": "https://exemple.invalid/a",
                "retrieved": "2999-01-01",
            },
        ),
        2,
        "date de consultation 2999-01-01 dans le futur",
        "bad_manifest",
        publish=False,
    ),
    "date-fictif": Case(
        plain(
            "date-fictif",
            source={
                "publisher": "ARS fictive",
                "url": "https://exemple.invalid/a",
                "retrieved": "2024-13-45",
            },
        ),
        2,
        "date invalide « 2024-13-45 »",
        "bad_manifest",
        publish=False,
    ),
    "plafond-fictif": Case(
        plain("plafond-fictif", rows_with(0, 3, "100000000000000000000")),
        1,
        "au-dessus du plafond de 10",
        "rejected_rows",
    ),
    "campagne-ailleurs-fictif": Case(
        campaign_elsewhere,
        2,
        "la campagne normandie-2024-aap est celle de la région 28",
        "refused",
        folder=("pays-de-la-loire", 2024),
        beside=("campagne-normandie-fictif",),
    ),
    "campagne-normandie-fictif": Case(normandie_campaign, 0, "ACCEPTÉE", "ok"),
    # 7. French messages, absurd figures, stems with dots
    "infini-fictif": Case(
        plain("infini-fictif", campaign={**campaign("infini"), "envelope_eur": float("inf")}),
        2,
        "campaign.envelope_eur : nombre fini attendu",
        "bad_manifest",
    ),
    "enorme-fictif": Case(
        plain("enorme-fictif", campaign={**campaign("enorme"), "envelope_eur": 1e308}),
        2,
        "campaign.envelope_eur : doit être au plus",
        "bad_manifest",
        publish=False,
    ),
    "absurdes-fictif": Case(
        plain(
            "absurdes-fictif",
            [rows_with(0, 3, "1e308")[0], rows_with(1, 3, "NaN")[1], *LAUREATS_FICTIFS[2:]],
        ),
        1,
        "« 1e308 » n'est pas un montant",
        "rejected_rows",
    ),
    # A licence outside schemas/licences.py: nothing of the source is republished.
    "droits-reserves-fictif": Case(
        plain(
            "droits-reserves-fictif",
            source={
                "publisher": "ARS fictive",
                "url": "https://exemple.invalid/droits-reserves",
                "retrieved": "2026-01-15",
                "licence": "Tous droits réservés",
            },
        ),
        2,
        "source.licence : « Tous droits réservés » n'est pas une licence acceptée",
        "bad_manifest",
        publish=False,
    ),
    "types-fictif": Case(
        wrong_types, 2, "year : nombre entier attendu", "bad_manifest", publish=False
    ),
    "points-fictif": Case(
        dotted, 0, "normandie/2024/laureats.v2 — ACCEPTÉE", "ok", stem="laureats.v2"
    ),
    "jumeau-fictif": Case(
        twin, 0, "2 fichiers portent le nom de ce manifeste : seul jumeau-fictif.csv est lu", "ok"
    ),
    # 8. Word documents
    "word-pas-zip-fictif": Case(
        docx_not_a_zip, 2, "ce n'est pas un document Word .docx", "unreadable"
    ),
    "word-sans-tableau-fictif": Case(
        docx_without_table, 2, "aucun tableau dans le document Word", "unreadable"
    ),
    "word-fusions-fictif": Case(
        docx_spans, 2, "le document compte plus de 5000000 cellules", "unreadable"
    ),
}
