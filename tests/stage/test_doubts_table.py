"""Doubt is loud, about the table itself: a second table under the list, a line cut in two, more
laureates or euros than announced in a partial list, a TOTAL line the lines do not make up, a
campaign two manifests of one folder describe differently. Each stops « Prêt à soumettre »
(exit 1) until the manifest settles it, and a reading never exits 0 with figures other than the
clean list's.

Every file here is fictitious (tests/stage/table_fictif.py, tests/fictif.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assets.cli import main
from pipelines.common.doubts import DOUBT_CODES
from tests.fictif import LAUREATS_FICTIFS, csv_fictif, manifest_fictif
from tests.stage import table_fictif as tf

FORMATS = ["csv", "xlsx", "pdf"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "raw" / "normandie" / "2024"
    path.mkdir(parents=True)
    return path


def _drop(folder: Path, ext: str, lines: list[tf.Line], name: str = "laureats", **keys) -> Path:
    path = tf.write(folder / f"{name}.{ext}", lines)
    read = {"delimiter": ";"} if ext == "csv" else {}
    read.update(keys.pop("read", {}))
    path.with_suffix(".yaml").write_text(manifest_fictif(read=read, **keys), encoding="utf-8")
    return path


def _validate(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


def _doubts(report: dict, code: str | None = None) -> list[dict]:
    return [
        p
        for s in report["sources"]
        for p in s["problems"]
        if p["code"] in DOUBT_CODES and (code is None or p["code"] == code)
    ]


def _figures(report: dict) -> tuple[int, float]:
    (source,) = report["sources"]
    assert source["rows_read"] == (
        source["rows_accepted"] + source["rows_rejected"] + source["rows_skipped"]
    )
    computed = source["computed"]
    return computed["awards_count"], computed["total_eur"]


def _suggested_patterns(fix: str) -> list[str]:
    """The `read.skip_rows_matching` value a doubt's fix proposes."""
    found = re.search(r"read\.skip_rows_matching: (\[.*?\])", fix)
    assert found, fix
    return yaml.safe_load(found.group(1))


@pytest.mark.parametrize("ext", FORMATS)
def test_the_clean_list_is_ready_with_its_figures(folder: Path, ext: str):
    code, report = _validate(_drop(folder, ext, tf.clean()))
    assert _doubts(report) == []
    assert _figures(report) == (5, tf.TOTAL)
    assert code == 0


# --- second_table ------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", FORMATS)
def test_a_summary_by_funder_under_the_list_is_set_aside_and_said(folder: Path, ext: str):
    """« Financeur | Montant » after a blank line: never read as laureates « ARS », « DREETS »;
    the rows are counted as another table, and the doubt says where it starts."""
    path = _drop(folder, ext, tf.with_second_table("synthese-financeurs"))
    code, report = _validate(path)
    (found,) = _doubts(report)
    assert found["code"] == "second_table" and found["blocking"]
    assert "un second tableau commence" in found["message"]
    assert "« Financeur | Montant »" in found["message"] and "ses 4 lignes" in found["message"]
    assert _figures(report) == (5, tf.TOTAL)  # the reading itself is the list's
    skipped = report["sources"][0]["skipped_rows"]
    aside = [x["text"] for x in skipped if x["kind"] == "other_table"]
    assert len(aside) == 4 and aside[0] == "Financeur | Montant"
    assert aside[1].startswith("ARS | 30") and aside[2].startswith("DREETS | 17")
    assert code == 1

    _drop(folder, ext, tf.with_second_table("synthese-financeurs"), confirmed=["second_table"])
    code, report = _validate(path)
    assert (code, _figures(report)) == (0, (5, tf.TOTAL))


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("kind", ["recapitulatif-financeurs", "recapitulatif-territoires"])
def test_a_recap_without_header_read_as_laureates_is_a_doubt(folder: Path, ext: str, kind: str):
    """A recap block under the list, no header: its lines are read as laureates (the figures are
    doubled), so the reading is in doubt; the patterns the fix proposes set it aside."""
    path = _drop(folder, ext, tf.with_second_table(kind))
    code, report = _validate(path)
    (found,) = _doubts(report)
    assert found["code"] == "second_table"
    assert "ressemblent à un second tableau" in found["message"]
    assert "la somme des lignes au-dessus" in found["message"]
    assert "47\u202f734,50 €" in found["message"]
    assert _figures(report) == (7, 2 * tf.TOTAL)  # what would have been published
    assert code == 1

    patterns = _suggested_patterns(found["fix"])
    assert len(patterns) == 2
    _drop(folder, ext, tf.with_second_table(kind), read={"skip_rows_matching": patterns})
    code, report = _validate(path)
    assert (code, _figures(report), _doubts(report)) == (0, (5, tf.TOTAL), [])


