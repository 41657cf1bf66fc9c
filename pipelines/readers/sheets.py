"""What spreadsheet readers share: choosing the sheet, and writing a typed cell as text."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

from pipelines.problems import SourceError

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
    raise SourceError(path, f"feuille {sheet!r} introuvable", place="manifeste, read.sheet",
                      fix=f"donner le nom exact ou le numéro (1 à {len(names)}) d'une feuille : "
                          f"{', '.join(repr(n) for n in names)}")


def number_text(value: float, decimal: str = ",") -> str:
    """A numeric cell as the text a person would type: 12500.5, never 12500.500000001.

    Spreadsheet arithmetic leaves binary noise far below the cent, so six decimals are kept.
    """
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))  # SIRET, codes, whole euros: no ".0"
    rounded = round(value, 6)
    text = str(int(rounded)) if rounded.is_integer() else repr(rounded)
    if "e" in text:
        text = format(Decimal(text), "f")
    if decimal == "," and _DOT_GROUPS.fullmatch(text):
        text += "0"  # 1.234 (a number) must not read as 1 234 € where the decimal mark is ","
    return text


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
