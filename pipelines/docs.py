"""The package's human-facing files, rendered from templates: dataset README, CHANGELOG, overview page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from pipelines.changelog import changelog
from pipelines.site import write_site
from schemas.tables import TABLES

_env = Environment(loader=PackageLoader("pipelines", "templates"), undefined=StrictUndefined,
                   keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)


def euros(value: Any) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value):,.0f} €".replace(",", "\u202f")


_env.filters["euros"] = euros


def coverage(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Region × year: full list, partial list or totals only."""
    campaigns, awards = tables["campaigns"], tables["awards"]
    regions = dict(zip(tables["regions"]["region_code"], tables["regions"]["region_name"]))
    out = []
    for c in campaigns.itertuples():
        lines = awards[awards["campaign_id"] == c.campaign_id]
        projects = lines[["source_id", "source_row"]].drop_duplicates().shape[0]
        declared = None if pd.isna(c.declared_awards_count) else int(c.declared_awards_count)
        if projects == 0:
            level = "totaux seulement" if declared is not None or not pd.isna(c.declared_total_eur) else "enveloppe seulement"
        elif declared is not None and projects >= declared:
            level = "liste complète"
        else:
            level = "liste partielle"
        with_amount = int(lines["amount_eur"].notna().sum())
        out.append({"region": regions.get(c.region_code, c.region_code), "year": int(c.year),
                    "campaign_id": c.campaign_id, "title": c.title, "level": level, "projects": projects,
                    "declared": declared, "declared_total": c.declared_total_eur, "envelope": c.envelope_eur,
                    "with_amount": with_amount})
    return sorted(out, key=lambda r: (r["region"], r["year"], r["campaign_id"]))


def render_docs(folder: Path, descriptor: dict[str, Any], tables: dict[str, pd.DataFrame],
                previous: dict[str, Any] | None, published: Path) -> None:
    context = {"package": descriptor, "tables": TABLES, "frames": tables, "coverage": coverage(tables),
               "sources": tables["sources"].to_dict("records")}
    (folder / "README.md").write_text(_env.get_template("README.md.j2").render(**context), encoding="utf-8")
    (folder / "CHANGELOG.md").write_text(changelog(descriptor, tables, previous, published), encoding="utf-8")
    write_site(folder, descriptor, tables, context["coverage"])
