"""A list over several campaign years (`columns: {year: Année}`): each line is published under the
campaign of its own year, the manifest's `campaign.id` and title with that year written in their year's
place (`normandie-2025-aap` → `normandie-2023-aap`).

The manifest's `year` stays the folder's (raw/<région>/<année>/): the year the file was published, so
no line may be of a later campaign. A line whose year is empty, not a year, a period over two years
(« 2023-2024 ») or outside 2020…year is rejected with its reason: never filed under `year`.
The manifest's `declared` figures are the whole file's: reconciled against all its lines
(`StagedSource.reconciliation`), they are no one campaign's and stay off the per-year campaigns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from pipelines.common.problems import Problem, SourceError
from pipelines.common.years import campaign_of_year, id_with_year, id_year
from pipelines.read.layout import ROW
from pipelines.read.manifest import Manifest
from pipelines.stage.fields import fix_for
from pipelines.stage.staged import campaign_record
from schemas.fields import YEAR_MIN

KEY = "columns.year"
# What the manifest announces for the whole file, not for any one of its campaigns.
_WHOLE_FILE = (
    "declared_awards_count",
    "declared_awards_qualifier",
    "declared_total_eur",
    "declared_total_qualifier",
    "declared_funder",
)


def by_line_year(manifest: Manifest) -> bool:
    """The file gives each line its campaign year."""
    return manifest.table == "awards" and "year" in manifest.mapped_columns


def check_year_column(manifest: Manifest, path: Path) -> None:
    """With a year column, the campaign id must hold the year to replace; and what belongs to one
    campaign only (its envelope, its deadline) cannot be said of all."""
    if not by_line_year(manifest):
        return
    c = manifest.campaign
    if id_year(c.id) is None:
        example = id_with_year(c.id, manifest.year)
        raise SourceError(
            path,
            f"campaign.id « {c.id} » ne contient pas une année (une seule) : avec {KEY}, chaque "
            "ligne est publiée sous la campagne de son année, dont l'identifiant est campaign.id "
            "avec l'année de la ligne à la place de la sienne",
            place="clé campaign.id",
            status="bad_manifest",
            fix=f"écrire l'année dans l'identifiant, une fois : campaign.id: {example} (les lignes "
            f"de {manifest.year - 1} iront sous {campaign_of_year(example, '', manifest.year - 1)[0]})",
        )
    for key, value in (
        ("campaign.envelope_eur", c.envelope_eur),
        ("campaign.application_deadline", c.application_deadline),
    ):
        if value is not None:
            raise SourceError(
                path,
                f"{key} ne vaut que pour une campagne, alors que {KEY} répartit les lignes entre "
                "les campagnes de leurs années",
                place=f"clé {key}",
                status="bad_manifest",
                fix=f"retirer {key} ; le donner dans un fichier table: campaigns rangé sous "
                "l'année de sa campagne",
            )


def line_years(
    records: pd.DataFrame,
    frame: pd.DataFrame,
    columns: dict[str, str],
    manifest: Manifest,
    problems: list[Problem],
) -> tuple[pd.DataFrame, list[Problem], set[int]]:
    """Each line's campaign from its year. Returns the records, the problems so far with those of
    the year in row order, and the rows without a year of their own (rejected)."""
    if not by_line_year(manifest):
        return records, problems, set()
    header = manifest.mapped_columns["year"]
    cells = dict(zip(frame[ROW].tolist(), frame[columns["year"]].tolist()))
    unreadable = {p.row for p in problems if p.column == header}  # said by the year's parser
    found: list[Problem] = []
    no_year: set[int] = set()
    kept: set[int] = set()
    for row, year in (
        records[["source_row", "year"]].drop_duplicates("source_row").itertuples(index=False)
    ):
        row = int(row)
        if pd.isna(year):
            no_year.add(row)
            if row not in unreadable:
                found.append(_problem(row, header, None, _absent()))
        elif not YEAR_MIN <= int(year) <= manifest.year:
            no_year.add(row)
            found.append(_problem(row, header, cells.get(row), _out_of_range(int(year), manifest)))
        else:
            kept.add(int(year))
    ids = {y: campaign_of_year(manifest.campaign.id, manifest.campaign.title, y)[0] for y in kept}
    valid = ~records["source_row"].isin(no_year)
    campaign = records["year"].where(valid).map(ids)
    records = records.assign(campaign_id=pd.Series(campaign, dtype="str", index=records.index))
    merged = sorted(problems + found, key=lambda p: -1 if p.row is None else p.row)
    return records, merged, no_year


def _problem(row: int, header: str, value: Any, why: tuple[str, str]) -> Problem:
    return Problem(row, None, header, None if value is None else str(value), *why)


def _absent() -> tuple[str, str]:
    return "année de la campagne absente", fix_for("year")


def _out_of_range(year: int, manifest: Manifest) -> tuple[str, str]:
    if year > manifest.year:
        return (
            f"année {year} après l'année du dossier (year: {manifest.year}, celle de la publication "
            f"du fichier) : une liste publiée en {manifest.year} ne nomme pas les lauréats d'une "
            f"campagne {year}",
            f"vérifier l'année de cette ligne ; si le fichier a été publié en {year} ou après, le "
            f"ranger sous raw/<région>/{year}/ avec year: {year}",
        )
    return (
        f"année {year} avant les premières campagnes du programme ({YEAR_MIN})",
        fix_for("year"),
    )


def without_year_echoes(
    more: list[Problem], no_year: set[int], manifest: Manifest
) -> list[Problem]:
    """The schema's own word on a line already rejected for its year (year or campaign empty): the
    line's reason is said once."""
    if not no_year:
        return more
    echoes = (manifest.mapped_columns["year"], "campaign_id")
    return [p for p in more if not (p.row in no_year and p.column in echoes)]


def year_campaigns(
    manifest: Manifest, source_id: str, accepted: pd.DataFrame
) -> list[dict[str, Any]] | None:
    """One campaign per year of the accepted lines; None when the manifest's campaign is the file's."""
    if not by_line_year(manifest):
        return None
    base = campaign_record(manifest, source_id)
    out = []
    for year in sorted({int(y) for y in accepted["year"].dropna()}):
        cid, title = campaign_of_year(manifest.campaign.id, manifest.campaign.title, year)
        out.append(
            {**base, "campaign_id": cid, "title": title, "year": year} | dict.fromkeys(_WHOLE_FILE)
        )
    return out
