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


def clean_cell(value: object) -> str | None:
    """A cell as text: whitespace of every kind folded, None for an empty cell."""
    if value is None:
        return None
    text = str(value)
    if text.lower() == "nan":
        return None
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()
    return text or None
