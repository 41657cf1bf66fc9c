"""Contributed text stays text: a title, a publisher, a note or a beneficiary's name never becomes a
live link or a heading of the published README.md or CHANGELOG.md (read here by a real Markdown
parser), invisible characters never make a name look filled, and identifiers and titles over their
ceilings (schemas/limits.py) are refused by `validate` and `publish` alike, never cut short.
Every file here is fictitious (« fictif »)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from assets.cli import main
from assets.publication import publish_all
from schemas.limits import (
    BENEFICIARY_NAME_MAX,
    CAMPAIGN_ID_MAX,
    CAMPAIGN_TITLE_MAX,
    PROJECT_TITLE_MAX,
    SOURCE_NAME_MAX,
)
from tests.hostile.cases import campaign, csv_utf8, manifest, rows_with, write
from tests.hostile.test_validate import ENGLISH

# A plain link, a link escaped once, and a backslash meant to undo the escape of the next bracket.
LINKS = (
    r"[clic](https://piege.invalid/clic) \[lien](https://piege.invalid) \\[x](javascript:alert(1))"
)
# A title that would open a release of its own if its line breaks were kept.
FORGED = "Appel fictif\n\n## 9.9.9 — 2099-01-01\n\n- campagne forgée\r\n# Titre forgé"
# Hangul fillers, the blank Braille pattern and tag characters: they print nothing.
INVISIBLE = "\u3164\u2800\U000e0041\U000e0042\u115f"
FOLDER = ("normandie", 2024)


class Links(HTMLParser):
    """Every <a> of rendered HTML: its href."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")


def rendered(path: Path) -> str:
    return MarkdownIt("commonmark").enable("table").render(path.read_text(encoding="utf-8"))


def hrefs(html: str) -> list[str]:
    parser = Links()
    parser.feed(html)
    return parser.hrefs


def hostile_rows() -> list[list[str]]:
    rows = rows_with(0, 0, f"Association Fictive {LINKS}")
    rows[1][0] = INVISIBLE  # a name of invisible characters only
    rows[2][0] = f"Centre{INVISIBLE} Social Inventé"
    rows[3][1] = "Visites fictives " + "p" * PROJECT_TITLE_MAX  # a paragraph in the title's cell
    rows.append(["Crèche " + "f" * BENEFICIARY_NAME_MAX, "Éveil fictif", "14", "100 €", ""])
    return rows


def hostile_manifest(name: str, title: str) -> str:
    source = {
        "publisher": f"ARS Normandie (éditeur fictif) {LINKS}",
        "url": "https://exemple.invalid/fictif",
        "retrieved": "2026-01-15",
        "note": f"Note fictive {LINKS}\n\n## 9.9.9",
    }
    return manifest(name, source=source, campaign={**campaign(name), "title": title})


