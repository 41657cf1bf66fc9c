"""Each text rule that runs in both engines, Python's `re` (a cell at a time) and Arrow's RE2 (a whole
column), gives the same answers in both: on every cell of the real sources under raw/, on every cell
of the fictitious files the tests generate, and on hostile strings (tests/common/corpus.py).

Where one spelling serves both engines, these tests catch what the engines read differently; where
two remain (the personal-data sieve, the Arrow text key, the readers' space folding), they catch one
spelling changed without the other.
"""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from pipelines.common import patterns, personal, sieve, text, values
from pipelines.common.text import clean_cell, strip_control, text_key, text_keys
from tests.common.corpus import HOSTILE, all_texts, fixture_cells, real_cells


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return list(all_texts())


@pytest.fixture(scope="module")
def column(texts: list[str]) -> pa.Array:
    return pa.array(texts, pa.large_string())


@pytest.fixture(scope="module")
def code_points() -> list[str]:
    """Every Unicode character (surrogates are none: no UTF-8 text holds one)."""
    return [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]


@pytest.fixture(scope="module")
def code_point_column(code_points: list[str]) -> pa.Array:
    return pa.array(code_points, pa.large_string())


def test_the_corpus_holds_real_fixture_and_hostile_cells():
    assert len(real_cells()) > 100 and len(fixture_cells()) > 400 and len(HOSTILE) > 3000
    assert "Communauté de communes Cœur du Jura" in real_cells()
    assert "jeanne.fictive@exemple.invalid" in " ".join(
        fixture_cells()
    )  # the démarches-simplifiées export


# --- classes: every character, in both engines ------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        patterns.CONTROL,
        f"[{patterns.SPACE}]",
        f"[{patterns.DIGIT}]",
        patterns.ACCENTS,
        patterns.NOT_KEY.removesuffix("+"),
        patterns.AMOUNT_SPACES.removesuffix("+"),
    ],
    ids=["CONTROL", "SPACE", "DIGIT", "ACCENTS", "NOT_KEY", "AMOUNT_SPACES"],
)
def test_each_class_holds_the_same_characters_in_both_engines(
    pattern: str, code_points: list[str], code_point_column: pa.Array
):
    outside_python = set(re.sub(f"{pattern}+", "", "".join(code_points)))
    found = pc.match_substring_regex(code_point_column, pattern).to_numpy(zero_copy_only=False)
    outside_re2 = {code_points[i] for i in np.flatnonzero(~found)}
    assert outside_python == outside_re2, sorted(
        f"U+{ord(c):04X}" for c in outside_python ^ outside_re2
    )[:20]


def test_space_is_every_character_python_takes_for_a_space(code_points: list[str]):
    space = set(re.findall(f"[{patterns.SPACE}]", "".join(code_points)))
    assert (
        space
        == {c for c in code_points if c.isspace()}
        == set(re.findall(r"\s", "".join(code_points)))
    )
    assert space > set(
        re.findall(r"\s", "".join(code_points), re.ASCII)
    )  # what RE2's \s would miss


def test_digit_holds_every_digit_python_takes_for_one(code_points: list[str]):
    everything = "".join(code_points)
    missing = set(re.findall(r"\d", everything)) - set(
        re.findall(f"[{patterns.DIGIT}]", everything)
    )
    assert not missing, (
        f"add to patterns._DIGIT_ZEROS: {sorted(f'U+{ord(c):04X}' for c in missing)[:20]}"
    )


# --- control characters (stage.source.strip_controls, consolidate.tables) ---------------------------


def test_control_characters_are_found_alike(texts: list[str], column: pa.Array):
    in_re2 = pc.match_substring_regex(column, text.CONTROL_RE2).to_pylist()
    assert [bool(text.CONTROL.search(t)) for t in texts] == in_re2
    assert [strip_control(t) for t in texts] == pc.replace_substring_regex(
        column, text.CONTROL_RE2, ""
    ).to_pylist()
    assert sum(in_re2) > 200


