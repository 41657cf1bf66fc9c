"""Rows grouped under a value written once: `read.fill_down`, and a co-funded project over several rows.

A publisher often writes a département, or a project's name and title, on the first row of its
group only and leaves the cells below empty: a visual grouping, or one row per funder of a
co-funded project (« Financeur | Montant »). Filling them down is a reading the file does not state:
it is done only for the headers the manifest lists under `read.fill_down`; otherwise
pipelines/stage/doubts_groups.py raises a doubt.

The headers are listed outermost first: a value written in one of them starts a new group for the
ones after it, which then take nothing from the group before. A group never runs across a blank,
total or note line, nor from one sheet or table to the next (the pages of a PDF do continue it).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.common.problems import Problem
from pipelines.common.text import french_euros, text_key
from pipelines.common.values import parse_amount
from pipelines.read.layout import PLACE, ROW, RawTable, SkippedRow
from pipelines.read.manifest import Manifest
from pipelines.read.table_columns import column_for, label_column

# Lines set aside by the layout that end a group: what follows them is not under the value above.
_BREAKS = frozenset({"blank", "total", "note", "title", "other_table"})
_PAGE = re.compile(r"^page \d+$")


@dataclass
class Groups:
    """The rows with the listed columns filled down, and how they group."""

    frame: pd.DataFrame
    own: dict[str, np.ndarray] = field(
        default_factory=dict
    )  # column → rows writing their own value
    # A row of a co-funded project (its name and title left empty) → the project's first row.
    head_of: dict[int, int] = field(default_factory=dict)


@dataclass
class Read:
    """The rows to read once grouped, and the lines set aside or refused on the way."""

    frame: pd.DataFrame
    skipped: list[SkippedRow]
    problems: list[Problem]
    head_of: dict[int, int]


def group_starts(raw: RawTable, frame: pd.DataFrame) -> np.ndarray:
    """True on each row no value may be carried down to: the first one, the first after a blank,
    total or note line, the first of another sheet or table."""
    rows = frame[ROW].to_numpy(dtype="int64")
    places = [p if isinstance(p, str) else "" for p in frame[PLACE].tolist()]
    breakers = np.sort(np.array([s.row for s in raw.skipped if s.kind in _BREAKS], dtype="int64"))
    above = np.searchsorted(breakers, rows)  # how many breaking lines sit above each row
    starts = np.ones(len(rows), dtype=bool)
    if len(rows) > 1:
        moved = np.array(
            [
                a != b and not (_PAGE.match(a) and _PAGE.match(b))
                for a, b in itertools.pairwise(places)
            ]
        )
        starts[1:] = (above[1:] != above[:-1]) | moved
    return starts


def fill_down(
    frame: pd.DataFrame, starts: np.ndarray, columns: list[str], identity: list[str]
) -> Groups:
    """`columns` (frame columns, outermost first) filled down within their groups; `identity` (the
    name, then the title when mapped) tells the rows that continue a project."""
    filled = frame.copy()
    own: dict[str, np.ndarray] = {}
    opens = starts.copy()
    name_groups = None
    for column in columns:
        values = frame[column]
        own[column] = values.notna().to_numpy()
        groups = np.cumsum(opens)
        if identity and column == identity[0]:
            name_groups = groups
        filled[column] = values.groupby(groups).ffill().astype(values.dtype)
        opens = opens | own[column]
    groups_out = Groups(filled, own)
    if name_groups is None:
        return groups_out
    # A row with neither its own name nor its own title: one more funder of the project above.
    rows = frame[ROW].to_numpy(dtype="int64")
    name_own = own[identity[0]]
    alone = ~name_own
    for column in identity[1:]:
        alone &= ~frame[column].notna().to_numpy()
    first = pd.Series(np.where(name_own, rows, np.nan)).groupby(name_groups).ffill().to_numpy()
    groups_out.head_of = {
        int(r): int(h) for r, h, a in zip(rows, first, alone) if a and not np.isnan(h)
    }
    return groups_out


def read_groups(raw: RawTable, frame: pd.DataFrame, manifest: Manifest, path: Path) -> Read:
    """The rows to read, `read.fill_down` applied; a co-funded project's first row without a funder
    set aside when it only names the project or gives its total, refused when its amount is neither."""
    if not manifest.read.fill_down:
        return Read(frame, [], [], {})
    columns = [column_for(raw, h, path, "read.fill_down") for h in manifest.read.fill_down]
    groups = fill_down(frame, group_starts(raw, frame), columns, identity_columns(raw, manifest))
    return _project_heads(groups, manifest, raw)


def identity_columns(raw: RawTable, manifest: Manifest) -> list[str]:
    """The name's column, then the title's, when the name is filled down: what a project is."""
    mapped = manifest.mapped_columns
    filled = {text_key(h) for h in manifest.read.fill_down}
    if text_key(mapped.get("beneficiary_name", "")) not in filled:
        return []
    named = [
        label_column(raw, mapped[f]) for f in ("beneficiary_name", "project_title") if f in mapped
    ]
    return [c for c in named if c is not None]


def _project_heads(groups: Groups, manifest: Manifest, raw: RawTable) -> Read:
    """A project's first row without a funder, above its funders' rows: its heading (no amount) or
    its total (the sum of theirs) is set aside and counted; any other amount is refused."""
    frame, mapped = groups.frame, manifest.mapped_columns
    funder = label_column(raw, mapped.get("funder", "")) if "funder" in mapped else None
    amount = label_column(raw, mapped.get("amount_eur", "")) if "amount_eur" in mapped else None
    if not groups.head_of or funder is None or amount is None:
        return Read(frame, [], [], groups.head_of)
    lines: dict[int, list[int]] = {}
    for row, head in groups.head_of.items():
        lines.setdefault(head, []).append(row)
    at = {int(r): i for i, r in enumerate(frame[ROW].tolist())}
    skipped, problems, drop = [], [], []
    for head, rows in lines.items():
        i = at.get(head)
        if i is None or isinstance(frame[funder].iat[i], str):
            continue
        text = frame[amount].iat[i]
        found = _heading(frame, i, rows, [at[r] for r in rows], amount, text, manifest)
        if isinstance(found, Problem):
            problems.append(found)
            continue
        drop.append(i)
        place = frame[PLACE].iat[i]
        skipped.append(
            SkippedRow(
                head, place if isinstance(place, str) else None, found[0], _text(frame, i), found[1]
            )
        )
    kept = frame.drop(index=frame.index[drop]) if drop else frame
    return Read(kept, skipped, problems, groups.head_of)


def _heading(
    frame: pd.DataFrame,
    i: int,
    rows: list[int],
    positions: list[int],
    amount: str,
    text: str | None,
    manifest: Manifest,
) -> tuple[str, str] | Problem:
    """(reason, kind) of a project's first row set aside, or the problem that refuses it."""
    n = len(rows)
    if not isinstance(text, str):
        return (
            f"en-tête du projet cofinancé : nom et intitulé repris sur ses {n} lignes de financeurs",
            "group",
        )
    decimal, unit = manifest.read.decimal, manifest.read.amount_unit
    parts = [frame[amount].iat[p] for p in positions]
    try:
        summed: float | None = sum(
            parse_amount(t, decimal, unit) for t in parts if isinstance(t, str)
        )
    except ValueError:
        summed = None
    try:
        total: float | None = parse_amount(text, decimal, unit)
    except ValueError:
        total = None
    if total is not None and summed is not None and abs(total - summed) < 0.005:
        return (f"total du projet cofinancé : la somme de ses {n} lignes de financeurs", "total")
    theirs = f"lignes {', '.join(map(str, rows))}"
    why = (
        f"son montant n'est pas la somme de ses {n} lignes de financeurs ({theirs}), qui font "
        f"{french_euros(summed, 2)}"
        if summed is not None and total is not None
        else f"son montant ne se recoupe pas avec ses {n} lignes de financeurs ({theirs}), "
        "faute de montants lisibles"
    )
    return Problem(
        int(frame[ROW].iat[i]),
        None,
        manifest.mapped_columns["amount_eur"],
        text,
        f"ligne sans financeur en tête d'un projet cofinancé : {why} ; ni une subvention (aucun "
        "financeur) ni le total du projet",
        "vérifier les montants de ce projet dans le fichier ; donner son financeur si cette ligne "
        "en est un",
    )


def _text(frame: pd.DataFrame, i: int) -> str:
    cells = frame.drop(columns=[ROW, PLACE]).iloc[i].tolist()
    return " | ".join(c for c in cells if isinstance(c, str))


def project_rows(accepted: pd.DataFrame, head_of: dict[int, int]) -> pd.DataFrame:
    """A co-funded project is one project of its file: each funder's line carries its first row,
    as a line split per funder column does (its physical row stays in the reports)."""
    if not head_of or accepted.empty:
        return accepted
    rows = accepted["source_row"]
    return accepted.assign(
        source_row=rows.map(lambda r: head_of.get(int(r), int(r))).astype(rows.dtype)
    )
