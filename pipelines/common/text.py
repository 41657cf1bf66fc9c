"""Text normalization shared by every lookup: one key for every spelling of a name."""

from __future__ import annotations

import functools
import re

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def text_key(value: object) -> str:
    """Lower case, no accents, punctuation and hyphens folded to single spaces.

    "Centre-Val de Loire", "centre val de loire" and "CENTRE – VAL DE LOIRE" share one key.
    """
    return _text_key(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _text_key(text: str) -> str:
    # Header detection asks for the key of the same cells and labels many times over.
    return _NON_ALNUM.sub(" ", unidecode(text).lower()).strip()


def french_number(value: float, decimals: int | None = None) -> str:
    """563200 → « 563 200 », 12.5 → « 12,50 »: narrow no-break space, decimal comma.

    `decimals=None` shows cents only when there are any (rounded to the cent first).
    """
    value = float(value)
    if decimals is None:
        value = round(value, 2)
        decimals = 0 if value.is_integer() else 2
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def french_euros(value: float, decimals: int | None = None) -> str:
    """563200 → « 563 200 € », as `french_number` writes the number."""
    return f"{french_number(value, decimals)} €"


def slug(name: str) -> str:
    """A name as a folder of raw/: « Centre-Val de Loire » → centre-val-de-loire."""
    return text_key(name).replace(" ", "-")


def clean_cell(value: object) -> str | None:
    """A cell as text: whitespace of every kind folded, None for an empty cell."""
    if value is None:
        return None
    text = str(value)
    if text.lower() == "nan":
        return None
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()
    return text or None


# Control characters no published text may hold: C0 and C1 except tab and newline, bidi overrides
# and isolates, zero-width characters and the byte-order mark. Python and RE2 (Arrow) spellings.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
CONTROL_RE2 = (r"[\x00-\x08\x0b-\x1f\x7f-\x{9f}\x{200b}-\x{200f}\x{202a}-\x{202e}\x{2060}-\x{2064}"
               r"\x{2066}-\x{2069}\x{feff}]")


def strip_control(text: str) -> str:
    return CONTROL.sub("", text)
