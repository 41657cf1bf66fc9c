"""No wrong figure silently: amounts written the English way, figures out of proportion, hidden web
rows, the same list twice, a SIRET shared by two organisations. Each ends with the right figure or
a loud doubt or refusal, its French message asserted. Every file here is fictitious (« fictif »),
generated from the clean fictitious list (tests/fictif.py) in several variants.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assets.cli import main
from pipelines.consolidate.tables import consolidate
from pipelines.publish.site import funding_rows, headline
from pipelines.read.discovery import discover
from pipelines.stage.publishable import hold_back
from pipelines.stage.source import stage_source
from tests.fictif import EN_TETE_FICTIF, LAUREATS_FICTIFS, TOTAL_FICTIF, csv_fictif
from tests.hostile.cases import manifest, write

REGION, YEAR = "normandie", 2024


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "raw" / REGION / str(YEAR)


def _validate(path: Path) -> tuple[int, dict, str]:
    text = CliRunner().invoke(main, ["validate", str(path)]).output
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert "Traceback" not in text and "erreur inattendue" not in text.lower()
    return result.exit_code, json.loads(result.stdout), text


def _problems(report: dict, code: str) -> list[dict]:
    found = [p for s in report["sources"] for p in s["problems"] if p["code"] == code]
    # French numbers are grouped by a narrow no-break space: compared here as plain spaces.
    return [{**p, "message": p["message"].replace("\u202f", " ")} for p in found]


def _amounts(amounts: list[str]) -> list[list[str]]:
    return [[*r[:3], a, r[4]] for r, a in zip(LAUREATS_FICTIFS, amounts)]


def _with_confirmed(name: str, *codes: str, **overrides) -> str:
    data = yaml.safe_load(manifest(name, **overrides))
    data["confirmed"] = list(codes)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# --- amounts written with a comma before three digits: thousands, never cents ------------------


@pytest.mark.parametrize(
    "first",
    ["€12,500", "12,500 €", "€ 12,500.00", "12,500 euros", "EUR 12,500"],
)
def test_a_comma_before_three_digits_in_euros_is_thousands(folder: Path, first: str):
    write(
        folder,
        "virgule-fictif",
        csv_fictif(_amounts([first, *["8 000 €", "1.234,50", "20 000,00 €"]])),
        manifest("virgule-fictif"),
    )
    code, report, text = _validate(folder)
    assert code == 0, text
    assert report["sources"][0]["computed"]["total_eur"] == TOTAL_FICTIF  # 12 500 €, not 12,50 €


def test_a_million_written_the_english_way_is_a_million(folder: Path):
    rows = _amounts(["1,250,000", "8 000 €", "1.234,50", "20 000,00 €"])
    write(folder, "million-fictif", csv_fictif(rows, total=""), manifest("million-fictif"))
    code, report, _text = _validate(folder)
    (found,) = _problems(report, "implausible_amount")  # read right, then out of proportion
    assert report["sources"][0]["computed"]["total_eur"] == 1_250_000 + 8_000 + 1_234.5 + 20_000
    assert "1 ligne(s) au-dessus de 1 000 000 €, plafond plausible" in found["message"]
    assert code == 1


@pytest.mark.parametrize("cents", ["1 234,50", "20 000,05 €", "999,9"])
def test_twelve_comma_five_hundred_beside_comma_cents_is_a_doubt(folder: Path, cents: str):
    rows = _amounts(["12,500", "8 000 €", cents, "20 000 €"])
    write(folder, "ambigu-fictif", csv_fictif(rows, total=""), manifest("ambigu-fictif"))
    code, report, text = _validate(folder)
    assert code == 1, text
    (found,) = _problems(report, "ambiguous_separator")
    assert "« 12,500 » sont lus en milliers (12 500 €)" in found["message"]
    assert "« 12,500 » vaut-il 12,50 € ?" in found["message"]
    assert "ambiguous_separator" in found["fix"] and "confirmed" in found["fix"]


@pytest.mark.parametrize(
    ("first", "meant"),
    [("12.500 €", "12 500 €"), ("12.500", "12 500 €"), ("1.250.000", "1 250 000 €")],
)
def test_three_digits_after_a_decimal_point_are_a_doubt(folder: Path, first: str, meant: str):
    """`read.decimal: "."` reads « 12.500 € » as 12,50 €: a sum in euros has two decimals, and a
    French publisher writes thousands with dots. Never published as read without a person's word."""
    rows = _amounts([first, "8000", "1234.50", "20000.00 €"])
    name = "point-fictif"
    text = manifest(name, read={"delimiter": ";", "decimal": "."})
    write(folder, name, csv_fictif(rows, total=""), text)
    code, report, out = _validate(folder)
    assert code == 1, out
    (found,) = _problems(report, "ambiguous_separator")
    assert f"« {first} » vaut-il {meant} ?" in found["message"]
    assert 'read.decimal: ","' in found["fix"] and "confirmed" in found["fix"]


