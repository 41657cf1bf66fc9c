"""A search record (`table: searches`, no data file) staged as a source of its own kind (fictif)."""

from __future__ import annotations

from pathlib import Path

from pipelines.consolidate.tables import consolidate
from pipelines.stage.source import stage_source

RECORD = """\
# Relevé fictif pour les tests.
table: searches
searched: 2024-05-02
where:
  - corpus fictif consulté hors ligne
  - https://exemple.invalid/recherche-fictive
note: « rien trouvé » (relevé fictif)
nothing_found:
  - {region: Corse, years: 2021-2022}
  - {region: "84", years: 2023}
"""


def write_record(raw: Path, text: str = RECORD, name: str = "recherche") -> Path:
    folder = raw / "france" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_search_record_is_a_source_with_no_file(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    staged = stage_source(write_record(raw), raw)
    assert staged.status == "ok", staged.source["message"]
    row = staged.source
    assert (row["table"], row["path"], row["retrieved"]) == (
        "searches",
        "raw/france/2024/recherche.yaml",
        "2024-05-02",
    )
    assert row["url"] is None and row["format"] is None  # no address invented
    assert len(row["sha256"]) == 64  # the record itself, shipped under sources/
    cells = sorted(zip(staged.rows["region_code"], staged.rows["year"]))
    assert cells == [("84", 2023), ("94", 2021), ("94", 2022)]
    where = set(staged.rows["searched_where"])
    assert where == {
        "corpus fictif consulté hors ligne ; https://exemple.invalid/recherche-fictive"
    }


def test_the_coverage_table_says_searched_nothing_found(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    cov = consolidate([stage_source(write_record(raw), raw)]).tables["coverage"]
    # 18 regions × 2020..2024, the year of the record's date (the release's created date).
    assert len(cov) == 18 * 5
    cov = cov.set_index(["region_code", "year"])
    corse = cov.loc[("94", 2021)]
    assert (corse["status"], corse["searched_on"]) == ("searched_nothing_found", "2024-05-02")
    assert corse["search_source_ids"] == "france/2024/recherche"
    assert cov.loc[("94", 2023), "status"] == "not_searched"  # only the years written
    assert cov.loc[("84", 2023), "status"] == "searched_nothing_found"
    assert (cov["status"] == "searched_nothing_found").sum() == 3
