"""The package's overview page, published/index.html: one static file that works offline.

Everything is inline (styles, the small filter script, the charts as SVG) and a Content Security
Policy forbids any fetch, so the page shows the same thing from a USB key as from a web server.
Built from the tables only: same inputs, same bytes.
"""

from __future__ import annotations

import base64
import hashlib
from importlib.resources import files
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined
from unidecode import unidecode

from pipelines.consolidate.frames import tuples_by
from pipelines.consolidate.funding import combine_qualifiers, present
from pipelines.publish import identity, scdl, workbook
from pipelines.publish.charts import Bar, Group, Segment, bar_chart, number
from pipelines.publish.choropleth import map_context
from pipelines.publish.coverage import counts, coverage_grid
from pipelines.publish.denominators import per_thousand_inhabitants
from pipelines.publish.scope import KIND_LABELS, national_text
from pipelines.publish.selection import awards_view
from pipelines.publish.wording import AMOUNTS_MISSING, ENVELOPE_MISSING, count, worded
from schemas.vocabularies import CAMPAIGN_KINDS

_env = Environment(
    loader=PackageLoader("pipelines.publish", "templates"),
    undefined=StrictUndefined,
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)

# One colour per figure; the bars are also labelled, so colour is never the only cue.
ENVELOPE, DECLARED, PUBLISHED = "#1f5fa8", "#a8500c", "#1a7550"
# Funders get their own hues, distinct from the three figures' colours above.
FUNDER_COLORS = {
    "ARS": "#23767d",
    "DREETS": "#6a4c9c",
    "COMMISSAIRE_PAUVRETE": "#b0405f",
    "DEETS": "#8a6cc4",
    "ETAT": "#4f5b66",
    "CAF": "#8a6d00",
    "ASSURANCE_MALADIE": "#3f7f2f",
    "MSA": "#6f7f1f",
    "DRAC": "#9c4a1f",
    "CONSEIL_DEPARTEMENTAL": "#8c4f7a",
    "CONSEIL_REGIONAL": "#2f6f8f",
    "COMMUNE": "#9a6b2f",
    "INTERCOMMUNALITE": "#5f6f2a",
    "NC": "#6b7279",
}
UNSPLIT = "#8d969e"
COUNT_SUBJECTS = {
    "laureates": "Lauréats",
    "applicants": "Candidatures",
    "existing_projects": "Projets existants",
}
# Short labels for the awards table; the full name is in the cell's tooltip.
FUNDER_LABELS = {
    "NC": "non communiqué",
    "ETAT": "État",
    "COMMISSAIRE_PAUVRETE": "Commissaire pauvreté",
    "ASSURANCE_MALADIE": "Assurance Maladie",
    "CONSEIL_DEPARTEMENTAL": "Département",
    "CONSEIL_REGIONAL": "Région",
}


def size(n: int) -> str:
    """File sizes the French way: 980 o, 12,4 ko, 1,3 Mo."""
    for unit, base in (("Mo", 1024**2), ("ko", 1024)):
        if n >= base:
            return f"{n / base:.1f}".replace(".", ",") + f"\u00a0{unit}"
    return f"{n}\u00a0o"


def _sort_key(name: str) -> str:
    return unidecode(name).lower()


def _total(values: list[Any]) -> float | None:
    """The sum of the figures given, None when none is (never 0 for « not announced »)."""
    given = [float(v) for v in values if present(v)]
    return float(sum(given)) if given else None


def funding_rows(tables: dict[str, pd.DataFrame], regions: dict[str, str]) -> list[dict[str, Any]]:
    """Per region × year × kind of campaign, from funding_by_region_year alone: the page shows the
    table's own figures, each kept apart and worded as announced. (Plain records: a few hundred
    small groups cost more through pandas than their figures.)"""
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in tables["funding_by_region_year"].to_dict("records"):
        groups.setdefault((r["region_code"], r["year"], r["kind"]), []).append(r)
    rows = []
    for (code, year, kind), f in groups.items():
        split = sorted(
            (r for r in f if r["funder"] != "NC" and present(r["envelope_eur"])),
            key=lambda r: r["funder"],
        )
        nc = [r for r in f if r["funder"] == "NC" and present(r["envelope_eur"])]

        def given(column: str, rows: list[dict[str, Any]] = f) -> list[Any]:
            return [r[column] for r in rows if present(r[column])]

        rows.append(
            {
                "region_code": code,
                "region": regions.get(code, code),
                "year": int(year),
                "kind": kind,
                "kind_label": KIND_LABELS.get(kind, kind),
                "envelope": _total(given("envelope_eur")),
                "envelope_qualifier": combine_qualifiers(given("envelope_qualifier")),
                "envelope_by_funder": [
                    (r["funder"], float(r["envelope_eur"]), r["envelope_qualifier"]) for r in split
                ],
                # Part of the announced envelope that no source splits by funder.
                "unsplit": _total(given("envelope_eur", nc)) or 0.0,
                "unsplit_qualifier": combine_qualifiers(given("envelope_qualifier", nc)),
                "declared_count": _total(given("declared_awards_count")),
                "declared_count_qualifier": combine_qualifiers(given("declared_awards_qualifier")),
                "declared_total": _total(given("declared_total_eur")),
                "declared_total_qualifier": combine_qualifiers(given("declared_total_qualifier")),
                "published_amount": _total(given("published_amount_eur")),
                "lines": int(sum(given("published_lines_count"))),
                "lines_with_amount": int(sum(given("published_lines_with_amount_count"))),
            }
        )
    return sorted(
        rows, key=lambda r: (_sort_key(r["region"]), r["year"], CAMPAIGN_KINDS.index(r["kind"]))
    )


