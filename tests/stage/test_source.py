"""One source through manifest → reader → layout → normalization → pandera, without Dagster."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.stage.source import stage_source
from tests.conftest import FIXTURES, REPO, add_source

RAW = REPO / "raw"
BROKEN = FIXTURES / "fictif-bretagne-2023"


def test_real_campaign_figures_are_read_as_published():
    staged = stage_source(RAW / "centre-val-de-loire" / "2022" / "campagne.yaml", RAW)
    assert staged.status == "ok"
    assert staged.campaign["declared_awards_count"] == 25
    assert staged.campaign["declared_total_eur"] == 563200.0
    assert staged.campaign["region_code"] == "24"


def test_real_envelopes_are_split_by_funder():
    staged = stage_source(RAW / "pays-de-la-loire" / "2022" / "enveloppes.yaml", RAW)
    assert dict(zip(staged.rows["funder"], staged.rows["amount_eur"])) == {
        "ARS": 100000.0,
        "DREETS": 100000.0,
        "COMMISSAIRE_PAUVRETE": 170000.0,
    }
    assert staged.campaign["envelope_eur"] == 370000.0


def test_laureats_without_published_amount_keep_a_null_amount():
    staged = stage_source(RAW / "bourgogne-franche-comte" / "2021" / "laureats-presse.yaml", RAW)
    assert len(staged.rows) == 4
    assert staged.rows["amount_eur"].isna().all()
    assert sorted(staged.rows["department_code"]) == ["25", "39", "71", "89"]


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(BROKEN, raw / "bretagne" / "2023")
    return raw


def test_broken_source_keeps_every_bad_row_with_its_reason(broken: Path):
    staged = stage_source(broken / "bretagne" / "2023" / "laureats-fictifs.yaml", broken)
    src = staged.source
    assert (src["rows_read"], src["rows_accepted"], src["rows_rejected"], src["rows_skipped"]) == (
        11,
        2,
        4,
        5,
    )
    assert src["rows_read"] == src["rows_accepted"] + src["rows_rejected"] + src["rows_skipped"]
    assert staged.status == "rejected_rows"
    assert sorted(staged.rows["amount_eur"]) == [8000.0, 12500.0]
    assert sorted(staged.rows["department_code"]) == ["29", "35"]

    reasons = {
        int(r.source_row): (r.column, r.value, r.reason) for r in staged.rejects.itertuples()
    }
    assert reasons[6] == ("Montant accordé", "beaucoup", "« beaucoup » n'est pas un montant")
    assert reasons[7][0] == "Département" and "hors de la région 53" in reasons[7][2]
    assert reasons[8][0] == "Porteur du projet" and "obligatoire" in reasons[8][2]
    assert reasons[9] == ("Financeur", "Mécène inconnu", "financeur inconnu « Mécène inconnu »")
    assert staged.rejects["fix"].notna().all()
    kinds = sorted(s.kind for s in staged.skipped)
    assert kinds == ["blank", "blank", "header", "title", "total"]


def test_missing_column_stops_the_source_with_the_fix(tmp_path: Path):
    manifest = (
        (BROKEN / "laureats-fictifs.yaml").read_text().replace("Montant accordé", "Montant voté")
    )
    add_source(
        tmp_path,
        "bretagne",
        2023,
        "fictif",
        (BROKEN / "laureats-fictifs.csv").read_text(),
        manifest,
    )
    staged = stage_source(tmp_path / "raw" / "bretagne" / "2023" / "fictif.yaml", tmp_path / "raw")
    assert staged.status == "unreadable"
    message = staged.source["message"]
    assert "fictif.csv" in message and "'Montant voté'" in message and "ligne 3" in message
    assert "columns.amount_eur" in message and "'Montant accordé'" in message


@pytest.mark.parametrize(
    ("manifest", "expected"),
    [
        ("region: 24\nyear: [2022\n", "YAML invalide"),
        ("- a list\n", "dictionnaire"),
        (
            (BROKEN / "laureats-fictifs.yaml")
            .read_text()
            .replace("region: Bretagne", "region: Atlantide"),
            "région inconnue 'Atlantide'",
        ),
        (
            (BROKEN / "laureats-fictifs.yaml")
            .read_text()
            .replace("table: awards", "table: awards\ncolonnes: {}"),
            "colonnes : clé inconnue",
        ),
        (
            (BROKEN / "laureats-fictifs.yaml").read_text().replace("  retrieved: 2026-01-15\n", ""),
            "source.retrieved : clé obligatoire absente",
        ),
    ],
)
def test_bad_manifest_is_reported_not_raised(tmp_path: Path, manifest: str, expected: str):
    add_source(tmp_path, "bretagne", 2023, "fictif", "a;b\n1;2\n", manifest)
    staged = stage_source(tmp_path / "raw" / "bretagne" / "2023" / "fictif.yaml", tmp_path / "raw")
    assert staged.status == "bad_manifest"
    assert expected in staged.source["message"]
    assert "fictif.yaml" in staged.source["message"]


def test_unreadable_encoding_and_empty_file(tmp_path: Path):
    manifest = (
        (BROKEN / "laureats-fictifs.yaml")
        .read_text()
        .replace("table: awards", "table: awards\nread:\n  encoding: utf-8")
    )
    add_source(
        tmp_path,
        "bretagne",
        2023,
        "latin",
        "Porteur du projet;Montant\nCrèche fictive;1 €\n".encode("cp1252"),
        manifest,
    )
    staged = stage_source(tmp_path / "raw" / "bretagne" / "2023" / "latin.yaml", tmp_path / "raw")
    assert staged.status == "unreadable" and "n'est pas en utf-8" in staged.source["message"]

    add_source(
        tmp_path, "bretagne", 2023, "vide", "", (BROKEN / "laureats-fictifs.yaml").read_text()
    )
    staged = stage_source(tmp_path / "raw" / "bretagne" / "2023" / "vide.yaml", tmp_path / "raw")
    assert staged.status == "unreadable" and "fichier vide" in staged.source["message"]


@pytest.mark.parametrize(
    ("replace", "expected"),
    [
        (
            ("funder: Financeur", "funder: Financeur\ndefaults:\n  department: Paris"),
            "defaults.department_code",
        ),
        (
            (
                "  funder: Financeur\n  amount_eur: Montant accordé\n",
                "  amount_eur_by_funder: {ARS: Montant accordé, FIR: Financeur}\n",
            ),
            "désignent le même financeur (ARS)",
        ),
        (
            ("table: awards", "table: awards\nread:\n  skip_rows_matching: ['(']"),
            "expression régulière invalide",
        ),
    ],
)
def test_manifest_values_the_schema_cannot_judge_are_refused_clearly(
    tmp_path: Path, replace, expected
):
    manifest = (BROKEN / "laureats-fictifs.yaml").read_text().replace(*replace)
    add_source(
        tmp_path,
        "bretagne",
        2023,
        "fictif",
        (BROKEN / "laureats-fictifs.csv").read_text(),
        manifest,
    )
    staged = stage_source(tmp_path / "raw" / "bretagne" / "2023" / "fictif.yaml", tmp_path / "raw")
    assert staged.status == "bad_manifest"
    assert expected in staged.source["message"]


def test_consolidation_without_any_award_line():
    from pipelines.consolidate.tables import consolidate

    result = consolidate([stage_source(RAW / "pays-de-la-loire" / "2022" / "enveloppes.yaml", RAW)])
    funding = result.tables["funding_by_region_year"]
    assert funding["published_lines_count"].tolist() == [0, 0, 0]
    assert funding["envelope_eur"].sum() == 370000.0
