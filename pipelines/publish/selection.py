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

from pipelines.publish.files import csv_frame
from pipelines.publish.wording import worded
from schemas.tables import TABLES


def award_rows(tables: dict[str, pd.DataFrame], regions: dict[str, str], funder_names: dict[str, str],
               funder_labels: dict[str, str], sort_key: Callable[[str], str]) -> list[dict[str, Any]]:
    departements = dict(zip(tables["departements"]["department_code"], tables["departements"]["department_name"]))
    urls = dict(zip(tables["sources"]["source_id"], tables["sources"]["url"]))
    publishers = dict(zip(tables["sources"]["source_id"], tables["sources"]["publisher"]))
    out = []
    for a in tables["awards"].itertuples(index=False):
        dep = a.department_code if isinstance(a.department_code, str) else None
        out.append({"id": a.award_id, "region_code": a.region_code, "region": regions.get(a.region_code, a.region_code),
                    "year": int(a.year), "department_code": dep,
                    "department": f"{departements.get(dep, '')} ({dep})" if dep else "département non publié",
                    "beneficiary": a.beneficiary_name,
                    "project": a.project_title if isinstance(a.project_title, str) else "—",
                    "funder": a.funder, "funder_label": funder_labels.get(a.funder, a.funder),
                    "funder_name": funder_names.get(a.funder, a.funder),
                    "amount": worded(a.amount_eur), "has_amount": not pd.isna(a.amount_eur),
                    "source_url": urls.get(a.source_id), "publisher": publishers.get(a.source_id) or a.source_id})
    return sorted(out, key=lambda a: (sort_key(a["region"]), a["year"], sort_key(a["beneficiary"]), a["id"]))


def selection_json(tables: dict[str, pd.DataFrame]) -> Markup:
    """The awards as data/awards.csv writes them (header, then award_id → cells), for the download.

    Embedded as a JSON data block (never run by the browser); « < » is escaped so no cell can
    close the block.
    """
    table = TABLES["awards"]
    cells = csv_frame(tables["awards"], table)
    data = {"columns": table.columns, "rows": {row[0]: list(row) for row in cells.itertuples(index=False)}}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return Markup(text)