def headline(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The page's headline figures, renewals and training counted apart from calls."""
    out = {}
    for kind in CAMPAIGN_KINDS:
        mine = [r for r in rows if r["kind"] == kind]
        counts = [r for r in mine if r["declared_count"] is not None]
        out[kind] = {
            "label": KIND_LABELS[kind],
            "campaign_rows": len(mine),
            "declared": int(sum(r["declared_count"] for r in counts)),
            "declared_qualifier": combine_qualifiers(
                [r["declared_count_qualifier"] for r in counts]
            ),
            "regions_years": len(counts),
            "lines": sum(r["lines"] for r in mine),
        }
    return out


def _title(r: dict[str, Any]) -> str:
    return f"{r['region']} · {r['year']}" + ("" if r["kind"] == "call" else f" · {r['kind_label']}")


def _bar(name: str, value: float | None, color: str, label: str, qualifier: str | None) -> Bar:
    """A one-segment bar: its label and its tooltip say the figure with the same wording."""
    return Bar(
        name, None if value is None else (Segment(value, color, label, qualifier),), qualifier
    )


def _figures_group(r: dict[str, Any]) -> Group:
    """Envelope, announced total and published sum of one region and year."""
    return Group(
        _title(r),
        (
            _bar(
                "Enveloppe annoncée",
                r["envelope"],
                ENVELOPE,
                "Enveloppe annoncée",
                r["envelope_qualifier"],
            ),
            _bar(
                "Montant total annoncé",
                r["declared_total"],
                DECLARED,
                "Montant total annoncé",
                r["declared_total_qualifier"],
            ),
            _bar(
                "Montants publiés par ligne",
                r["published_amount"],
                PUBLISHED,
                "Somme des montants publiés",
                "sum" if r["lines_with_amount"] > 1 else None,
            ),
        ),
    )


def _envelope_group(r: dict[str, Any], funder_names: dict[str, str]) -> Group:
    """One region and year's envelope, split by funder."""
    segments = [
        Segment(v, FUNDER_COLORS.get(k, UNSPLIT), funder_names.get(k, k), q)
        for k, v, q in r["envelope_by_funder"]
    ]
    if r["unsplit"]:
        segments.append(
            Segment(r["unsplit"], UNSPLIT, "Non ventilé par financeur", r["unsplit_qualifier"])
        )
    return Group(_title(r), (Bar("Enveloppe annoncée", tuple(segments), r["envelope_qualifier"]),))


def charts(rows: list[dict[str, Any]], funder_names: dict[str, str]) -> dict[str, Any]:
    envelopes = [
        _envelope_group(r, funder_names) for r in rows if r["envelope_by_funder"] or r["unsplit"]
    ]
    used = sorted({k for r in rows for k, _, _ in r["envelope_by_funder"]})
    return {
        "figures": bar_chart(
            [_figures_group(r) for r in rows],
            "graphique-montants",
            "Montants par région et par année",
            "Pour chaque région et année : enveloppe annoncée, montant total annoncé des "
            "lauréats, et somme des montants publiés ligne à ligne, en euros.",
        ),
        "envelopes": bar_chart(
            envelopes,
            "graphique-enveloppes",
            "Enveloppes annoncées par financeur",
            "Enveloppe annoncée pour chaque région et année, ventilée par financeur, en euros.",
        )
        if envelopes
        else None,
        "funder_legend": [(funder_names.get(k, k), FUNDER_COLORS.get(k, UNSPLIT)) for k in used]
        + ([("Non ventilé par financeur", UNSPLIT)] if any(r["unsplit"] for r in rows) else []),
    }


def campaign_rows(
    tables: dict[str, pd.DataFrame], coverage: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    sources = tables["sources"].sort_values("source_id").to_dict("records")
    departements = dict(
        zip(tables["departements"]["department_code"], tables["departements"]["department_name"])
    )
    counts_of = tuples_by(
        tables["campaign_counts"],
        ["subject", "theme", "department_code", "count", "count_qualifier"],
    )
    by_id = {c["campaign_id"]: c for c in coverage}
    out = []
    for c in tables["campaigns"].itertuples(index=False):
        used = [
            s for s in sources if s["campaign_id"] == c.campaign_id or s["source_id"] == c.source_id
        ]
        announced = [
            f"{COUNT_SUBJECTS[subject]} "
            + (
                theme
                if isinstance(theme, str)
                else f"({departements.get(department, '')} {department})"
                if isinstance(department, str)
                else ""
            )
            + f" : {count(number, qualifier)}"
            for subject, theme, department, number, qualifier in counts_of(c.campaign_id)
        ]
        out.append(
            {
                **by_id[c.campaign_id],
                "kind": KIND_LABELS.get(c.kind, c.kind),
                "counts": announced,
                "deadline": c.application_deadline
                if isinstance(c.application_deadline, str)
                else None,
                "regional_min": None
                if pd.isna(c.regional_envelope_min_eur)
                else float(c.regional_envelope_min_eur),
                "sources": used,
            }
        )
    return sorted(out, key=lambda c: (_sort_key(c["region"]), c["year"], c["campaign_id"]))


def downloads(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    parquet = {r["name"]: r for r in descriptor["resources"] if r.get("format") == "parquet"}
    out = []
    for r in descriptor["resources"]:
        if r.get("format") == "parquet":
            continue
        twin = parquet.get(f"{r['name']}_parquet")
        out.append(
            {
                "name": r["name"],
                "title": r["title"],
                "description": r["description"],
                "csv": r["path"],
                "csv_size": size(r["bytes"]),
                "parquet": twin["path"] if twin else None,
                "parquet_size": size(twin["bytes"]) if twin else None,
            }
        )
    return out


def _inline(*names: str) -> tuple[str, str]:
    """Assets to inline as one, and its CSP hash (the page allows that exact text and nothing else)."""
    folder = files("pipelines.publish").joinpath("templates")
    text = "\n".join(folder.joinpath(n).read_text(encoding="utf-8") for n in names)
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return text, f"'sha256-{digest}'"


def render_site(
    descriptor: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    coverage: list[dict[str, Any]],
    scdl_split: dict[str, Any],
    workbook_size: int,
) -> str:
    """The page; `scdl_split` is how many lines pass SCDL 2.1.1, and what the others miss;
    `workbook_size` the bytes of the Excel workbook."""
    regions = dict(zip(tables["regions"]["region_code"], tables["regions"]["region_name"]))
    funder_names = dict(zip(tables["funders"]["funder"], tables["funders"]["funder_name"]))
    rows = funding_rows(tables, regions)
    awards = awards_view(tables, regions, funder_names, FUNDER_LABELS, _sort_key)
    style, style_hash = _inline("index.css")
    script, script_hash = _inline("carte.js", "index.js")
    return _env.get_template("index.html.j2").render(
        package=descriptor,
        rows=rows,
        charts=charts(rows, funder_names),
        grid=coverage_grid(tables["coverage"], coverage),
        coverage_counts=counts(tables["coverage"]),
        campaigns=campaign_rows(tables, coverage),
        awards=awards,
        downloads=downloads(descriptor),
        scdl=scdl,
        scdl_split=scdl_split,
        workbook={"path": workbook.PATH, "size": size(workbook_size)},
        **map_context(tables),
        per_thousand=per_thousand_inhabitants(tables),
        colors={"envelope": ENVELOPE, "declared": DECLARED, "published": PUBLISHED},
        style=style,
        script=script,
        csp_style=style_hash,
        csp_script=script_hash,
        missing={"envelope": ENVELOPE_MISSING, "amounts": AMOUNTS_MISSING},
        number=number,
        worded=worded,
        count=count,
        headline=headline(rows),
        citation=identity.citation(descriptor),
        bibtex=identity.bibtex(descriptor),
        totals={
            "campaigns": int((tables["campaigns"]["scope"] == "regional").sum()),
            "regions": int(tables["campaigns"]["region_code"].nunique()),
            "national": national_text(tables["campaigns"]),
            "lines": len(tables["awards"]),
            "with_amount": int(tables["awards"]["amount_eur"].notna().sum()),
            "named": sum(c["projects"] for c in coverage),
        },
    )


def write_site(
    folder: Path,
    descriptor: dict[str, Any],
    tables: dict[str, pd.DataFrame],
    coverage: list[dict[str, Any]],
    scdl_split: dict[str, Any],
    workbook_size: int,
) -> None:
    (folder / "index.html").write_text(
        render_site(descriptor, tables, coverage, scdl_split, workbook_size), encoding="utf-8"
    )
