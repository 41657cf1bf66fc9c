"""An amount in a cell merged over two rows or two funders' columns is read once, never once per
covered cell, and the reading stays in doubt until the manifest confirms it.

Every file here is fictitious (tests/stage/groupes_fictifs.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from assets.cli import main
from pipelines.common.doubts import DOUBT_CODES
from pipelines.stage.source import stage_source
from tests.fictif import complete_as_contributor
from tests.stage import groupes_fictifs as g


def _validate(path: Path) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["validate", "--format", "json", str(path)])
    assert "Traceback" not in result.output
    return result.exit_code, json.loads(result.stdout)


@pytest.mark.parametrize(
    ("across", "lines", "total", "where"),
    [
        (
            "rows",
            [
                (g.PARTENAIRES[0][0], "NC", 15000.0),
                (g.PARTENAIRES[1][0], "NC", None),
                (g.PARTENAIRES[2][0], "NC", 4000.0),
            ],
            19000,
            "les lignes 2 à 3",
        ),
        (
            "funders",
            [
                (g.PARTENAIRES[0][0], "ARS", 9000.0),
                (g.PARTENAIRES[2][0], "ARS", 4000.0),
                (g.PARTENAIRES[2][0], "DREETS", 1000.0),
            ],
            14000,
            "les colonnes « Montant ARS » et « Montant DREETS »",
        ),
    ],
)
def test_a_merged_amount_is_read_once_and_in_doubt(
    tmp_path: Path, across: str, lines: list, total: float, where: str
):
    folder = tmp_path / "raw" / "normandie" / "2024"
    folder.mkdir(parents=True)
    path = g.amount_merged_xlsx(folder / f"montant-fusionne-{across}.xlsx", across=across)
    drafted = CliRunner().invoke(
        main, ["new-source", str(path), "--region", "28", "--year", "2024"]
    )
    assert drafted.exit_code == 0 and "DOUTE" in drafted.output
    manifest = path.with_suffix(".yaml")
    complete_as_contributor(manifest)
    code, report = _validate(path)
    (found,) = [p for p in report["sources"][0]["problems"] if p["code"] in DOUBT_CODES]
    assert found["code"] == "merged_amount" and where in found["message"]
    assert "compté 2 fois" in found["message"]
    assert code == 1
    assert report["sources"][0]["computed"]["total_eur"] == total  # never counted twice
    staged = stage_source(manifest, tmp_path / "raw")
    got = [
        (n, f, None if pd.isna(a) else float(a))
        for n, f, a in staged.rows[["beneficiary_name", "funder", "amount_eur"]].itertuples(
            index=False
        )
    ]
    assert got == lines
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + "confirmed: [merged_amount]\n", encoding="utf-8"
    )
    assert _validate(path)[0] == 0
