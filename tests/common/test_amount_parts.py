"""An amount cell written as a sentence: its whole, its parts and their funders, or its words."""

from __future__ import annotations

import pytest

from pipelines.common.amount_parts import read_amount_text


@pytest.mark.parametrize(
    ("text", "whole", "parts"),
    [
        (
            "30 000 € (dont 10 000 € ARS et 20 000 € DREETS)",
            30000.0,
            [("ARS", 10000.0), ("DREETS", 20000.0)],
        ),
        ("25 000 € dont 5 000 € CAF", 25000.0, [("CAF", 5000.0)]),
        (
            "30 000 € (ARS : 10 000 € ; DREETS : 20 000 €)",
            30000.0,
            [("ARS", 10000.0), ("DREETS", 20000.0)],
        ),
        (
            "30 000 € dont 10 000 € de l'ARS et 20 000 € de la DREETS",
            30000.0,
            [("ARS", 10000.0), ("DREETS", 20000.0)],
        ),
        (
            "24 000 € dont 12 000 € Département du Calvados et 12 000 € CAF",
            24000.0,
            [("CONSEIL_DEPARTEMENTAL", 12000.0), ("CAF", 12000.0)],
        ),
        (
            "30 k€ dont 10 k€ ARS et 20 k€ CD",
            30000.0,
            [("ARS", 10000.0), ("CONSEIL_DEPARTEMENTAL", 20000.0)],
        ),
        (
            "1 234,50 € (dont 234,50 € MSA et 1 000 € DRAC)",
            1234.5,
            [("MSA", 234.5), ("DRAC", 1000.0)],
        ),
        ("10 000 € ARS et 20 000 € DREETS", None, [("ARS", 10000.0), ("DREETS", 20000.0)]),
        ("12 000 € CAF", 12000.0, [("CAF", 12000.0)]),
    ],
)
def test_a_whole_and_its_parts(text, whole, parts):
    read = read_amount_text(text)
    assert read.whole == whole
    assert [(p.funder, p.amount) for p in read.parts] == parts


@pytest.mark.parametrize(
    ("text", "words"),
    [("12 000 € sur 2 ans", "sur 2 ans"), ("12 000 € pour 2024-2025", "pour 2024-2025")],
)
def test_a_lone_amount_keeps_its_words(text, words):
    read = read_amount_text(text)
    assert (read.whole, read.parts, read.words) == (12000.0, (), words)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("40 000 € dont 10 000 € Fondation Fictive", "n'est pas un financeur connu"),
        ("30 000 € dont 10 000 ARS et 20 000 DREETS", "autres chiffres"),
        ("30 000 € (dont 10 000 € ARS et 20 000 DREETS)", "mots non lus"),
        ("30 000 € (dont 10 000 € ARS et 20 000 € DREETS) sur 2 ans", "mots non lus"),
        ("20 000 € dont 10 000 € ARS et 10 000 € ARS", "nommé deux fois"),
        (
            "30 000 € dont 10 000 € ARS / CAF et 20 000 € DREETS",
            "plusieurs financeurs sans leur part",
        ),
        ("30 000 € dont 10 000 € et 20 000 € DREETS", "aucun financeur nommé pour 10"),
        ("Sur 2 ans : 12 000 €", "des mots avant le montant"),
        ("12 000 € pour 150 familles", "autres chiffres"),
        ("12 000 € x 2", "autres chiffres"),
        ("12 500 €1", "n'est pas un montant"),
        ("abc", "n'est pas un montant"),
        ("1 € " + "x" * 600, "trop long"),
    ],
)
def test_what_cannot_be_read_as_amounts_and_funders_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        read_amount_text(text)


def test_the_manifest_unit_applies_to_every_amount_of_the_sentence():
    read = read_amount_text("30 € (dont 10 € ARS et 20 € DREETS)", unit="k€")
    assert read.whole == 30000.0 and read.parts_total == 30000.0
