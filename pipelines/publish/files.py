"""Writing the package's files: CSV cells as published, Parquet without host metadata, JSON, hashes.

Shared by every table and by the SCDL export, so each file of the package is written one way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from schemas.spec import Table

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def guard_formula(text: str) -> str:
    """A cell a spreadsheet would run as a formula is published with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def is_blank(value: Any) -> bool:
    """An empty cell, as pandas hands it over: None, pd.NA or NaN (cheaper than pd.isna per cell)."""
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def csv_cells(frame: pd.DataFrame, table: Table) -> dict[str, list[str]]:
    """Each column's cells as the CSV writes them (`_csv_text`'s, a column at a time)."""
    return {f.name: _csv_column(frame[f.name], f.type) for f in table.fields}


def _csv_column(series: pd.Series, kind: str) -> list[str]:
    # tolist() first, and one comprehension per type without a call per cell: a national table
    # has hundreds of thousands of cells, and their formatting was most of writing it.
    cells = zip(series.tolist(), series.isna().tolist())
    if kind == "number":
        return ["" if blank else f"{float(v):.2f}" for v, blank in cells]
    if kind == "integer":
        return ["" if blank else str(int(v)) for v, blank in cells]
    if kind == "boolean":
        return ["" if blank else ("true" if v else "false") for v, blank in cells]
    return [
        "" if blank else (t if not (t := str(v)).startswith(FORMULA_PREFIXES) else "'" + t)
        for v, blank in cells
    ]


def csv_frame(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    return pd.DataFrame(csv_cells(frame, table), columns=table.columns, dtype="str")


def write_csv(frame: pd.DataFrame, table: Table, path: Path) -> None:
    csv_frame(frame, table).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


# Table Schema type → Parquet (Arrow) type: what a reader gets is what the schema says.
ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "date": pa.date32(),
    "boolean": pa.bool_(),
}


def arrow_schema(fields: list[tuple[str, str]]) -> pa.Schema:
    return pa.schema([pa.field(name, ARROW_TYPES[kind], nullable=True) for name, kind in fields])


def _column(series: pd.Series, kind: str) -> pa.Array:
    if kind == "date":  # ISO text in the frame and the CSV, a real date in Parquet
        return pa.array(
            [None if pd.isna(v) else dt.date.fromisoformat(str(v)) for v in series], pa.date32()
        )
    return pa.array(series, type=ARROW_TYPES[kind], from_pandas=True)


def write_parquet(frame: pd.DataFrame, path: Path, fields: list[tuple[str, str]]) -> None:
    """The rows typed as their Table Schema says (`fields`: name and Table Schema type, in order).

    pandas' metadata is kept so that pandas reads counts with gaps back as nullable integers
    (Int64, not floats), without its library versions, so the same rows give the same bytes.
    """
    schema = arrow_schema(fields)
    arrow = pa.Table.from_arrays(
        [_column(frame[name], kind) for name, kind in fields], schema=schema
    )
    meta = json.loads(
        pa.Table.from_pandas(frame[[n for n, _ in fields]], preserve_index=False).schema.metadata[
            b"pandas"
        ]
    )
    for column in meta["columns"]:
        kind = dict(fields).get(column["name"])
        if kind == "date":
            column.update(pandas_type="date", numpy_type="object")
    meta.pop("creator", None)
    meta.pop("pandas_version", None)
    arrow = arrow.replace_schema_metadata({b"pandas": json.dumps(meta, sort_keys=True).encode()})
    pq.write_table(arrow, path, compression="zstd", write_statistics=True)


def file_hash(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def tree_checksums(folder: Path) -> dict[str, str]:
    """Every file under folder, by its path from there (/-separated), with its SHA-256 (hex): what
    tells two releases apart, and what a kept release lists (`sha256sum -c`)."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
