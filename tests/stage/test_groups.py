"""Rows grouped under a value written once: a département merged down over its projects (read as
the département of each), the same left empty below its first row (filled down only when the
manifest says `read.fill_down`, a doubt otherwise), a co-funded project over one row per funder
(one award line per funder, each with the project's name, title and département).

Every file here is fictitious (tests/stage/groupes_fictifs.py), drafted by `new-source`, completed
as a contributor would, then checked by `validate`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from assets.cli import main
from pipelines.common.doubts import DOUBT_CODES
from pipelines.stage.source import stage_source
from tests.fictif import complete_as_contributor
from tests.stage import groupes_fictifs as g

FOLDER = ("normandie", "2024")
FIRST_DATA_ROW = 4  # title, blank, header above the projects


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "raw" / FOLDER[0] / FOLDER[1]
    path.mkdir(parents=True)
    return path


def _draft(path: Path) -> str:
    result = CliRunner().invoke(main, ["new-source", str(path), "--region", "28", "--year", "2024"])
    assert result.exit_code == 0, result.output
    return result.output


def _validate(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def _doubts(report: dict) -> list[dict]:
    return [p for s in report["sources"] for p in s["problems"] if p["code"] in DOUBT_CODES]


def _rows(path: Path):
    staged = stage_source(path.with_suffix(".yaml"), path.parents[2])
    return staged.rows


def _codes(path: Path) -> list[str | None]:
    return [c if isinstance(c, str) else None for c in _rows(path)["department_code"]]


def _write(folder: Path, name: str, fmt: str, layout: str, *, merged: bool = True) -> Path:
    path = folder / f"{name}.{fmt}"
    writer = g.merged_xlsx if fmt == "xlsx" else g.merged_ods
    return writer(path, layout, merged=merged)


def _without_fill_down(manifest: Path) -> None:
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"(?m)^  fill_down: .*\n", "", text), encoding="utf-8")


# --- merged cells ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
@pytest.mark.parametrize("layout", list(g.LAYOUTS))
def test_a_departement_merged_over_its_projects_is_the_departement_of_each(
    folder: Path, fmt: str, layout: str
):
    """Merges at the top, in the middle and at the end of the table, one group of a single row."""
    path = _write(folder, f"fusion-{layout}", fmt, layout)
    drafted = _draft(path)
    manifest = path.with_suffix(".yaml")
    assert "fill_down" not in manifest.read_text(encoding="utf-8")  # nothing left empty
    assert "DOUTE" not in drafted
    complete_as_contributor(manifest, awards_count=len(g.PROJETS))
    code, report = _validate(path)
    assert _doubts(report) == []
    assert code == 0
    assert report["sources"][0]["computed"] == {"awards_count": 8, "total_eur": g.TOTAL}
    rows = _rows(path)
    assert list(rows["department_code"]) == [p.code for p in g.PROJETS]
    assert list(rows["beneficiary_name"]) == [p.name for p in g.PROJETS]
    assert list(rows["amount_eur"]) == [p.amount for p in g.PROJETS]


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
@pytest.mark.parametrize("layout", list(g.LAYOUTS))
def test_a_merge_undone_is_never_published_under_a_wrong_departement(
    folder: Path, fmt: str, layout: str
):
    """Perturbation: the clean file's manifest, then the merges undone (the département left on
    the first row of each group, blanks below): a doubt, and no département guessed."""
    path = _write(folder, f"defusion-{layout}", fmt, layout)
    _draft(path)
    complete_as_contributor(path.with_suffix(".yaml"), awards_count=len(g.PROJETS))
    assert _validate(path)[0] == 0
    _write(folder, f"defusion-{layout}", fmt, layout, merged=False)
    code, report = _validate(path)
    assert code == 1
    (found,) = _doubts(report)
    header = g.LAYOUTS[layout][0 if layout == "dep-en-tete" else 2]
    assert found["code"] == "grouped_rows" and found["column"] == header
    assert "lignes 5, 6, 9, 11" in found["message"]
    assert f"fill_down: [{header}]" in found["fix"]
    codes = _codes(path)
    firsts = {first for first, _ in g.GROUPS}
    assert codes == [p.code if i in firsts else None for i, p in enumerate(g.PROJETS)]


def test_a_departement_merged_over_its_subtotal_leaves_the_subtotal_a_total(folder: Path):
    """A département merged down over its projects and its « Sous-total » line: the sub-total is
    set aside and checked, never read as one more project."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Département", "Structure porteuse", "Intitulé du projet", "Montant accordé"])
    ws.append(["Calvados", "Association Fictive A", "Café des parents", 1000])
    ws.append([None, "Crèche Fictive B", "Passerelle", 2000])
    ws.append([None, "Sous-total Calvados", None, 3000])
    ws.append(["Manche", "Centre Fictif C", "Ateliers", 4000])
    ws.append([None, "Sous-total Manche", None, 4000])
    ws.append(["TOTAL", None, None, 7000])
    ws.merge_cells("A2:A4")
    ws.merge_cells("A5:A6")
    path = folder / "sous-totaux.xlsx"
    wb.save(path)
    _draft(path)
    complete_as_contributor(path.with_suffix(".yaml"), awards_count=3)
    code, report = _validate(path)
    assert code == 0
    source = report["sources"][0]
    assert source["computed"] == {"awards_count": 3, "total_eur": 7000}
    assert source["skipped_by_kind"]["total"] == 3
    assert not [p for p in source["problems"] if p["code"] == "total_mismatch"]


