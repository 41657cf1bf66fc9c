"""What spreadsheet readers share: choosing the sheet, and writing a typed cell as text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.problems import SourceError

_DOT_GROUPS = re.compile(r"-?\d{1,3}(\.\d{3})+")


def choose_sheet(path: Path, names: list[str], visible: list[str], sheet: str | int | None) -> str:
    """`read.sheet` by name or 1-based position; by default the first visible sheet."""
    if sheet is None:
        return (visible or names)[0]
    if isinstance(sheet, str) and sheet in names:
        return sheet
    if isinstance(sheet, str):
        by_key = [n for n in names if n.strip().casefold() == sheet.strip().casefold()]
        if by_key:
            return by_key[0]
    index = sheet if isinstance(sheet, int) else int(sheet) if sheet.strip().isdigit() else None
    if index is not None and 1 <= index <= len(names):
        return names[index - 1]
    raise SourceError(
        path,
        f"feuille {sheet!r} introuvable",
        place="manifeste, read.sheet",
        fix=f"donner le nom exact ou le numéro (1 à {len(names)}) d'une feuille : "
        f"{', '.join(repr(n) for n in names)}",
    )


def choose_sheets(path: Path, names: list[str], visible: list[str], options) -> list[str]:
    """The sheets to read: `read.sheets` ("all": every sheet, hidden ones too, which the layout
    then sets aside or reads as `read.hidden` says; or a list), else `read.sheet`."""
    if options.sheets is None:
        return [choose_sheet(path, names, visible, options.sheet)]
    if options.sheets == "all":
        return names
    return list(dict.fromkeys(choose_sheet(path, names, visible, s) for s in options.sheets))


def numbers_text(values: np.ndarray, decimal: str = ",") -> list[str]:
    """Numeric cells as the text a person would type: 12500.5, never 12500.500000001; 37, not 37.0.

    Spreadsheet arithmetic leaves binary noise far below the cent, so six decimals are kept.
    A whole column at once (Arrow writes the shortest text that reads back as the same number).
    """
    return numbers_array(values, decimal).to_pylist()


def numbers_array(values: np.ndarray, decimal: str = ",") -> pa.Array:
    """`numbers_text` as an Arrow large_string array, for readers that keep columns in Arrow."""
    rounded = np.round(np.asarray(values, dtype=float), 6)
    whole = np.isfinite(rounded) & (rounded == np.trunc(rounded)) & (np.abs(rounded) < 1e15)
    text = pc.if_else(
        pa.array(whole),
        pc.cast(pa.array(np.where(whole, rounded, 0).astype(np.int64)), pa.large_string()),
        pc.cast(pa.array(rounded), pa.large_string()),
    )
    if decimal == ",":  # 1.234 (a number) must not read as 1 234 € where the decimal mark is ","
        ambiguous = pc.match_substring_regex(text, _DOT_GROUPS.pattern.join("^$"))
        zero, empty = pa.scalar("0", pa.large_string()), pa.scalar("", pa.large_string())
        text = pc.if_else(ambiguous, pc.binary_join_element_wise(text, zero, empty), text)
    spelled = pc.match_substring_regex(text, "[en]")
    if not pc.any(spelled).as_py():
        return text
    # 1e+15, 2.5e-07, nan, inf: written out in full
    full = [
        format(Decimal(repr(float(rounded[i]))), "f")
        if np.isfinite(rounded[i])
        else str(rounded[i])
        for i in np.flatnonzero(spelled.to_numpy(zero_copy_only=False))
    ]
    return pc.replace_with_mask(text, spelled, pa.array(full, type=pa.large_string()))


def number_text(value: float, decimal: str = ",") -> str:
    return numbers_text(np.array([value]), decimal)[0]


def cell_text(value: object, decimal: str = ",") -> str | None:
    """Any typed spreadsheet value as text; None when empty."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, (int, float)):
        return number_text(float(value), decimal) if isinstance(value, float) else str(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