# --- amounts (values.parse_amount / parse_amounts) ---------------------------------------------------


def _word_beyond_ascii(t: str) -> bool:
    """A character `re`'s Unicode `\\b` takes for a letter and RE2's ASCII one does not."""
    return any(not c.isascii() and re.match(r"\w", c) for c in t)


def test_amounts_are_cleaned_alike(texts: list[str], column: pa.Array):
    in_python = [values.amount_text(t) for t in texts]
    in_re2 = pc.replace_substring_regex(column, values._NOISE, "").to_pylist()
    for decimal in ",.":
        plain = pc.match_substring_regex(
            pa.array(in_re2, pa.large_string()), values._PLAIN[decimal]
        ).to_pylist()
        # What Arrow converts itself must be what parse_amount would have read.
        assert [(t, a) for t, a, b, p in zip(texts, in_re2, in_python, plain) if p and a != b] == []
    differ = [t for t, a, b in zip(texts, in_re2, in_python) if a != b]
    assert [t for t in differ if not _word_beyond_ascii(t)] == []
    assert "12 500 € HT" in texts and "1 2 5 0 0" in texts


def _one_by_one(texts: list[str], decimal: str) -> tuple[list, list]:
    amounts, errors = [], []
    for t in texts:
        if text_key(t) in values.NOT_GIVEN:
            amounts.append(None), errors.append(None)
            continue
        try:
            amount = values.parse_amount(t, decimal)
        except ValueError as exc:
            amounts.append(None), errors.append(str(exc))
            continue
        above = amount > values.AMOUNT_CEILING_EUR
        amounts.append(None if above else amount), errors.append("plafond" if above else None)
    return amounts, errors


@pytest.mark.parametrize("decimal", [",", "."])
def test_parse_amounts_reads_every_cell_as_parse_amount_does(texts: list[str], decimal: str):
    amounts, errors = values.parse_amounts(texts, decimal)
    expected_amounts, expected_errors = _one_by_one(texts, decimal)
    assert [(t, a, b) for t, a, b in zip(texts, amounts, expected_amounts) if a != b] == []
    for t, error, expected in zip(texts, errors, expected_errors):
        if error is not None and "au-dessus du plafond" in error:
            # Beyond 15 digits parse_amount says « not an amount », Arrow's path « above the ceiling »:
            # both refuse it.
            assert expected is not None, t
        else:
            assert error == expected, t


# --- personal data (personal.find and its sieve) -----------------------------------------------------


def test_the_sieve_lets_through_every_cell_the_patterns_flag(texts: list[str], column: pa.Array):
    sieved = sieve.candidates(column).to_pylist()
    flagged = [bool(next(personal.find(t), None)) for t in texts]
    assert [t for t, f, s in zip(texts, flagged, sieved) if f and not s] == []
    assert sum(flagged) > 150
    assert [
        bool(re.search(personal.SIEVE, personal.normalized(t))) for t in texts
    ] == sieved  # `re` reads it as RE2 does
    # Small files are sieved by `re`, large ones by Arrow: both engines give the same cells.
    assert sieve.sieve_with_re(texts).to_pylist() == sieve.sieve_with_arrow(column).to_pylist()


def test_both_engines_sieve_every_character_alike(code_points: list[str]):
    """Each character alone, and inside a phone number and an e-mail address, where it may break
    or complete a match: the two engines of the sieve agree on all of them."""
    # A character Python's Unicode tables do not know yet (`Cn`) is left as it is by its NFKC,
    # while Arrow's may fold it to a digit: the exact patterns, in Python, would not flag it either.
    known = [c for c in code_points if unicodedata.category(c) != "Cn"]
    texts = [f"{prefix}{c}{suffix}" for c in known for prefix, suffix in _AROUND]
    by_re = sieve.sieve_with_re(texts).to_pylist()
    by_arrow = sieve.sieve_with_arrow(pa.array(texts, pa.large_string())).to_pylist()
    assert [t for t, a, b in zip(texts, by_re, by_arrow) if a != b] == []
    assert sum(by_re) > len(known)  # the phone numbers and addresses are let through


