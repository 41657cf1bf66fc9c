"""What the map knows of each département: laureates announced there (campaign_counts) and award
lines named there (awards), each said for what it is, never a zero where a count is announced.

The page's filters redraw the map in the browser: `map_data` carries the announced counts with the
region and year of their campaign, and the classes the shapes are coloured by.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from pipelines.publish.wording import count, missing, worded

# Classes of laureates known in a département (the larger of the announced count and the named
# lines): none, 1, 2–3, 4 and more; light to dark, the legend names each.
CLASSES = (
    (0, 0, "#eef0f2", "aucun lauréat connu"),
    (1, 1, "#b9d3ee", "1"),
    (2, 3, "#5b8fcf", "2 ou 3"),
    (4, None, "#1f4f8a", "4 ou plus"),
)
# A département whose laureates are only announced, none named, is hatched: the pattern's id.
HATCH = "hachure-{}"


def klass(known: int) -> int:
    return next(
        i
        for i, (low, high, _, _) in enumerate(CLASSES)
        if known >= low and (high is None or known <= high)
    )


def fill(known: int, announced_only: bool = False) -> str:
    k = klass(known)
    return f"url(#{HATCH.format(k)})" if announced_only and k else CLASSES[k][2]


def plural(n: int, word: str) -> str:
    return f"{word}s" if n > 1 else word


def announced_words(announced: int | None, qualifier: str | None) -> str:
    if announced is None:
        return "aucun nombre de lauréats annoncé"
    n = int(announced)
    return f"{count(n, qualifier)} {plural(n, 'lauréat')} {plural(n, 'annoncé')}"


@dataclass(frozen=True)
class DepartementFigure:
    code: str
    name: str
    lines: int
    with_amount: int
    amount: float | None
    announced: int | None = None
    announced_qualifier: str | None = None

    @property
    def known(self) -> int:
        return max(self.lines, self.announced or 0)

    @property
    def announced_only(self) -> bool:
        return bool(self.announced) and not self.lines

    @property
    def counts(self) -> str:
        """« 3 lauréats annoncés, 0 ligne nommée »: both, whichever is known."""
        lines = f"{self.lines} {plural(self.lines, 'ligne')} {plural(self.lines, 'nommée')}"
        return f"{announced_words(self.announced, self.announced_qualifier)}, {lines}"

    @property
    def label(self) -> str:
        amount = worded(
            self.amount, "sum" if self.with_amount > 1 else None, empty="montant non publié"
        )
        return f"{self.name} ({self.code}) : {self.counts}" + (f", {amount}" if self.lines else "")


def announced_laureates(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Laureates announced per département, with the region and year of their campaign."""
    counts = tables["campaign_counts"]
    counts = counts[(counts["subject"] == "laureates") & counts["department_code"].notna()]
    campaigns = tables["campaigns"][["campaign_id", "region_code", "year"]]
    return counts.merge(campaigns, on="campaign_id", how="left")[
        ["department_code", "region_code", "year", "count", "count_qualifier"]
    ]


def _announced_total(rows: pd.DataFrame) -> tuple[int, str | None]:
    """One announcement keeps its wording; several are a sum we computed."""
    if len(rows) == 1:
        q = rows["count_qualifier"].iloc[0]
        return int(rows["count"].iloc[0]), None if missing(q) else str(q)
    return int(rows["count"].sum()), "sum"


def figures(tables: dict[str, pd.DataFrame]) -> dict[str, DepartementFigure]:
    names = dict(
        zip(tables["departements"]["department_code"], tables["departements"]["department_name"])
    )
    amounts = tables["awards"].groupby("department_code")["amount_eur"]  # one pass for all
    lines, with_amount, total = amounts.size(), amounts.count(), amounts.sum(min_count=1)
    announced = dict(list(announced_laureates(tables).groupby("department_code")))
    out = {}
    for code, name in names.items():
        amount = total.get(code)
        n, q = _announced_total(announced[code]) if code in announced else (None, None)
        out[code] = DepartementFigure(
            code,
            name,
            int(lines.get(code, 0)),
            int(with_amount.get(code, 0)),
            None if amount is None or pd.isna(amount) else float(amount),
            n,
            q,
        )
    return out


def map_data(tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """For the page's script: names, announced counts by campaign region and year, classes."""
    announced = announced_laureates(tables)
    return {
        "noms": dict(
            zip(
                tables["departements"]["department_code"],
                tables["departements"]["department_name"],
            )
        ),
        "annonces": [
            [
                r.department_code,
                r.region_code,
                str(r.year),
                int(r.count),
                None if missing(r.count_qualifier) else str(r.count_qualifier),
            ]
            for r in announced.itertuples(index=False)
        ],
        "classes": [[low, high, color] for low, high, color, _ in CLASSES],
        "hachure": HATCH,
    }