# --- visual grouping, no merge --------------------------------------------------------------


def _grouped(folder: Path, fmt: str, layout: str) -> Path:
    if fmt == "csv":
        path = folder / f"groupes-{layout}.csv"
        path.write_bytes(g.grouped_csv(layout))
        return path
    return g.merged_xlsx(folder / f"groupes-{layout}.xlsx", layout, merged=False)


@pytest.mark.parametrize(("fmt", "layout"), [("csv", "dep-en-tete"), ("xlsx", "dep-au-milieu")])
def test_a_visual_grouping_is_filled_down_once_the_manifest_says_so(
    folder: Path, fmt: str, layout: str
):
    path = _grouped(folder, fmt, layout)
    header = g.LAYOUTS[layout][0 if layout == "dep-en-tete" else 2]
    drafted = _draft(path)
    text = path.with_suffix(".yaml").read_text(encoding="utf-8")
    assert f"  fill_down: [{header}]   # À VÉRIFIER" in text
    assert "read.fill_down" in drafted and "DOUTE" not in drafted
    complete_as_contributor(path.with_suffix(".yaml"), awards_count=len(g.PROJETS))
    code, report = _validate(path)
    assert (code, _doubts(report)) == (0, [])
    assert report["sources"][0]["computed"] == {"awards_count": 8, "total_eur": g.TOTAL}
    assert list(_rows(path)["department_code"]) == [p.code for p in g.PROJETS]


@pytest.mark.parametrize(("fmt", "layout"), [("csv", "dep-au-milieu"), ("xlsx", "dep-en-tete")])
def test_a_visual_grouping_without_the_key_is_a_doubt_and_nothing_is_guessed(
    folder: Path, fmt: str, layout: str
):
    path = _grouped(folder, fmt, layout)
    _draft(path)
    _without_fill_down(path.with_suffix(".yaml"))
    complete_as_contributor(path.with_suffix(".yaml"), awards_count=len(g.PROJETS))
    code, report = _validate(path)
    assert code == 1
    (found,) = _doubts(report)
    assert found["code"] == "grouped_rows" and found["blocking"]
    assert "regroupement visuel" in found["message"]
    assert _codes(path).count(None) == 4


def test_a_departement_filled_down_from_nothing_is_a_doubt(folder: Path):
    """`read.fill_down` given, but the first group's département missing: nothing above to take."""
    path = folder / "sans-tete.csv"
    path.write_bytes(g.grouped_csv("dep-en-tete").replace(b"Calvados;", b";", 1))
    _draft(path)
    manifest = path.with_suffix(".yaml")
    text = manifest.read_text(encoding="utf-8")
    if "fill_down" not in text:
        text = text.replace("  header_row:", "  fill_down: [Département]\n  header_row:")
        manifest.write_text(text, encoding="utf-8")
    complete_as_contributor(manifest, awards_count=len(g.PROJETS))
    code, report = _validate(path)
    assert code == 1
    (found,) = _doubts(report)
    assert "vide en tête de groupe" in found["message"] and "lignes 4, 5, 6" in found["message"]


# --- co-funded projects over several rows ---------------------------------------------------


def _cofinance(folder: Path, fmt: str, **kwargs) -> Path:
    path = folder / f"cofinancement.{fmt}"
    if fmt == "csv":
        path.write_bytes(g.cofinance_csv(**kwargs))
    else:
        g.cofinance_xlsx(path, **kwargs)
    return path


