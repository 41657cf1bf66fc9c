"""Beneficiaries across years: renewals link up, ambiguous pairs are listed, never merged silently."""

from __future__ import annotations

import random
import string

import pandas as pd

from pipelines.consolidate.beneficiaries import awards_and_beneficiaries, name_key
from pipelines.consolidate.lookalikes import WHOLE_REGION_NAMES

# Fictitious award lines, as staged sources would give them.
BASE = {
    "volet": None,
    "theme": None,
    "funder": "ARS",
    "amount_eur": 1000.0,
    "department_code": "37",
    "project_title": "Projet fictif",
    "beneficiary_rna": None,
}


def lines(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame([{**BASE, "source_row": i + 2, **r} for i, r in enumerate(rows)])


def test_a_renewal_without_siret_links_to_the_award_that_had_one():
    awards, beneficiaries, review = awards_and_beneficiaries(
        lines(
            {
                "campaign_id": "cvl-2021-fictif",
                "region_code": "24",
                "year": 2021,
                "source_id": "a",
                "beneficiary_name": "Association Fictive des Parents",
                "beneficiary_siret": "73282932000074",
            },
            {
                "campaign_id": "cvl-2023-fictif",
                "region_code": "24",
                "year": 2023,
                "source_id": "b",
                "beneficiary_name": "ASSOCIATION FICTIVE DES PARENTS (Tours)",
                "beneficiary_siret": None,
            },
        ),
        [],
    )
    assert (awards["beneficiary_id"] == awards["beneficiary_id"].iloc[0]).all()
    assert beneficiaries.iloc[0][
        ["awards_count", "first_year", "last_year", "beneficiary_siret"]
    ].tolist() == [2, 2021, 2023, "73282932000074"]
    assert review.empty


def test_same_name_in_two_regions_is_listed_not_merged():
    warnings: list[str] = []
    _awards, beneficiaries, review = awards_and_beneficiaries(
        lines(
            {
                "campaign_id": "x-2022-fictif",
                "region_code": "24",
                "year": 2022,
                "source_id": "a",
                "beneficiary_name": "Association Fictive Coccinelle",
                "beneficiary_siret": None,
            },
            {
                "campaign_id": "y-2022-fictif",
                "region_code": "53",
                "year": 2022,
                "source_id": "b",
                "beneficiary_name": "Association Fictive Coccinelle",
                "beneficiary_siret": None,
                "department_code": "29",
            },
            {
                "campaign_id": "x-2023-fictif",
                "region_code": "24",
                "year": 2023,
                "source_id": "c",
                "beneficiary_name": "Association Fictive Coccinelles",
                "beneficiary_siret": None,
            },
        ),
        warnings,
    )
    assert len(beneficiaries) == 3
    reasons = sorted(review["reason"])
    assert reasons == ["même nom dans deux régions", "noms proches dans la même région"]
    assert set(review["beneficiary_id"]) | set(review["candidate_id"]) <= set(
        beneficiaries["beneficiary_id"]
    )
    assert len(warnings) == 2


def test_award_ids_are_stable_when_rows_move():
    rows = [
        {
            "campaign_id": "c-2022-fictif",
            "region_code": "24",
            "year": 2022,
            "source_id": "a",
            "beneficiary_name": f"Crèche fictive {n}",
            "beneficiary_siret": None,
        }
        for n in "ABC"
    ]
    first, _, _ = awards_and_beneficiaries(lines(*rows), [])
    moved, _, _ = awards_and_beneficiaries(lines(*reversed(rows)), [])
    assert dict(zip(first["beneficiary_name"], first["award_id"])) == dict(
        zip(moved["beneficiary_name"], moved["award_id"])
    )


def test_name_key_ignores_case_accents_articles_and_parentheses():
    assert name_key("L'Association des Pâtes au Beurre (Tours)") == name_key(
        "association pates beurre"
    )


def test_look_alikes_are_found_in_a_region_too_large_to_score_every_pair():
    rnd = random.Random(2026)
    word = lambda: "".join(rnd.choices(string.ascii_lowercase, k=9))  # noqa: E731
    names = [f"{word()} {word()} fictif" for _ in range(3000)]
    # One pair differs at its end (neighbours alphabetically), one at its start (read backwards).
    names += [
        "Association Fictive Coccinelle",
        "Association Fictive Coccinelles",
        "Bambins fictifs de Loire",
        "Pambins fictifs de Loire",
    ]
    assert len(names) > WHOLE_REGION_NAMES
    rows = [
        {
            "campaign_id": "bzh-2025-fictif",
            "region_code": "53",
            "year": 2025,
            "source_id": "longue-liste",
            "beneficiary_name": n,
            "beneficiary_siret": None,
        }
        for n in names
    ]
    _, beneficiaries, review = awards_and_beneficiaries(lines(*rows), [])
    name_of = dict(zip(beneficiaries["beneficiary_id"], beneficiaries["beneficiary_name"]))
    pairs = {
        frozenset((name_of[a], name_of[b]))
        for a, b, reason in zip(review["beneficiary_id"], review["candidate_id"], review["reason"])
        if reason == "noms proches dans la même région"
    }
    assert pairs == {
        frozenset(("Association Fictive Coccinelle", "Association Fictive Coccinelles")),
        frozenset(("Bambins fictifs de Loire", "Pambins fictifs de Loire")),
    }


def _shared_siret(region_b: str, name_b: str) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    warnings: list[str] = []
    _awards, beneficiaries, review = awards_and_beneficiaries(
        lines(
            {
                "campaign_id": "normandie-2022-fictif",
                "region_code": "28",
                "year": 2022,
                "source_id": "a",
                "beneficiary_name": "Crèche Fictive du Bocage",
                "beneficiary_siret": "73282932000074",
            },
            {
                "campaign_id": "autre-2024-fictif",
                "region_code": region_b,
                "year": 2024,
                "source_id": "b",
                "beneficiary_name": name_b,
                "beneficiary_siret": "73282932000074",
            },
        ),
        warnings,
    )
    return beneficiaries, review, warnings


def test_a_siret_shared_by_two_organisations_of_two_regions_is_listed_not_merged():
    beneficiaries, review, warnings = _shared_siret("52", "Maison Imaginaire des Familles")
    assert sorted(beneficiaries["beneficiary_name"]) == [
        "Crèche Fictive du Bocage",
        "Maison Imaginaire des Familles",
    ]  # each under its own name, not both under the latest one
    (row,) = review.to_dict("records")
    assert "même SIRET 73282932000074 sous deux noms dans deux régions" in row["reason"]
    assert "« Crèche Fictive du Bocage » (28)" in row["reason"]
    assert {row["beneficiary_id"], row["candidate_id"]} == set(beneficiaries["beneficiary_id"])
    assert any("même SIRET" in w for w in warnings)


def test_a_siret_renamed_within_its_region_or_same_named_elsewhere_still_links_up():
    for region, name in (
        ("28", "Crèche Fictive du Bocage Normand"),
        ("52", "CRECHE FICTIVE DU BOCAGE"),
    ):
        beneficiaries, review, _ = _shared_siret(region, name)
        assert len(beneficiaries) == 1 and review.empty, (region, name)
