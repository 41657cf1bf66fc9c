"""Rows as a canonical table: its columns, its dtypes, its key order, checked by its pandera schema."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from schemas.tables import TABLES
from schemas.to_pandera import schema_for


def typed(name: str, rows: list[dict[str, Any]] | pd.DataFrame) -> pd.DataFrame:
    """Rows in the table's columns and dtypes, sorted by its key, validated by its pandera schema."""
    table = TABLES[name]
    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows, columns=table.columns)
    frame = frame.reindex(columns=table.columns)
    frame = frame.astype({f.name: f.pandas_dtype for f in table.fields})
    order = list(table.primary_key) or [
        c for c in ("source_id", "source_row", "column") if c in frame
    ]
    frame = frame.sort_values(order, kind="stable", na_position="first").reset_index(drop=True)
    return schema_for(name).validate(frame, lazy=True)


def project_counts(awards: pd.DataFrame) -> dict[str, int]:
    """Projects per campaign, not award lines: a co-funded project is one line of its file and one
    award line per funder."""
    lines = awards[["campaign_id", "source_id", "source_row"]].drop_duplicates()
    return {k: int(v) for k, v in lines["campaign_id"].value_counts().items()}


def concat_rows(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def concat_typed(name: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    return typed(name, concat_rows(frames))


def rows_by(frame: pd.DataFrame, column: str = "campaign_id") -> Callable[[Any], pd.DataFrame]:
    """The rows of `frame` for one value of `column`, the table split once: filtering the whole
    table again for each campaign cost campaigns × rows at national scale."""
    groups = dict(tuple(frame.groupby(column, sort=False))) if len(frame) else {}
    empty = frame.iloc[0:0]
    return lambda value: groups.get(value, empty)


def tuples_by(
    frame: pd.DataFrame, columns: Sequence[str], key: str = "campaign_id"
) -> Callable[[Any], list[tuple[Any, ...]]]:
    """The rows of `frame` for one value of `key`, as tuples of `columns` in that order
    (`itertuples` once for the whole table, not once per campaign)."""
    groups: dict[Any, list[tuple[Any, ...]]] = {}
    for value, *cells in frame[[key, *columns]].itertuples(index=False, name=None):
        groups.setdefault(value, []).append(tuple(cells))
    return lambda value: groups.get(value, [])
