"""Writing the package's files: CSV cells as published, Parquet without host metadata, JSON, hashes.

Shared by every table and by the SCDL export, so each file of the package is written one way.
"""

from __future__ import annotations

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


def _csv_text(value: Any, kind: str) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if kind == "number":
        return f"{float(value):.2f}"
    if kind == "integer":
        return str(int(value))
    if kind == "boolean":
        return "true" if value else "false"
    return guard_formula(str(value))


def csv_frame(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    return pd.DataFrame({f.name: [_csv_text(v, f.type) for v in frame[f.name]] for f in table.fields},
                        columns=table.columns, dtype="str")


def write_csv(frame: pd.DataFrame, table: Table, path: Path) -> None:
    csv_frame(frame, table).to_csv(path, index=False, encoding="utf-8", lineterminator="\n")


def write_parquet(frame: pd.DataFrame, path: Path) -> None:
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    # Drop pandas' own metadata: it is not needed to read the file and it embeds library versions.
    arrow = arrow.replace_schema_metadata(None)
    pq.write_table(arrow, path, compression="zstd", write_statistics=True)


def file_hash(path: Path) -> str:
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