def _expected_lines() -> list[tuple]:
    return [
        (c.name, c.title, c.code, code, amount)
        for c in g.COFINANCES
        for _, code, amount in c.funders
    ]


@pytest.mark.parametrize(
    ("fmt", "head"),
    [
        ("csv", "funder"),
        ("xlsx", "total"),
        ("csv", "total"),
        ("xlsx", "funder"),
        ("csv", "heading"),
    ],
)
def test_a_cofunded_project_gives_one_line_per_funder_with_its_name(
    folder: Path, fmt: str, head: str
):
    """Two or three funders per project, each on its own row under the project's first row: the
    first funder's, or the project's name without a funder (its total, or no amount)."""
    path = _cofinance(folder, fmt, head=head)
    drafted = _draft(path)
    text = path.with_suffix(".yaml").read_text(encoding="utf-8")
    assert "  fill_down: [Structure porteuse, Intitulé du projet, Département]" in text
    assert "DOUTE" not in drafted
    complete_as_contributor(path.with_suffix(".yaml"), awards_count=len(g.COFINANCES))
    code, report = _validate(path)
    assert (code, _doubts(report)) == (0, [])
    source = report["sources"][0]
    assert source["computed"] == {"awards_count": 4, "total_eur": g.COFINANCE_TOTAL}
    columns = ["beneficiary_name", "project_title", "department_code", "funder", "amount_eur"]
    rows = _rows(path)
    assert [tuple(r) for r in rows[columns].itertuples(index=False)] == _expected_lines()
    # The project's own row without a funder, when there is one, is set aside and counted.
    skipped = source["skipped_by_kind"]
    assert skipped.get("total") == 1 + (len(g.COFINANCES) if head == "total" else 0)
    assert skipped.get("group", 0) == (len(g.COFINANCES) if head == "heading" else 0)
    assert source["rows_accepted"] == 10 and source["rows_rejected"] == 0


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_cofunded_list_without_the_key_is_a_doubt_and_no_line_is_nameless(folder: Path, fmt: str):
    path = _cofinance(folder, fmt, head="funder")
    _draft(path)
    _without_fill_down(path.with_suffix(".yaml"))
    complete_as_contributor(path.with_suffix(".yaml"), awards_count=len(g.COFINANCES))
    code, report = _validate(path)
    assert code == 1
    (found,) = _doubts(report)
    assert (
        "« Structure porteuse », « Intitulé du projet » et « Département » sont vides"
        in (found["message"])
    )
    assert "fill_down: [Structure porteuse, Intitulé du projet, Département]" in found["fix"]
    rows = _rows(path)
    assert rows["beneficiary_name"].notna().all()
    assert len(rows) == len(g.COFINANCES)  # the first rows only: the others are refused


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_project_total_that_is_not_the_sum_of_its_funders_is_refused(folder: Path, fmt: str):
    path = _cofinance(folder, fmt, head="total")
    _draft(path)
    complete_as_contributor(path.with_suffix(".yaml"), awards_count=len(g.COFINANCES))
    assert _validate(path)[0] == 0
    _cofinance(folder, fmt, head="total", wrong_total=True)
    code, report = _validate(path)
    assert code == 1
    errors = [p for p in report["sources"][0]["problems"] if p["severity"] == "error"]
    assert len(errors) == 1
    assert "n'est pas la somme de ses 3 lignes de financeurs (lignes" in errors[0]["message"]
    assert "qui font 13\u202f000,00 €" in errors[0]["message"]
    assert errors[0]["column"] == "Montant" and errors[0]["value"] in ("14 000 €", "14000")


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_the_readers_carry_a_vertical_merge_down_and_a_horizontal_one_across(folder: Path, fmt):
    from pipelines.read.manifest import ReadOptions
    from pipelines.read.readers import reader_for

    path = _write(folder, "lecture", fmt, "dep-en-tete")
    rows = list(reader_for(fmt)(path, ReadOptions()))
    assert rows[0].cells == (g.TITLE,) * 4  # the title merged over A1:D1
    data = rows[FIRST_DATA_ROW - 1 : FIRST_DATA_ROW - 1 + len(g.PROJETS)]
    assert [r.cells[0] for r in data] == [g._department(p, "dep-en-tete") for p in g.PROJETS]
    assert [r.cells[1] for r in data] == [p.name for p in g.PROJETS]
    assert rows[-1].cells[0] == "TOTAL" and len(rows) == FIRST_DATA_ROW + len(g.PROJETS)
