"""An export from démarches-simplifiées: one row per dossier, with its state and the applicants'
personal details. Only accepted dossiers are kept; unmapped columns never leave the file."""

from __future__ import annotations

import re

import pandas as pd

from tests.fixtures_gen import (
    counts,
    ds_export_rows,
    ds_manifest,
    fake_siret,
    file_bytes,
    kinds,
    write_ds_export,
)

PERSONAL = re.compile(r"@|06 12 34|Nomfictif|Prénomfictif|instructeur|Mme|M\.")


def test_only_accepted_dossiers_are_kept(stage):
    staged = stage("export-ds-fictif", file_bytes(write_ds_export, ".csv"), ds_manifest())

    # 9 dossiers: accepted 1, 5, 6, 9; dossier 6 carries a wrong SIRET and is rejected.
    assert counts(staged) == (10, 3, 1, 6)
    assert kinds(staged) == {"header": 1, "filtered": 5}
    filtered = [s for s in staged.skipped if s.kind == "filtered"]
    assert [s.row for s in filtered] == [3, 4, 5, 8, 9]
    assert filtered[0].reason == "écartée par le filtre (État du dossier = 'refusé')"
    rows = staged.rows
    assert rows["beneficiary_name"].tolist() == [
        "Association fictive DS 1",
        "Association fictive DS 5",
        "Association fictive DS 9",
    ]
    assert rows["beneficiary_siret"].tolist() == [fake_siret(1), fake_siret(5), fake_siret(9)]
    assert rows["amount_eur"].tolist() == [5000.0, 9000.0, 13000.0]
    assert rows["department_code"].tolist() == ["35", "35", "35"]
    [reject] = staged.rejects.to_dict("records")
    assert (reject["source_row"], reject["column"], reject["value"]) == (
        7,
        "SIRET",
        "99900006000010",
    )


def test_personal_details_never_reach_the_rows_or_the_rejects(stage):
    staged = stage("export-ds-fictif", file_bytes(write_ds_export, ".csv"), ds_manifest())
    assert any(PERSONAL.search(c) for row in ds_export_rows() for c in row)  # they are in the file…
    for frame in (staged.rows, staged.rejects):
        cells = [str(v) for v in frame.to_numpy().ravel() if not pd.isna(v)]
        assert cells, "nothing to look at"
        assert not [c for c in cells if PERSONAL.search(c)]  # …and nowhere else
    skipped_text = " ".join(s.text for s in staged.skipped if s.kind == "filtered")
    assert not PERSONAL.search(skipped_text)
