"""The whole Dagster graph, materialized in process on a real local instance and a copy of raw/."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from assets.publication import publish_all
from tests.conftest import FIXTURES, REPO


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One publication of the real sources, shared by the read-only tests of this module."""
    root = tmp_path_factory.mktemp("published-once")
    shutil.copytree(REPO / "raw", root / "raw")
    mp = pytest.MonkeyPatch()
    mp.setenv("MILLE_JOURS_ROOT", str(root))
    mp.setenv("DAGSTER_HOME", str(root / ".dagster"))
    outcome = publish_all(root)
    mp.undo()
    assert outcome.ok, "\n".join(outcome.lines)
    return root / "published"


def read(published: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(published / "data" / f"{table}.csv", dtype=str, keep_default_na=False)


def test_frictionless_cli_finds_the_package_valid(published: Path):
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "frictionless"),
            "validate",
            "--json",
            "datapackage.json",
        ],
        cwd=published,
        capture_output=True,
        text=True,
    )
    report = json.loads(result.stdout)
    assert report["valid"], result.stdout[:2000]
    assert result.returncode == 0
    names = {t["name"] for t in report["tasks"]}
    assert {
        "awards",
        "campaigns",
        "campaign_budgets",
        "sources",
        "funding_by_region_year",
        "beneficiaries",
    } <= names


def test_campaign_figures_from_the_real_sources(published: Path):
    campaigns = read(published, "campaigns").set_index("campaign_id")
    assert campaigns.loc[
        "cvl-2022-aap", ["declared_awards_count", "declared_total_eur"]
    ].tolist() == ["25", "563200.00"]
    assert campaigns.loc[
        "cvl-2023-reconduction", ["declared_awards_count", "declared_total_eur"]
    ].tolist() == ["20", "507363.00"]
    assert campaigns.loc["cvl-2023-reconduction", "kind"] == "renewal"
    assert campaigns.loc["cvl-2021-aap", "declared_awards_count"] == "7"
    assert campaigns.loc["pdl-2022-aap", "envelope_eur"] == "370000.00"
    budgets = read(published, "campaign_budgets")
    pdl = (
        budgets[budgets["campaign_id"] == "pdl-2022-aap"]
        .set_index("funder")["amount_eur"]
        .to_dict()
    )
    assert pdl == {"ARS": "100000.00", "DREETS": "100000.00", "COMMISSAIRE_PAUVRETE": "170000.00"}


def test_every_published_row_traces_to_a_source_with_its_url(published: Path):
    sources = read(published, "sources").set_index("source_id")
    # A search record (table: searches) names the places looked at, not a page: no URL.
    pages = sources[sources["table"] != "searches"]
    assert pages["url"].str.match(r"https?://").all()  # one real source is only over http
    searches = read(published, "coverage")
    searched = searches[searches["status"] == "searched_nothing_found"]
    assert (searched["searched_where"].str.len() > 0).all()
    assert (sources["sha256"].str.len() == 64).all()
    for table in ("awards", "campaigns", "campaign_budgets"):
        assert set(read(published, table)["source_id"]) <= set(sources.index)
    counts = sources[["rows_read", "rows_accepted", "rows_rejected", "rows_skipped"]].astype(int)
    assert (
        counts["rows_read"]
        == counts["rows_accepted"] + counts["rows_rejected"] + counts["rows_skipped"]
    ).all()


def test_named_laureates_have_no_invented_amount(published: Path):
    awards = read(published, "awards")
    assert len(awards) == 6
    assert (awards["amount_eur"] == "").all()
    assert "Association Libreplume (Bayonne)" in set(awards["beneficiary_name"])


def test_package_metadata(published: Path):
    descriptor = json.loads((published / "datapackage.json").read_text())
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    assert descriptor["version"] == "1.0.0"
    for resource in descriptor["resources"]:
        csv = published / resource["path"]
        assert resource["bytes"] == csv.stat().st_size
        assert resource["hash"] == "sha256:" + hashlib.sha256(csv.read_bytes()).hexdigest()
        if resource["format"] == "csv":
            assert any(
                r["path"] == resource["path"].replace(".csv", ".parquet")
                for r in descriptor["resources"]
            )