def test_a_line_named_after_a_funder_inside_the_list_is_a_doubt(folder: Path):
    lines = tf.clean()
    lines.insert(2, ["DREETS", "Cofinancement", "14", "3 000,00 €"])
    code, report = _validate(_drop(folder, "csv", lines[:-1]))
    (found,) = _doubts(report)
    assert found["code"] == "second_table" and found["row"] == 6
    assert "la ligne 6 a pour lauréat « DREETS »" in found["message"]
    assert _suggested_patterns(found["fix"]) == ["^DREETS$"]
    assert code == 1


def test_a_list_in_groups_separated_by_blank_lines_is_no_second_table(folder: Path):
    lines = tf.clean()[:-1]
    lines.insert(2, tf.BLANK)
    code, report = _validate(_drop(folder, "csv", lines))
    assert (code, _doubts(report), _figures(report)) == (0, [], (5, tf.TOTAL))


def test_a_header_repeated_in_other_words_is_the_list_s_own(folder: Path):
    """The list's header again, written otherwise (« Porteur | Projet | Dépt | Montant »): the same
    fields, so the lines under it are laureates of the same list."""
    lines = tf.clean()[:-1]
    lines.insert(3, ["Porteur", "Projet", "Dépt", "Montant"])
    code, report = _validate(_drop(folder, "csv", lines))
    assert (code, _doubts(report), _figures(report)) == (0, [], (5, tf.TOTAL))


# --- cut_row -----------------------------------------------------------------------------------


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize(
    ("cut", "empty", "rejected"),
    [
        (tf.name_cut_in_two, "« Montant accordé » vide", 0),
        (tf.title_cut_in_two, "« Structure porteuse » et « Montant accordé » vides", 1),
    ],
)
def test_a_line_cut_in_two_is_a_doubt_with_its_row_and_empty_fields(
    folder: Path, ext: str, cut, empty: str, rejected: int
):
    lines, at = cut()
    fragment = next(c for c in lines[at] if c)
    path = _drop(folder, ext, lines)
    code, report = _validate(path)
    (found,) = _doubts(report)
    assert found["code"] == "cut_row" and found["value"] == fragment
    assert empty in found["message"] and "ligne coupée" in found["message"]
    assert report["sources"][0]["rows_rejected"] == rejected
    assert code == 1

    patterns = _suggested_patterns(found["fix"])
    _drop(folder, ext, lines, read={"skip_rows_matching": patterns})
    code, report = _validate(path)
    assert (code, _figures(report)) == (0, (5, tf.TOTAL))


def test_a_laureate_whose_amount_is_not_published_is_no_cut(folder: Path):
    """Name, title and département there, the amount cell emptied (raw/README.md: an amount « à
    préciser » is emptied): the amount is not published, the line is not cut."""
    lines = tf.clean()[:-1]
    lines[2][3] = None
    code, report = _validate(_drop(folder, "csv", lines))
    assert (code, _doubts(report)) == (0, [])
    assert _figures(report) == (5, tf.TOTAL - 1234.5)


def test_names_on_the_first_line_of_each_project_only_are_no_cut(folder: Path):
    """A co-funded project on two lines, named on the first only: an empty name in every other
    line is the file's way (rejected with its own message), not a cut line."""
    lines: list[tf.Line] = []
    for name, title, dep, amount in tf.LIST:
        lines += [[name, title, dep, amount], [None, None, dep, "1 000,00 €"]]
    code, report = _validate(_drop(folder, "csv", lines))
    assert _doubts(report, "cut_row") == []
    assert code == 1  # the nameless lines are rejected, loudly


