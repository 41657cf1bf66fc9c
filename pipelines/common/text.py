"""Text normalization shared by every lookup: one key for every spelling of a name."""

from __future__ import annotations

import functools
import re

import pyarrow as pa
import pyarrow.compute as pc
from unidecode import unidecode

from pipelines.common.patterns import ACCENTS, NOT_KEY, chars
from pipelines.common.patterns import CONTROL as _CONTROL

_NON_ALNUM = re.compile(NOT_KEY)


def text_key(value: object) -> str:
    """Lower case, no accents, punctuation and hyphens folded to single spaces.

    "Centre-Val de Loire", "centre val de loire" and "CENTRE – VAL DE LOIRE" share one key.
    """
    return _text_key(str(value))


@functools.lru_cache(maxsize=1 << 16)
def _text_key(text: str) -> str:
    # Header detection asks for the key of the same cells and labels many times over.
    return _NON_ALNUM.sub(" ", unidecode(text.translate(_LATIN)).lower()).strip()


# unidecode transliterates one character at a time, in Python: the characters of French text are
# transliterated by one C-level `str.translate` with unidecode's own replacements, which leaves
# unidecode only the text's other characters (none, mostly, and then it returns at once).
_LATIN = {
    code: unidecode(chr(code))
    for low, high in ((0x80, 0x24F), (0x2000, 0x206F), (0x20AC, 0x20AC))
    for code in range(low, high + 1)
}


def text_keys(values: pa.Array) -> pa.Array:
    """`text_key` of every cell of a column, nulls left null. Arrow keys the cells made only of
    characters it folds as `text_key` does (`_folded_alike`), `text_key` itself the others
    (« Cœur », « 100 € », « n° 5 »): the keys are `text_key`'s in every case."""
    text = values if pa.types.is_large_string(values.type) else values.cast(pa.large_string())
    keys = pc.utf8_trim(_arrow_parts(text), " ")
    other = pc.invert(pc.fill_null(pc.match_substring_regex(text, _folded_alike()), True))
    if not pc.any(other).as_py():
        return keys
    exact = pa.array([_text_key(t) for t in text.filter(other).to_pylist()], pa.large_string())
    return pc.replace_with_mask(keys, other, exact)


def _arrow_parts(text: pa.Array) -> pa.Array:
    """Arrow's folding: NFKD, combining accents dropped, lower case, every run of other characters
    one space (not trimmed, so that one character's part can be told from another's)."""
    text = pc.utf8_lower(
        pc.replace_substring_regex(pc.utf8_normalize(text, form="NFKD"), ACCENTS, "")
    )
    return pc.replace_substring_regex(text, NOT_KEY, " ")


# Where French text finds its characters: Latin letters, combining accents, extended Latin,
# punctuation, ligatures. A character outside is keyed by text_key alone.
_FOLD_CANDIDATES = (
    (0x0000, 0x024F),
    (0x0300, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0xFB00, 0xFB06),
)


@functools.cache
def _folded_alike() -> str:
    """`^[…]*$` over the characters whose Arrow part (`_arrow_parts`) is their `text_key` part
    (unidecode, lower case, other runs one space). Both fold a text one character at a time, so
    the two keys of a text made only of them are equal. Derived from the installed unidecode and
    Arrow, never listed by hand: « é », « ’ », « ﬁ » are in; « œ » (unidecode « oe »), « € »
    (« EUR »), « ° » (« deg »), a soft hyphen (nothing, where Arrow leaves a space) are not."""
    codes = [c for low, high in _FOLD_CANDIDATES for c in range(low, high + 1)]
    parts = _arrow_parts(pa.array([chr(c) for c in codes], pa.large_string())).to_pylist()
    alike = [
        c for c, part in zip(codes, parts) if part == _NON_ALNUM.sub(" ", unidecode(chr(c)).lower())
    ]
    spans: list[list[int]] = []
    for c in alike:
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return "^[" + chars(*((low, high) for low, high in spans)) + "]*$"


def french_number(value: float, decimals: int | None = None) -> str:
    """563200 → « 563 200 », 12.5 → « 12,50 »: narrow no-break space, decimal comma.

    `decimals=None` shows cents only when there are any (rounded to the cent first).
    """
    value = float(value)
    if decimals is None:
        value = round(value, 2)
        decimals = 0 if value.is_integer() else 2
    return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")


def french_euros(value: float, decimals: int | None = None) -> str:
    """563200 → « 563 200 € », as `french_number` writes the number."""
    return f"{french_number(value, decimals)} €"


def slug(name: str) -> str:
    """A name as a folder of raw/: « Centre-Val de Loire » → centre-val-de-loire."""
    return text_key(name).replace(" ", "-")


def clean_cell(value: object) -> str | None:
    """A cell as text: whitespace of every kind folded, None for an empty cell."""
    if value is None:
        return None
    text = str(value)
    if text.lower() == "nan":
        return None
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " ")).strip()
    return text or None


# Control characters no published text may hold (pipelines.common.patterns.CONTROL): one pattern,
# compiled for Python here and given as is to Arrow's RE2 under its older name.
CONTROL = re.compile(_CONTROL)
CONTROL_RE2 = _CONTROL


def strip_control(text: str) -> str:
    return CONTROL.sub("", text)
