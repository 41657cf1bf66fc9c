"""The `coverage` table as the page and the README show it: every region × year, with a legend
that says in words what each status and each level means (never a bare « — »)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from unidecode import unidecode

# How fully a collected campaign is known (consolidate/coverage.py): the words and the page's style.
KNOWLEDGE = {
    "full": ("liste complète", "complete", "tous les lauréats annoncés sont nommés"),
    "partial": ("liste partielle", "partielle", "une partie des lauréats seulement est nommée"),
    "totals": (
        "totaux seulement",
        "totaux",
        "le nombre de lauréats ou le montant total, sans la liste",
    ),
    "envelope": ("enveloppe seulement", "enveloppe", "seul le budget annoncé est connu"),
    "campaign": ("campagne seulement", "campagne", "la campagne est connue, sans aucun chiffre"),
}
NATIONAL_LABEL = "France (national)"
STATUSES = {
    "collected": (
        "collecté",
        "collecte",
        "au moins une campagne de la région cette année-là est dans le paquet ; la case dit alors "
        "ce qui en est publié",
    ),
    "searched_nothing_found": (
        "cherché, rien trouvé",
        "cherche",
        "cherché sans rien trouver de public (la date, les lieux et le relevé de chaque recherche "
        "sont donnés ci-dessous et dans la table coverage)",
    ),
    "not_searched": ("pas encore cherché", "non-cherche", "aucune recherche enregistrée"),
}


def knowledge_label(knowledge: str) -> str:
    return KNOWLEDGE[knowledge][0]


def legend() -> dict[str, list[dict[str, str]]]:
    """Every level and every status, each with its words and its style: shown under the grid."""
    return {
        "levels": [{"label": w, "css": c, "help": h} for w, c, h in KNOWLEDGE.values()],
        "statuses": [{"label": w, "css": c, "help": h} for w, c, h in STATUSES.values()],
    }


def coverage_grid(table: pd.DataFrame, campaigns: list[dict[str, Any]]) -> dict[str, Any]:
    """All the regions of the coverage table × its years, each cell its status and, when collected,
    its campaigns (`campaigns`: the README's rows, with their level); national campaigns on a row
    of their own, last."""
    years = sorted(int(y) for y in table["year"].unique())
    by_cell: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for c in campaigns:
        css = next(css for label, css, _ in KNOWLEDGE.values() if label == c["level"])
        by_cell.setdefault((c["region"], c["year"]), []).append({**c, "css": css})
    cells: dict[str, dict[int, dict[str, Any]]] = {}
    for r in table.to_dict("records"):
        label, css, _ = STATUSES[r["status"]]
        cells.setdefault(r["region_name"], {})[int(r["year"])] = {
            "status": r["status"],
            "label": label,
            "css": css,
            "campaigns": by_cell.get((r["region_name"], int(r["year"])), []),
            "searched_on": _text(r["searched_on"]),
            "searched_where": _text(r["searched_where"]),
        }
    rows = [(name, [cells[name][y] for y in years]) for name in sorted(cells, key=_sort_key)]
    national = [c for c in by_cell if c[0] == NATIONAL_LABEL]
    if national:
        rows.append(
            (
                NATIONAL_LABEL,
                [
                    {"status": "national", "campaigns": by_cell.get((NATIONAL_LABEL, y), [])}
                    for y in years
                ],
            )
        )
    return {"years": years, "rows": rows, "legend": legend(), "searches": searches(table)}


def searches(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Each search that found nothing public: when, where, by which record, the cells it covers."""
    searched = table[table["status"] == "searched_nothing_found"]
    out = []
    keys = ["searched_on", "searched_where", "search_source_ids"]
    for (on, where, records), group in searched.groupby(keys, sort=True):
        out.append(
            {
                "on": str(on),
                "where": str(where),
                "records": str(records),
                "cells": len(group),
                "regions": sorted(set(group["region_name"]), key=_sort_key),
            }
        )
    return out


def counts(table: pd.DataFrame) -> dict[str, int]:
    """How many region × year cells each status has, for the page's and the README's sentence."""
    found = table["status"].value_counts()
    return {status: int(found.get(status, 0)) for status in STATUSES}


def _text(value: Any) -> str | None:
    return None if value is None or pd.isna(value) else str(value)


def _sort_key(name: str) -> str:
    return unidecode(name).lower()