def test_two_decimals_after_a_point_are_no_doubt(folder: Path):
    rows = _amounts(["12500.00", "8000", "1234.50", "20000.5 €"])
    text = manifest("cents-fictif", read={"delimiter": ";", "decimal": "."})
    write(folder, "cents-fictif", csv_fictif(rows, total=""), text)
    code, report, out = _validate(folder)
    assert code == 0, out
    assert report["sources"][0]["computed"]["total_eur"] == 12_500 + 8_000 + 1_234.5 + 20_000.5


def test_twelve_comma_five_hundred_among_whole_euros_is_read_as_thousands(folder: Path):
    rows = _amounts(["12,500", "8 000", "1 234", "20 000"])
    write(folder, "entiers-fictif", csv_fictif(rows, total=""), manifest("entiers-fictif"))
    code, report, text = _validate(folder)
    assert code == 0, text
    assert report["sources"][0]["computed"]["total_eur"] == 12_500 + 8_000 + 1_234 + 20_000


@pytest.mark.parametrize("header", ["Montant (k€)", "Montant en k€", "Montant (M€)"])
def test_a_header_in_thousands_read_as_euros_is_a_doubt(folder: Path, header: str):
    data = yaml.safe_load(manifest("keur-fictif"))
    data["columns"]["amount_eur"] = header
    rows = _amounts(["12,5", "8", "1,2345", "20"])
    head = [*EN_TETE_FICTIF[:3], header, EN_TETE_FICTIF[4]]
    write(folder, "keur-fictif", csv_fictif(rows, header=head, total=""), yaml.safe_dump(data))
    code, report, text = _validate(folder)
    assert code == 1, text
    (found,) = _problems(report, "amount_unit")
    assert f"l'en-tête « {header} » donne les montants en" in found["message"]


# --- ceilings: a line, the envelope, a declared count -----------------------------------------


@pytest.mark.parametrize("lines", [1, 200])
def test_lines_of_nine_million_each_are_a_doubt_not_a_figure(folder: Path, lines: int):
    rows = [
        [f"Association Fictive n° {i}", "Projet fictif", "14", "9 999 999 €", ""]
        for i in range(lines)
    ]
    write(folder, "millions-fictif", csv_fictif(rows, total=""), manifest("millions-fictif"))
    code, report, text = _validate(folder)
    assert code == 1, text
    (found,) = _problems(report, "implausible_amount")
    assert (
        f"{lines} ligne(s) au-dessus de 1 000 000 €, plafond plausible pour un lauréat"
        in found["message"]
    )
    assert "DOUTE" in text and "implausible_amount" in text


