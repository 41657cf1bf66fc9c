"""A consolidated table's row that fails its schema, traced to the source it came from.

That source is held back with the reason, as a source with personal data is, and the tables are
built again without it: one list never stops the release of every region. Only a failure no source
explains (a reference table, a computed total) still stops the publication.
"""

from __future__ import annotations

from pathlib import PurePosixPath

import pandas as pd
import pandera.errors as pa_errors

from pipelines.common.personal import excerpt
from pipelines.common.problems import SourceError
from pipelines.stage.staged import StagedSource

HELD_BACK_FIX = (
    "corriger la ligne dans le fichier ou le manifeste, puis vérifier avec `mille-jours validate` "
    "et `mille-jours publish`"
)


def failing_sources(exc: pa_errors.SchemaErrors, staged: list[StagedSource]) -> dict[str, str]:
    """source id → why its rows fail the schema of the table that raised `exc` (its first failure)."""
    frame, name = exc.data, str(exc.schema.name)
    reasons: dict[str, str] = {}
    if not isinstance(frame, pd.DataFrame):
        return reasons
    for case in exc.failure_cases.itertuples(index=False):
        index = getattr(case, "index", None)
        if index is None or pd.isna(index) or index not in frame.index:
            continue  # a failure of the whole column or table: no row to trace
        column = case.column if isinstance(case.column, str) else "ligne"
        reason = (
            f"la table {name} refuse une de ses lignes (colonne {column}, "
            f"« {excerpt(case.failure_case, 60)} » : {excerpt(case.check, 80)})"
        )
        for source_id in _sources_of(frame.loc[index], staged):
            reasons.setdefault(source_id, reason)
    return reasons


def _sources_of(row: pd.Series, staged: list[StagedSource]) -> list[str]:
    """The sources a row comes from: its own column, or those that name its beneficiary."""
    if "source_id" in row.index and isinstance(row["source_id"], str):
        return [row["source_id"]]
    name = row.get("beneficiary_name")
    if not isinstance(name, str):
        return []
    return [
        s.source_id
        for s in staged
        if "beneficiary_name" in s.rows.columns and (s.rows["beneficiary_name"] == name).any()
    ]


def hold_back(staged: list[StagedSource], reasons: dict[str, str]) -> list[str]:
    """The sources named in `reasons` refused with their reason; one warning each."""
    held = []
    for s in staged:
        reason = reasons.get(s.source_id)
        if reason is None:
            continue
        error = SourceError(
            str(PurePosixPath(s.source["path"]).with_suffix(".yaml")),
            f"{reason} : source non publiée, les autres le sont",
            status="refused",
            fix=HELD_BACK_FIX,
        )
        s.error = error
        s.source = {**s.source, "status": "refused", "message": error.describe()}
        held.append(f"{s.source_id} : {error.message}")
    return held
