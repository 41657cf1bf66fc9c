"""A search record that is wrong says so, in French, with the key and the fix (fictif)."""

from __future__ import annotations

from pathlib import Path

from pipelines.stage.source import stage_source
from tests.stage.test_search_record import RECORD, write_record


def test_an_unknown_region_or_a_bad_year_range_is_a_bad_manifest(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    text = RECORD.replace("region: Corse", "region: Atlantide").replace(
        "years: 2023", "years: 2025-2021"
    )
    staged = stage_source(write_record(raw, text), raw)
    assert staged.status == "bad_manifest"
    message = staged.source["message"]
    assert "région inconnue 'Atlantide'" in message
    assert "années '2025-2021'" in message and "2021-2023" in message
    assert "raw/france/2024/recherche.yaml" in message
    assert staged.rows.empty


def test_a_record_without_place_or_cell_is_refused(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    text = "table: searches\nsearched: 2024-05-02\nwhere: []\nnothing_found: []\n"
    staged = stage_source(write_record(raw, text), raw)
    assert staged.status == "bad_manifest"
    assert "where" in staged.source["message"] and "nothing_found" in staged.source["message"]


def test_a_data_file_beside_a_search_record_is_not_silently_ignored(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    record = write_record(raw)
    (record.parent / "recherche.csv").write_text("Porteur;Montant\nFictif;1000\n", encoding="utf-8")
    staged = stage_source(record, raw)
    assert staged.status == "bad_manifest"
    assert "ne décrit aucun fichier de données" in staged.source["message"]
    assert "recherche.csv" in staged.source["message"]
