"""An announced figure written as the publisher worded it: « au moins 370 000 € », « 300 000 € (somme calculée) ».

One writer for the overview page, its charts and the dataset README, so the three say the same.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from pipelines.common.text import french_number

# The publisher's own words: « a minima » is « au moins », a ceiling is « jusqu'à ».
PREFIX = {"minimum": "au moins ", "maximum": "jusqu'à ", "approximate": "environ "}
SUFFIX = {"sum": " (somme calculée)"}

# « non publié » agrees with what is missing: une enveloppe, des montants, un montant total.
ENVELOPE_MISSING = "non publiée"
AMOUNTS_MISSING = "non publiés"
TOTAL_MISSING = "non publié"
# The same, by the name the page and its charts give each figure.
MISSING_BY_NAME = {
    "Enveloppe annoncée": ENVELOPE_MISSING,
    "Montant total annoncé": TOTAL_MISSING,
    "Montants publiés par ligne": AMOUNTS_MISSING,
}


def missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def worded(
    value: Any, qualifier: Any = None, unit: str = "\u00a0€", empty: str = "non publié"
) -> str:
    """The figure with its wording; `empty` when the source does not give it (never a zero)."""
    if missing(value):
        return empty
    q = "" if missing(qualifier) else str(qualifier)
    return f"{PREFIX.get(q, '')}{french_number(float(value), 0)}{unit}{SUFFIX.get(q, '')}"


def count(value: Any, qualifier: Any = None, empty: str = "non publié") -> str:
    return worded(value, qualifier, unit="", empty=empty)
