"""Campaign years as publishers write them: a column of years, a year cell, the year in a campaign id.

One spelling for the stage (a doubt about a year column, a file whose `columns.year` gives each line
its campaign) and for `mille-jours new-source` (which proposes that column).
"""

from __future__ import annotations

import re

from pipelines.common.text import text_key

_MOST = 0.8  # share of a column's values that must be years
_YEAR_WORDS = re.compile(r"\b(annee|annees|exercice|millesime|campagne|session)\b")
# A year cell as the doubt looks for it: the programme's decades.
_YEAR = re.compile(r"^\s*(20[12]\d)\s*$")
_ANY_YEAR = re.compile(r"^\s*(\d{4})\s*$")
# « 2023-2024 », « 2023/24 », « 2023 – 2024 »: a school or budget year over two calendar years.
_PERIOD = re.compile(r"^\s*(20\d\d)\s*[-/–—]\s*(20\d\d|\d\d)\s*$")
# The year inside a campaign id (`normandie-2024-aap`): four digits standing alone.
_ID_YEAR = re.compile(r"(?<![0-9])(20\d\d)(?![0-9])")


def years_of(values: list[str]) -> list[int] | None:
    """The years a column holds when nearly all its values are years (2010–2029), else None."""
    years = [int(m.group(1)) for v in values if (m := _YEAR.match(v))]
    return sorted(set(years)) if values and len(years) >= _MOST * len(values) else None


def periods_of(values: list[str]) -> list[str] | None:
    """The periods over two years (« 2023-2024 ») a column holds when nearly all its values are
    such periods, else None."""
    found = [" ".join(v.split()) for v in values if _PERIOD.match(v)]
    return sorted(set(found)) if values and len(found) >= _MOST * len(values) else None


def says_year(label: str) -> bool:
    """A header that names a year: « Année », « Exercice », « Millésime », « Session »…"""
    return bool(_YEAR_WORDS.search(text_key(label)))


def year_column(label: str, values: list[str]) -> list[int] | None:
    """The years of a column that gives campaign years: its header names a year, or its values
    span several years. None for a column of something else (a single year under another name
    may be a date of birth, a founding year…)."""
    years = years_of(values)
    if not years or (not says_year(label) and len(years) == 1):
        return None
    return years


def parse_year(text: str) -> int:
    """A year cell → the year; a period over two years is never read as one of them."""
    if m := _ANY_YEAR.match(text):
        return int(m.group(1))
    if _PERIOD.match(text):
        raise ValueError(
            f"« {text} » couvre deux années (année scolaire ou budgétaire) : une ligne doit "
            "donner l'année de sa campagne, une seule"
        )
    raise ValueError(f"« {text} » n'est pas une année (quatre chiffres attendus, ex. 2023)")


def id_year(campaign_id: str) -> int | None:
    """The one year written in a campaign id (`normandie-2024-aap` → 2024); None when it holds none,
    or several different ones."""
    years = set(_ID_YEAR.findall(campaign_id))
    return int(years.pop()) if len(years) == 1 else None


def id_with_year(campaign_id: str, example_year: int) -> str:
    """An id with a year written in, to show how: `normandie-aap` → `normandie-2024-aap`."""
    head, _, rest = campaign_id.partition("-")
    return f"{head}-{example_year}-{rest}" if rest else f"{campaign_id}-{example_year}"


def campaign_of_year(campaign_id: str, title: str, year: int) -> tuple[str, str]:
    """The campaign of one year of a file over several: the manifest's id and title with their year
    replaced by `year`. A title naming no year, or others (« 2023-2025 »), gets « (2023) » appended."""
    written = id_year(campaign_id)
    if written is None:
        raise ValueError(f"l'identifiant de campagne « {campaign_id} » ne contient pas une année")
    same = re.compile(rf"(?<![0-9]){written}(?![0-9])")
    if set(_ID_YEAR.findall(title)) == {str(written)}:
        new_title = same.sub(str(year), title)
    else:
        new_title = f"{title} ({year})"
    return same.sub(str(year), campaign_id), new_title
