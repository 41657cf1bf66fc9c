"""Text normalization shared by every lookup: one key for every spelling of a name."""

from __future__ import annotations

import re

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def text_key(value: object) -> str:
    """Lower case, no accents, punctuation and hyphens folded to single spaces.

    "Centre-Val de Loire", "centre val de loire" and "CENTRE – VAL DE LOIRE" share one key.
    """
    return _NON_ALNUM.sub(" ", unidecode(str(value)).lower()).strip()


def french_number(value: float, decimals: int | None = None) -> str:
    """563200 → « 563 200 », 12.5 → « 12,50 »: narrow no-break space, decimal comma.

    `decimals=None` shows cents only when there are any (rounded to the cent first).
    """
    value = float(value)
    if decimals is None:
        value = round(value, 2)
        decimals = 0 if value.is_integer() else 2
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def clean_cell(value: object) -> str | None:
    """A cell as text: whitespace of every kind folded, None for an empty cell."""
    if value is None:
        return None
    text = str(value)
    if text.lower() == "nan":
        return None
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()
    return text or None
