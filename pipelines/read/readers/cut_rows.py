"""A table row cut by a page break, joined back to its start (PDF).

Word lets a row break across pages: the top of the next page holds the rest of its cells (the end
of a long title, of a name), under the repeated header or, by default, with no header at all. Such
a rest is not a laureate and is not read as one; a rest that could be a row of its own (it holds
an amount or a code) is left as it is, for the stage to point out (pipelines/stage/page_breaks.py).
"""

from __future__ import annotations

import re
from collections import Counter


def join_lines(lines: list[str]) -> str:
    """A cell's lines as one text: a line ending with a hyphen goes on without a space, hyphen kept
    (« Saint- » + « Imaginaire » → « Saint-Imaginaire »)."""
    text = ""
    for line in lines:
        text += line if not text or (text.endswith("-") and line[:1].isalnum()) else " " + line
    return text


def join_cut_rows(
    pages: list[tuple[int, list[list[str | None]]]],
) -> list[tuple[int, list[list[str | None]]]]:
    """A row cut by a page break (Word lets rows break across pages) joined back to its start.

    The first row of a page, under the repeated header or with no header at all (Word repeats it
    only when asked), continues the last row of the page before when it only fills some of that
    row's cells with words (the rest of a title, of a name), never an amount or a code: such a
    fragment is not a laureate, and is not read as one.
    """
    # What may stand above the rows at the top of a page: the header (among page 1's first rows)
    # or a line opening several pages (a running title). A page's first row is nothing else:
    # without a repeated header, it is the fragment itself, or a new row.
    head = {tuple(r) for _, rows in pages[:1] for r in rows[:5]}
    openings = Counter(tuple(rows[0]) for _, rows in pages if rows)
    out: list[tuple[int, list[list[str | None]]]] = []
    for n, rows in pages:
        rows = [list(r) for r in rows]
        k = 0
        while (
            k < len(rows)
            and out
            and (tuple(rows[k]) in head or (k == 0 and openings[tuple(rows[k])] > 1))
        ):
            k += 1
        previous = _last_row(out)
        if previous is not None and k < len(rows) and _continues(previous, rows[k]):
            width = max(len(previous), len(rows[k]))
            previous[:] = [
                join_lines([x for x in (a, b) if x]) or None
                for a, b in zip(
                    previous + [None] * (width - len(previous)),
                    rows[k] + [None] * (width - len(rows[k])),
                )
            ]
            del rows[k]
        out.append((n, rows))
    return out


_PAGE_NUMBER = re.compile(r"^(page\s*)?\d+(\s*(/|sur)\s*\d+)?$", re.I)


def _last_row(
    pages: list[tuple[int, list[list[str | None]]]],
) -> list[str | None] | None:
    """The last row of the pages before, a page number at their foot (« Page 1/2 ») passed over."""
    rows = (r for _, before in reversed(pages) for r in reversed(before))
    for row in rows:
        filled = [c for c in row if c]
        if len(filled) == 1 and _PAGE_NUMBER.match(filled[0]):
            continue
        return row
    return None


_NUMBER = re.compile(r"\d")


def _continues(previous: list[str | None], fragment: list[str | None]) -> bool:
    filled = [i for i, c in enumerate(fragment) if c]
    full = [i for i, c in enumerate(previous) if c]
    # The amount stays on the row's first part (cells are top-aligned): a row with its own amount,
    # or its own « NC », is a row of its own.
    amount_left_above = any(i not in filled and _NUMBER.search(previous[i] or "") for i in full)
    return (
        bool(filled)
        and len(filled) < len(full)
        and set(filled) <= set(full)
        and len(full) >= 2
        and amount_left_above
        and not any(_NUMBER.search(c) for c in fragment if c)
    )
