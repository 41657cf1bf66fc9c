"""The `figures` table: every figure once, with its wording, its year's and its quote (fictitious
campaigns, perturbed from one clean set)."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.consolidate.figures import figure_rows
from pipelines.consolidate.frames import typed

NOTE = "« Fictif : au moins 90 000 € dont 40 000 € par l'ARS, 7 lauréats ». Source fictive."


def tables(**changes: object) -> dict[str, pd.DataFrame]:
    campaign = {
        "campaign_id": "fic-2022-aap",
        "scope": "regional",
        "region_code": "24",
        "year": 2022,
        "year_qualifier": "exact",
        "title": "Appel fictif",
        "kind": "call",
        "envelope_eur": 90000.0,
        "envelope_qualifier": "minimum",
        "declared_awards_count": 7,
        "declared_awards_qualifier": "exact",
        "declared_total_eur": None,
        "declared_total_qualifier": None,
        "award_cap_eur": None,
        "regional_envelope_min_eur": None,
        "source_id": "fictif/2022/annonce",
    }
    campaign.update(changes)
    return {
        "campaigns": pd.DataFrame([campaign]),
        "campaign_budgets": pd.DataFrame(
            [
                {
                    "campaign_id": "fic-2022-aap",
                    "funder": "ARS",
                    "budget_line": "FIR",
                    "amount_eur": 40000.0,
                    "qualifier": "minimum",
                    "source_id": "fictif/2022/annonce",
                }
            ]
        ),
        "campaign_counts": pd.DataFrame(
            [
                {
                    "campaign_id": "fic-2022-aap",
                    "subject": "laureates",
                    "department_code": "37",
                    "theme": None,
                    "count": 3,
                    "count_qualifier": "exact",
                    "source_id": "fictif/2022/annonce",
                }
            ]
        ),
        "awards": pd.DataFrame(
            {
                "campaign_id": ["fic-2022-aap"] * 3,
                "source_id": ["fictif/2022/liste"] * 3,
                "source_row": [2, 2, 3],  # one project co-funded: two lines, one project
                "amount_eur": [1000.0, 500.0, None],
            }
        ),
        "sources": pd.DataFrame(
            {
                "source_id": ["fictif/2022/annonce", "fictif/2022/liste"],
                "note": [NOTE, "Liste fictive, sans citation."],
            }
        ),
    }


def by_measure(rows: list[dict]) -> dict[str, dict]:
    return {r["measure"]: r for r in rows}


def test_each_figure_once_with_its_wording_and_quote() -> None:
    rows = figure_rows(tables())
    figures = by_measure(rows)
    assert len(rows) == len(figures) == 6
    assert (figures["envelope"]["value"], figures["envelope"]["qualifier"]) == (90000.0, "minimum")
    line = figures["budget_line"]
    assert (line["funder"], line["qualifier"], line["quote"]) == ("ARS", "minimum", NOTE)
    assert figures["laureates_count"]["department_code"] == "37"
    # What we computed is ours: `sum`, never quoted; a project over two funders counts once.
    assert figures["named_awards_count"]["value"] == 2
    assert figures["awarded_total_computed"]["value"] == 1500.0
    assert {figures[m]["quote"] for m in ("named_awards_count", "awarded_total_computed")} == {None}
    assert {figures[m]["qualifier"] for m in ("named_awards_count", "awarded_total_computed")} == {
        "sum"
    }
    assert len(typed("figures", rows)) == 6  # the table's own schema takes them


@pytest.mark.parametrize("year_qualifier", ["exact", "probable"])
def test_every_figure_carries_its_year_wording(year_qualifier: str) -> None:
    rows = figure_rows(tables(year_qualifier=year_qualifier))
    assert {(r["year"], r["year_qualifier"]) for r in rows} == {(2022, year_qualifier)}


def test_a_computed_envelope_is_not_quoted_and_a_note_without_quote_is_not_one() -> None:
    t = tables(envelope_qualifier="sum")
    t["sources"]["note"] = ["Annonce fictive, sans guillemets.", None]
    figures = by_measure(figure_rows(t))
    assert figures["envelope"]["qualifier"] == "sum" and figures["envelope"]["quote"] is None
    assert figures["declared_awards_count"]["quote"] is None


def test_announced_figures_only_when_given() -> None:
    figures = by_measure(figure_rows(tables(envelope_eur=None, award_cap_eur=10000.0)))
    assert "envelope" not in figures
    assert (figures["award_cap"]["value"], figures["award_cap"]["qualifier"]) == (
        10000.0,
        "maximum",
    )