def test_a_line_over_the_envelope_and_a_total_over_it_are_doubts_the_manifest_settles(
    folder: Path,
):
    campaign = {"id": "normandie-2024-env", "title": "Appel fictif", "envelope_eur": 15000}
    write(folder, "enveloppe-fictif", csv_fictif(), manifest("enveloppe-fictif", campaign=campaign))
    code, report, text = _validate(folder)
    assert code == 1, text
    (line,) = _problems(report, "implausible_amount")
    assert (
        "au-dessus de l'enveloppe de la campagne (15 000 €, campaign.envelope_eur)"
        in line["message"]
    )
    (total,) = _problems(report, "above_envelope")
    assert "font 41 734,50 €, plus que l'enveloppe annoncée de la campagne" in total["message"]
    settled = _with_confirmed(
        "enveloppe-fictif", "implausible_amount", "above_envelope", campaign=campaign
    )
    write(folder, "enveloppe-fictif", csv_fictif(), settled)
    code, report, text = _validate(folder)
    assert code == 0, text


def test_an_envelope_announced_as_a_minimum_is_no_ceiling(folder: Path):
    campaign = {
        "id": "normandie-2024-min",
        "title": "Appel fictif",
        "envelope_eur": 15000,
        "envelope_qualifier": "minimum",
    }
    write(folder, "minimum-fictif", csv_fictif(), manifest("minimum-fictif", campaign=campaign))
    _code, report, _text = _validate(folder)
    assert not _problems(report, "above_envelope") and not _problems(report, "implausible_amount")


@pytest.mark.parametrize(
    ("declared", "partial", "said"),
    [
        (99_999, True, "plus que les 2 000 qu'aucune campagne n'atteint"),
        (99_999, False, "plus que les 2 000 qu'aucune campagne n'atteint"),
        (500, True, "plus de 10 fois les lignes de la liste partielle"),
    ],
)
def test_a_declared_count_out_of_proportion_is_a_doubt(
    folder: Path, declared: int, partial: bool, said: str
):
    over = {"declared": {"awards_count": declared}, "partial": partial}
    write(folder, "annonce-fictif", csv_fictif(), manifest("annonce-fictif", **over))
    code, report, text = _validate(folder)
    assert code == 1, text
    (found,) = _problems(report, "implausible_declared")
    assert f"{declared:,}".replace(",", " ") + " lauréats annoncés" in found["message"]
    assert said in found["message"]
    assert "s'ajouterait au nombre de lauréats de la page d'accueil" in found["message"]


def test_a_press_release_naming_one_of_38_laureates_is_no_doubt(folder: Path):
    over = {"declared": {"awards_count": 38}, "partial": True}
    write(
        folder,
        "presse-fictif",
        csv_fictif(LAUREATS_FICTIFS[:1], total=""),
        manifest("presse-fictif", **over),
    )
    _code, report, _text = _validate(folder)
    assert not _problems(report, "implausible_declared")


def test_the_headline_never_adds_an_implausible_declared_count(folder: Path):
    """99 999 announced beside a list of 4: the source is held back, the page's count stays 4."""
    over = {"declared": {"awards_count": 99_999}, "partial": True}
    write(folder, "annonce-fictif", csv_fictif(), manifest("annonce-fictif", **over))
    write(
        folder, "liste-fictif", csv_fictif(), manifest("liste-fictif", declared={"awards_count": 4})
    )
    raw = folder.parents[1]
    staged = [hold_back(stage_source(s.manifest, raw)) for s in discover(raw)]
    tables = consolidate(staged).tables
    regions = dict(zip(tables["regions"]["region_code"], tables["regions"]["region_name"]))
    top = headline(funding_rows(tables, regions))
    assert top["call"]["declared"] == 4
    sources = tables["sources"].set_index("source_id")
    assert sources.loc[f"{REGION}/{YEAR}/annonce-fictif", "status"] == "refused"
    assert (
        "nombre de lauréats annoncé hors de proportion"
        in sources.loc[f"{REGION}/{YEAR}/annonce-fictif", "message"]
    )


