"""Doubt: cells left empty under a value, on rows that have their own amount (`grouped_rows`).

A département written on the first row of its group only, or a project's name and title on the
first of its funders' rows: read as they stand, the rows below would be published without them (or
refused for want of a name). Which value they take is the manifest's to say (`read.fill_down`,
pipelines/stage/groups.py); `mille-jours new-source` proposes it when the file plainly reads so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipelines.common.doubts import doubt
from pipelines.common.problems import Problem
from pipelines.read.layout import ROW, RawTable
from pipelines.read.manifest import COLUMN_ALIASES, Manifest
from pipelines.read.table_columns import label_column
from pipelines.stage.groups import Groups, fill_down, group_starts, identity_columns

# The fields of a line a publisher may write once for a group of rows.
GROUPED_FIELDS = (
    "beneficiary_name",
    "project_title",
    "department_code",
    "funder",
    "volet",
    "theme",
)
_SHOWN = 8  # rows named in a message


def _filled(values: pd.Series) -> np.ndarray:
    return values.notna().to_numpy()


def _with_amount(frame: pd.DataFrame, amounts: list[str], others: list[str]) -> np.ndarray:
    """Rows that stand as a line of their own: an amount (a lone « — » is none, as for the funder
    columns), or another field when no amount is mapped."""
    if amounts:
        return np.logical_or.reduce([_digits(frame[c]) for c in amounts])
    if not others:
        return np.zeros(len(frame), dtype=bool)
    return np.logical_or.reduce([_filled(frame[c]) for c in others])


def _digits(values: pd.Series) -> np.ndarray:
    return values.map(lambda v: isinstance(v, str) and any(x.isdigit() for x in v)).to_numpy(
        dtype=bool
    )


def under_a_value(values: pd.Series, starts: np.ndarray) -> np.ndarray:
    """Empty cells with a value above them in their group."""
    filled = _filled(values)
    positions = np.arange(len(filled))
    # The last filled cell at or above each row, and the first row of each row's group.
    last_filled = np.maximum.accumulate(np.where(filled, positions, -1))
    group_start = np.maximum.accumulate(np.where(np.asarray(starts, dtype=bool), positions, 0))
    return ~filled & (last_filled >= group_start) & (last_filled >= 0)


def _fields(raw: RawTable, columns: dict[str, str]) -> list[tuple[str, str, str]]:
    """(field, header, frame column) of each grouped field the mapping names."""
    out = []
    for name, header in columns.items():
        field = COLUMN_ALIASES.get(name, name)
        column = label_column(raw, header) if field in GROUPED_FIELDS else None
        if column is not None:
            out.append((field, header, column))
    return out


def _nameless(frame: pd.DataFrame, fields: list[tuple[str, str, str]]) -> np.ndarray:
    """Rows without a name of their own: only there does an empty title say « the project above »
    (a project under its own name may have no title)."""
    name = next((c for f, _, c in fields if f == "beneficiary_name"), None)
    return ~_filled(frame[name]) if name else np.ones(len(frame), dtype=bool)


def _amount_columns(raw: RawTable, manifest: Manifest) -> list[str]:
    headers = [manifest.mapped_columns.get("amount_eur")]
    headers += list(manifest.funder_amount_columns.values())
    return [c for h in headers if h for c in [label_column(raw, h)] if c is not None]


def _rows(frame: pd.DataFrame, mask: np.ndarray) -> tuple[list[int], str]:
    rows = [int(r) for r in frame.loc[mask, ROW]]
    return rows, ", ".join(map(str, rows[:_SHOWN])) + (" …" if len(rows) > _SHOWN else "")


def grouped_rows(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """A grouped field empty on rows with their own amount: under a value and not filled down (a
    value written once for the group?), or filled down with nothing above to take."""
    grouped = manifest.table == "awards" and raw.laid_out
    fields = _fields(raw, manifest.mapped_columns) if grouped else []
    if not fields:
        return []
    base = raw.frame  # as laid out: a co-funded project's first row is still there
    starts = group_starts(raw, base)
    listed = [c for h in manifest.read.fill_down if (c := label_column(raw, h)) is not None]
    groups = (
        fill_down(base, starts, listed, identity_columns(raw, manifest)) if listed else Groups(base)
    )
    lines = _with_amount(base, _amount_columns(raw, manifest), [c for _, _, c in fields])
    lines &= base[ROW].isin(frame[ROW]).to_numpy()  # rows set aside or filtered out: not lines
    found, loose = [], []
    for field, header, column in fields:
        at = lines & _nameless(base, fields) if field == "project_title" else lines
        if column in listed and (empty := ~_filled(groups.frame[column]) & at).any():
            found.append(_no_value_above(header, *_rows(base, empty)))
        elif column not in listed and (under := under_a_value(base[column], starts) & at).any():
            loose.append((header, _rows(base, under)[0]))
    if loose:
        fill = ordered(base, list(manifest.read.fill_down) + [h for h, _ in loose], raw)
        # Columns empty on the same rows (a project's name, title, département): one doubt.
        same: dict[tuple[int, ...], list[str]] = {}
        for header, rows in loose:
            same.setdefault(tuple(rows), []).append(header)
        found += [_empty_under(headers, list(rows), fill) for rows, headers in same.items()]
    return found


def ordered(frame: pd.DataFrame, headers: list[str], raw: RawTable) -> list[str]:
    """Outermost first: the header written on fewest rows opens the widest groups (file order
    among equals)."""
    known = [(h, c) for h in dict.fromkeys(headers) if (c := label_column(raw, h)) is not None]
    position = {c: i for i, c in enumerate(frame.columns)}
    return [
        h
        for h, c in sorted(
            known, key=lambda hc: (int(_filled(frame[hc[1]]).sum()), position[hc[1]])
        )
    ]


def _empty_under(headers: list[str], rows: list[int], fill: list[str]) -> Problem:
    shown = ", ".join(map(str, rows[:_SHOWN])) + (" …" if len(rows) > _SHOWN else "")
    quoted = [f"« {h} »" for h in headers]
    named = ", ".join(quoted[:-1]) + " et " + quoted[-1] if len(quoted) > 1 else quoted[0]
    what = (
        f"la colonne {named} est vide sur {len(rows)} ligne(s) qui ont leur montant (lignes "
        f"{shown}), sous une ligne qui la remplit"
        if len(headers) == 1
        else f"les colonnes {named} sont vides sur {len(rows)} ligne(s) qui ont leur montant "
        f"(lignes {shown}), sous une ligne qui les remplit"
    )
    order = " (de la colonne la plus englobante à la plus fine)" if len(fill) > 1 else ""
    return doubt(
        "grouped_rows",
        f"{what} : une valeur écrite une fois pour un groupe de lignes (regroupement visuel, "
        "projet cofinancé sur plusieurs lignes) ? Rien n'est recopié sans que le manifeste le dise",
        row=rows[0],
        column=headers[0],
        fix=f"si chaque cellule vide vaut celle du dessus, l'écrire sous read: « fill_down: "
        f"[{', '.join(fill)}] »{order}",
    )


def _no_value_above(header: str, rows: list[int], shown: str) -> Problem:
    return doubt(
        "grouped_rows",
        f"la colonne « {header} » (read.fill_down) est vide en tête de groupe sur {len(rows)} "
        f"ligne(s) (lignes {shown}) : rien au-dessus à recopier (début du tableau ou de la "
        "feuille, ligne vide ou de total juste au-dessus)",
        row=rows[0],
        column=header,
        fix=f"vérifier ces lignes dans le fichier : « {header} » y manque en tête de groupe",
    )


def proposed_fill_down(raw: RawTable, columns: dict[str, str], amounts: list[str]) -> list[str]:
    """The headers `mille-jours new-source` proposes to fill down: a grouped field empty on a
    third of the rows or more, each empty cell with a value above it and an amount of its own."""
    fields = _fields(raw, columns)
    amount_columns = [c for h in amounts if (c := label_column(raw, h)) is not None]
    lines = _with_amount(raw.frame, amount_columns, [c for _, _, c in fields])
    if not lines.any():
        return []
    starts = group_starts(raw, raw.frame)
    chosen = []
    for field, header, column in fields:
        rows = lines & _nameless(raw.frame, fields) if field == "project_title" else lines
        empty = ~_filled(raw.frame[column]) & rows
        under = under_a_value(raw.frame[column], starts) & rows
        if under.sum() >= max(2, lines.sum() / 3) and (under == empty).all():
            chosen.append(header)
    return ordered(raw.frame, chosen, raw)
