"""Text rules written once for both regular-expression engines: Python's `re`, a cell at a time, and
RE2, Arrow's engine, a whole column at once. Where the two engines read a spelling differently (RE2's
`\\s`, `\\d` and `\\b` are ASCII only), the characters are spelled out instead, by `chars`.
tests/common/test_patterns_agree.py holds each rule's two engines to the same answers.

Patterns a manifest contributes run in RE2 only: linear time, no backtracking, so a contributed
pattern can never hang a run.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc


def chars(*spans: int | tuple[int, int]) -> str:
    """The inside of a character class, read alike by `re` and RE2: code points up to U+00FF as
    `\\xhh` (both engines take it for that code point), the others as themselves (never special
    in a class). `chars((0x00, 0x08), 0xfeff)` is `\\x00-\\x08` then U+FEFF."""

    def one(code: int) -> str:
        if 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"U+{code:04X}: a surrogate is no character of a UTF-8 text")
        return f"\\x{code:02x}" if code < 0x100 else chr(code)

    out = []
    for span in spans:
        low, high = span if isinstance(span, tuple) else (span, span)
        out.append(one(low) if low == high else f"{one(low)}-{one(high)}")
    return "".join(out)


# Control characters no published text may hold: C0 and C1 except tab and newline, bidi marks,
# embeddings, overrides and isolates, zero-width characters and the byte-order mark; and the
# characters that print nothing yet are no space, so that a name of them alone looks filled: the
# Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the blank Braille pattern (U+2800), the
# Mongolian vowel separator, the combining grapheme joiner, variation selectors and tag characters.
CONTROL = (
    "["
    + chars(
        (0x00, 0x08),
        (0x0B, 0x1F),
        (0x7F, 0x9F),
        0x034F,
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        0x180E,
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x2069),
        0x2800,
        0x3164,
        (0xFE00, 0xFE0F),
        0xFEFF,
        0xFFA0,
        (0xE0000, 0xE007F),
        (0xE0100, 0xE01EF),
    )
    + "]"
)

# Every character Python's `\s` (str.isspace) takes for a space. RE2's `\s` is only [\t\n\f\r ].
SPACE = chars(
    (0x09, 0x0D),
    (0x1C, 0x20),
    0x85,
    0xA0,
    0x1680,
    (0x2000, 0x200A),
    0x2028,
    0x2029,
    0x202F,
    0x205F,
    0x3000,
)

# Every decimal digit of Unicode 15 (category Nd), by its zero: all that Python's `\d` takes. RE2's
# `\d` is [0-9] only, and `re` has no `\p{Nd}`.
_DIGIT_ZEROS = (
    0x30,
    0x660,
    0x6F0,
    0x7C0,
    0x966,
    0x9E6,
    0xA66,
    0xAE6,
    0xB66,
    0xBE6,
    0xC66,
    0xCE6,
    0xD66,
    0xDE6,
    0xE50,
    0xED0,
    0xF20,
    0x1040,
    0x1090,
    0x17E0,
    0x1810,
    0x1946,
    0x19D0,
    0x1A80,
    0x1A90,
    0x1B50,
    0x1BB0,
    0x1C40,
    0x1C50,
    0xA620,
    0xA8D0,
    0xA900,
    0xA9D0,
    0xA9F0,
    0xAA50,
    0xABF0,
    0xFF10,
    0x104A0,
    0x10D30,
    0x11066,
    0x110F0,
    0x11136,
    0x111D0,
    0x112F0,
    0x11450,
    0x114D0,
    0x11650,
    0x116C0,
    0x11730,
    0x118E0,
    0x11950,
    0x11C50,
    0x11D50,
    0x11DA0,
    0x11F50,
    0x16A60,
    0x16AC0,
    0x16B50,
    0x1D7CE,
    0x1D7D8,
    0x1D7E2,
    0x1D7EC,
    0x1D7F6,
    0x1E140,
    0x1E2F0,
    0x1E4F0,
    0x1E950,
    0x1FBF0,
)
DIGIT = chars(*((zero, zero + 9) for zero in _DIGIT_ZEROS))

# What parse_amount strips from an amount: a currency word, then spaces of any kind and apostrophes
# (« 12'500 »). `\b` is Unicode for `re`, ASCII for RE2: « 12 eurosé » loses « euros » in RE2 only,
# keeping « é »; so a cell RE2 leaves as plain digits is left the same by `re`.
CURRENCY = r"(?i:€|eur(os?)?\b|euros?\b|ttc\b|ht\b)"
AMOUNT_SPACES = f"[{SPACE}']+"

# A text key (text_key) holds ASCII lower-case letters and digits, every other run one space.
KEY_CHARS = "a-z0-9"
NOT_KEY = f"[^{KEY_CHARS}]+"

# Combining accents (U+0300–U+036F): what NFKD splits from « é », « ç », « ô ».
ACCENTS = f"[{chars((0x300, 0x36F))}]"


def item_parts(pattern: str) -> list[str]:
    """The named parts of a `read.items` pattern. RE2 (Arrow's engine) runs it in linear time, so a
    contributed pattern can never hang a run; ValueError, in French, when RE2 refuses it."""
    try:
        kind = pc.extract_regex(pa.array([], pa.string()), anchored(pattern)).type
    except pa.ArrowInvalid as exc:
        if "unnamed groups" in str(exc):
            raise ValueError(
                "motif read.items : chaque groupe entre parenthèses doit être une partie nommée, "
                "(?P<beneficiary_name>…), ou un groupe sans capture, (?:…)"
            ) from None
        raise ValueError(
            "motif read.items invalide ou non permis (syntaxe RE2 : ni référence arrière, ni regard "
            "avant ou arrière)"
        ) from None
    return [field.name for field in kind]


def anchored(pattern: str) -> str:
    return f"^(?:{pattern})"  # an item is matched from its first character, as a whole
