"""The awards table of the overview page, and what « Télécharger cette sélection » writes.

Each row of the page carries the machine values its filters read (region, year, funder,
département); the download writes the chosen rows exactly as data/awards.csv writes them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pandas as pd
from markupsafe import Markup

from pipelines.publish.files import csv_cells
from pipelines.publish.wording import worded
from schemas.tables import TABLES


def award_rows(
    tables: dict[str, pd.DataFrame],
    regions: dict[str, str],
    funder_names: dict[str, str],
    funder_labels: dict[str, str],
    sort_key: Callable[[str], str],
) -> list[dict[str, Any]]:
    departements = dict(
        zip(tables["departements"]["department_code"], tables["departements"]["department_name"])
    )
    urls = dict(zip(tables["sources"]["source_id"], tables["sources"]["url"]))
    publishers = dict(zip(tables["sources"]["source_id"], tables["sources"]["publisher"]))
    awards = tables["awards"]
    # Columns as lists: thousands of lines, and pandas hands over a cell at a time at a high price.
    columns = (
        "award_id",
        "region_code",
        "year",
        "department_code",
        "beneficiary_name",
        "project_title",
        "funder",
        "amount_eur",
        "source_id",
    )
    out = []
    for award_id, region, year, dep, beneficiary, project, funder, amount, source_id in zip(
        *(awards[c].tolist() for c in columns)
    ):
        dep = dep if isinstance(dep, str) else None
        out.append(
            {
                "id": award_id,
                "region_code": region,
                "region": regions.get(region, region),
                "year": int(year),
                "department_code": dep,
                "department": f"{departements.get(dep, '')} ({dep})"
                if dep
                else "département non publié",
                "beneficiary": beneficiary,
                "project": project if isinstance(project, str) else "—",
                "funder": funder,
                "funder_label": funder_labels.get(funder, funder),
                "funder_name": funder_names.get(funder, funder),
                "amount": worded(amount),
                "has_amount": not pd.isna(amount),
                "source_url": urls.get(source_id),
                "publisher": publishers.get(source_id) or source_id,
            }
        )
    # A beneficiary comes back year after year: each name is transliterated once.
    keys = {
        name: sort_key(name)
        for name in {a["region"] for a in out} | {a["beneficiary"] for a in out}
    }
    return sorted(
        out, key=lambda a: (keys[a["region"]], a["year"], keys[a["beneficiary"]], a["id"])
    )


def selection_json(tables: dict[str, pd.DataFrame]) -> Markup:
    """The awards as data/awards.csv writes them (header, then award_id → cells), for the download.

    Embedded as a JSON data block (never run by the browser); « < » is escaped so no cell can
    close the block.
    """
    table = TABLES["awards"]
    cells = csv_cells(tables["awards"], table)
    data = {"columns": table.columns, "rows": {row[0]: list(row) for row in zip(*cells.values())}}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return Markup(text)
