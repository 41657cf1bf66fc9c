"""Rows, columns and sheets a workbook hides: a doubt until `read.hidden` settles it; `skip` reads
the visible laureates only (the hidden rows counted as skipped), `keep` reads every row.

Every workbook here is fictitious (tests/fictif_masque.py), in XLSX (openpyxl) and ODS (odfpy).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from assets.cli import main
from pipelines.common.doubts import DOUBT_CODES
from pipelines.stage.source import stage_source
from tests.fictif import complete_as_contributor
from tests.fictif_masque import (
    Classeur,
    end_under_filter,
    in_the_middle,
    laureats,
    masque_manifest,
    refuses,
    write_ods_masque,
    write_xlsx_masque,
)

FOLDER = Path("raw") / "normandie" / "2024"
WRITERS = {"xlsx": write_xlsx_masque, "ods": write_ods_masque}
# (lines, filter, ods visibility, what the doubt must say)
VARIANTS = {
    "fin-sous-filtre": (
        end_under_filter,
        True,
        "filter",
        "14 lignes masquées (lignes 18 à 31, filtre automatique sur A4:D31)",
    ),
    "milieu": (in_the_middle, False, "collapse", "3 lignes masquées (lignes 10 à 12)"),
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / FOLDER).mkdir(parents=True)
    return tmp_path


def _write(
    root: Path, fmt: str, lignes, name: str = "candidatures", **kwargs
) -> tuple[Path, Classeur]:
    path = root / FOLDER / f"{name}.{fmt}"
    if fmt == "xlsx":
        kwargs.pop("visibility", None)
    return path, WRITERS[fmt](path, lignes, **kwargs)


def _variant(root: Path, fmt: str, variant: str, **read) -> tuple[Path, Classeur]:
    lignes, autofilter, visibility, _ = VARIANTS[variant]
    path, classeur = _write(root, fmt, lignes(), autofilter=autofilter, visibility=visibility)
    path.with_suffix(".yaml").write_text(masque_manifest(**read), encoding="utf-8")
    return path, classeur


def _validate(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def _doubts(report: dict) -> list[dict]:
    return [p for s in report["sources"] for p in s["problems"] if p["code"] in DOUBT_CODES]


def _read(path: Path, root: Path):
    staged = stage_source(path.with_suffix(".yaml"), root / "raw")
    s = staged.source
    assert staged.error is None, staged.error
    assert s["rows_read"] == s["rows_accepted"] + s["rows_rejected"] + s["rows_skipped"]
    return staged


def _kinds(staged) -> dict[str, int]:
    out: dict[str, int] = {}
    for x in staged.skipped:
        out[x.kind] = out.get(x.kind, 0) + 1
    return out


def _laureates(staged) -> list[tuple[int, str, float]]:
    rows = staged.rows
    return list(zip(rows["source_row"], rows["beneficiary_name"], rows["amount_eur"]))


def _expected(classeur: Classeur, *, visible_only: bool) -> list[tuple[int, str, float]]:
    return [(n, x.name, x.amount) for _, n, x in classeur.rows(visible_only=visible_only)]


@pytest.mark.parametrize("fmt", WRITERS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_hidden_rows_without_read_hidden_are_a_doubt(root: Path, fmt: str, variant: str):
    path, classeur = _variant(root, fmt, variant)
    code, report = _validate(path)
    found = _doubts(report)
    assert [d["code"] for d in found] == ["hidden_rows"]
    message = found[0]["message"]
    assert VARIANTS[variant][3] in message
    assert "dans la feuille « Candidatures »" in message
    assert "read.hidden: skip" in found[0]["fix"] and "read.hidden: keep" in found[0]["fix"]
    assert found[0]["blocking"]
    assert code == 1
    # Read as the file holds them until the manifest says: the doubt is what stops them.
    computed = report["sources"][0]["computed"]
    assert computed["total_eur"] == classeur.total(visible_only=False)


@pytest.mark.parametrize("fmt", WRITERS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_skip_reads_the_visible_laureates_only_and_counts_the_hidden_rows(
    root: Path, fmt: str, variant: str
):
    path, classeur = _variant(root, fmt, variant, hidden="skip")
    code, report = _validate(path)
    assert _doubts(report) == [] and code == 0
    staged = _read(path, root)
    assert _laureates(staged) == _expected(classeur, visible_only=True)
    assert staged.computed()["total_eur"] == classeur.total(visible_only=True)
    hidden = classeur.count(visible_only=False) - classeur.count(visible_only=True)
    assert _kinds(staged)["hidden"] == hidden
    assert {x.reason for x in staged.skipped if x.kind == "hidden"} == {
        "ligne masquée dans le classeur"
    }
    assert not any("refusée" in name for _, name, _ in _laureates(staged))


@pytest.mark.parametrize("fmt", WRITERS)
@pytest.mark.parametrize("variant", VARIANTS)
def test_keep_reads_every_row(root: Path, fmt: str, variant: str):
    path, classeur = _variant(root, fmt, variant, hidden="keep")
    code, report = _validate(path)
    assert _doubts(report) == [] and code == 0
    staged = _read(path, root)
    assert _laureates(staged) == _expected(classeur, visible_only=False)
    assert staged.computed()["total_eur"] == classeur.total(visible_only=False)
    assert "hidden" not in _kinds(staged)


@pytest.mark.parametrize("fmt", WRITERS)
def test_a_workbook_hiding_nothing_reads_the_same_whatever_read_hidden_says(root: Path, fmt: str):
    """An automatic filter that hides nothing is no doubt; skip and keep change nothing."""
    path, classeur = _write(root, fmt, laureats(8), autofilter=True)
    readings = []
    for read in ({}, {"hidden": "skip"}, {"hidden": "keep"}):
        path.with_suffix(".yaml").write_text(masque_manifest(**read), encoding="utf-8")
        code, report = _validate(path)
        assert _doubts(report) == [] and code == 0
        staged = _read(path, root)
        readings.append((_laureates(staged), _kinds(staged), staged.source["rows_read"]))
    assert readings[0][0] == _expected(classeur, visible_only=False)
    assert readings[0] == readings[1] == readings[2]
    assert readings[0][1] == {"title": 2, "blank": 1, "header": 1}


@pytest.mark.parametrize("fmt", WRITERS)
@pytest.mark.parametrize("hidden_row", [5, 9, 12])  # the first laureate, one inside, the last
def test_hiding_one_row_of_a_clean_list_stops_exit_0_or_takes_it_out_exactly(
    root: Path, fmt: str, hidden_row: int
):
    lignes = laureats(8)
    index = hidden_row - 5
    lignes[index] = replace(lignes[index], refused=True)  # written hidden, nothing else changed
    path, classeur = _write(root, fmt, lignes)
    path.with_suffix(".yaml").write_text(masque_manifest(), encoding="utf-8")
    code, report = _validate(path)
    assert code == 1
    assert f"1 ligne masquée (ligne {hidden_row})" in _doubts(report)[0]["message"]
    path.with_suffix(".yaml").write_text(masque_manifest(hidden="skip"), encoding="utf-8")
    staged = _read(path, root)
    assert hidden_row not in set(staged.rows["source_row"])
    assert staged.computed()["total_eur"] == round(
        classeur.total(visible_only=False) - lignes[index].amount, 2
    )


@pytest.mark.parametrize("fmt", WRITERS)
def test_a_hidden_column_is_a_doubt_and_skip_leaves_it_unread(root: Path, fmt: str):
    """« Montant demandé », hidden beside the amounts granted: skip leaves it unread (no doubt
    about an unmapped column of amounts), keep reads it like any column (that doubt then)."""
    path, classeur = _write(root, fmt, laureats(6), extra_column=("Montant demandé", True))
    manifest = path.with_suffix(".yaml")
    manifest.write_text(masque_manifest(), encoding="utf-8")
    code, report = _validate(path)
    hidden = [d for d in _doubts(report) if d["code"] == "hidden_rows"]
    assert code == 1 and len(hidden) == 1
    assert (
        "1 colonne masquée (« Montant demandé ») dans la feuille « Candidatures »"
        in (hidden[0]["message"])
    )
    manifest.write_text(masque_manifest(hidden="skip"), encoding="utf-8")
    code, report = _validate(path)
    assert _doubts(report) == [] and code == 0
    assert report["sources"][0]["computed"]["total_eur"] == classeur.total(visible_only=True)
    manifest.write_text(masque_manifest(hidden="keep"), encoding="utf-8")
    code, report = _validate(path)
    assert [(d["code"], d["column"]) for d in _doubts(report)] == [
        ("unmapped_column", "Montant demandé")
    ]
    assert code == 1


@pytest.mark.parametrize("fmt", WRITERS)
def test_a_hidden_column_mapped_under_skip_is_a_clear_error(root: Path, fmt: str):
    path, _ = _write(root, fmt, laureats(6), extra_column=("Montant demandé", True))
    text = masque_manifest(hidden="skip").replace(
        "amount_eur: Montant accordé", "amount_eur: Montant demandé"
    )
    path.with_suffix(".yaml").write_text(text, encoding="utf-8")
    code, report = _validate(path)
    assert code == 2
    error = json.dumps(report, ensure_ascii=False)
    assert "la colonne « Montant demandé », reprise dans le manifeste, est masquée" in error
    assert "read.hidden: keep" in error


@pytest.mark.parametrize("fmt", WRITERS)
def test_a_hidden_sheet_read_with_sheets_all(root: Path, fmt: str):
    path, classeur = _write(root, fmt, laureats(5), hidden_sheet=refuses(3))
    manifest = path.with_suffix(".yaml")
    manifest.write_text(masque_manifest(sheets="all"), encoding="utf-8")
    code, report = _validate(path)
    found = _doubts(report)
    assert code == 1 and [d["code"] for d in found] == ["hidden_rows"]
    assert (
        "la feuille « Refusés » est masquée dans le classeur (3 lignes de données)"
        in (found[0]["message"])
    )
    manifest.write_text(masque_manifest(sheets="all", hidden="skip"), encoding="utf-8")
    assert _validate(path)[0] == 0
    staged = _read(path, root)
    assert [name for _, name, _ in _laureates(staged)] == [x.name for x in laureats(5)]
    assert staged.computed()["total_eur"] == classeur.total(visible_only=True)
    assert _kinds(staged)["hidden"] == 6  # the sheet's title, subtitle, header and 3 refusals
    manifest.write_text(masque_manifest(sheets="all", hidden="keep"), encoding="utf-8")
    assert _validate(path)[0] == 0
    assert _read(path, root).computed()["total_eur"] == classeur.total(visible_only=False)
    # Read one sheet (the first shown, by default), a hidden sheet is no doubt: it is not read.
    manifest.write_text(masque_manifest(), encoding="utf-8")
    code, report = _validate(path)
    assert code == 0 and report["sources"][0]["computed"]["awards_count"] == 5


@pytest.mark.parametrize("fmt", WRITERS)
@pytest.mark.parametrize("hidden_sheet", [False, True])
def test_new_source_proposes_skip_and_validate_gives_the_visible_laureates(
    root: Path, fmt: str, hidden_sheet: bool
):
    """new-source drafts → publisher and url filled → validate: exactly the visible laureates."""
    lignes, autofilter, visibility, said = VARIANTS["fin-sous-filtre"]
    extra = {"hidden_sheet": refuses(4, start=20)} if hidden_sheet else {}
    path, classeur = _write(
        root, fmt, lignes(), autofilter=autofilter, visibility=visibility, **extra
    )
    drafted = CliRunner().invoke(
        main, ["new-source", str(path), "--region", "28", "--year", "2024"]
    )
    assert drafted.exit_code == 0, drafted.output
    assert "read.hidden" in next(x for x in drafted.output.splitlines() if "À VÉRIFIER" in x)
    assert f"note            : {said}" in drafted.output
    text = path.with_suffix(".yaml").read_text(encoding="utf-8")
    assert f"  hidden: skip   # À VÉRIFIER : {said}" in text
    if hidden_sheet:
        assert "la feuille « Refusés » est masquée dans le classeur (4 lignes de données)" in text
    complete_as_contributor(path.with_suffix(".yaml"))
    code, report = _validate(path)
    assert _doubts(report) == [] and code == 0, report
    computed = report["sources"][0]["computed"]
    assert computed["awards_count"] == classeur.count(visible_only=True) == 13
    assert computed["total_eur"] == classeur.total(visible_only=True)
    staged = _read(path, root)
    assert _laureates(staged) == _expected(classeur, visible_only=True)


@pytest.mark.parametrize("fmt", WRITERS)
def test_the_doubt_counts_rows_and_columns_together_and_skip_settles_both(root: Path, fmt: str):
    path, classeur = _write(
        root,
        fmt,
        end_under_filter(),
        autofilter=True,
        visibility="filter",
        extra_column=("Motif du refus", True),
    )
    manifest = path.with_suffix(".yaml")
    manifest.write_text(masque_manifest(), encoding="utf-8")
    code, report = _validate(path)
    [found] = _doubts(report)
    assert found["message"] == (
        "doute : 14 lignes masquées (lignes 18 à 31, filtre automatique sur A4:E31) et 1 colonne "
        "masquée (« Motif du refus ») dans la feuille « Candidatures », lues ici comme le reste "
        "du tableau"
    )
    assert found["place"] == "Candidatures" and code == 1
    manifest.write_text(masque_manifest(hidden="skip"), encoding="utf-8")
    code, report = _validate(path)
    assert _doubts(report) == [] and code == 0
    source = report["sources"][0]
    assert source["computed"] == {
        "awards_count": 13,
        "total_eur": classeur.total(visible_only=True),
    }
    assert source["skipped_by_kind"]["hidden"] == 14


def test_the_guide_documents_read_hidden_and_its_doubt():
    from tests.conftest import REPO

    guide = (REPO / "raw" / "README.md").read_text(encoding="utf-8")
    assert "| `hidden` |" in guide and "| `hidden_rows` |" in guide
    assert "### Lignes masquées" in guide and "read.hidden: skip" in guide


@pytest.mark.parametrize("fmt", WRITERS)
def test_personal_data_in_a_hidden_row_is_still_found_under_skip(root: Path, fmt: str):
    """Set aside is not gone: the file, hidden rows and all, is published under raw/."""
    lignes = end_under_filter()
    lignes[20] = replace(lignes[20], title="Demande fictive : écrire à jeanne.fictive@exemple.fr")
    path, _ = _write(root, fmt, lignes, autofilter=True, visibility="filter")
    path.with_suffix(".yaml").write_text(masque_manifest(hidden="skip"), encoding="utf-8")
    code, report = _validate(path)
    assert code == 1
    personal = [p for p in report["sources"][0]["problems"] if p["personal_data"]]
    assert [(p["row"], p["place"]) for p in personal] == [(25, "Candidatures")]  # hidden row 25
    assert "(ligne masquée)" in personal[0]["message"]
