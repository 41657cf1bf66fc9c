"""The package's human-facing files, rendered from templates: dataset README, CHANGELOG, overview page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from pipelines.common.text import french_euros
from pipelines.consolidate.coverage import campaign_knowledge
from pipelines.consolidate.frames import project_counts, rows_by, tuples_by
from pipelines.publish import identity, scdl, workbook
from pipelines.publish.changelog import changelog
from pipelines.publish.coverage import NATIONAL_LABEL, counts, coverage_grid, knowledge_label
from pipelines.publish.markdown import markdown_text
from pipelines.publish.raw_copies import raw_copies
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
SUBJECTS = {
    "laureates": "lauréats annoncés",
    "applicants": "candidatures annoncées",
    "existing_projects": "projets existants annoncés",
}


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


Figure = tuple[str, str, str]  # what, the value as worded, the source


def figure_sources(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Each published figure (announced counts, totals, envelopes, named awards) and its source."""
    sources = tables["sources"]
    provenance = {
        sid: (publisher, None if pd.isna(url) else url)
        for sid, publisher, url in zip(sources["source_id"], sources["publisher"], sources["url"])
    }
    budgets_of = tuples_by(
        tables["campaign_budgets"], ["funder", "budget_line", "amount_eur", "source_id"]
    )
    counts_of = tuples_by(
        tables["campaign_counts"],
        ["subject", "theme", "department_code", "count", "count_qualifier", "source_id"],
    )
    named = tables["awards"].groupby(["campaign_id", "source_id"]).size()
    named_of: dict[str, list[tuple[str, int]]] = {}
    for (campaign_id, source_id), lines in sorted(named.items()):
        named_of.setdefault(campaign_id, []).append((source_id, int(lines)))
    out = []
    for c in tables["campaigns"].itertuples(index=False):
        figures = (
            _announced(c)
            + _envelopes(c, budgets_of(c.campaign_id))
            + [_count_figure(*counted) for counted in counts_of(c.campaign_id)]
            + [
                ("lauréats nommés", f"{n} ligne(s)", sid)
                for sid, n in named_of.get(c.campaign_id, [])
            ]
        )
        for figure, value, source_id in figures:
            publisher, url = provenance.get(source_id, (None, None))
            out.append(
                {
                    "campaign_id": c.campaign_id,
                    "figure": figure,
                    "value": value,
                    "source_id": source_id,
                    "publisher": publisher,
                    "url": url,
                }
            )
    return out


def _announced(c: Any) -> list[Figure]:
    figures = []
    if not pd.isna(c.declared_awards_count):
        value = count(c.declared_awards_count, c.declared_awards_qualifier)
        figures.append(("lauréats annoncés", value, c.source_id))
    if not pd.isna(c.declared_total_eur):
        value = worded(c.declared_total_eur, c.declared_total_qualifier)
        figures.append(("montant total annoncé", value, c.source_id))
    if not pd.isna(c.award_cap_eur):
        figures.append(("plafond par projet", worded(c.award_cap_eur, "maximum"), c.source_id))
    if not pd.isna(c.regional_envelope_min_eur):
        value = worded(c.regional_envelope_min_eur, "minimum")
        figures.append(("dotation minimale de chaque appel régional", value, c.source_id))
    return figures


def _envelopes(c: Any, lines: list[tuple]) -> list[Figure]:
    figures = [
        (f"enveloppe {funder} ({budget_line})", euros(amount), source_id)
        for funder, budget_line, amount, source_id in lines
    ]
    if pd.isna(c.envelope_eur):
        return figures
    what = (
        "enveloppe annoncée"
        if not lines or c.envelope_qualifier != "sum"
        else "enveloppe (somme des lignes ci-dessus, calculée)"
    )
    return [*figures, (what, worded(c.envelope_eur, c.envelope_qualifier), c.source_id)]


def _count_figure(
    subject: str, theme: Any, department: Any, number: Any, qualifier: str, source_id: str
) -> Figure:
    if isinstance(theme, str):
        where = theme
    elif isinstance(department, str):
        where = f"département {department}"
    else:
        where = "toute la campagne"
    return (f"{SUBJECTS[subject]} ({where})", count(number, qualifier), source_id)


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
        "figures": figure_sources(tables),
        "scdl": scdl,
        "workbook": workbook.PATH,
        "scdl_fields": scdl.field_summary(export.frame),
        "scdl_split": _scdl_split(export),
        "cog": {"source": COG_SOURCE, "url": COG_URL, "vintage": COG_VINTAGE},
        "population": {"source": POPULATION_SOURCE, "url": POPULATION_URL},
        "citation": identity.citation(descriptor),
        "bibtex": identity.bibtex(descriptor),
        "raw_copies": raw_copies(tables["sources"]),
        "funding": funding_rows(
            tables, dict(zip(tables["regions"]["region_code"], tables["regions"]["region_name"]))
        ),
    }
    context["grid"] = coverage_grid(tables["coverage"], context["coverage"])
    (folder / "README.md").write_text(
        _env.get_template("README.md.j2").render(**context), encoding="utf-8"
    )
    (folder / "CHANGELOG.md").write_text(
        changelog(descriptor, tables, previous, published), encoding="utf-8"
    )
    written = workbook.write_workbook(folder, tables, descriptor)  # the page gives its size
    write_site(folder, descriptor, tables, context["coverage"], context["scdl_split"], written)
