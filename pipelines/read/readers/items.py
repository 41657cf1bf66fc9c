"""Laureates published as list items of a web article, not as a <table>.

ARS sites often write « Association X – Titre du projet : 15 000 € » as <li> items under one
<h3> per département. `read.items` is a regular expression whose named parts are the item's
fields (`beneficiary_name`, `project_title`, `amount_eur`…); each item becomes a row of those
parts, with the heading above it in the column « (intertitre) ». Menus, breadcrumbs, tags and
footers are left out; an item of a list of amounts that does not follow the pattern is kept in
the column « (élément non reconnu) », so that it is rejected with its text, never lost.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.patterns import anchored, item_parts
from pipelines.common.problems import SourceError
from pipelines.common.text import clean_cell
from pipelines.read.readers.grid import GridRow

HEADING_COLUMN = "(intertitre)"
UNMATCHED_COLUMN = "(élément non reconnu)"
# « Association X – Titre du projet : 15 000 € », « Association X - "Titre" - 15 000 euros »…
DEFAULT_PATTERN = (
    r"^(?P<beneficiary_name>.+?)\s+[–—-]\s+[«\"“]?\s*(?P<project_title>.+?)\s*[»\"”]?\s*"
    r"(?::|\s[–—-])\s*(?P<amount_eur>\d[\d\s.,]*\s*(?:€|euros?|EUR))\s*\.?$"
)
# What a page wraps around its text: never laureates.
_CHROME = (
    "//nav | //header | //footer | //aside | //form | //*[@role='navigation'] | //*[@role='contentinfo']"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' breadcrumb')]"
    " | //*[contains(@class, 'menu') or contains(@class, 'tags') or contains(@class, 'share')"
    " or contains(@class, 'footer') or contains(@class, 'fil-ariane')]"
)
_AMOUNT = re.compile(r"\d\s*(€|euros?\b|eur\b)", re.I)


def read_items(document, pattern: str, path: Path) -> list[GridRow]:
    parts = item_parts(pattern)
    for junk in document.xpath(_CHROME):
        if junk.getparent() is not None:
            junk.drop_tree()
    root = (document.xpath("//main") or document.xpath("//article") or [document])[0]
    heading: str | None = None
    lists: dict[object, list[tuple[str | None, str]]] = {}
    for node in root.iter("h1", "h2", "h3", "h4", "h5", "h6", "li"):
        text = clean_cell(node.text_content())
        if node.tag != "li":
            heading = text
        elif text and not node.xpath(".//li"):
            lists.setdefault(node.getparent(), []).append((heading, text))
    rows = [GridRow(1, None, (*parts, UNMATCHED_COLUMN, HEADING_COLUMN))]
    for items in lists.values():
        matches = pc.extract_regex(
            pa.array([text for _, text in items], pa.string()), anchored(pattern)
        ).to_pylist()
        # A list none of whose items follows the pattern nor names an amount is not the list.
        if not any(matches) and not any(_AMOUNT.search(text) for _, text in items):
            continue
        for (title, text), m in zip(items, matches):
            if m is not None:
                cells = tuple(clean_cell(m[p]) for p in parts) + (None, title)
            else:
                cells = (None,) * len(parts) + (
                    text,
                    title,
                )  # a « Total » item is then a total line
            rows.append(GridRow(len(rows) + 1, None, cells))
    if len(rows) == 1:
        raise SourceError(
            path,
            "aucun élément de liste (<li>) de la page ne suit le motif read.items",
            place="manifeste, read.items",
            fix="vérifier que la page enregistrée contient la liste, puis adapter le motif "
            "(raw/README.md, « Page web sans tableau »)",
        )
    return rows