# --- rows a web page hides ---------------------------------------------------------------------

_REFUSED = ["Candidature Refusée Fictive", "Projet écarté", "14", "50 000 €", ""]


@pytest.mark.parametrize(
    "hiding",
    [
        'style="display:none"',
        'style="color: red; display: none;"',
        "hidden",
        'aria-hidden="true"',
        'class="ligne hidden"',
        'class="d-none"',
        'style="visibility:hidden"',
    ],
)
def test_rows_a_web_page_hides_are_a_doubt_then_set_aside(folder: Path, hiding: str):
    head = "".join(f"<th>{h}</th>" for h in EN_TETE_FICTIF)
    shown = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in LAUREATS_FICTIFS
    )
    masked = f"<tr {hiding}>" + "".join(f"<td>{c}</td>" for c in _REFUSED) + "</tr>"
    page = (
        "<html><body><p>Liste fictive</p><table><thead><tr>"
        f"{head}</tr></thead><tbody>{shown}{masked}</tbody></table></body></html>"
    )
    write(folder, "page-fictif", page, manifest("page-fictif"), ext="html")
    code, report, text = _validate(folder)
    assert code == 1, text
    (found,) = _problems(report, "hidden_rows")
    assert "1 ligne masquée (ligne 6) dans le tableau 1 de la page" in found["message"]
    write(folder, "page-fictif", page, manifest("page-fictif", read={"hidden": "skip"}), ext="html")
    code, report, text = _validate(folder)
    assert code == 0, text
    assert report["sources"][0]["computed"]["total_eur"] == TOTAL_FICTIF


def test_a_table_inside_a_hidden_block_is_hidden_whole(folder: Path):
    head = "".join(f"<th>{h}</th>" for h in EN_TETE_FICTIF)
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in LAUREATS_FICTIFS)
    page = f"<html><body><div hidden><table><tr>{head}</tr>{rows}</table></div></body></html>"
    write(folder, "bloc-fictif", page, manifest("bloc-fictif"), ext="html")
    code, report, text = _validate(folder)
    assert code == 1, text
    (found,) = _problems(report, "hidden_rows")
    assert "4 lignes masquées (lignes 2 à 5) dans le tableau 1 de la page" in found["message"]


def test_a_page_hiding_nothing_reads_as_before(folder: Path):
    head = "".join(f"<th>{h}</th>" for h in EN_TETE_FICTIF)
    rows = "".join(
        '<tr class="ligne">' + "".join(f"<td>{c}</td>" for c in r) + "</tr>"
        for r in LAUREATS_FICTIFS
    )
    page = f'<html><body><table class="table"><tr>{head}</tr>{rows}</table></body></html>'
    write(folder, "visible-fictif", page, manifest("visible-fictif"), ext="html")
    code, _report, text = _validate(folder)
    assert code == 0, text


# --- the same list twice -----------------------------------------------------------------------


def _same_campaign(name: str, **overrides) -> str:
    campaign = {"id": "normandie-2024-aap", "title": "Appel à projets fictif"}
    return manifest(name, campaign=campaign, **overrides)


@pytest.mark.parametrize(
    "copy",
    [
        LAUREATS_FICTIFS,  # the same file twice
        LAUREATS_FICTIFS[:3],  # a press release naming three of them
        [[r[0].upper(), "autre intitulé", r[2], r[3], ""] for r in LAUREATS_FICTIFS],  # retyped
    ],
)
def test_the_same_list_twice_in_one_campaign_is_refused_naming_both_files(
    folder: Path, copy: list[list[str]]
):
    write(folder, "a-liste-fictif", csv_fictif(), _same_campaign("a-liste-fictif"))
    write(folder, "b-copie-fictif", csv_fictif(copy, total=""), _same_campaign("b-copie-fictif"))
    code, _report, text = _validate(folder)
    assert code == 2, text
    assert "b-copie-fictif — REFUSÉE" in text
    assert (
        f"de la campagne normandie-2024-aap (même bénéficiaire, même montant) sont aussi dans "
        f"raw/{REGION}/{YEAR}/a-liste-fictif.csv" in text
    )
    assert "doublerait les totaux de la campagne" in text