_AROUND = [("", ""), ("06 12 34 56", "8"), ("jeanne", "@exemple.invalid"), ("Mme", "Fictive")]


# --- text keys (text.text_key, stage.quality) --------------------------------------------------------


def test_text_keys_are_text_key(texts: list[str], column: pa.Array):
    assert text_keys(column).to_pylist() == [text_key(t) for t in texts]
    assert text_keys(pa.array([None, "Cœur", "É-té"])).to_pylist() == [None, "coeur", "e te"]


def test_text_keys_are_text_key_for_any_mix_of_characters():
    """Characters Arrow folds alike and characters it does not, side by side and combined."""
    rnd = random.Random(7)
    pool = [chr(c) for low, high in text._FOLD_CANDIDATES for c in range(low, high + 1)]
    pool += [
        "œ",
        "€",
        "°",
        "\u00ad",
        "ß",
        "ﬁ",
        "’",
        " ",
        "e\u0301",
        "\u0301",
        "ǅ",
        "ẞ",
        "İ",
        "K",
        "😀",
        "中",
    ]
    cells = ["".join(rnd.choice(pool) for _ in range(rnd.randint(0, 8))) for _ in range(20000)]
    assert text_keys(pa.array(cells, pa.large_string())).to_pylist() == [text_key(t) for t in cells]


def test_a_first_letter_arrow_lowers_into_a_key_character_starts_the_key(
    code_points: list[str], code_point_column: pa.Array
):
    """stage.quality._may_share_key: two texts starting with different such letters have different keys."""
    lowered = pc.utf8_lower(code_point_column)
    plain = pc.match_substring_regex(lowered, f"^[{patterns.KEY_CHARS}]").to_numpy(
        zero_copy_only=False
    )
    firsts = [(code_points[i], lowered[int(i)].as_py()) for i in np.flatnonzero(plain)]
    assert [(c, low) for c, low in firsts if not text_key(c + "z").startswith(low)] == []
    assert ("K", "k") in firsts  # the Kelvin sign


# --- the readers' own RE2 spellings (pipelines/read) -------------------------------------------------


def test_text_column_folds_spaces_as_clean_cell(texts: list[str], column: pa.Array):
    from pipelines.read.readers.grid import text_column

    assert text_column(column).to_pylist() == [clean_cell(t) for t in texts]


def test_the_header_look_up_finds_exactly_the_cells_keyed_as_a_header():
    """read.row_kinds.key_in says, by Arrow, which cells have one of the header's text_keys: on the
    real, fixture and hostile cells it must agree with text_key both ways, whatever the keys' length."""
    from pipelines.read.row_kinds import key_in as _key_in

    cells = list(dict.fromkeys(real_cells() + fixture_cells() + HOSTILE))
    keys = {text_key(c) for c in cells[::2]} - {""}
    found = _key_in(pa.array(cells, pa.large_string()), keys)
    assert [c for c, f in zip(cells, found) if f != (text_key(c) in keys)] == []


@pytest.mark.parametrize(
    "character", ["\u00ad", "\x85", "\u2066", "\U000e0041", "\u0660", "\u3164", "😀", "œ", "€"]
)
def test_the_header_look_up_keys_invisible_or_foreign_characters_as_text_key(character: str):
    from pipelines.read.row_kinds import key_in as _key_in

    cell = f"Porteur{character}du projet"
    assert _key_in(pa.array([cell], pa.large_string()), {text_key(cell)}).tolist() == [True]
    other = "porteur du projet" if text_key(cell) != "porteur du projet" else "porteur"
    assert _key_in(pa.array([cell], pa.large_string()), {other}).tolist() == [False]
