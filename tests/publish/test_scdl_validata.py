"""The file named after SCDL « Subventions » holds only rows Validata itself accepts.

Validata (validata-table, pinned in requirements-validata.lock) lives in its own environment,
.venv-validata, built by `make test`; it validates against the local 2.1.1 schema, without network.
The complete rows below (« Association fictive… », made-up SIRET numbers with a valid key) are
fictitious.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from pipelines.publish import scdl
from tests.conftest import REPO

VALIDATA = REPO / ".venv-validata" / "bin" / "python"
RUN = """
import json, sys
import validata_core
report = validata_core.validate(sys.argv[1], sys.argv[2]).to_dict()
print(json.dumps({"valid": report["valid"],
                  "errors": [[e.get("rowNumber"), e.get("fieldName"), e["type"]] for e in report["errors"]]}))
"""


def validata(csv_path: Path) -> dict:
    if not VALIDATA.exists():
        if os.environ.get("CI"):
            pytest.fail(
                "Validata absent : `make test` doit créer .venv-validata (requirements-validata.lock)"
            )
        pytest.skip("Validata absent : lancer `make .venv-validata/.installed`")
    result = subprocess.run(
        [str(VALIDATA), "-c", RUN, str(csv_path), str(scdl.SPEC_PATH)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "REQUESTS_CA_BUNDLE": "", "NO_PROXY": "*"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_published_scdl_file_passes_validata(published_package: Path) -> None:
    report = validata(published_package / scdl.PATH)
    assert report == {"valid": True, "errors": []}
    # …and the partial export is indeed refused by it (it says so in its title).
    assert not validata(published_package / scdl.PARTIAL_PATH)["valid"]


def _complete(**cells) -> dict:
    row = {
        "nomAttribuant": "Agence régionale de santé fictive",
        "idAttribuant": "73282932000074",
        "dateConvention": "2030-03-01",
        "referenceDecision": None,
        "nomBeneficiaire": "Association fictive des tests",
        "idBeneficiaire": "73282932000074",
        "rnaBeneficiaire": None,
        "objet": "Projet fictif",
        "montant": 12500.0,
        "nature": "aide en numéraire",
        "conditionsVersement": "unique",
        "datesPeriodeVersement": "2030-04-01",
        "idRAE": None,
        "notificationUE": False,
        "pourcentageSubvention": 1.0,
        "dispositifAide": None,
    }
    return {**row, **cells}


def test_split_agrees_with_validata_row_by_row(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        [
            _complete(),
            _complete(idBeneficiaire="73282932000075"),  # wrong SIRET key
            _complete(idBeneficiaire=None),  # neither SIRET nor RNA
            _complete(
                rnaBeneficiaire="W123456789", idBeneficiaire=None, objet="Autre projet fictif"
            ),
            _complete(dateConvention=None),  # a required field left empty
            _complete(pourcentageSubvention=None),  # no share without a source
            _complete(datesPeriodeVersement="avril 2030"),  # complete, but off the schema's pattern
        ],
        columns=scdl.columns(),
    ).astype({f["name"]: scdl._dtype(f) for f in scdl.spec_schema()["fields"]})
    conform, partial = scdl.split_export(frame)
    assert (
        conform["objet"].tolist() == ["Projet fictif", "Autre projet fictif"] and len(partial) == 5
    )

    for rows, name in ((conform, "conforme.csv"), (partial, "partiel.csv"), (frame, "tout.csv")):
        scdl.csv_frame(rows).to_csv(
            tmp_path / name, index=False, encoding="utf-8", lineterminator="\n"
        )
    assert validata(tmp_path / "conforme.csv") == {"valid": True, "errors": []}
    refused = {row for row, _, _ in validata(tmp_path / "tout.csv")["errors"]}
    assert refused == {
        3,
        4,
        6,
        7,
        8,
    }  # file rows (header = 1): exactly the rows the split set aside
    assert {row for row, _, _ in validata(tmp_path / "partiel.csv")["errors"]} == {2, 3, 4, 5, 6}