# --- more_than_declared and the TOTAL line -----------------------------------------------------


@pytest.mark.parametrize("ext", FORMATS)
def test_a_partial_list_with_more_laureates_than_announced_is_a_doubt(folder: Path, ext: str):
    declared = {"awards_count": 4, "total_amount_eur": 100000}
    code, report = _validate(_drop(folder, ext, tf.clean(), declared=declared, partial=True))
    (found,) = _doubts(report)
    assert found["code"] == "more_than_declared"
    assert "5 lauréats lus pour 4 annoncés" in found["message"]
    assert found["file"].endswith("laureats.yaml")
    # No « rien à faire » beside it: partial: true never excuses more.
    assert not [
        p
        for p in report["sources"][0]["problems"]
        if p["code"] == "declared_mismatch" and "awards_count" in p["place"]
    ]
    assert code == 1


def test_a_partial_list_with_more_euros_than_announced_is_a_doubt(folder: Path):
    declared = {"awards_count": 12, "total_amount_eur": 40000}
    code, report = _validate(_drop(folder, "csv", tf.clean(), declared=declared, partial=True))
    (found,) = _doubts(report)
    assert found["code"] == "more_than_declared"
    assert "47\u202f734,50 € pour 40\u202f000 € annoncés" in found["message"]
    assert code == 1


def test_more_euros_than_announced_counts_the_amounts_in_their_unit(folder: Path):
    """Read in k€, the plain amounts are thousands of euros (a cell writing « € » keeps its own
    unit): 15 234 500 € read, far over the 1 000 000 € announced; read as euros, it would pass."""
    declared = {"awards_count": 12, "total_amount_eur": 1000000}
    path = _drop(
        folder, "csv", tf.clean(), declared=declared, partial=True, read={"amount_unit": "k€"}
    )
    code, report = _validate(path)
    (found,) = _doubts(report, "more_than_declared")
    assert "15\u202f234\u202f500,00 € pour 1\u202f000\u202f000 € annoncés" in found["message"]
    assert code == 1


@pytest.mark.parametrize(
    "declared",
    [
        {"awards_count": 12, "total_amount_eur": 100000},  # fewer lines: what partial excuses
        {"awards_count": 4, "awards_count_qualifier": "minimum"},  # « au moins 4 »
    ],
)
def test_a_partial_list_within_what_is_announced_is_ready(folder: Path, declared: dict):
    code, report = _validate(_drop(folder, "csv", tf.clean(), declared=declared, partial=True))
    assert (code, _doubts(report)) == (0, [])


def test_more_than_announced_without_partial_stays_an_error(folder: Path):
    code, report = _validate(_drop(folder, "csv", tf.clean(), declared={"awards_count": 4}))
    (source,) = report["sources"]
    assert [p["severity"] for p in source["problems"] if p["code"] == "declared_mismatch"] == [
        "error"
    ]
    assert _doubts(report) == [] and code == 1


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_a_total_line_the_lines_do_not_make_up_is_a_doubt(folder: Path, ext: str):
    lines = tf.clean()
    lines[-1] = ["TOTAL", None, None, "45 000,00 €"]
    path = _drop(folder, ext, lines)
    code, report = _validate(path)
    (found,) = _doubts(report)
    assert found["code"] == "total_mismatch" and found["blocking"]
    assert "45\u202f000,00 €" in found["message"] and "47\u202f734,50 €" in found["message"]
    assert code == 1
    _drop(folder, ext, lines, confirmed=["total_mismatch"])
    assert _validate(path)[0] == 0


def test_a_total_line_missed_by_a_rejected_line_is_said_but_left_to_the_rejection(folder: Path):
    """A line rejected (its amount unreadable) is what the TOTAL misses: the rejection is the error
    to fix first, the TOTAL is a warning beside it (the source is not held back for it)."""
    lines = tf.clean()
    lines[2][3] = "beaucoup"
    code, report = _validate(_drop(folder, "csv", lines))
    (source,) = report["sources"]
    assert _doubts(report) == [] and source["rows_rejected"] == 1
    (said,) = [p for p in source["problems"] if p["code"] == "total_with_rejected_rows"]
    assert "dont des lignes rejetées" in said["message"] and not said["blocking"]
    assert code == 1


