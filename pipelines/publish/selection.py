"""The awards table of the overview page, and what « Télécharger cette sélection » writes.

A national list has tens of thousands of lines: the page carries them once, as compact data (one
JSON block, columns of data/awards.csv's cells, a repeated value written once), and shows them in
pages of PAGE_ROWS. The first page is written in the HTML, so the page reads without JavaScript;
the script draws the others, filters the lines and writes the chosen ones exactly as
data/awards.csv writes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from pipelines.publish.files import csv_cells
from pipelines.publish.wording import worded
from schemas.tables import TABLES

PAGE_ROWS = 50


@dataclass
class AwardsView:
    """The table's lines in the page's order: the first page as rows, every line as data."""

    count: int
    first_page: list[dict[str, Any]]
    regions: list[tuple[str, str]]  # (code, label): every region of a campaign, named lines or not
    years: list[tuple[str, str]]
    funders: list[tuple[str, str]]
    departements: list[tuple[str, str]]
    data: Markup


def awards_view(
    tables: dict[str, pd.DataFrame],
    regions: dict[str, str],
    funder_names: dict[str, str],
    funder_labels: dict[str, str],
    sort_key: Callable[[str], str],
) -> AwardsView:
    awards = tables["awards"]
    cells = csv_cells(awards, TABLES["awards"])
    # Plain values for what the page shows (a cell of the CSV may carry a formula's guard).
    shown = {c: awards[c].tolist() for c in ("beneficiary_name", "project_title", "amount_eur")}
    order = _display_order(cells, regions, shown["beneficiary_name"], sort_key)
    departements = {
        code: f"{name} ({code})"
        for code, name in zip(
            tables["departements"]["department_code"], tables["departements"]["department_name"]
        )
    }
    sources = {
        s: [u if isinstance(u, str) else "", p if isinstance(p, str) and p else s]
        for s, u, p in zip(
            tables["sources"]["source_id"], tables["sources"]["url"], tables["sources"]["publisher"]
        )
    }
    funders = sorted(set(cells["funder"]))
    # Sorted: the same inputs give the same bytes, whatever the order of a set.
    lookups: dict[str, dict[str, Any]] = {
        "regions": {c: regions.get(c, c) for c in sorted(set(cells["region_code"]))},
        "departements": {
            c: departements.get(c, f" ({c})") for c in sorted(set(cells["department_code"])) if c
        },
        "financeurs": {f: [funder_labels.get(f, f), funder_names.get(f, f)] for f in funders},
        "sources": {s: sources.get(s, ["", s]) for s in sorted(set(cells["source_id"]))},
    }
    view = {
        "montant": [worded(shown["amount_eur"][i]) for i in order],
        "sans_montant": [k for k, i in enumerate(order) if pd.isna(shown["amount_eur"][i])],
        "en_clair": _plain_overrides(cells, shown, order),
    }
    data = {
        "page": PAGE_ROWS,
        "colonnes": TABLES["awards"].columns,
        "cellules": _columns(cells, order),
        **lookups,
        **view,
    }
    first = [_row(cells, data, k, i) for k, i in enumerate(order[:PAGE_ROWS])]
    return AwardsView(
        count=len(order),
        first_page=first,
        regions=_region_choices(tables["campaigns"], cells, regions, sort_key),
        years=_year_choices(tables["campaigns"], cells),
        funders=sorted(
            ((f, funder_names.get(f, f)) for f in funders), key=lambda f: sort_key(f[1])
        ),
        departements=sorted(lookups["departements"].items()),
        data=_data_block(data),
    )


# A choice of the filters whose region or year names no line: offered all the same, so that a
# shared address filtered on it opens filtered (on an empty table), never silently unfiltered.
NO_LINE = " (aucune ligne nommée)"


def _region_choices(
    campaigns: pd.DataFrame,
    cells: dict[str, list[str]],
    regions: dict[str, str],
    sort_key: Callable[[str], str],
) -> list[tuple[str, str]]:
    named = set(cells["region_code"])
    codes = named | {c for c in campaigns["region_code"] if isinstance(c, str) and c}
    labels = [(c, regions.get(c, c)) for c in codes]
    return [
        (c, name + ("" if c in named else NO_LINE))
        for c, name in sorted(labels, key=lambda r: (sort_key(r[1]), r[0]))
    ]


def _year_choices(campaigns: pd.DataFrame, cells: dict[str, list[str]]) -> list[tuple[str, str]]:
    named = {int(y) for y in cells["year"]}
    years = sorted(named | {int(y) for y in campaigns["year"].dropna()})
    return [(str(y), str(y) + ("" if y in named else NO_LINE)) for y in years]


def _display_order(
    cells: dict[str, list[str]],
    regions: dict[str, str],
    beneficiaries: list[str],
    sort_key: Callable[[str], str],
) -> list[int]:
    """Region, year, beneficiary, then id; each name transliterated once (names come back)."""
    names = [regions.get(c, c) for c in cells["region_code"]]
    keys = {n: sort_key(n) for n in set(names) | set(beneficiaries)}
    years = [int(y) for y in cells["year"]]
    ids = cells["award_id"]
    return sorted(
        range(len(ids)), key=lambda i: (keys[names[i]], years[i], keys[beneficiaries[i]], ids[i])
    )


def _plain_overrides(
    cells: dict[str, list[str]], shown: dict[str, list[Any]], order: list[int]
) -> dict[int, list[str]]:
    """The rare lines whose name or title the page shows otherwise than the CSV writes them."""
    out = {}
    for k, i in enumerate(order):
        name, title = shown["beneficiary_name"][i], shown["project_title"][i]
        title = title if isinstance(title, str) else ""
        if name != cells["beneficiary_name"][i] or title != cells["project_title"][i]:
            out[k] = [name, title]
    return out


def _columns(cells: dict[str, list[str]], order: list[int]) -> dict[str, Any]:
    """Each column of data/awards.csv in the page's order, encoded (an award's id after its campaign's)."""
    ordered = {c: [cells[c][i] for i in order] for c in TABLES["awards"].columns}
    return {
        c: _encoded(v, ("campaign_id", ordered["campaign_id"]) if c == "award_id" else None)
        for c, v in ordered.items()
    }


