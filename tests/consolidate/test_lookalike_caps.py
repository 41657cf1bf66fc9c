"""A list of near-identical beneficiary names: the review is capped, says so in a warning with its
counts, and leaves those names apart (each its own beneficiary) rather than paired at random."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from pipelines.consolidate import lookalikes
from pipelines.consolidate.beneficiaries import awards_and_beneficiaries, name_key

BASE = {
    "volet": None,
    "theme": None,
    "funder": "ARS",
    "amount_eur": 1000.0,
    "department_code": "35",
    "project_title": "Projet fictif",
    "beneficiary_rna": None,
    "campaign_id": "bzh-2025-fictif",
    "year": 2025,
    "source_id": "liste-fictive",
}


def lines(names: list[str], region: str = "53", sirets: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                **BASE,
                "source_row": i + 2,
                "region_code": region,
                "beneficiary_name": name,
                "beneficiary_siret": sirets[i] if sirets else None,
            }
            for i, name in enumerate(names)
        ]
    )


def one_letter_changed(count: int, seed: int) -> list[str]:
    """« Association fictive des familles de Touraine » with one letter changed, `count` times."""
    rnd = random.Random(seed)
    base = "Association fictive des familles de Touraine"
    names = set()
    while len(names) < count:
        at = rnd.randrange(len(base))
        names.add(base[:at] + rnd.choice("bcdfghjklmnpqrstvwxz") + base[at + 1 :])
    return sorted(names)


def test_near_identical_names_are_left_apart_and_counted_in_a_warning():
    crowd = [f"Association fictive des familles {i:05d}" for i in range(2500)]
    crowd += one_letter_changed(400, seed=7)
    apart = ["Crèche fictive Les Coccinelles", "Crèche fictive Les Coccinelle"]
    warnings: list[str] = []
    _, beneficiaries, review = awards_and_beneficiaries(lines(crowd + apart), warnings)
    # Nothing merged but names alike once normalized (« des » and « les » are both dropped).
    assert len(beneficiaries) == len({name_key(n) for n in crowd + apart})
    (warning,) = [w for w in warnings if w.startswith("bénéficiaires non rapprochés")]
    count = int(warning.split(" nom(s) de la région 53")[0].rsplit(" ", 1)[1])
    assert count > len(crowd) * 0.9
    assert f"plus de {lookalikes.MAX_LOOKALIKES} noms proches" in warning
    assert any(f"« {n} »" in warning for n in crowd) and "à faire" in warning  # which ones
    name_of = dict(zip(beneficiaries["beneficiary_id"], beneficiaries["beneficiary_name"]))
    listed = {name_of[b] for b in (*review["beneficiary_id"], *review["candidate_id"])}
    assert set(apart) <= listed  # an ordinary pair beside the crowd is still listed
    assert len(review) < len(crowd)


def test_a_name_carried_by_many_beneficiaries_is_not_paired_square():
    count = lookalikes.MAX_SAME_NAME + 5
    sirets = [f"{73282932000000 + i:014d}" for i in range(count)]
    warnings: list[str] = []
    _, beneficiaries, review = awards_and_beneficiaries(
        lines(["Association fictive des familles"] * count, sirets=sirets), warnings
    )
    assert len(beneficiaries) == count and review.empty
    assert any(
        f"1 nom(s) portés chacun par plus de {lookalikes.MAX_SAME_NAME} bénéficiaires "
        f"({count} bénéficiaires en tout" in w
        for w in warnings
    ), warnings


def test_past_the_total_of_pairs_the_rest_is_counted(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(lookalikes, "MAX_REVIEW_PAIRS", 2)
    pairs = [("Maison fictive Pomme", "Maison fictive Pommes")] + [
        (f"Crèche fictive {word}", f"Crèche fictive {word}s")
        for word in ("Cerise", "Abricot", "Myrtille")
    ]
    warnings: list[str] = []
    _, _, review = awards_and_beneficiaries(lines([n for pair in pairs for n in pair]), warnings)
    assert len(review) == 2
    assert any(
        "2 paire(s) à vérifier au-delà des 2 listées dans beneficiary_review" in w for w in warnings
    ), warnings
