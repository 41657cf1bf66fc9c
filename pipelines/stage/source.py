"""One raw source, end to end without Dagster: manifest → reader → layout → normalize → pandera.

`stage_source` never raises for bad input: an unreadable file or a bad manifest gives a
`StagedSource` with that status and a message naming the file, the place and the fix, so the
other sources still flow. It reads in the calling process: `assets/workers.py` runs it in worker
processes under memory and time limits, for the Dagster assets and `mille-jours validate` alike.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa

from pipelines.common.personal import excerpt
from pipelines.common.problems import Problem, SourceError
from pipelines.common.values import funder_code
from pipelines.read.discovery import RawSource
from pipelines.read.files import check_file
from pipelines.read.layout import (
    PLACE,
    ROW,
    RawTable,
    SkippedRow,
    build_table,
)
from pipelines.read.manifest import (
    DEFAULT_SKIP,
    EXTENSIONS,
    Manifest,
    data_path_for,
)
from pipelines.read.manifest_file import load_manifest
from pipelines.read.positions import named_by_position
from pipelines.read.readers import reader_for
from pipelines.read.readers.grid import merged_ranges, read_method
from pipelines.read.search_record import is_search_record
from pipelines.read.table_columns import column_for
from pipelines.read.workbook import build_sheets_table
from pipelines.stage.columns import canonical_records
from pipelines.stage.doubts import doubts
from pipelines.stage.doubts_hidden import check_unread_columns
from pipelines.stage.extra_fields import mend_extra_fields
from pipelines.stage.fields import (
    check_manifest_values,
    check_provenance,
    manifest_warnings,
)
from pipelines.stage.groups import Read, project_rows, read_groups
from pipelines.stage.lines import apply_filter, second_files, strip_controls, unmatched_items
from pipelines.stage.merged import read_once
from pipelines.stage.page_breaks import page_break_rows
from pipelines.stage.personal_data import personal_data_in_name
from pipelines.stage.personal_file import personal_outside
from pipelines.stage.quality import quality_warnings
from pipelines.stage.search import stage_search
from pipelines.stage.staged import (
    StagedSource,
    campaign_record,
    empty_rejects,
    failed_source,
    source_id_for,
    source_record,
)
from pipelines.stage.totals import ocr_warnings, total_warnings
from pipelines.stage.validation import pandera_problems, typed_empty
from pipelines.stage.years import (
    check_year_column,
    line_years,
    without_year_echoes,
    year_campaigns,
)
from schemas.tables import REJECTED_ROWS, SOURCE_TABLES
from schemas.to_pandera import staging_schema_for, staging_schema_without

# Columns derived at consolidation, absent from a staged source.
CONSOLIDATION_COLUMNS = ("award_id", "beneficiary_id", "year_qualifier")


def stopped_source(manifest_path: Path, raw_root: Path, reason: str, fix: str) -> StagedSource:
    """The `sources` row of a source whose reading was stopped before it ended (`reason`, in French)."""
    data_path = data_path_for(manifest_path)
    fmt = EXTENSIONS[data_path.suffix.lower().lstrip(".")] if data_path else None
    error = SourceError(data_path or manifest_path, reason, fix=fix)
    return failed_source(
        source_id_for(manifest_path, raw_root), data_path, raw_root, None, fmt, error
    )


def refused_source(source: RawSource, raw_root: Path) -> StagedSource:
    """The `sources` row of a source refused before reading (`discovery`: misplaced, or named like
    another): never read, never skipped without a word."""
    assert source.refusal is not None
    reason, fix = source.refusal
    fmt = EXTENSIONS[source.data.suffix.lower().lstrip(".")] if source.data else None
    error = SourceError(source.manifest, reason, fix=fix, status="refused")
    source_id = source_id_for(source.manifest, raw_root)
    return failed_source(source_id, source.data, raw_root, None, fmt, error)


def preload(manifest_path: Path) -> None:
    """Load what reading this source needs (its format's reader, pandera's validation), so that a
    process forked afterwards starts with it. Best effort: the reading reports any real failure."""
    data_path = data_path_for(manifest_path)
    try:
        fmt = EXTENSIONS.get(data_path.suffix.lower().lstrip(".")) if data_path else None
        if fmt:
            reader_for(fmt)
        _validation_backends()
    except Exception:
        pass


@functools.cache
def _validation_backends() -> None:
    for name in SOURCE_TABLES:
        schema = staging_schema_for(name, CONSOLIDATION_COLUMNS)
        schema.validate(typed_empty(schema))


def stage_source(manifest_path: Path, raw_root: Path) -> StagedSource:
    """Read, normalize and validate one source. Never raises for bad input (a MemoryError aside: the
    caller that set a memory ceiling says so)."""
    source_id = source_id_for(manifest_path, raw_root)
    manifest: Manifest | None = None
    data_path: Path | None = data_path_for(manifest_path)
    # Known from the extension even when the manifest is refused: the `sources` row requires it.
    fmt: str | None = EXTENSIONS[data_path.suffix.lower().lstrip(".")] if data_path else None
    try:
        check_file(manifest_path, "manifeste", raw_root)
        if is_search_record(manifest_path):  # nothing public found: no file to read
            return stage_search(manifest_path, raw_root, source_id)
        manifest = load_manifest(manifest_path)
        if data_path is None:
            raise SourceError(
                manifest_path,
                "aucun fichier de données à côté du manifeste",
                fix=f"déposer le fichier sous le même nom ({manifest_path.stem}.csv, .xlsx, .ods, "
                ".pdf, .html, .json ou .docx)",
            )
        check_file(data_path, "fichier", raw_root)
        check_manifest_values(manifest, manifest_path)
        check_provenance(manifest, manifest_path)
        check_year_column(manifest, manifest_path)
        fmt = manifest.read.format or EXTENSIONS[data_path.suffix.lower().lstrip(".")]
        staged = _stage(manifest, data_path, fmt, source_id, raw_root)
        staged.warnings += second_files(manifest_path, data_path)
        staged.warnings += personal_data_in_name(source_id)
        return staged
    except SourceError as exc:
        if manifest is None:
            exc.status = "bad_manifest"
        return failed_source(source_id, data_path, raw_root, manifest, fmt, exc)
    except MemoryError:
        raise  # the caller's memory ceiling: it refuses the source and says so
    except Exception as exc:
        # Staged as failed rather than raised: a run that raised would leave the previous reading
        # of this source on disk, and the next publication would ship it as if it were current.
        error = SourceError(
            data_path or manifest_path,
            f"erreur inattendue en lisant la source ({type(exc).__name__} : {excerpt(exc, 120)})",
            fix="signaler le problème aux mainteneurs en joignant le fichier et son manifeste",
        )
        return failed_source(source_id, data_path, raw_root, manifest, fmt, error)


def read_raw_table(manifest: Manifest, data_path: Path, fmt: str) -> RawTable:
    grid = reader_for(fmt)(data_path, manifest.read)
    build = build_sheets_table if manifest.read.sheets is not None else build_table
    raw = build(
        grid,
        wanted=manifest.headers(),
        header_row=manifest.read.header_row,
        header_rows=manifest.read.header_rows,
        skip_patterns=list(DEFAULT_SKIP) + list(manifest.read.skip_rows_matching),
        path=data_path,
        hidden_mode=manifest.read.hidden,
    )
    raw.method = read_method(grid)
    raw = named_by_position(raw) if manifest.read.columns_by_position else raw
    raw.merged = merged_ranges(grid)
    raw.laid_out = fmt != "json"
    check_unread_columns(manifest, raw, data_path)
    return raw


def _stage(
    manifest: Manifest, data_path: Path, fmt: str, source_id: str, raw_root: Path
) -> StagedSource:
    raw = _read_table(manifest, data_path, fmt)
    read_once(raw, manifest)  # an amount merged over several cells is not counted once per cell
    frame, skipped, long_lines, grouped = _rows_to_read(raw, manifest, data_path, fmt)
    columns, by_funder = _mapped(raw, manifest, data_path)
    records, problems = canonical_records(frame, manifest, columns, by_funder, source_id)
    records, problems, no_year = line_years(records, frame, columns, manifest, problems)
    # An item off the pattern or a line with fields in excess: one reason, not one per shifted cell.
    unmatched = unmatched_items(raw, frame) + [p for p in long_lines if p.severity == "error"]
    missed = {p.row for p in unmatched}
    problems = (
        unmatched
        + [p for p in problems if p.row not in missed]
        + [p for p in long_lines if p.severity != "error"]
    )
    records, cleaned = strip_controls(records, manifest.mapped_columns)
    staged, schema = _staging_frame(records, manifest)
    header_of = {name: manifest.mapped_columns[name] for name in columns}
    accepted, bad_rows, more = _validate(
        staged, schema, manifest, header_of, problems + cleaned, missed
    )
    more = without_year_echoes(more, no_year, manifest)
    problems += cleaned + more
    problems += total_warnings(raw, manifest, columns, by_funder, data_path, frame, bad_rows)
    if raw.method == "ocr":
        problems += ocr_warnings(raw, accepted, problems)
    row = source_record(source_id, data_path, raw_root, manifest, fmt)
    row.update(
        method=raw.method,
        rows_read=raw.rows_read,
        rows_skipped=len(skipped),
        rows_rejected=len(bad_rows),
        rows_accepted=int(staged.loc[~staged["source_row"].isin(bad_rows), "source_row"].nunique()),
        status="rejected_rows" if bad_rows else "ok",
    )
    warnings = manifest_warnings(manifest) + [
        p for p in problems if p.severity != "error" and p.code not in manifest.confirmed
    ]
    breaks = page_break_rows(frame) if fmt == "pdf" else []
    # A row a page break may have cut is said once, as such: not also as grouped under the one above.
    uncut = frame[~frame[ROW].isin([p.row for p in breaks])]
    warnings += quality_warnings(manifest, raw, frame, accepted) + doubts(manifest, raw, uncut)
    warnings += breaks + personal_outside(manifest, raw, data_path, fmt)
    return StagedSource(
        source_id,
        row,
        _campaign(manifest, source_id, accepted) if manifest.table != "national_lines" else None,
        manifest.table,
        project_rows(accepted, grouped.head_of).reset_index(drop=True),
        _rejects(problems, frame, source_id, bad_rows),
        skipped,
        warnings,
        partial=manifest.partial,
        confirmed=manifest.confirmed,
        campaigns=year_campaigns(manifest, source_id, accepted),
    )


def _mapped(
    raw: RawTable, manifest: Manifest, data_path: Path
) -> tuple[dict[str, str], dict[str, str]]:
    """The file's column for each canonical field, and for each funder's amount."""
    columns = {
        name: column_for(raw, header, data_path, name)
        for name, header in manifest.mapped_columns.items()
    }
    by_funder = {
        funder_code(f): column_for(raw, header, data_path, "amount_eur_by_funder")
        for f, header in manifest.funder_amount_columns.items()
    }
    return columns, by_funder


def _campaign(manifest: Manifest, source_id: str, accepted: pd.DataFrame) -> dict[str, Any]:
    """The campaign the source describes; a campaigns file's figures read from its one line."""
    campaign = campaign_record(manifest, source_id)
    if manifest.table == "campaigns" and len(accepted):
        first = accepted.iloc[0].items()
        campaign.update({k: _none_if_na(v) for k, v in first if k in campaign and not pd.isna(v)})
    return campaign