def too_long(folder: Path) -> None:
    """Manifests over their ceilings, beside the hostile list."""
    long_id = {"id": "normandie-2024-" + "x" * CAMPAIGN_ID_MAX, "title": "Appel fictif"}
    write(folder, "id-long-fictif", csv_utf8([]), manifest("id-long-fictif", campaign=long_id))
    long_title = {**campaign("titre-long-fictif"), "title": "Appel fictif " * 30}
    write(
        folder,
        "titre-long-fictif",
        csv_utf8([]),
        manifest("titre-long-fictif", campaign=long_title),
    )
    stem = "liste-fictif-" + "n" * SOURCE_NAME_MAX
    write(folder, stem, csv_utf8([]), manifest("nom-long-fictif"))


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two releases: the hostile list under a plain title, then its title made hostile."""
    root = tmp_path_factory.mktemp("inert")
    folder = root / "raw" / FOLDER[0] / str(FOLDER[1])
    write(folder, "lien-fictif", csv_utf8(hostile_rows()), hostile_manifest("lien-fictif", "Appel"))
    too_long(folder)
    mp = pytest.MonkeyPatch()
    mp.setenv("MILLE_JOURS_ROOT", str(root))
    mp.setenv("DAGSTER_HOME", str(root / ".dagster"))
    try:
        publish_all(root)
        (folder / "lien-fictif.yaml").write_text(
            hostile_manifest("lien-fictif", f"{FORGED} {LINKS}"), encoding="utf-8"
        )
        publish_all(root)
    finally:
        mp.undo()
    return root / "published"


def read(published: Path, table: str) -> pd.DataFrame:
    return pd.read_csv(published / "data" / f"{table}.csv", dtype=str, keep_default_na=False)


def test_no_link_comes_alive_in_the_readme_or_the_changelog(releases: Path):
    for name in ("README.md", "CHANGELOG.md"):
        html = rendered(releases / name)
        live = [h for h in hrefs(html) if "piege.invalid" in h or "javascript" in h.lower()]
        assert not live, (name, live)
    # The hostile publisher and title read as written, backslashes included.
    assert (
        r"(éditeur fictif) [clic](https://piege.invalid/clic) \[lien](https://piege.invalid) \\[x]"
        in rendered(releases / "README.md")
    )
    assert r"\\[x](javascript:alert(1))" in rendered(releases / "CHANGELOG.md")


def test_a_title_forges_no_release_in_the_changelog(releases: Path):
    text = (releases / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert headings[0] == "# Journal des versions"
    assert len(headings) == 3, headings  # the journal and its two releases
    assert all(re.fullmatch(r"## \S+ — \d{4}-\d{2}-\d{2}", h) for h in headings[1:]), headings
    html = rendered(releases / "CHANGELOG.md")
    assert html.count("<h2>") == 2 and html.count("<h1>") == 1
    assert "9.9.9" not in "".join(re.findall(r"<h\d>.*?</h\d>", html))
    # The title is said, on its entry's line: its line breaks are spaces.
    assert "Appel fictif ## 9.9.9 — 2099-01-01 - campagne forgée # Titre forgé" in text


def test_invisible_characters_never_make_a_name_look_filled(releases: Path):
    names = read(releases, "awards")["beneficiary_name"].tolist()
    assert "Centre Social Inventé" in names
    assert all(name.strip() for name in names)
    assert not any(set(name) & set(INVISIBLE) for name in names), names
    rejected = read(releases, "rejected_rows")
    empty = rejected[rejected["column"] == "Structure porteuse"]
    assert any("beneficiary_name : valeur obligatoire absente" in r for r in empty["reason"])
    assert not any(set(v) & set(INVISIBLE) for v in rejected["value"])


def test_an_over_long_name_or_title_is_a_rejected_row_never_cut_short(releases: Path):
    awards = read(releases, "awards")
    assert awards["beneficiary_name"].str.len().max() <= BENEFICIARY_NAME_MAX
    assert awards["project_title"].str.len().max() <= PROJECT_TITLE_MAX
    assert not awards["beneficiary_name"].str.startswith("Crèche ff").any()  # not cut, left out
    assert not awards["project_title"].str.startswith("Visites fictives pp").any()
    reasons = " | ".join(read(releases, "rejected_rows")["reason"])
    assert (
        "beneficiary_name : texte trop long : 300 caractères au plus ; celui-ci en compte 307"
        in reasons
    ), reasons
    assert (
        "project_title : texte trop long : 1 000 caractères au plus ; celui-ci en compte 1 017"
        in (reasons)
    ), reasons


def test_publish_refuses_an_over_long_manifest_saying_the_key_length_and_limit(releases: Path):
    sources = read(releases, "sources").set_index("source_id")
    where = f"{FOLDER[0]}/{FOLDER[1]}/"
    row = sources.loc[where + "id-long-fictif"]
    assert row["status"] == "bad_manifest"
    assert "campaign.id : texte de 95 caractères, 80 au plus" in row["message"], row["message"]
    row = sources.loc[where + "titre-long-fictif"]
    assert row["status"] == "bad_manifest"
    assert "campaign.title : texte de 390 caractères, 300 au plus" in row["message"]
    long_name = [s for s in sources.index if s.startswith(where + "liste-fictif-nnn")]
    assert len(long_name) == 1 and sources.loc[long_name[0], "status"] == "refused"
    assert "nom de fichier de 133 caractères, 120 au plus" in sources.loc[long_name[0], "message"]
    assert read(releases, "campaigns")["title"].str.len().max() <= CAMPAIGN_TITLE_MAX


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("id-long-fictif", "campaign.id : texte de 95 caractères, 80 au plus"),
        ("titre-long-fictif", "campaign.title : texte de 390 caractères, 300 au plus"),
        ("liste-fictif-" + "n" * SOURCE_NAME_MAX, "nom de fichier de 133 caractères, 120 au plus"),
    ],
)
def test_validate_refuses_an_over_long_manifest_in_french(tmp_path: Path, stem: str, expected: str):
    folder = tmp_path / "raw" / FOLDER[0] / str(FOLDER[1])
    too_long(folder)
    result = CliRunner().invoke(main, ["validate", str(folder / f"{stem}.yaml")])
    assert result.exit_code == 2, result.output
    assert expected in result.output, result.output
    assert f"{stem}.yaml" in result.output or "liste-fictif-nnn" in result.output
    assert not ENGLISH.search(result.output), result.output


def test_validate_says_which_rows_are_over_long(tmp_path: Path):
    folder = tmp_path / "raw" / FOLDER[0] / str(FOLDER[1])
    write(folder, "lien-fictif", csv_utf8(hostile_rows()), hostile_manifest("lien-fictif", "Appel"))
    result = CliRunner().invoke(main, ["validate", str(folder)])
    out = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "texte trop long : 300 caractères au plus ; celui-ci en compte 307" in out, out
    assert "texte trop long : 1 000 caractères au plus ; celui-ci en compte 1 017" in out, out
    assert "beneficiary_name : valeur obligatoire absente" in out, out
    assert all(len(line) < 2000 for line in out.splitlines())  # never the whole paragraph