# --- perturbations: never exit 0 with figures other than the clean list's ----------------------


def _perturbations() -> dict[str, tuple[list[tf.Line], dict]]:
    return {
        **{f"ajout-{k}": (tf.with_second_table(k), {}) for k in tf.SECOND_TABLES},
        "nom-coupe": (tf.name_cut_in_two()[0], {}),
        "titre-coupe": (tf.title_cut_in_two()[0], {}),
        "annonce-baissee": (tf.clean(), {"declared": {"awards_count": 4}, "partial": True}),
        "total-baisse": (tf.clean()[:-1] + [["TOTAL", None, None, "40 000,00 €"]], {}),
    }


@pytest.mark.parametrize("ext", FORMATS)
@pytest.mark.parametrize("fault", list(_perturbations()))
def test_a_fault_added_to_a_clean_list_is_never_silent(folder: Path, ext: str, fault: str):
    lines, keys = _perturbations()[fault]
    code, report = _validate(_drop(folder, ext, lines, **keys))
    assert code != 0 or _figures(report) == (5, tf.TOTAL), fault
    assert code != 0, f"{fault}: a fault in the file must be said"


# --- sibling_campaign --------------------------------------------------------------------------


def _sibling(folder: Path, **campaign) -> Path:
    data = yaml.safe_load(manifest_fictif())
    data["campaign"].update(campaign)
    # Another list of the same campaign (other laureates): the same list twice is another refusal.
    rows = [[f"Autre structure fictive {i}", *r[1:]] for i, r in enumerate(LAUREATS_FICTIFS)]
    (folder / "enveloppes.csv").write_bytes(csv_fictif(rows))
    path = folder / "enveloppes.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_new_source_says_the_campaign_it_takes_from_a_sibling(folder: Path):
    _sibling(folder, title="Appel à projets fictif « Petite enfance » 2024")
    path = tf.write(folder / "laureats.csv", tf.clean())
    result = CliRunner().invoke(main, ["new-source", str(path), "--region", "28", "--year", "2024"])
    assert result.exit_code == 0, result.output
    text = path.with_suffix(".yaml").read_text(encoding="utf-8")
    assert "id: normandie-2024-aap   # À VÉRIFIER : repris de enveloppes.yaml" in text
    assert "« Appel à projets fictif « Petite enfance » 2024 »" in text
    assert re.search(r"À VÉRIFIER +: .*campaign\.id", result.output)
    assert "note            : campagne reprise de enveloppes.yaml : normandie-2024-aap" in (
        result.output
    )


@pytest.mark.parametrize(
    ("campaign", "said"),
    [
        ({"title": "Appel fictif à projets, autre intitulé"}, "le titre"),
        ({"kind": "renewal"}, "le type call ici, renewal dans enveloppes.yaml"),
    ],
)
def test_one_campaign_described_two_ways_in_a_folder_is_a_doubt(
    folder: Path, campaign: dict, said: str
):
    _sibling(folder, **campaign)
    path = _drop(folder, "csv", tf.clean())
    code, report = _validate(path)
    (found,) = _doubts(report)
    assert found["code"] == "sibling_campaign" and said in found["message"]
    assert found["file"].endswith("laureats.yaml")
    assert code == 1
    code, report = _validate(folder)  # the sibling, read too, says it of itself
    assert sorted(p["file"].rsplit("/", 1)[1] for p in _doubts(report)) == [
        "enveloppes.yaml",
        "laureats.yaml",
    ]
    _drop(folder, "csv", tf.clean(), confirmed=["sibling_campaign"])
    assert _doubts(_validate(path)[1]) == []


def test_one_campaign_described_alike_in_a_folder_is_no_doubt(folder: Path):
    _sibling(folder)
    code, report = _validate(folder)
    assert (code, _doubts(report)) == (0, [])
