"""The package's human-facing files, rendered from templates: dataset README, CHANGELOG, overview page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from pipelines.common.text import french_number
from pipelines.consolidate.tables import project_count
from pipelines.publish import scdl
from pipelines.publish.changelog import changelog
from pipelines.publish.site import write_site
from schemas.tables import TABLES

_MARKDOWN = str.maketrans({"|": "\\|", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]", "\n": " ", "\r": " "})


def markdown_text(value: Any) -> Any:
    """Publisher text as inert Markdown: a `|` keeps the table a table, no tag or link comes alive."""
    return value.translate(_MARKDOWN) if isinstance(value, str) else value


# Every value a template prints goes through `markdown_text` (the README is Markdown; index.html has
# its own environment, with HTML escaping).
_env = Environment(loader=PackageLoader("pipelines.publish", "templates"), undefined=StrictUndefined,
                   keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True, finalize=markdown_text)


def euros(value: Any) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{french_number(value, 0)} €"


_env.filters["euros"] = euros


def coverage(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Region × year: full list, partial list or totals only."""
    campaigns, awards = tables["campaigns"], tables["awards"]
    regions = dict(zip(tables["regions"]["region_code"], tables["regions"]["region_name"]))
    out = []
    for c in campaigns.itertuples():
        lines = awards[awards["campaign_id"] == c.campaign_id]
        projects = project_count(lines)
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


def figure_sources(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Each published figure (announced counts, totals, envelopes, named awards) and its source."""
    sources = tables["sources"].set_index("source_id")
    out = []

    def add(campaign_id: str, figure: str, value: str, source_id: str) -> None:
        src = sources.loc[source_id] if source_id in sources.index else None
        out.append({"campaign_id": campaign_id, "figure": figure, "value": value, "source_id": source_id,
                    "publisher": None if src is None else src["publisher"],
                    "url": None if src is None or pd.isna(src["url"]) else src["url"]})

    budgets, awards = tables["campaign_budgets"], tables["awards"]
    for c in tables["campaigns"].itertuples(index=False):
        if not pd.isna(c.declared_awards_count):
            add(c.campaign_id, "lauréats annoncés", str(int(c.declared_awards_count)), c.source_id)
        if not pd.isna(c.declared_total_eur):
            add(c.campaign_id, "montant total annoncé", euros(c.declared_total_eur), c.source_id)
        lines = budgets[budgets["campaign_id"] == c.campaign_id]
        for b in lines.itertuples(index=False):
            add(c.campaign_id, f"enveloppe {b.funder} ({b.budget_line})", euros(b.amount_eur), b.source_id)
        if lines.empty and not pd.isna(c.envelope_eur):
            add(c.campaign_id, "enveloppe annoncée", euros(c.envelope_eur), c.source_id)
        named = awards[awards["campaign_id"] == c.campaign_id]
        for source_id, rows in named.groupby("source_id", sort=True):
            add(c.campaign_id, "lauréats nommés", f"{len(rows)} ligne(s)", source_id)
    return out


def render_docs(folder: Path, descriptor: dict[str, Any], tables: dict[str, pd.DataFrame],
                previous: dict[str, Any] | None, published: Path) -> None:
    context = {"package": descriptor, "tables": TABLES, "frames": tables, "coverage": coverage(tables),
               "sources": tables["sources"].to_dict("records"), "figures": figure_sources(tables),
               "scdl": scdl, "scdl_fields": scdl.field_summary(tables)}
    (folder / "README.md").write_text(_env.get_template("README.md.j2").render(**context), encoding="utf-8")
    (folder / "CHANGELOG.md").write_text(changelog(descriptor, tables, previous, published), encoding="utf-8")
    write_site(folder, descriptor, tables, context["coverage"])
