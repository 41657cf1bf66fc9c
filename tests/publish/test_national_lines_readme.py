"""The dataset README lists the national lines apart, worded as announced, and its totals leave them
out; the package holds them as a valid resource (fictitious sources, published with frictionless)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from frictionless import Package

from tests.conftest import add_source, build_package
from tests.consolidate.test_national_lines import CALL, CALL_MANIFEST, LINES, LINES_MANIFEST

SECTION = "## Lignes nationales de la même politique, tenues à part"


def publish_fictitious(root: Path, lines: bool = True) -> Path:
    add_source(root, "centre-val-de-loire", 2022, "enveloppes", CALL, CALL_MANIFEST)
    if lines:
        add_source(root, "france", 2022, "lignes", LINES, LINES_MANIFEST.format(region="France"))
    return build_package(root)


def section(readme: str) -> str:
    """The section, its narrow and non-breaking spaces written as plain ones."""
    return readme.split(SECTION)[1].split("\n## ")[0].replace("\u202f", " ").replace("\u00a0", " ")


def test_readme_lists_each_national_line_with_its_wording_and_quote(tmp_path: Path) -> None:
    published = publish_fictitious(tmp_path)
    text = section((published / "README.md").read_text(encoding="utf-8"))
    rows = [r for r in text.splitlines() if r.startswith("| `")]
    assert len(rows) == 2
    [pmi] = [r for r in rows if "fic-pmi-2022" in r]
    assert "40 000 000 €" in pmi and "80 départements" in pmi
    [repap] = [r for r in rows if "fic-repap" in r]
    assert "au moins 1 200 000 €" in repap
    assert "« 40 millions pour 80 départements »" in repap  # the source's quote
    assert "ne s'ajoutent ni aux campagnes" in text


def test_readme_totals_and_funding_are_those_without_the_national_lines(tmp_path: Path) -> None:
    with_lines = publish_fictitious(tmp_path / "avec")
    without = publish_fictitious(tmp_path / "sans", lines=False)
    readme = (with_lines / "README.md").read_text(encoding="utf-8")
    alone = (without / "README.md").read_text(encoding="utf-8")
    assert SECTION not in alone
    funding = "## Chiffres par région, année et type de campagne"
    assert (
        readme.split(funding)[1].split(SECTION)[0]
        == alone.split(funding)[1].split("\n## ")[0] + "\n"
    )
    assert (with_lines / "data" / "funding_by_region_year.csv").read_bytes() == (
        without / "data" / "funding_by_region_year.csv"
    ).read_bytes()
    before = readme.split(SECTION)[0].replace("\u202f", " ").replace("\u00a0", " ")
    assert "40 000 000" not in before


def test_package_with_national_lines_is_valid(tmp_path: Path) -> None:
    published = publish_fictitious(tmp_path)
    descriptor = json.loads((published / "datapackage.json").read_text(encoding="utf-8"))
    assert "national_lines" in [r["name"] for r in descriptor["resources"]]
    report = Package(str(published / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    lines = pd.read_csv(published / "data" / "national_lines.csv")
    assert sorted(lines["line_id"]) == ["fic-pmi-2022", "fic-repap"]
