"""CHANGELOG.md lines, campaign by campaign, against the previous release's files (fictitious rows)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.publish.changelog import changes


def awards(rows: list[tuple[str, str, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["campaign_id", "award_id", "amount_eur"]).astype(
        {"amount_eur": "Float64"}
    )


def campaigns(ids: list[str], total: float | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "campaign_id": ids,
            "declared_awards_count": pd.array([None] * len(ids), "Int64"),
            "declared_total_eur": pd.array([total] * len(ids), "Float64"),
            "envelope_eur": pd.array([None] * len(ids), "Float64"),
            "title": "Appel fictif",
        }
    )


def test_each_campaign_says_what_moved(tmp_path: Path) -> None:
    data = tmp_path / "published" / "data"
    data.mkdir(parents=True)
    awards(
        [
            ("fictif-a", "a1", 1000.0),
            ("fictif-a", "a2", None),
            ("fictif-a", "a3", 500.0),
            ("fictif-b", "b1", 200.0),
            ("fictif-c", "c1", 10.0),
        ]
    ).to_parquet(data / "awards.parquet")
    campaigns(["fictif-a", "fictif-b", "fictif-c"]).to_parquet(data / "campaigns.parquet")
    pd.DataFrame({"source_id": ["s"], "sha256": ["x"]}).to_parquet(data / "sources.parquet")
    after = {
        "awards": awards(
            [
                ("fictif-a", "a1", 1000.0),
                ("fictif-a", "a2", 300.0),
                ("fictif-a", "a4", 1.0),
                ("fictif-b", "b1", 200.0),
                ("fictif-d", "d1", 5.0),
            ]
        ),
        "campaigns": campaigns(["fictif-a", "fictif-b", "fictif-d"], 1200.0),
        "sources": pd.DataFrame({"source_id": ["s"], "sha256": ["x"]}),
    }
    assert changes(after, tmp_path / "published") == [
        "`fictif-a` : declared_total_eur : vide → 1200.0 ; 1 ligne(s) ajoutée(s) ; 1 ligne(s) retirée(s) ; "
        "1 montant(s) modifié(s)",
        "`fictif-b` : declared_total_eur : vide → 1200.0",
        "`fictif-c` : campagne retirée ; 1 ligne(s) retirée(s)",
        "`fictif-d` : nouvelle campagne ; 1 ligne(s) ajoutée(s)",
    ]


def test_a_field_that_only_gains_allowed_values_says_which() -> None:
    from pipelines.publish.changelog import schema_changes

    def package(enum: list[str], title: str = "Financeur") -> dict:
        field = {"name": "funder", "type": "string", "title": title, "constraints": {"enum": enum}}
        return {"resources": [{"name": "awards", "schema": {"fields": [field]}}]}

    before = package(["ARS", "NC"])
    assert schema_changes(before, package(["ARS", "CONSEIL_DEPARTEMENTAL", "NC"])) == [
        "schéma de `awards` : colonnes redéfinies `funder` (valeurs permises ajoutées : "
        "CONSEIL_DEPARTEMENTAL)"
    ]
    # Values removed, or anything else redefined too: each change said.
    assert schema_changes(before, package(["ARS"])) == [
        "schéma de `awards` : colonnes redéfinies `funder` (valeurs permises : ARS)"
    ]
    assert schema_changes(before, package(["ARS", "CAF", "NC"], title="Autre")) == [
        "schéma de `awards` : colonnes redéfinies `funder` (valeurs permises : ARS, CAF, NC ; titre)"
    ]


def test_a_length_ceiling_added_to_a_field_says_which() -> None:
    from pipelines.publish.changelog import schema_changes

    def package(constraints: dict) -> dict:
        field = {"name": "title", "type": "string", "constraints": constraints}
        return {"resources": [{"name": "campaigns", "schema": {"fields": [field]}}]}

    lines = schema_changes(package({}), package({"maxLength": 1000}))
    assert [line.replace("\u202f", " ") for line in lines] == [
        "schéma de `campaigns` : colonnes redéfinies `title` (longueur maximale : 1 000)"
    ]
    assert schema_changes(package({"maxLength": 80}), package({})) == [
        "schéma de `campaigns` : colonnes redéfinies `title` (longueur maximale : retirée)"
    ]
