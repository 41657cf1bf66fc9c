"""A region not yet in raw/ adds its list as published, without writing code, up to the release.

The list is fictitious (tests/fictif.py): a messy Normandie file with title lines, French amounts
and a TOTAL line. The steps are the contributor guide's (raw/README.md).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from assets.cli import main
from assets.publication import publish_all
from tests.conftest import REPO
from tests.fictif import TOTAL_FICTIF, complete_as_contributor, csv_fictif, xlsx_fictif

SOURCE_ID = "normandie/2024/laureats-fictifs"
EXPECTED = {  # beneficiary → (department, amount), as the fictitious file writes them
    "Association Fictive des Jeunes Parents": ("14", 12500.0),
    "Crèche Imaginaire du Bocage": ("50", 8000.0),
    "Centre Social Inventé": ("76", 1234.5),
    "Maison Fictive de la Parentalité": ("61", 20000.0),
}


def cli(*args: str | Path):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def published(root: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(root / "published" / "data" / f"{table}.csv", dtype=str)


def assert_released(root: Path) -> None:
    outcome = publish_all(root)
    assert outcome.ok, outcome.lines
    awards = published(root, "awards")
    mine = awards[awards["source_id"] == SOURCE_ID]
    got = {r.beneficiary_name: (r.department_code, float(r.amount_eur)) for r in mine.itertuples()}
    assert got == EXPECTED
    assert set(mine["campaign_id"]) == {"normandie-2024-aap"} and set(mine["region_code"]) == {"28"}
    assert set(mine["funder"]) == {"NC"}
    sources = published(root, "sources").set_index("source_id")
    assert sources.loc[SOURCE_ID, "status"] == "ok"
    assert sources.loc[SOURCE_ID, "publisher"] == "ARS Normandie (éditeur fictif)"
    campaigns = published(root, "campaigns").set_index("campaign_id")
    assert float(campaigns.loc["normandie-2024-aap", "declared_total_eur"]) == TOTAL_FICTIF
    # The real sources are released beside it.
    assert (awards["source_id"] == "pays-de-la-loire/2021/laureats-presse").sum() == 1


def test_new_region_from_a_messy_csv_to_the_release(project: Path):
    assert not (
        REPO / "raw" / "normandie" / "2024"
    ).exists()  # a year the project does not know yet
    folder = project / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    data = folder / "laureats-fictifs.csv"
    data.write_bytes(csv_fictif())

    drafted = cli("new-source", data, "--region", "Normandie", "--year", "2024")
    assert drafted.exit_code == 0, drafted.output
    manifest = data.with_suffix(".yaml")

    # Before the placeholders are filled: validate refuses, and the pipeline holds the source back.
    assert cli("validate", manifest).exit_code == 2
    held = publish_all(project)
    assert not held.ok and f"{SOURCE_ID} refusée (bad_manifest)" in held.lines[-1], held.lines
    sources = published(project, "sources").set_index("source_id")
    assert sources.loc[SOURCE_ID, "status"] == "bad_manifest"
    assert "manifeste pas encore complété" in sources.loc[SOURCE_ID, "message"]
    assert pd.isna(sources.loc[SOURCE_ID, "publisher"])  # no placeholder is ever published
    assert SOURCE_ID not in set(published(project, "awards")["source_id"])

    complete_as_contributor(manifest, awards_count=4)
    checked = cli("validate", folder)
    assert checked.exit_code == 0, checked.output
    assert "normandie/2024/laureats-fictifs — ACCEPTÉE" in checked.stdout
    assert_released(project)


def test_new_region_from_a_spreadsheet_to_the_release(project: Path):
    pytest.importorskip(
        "pipelines.read.readers.xlsx", reason="le lecteur XLSX n'est pas encore sur cette branche"
    )
    folder = project / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    data = xlsx_fictif(folder / "laureats-fictifs.xlsx")

    drafted = cli("new-source", data, "--region", "28", "--year", "2024")
    assert drafted.exit_code == 0, drafted.output
    manifest = data.with_suffix(".yaml")
    assert "header_row: 4" in manifest.read_text(encoding="utf-8")
    complete_as_contributor(manifest, awards_count=4)
    checked = cli("validate", manifest)
    assert checked.exit_code == 0, checked.output
    assert_released(project)


def test_the_guide_example_prints_what_the_guide_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """raw/README.md's worked example (fictitious), replayed: the guide must not lie to contributors."""
    guide = (REPO / "raw" / "README.md").read_text(encoding="utf-8")
    example = guide.split("## Exemple complet", 1)[1].split("## Toutes les clés", 1)[0]
    table, drafted, manifest_text, first, _corrections, second = re.findall(
        r"```\w*\n(.*?)```", example, re.S
    )

    def printed(block: str) -> str:  # the block without its "$ command" line
        return "".join(block.splitlines(keepends=True)[1:])

    def shown(
        output: str,
    ) -> str:  # thousands are set with a narrow no-break space, the guide with a space
        return output.replace("\u202f", " ")

    monkeypatch.chdir(tmp_path)
    folder = Path("raw/normandie/2024")
    folder.mkdir(parents=True)
    data = folder / "laureats.csv"
    data.write_bytes(table.replace("\n", "\r\n").encode("cp1252"))
    result = cli("new-source", data, "--region", "Normandie", "--year", "2024")
    assert result.stdout == printed(drafted)
    manifest = data.with_suffix(".yaml")
    today = dt.date.today().isoformat()
    assert manifest.read_text(encoding="utf-8").replace(today, "2026-11-22") == manifest_text

    result = cli("validate", "raw/normandie/2024/")
    assert (result.exit_code, shown(result.stdout)) == (2, printed(first))

    # The corrections the guide lists, made as a contributor would.
    data.write_bytes(
        table.replace("directrice@creche-exemple.fr", "")
        .replace("à préciser", "")
        .replace("\n", "\r\n")
        .encode("cp1252")
    )
    text = manifest.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^  publisher: .*$", "  publisher: ARS Normandie", text)
    text = re.sub(
        r"(?m)^  url: .*$", "  url: https://www.normandie.ars.sante.fr/exemple-laureats-2024", text
    )
    text = re.sub(r"(?m)^  retrieved: .*$", "  retrieved: 2026-11-20", text)
    text = re.sub(r"(?m)^  funder: NC .*$", "  funder: ARS", text)
    text = re.sub(
        r"(?ms)^# declared:.*?\n# partial",
        "declared:\n  awards_count: 5   # « 5 projets retenus » "
        "(communiqué de l'ARS)\n  total_amount_eur: 41734.50   # ligne TOTAL du fichier\n# partial",
        text,
    )
    manifest.write_text(text, encoding="utf-8")
    result = cli("validate", "raw/normandie/2024/")
    assert (result.exit_code, shown(result.stdout)) == (0, printed(second))
