"""Personal data found, masked and scrubbed (pipelines.common.personal). Every value is fictitious."""

from __future__ import annotations

import re

import pytest

from pipelines.common.personal import SIEVE, excerpt, find, mask, scrub
from pipelines.common.sieve import candidates


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("écrire à jeanne.fictive@exemple.invalid", "personal_email"),
        ("rappeler au 06 99 88 77 66", "personal_phone"),
        ("+33 6 99 88 77 66", "personal_phone"),
        ("RIB FR76 3000 6000 0112 3456 7890 189", "personal_iban"),
        ("RIB FR7630006000011234567890189", "personal_iban"),
        ("NIR 1 85 05 78 006 084 91", "personal_nir"),
        ("Mme Jeanne Fictive", "personal_name"),
        ("suivi par M. Jean-Paul DUFICTIF", "personal_name"),
    ],
)
def test_each_kind_is_found_and_the_sieve_lets_it_through(text: str, code: str):
    assert [f.code for f in find(text)] == [code]
    assert candidates([text]).to_pylist() == [True]
    assert re.search(SIEVE, text)  # RE2 and Python read the sieve alike


@pytest.mark.parametrize(
    "text",
    [
        "73282932000074",
        "SIRET 732 829 320 00074",
        "12 500,00 €",
        "123456.78",
        "d9f474b78a4df07e7b94ba8201e1b3ef8499f5f64fe36cab0812345678901234",  # a hash with ten digits in a row
        "FR76 3000 6000 0112 3456 7890 188",  # an IBAN whose check digits are wrong
        "1 85 05 78 006 084 92",  # a NIR whose key is wrong
        "M. le Maire",
        "Madame Bovary",
        "Association Fictive du Bocage",
    ],
)
def test_lookalikes_are_not_taken_for_personal_data(text: str):
    assert list(find(text)) == []


def test_masks_keep_enough_to_find_the_cell_and_not_the_data():
    assert mask("jeanne.fictive@exemple.invalid") == "j…@exemple.invalid"
    assert mask("06 99 88 77 66") == "06…66"
    assert mask("Mme Jeanne Fictive", "personal_name") == "Mme J… F…"
    assert scrub("appeler Mme Jeanne Fictive au 06 99 88 77 66") == "appeler Mme J… F… au 06…66"


def test_long_cells_are_scanned_in_linear_time_and_excerpts_stay_short():
    # 120 000 characters: the unbounded e-mail pattern took two minutes on this; bounded, a blink.
    cell = "a" * 120_000 + "@exemple.invalid"
    assert [f.code for f in find(cell)] == ["personal_email"]
    assert list(find("a@" * 60_000)) == []
    assert len(excerpt("x" * 5000 + "jeanne.fictive@exemple.invalid")) == 40
    assert excerpt("contact jeanne.fictive@exemple.invalid") == "contact j…@exemple.invalid"
