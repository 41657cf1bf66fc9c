"""The package's human-facing files, rendered from templates: dataset README, CHANGELOG, overview page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from pipelines.common.text import french_euros
from pipelines.consolidate.coverage import campaign_knowledge
from pipelines.consolidate.frames import project_counts, rows_by
from pipelines.publish import identity, scdl, workbook
from pipelines.publish.changelog import changelog
from pipelines.publish.coverage import NATIONAL_LABEL, counts, coverage_grid, knowledge_label
from pipelines.publish.figure_text import comparability, national_line_rows, readme_figures
from pipelines.publish.markdown import markdown_text
from pipelines.publish.raw_copies import raw_copies
from pipelines.publish.scope import scope_context
from pipelines.publish.site import funding_rows, write_site
from pipelines.publish.wording import count, worded
from schemas.fields import COG_SOURCE, COG_URL, COG_VINTAGE
from schemas.populations import POPULATION_SOURCE, POPULATION_URL
from schemas.tables import TABLES

# Every value a template prints goes through `markdown_text` (the README is Markdown; index.html has
# its own environment, with HTML escaping).
_env = Environment(
    loader=PackageLoader("pipelines.publish", "templates"),
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
    finalize=markdown_text,
)


def euros(value: Any) -> str:
    if value is None or pd.isna(value):
        return "—"
    return french_euros(value, 0)


_env.filters["euros"] = euros
_env.globals.update(worded=worded, count=count)


def coverage(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Each campaign, region × year, with what is published of it (the `coverage` table's levels)."""
    campaigns, awards = tables["campaigns"], tables["awards"]
    regions = dict(zip(tables["regions"]["region_code"], tables["regions"]["region_name"]))
    out = []
    awards_of, projects_of = rows_by(awards), project_counts(awards)
    knowledge = campaign_knowledge(tables)
    for c in campaigns.itertuples():
        lines = awards_of(c.campaign_id)
        projects = projects_of.get(c.campaign_id, 0)
        declared = None if pd.isna(c.declared_awards_count) else int(c.declared_awards_count)
        level = knowledge_label(knowledge[c.campaign_id])
        with_amount = int(lines["amount_eur"].notna().sum())
        region = (
            NATIONAL_LABEL if c.scope == "national" else regions.get(c.region_code, c.region_code)
        )
        out.append(
            {
                "region": region,
                "year": int(c.year),
                "year_qualifier": c.year_qualifier,
                "campaign_id": c.campaign_id,
                "title": c.title,
                "level": level,
                "projects": projects,
                "declared": declared,
                "declared_qualifier": c.declared_awards_qualifier,
                "declared_total": c.declared_total_eur,
                "declared_total_qualifier": c.declared_total_qualifier,
                "envelope": c.envelope_eur,
                "envelope_qualifier": c.envelope_qualifier,
                "cap": None if pd.isna(c.award_cap_eur) else float(c.award_cap_eur),
                "with_amount": with_amount,
            }
        )
    return sorted(out, key=lambda r: (r["region"], r["year"], r["campaign_id"]))


def with_year_wording(rows: list[dict[str, Any]], funding: pd.DataFrame) -> list[dict[str, Any]]:
    """The page's rows per region × year × kind, each with its year's wording (« probable »)."""
    probable = set(
        funding.loc[funding["year_qualifier"] == "probable", ["region_code", "year", "kind"]]
        .astype({"year": int})
        .itertuples(index=False, name=None)
    )
    return [
        {
            **r,
            "year_qualifier": "probable"
            if (r["region_code"], r["year"], r["kind"]) in probable
            else "exact",
        }
        for r in rows
    ]


def _scdl_split(export: scdl.Export) -> dict[str, Any]:
    return {
        "conform": len(export.conform),
        "partial": len(export.partial),
        "missing": scdl.missing_required(export.partial),
    }


def render_docs(
    folder: Path,
    descriptor: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    previous: dict[str, Any] | None,
    published: Path,
    export: scdl.Export | None = None,
) -> None:
    """README, CHANGELOG, the overview page and the Excel workbook of the tables (not a resource
    of datapackage.json: the same rows as the CSV files); `export` is the release's SCDL export,
    when built already."""
    export = export if export is not None else scdl.build_export(tables)
    context = {
        "package": descriptor,
        "tables": TABLES,
        "frames": tables,
        "coverage": coverage(tables),
        "coverage_counts": counts(tables["coverage"]),
        "sources": tables["sources"].to_dict("records"),
        "figures": readme_figures(tables),
        "national_lines": national_line_rows(tables),
        "scdl": scdl,
        "workbook": workbook.PATH,
        "scdl_fields": scdl.field_summary(export.frame),
        "scdl_split": _scdl_split(export),
        "cog": {"source": COG_SOURCE, "url": COG_URL, "vintage": COG_VINTAGE},
        "population": {"source": POPULATION_SOURCE, "url": POPULATION_URL},
        "citation": identity.citation(descriptor),
        "bibtex": identity.bibtex(descriptor),
        "raw_copies": raw_copies(tables["sources"]),
        "scope": scope_context(tables),
        "funding": with_year_wording(
            funding_rows(
                tables,
                dict(zip(tables["regions"]["region_code"], tables["regions"]["region_name"])),
            ),
            tables["funding_by_region_year"],
        ),
    }
    context["grid"] = coverage_grid(tables["coverage"], context["coverage"])
    context["comparability"] = comparability(tables, context["funding"])
    (folder / "README.md").write_text(
        _env.get_template("README.md.j2").render(**context), encoding="utf-8"
    )
    (folder / "CHANGELOG.md").write_text(
        changelog(descriptor, tables, previous, published), encoding="utf-8"
    )
    written = workbook.write_workbook(folder, tables, descriptor)  # the page gives its size
    write_site(folder, descriptor, tables, context["coverage"], context["scdl_split"], written)
