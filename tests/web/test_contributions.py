"""Contributions kept on the server: names as raw/ spells them, expiry, unguessable ids (fictitious files)."""

from __future__ import annotations

import os
import time

import pytest

from pipelines.web import contributions as store
from pipelines.web.contributions import ContributionError
from tests.fictif import csv_fictif


@pytest.mark.parametrize(
    ("uploaded", "expected"),
    [
        ("Lauréats 2024.csv", ("laureats-2024", "csv")),
        ("../../etc/Liste.XLSX", ("liste", "xlsx")),
        ("C:\\Users\\agent\\Liste ARS.pdf", ("liste-ars", "pdf")),
        ("liste\x00\u202e.csv", ("liste", "csv")),
    ],
)
def test_a_file_name_is_its_last_part_spelled_as_raw_spells_it(uploaded, expected):
    assert store.file_name(uploaded) == expected


@pytest.mark.parametrize("uploaded", ["liste", "liste.exe", "....csv", "\u200b.csv"])
def test_a_name_that_cannot_be_a_source_is_refused_in_french(uploaded):
    with pytest.raises(
        ContributionError, match=r"Type de fichier non lu|Nom de fichier inutilisable"
    ):
        store.file_name(uploaded)


def test_a_contribution_lives_under_an_unguessable_id_and_expires_after_a_day(tmp_path):
    first = store.create(tmp_path, "liste.csv", csv_fictif(), "28", 2024)
    second = store.create(tmp_path, "liste.csv", csv_fictif(), "28", 2024)
    assert first.id != second.id and len(first.id) >= 24
    assert store.load(tmp_path, first.id).name == "liste"
    with pytest.raises(ContributionError, match="Contribution introuvable"):
        store.load(tmp_path, "../" + first.id)
    day_old = time.time() - 25 * 3600
    os.utime(tmp_path / first.id / "contribution.json", (day_old, day_old))
    store.expire(tmp_path)
    assert not (tmp_path / first.id).exists()
    assert (tmp_path / second.id).exists()


def test_a_file_over_the_limit_is_refused_before_it_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("MILLE_JOURS_UPLOAD_MB", "1")
    with pytest.raises(ContributionError, match=r"Fichier trop gros \(2 Mo, au plus 1 Mo\)"):
        store.create(tmp_path, "liste.csv", b"x" * (2 * 1024 * 1024), "28", 2024)
    assert list(tmp_path.iterdir()) == []
