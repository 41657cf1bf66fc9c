"""data/mille-jours.xlsx: every table of the package for Excel, one sheet each, the same rows as
the CSV files, reproducible. Built from a copy of the real raw/; the formula cell is fictitious."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipelines.publish.workbook import ABOUT, PATH, workbook_bytes
from schemas.tables import TABLES


@pytest.fixture(scope="module")
def book(published_package: Path):
    return load_workbook(published_package / PATH)


def _shown(value, kind: str) -> str:
    """A workbook cell as the CSV writes it (numbers with two decimals, dates in ISO)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if kind == "number":
        assert isinstance(value, int | float)
        return f"{value:.2f}"
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    return str(value)


def test_one_sheet_per_table_with_the_rows_of_its_csv(book, published_package: Path) -> None:
    assert book.sheetnames == [ABOUT, *TABLES]
    for name, table in TABLES.items():
        csv = pd.read_csv(
            published_package / "data" / f"{name}.csv", dtype="str", keep_default_na=False
        )
        kinds = [f.type for f in table.fields]
        header, *lines = book[name].iter_rows(values_only=True)
        assert list(header) == table.columns, name
        rows = [[_shown(v, k) for v, k in zip(row, kinds)] for row in lines]
        # The CSV guards a formula-like text with an apostrophe; the workbook stores it as text.
        expected = [[c[1:] if c.startswith("'") else c for c in r] for r in csv.to_numpy().tolist()]
        assert rows == expected, name


def test_amounts_are_numbers_excel_can_add(book) -> None:
    column = TABLES["funding_by_region_year"].columns.index("envelope_eur") + 1
    amounts = [
        r[0].value for r in book["funding_by_region_year"].iter_rows(min_col=column, max_col=column)
    ][1:]
    assert any(isinstance(a, int | float) for a in amounts)
    assert all(a is None or isinstance(a, int | float) for a in amounts)


def test_a_formula_in_a_source_stays_text(published_package: Path) -> None:
    descriptor = json.loads((published_package / "datapackage.json").read_text(encoding="utf-8"))
    tables = {n: pd.read_parquet(published_package / "data" / f"{n}.parquet") for n in TABLES}
    awards = tables["awards"].copy()
    awards.loc[0, "beneficiary_name"] = '=HYPERLINK("https://exemple.invalid","fictif")'
    tables["awards"] = awards
    sheet = load_workbook(io.BytesIO(workbook_bytes(tables, descriptor)))["awards"]
    cell = sheet.cell(row=2, column=TABLES["awards"].columns.index("beneficiary_name") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_same_tables_same_bytes_and_no_date_of_writing(published_package: Path) -> None:
    descriptor = json.loads((published_package / "datapackage.json").read_text(encoding="utf-8"))
    tables = {n: pd.read_parquet(published_package / "data" / f"{n}.parquet") for n in TABLES}
    first = workbook_bytes(tables, descriptor)
    assert first == workbook_bytes(tables, descriptor)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    day = descriptor["created"][:10]
    for when in ("created", "modified"):  # the release's date, not the time of writing
        assert re.search(rf"<dcterms:{when} [^>]*>{day}T00:00:00Z</dcterms:{when}>", core), when


def test_linked_from_the_readme_and_the_page(published_package: Path) -> None:
    assert PATH in (published_package / "README.md").read_text(encoding="utf-8")
    page = (published_package / "index.html").read_text(encoding="utf-8")
    assert page.count(f'href="{PATH}" download') == 2  # at the top and among the downloads
