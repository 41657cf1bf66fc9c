"""What the page shows of a trial reading: every line of the file with what became of it, the
file's own figures against the lines, the doubts and the personal data, and whether it may be
submitted. The reading itself is `mille-jours validate`'s, done in its sandboxed worker."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pipelines.common.doubts import DOUBT_CODES, DOUBTS
from pipelines.common.geography import cog
from pipelines.common.text import french_euros, french_number, text_key
from pipelines.contribute.report import exit_code, source_problems, verdict
from pipelines.stage.quality import PERSONAL_CODES, TODO_CODE
from pipelines.stage.staged import StagedSource

SHOWN_ROWS = 500
_SHOWN_COLUMNS = ("beneficiary_name", "project_title", "department_code", "funder", "amount_eur")
_KIND_FR = {
    "title": "titre",
    "total": "total",
    "note": "note",
    "blank": "vide",
    "header": "en-tête",
}


@dataclass
class Line:
    row: int | None
    state: str  # acceptée, rejetée, ignorée
    cells: list[str]
    reason: str = ""
    fix: str = ""


@dataclass
class Reading:
    verdict: str
    may_submit: bool
    error: str | None
    counts: dict[str, int] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    more_lines: int = 0
    figures: list[dict[str, Any]] = field(default_factory=list)
    doubts: list[dict[str, Any]] = field(default_factory=list)
    personal: list[dict[str, Any]] = field(default_factory=list)
    to_complete: list[dict[str, Any]] = field(default_factory=list)
    others: list[dict[str, Any]] = field(default_factory=list)
    total_eur: float = 0.0


def _text(value: Any) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return french_euros(value, 2)
    return str(value)


def summarize(s: StagedSource) -> Reading:
    """The trial reading `s` as the page shows it."""
    if s.error is not None:
        return Reading(verdict(s), False, s.error.describe())
    problems = source_problems(s)
    reading = Reading(
        verdict(s),
        exit_code([s]) == 0,
        None,
        counts={
            k: int(s.source[k])
            for k in ("rows_read", "rows_accepted", "rows_rejected", "rows_skipped")
        },
        figures=s.reconciliation(),
        total_eur=float(s.rows["amount_eur"].sum()) if "amount_eur" in s.rows else 0.0,
    )
    for p in problems:
        if p["code"] in DOUBT_CODES:
            name, settle = DOUBTS[p["code"]][:2]
            reading.doubts.append({**p, "name": name, "settle": settle})
        elif p["code"] in PERSONAL_CODES:
            reading.personal.append(p)
        elif p["code"] == TODO_CODE:
            reading.to_complete.append(p)
        elif p["code"] != "rejected_row":
            reading.others.append(p)
    reading.lines = _lines(s, problems)
    reading.more_lines = max(0, len(reading.lines) - SHOWN_ROWS)
    reading.lines = reading.lines[:SHOWN_ROWS]
    return reading


_YEAR = re.compile(r"(?<!\d)(20[2-3]\d)(?!\d)")


def place_doubts(s: StagedSource, region: str, year: int, file_name: str) -> list[str]:
    """What the file's own titles and notes (and its name) say of its region and year, when it is
    not what the contributor chose: the list would be published under another campaign."""
    texts = [x.text for x in s.skipped if x.kind in ("title", "note") and x.text]
    texts.append(file_name)
    doubts = []
    years = sorted({int(y) for t in texts for y in _YEAR.findall(t)})
    if years and year not in years:
        shown = ", ".join(map(str, years))
        doubts.append(
            f"le fichier parle de {shown}, pas de {year} (titres, notes ou nom du fichier)"
        )
    keys = " ".join(text_key(t) for t in texts)
    named = {code for code, name in cog().regions.items() if f" {text_key(name)} " in f" {keys} "}
    if named and region not in named:
        shown = ", ".join(sorted(cog().regions[c] for c in named))
        doubts.append(f"le fichier nomme {shown}, pas {cog().regions[region]}")
    return doubts


def _lines(s: StagedSource, problems: list[dict[str, Any]]) -> list[Line]:
    """Every line read, in file order: accepted (its published values), rejected (why, and the
    fix) or skipped (title, total, note…)."""
    lines: dict[int, Line] = {}
    columns = [c for c in _SHOWN_COLUMNS if c in s.rows.columns]
    for record in s.rows[["source_row", *columns]].to_dict("records") if len(s.rows) else ():
        row = int(record["source_row"])
        if row not in lines:  # a co-funded project is one line of the file
            lines[row] = Line(row, "acceptée", [_text(record[c]) for c in columns])
    for p in problems:
        if p["code"] == "rejected_row" and p["row"] is not None and p["row"] not in lines:
            cells = [_text(p["value"]) if c == "beneficiary_name" else "" for c in columns]
            lines[int(p["row"])] = Line(p["row"], "rejetée", cells, p["message"], p["fix"] or "")
    for x in s.skipped:
        if x.row is not None and x.row not in lines:
            kind = _KIND_FR.get(x.kind, x.kind)
            lines[int(x.row)] = Line(x.row, "ignorée", [x.text or ""], f"{kind} : {x.reason}")
    return [lines[r] for r in sorted(lines)]


def published_rows(s: StagedSource) -> list[dict[str, Any]]:
    """The list's campaigns as the dataset README's coverage table would show them."""
    from pipelines.consolidate.tables import consolidate
    from pipelines.publish.docs import coverage

    return coverage(consolidate([s]).tables)


FIGURES_FR = {"awards_count": "nombre de lauréats", "total_eur": "montant total"}


def figure_text(value: Any, figure: str) -> str:
    """An announced or computed figure as the page writes it (« 41 734,50 € », « 12 »)."""
    if value is None or (isinstance(value, float) and value != value):
        return "non calculable"
    if figure == "total_eur":
        return _text(float(value))
    return french_number(int(value), 0)


HEADERS_FR = {
    "beneficiary_name": "Bénéficiaire",
    "project_title": "Projet",
    "department_code": "Département",
    "funder": "Financeur",
    "amount_eur": "Montant",
}