def test_a_confirmed_second_list_or_another_campaign_is_not_refused(folder: Path):
    write(folder, "a-liste-fictif", csv_fictif(), _same_campaign("a-liste-fictif"))
    write(
        folder,
        "dreets-fictif",
        csv_fictif(),
        yaml.safe_dump(
            {**yaml.safe_load(_same_campaign("dreets-fictif")), "confirmed": ["duplicate_source"]},
            allow_unicode=True,
        ),
    )
    write(folder, "autre-fictif", csv_fictif(), manifest("autre-fictif"))  # its own campaign
    code, _report, text = _validate(folder)
    assert code == 0, text


def test_a_published_campaign_keeps_one_copy_of_a_list_given_twice(folder: Path):
    write(folder, "a-liste-fictif", csv_fictif(), _same_campaign("a-liste-fictif"))
    write(folder, "b-copie-fictif", csv_fictif(), _same_campaign("b-copie-fictif"))
    raw = folder.parents[1]
    result = consolidate([hold_back(stage_source(s.manifest, raw)) for s in discover(raw)])
    awards = result.tables["awards"]
    assert float(awards["amount_eur"].sum()) == TOTAL_FICTIF  # not twice
    assert any("b-copie-fictif" in w and "doublerait" in w for w in result.warnings)


# --- one campaign's lists, each under its envelope, over it together ----------------------------

_OTHERS_FICTIFS = [
    ["Association Fictive du Pays d'Auge", "Halte parents", "14", "15 000 €", ""],
    ["Relais Imaginaire du Cotentin", "Lieu d'accueil enfants-parents", "50", "9 000 €", ""],
]


@pytest.mark.parametrize(
    ("qualifier", "refused"), [("exact", True), ("maximum", True), ("minimum", False)]
)
def test_a_campaign_over_its_envelope_across_two_lists_is_held_back(
    folder: Path, qualifier: str, refused: bool
):
    """Each list alone stays under the envelope (41 734,50 € and 24 000 € under 50 000 €): only
    together do they exceed it. « au moins » 50 000 € is no ceiling."""
    campaign = {
        "id": "normandie-2024-aap",
        "title": "Appel à projets fictif",
        "envelope_eur": 50_000,
        "envelope_qualifier": qualifier,
    }
    write(folder, "a-calvados-fictif", csv_fictif(), manifest("a", campaign=campaign))
    rows = csv_fictif(_OTHERS_FICTIFS, total="")
    write(folder, "b-manche-fictif", rows, manifest("b", campaign=campaign))
    code, _report, text = _validate(folder)
    if not refused:
        assert code == 0, text
        return
    assert code == 2, text
    assert "a-calvados-fictif — REFUSÉE" in text and "b-manche-fictif — REFUSÉE" in text
    assert "font 65 734,50 €, plus que son enveloppe annoncée (50 000 €" in text.replace(
        "\u202f", " "
    )
    assert "above_envelope" in text


def test_a_campaign_over_its_envelope_confirmed_in_one_manifest_publishes(folder: Path):
    campaign = {"id": "normandie-2024-aap", "title": "Appel fictif", "envelope_eur": 50_000}
    write(folder, "a-calvados-fictif", csv_fictif(), manifest("a", campaign=campaign))
    confirmed = yaml.safe_load(manifest("b", campaign=campaign))
    confirmed["confirmed"] = ["above_envelope"]
    write(
        folder,
        "b-manche-fictif",
        csv_fictif(_OTHERS_FICTIFS, total=""),
        yaml.safe_dump(confirmed, allow_unicode=True),
    )
    code, _report, text = _validate(folder)
    assert code == 0, text
