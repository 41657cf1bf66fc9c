"""The `figures` table: every published figure in long form, built from the tables already built.

One row per figure, with how the source words it, the year and its wording, the source and the
sentence its manifest quotes (`sources.note` when it quotes between « »). Computed figures (the
named lines and the sum of their amounts) are said to be ours: qualifier `sum`, no quote.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

# campaigns column → (measure, the column of its wording, or a fixed wording).
ANNOUNCED = (
    ("envelope_eur", "envelope", "envelope_qualifier"),
    ("declared_awards_count", "declared_awards_count", "declared_awards_qualifier"),
    ("declared_total_eur", "declared_total", "declared_total_qualifier"),
    ("award_cap_eur", "award_cap", "maximum"),
    ("regional_envelope_min_eur", "regional_envelope_min", "minimum"),
)
DECLARED = ("declared_awards_count", "declared_total_eur")
DISTINCT = ("funder", "budget_line", "department_code", "theme")


def quotes(sources: pd.DataFrame) -> dict[str, str]:
    """The note of each source that quotes its publisher (« … »)."""
    return {
        sid: note
        for sid, note in zip(sources["source_id"], sources["note"])
        if isinstance(note, str) and "«" in note
    }


def figure_rows(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    campaigns = tables["campaigns"]
    years = {
        c: (int(y), q)
        for c, y, q in zip(campaigns["campaign_id"], campaigns["year"], campaigns["year_qualifier"])
    }
    rows = (
        _announced(campaigns)
        + _budget_lines(tables["campaign_budgets"])
        + _counts(tables["campaign_counts"])
        + _computed(tables["awards"])
    )
    quoted = quotes(tables["sources"])
    out, seen = [], set()
    for row in rows:
        year, year_qualifier = years[row["campaign_id"]]
        parts = [row["campaign_id"], row["measure"]]
        parts += [str(row[k]) for k in DISTINCT if _given(row.get(k))] + [row["source_id"]]
        figure_id = "/".join(parts)
        while figure_id in seen:  # two counts of one source for the same place: both kept
            figure_id += "+"
        seen.add(figure_id)
        computed = row["measure"] in ("named_awards_count", "awarded_total_computed")
        out.append(
            {
                **row,
                "figure_id": figure_id,
                "year": year,
                "year_qualifier": year_qualifier,
                "quote": None
                if computed or row["qualifier"] == "sum"
                else quoted.get(row["source_id"]),
            }
        )
    return out


def _given(value: Any) -> bool:
    return value is not None and not (not isinstance(value, str) and pd.isna(value))


def _announced(campaigns: pd.DataFrame) -> list[dict[str, Any]]:
    rows = []
    for c in campaigns.to_dict("records"):
        for column, measure, wording in ANNOUNCED:
            if not _given(c[column]):
                continue
            qualifier = c[wording] if wording.endswith("_qualifier") else wording
            rows.append(
                {
                    "campaign_id": c["campaign_id"],
                    "measure": measure,
                    "value": float(c[column]),
                    "qualifier": qualifier or "exact",
                    "funder": c.get("declared_funder") if column in DECLARED else None,
                    "source_id": c["source_id"],
                }
            )
    return [{**r, "funder": r["funder"] if _given(r["funder"]) else None} for r in rows]


def _budget_lines(budgets: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "campaign_id": b["campaign_id"],
            "measure": "budget_line",
            "value": float(b["amount_eur"]),
            "qualifier": b["qualifier"] if _given(b["qualifier"]) else "exact",
            "funder": b["funder"],
            "budget_line": b["budget_line"],
            "source_id": b["source_id"],
        }
        for b in budgets.to_dict("records")
    ]


def _counts(counts: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "campaign_id": c["campaign_id"],
            "measure": f"{c['subject']}_count",
            "value": float(c["count"]),
            "qualifier": c["count_qualifier"],
            "department_code": c["department_code"] if _given(c["department_code"]) else None,
            "theme": c["theme"] if _given(c["theme"]) else None,
            "source_id": c["source_id"],
        }
        for c in counts.to_dict("records")
    ]


def _computed(awards: pd.DataFrame) -> list[dict[str, Any]]:
    """Per campaign and source: the named projects and the sum of the amounts published."""
    rows: list[dict[str, Any]] = []
    if not len(awards):
        return rows
    projects = awards.drop_duplicates(["campaign_id", "source_id", "source_row"])
    named = projects.groupby(["campaign_id", "source_id"]).size()
    amounts = awards.groupby(["campaign_id", "source_id"])["amount_eur"].sum(min_count=1)
    for (campaign_id, source_id), lines in named.items():
        base = {"campaign_id": campaign_id, "qualifier": "sum", "source_id": source_id}
        rows.append({**base, "measure": "named_awards_count", "value": float(lines)})
        amount = amounts.get((campaign_id, source_id))
        if _given(amount):
            rows.append({**base, "measure": "awarded_total_computed", "value": float(amount)})
    return rows