def _encoded(cells: list[str], after: tuple[str, list[str]] | None = None) -> Any:
    """A column in as few bytes as plainly readable: a value common to every line once; values
    that repeat (region, campaign, funder, a beneficiary) once each, and an index per line; cells
    that begin with another column's cell and « - » (an award's id, its campaign's) without it."""
    distinct = {c: n for n, c in enumerate(dict.fromkeys(cells))}
    if len(distinct) == 1:
        return {"valeurs": list(distinct)}
    if len(distinct) * 2 <= len(cells):
        return {"valeurs": list(distinct), "indices": [distinct[c] for c in cells]}
    if after and all(c.startswith(f"{p}-") for c, p in zip(cells, after[1])):
        return {"apres": after[0], "suites": [c[len(p) + 1 :] for c, p in zip(cells, after[1])]}
    return cells


def _row(cells: dict[str, list[str]], data: dict[str, Any], k: int, i: int) -> dict[str, Any]:
    """The k-th line of the page (line i of the table), as the template and the script show it."""
    region, dep, funder = cells["region_code"][i], cells["department_code"][i], cells["funder"][i]
    name, title = data["en_clair"].get(k, [cells["beneficiary_name"][i], cells["project_title"][i]])
    url, publisher = data["sources"][cells["source_id"][i]]
    return {
        "id": cells["award_id"][i],
        "region_code": region,
        "region": data["regions"][region],
        "year": cells["year"][i],
        "department_code": dep,
        "department": data["departements"][dep] if dep else "département non publié",
        "beneficiary": name,
        "project": title or "—",
        "funder": funder,
        "funder_label": data["financeurs"][funder][0],
        "funder_name": data["financeurs"][funder][1],
        "amount": data["montant"][k],
        "has_amount": k not in data["sans_montant"][:PAGE_ROWS],
        "source_url": url or None,
        "publisher": publisher,
    }


def _data_block(data: dict[str, Any]) -> Markup:
    """Embedded as a JSON data block (never run by the browser); « < » is escaped so no cell can
    close the block."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return Markup(text)