def _read_table(manifest: Manifest, data_path: Path, fmt: str) -> RawTable:
    try:
        return read_raw_table(manifest, data_path, fmt)
    except (SourceError, MemoryError):
        raise
    except Exception as exc:  # a reader library failing on a corrupt file: still one source only
        raise SourceError(
            data_path,
            f"fichier illisible comme {fmt} ({type(exc).__name__} : {excerpt(exc, 120)})",
            fix=f"vérifier que le fichier est bien un {fmt} non protégé, ou corriger read.format",
        ) from exc


def _rows_to_read(
    raw: RawTable, manifest: Manifest, data_path: Path, fmt: str
) -> tuple[pd.DataFrame, list[SkippedRow], list[Problem], Read]:
    """The table's lines once mended (a CSV line split by its own delimiter), grouped
    (`read.fill_down`) and filtered; with how they were grouped."""
    frame, skipped = raw.frame, list(raw.skipped)
    # Only a CSV line can be split by its own delimiter; a spreadsheet's unlabelled cells are simply unread.
    frame, long_lines = (
        mend_extra_fields(raw, frame, manifest, data_path) if fmt == "csv" else (frame, [])
    )
    # Grouped before the filter: a project's first row names the rows below it, kept or not.
    grouped = read_groups(raw, frame, manifest, data_path)
    frame = grouped.frame
    if grouped.skipped:
        skipped = sorted(skipped + grouped.skipped, key=lambda s: s.row)
    if manifest.filter:
        frame, filtered = apply_filter(frame, raw, manifest.filter, data_path)
        skipped += filtered
    return frame, skipped, long_lines + grouped.problems, grouped


