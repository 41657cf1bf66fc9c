"""The Arrow sieve of pipelines.stage.quality lets through every cell its exact patterns would flag."""

from __future__ import annotations

import random
import re

import pandas as pd

from pipelines.stage.cell_search import contains
from pipelines.stage.quality import _SIEVE, EMAIL, PHONE


def test_every_phone_or_email_passes_the_sieve_and_plain_amounts_do_not():
    rnd = random.Random(11)
    pieces = [
        "0",
        "6",
        "33",
        "+",
        "00",
        " ",
        ".",
        "-",
        "(0)",
        "12",
        "34",
        "@",
        "a",
        "fictif.test",
        "1",
        "9",
    ]
    cells = ["".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 14))) for _ in range(20000)]
    cells += [
        "06 12 34 56 78",
        "+33 6 12 34 56 78",
        "0033 (0)6 12 34 56 78",
        "contact@exemple-fictif.test",
    ]
    flagged = [bool(PHONE.search(c) or EMAIL.search(c)) for c in cells]
    sieved = contains(pd.Series(cells, dtype="str"), _SIEVE)
    assert sum(flagged) > 100
    assert all(s for f, s in zip(flagged, sieved) if f)
    assert not contains(
        pd.Series(["123456.78", "73282932000074", "12 500,00 €"], dtype="str"), _SIEVE
    ).any()
    assert [bool(re.search(_SIEVE, c)) for c in cells] == list(sieved)  # RE2 and Python agree on it
