"""A search record staged as a source of its own kind: no file read, one row per region × year
searched in vain (pipelines/read/search_record.py), for the `coverage` table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines.common.problems import SourceError
from pipelines.read.manifest import data_paths_for
from pipelines.read.search_record import load_search_record
from pipelines.stage.staged import StagedSource, empty_rejects, source_record
from schemas.vocabularies import SEARCH_KIND

# One row per region × year searched in vain: what the coverage table reads.
SEARCH_COLUMNS = ("region_code", "year", "searched_on", "searched_where", "source_id")


def stage_search(manifest_path: Path, raw_root: Path, source_id: str) -> StagedSource:
    """The record checked; its `sources` row names the record itself (path, SHA-256), no URL."""
    record = load_search_record(manifest_path)
    beside = data_paths_for(manifest_path)
    if beside:
        raise SourceError(
            beside[0],
            "un relevé de recherche (table: searches) dit qu'on n'a rien trouvé : il ne décrit "
            "aucun fichier de données",
            fix="donner au fichier son propre manifeste (table: awards, campaigns…) sous un autre "
            "nom, ou retirer le fichier",
        )
    where = " ; ".join(record.where)
    rows = pd.DataFrame(
        [
            (cell.region, year, record.searched.isoformat(), where, source_id)
            for cell in record.nothing_found
            for year in cell.year_list
        ],
        columns=list(SEARCH_COLUMNS),
    ).drop_duplicates(["region_code", "year"])
    row = source_record(source_id, manifest_path, raw_root, None, None)
    row.update(table=SEARCH_KIND, retrieved=record.searched.isoformat(), note=record.note)
    return StagedSource(source_id, row, None, SEARCH_KIND, rows, empty_rejects())
