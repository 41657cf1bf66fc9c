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

from pipelines.publish import scdl
from pipelines.publish.charts import Bar, Group, Segment, bar_chart, number

_env = Environment(loader=PackageLoader("pipelines.publish", "templates"), undefined=StrictUndefined,
                   autoescape=True, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

# One colour per figure; the bars are also labelled, so colour is never the only cue.
ENVELOPE, DECLARED, PUBLISHED = "#1f5fa8", "#a8500c", "#1a7550"
# Funders get their own hues, distinct from the three figures' colours above.
FUNDER_COLORS = {"ARS": "#23767d", "DREETS": "#6a4c9c", "COMMISSAIRE_PAUVRETE": "#b0405f",
                 "DEETS": "#8a6cc4", "ETAT": "#4f5b66", "CAF": "#8a6d00", "ASSURANCE_MALADIE": "#3f7f2f",
                 "MSA": "#6f7f1f", "DRAC": "#9c4a1f", "NC": "#6b7279"}
UNSPLIT = "#8d969e"
KINDS = {"call": "appel à projets", "renewal": "reconduction", "training": "formation"}
# Short labels for the awards table; the full name is in the cell's tooltip.
FUNDER_LABELS = {"NC": "non communiqué", "ETAT": "État", "COMMISSAIRE_PAUVRETE": "Commissaire pauvreté",
                 "ASSURANCE_MALADIE": "Assurance Maladie"}
LEVELS = {"liste complète": "complete", "liste partielle": "partielle", "totaux seulement": "totaux",
          "enveloppe seulement": "enveloppe"}


def euros(value: Any) -> str:
    return "non publié" if value is None or pd.isna(value) else f"{number(float(value))}\u00a0€"


def size(n: int) -> str:
    """File sizes the French way: 980 o, 12,4 ko, 1,3 Mo."""
    for unit, base in (("Mo", 1024 ** 2), ("ko", 1024)):
        if n >= base:
            return f"{n / base:.1f}".replace(".", ",") + f"\u00a0{unit}"
    return f"{n}\u00a0o"


def _sort_key(name: str) -> str:
    return unidecode(name).lower()


def _sum(series: pd.Series) -> float | None:
    total = series.sum(min_count=1)
    return None if pd.isna(total) else float(total)


def funding_rows(tables: dict[str, pd.DataFrame], regions: dict[str, str]) -> list[dict[str, Any]]:
    """Per region × year, the three figures kept apart: envelope, declared total, published amounts."""
    campaigns, budgets, funding = tables["campaigns"], tables["campaign_budgets"], tables["funding_by_region_year"]
    budgets = budgets.merge(campaigns[["campaign_id", "region_code", "year"]], on="campaign_id", how="left")
    keys = sorted({(r, int(y)) for r, y in zip(campaigns["region_code"], campaigns["year"])}
                  | {(r, int(y)) for r, y in zip(funding["region_code"], funding["year"])},
                  key=lambda k: (_sort_key(regions.get(k[0], k[0])), k[1]))
    rows = []
    for code, year in keys:
        c = campaigns[(campaigns["region_code"] == code) & (campaigns["year"] == year)]
        b = budgets[(budgets["region_code"] == code) & (budgets["year"] == year)]
        f = funding[(funding["region_code"] == code) & (funding["year"] == year)]
        by_funder = b.groupby("funder")["amount_eur"].sum().sort_index()
        envelope = _sum(c["envelope_eur"])
        split = float(by_funder.sum()) if len(by_funder) else 0.0
        rows.append({
            "region_code": code, "region": regions.get(code, code), "year": year,
            "envelope": envelope if envelope is not None else (split or None),
            "envelope_by_funder": [(k, float(v)) for k, v in by_funder.items()],
            # Part of the announced envelope that no source splits by funder.
            "unsplit": envelope - split if envelope is not None and envelope - split > 0.005 else 0.0,
            "declared_total": _sum(c["declared_total_eur"]),
            "published_amount": _sum(f["amount_eur"]),
            "lines": int(f["awards_count"].sum()),
            "lines_with_amount": int(f["awards_with_amount_count"].sum()),
        })
    return rows


def charts(rows: list[dict[str, Any]], funder_names: dict[str, str]) -> dict[str, Any]:
    def one(value: float | None, color: str, label: str) -> tuple[Segment, ...] | None:
        return None if value is None else (Segment(value, color, label),)

    figures = [Group(f"{r['region']} · {r['year']}", (
        Bar("Enveloppe annoncée", one(r["envelope"], ENVELOPE, "Enveloppe annoncée")),
        Bar("Montant total annoncé", one(r["declared_total"], DECLARED, "Montant total annoncé")),
        Bar("Montants publiés par ligne", one(r["published_amount"], PUBLISHED, "Somme des montants publiés")),
    )) for r in rows]
    envelopes = []
    for r in rows:
        if not r["envelope_by_funder"] and not r["unsplit"]:
            continue
        segments = [Segment(v, FUNDER_COLORS.get(k, UNSPLIT), funder_names.get(k, k)) for k, v in r["envelope_by_funder"]]
        if r["unsplit"]:
            segments.append(Segment(r["unsplit"], UNSPLIT, "Non ventilé par financeur"))
        envelopes.append(Group(f"{r['region']} · {r['year']}", (Bar("Enveloppe annoncée", tuple(segments)),)))
    used = sorted({k for r in rows for k, _ in r["envelope_by_funder"]})
    return {
        "figures": bar_chart(figures, "graphique-montants", "Montants par région et par année",
                             "Pour chaque région et année : enveloppe annoncée, montant total annoncé des "
                             "lauréats, et somme des montants publiés ligne à ligne, en euros."),
        "envelopes": bar_chart(envelopes, "graphique-enveloppes", "Enveloppes annoncées par financeur",
                               "Enveloppe annoncée pour chaque région et année, ventilée par financeur, en euros.")
        if envelopes else None,
        "funder_legend": [(funder_names.get(k, k), FUNDER_COLORS.get(k, UNSPLIT)) for k in used]
        + ([("Non ventilé par financeur", UNSPLIT)] if any(r["unsplit"] for r in rows) else []),
    }


def coverage_grid(coverage: list[dict[str, Any]]) -> dict[str, Any]:
    """Region × year, each cell listing its campaigns with their coverage level."""
    years = sorted({c["year"] for c in coverage})
    years = list(range(years[0], years[-1] + 1)) if years else []
    regions = sorted({c["region"] for c in coverage}, key=_sort_key)
    cells = {(r, y): [] for r in regions for y in years}
    for c in coverage:
        cells[(c["region"], c["year"])].append({**c, "css": LEVELS.get(c["level"], "totaux")})
    return {"years": years, "rows": [(r, [cells[(r, y)] for y in years]) for r in regions]}


def campaign_rows(tables: dict[str, pd.DataFrame], coverage: list[dict[str, Any]]) -> list[dict[str, Any]]:
    sources = tables["sources"]
    by_id = {c["campaign_id"]: c for c in coverage}
    out = []
    for c in tables["campaigns"].itertuples(index=False):
        used = sources[(sources["campaign_id"] == c.campaign_id) | (sources["source_id"] == c.source_id)]
        out.append({**by_id[c.campaign_id], "kind": KINDS.get(c.kind, c.kind),
                    "sources": used.sort_values("source_id").to_dict("records")})
    return sorted(out, key=lambda c: (_sort_key(c["region"]), c["year"], c["campaign_id"]))


def award_rows(tables: dict[str, pd.DataFrame], regions: dict[str, str], funder_names: dict[str, str]) -> list[dict[str, Any]]:
    departements = dict(zip(tables["departements"]["department_code"], tables["departements"]["department_name"]))
    urls = dict(zip(tables["sources"]["source_id"], tables["sources"]["url"]))
    publishers = dict(zip(tables["sources"]["source_id"], tables["sources"]["publisher"]))
    out = []
    for a in tables["awards"].itertuples(index=False):
        dep = a.department_code if isinstance(a.department_code, str) else None
        out.append({"id": a.award_id, "region_code": a.region_code, "region": regions.get(a.region_code, a.region_code),
                    "year": int(a.year), "department": f"{departements.get(dep, '')} ({dep})" if dep else "département non publié",
                    "beneficiary": a.beneficiary_name,
                    "project": a.project_title if isinstance(a.project_title, str) else "—",
                    "funder_label": FUNDER_LABELS.get(a.funder, a.funder), "funder_name": funder_names.get(a.funder, a.funder),
                    "amount": euros(a.amount_eur), "has_amount": not pd.isna(a.amount_eur),
                    "source_url": urls.get(a.source_id), "publisher": publishers.get(a.source_id) or a.source_id})
    return sorted(out, key=lambda a: (_sort_key(a["region"]), a["year"], _sort_key(a["beneficiary"]), a["id"]))


def downloads(descriptor: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for r in descriptor["resources"]:
        parquet = r.get("parquet")
        out.append({"name": r["name"], "title": r["title"], "description": r["description"],
                    "csv": r["path"], "csv_size": size(r["bytes"]),
                    "parquet": parquet["path"] if parquet else None,
                    "parquet_size": size(parquet["bytes"]) if parquet else None})
    return out


def _inline(name: str) -> tuple[str, str]:
    """An asset to inline, and its CSP hash (the page allows that exact text and nothing else)."""
    text = files("pipelines.publish").joinpath("templates", name).read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
    return text, f"'sha256-{digest}'"


def render_site(descriptor: dict[str, Any], tables: dict[str, pd.DataFrame], coverage: list[dict[str, Any]]) -> str:
    regions = dict(zip(tables["regions"]["region_code"], tables["regions"]["region_name"]))
    funder_names = dict(zip(tables["funders"]["funder"], tables["funders"]["funder_name"]))
    rows = funding_rows(tables, regions)
    awards = award_rows(tables, regions, funder_names)
    style, style_hash = _inline("index.css")
    script, script_hash = _inline("index.js")
    return _env.get_template("index.html.j2").render(
        package=descriptor, rows=rows, charts=charts(rows, funder_names), grid=coverage_grid(coverage),
        campaigns=campaign_rows(tables, coverage), awards=awards,
        award_regions=sorted({(a["region_code"], a["region"]) for a in awards}, key=lambda r: _sort_key(r[1])),
        award_years=sorted({a["year"] for a in awards}), downloads=downloads(descriptor), scdl=scdl,
        colors={"envelope": ENVELOPE, "declared": DECLARED, "published": PUBLISHED},
        style=style, script=script, csp_style=style_hash, csp_script=script_hash, euros=euros, number=number,
        totals={"campaigns": len(tables["campaigns"]), "regions": len(set(tables["campaigns"]["region_code"])),
                "lines": len(tables["awards"]), "with_amount": int(tables["awards"]["amount_eur"].notna().sum()),
                "named": sum(c["projects"] for c in coverage),
                "declared": sum(c["declared"] or 0 for c in coverage)},
    )


def write_site(folder: Path, descriptor: dict[str, Any], tables: dict[str, pd.DataFrame],
               coverage: list[dict[str, Any]]) -> None:
    (folder / "index.html").write_text(render_site(descriptor, tables, coverage), encoding="utf-8")