def test_broken_source_is_kept_aside_and_the_others_still_publish(project: Path):
    shutil.copytree(FIXTURES / "fictif-bretagne-2023", project / "raw" / "bretagne" / "2023")
    (project / "raw" / "bretagne" / "2024").mkdir()
    (project / "raw" / "bretagne" / "2024" / "illisible.yaml").write_text("source: [\n")
    outcome = publish_all(project)
    assert not outcome.ok, "\n".join(outcome.lines)  # published, but not all: exit code 1
    assert outcome.lines[-1] == (
        "Échec, 1 source(s) non publiée(s) dans leur version actuelle : "
        "bretagne/2024/illisible refusée (bad_manifest)"
    )
    published = project / "published"
    rejected = read(published, "rejected_rows")
    fictif = rejected[rejected["source_id"] == "bretagne/2023/laureats-fictifs"]
    assert sorted(fictif["source_row"].astype(int)) == [6, 7, 8, 9]
    assert (fictif["reason"] != "").all() and (fictif["fix"] != "").all()
    awards = read(published, "awards")
    assert len(awards[awards["campaign_id"] == "bre-2023-fictif"]) == 2
    assert (
        len(awards[awards["campaign_id"] != "bre-2023-fictif"]) == 6
    )  # the real sources, untouched
    sources = read(published, "sources").set_index("source_id")
    assert sources.loc["bretagne/2024/illisible", "status"] == "bad_manifest"
    assert "YAML invalide" in sources.loc["bretagne/2024/illisible", "message"]
    assert any("bretagne/2024/illisible : bad_manifest" in line for line in outcome.lines)


def test_second_publication_changes_no_byte(project: Path):
    assert publish_all(project).ok
    first = tree(project / "published")
    assert publish_all(project).ok
    assert tree(project / "published") == first


def test_one_budget_line_announced_by_two_sources_is_kept_once(project: Path):
    folder = project / "raw" / "pays-de-la-loire" / "2021"
    for ext in ("csv", "yaml"):
        shutil.copy(folder / f"enveloppes.{ext}", folder / f"enveloppes-relais.{ext}")
    assert publish_all(project).ok
    published = project / "published"
    budgets = read(published, "campaign_budgets")
    assert len(budgets[budgets["campaign_id"] == "pdl-2021-aap"]) == 3
    rejected = read(published, "rejected_rows")
    assert set(rejected["source_id"]) == {"pays-de-la-loire/2021/enveloppes-relais"}
    assert set(rejected["reason"]) == {
        "déjà annoncé par la source pays-de-la-loire/2021/enveloppes"
    }
    sources = read(published, "sources").set_index("source_id")
    assert sources.loc[
        "pays-de-la-loire/2021/enveloppes-relais", ["rows_accepted", "rows_rejected"]
    ].tolist() == ["0", "3"]


def test_an_unexpected_error_shows_its_traceback_only_when_asked(project: Path):
    """A Dagster instance configuration broken by hand is not a contributor's input: « Erreur inattendue »."""
    (project / ".dagster" / "dagster.yaml").write_text("telemetry: [\n")
    command = [
        str(Path(sys.executable).with_name("mille-jours")),
        "publish",
        "--root",
        str(project),
    ]
    plain = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert plain.returncode == 2 and "Erreur inattendue" in plain.stderr
    assert "Traceback" not in plain.stderr and "--debug" in plain.stderr
    debug = subprocess.run(
        [command[0], "--debug", *command[1:]], capture_output=True, text=True, timeout=120
    )
    assert debug.returncode == 2 and "Traceback (most recent call last)" in debug.stderr
    assert "Erreur inattendue" in debug.stderr
    by_env = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "MILLE_JOURS_DEBUG": "1"},
    )
    assert "Traceback (most recent call last)" in by_env.stderr


def test_a_release_frictionless_refuses_fails_its_check_and_leaves_published(
    project: Path, monkeypatch: pytest.MonkeyPatch
):
    from dagster import AssetCheckKey, AssetKey, DagsterInstance

    from pipelines.publish import package

    assert publish_all(project).ok
    # published/ edited by hand: the next publication must rebuild it (and fails to).
    (project / "published" / "README.md").write_text("changé à la main\n", encoding="utf-8")
    before = tree(project / "published")
    write_csv = package.write_csv

    def with_a_stray_line(
        frame, table, path
    ):  # the CSV writer going wrong, for real frictionless to find
        write_csv(frame, table, path)
        if path.name == "regions.csv":
            with path.open("a", encoding="utf-8") as f:
                f.write("ZZ,Région fictive hors schéma,cellule en trop\n")

    monkeypatch.setattr(package, "write_csv", with_a_stray_line)
    outcome = publish_all(project)
    assert not outcome.ok and any("invalide" in line for line in outcome.lines), outcome.lines
    assert tree(project / "published") == before
    with DagsterInstance.get() as instance:
        check = instance.event_log_storage.get_latest_asset_check_execution_by_key(
            [AssetCheckKey(AssetKey("data_package"), "frictionless_valid")]
        )
        evaluation = check[
            AssetCheckKey(AssetKey("data_package"), "frictionless_valid")
        ].event.dagster_event
    data = evaluation.event_specific_data
    assert not data.passed and data.metadata["num_errors"].value > 0
