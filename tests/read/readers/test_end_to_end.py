"""A fictitious list in every format dropped into raw/, then the real publication (Dagster in process)."""

from __future__ import annotations

import pandas as pd

from assets.publication import publish_all
from tests.conftest import add_source
from tests.fixtures_gen import (
    AWARDS,
    XLSX_FUNDER_LINES,
    csv_text,
    file_bytes,
    html_manifest,
    html_page,
    manifest,
    ods_manifest,
    pdf_awards,
    write_ods,
    write_pdf,
    write_xlsx,
    xlsx_manifest,
)

REGION = "bretagne-fictive"
PDF_AWARDS = pdf_awards(12)


def test_every_format_reaches_the_published_awards(project):
    def campaign(fmt):
        return f"bre-2023-fictif-{fmt}"

    add_source(
        project,
        REGION,
        2023,
        "liste-fictive-csv",
        csv_text().encode("cp1252"),
        manifest(campaign=campaign("csv")),
    )
    add_source(
        project,
        REGION,
        2023,
        "liste-fictive-xlsx",
        file_bytes(write_xlsx, ".xlsx", wrong_total=False),
        xlsx_manifest(read={"sheet": "Lauréats 2023", "header_rows": 2}, campaign=campaign("xlsx")),
        ext="xlsx",
    )
    add_source(
        project,
        REGION,
        2023,
        "liste-fictive-ods",
        file_bytes(write_ods, ".ods"),
        ods_manifest().replace("bre-2023-fictif", campaign("ods")),
        ext="ods",
    )
    add_source(
        project,
        REGION,
        2023,
        "liste-fictive-pdf",
        file_bytes(write_pdf, ".pdf", PDF_AWARDS, ruled=False),
        manifest(campaign=campaign("pdf")),
        ext="pdf",
    )
    add_source(
        project,
        REGION,
        2023,
        "liste-fictive-html",
        html_page(),
        html_manifest().replace("bre-2023-fictif", campaign("html")),
        ext="html",
    )
    add_source(
        project,
        REGION,
        2023,
        "classeur-abime-fictif",
        b"PK\x03\x04abime",
        xlsx_manifest(campaign=campaign("abime")),
        ext="xlsx",
    )

    outcome = publish_all(project)
    assert not outcome.ok, "\n".join(outcome.lines)  # the damaged workbook alone, said last
    assert outcome.lines[-1].endswith(f"{REGION}/2023/classeur-abime-fictif refusée (unreadable)")

    data = project / "published" / "data"
    awards = pd.read_csv(data / "awards.csv", dtype={"department_code": str, "region_code": str})
    ours = awards[awards["source_id"].str.startswith(f"{REGION}/")]

    def lines(name):
        part = ours[ours["source_id"] == f"{REGION}/2023/{name}"].sort_values(
            ["source_row", "funder"]
        )
        return list(
            zip(part["source_row"], part["funder"], part["amount_eur"], part["department_code"])
        )

    assert lines("liste-fictive-csv") == [
        (4 + i, "ARS", a.amount_eur, a.department_code) for i, a in enumerate(AWARDS)
    ]
    assert lines("liste-fictive-xlsx") == XLSX_FUNDER_LINES
    assert lines("liste-fictive-ods") == [
        (6, "ARS", 12500.5, "29"),
        (6, "DREETS", 1000.0, "29"),
        (7, "ARS", 700.0, "29"),
        (8, "ARS", 700.0, "29"),
    ]
    pdf = ours[ours["source_id"] == f"{REGION}/2023/liste-fictive-pdf"].sort_values("source_row")
    assert pdf["beneficiary_name"].tolist() == [a.name for a in PDF_AWARDS]
    assert pdf["project_title"].tolist() == [a.title for a in PDF_AWARDS]
    assert pdf["amount_eur"].sum() == sum(a.amount_eur for a in PDF_AWARDS) == 31500.0
    assert lines("liste-fictive-html") == [
        (3, "ARS", 12500.0, "29"),
        (3, "DREETS", 2000.0, "29"),
        (4, "ARS", 3000.0, "29"),
        (5, "ARS", 8000.0, "35"),
        (5, "DREETS", 1500.25, "35"),
    ]
    assert set(ours["region_code"]) == {"53"}
    assert (
        ours["amount_eur"].sum()
        == 61250.5 + 28000.5 + 7500.25 + 13900.5 + 1000 + 31500.0 + 27000.25
    )

    sources = pd.read_csv(data / "sources.csv").set_index("source_id")
    assert sources.loc[f"{REGION}/2023/classeur-abime-fictif", "status"] == "unreadable"
    assert (
        "classeur xlsx corrompu" in sources.loc[f"{REGION}/2023/classeur-abime-fictif", "message"]
    )
    assert sources.loc[f"{REGION}/2023/liste-fictive-pdf", "format"] == "pdf"
    assert sources.loc[
        f"{REGION}/2023/liste-fictive-pdf", ["rows_read", "rows_accepted", "rows_skipped"]
    ].tolist() == [15, 12, 3]  # the title, the header and the footnote set aside
