"""The file's columns as canonical columns, a whole column at a time, with a problem per wrong cell.

A line co-funded by several funders (one amount column each) becomes one line per funder.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.problems import Problem
from pipelines.common.values import funder_code, parse_amounts
from pipelines.read.layout import ROW
from pipelines.read.manifest import Manifest
from pipelines.stage.amount_text import amount_sentences, footnote_warnings
from pipelines.stage.fields import AMOUNT_COLUMNS, INTEGER_COLUMNS, fix_for, parser_for
from schemas.limits import AMOUNT_CEILING_EUR, ENVELOPE_CEILING_EUR


def parse_column(
    values: pd.Series,
    name: str,
    parser: Callable[[str], Any] | None,
    decimal: str,
    unit: str = "€",
    ceiling: float = AMOUNT_CEILING_EUR,
) -> tuple[pd.Series, dict[int, str]]:
    """One parsed value per row (null when empty or wrong) and the error message of each wrong row.

    Cells come cleaned by the readers. Text without a parser is kept as the column it is. Each
    distinct text is parsed once (Arrow's dictionary encoding): a department or a funder repeated
    on 200 000 rows costs one call. Amounts go through parse_amounts, which converts plain ones
    by column.
    """
    if parser is None:
        return values.reset_index(drop=True), {}
    array = pa.array(values, type=pa.large_string())
    if isinstance(array, pa.ChunkedArray):  # a column stacked from several sheets
        array = array.combine_chunks()
    encoded = pc.dictionary_encode(array)
    texts = encoded.dictionary.to_pylist()
    if name in AMOUNT_COLUMNS:
        parsed, errors = parse_amounts(texts, decimal, unit, ceiling)
    else:
        parsed, errors = [], []
        for x in texts:
            try:
                parsed.append(parser(x))
                errors.append(None)
            except ValueError as exc:
                parsed.append(None)
                errors.append(str(exc))
    kind = (
        pa.float64()
        if name in AMOUNT_COLUMNS
        else pa.int64()
        if name in INTEGER_COLUMNS
        else pa.large_string()
    )
    column = pa.array(parsed, type=kind).take(encoded.indices)
    if kind == pa.large_string():
        series = pd.Series(column, dtype="str")
    elif kind == pa.int64():
        series = pd.Series(pd.array(column.to_pylist(), dtype="Int64"))
    else:
        series = pd.Series(column.to_numpy(zero_copy_only=False))
    bad = [j for j, e in enumerate(errors) if e is not None]
    if not bad:
        return series, {}
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return series, {int(i): errors[codes[i]] for i in np.flatnonzero(np.isin(codes, bad))}


Found = list[
    tuple[int, int, Problem]
]  # (position, column order, problem): the file's reading order


def canonical_records(
    frame: pd.DataFrame,
    manifest: Manifest,
    columns: dict[str, str],
    by_funder: dict[str, str],
    source_id: str,
) -> tuple[pd.DataFrame, list[Problem]]:
    """The file's columns as canonical columns, whole columns at a time; a problem per wrong cell."""
    region = manifest.region_code
    decimal, unit = manifest.read.decimal, manifest.read.amount_unit
    # A national line (contracts with every département) is a whole programme's figure, not a grant's.
    national = manifest.table == "national_lines"
    ceiling = ENVELOPE_CEILING_EUR if national else AMOUNT_CEILING_EUR
    parsers = {
        name: parser_for(name, decimal, region)
        for name in set(columns) | set(manifest.constant_values) | {"amount_eur", "funder"}
    }
    constants = _constants(manifest, parsers, source_id)
    numbers = frame[ROW].to_numpy(dtype="int64")
    found: Found = []
    out: dict[str, Any] = dict(constants)
    for order, (name, col) in enumerate(columns.items()):
        parsed, errors = parse_column(frame[col], name, parsers.get(name), decimal, unit, ceiling)
        if name in AMOUNT_COLUMNS:
            found += footnote_warnings(frame[col], manifest.mapped_columns[name], numbers, order)
        # A default fills the file's empty cells, but the folder's year never fills a line's own
        # (columns.year: a line without a year is rejected, not put under the folder's).
        if name != "year" and name in constants and constants[name] is not None:
            parsed = parsed.fillna(constants[name])
        out[name] = parsed
        found += _cell_problems(
            frame[col], numbers, errors, order, manifest.mapped_columns[name], name
        )
    records = pd.DataFrame(
        {k: v if isinstance(v, pd.Series) else _constant(v, len(frame)) for k, v in out.items()},
        index=range(len(frame)),
    )
    records["source_row"] = numbers
    if manifest.table == "awards" and "amount_eur" in columns and not by_funder:
        # « 30 000 € (dont 10 000 € ARS et 20 000 € DREETS) »: one line per funder named.
        records, found = amount_sentences(
            records, manifest, found, list(columns).index("amount_eur")
        )
    if by_funder:
        records = _funder_lines(records, frame, manifest, by_funder, parsers, len(columns), found)
    found.sort(key=lambda x: (x[0], x[1]))
    return records, [p for _, _, p in found]


def _constants(manifest: Manifest, parsers: dict[str, Any], source_id: str) -> dict[str, Any]:
    """What every line of the source shares: its campaign, region, year, and the manifest's defaults."""
    out: dict[str, Any] = {
        "campaign_id": manifest.campaign.id,
        "region_code": manifest.region_code,
        "year": manifest.year,
        "source_id": source_id,
    }
    if manifest.table == "campaigns":
        out.update(
            title=manifest.campaign.title,
            kind=manifest.campaign.kind,
            scope=manifest.scope,
            year_qualifier=manifest.campaign.year_qualifier,
        )
    for name, value in manifest.constant_values.items():
        parser = parsers.get(name)
        out[name] = parser(str(value)) if parser and value is not None else value
    if manifest.table == "awards":
        out.setdefault("funder", "NC")
    if manifest.table == "national_lines":
        out["scope"] = manifest.scope
    return out


def _cell_problems(
    cells: pd.Series,
    numbers: np.ndarray,
    errors: dict[int, str],
    order: int,
    header: str,
    name: str,
) -> Found:
    return [
        (i, order, Problem(int(numbers[i]), None, header, cells.iat[i], message, fix_for(name)))
        for i, message in errors.items()
    ]


def _funder_lines(
    records: pd.DataFrame,
    frame: pd.DataFrame,
    manifest: Manifest,
    by_funder: dict[str, str],
    parsers: dict[str, Any],
    first_order: int,
    found: Found,
) -> pd.DataFrame:
    """One award line per funder that paid the line, in the order of the file then of the manifest;
    the problems of the funders' columns added to `found`."""
    numbers = records["source_row"].to_numpy()
    headers = {funder_code(f): h for f, h in manifest.funder_amount_columns.items()}
    lines, has_line = [], np.zeros(len(frame), dtype=bool)
    for order, (funder, col) in enumerate(by_funder.items(), start=first_order):
        amounts, errors = parse_column(
            frame[col],
            "amount_eur",
            parsers["amount_eur"],
            manifest.read.decimal,
            manifest.read.amount_unit,
        )
        found += footnote_warnings(frame[col], headers[funder], numbers, order)
        found += _cell_problems(frame[col], numbers, errors, order, headers[funder], "amount_eur")
        # "-", "—", "0", blank: this funder did not pay this line. No 0 € award line for it
        # (SCDL would then list a 0 € grant); the line keeps the funders that did pay.
        present = (amounts.notna() & (amounts.fillna(0) != 0)).to_numpy()
        has_line |= present
        part = records[present].assign(funder=funder, amount_eur=amounts[present].to_numpy())
        lines.append(part.assign(_order=order))
    troubled = {i for i, _, p in found if p.severity == "error"}
    # A laureate with no amount in any funder column (all empty, "NC", "-", 0) is kept: one line,
    # funder NC, amount null — an unpublished amount is never a reason to lose the project.
    unfunded = np.array(
        [not has_line[i] and int(i) not in troubled for i in range(len(frame))], dtype=bool
    )
    if unfunded.any():
        order = first_order + len(by_funder)
        lines.append(records[unfunded].assign(funder="NC", amount_eur=np.nan, _order=order))
        where = ", ".join(manifest.funder_amount_columns.values())
        found += [
            (int(i), order, _no_funder_amount(int(numbers[i]), where))
            for i in np.flatnonzero(unfunded)
        ]
    records = pd.concat(lines) if lines else records.iloc[0:0]
    records = records.rename_axis("_pos").sort_values(["_pos", "_order"], kind="stable")
    return records.drop(columns="_order").reset_index(drop=True)


def _no_funder_amount(row: int, columns: str) -> Problem:
    return Problem(
        row,
        None,
        columns,
        None,
        "aucun montant publié dans les colonnes par financeur : la ligne est gardée sans financeur "
        "ni montant (NC)",
        "rien à faire si la source ne les publie pas ; sinon remplir la colonne du financeur",
        severity="warning",
        code="no_funder_amount",
    )


def _constant(value: Any, n: int) -> pd.Series | Any:
    """A manifest constant over every row: text as an Arrow column (no per-row Python string)."""
    if isinstance(value, str):
        return pd.Series(
            pa.array([value], type=pa.large_string()).take(pa.array(np.zeros(n, dtype=np.int32))),
            dtype="str",
        )
    return value
