"""What in the file contradicts its reading: each a doubt (pipelines/common/doubts.py) that keeps the
source from « Prêt à soumettre » and from publication until the manifest settles it.

Detectors look at the whole file as read (`RawTable`) and at the rows kept; each returns doubts
with the place to look at. A doubt the manifest lists under `confirmed:` is not raised.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from pipelines.common.doubts import doubt
from pipelines.common.geography import departement_code
from pipelines.common.problems import Problem
from pipelines.common.text import text_key
from pipelines.common.values import funder_code, parse_amount
from pipelines.common.years import periods_of, says_year, year_column
from pipelines.read.layout import PLACE, ROW, RawTable
from pipelines.read.manifest import SHEET_COLUMN, Manifest
from pipelines.read.readers.items import HEADING_COLUMN, UNMATCHED_COLUMN
from pipelines.stage.doubts_amounts import amount_unit
from pipelines.stage.doubts_figures import FIGURE_DETECTORS
from pipelines.stage.doubts_groups import grouped_rows
from pipelines.stage.doubts_header import header_like_data
from pipelines.stage.doubts_hidden import hidden_rows, unread_as_ignored
from pipelines.stage.doubts_table import TABLE_DETECTORS
from pipelines.stage.merged import merged_amounts

Detector = Callable[[Manifest, RawTable, pd.DataFrame], list[Problem]]

_SAMPLE = 500  # values looked at per column: enough to tell what a column holds
_MOST = 0.8  # share of a column's values that must look alike
_AMOUNT_WORDS = re.compile(
    r"\b(montants?|subventions?|financements?|aides?|credits?|sommes?|euros?|eur|keur|meur|"
    r"dotations?|enveloppes?|participations?|cofinancements?|financement)\b"
)
_PLACE_WORDS = re.compile(r"\b(dep|dept|departement|departements|territoire)\b")
_OWN_COLUMNS = {SHEET_COLUMN, HEADING_COLUMN, UNMATCHED_COLUMN, ROW, PLACE}


def doubts(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """Every doubt about one source's reading, those the manifest confirms left out."""
    found: list[Problem] = []
    seen = unread_as_ignored(manifest, raw)  # read.hidden: skip leaves hidden columns unread
    for detect in DETECTORS:
        found += detect(seen, raw, frame)
    if any(d.code == "amount_unit" for d in found):
        # Amounts a thousand times too big because of their unit: one doubt says it, with the fix.
        found = [d for d in found if d.code != "implausible_amount"]
    return [d for d in found if d.code not in manifest.confirmed]


def _values(frame: pd.DataFrame, label: str) -> list[str]:
    column = frame[label].dropna() if label in frame else pd.Series([], dtype=object)
    # « — », « - », « / »: a cell left empty in its own way.
    return [str(v) for v in column.head(_SAMPLE).tolist() if any(c.isalnum() for c in str(v))]


def _share(values: list[str], test: Callable[[str], bool]) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _is_amount(value: str, decimal: str) -> bool:
    try:
        parse_amount(value, decimal)
    except ValueError:
        return False
    return True


def _is_funder(value: str) -> bool:
    try:
        return funder_code(value) != "NC"
    except ValueError:
        return False


def _unused_labels(manifest: Manifest, raw: RawTable) -> list[str]:
    used = set(manifest.mapped_columns.values()) | set(manifest.funder_amount_columns.values())
    if manifest.filter is not None:
        used.add(manifest.filter.column)
    ignored = {text_key(x) for x in manifest.ignore}
    return [
        label
        for label in raw.labels
        if label
        and label not in used
        and label not in _OWN_COLUMNS
        and text_key(label) not in ignored
    ]


def _looks_like(label: str, values: list[str], decimal: str) -> str | None:
    """What an unmapped column seems to hold, in French, or None when nothing worth a doubt."""
    key = text_key(label)
    if _AMOUNT_WORDS.search(key) and _share(values, lambda v: _is_amount(v, decimal)) >= _MOST:
        return "des montants"
    if values and _share(values, lambda v: "€" in v or "euro" in v.lower()) >= _MOST:
        return "des montants"
    named = [v for v in values if not v.strip().isdigit()]
    if (_PLACE_WORDS.search(key) or len(named) >= len(values) / 2) and _share(
        values, lambda v: departement_code(v) is not None
    ) >= _MOST:
        return "des départements"
    if _share(values, _is_funder) >= _MOST:
        return "des financeurs"
    return None


def unmapped_columns(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """A column neither mapped nor under `ignore:` whose values look like amounts, départements or
    funders: the reading may be missing what the publisher meant (years: `several_years`)."""
    if manifest.table != "awards":
        return []
    found = []
    for label in _unused_labels(manifest, raw):
        values = _values(frame, label)
        what = _looks_like(label, values, manifest.read.decimal) if values else None
        if what:
            found.append(
                doubt(
                    "unmapped_column",
                    f"la colonne « {label} » n'est ni reprise ni écartée, et elle contient "
                    f"{what} (ex. « {values[0]} »)",
                    column=label,
                    value=values[0],
                    fix=f"la reprendre sous columns:, ou ajouter « {label} » sous ignore:",
                )
            )
    return found


def several_years(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """A column of years other than the manifest's, or of periods over two years, that the manifest
    does not map as `columns.year`: lines of another campaign year would be published under this one."""
    if manifest.table != "awards":
        return []
    found = []
    ignored = {text_key(x) for x in manifest.ignore}
    mapped = text_key(manifest.mapped_columns.get("year", ""))
    for label in (x for x in raw.labels if x and x not in _OWN_COLUMNS):
        if text_key(label) in ignored or text_key(label) == mapped:
            continue
        values = _values(frame, label)
        years = year_column(label, values)
        periods = None if years or not says_year(label) else periods_of(values)
        if years and years != [manifest.year]:
            shown = ", ".join(str(y) for y in years[:6])
            said = (
                f"la colonne « {label} » donne les années {shown} alors que le manifeste "
                f"déclare year: {manifest.year}"
            )
            fix = (
                f"columns: {{year: {label}}} pour publier chaque ligne sous la campagne de son année "
                f"(raw/README.md, « Un fichier pour plusieurs années »), ou ajouter « {label} » "
                "sous ignore: si ces années ne sont pas celles de la campagne"
            )
        elif periods:
            shown = ", ".join(periods[:4])
            said = (
                f"la colonne « {label} » donne des périodes sur deux années ({shown}) : "
                f"laquelle de leurs années est celle de la campagne, year: {manifest.year} ?"
            )
            fix = (
                f"vérifier que year est bien l'année de la campagne, puis ajouter « {label} » sous "
                "ignore: (une période n'est jamais lue comme une année)"
            )
        else:
            continue
        found.append(
            doubt(
                "several_years",
                said,
                column=label,
                value=shown,
                fix=fix,
            )
        )
    return found


def years_of_column(raw: RawTable, label: str) -> list[int] | None:
    """The campaign years a column of the file gives, as the doubt sees them (new-source proposes
    such a column spanning several years as `columns.year`)."""
    return year_column(label, _values(raw.frame, label))


DETECTORS: list[Detector] = [
    unmapped_columns,
    several_years,
    amount_unit,
    grouped_rows,
    merged_amounts,
    hidden_rows,
    *TABLE_DETECTORS,
    *FIGURE_DETECTORS,
    header_like_data,
]
