"""A release never drops a source, nor most of a source's lines, unasked: the previous release's
`sources.csv` against the new `sources` table (fictitious sources)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipelines.publish.removals import removals_message


def _sources(counts: dict[str, int], status: str = "ok") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "source_id": list(counts),
            "status": status,
            "rows_accepted": list(counts.values()),
        }
    )


def _previous(tmp_path: Path, counts: dict[str, int]) -> Path:
    published = tmp_path / "published"
    (published / "data").mkdir(parents=True)
    _sources(counts).to_csv(published / "data" / "sources.csv", index=False)
    return published


@pytest.mark.parametrize("now", [1, 0, 19])
def test_a_source_losing_more_than_half_its_lines_stops_the_release(tmp_path: Path, now: int):
    published = _previous(tmp_path, {"normandie/2024/laureats-fictif": 40, "autre/2024/x": 5})
    tables = {"sources": _sources({"normandie/2024/laureats-fictif": now, "autre/2024/x": 5})}
    message = removals_message(tables, published)
    assert message is not None
    assert (
        f"1 source(s) perdraient plus de la moitié de leurs lignes (normandie/2024/laureats-fictif : "
        f"{now} ligne(s) acceptée(s) au lieu de 40)"
    ) in message
    assert "--allow-removals" in message


@pytest.mark.parametrize("now", [20, 40, 400])
def test_a_source_keeping_half_its_lines_or_more_publishes(tmp_path: Path, now: int):
    published = _previous(tmp_path, {"normandie/2024/laureats-fictif": 40})
    tables = {"sources": _sources({"normandie/2024/laureats-fictif": now})}
    assert removals_message(tables, published) is None


def test_a_dropped_source_and_a_shrunk_one_are_both_named(tmp_path: Path):
    published = _previous(tmp_path, {"a/2024/fictif": 10, "b/2024/fictif": 10})
    message = removals_message({"sources": _sources({"b/2024/fictif": 2})}, published)
    assert message is not None
    assert "n'y seraient plus (a/2024/fictif)" in message
    assert "b/2024/fictif : 2 ligne(s) acceptée(s) au lieu de 10" in message
