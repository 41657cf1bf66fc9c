"""The published README: what a researcher reads first, and whose loading examples must run."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.publish import scdl


def readme(folder: Path) -> str:
    return (folder / "README.md").read_text(encoding="utf-8")


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize(
    ("tool", "shows"),
    [
        ("awards.groupby", "cvl-2022-aap"),
        # 563 200 € announced exactly for Centre-Val de Loire, 2 587 031 inhabitants (INSEE 2023).
        ("eur_pour_1000_hab", "217.7"),
        ("import duckdb", "563200.0"),
        ("from frictionless", "paquet valide : True"),
    ],
)
def test_loading_example_runs_from_the_package_folder(
    published_package: Path, tool: str, shows: str
) -> None:
    [block] = [b for b in python_blocks(readme(published_package)) if tool in b]
    result = subprocess.run(
        [sys.executable, "-c", block],
        cwd=published_package,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert shows in result.stdout


def test_every_python_block_is_a_loading_example(published_package: Path) -> None:
    blocks = python_blocks(readme(published_package))
    assert len(blocks) == 4  # one per example above: a new block gets a test too


def test_readme_tells_coverage_sources_and_how_to_cite(published_package: Path) -> None:
    text = readme(published_package)
    descriptor = json.loads((published_package / "datapackage.json").read_text(encoding="utf-8"))
    campaigns = (
        (published_package / "data" / "campaigns.csv").read_text(encoding="utf-8").splitlines()[1:]
    )
    for line in campaigns:
        assert f"`{line.split(',')[0]}`" in text  # every campaign in the coverage table
    for source in descriptor["sources"]:
        assert f"]({source['path']})" in text  # every source linked
    assert re.search(
        r"cvl-2022-aap` \| 2022 \| montant total annoncé \| 563\u202f200\u00a0€ \| exact \(`exact`\) "
        r"\| Page web : « Au total, 25 lauréats [^|]* \| \[ARS Centre-Val de Loire\]",
        text,
    )
    assert f"version {descriptor['version']}" in text and "etalab-2.0" in text
    assert "`index.html`" in text and f"`{scdl.PATH}`" in text


def test_readme_says_which_scdl_fields_are_left_empty(published_package: Path) -> None:
    section = readme(published_package).split("## Export SCDL", 1)[1].split("\n## ", 1)[0]
    assert "partiel" in section
    for name, why in scdl.LEFT_EMPTY.items():
        assert f"| `{name}` | oui |" in section and why in section


def test_the_national_figure_is_the_row_that_says_it(published_package: Path) -> None:
    import pandas as pd

    campaigns = pd.read_csv(published_package / "data" / "campaigns.csv")
    notes = pd.read_csv(published_package / "data" / "sources.csv").set_index("source_id")["note"]
    [row] = campaigns[campaigns["campaign_id"] == "fr-2021-cadre"].itertuples()
    said = readme(published_package).replace("\u00a0", " ")
    assert row.declared_awards_qualifier == "approximate"
    assert (
        f"Les chiffres nationaux de `fr-2021-cadre` (environ {int(row.declared_awards_count)} "
        "lauréats annoncés pour 2021,\n  selon la source : « Près de 200 projets ont été retenus "
        "dans quinze régions »)"
    ) in said
    assert "« Près de 200 projets ont été retenus dans quinze régions »" in notes[row.source_id]
    assert "15 régions en 2021" not in said


def test_readme_says_the_scope_from_the_vocabulary_and_the_campaigns(
    published_package: Path,
) -> None:
    import pandas as pd

    from pipelines.publish.scope import KIND_WORDS, national_text
    from schemas.vocabularies import CAMPAIGN_KINDS

    text = readme(published_package).replace("\u00a0", " ")
    section = text.split("## Périmètre\n", 1)[1].split("\n## ", 1)[0]
    plain = " ".join(section.split())
    campaigns = pd.read_csv(published_package / "data" / "campaigns.csv")
    for kind in CAMPAIGN_KINDS:  # every kind of the vocabulary, none forgotten
        assert f"`{kind}` ({KIND_WORDS[kind][1]})" in plain
    assert f"aujourd'hui {national_text(campaigns)}" in plain
    assert "contrats de PMI ou l'expérimentation RéPAP) sont dans leur propre table" in plain
    assert "ne s'additionnent jamais aux campagnes" in plain
    probable = int((campaigns["year_qualifier"] == "probable").sum())
    assert probable >= 1  # Hauts-de-France 2021
    assert "`year_qualifier` vaut `probable`" in plain
    assert f"({probable} campagne{'s' if probable > 1 else ''} aujourd'hui)" in plain
    assert f"Première année de campagne : {int(campaigns['year'].min())}." in plain