def _staging_frame(records: pd.DataFrame, manifest: Manifest) -> tuple[pd.DataFrame, Any]:
    """The records in the columns of the table's staging schema, unmapped ones as typed nulls."""
    table = SOURCE_TABLES[manifest.table]
    schema = staging_schema_for(manifest.table, CONSOLIDATION_COLUMNS)
    cols = list(schema.columns)
    # source_row tracks every line back to the file, even for tables that do not publish it.
    staged = records.reindex(columns=cols if "source_row" in cols else cols + ["source_row"])
    text_columns = {f.name for f in table.fields if f.pandas_dtype == "str"}
    for name in set(staged.columns) - set(
        records.columns
    ):  # unmapped: typed nulls, nothing to coerce
        if name in text_columns:
            staged[name] = pd.Series(
                pa.nulls(len(staged), pa.large_string()), dtype="str", index=staged.index
            )
    return staged, schema


def _validate(
    staged: pd.DataFrame,
    schema: Any,
    manifest: Manifest,
    header_of: dict[str, str],
    problems: list[Problem],
    missed: set[int | None],
) -> tuple[pd.DataFrame, set[int | None], list[Problem]]:
    """The accepted rows, the rows rejected (by any problem so far or by pandera) and pandera's problems."""
    validated, schema_problems = pandera_problems(
        staged,
        schema,
        header_of,
        functools.partial(staging_schema_without, manifest.table, CONSOLIDATION_COLUMNS),
    )
    more = [p for p in schema_problems if p.row not in missed]
    if manifest.table == "campaigns":
        extra = sorted(set(staged["source_row"]) - {p.row for p in problems + more})[1:]
        more += [
            Problem(
                int(r),
                None,
                None,
                None,
                "une source de campagne décrit une seule campagne",
                "une ligne par fichier, ou un fichier par campagne",
            )
            for r in extra
        ]
    bad_rows = {p.row for p in problems + more if p.severity == "error"}
    kept = staged[~staged["source_row"].isin(bad_rows)] if bad_rows else staged
    if not len(kept):
        return typed_empty(schema), bad_rows, more
    if validated is not None and not bad_rows:
        return validated, bad_rows, more  # the whole frame already passed: no second validation
    return schema.validate(kept[list(schema.columns)], lazy=True), bad_rows, more


def _rejects(
    problems: list[Problem], frame: pd.DataFrame, source_id: str, bad_rows: set[int | None]
) -> pd.DataFrame:
    """Every rejected cell with its reason and fix, placed (sheet or page) as the file places its row."""
    place_of = dict(zip(frame[ROW], frame[PLACE])) if bad_rows else {}
    rejects = pd.DataFrame(
        [
            {
                "source_id": source_id,
                "source_row": p.row,
                "place": p.place or place_of.get(p.row),
                "column": p.column,
                "value": p.value,
                "reason": p.message,
                "fix": p.fix,
            }
            for p in problems
            if p.severity == "error"
        ],
        columns=REJECTED_ROWS.columns,
    )
    return (
        rejects.astype({f.name: f.pandas_dtype for f in REJECTED_ROWS.fields})
        if len(rejects)
        else empty_rejects()
    )


def _none_if_na(value: Any) -> Any:
    return None if pd.isna(value) else (value.item() if hasattr(value, "item") else value)
