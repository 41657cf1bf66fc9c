"""Every figure of the overview page's charts keeps the publisher's wording, in its label and in
each tooltip: « au moins », « environ », « jusqu'à », « somme calculée ».

The funding frames here are fictitious; the last test reads the page built from the real raw/.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from pipelines.publish.site import charts, funding_rows

FUNDERS = {"ARS": "ARS fictive", "DREETS": "DREETS fictive"}


def funding(rows: list[tuple[str, float | None, str | None]], **extra) -> pd.DataFrame:
    """One fictitious region and year: (funder, envelope, its qualifier) per row."""
    n = len(rows)
    return pd.DataFrame(
        {
            "region_code": ["52"] * n,
            "year": [2030] * n,
            "kind": ["call"] * n,
            "funder": [r[0] for r in rows],
            "envelope_eur": [r[1] for r in rows],
            "envelope_qualifier": [r[2] for r in rows],
            "declared_awards_count": extra.get("count", [None] * n),
            "declared_awards_qualifier": extra.get("count_q", [None] * n),
            "declared_total_eur": extra.get("total", [None] * n),
            "declared_total_qualifier": extra.get("total_q", [None] * n),
            "published_amount_eur": extra.get("published", [None] * n),
            "published_lines_count": extra.get("lines", [0] * n),
            "published_lines_with_amount_count": extra.get("lines", [0] * n),
        }
    )


def drawn(frame: pd.DataFrame) -> dict[str, list[str]]:
    """What the charts say: each segment's tooltip, and each bar's written value."""
    rows = funding_rows({"funding_by_region_year": frame}, {"52": "Région fictive"})
    parts = charts(rows, FUNDERS)
    text = " ".join(str(parts[k]) for k in ("figures", "envelopes") if parts[k])
    clean = lambda s: re.sub(r"[\u00a0\u202f]", " ", html.unescape(s))  # noqa: E731
    return {
        "tooltips": [clean(t) for t in re.findall(r"<title>([^<]*)</title>", text)],
        "values": [clean(v) for v in re.findall(r'class="barre-valeur">([^<]*)', text)],
    }


def test_an_envelope_announced_as_a_minimum_says_au_moins_in_tooltip_and_label() -> None:
    said = drawn(funding([("NC", 370000.0, "minimum")]))
    assert "Enveloppe annoncée : au moins 370 000 €" in said["tooltips"]
    assert "Non ventilé par financeur : au moins 370 000 €" in said["tooltips"]
    assert "au moins 370 000 €" in said["values"]
    assert all("au moins" in t for t in said["tooltips"])  # never the bare figure


@pytest.mark.parametrize(
    ("qualifier", "words"),
    [("approximate", "environ 5 000 €"), ("maximum", "jusqu'à 5 000 €"), ("exact", "5 000 €")],
)
def test_each_qualifier_is_worded_as_the_data_says(qualifier: str, words: str) -> None:
    said = drawn(funding([("ARS", 5000.0, qualifier)]))
    assert f"ARS fictive : {words}" in said["tooltips"]
    assert f"Enveloppe annoncée : {words}" in said["tooltips"]
    assert words in said["values"]


def test_a_sum_we_computed_is_said_to_be_computed() -> None:
    frame = funding(
        [("ARS", 100000.0, "exact"), ("DREETS", 200000.0, "exact")],
        published=[1000.0, 2500.0],
        lines=[1, 1],
    )
    said = drawn(frame)
    # Two exact envelopes added up by us, two published lines added up by us.
    assert "Enveloppe annoncée : 300 000 € (somme calculée)" in said["tooltips"]
    assert "Somme des montants publiés : 3 500 € (somme calculée)" in said["tooltips"]
    assert "300 000 € (somme calculée)" in said["values"]
    # Each funder's own envelope is as announced, not a sum.
    assert "ARS fictive : 100 000 €" in said["tooltips"]


def test_the_real_page_words_the_pays_de_la_loire_envelope_as_a_minimum(
    published_package: Path,
) -> None:
    page = html.unescape((published_package / "index.html").read_text(encoding="utf-8"))
    page = re.sub(r"[\u00a0\u202f]", " ", page)
    tooltips = re.findall(r"<title>(Enveloppe annoncée : [^<]*)</title>", page)
    assert "Enveloppe annoncée : au moins 370 000 €" in tooltips
    assert "Enveloppe annoncée : 370 000 €" not in tooltips


def absent_bars(frame: pd.DataFrame) -> dict[str, str]:
    """Each bar the chart draws as missing: its name → what it writes instead of a figure."""
    rows = funding_rows({"funding_by_region_year": frame}, {"52": "Région fictive"})
    text = html.unescape(str(charts(rows, FUNDERS)["figures"]))
    return dict(re.findall(r'barre-nom">([^<]*)</span> <span class="barre-absente">([^<]*)<', text))


def test_a_missing_figure_agrees_with_what_is_missing_in_the_charts() -> None:
    # Nothing announced, nothing published: the three bars say so, each in its own agreement.
    said = absent_bars(funding([("NC", None, None)]))
    assert said == {
        "Enveloppe annoncée": "non publiée",
        "Montant total annoncé": "non publié",
        "Montants publiés par ligne": "non publiés",
    }
    # An envelope announced: only the two others are missing.
    said = absent_bars(funding([("NC", 1000.0, "exact")]))
    assert "Enveloppe annoncée" not in said
    assert said["Montants publiés par ligne"] == "non publiés"


def test_the_real_page_agrees_non_publie_with_each_figure(published_package: Path) -> None:
    page = html.unescape((published_package / "index.html").read_text(encoding="utf-8"))
    cells = {
        figure: set(re.findall(rf'data-figure="{figure}">(non publi\w*)<', page))
        for figure in ("envelope", "declared_total", "published_amount")
    }
    # The real rows miss each of the three somewhere: each is written in its own agreement.
    assert cells == {
        "envelope": {"non publiée"},
        "declared_total": {"non publié"},
        "published_amount": {"non publiés"},
    }
    assert 'Enveloppe annoncée</span> <span class="barre-absente">non publié<' not in page
    assert "<dt>Enveloppe</dt><dd>non publié<" not in page
    assert "<dt>Enveloppe</dt><dd>non publiée<" in page
