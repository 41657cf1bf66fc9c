"""The coverage table: every region × year, collected, searched in vain or not searched (fictif)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.consolidate.coverage import coverage_table
from pipelines.consolidate.frames import typed
from pipelines.consolidate.tables import reference_tables
from pipelines.stage.search import SEARCH_COLUMNS


def campaign(cid: str, region: str | None, year: int, **figures: Any) -> dict[str, Any]:
    return {
        "campaign_id": cid,
        "scope": "regional" if region else "national",
        "region_code": region,
        "year": year,
        "year_qualifier": "exact",
        "title": f"Appel fictif {cid}",
        "kind": "call",
        "source_id": f"fictif/{year}/{cid}",
        **figures,
    }


def award(cid: str, region: str, year: int, source_id: str, row: int) -> dict[str, Any]:
    return {
        "award_id": f"{cid}-{row}",
        "campaign_id": cid,
        "region_code": region,
        "year": year,
        "beneficiary_id": f"b{row}",
        "beneficiary_name": "Association fictive",
        "funder": "ARS",
        "source_id": source_id,
        "source_row": row,
    }


def tables(retrieved: str = "2024-03-01") -> dict[str, pd.DataFrame]:
    out = reference_tables()
    out["campaigns"] = typed(
        "campaigns",
        [
            campaign("cvl-2022-fictif", "24", 2022),
            campaign("cvl-2022-bis-fictif", "24", 2022, envelope_eur=100000.0),
            campaign("nor-2021-fictif", "28", 2021, declared_awards_count=1),
            campaign("bre-2023-fictif", "53", 2023, declared_awards_count=12),
            campaign("occ-2021-fictif", "76", 2021, declared_awards_count=5),
            campaign("pac-2021-fictif", "93", 2021),
            campaign("fr-2022-fictif", None, 2022),
        ],
    )
    out["awards"] = typed(
        "awards",
        [
            award("nor-2021-fictif", "28", 2021, "normandie/2021/fictif", 2),
            award("occ-2021-fictif", "76", 2021, "occitanie/2021/presse-fictive", 2),
        ],
    )
    out["campaign_counts"] = typed("campaign_counts", [])
    out["campaign_budgets"] = typed("campaign_budgets", [])
    out["sources"] = pd.DataFrame({"retrieved": [retrieved, None, "2023-01-05"]})
    return out


def searches(*cells: tuple[str, int, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            (r, y, d, "corpus public fictif", f"france/{d[:4]}/recherche-fictive")
            for r, y, d in cells
        ],
        columns=list(SEARCH_COLUMNS),
    )


def test_every_region_every_year_until_the_release_year() -> None:
    cov = coverage_table(tables("2024-03-01"), searches())
    # 18 regions × 2020..2024: the release's year is its latest retrieved date, not the clock.
    assert len(cov) == 18 * 5
    assert cov["region_code"].nunique() == 18
    assert sorted(cov["year"].unique()) == [2020, 2021, 2022, 2023, 2024]
    assert cov.groupby("region_code").size().eq(5).all()
    later = coverage_table(tables("2026-01-10"), searches())
    assert len(later) == 18 * 7


def test_statuses_and_what_is_known() -> None:
    cov = coverage_table(
        tables(),
        searches(
            ("84", 2021, "2024-02-01"), ("84", 2021, "2024-02-20"), ("24", 2022, "2024-02-01")
        ),
    ).set_index(["region_code", "year"])
    cvl = cov.loc[("24", 2022)]
    assert cvl["status"] == "collected"  # a campaign wins over a search
    assert cvl["campaign_ids"] == "cvl-2022-bis-fictif ; cvl-2022-fictif"
    assert cvl["knowledge"] == "envelope"  # the strongest of its two campaigns
    assert cov.loc[("28", 2021), "knowledge"] == "full"  # every laureate announced is named
    assert cov.loc[("76", 2021), "knowledge"] == "partial"  # 1 named of 5 announced
    assert cov.loc[("93", 2021), "knowledge"] == "campaign"  # known, no figure at all
    assert cov.loc[("53", 2023), "knowledge"] == "totals"
    ara = cov.loc[("84", 2021)]
    assert ara["status"] == "searched_nothing_found"
    assert ara["searched_on"] == "2024-02-20"  # the latest search
    assert ara["search_source_ids"] == "france/2024/recherche-fictive"
    assert pd.isna(ara["knowledge"]) and pd.isna(ara["campaign_ids"])
    other = cov.drop(
        index=[("24", 2022), ("28", 2021), ("76", 2021), ("93", 2021), ("53", 2023), ("84", 2021)]
    )
    assert set(other["status"]) == {"not_searched"}
    assert other["searched_on"].isna().all()
    # A national campaign is no region's.
    assert not cov["campaign_ids"].fillna("").str.contains("fr-2022").any()
