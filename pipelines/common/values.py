"""French values as published → canonical values (euros, funder codes, SIRET, RNA).

Each parser returns the canonical value, or raises `ValueError` with a message in French that
says what is wrong; the caller turns that into a rejected row with its place and its fix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from babel.numbers import NumberFormatError, parse_decimal
from stdnum.fr import siret as stdnum_siret

from pipelines.common.patterns import AMOUNT_SPACES, CURRENCY
from pipelines.common.text import french_number, text_key
from schemas.limits import AMOUNT_CEILING_EUR
from schemas.vocabularies import FUNDERS, PLACE_ALIASES

_CURRENCY = re.compile(CURRENCY)
_SPACES = re.compile(AMOUNT_SPACES)
_DOT_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_COMMA_GROUPS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")
# « 12,500 », « 1,250,000 »: a comma before exactly three digits. In euros that is never cents
# (a euro has two decimals); in k€ or M€ three decimals are whole euros, so there it is a decimal.
COMMA_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")


# How a file may write its amounts (manifest `read.amount_unit`): each amount is multiplied.
UNITS = {"€": 1, "k€": 1_000, "M€": 1_000_000}
# A multiplier written in the cell itself: « 15 k€ », « 15 K€ », « 1,2 M€ », « 2 millions d'euros ».
# Upper-case M only: « m€ » is no way to write millions.
_OWN_UNIT = re.compile(
    r"(?<=[\d\s])(?:(?P<k>[kK])|(?P<m>M))\s?(?:€|(?i:euros?|eur)\b)"
    r"|(?<=[\d\s])(?i:(?P<kw>milliers?)|(?P<mw>millions?))\s+(?i:(?:d['’]\s?)?(?:€|euros?\b))"
)
# Footnote marks after an amount: « * », « ** », « (1) », « ¹ ».
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_BEFORE_MARK = re.compile(r"(?:\d|€|(?i:\beuros?|\beur))$")


_AFTER_CURRENCY = re.compile(rf"(?:{CURRENCY})\D*\d")
# The same, for Arrow: a digit, a currency word, a digit. Only plain cells are asked, whose digits
# are all ASCII, and there both engines agree.
DIGITS_AFTER_CURRENCY = f"[0-9][^0-9]*(?:{CURRENCY})[^0-9]*[0-9]"


def _digits_after_currency(text: str) -> bool:
    first = next((i for i, c in enumerate(text) if c.isdigit()), None)
    return first is not None and _AFTER_CURRENCY.search(text, first + 1) is not None


def own_unit(text: str) -> tuple[str, str | None]:
    """The text without the multiplier the cell writes, and that unit (« k€ », « M€ ») or None."""
    m = _OWN_UNIT.search(text)
    if m is None:
        return text, None
    unit = "k€" if m.group("k") or m.group("kw") else "M€"
    return text[: m.start()] + " €" + text[m.end() :], unit


def footnote_mark(text: str) -> tuple[str, str]:
    """An amount and the footnote mark written after it: « 15 000 €* » → (« 15 000 € », « * »).

    A mark is only `*`, a number of one or two digits in parentheses, or superscript digits, at the
    end of the cell and right after a digit or the currency: « 15 000 ¹ » is 15 000 and its note 1,
    never 150 001; « (500) » stays a negative amount. No mark: (text, "").
    """
    rest = text.rstrip()
    while rest:
        before = rest
        if rest.endswith("*"):
            rest = rest.rstrip("*").rstrip()
        elif rest[-1] in _SUPERSCRIPTS:
            rest = rest.rstrip(_SUPERSCRIPTS).rstrip()
        elif rest.endswith(")"):
            inside = rest[rest.rfind("(") + 1 : -1] if "(" in rest else ""
            if not (inside.isascii() and inside.isdigit() and len(inside) <= 2):
                break
            rest = rest[: rest.rfind("(")].rstrip()
        if rest == before:
            break
    if rest == text.rstrip() or not _BEFORE_MARK.search(rest):
        return text, ""
    return rest, text.rstrip()[len(rest) :].strip()


def parse_amount(text: str, decimal: str = ",", unit: str = "€") -> float:
    """Euros from "12 500,00 €", "12.500 €", "12 500 euros", "12500", "1.234,50", "47800.20".

    `decimal` is the manifest's decimal mark; the other mark, when present in groups of three
    digits, is read as a thousands separator; so is a comma before exactly three digits in euros
    (« €12,500 », « 1,250,000 »): never cents. `unit` is how the file writes its amounts
    (read.amount_unit: « € », « k€ », « M€ »); a cell writing its own (« 15 k€ ») is read with it.
    A footnote mark after the amount (« 15 000 €* », « 15 000 € (1) ») is left out.
    """
    raw = str(text)
    written, _ = footnote_mark(raw)
    written, own = own_unit(written)
    factor = UNITS[own or unit]
    if _digits_after_currency(written):
        # « 15 000 €1 »: a footnote mark as a plain digit, or « 12 € 50 » for cents; never 150 001.
        raise ValueError(f"« {raw} » : des chiffres après « € » (renvoi de note ? centimes ?)")
    cleaned = amount_text(written)
    if cleaned.startswith(("-", "(")):
        raise ValueError(f"montant négatif « {raw} »")
    if not cleaned or not re.search(r"\d", cleaned):
        raise ValueError(f"« {raw} » n'est pas un montant")
    if decimal == ",":
        if COMMA_THOUSANDS.fullmatch(cleaned) and (factor == 1 or cleaned.count(",") > 1):
            cleaned = cleaned.replace(",", "")  # « €12,500 » is 12 500 €, never 12,50 €
        elif _COMMA_GROUPS.fullmatch(cleaned) and "." in cleaned:
            cleaned = cleaned.replace(
                ",", ""
            )  # "1,234.50": an English-formatted cell in a French file
        else:
            if "." in cleaned and not _DOT_GROUPS.fullmatch(cleaned):
                if cleaned.count(".") == 1 and "," not in cleaned:
                    pass  # "47800.20": a point decimal in a French file, unambiguous
                else:
                    raise ValueError(f"« {raw} » : séparateurs incohérents")
            else:
                cleaned = cleaned.replace(".", "")
            cleaned = cleaned.replace(",", ".")
    else:
        if "," in cleaned and not _COMMA_GROUPS.fullmatch(cleaned):
            raise ValueError(f'« {raw} » : une virgule alors que le manifeste dit decimal: "."')
        cleaned = cleaned.replace(",", "")
    try:
        value = parse_decimal(cleaned, locale="en_US", strict=False)
        if (
            not value.is_finite() or value.adjusted() > 15
        ):  # NaN, inf, 1e308: not an amount in euros
            raise InvalidOperation
        return float(round(Decimal(value) * factor, 2))
    except (NumberFormatError, InvalidOperation) as exc:
        raise ValueError(f"« {raw} » n'est pas un montant") from exc


def amount_text(text: str) -> str:
    """An amount without its currency word and its spaces: « 12 500,00 € » → « 12500,00 »."""
    return _SPACES.sub("", _CURRENCY.sub("", text)).strip()


def parse_count(text: str) -> int:
    cleaned = _SPACES.sub("", str(text))
    if not cleaned.isdigit():
        raise ValueError(f"« {text} » n'est pas un nombre entier")
    return int(cleaned)


@cache
def _funder_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for funder in FUNDERS:
        keys[text_key(funder.code)] = funder.code
        keys[text_key(funder.name)] = funder.code
        for alias in funder.aliases:
            keys[text_key(alias)] = funder.code
    return keys


def funder_code(text: str) -> str:
    """Funder code from a code or an alias: "ARS", "Agence régionale de santé", "DEETS", "Commissaire pauvreté"."""
    key = text_key(text)
    keys = _funder_keys()
    if key in keys:
        return keys[key]
    # "ARS Centre-Val de Loire", "DREETS Pays de la Loire": the funder then the region.
    for alias, code in sorted(keys.items(), key=lambda kv: -len(kv[0])):
        if key.startswith(alias + " "):
            rest = f" {key[len(alias) :]} "
            # "ARS / DREETS", "ARS et CAF": a joint line whose split is not published.
            if any(
                f" {other} " in rest and (other not in PLACE_ALIASES or f" et {other} " in rest)
                for other, c in keys.items()
                if c not in (code, "NC")
            ):
                return "NC"
            return code
    raise ValueError(f"financeur inconnu « {text} »")


def parse_siret(text: str) -> str:
    digits = re.sub(r"[\s.\-\u00a0\u202f]", "", str(text))
    if not stdnum_siret.is_valid(digits):
        raise ValueError(f"SIRET invalide « {text} » (14 chiffres, clé de contrôle)")
    return digits


_RNA = re.compile(r"^W\d{9}$")


def parse_rna(text: str) -> str:
    value = re.sub(r"\s", "", str(text)).upper()
    if not _RNA.fullmatch(value):
        raise ValueError(f"numéro RNA invalide « {text} » (W suivi de 9 chiffres)")
    return value


# amount_text's cleaning, the same patterns run by Arrow: only values it leaves as plain digits
# with at most two decimals take this path, and for those both give the same float.
_NOISE = f"{CURRENCY}|{AMOUNT_SPACES}"
_PLAIN = {",": r"^\d+([.,]\d{1,2})?$", ".": r"^\d+(\.\d{1,2})?$"}


# An amount cell saying the amount was not published: null, never a guess (nor a rejected row).
NOT_GIVEN = {
    "",
    "nc",
    "n c",
    "nd",
    "n d",
    "non communique",
    "non precise",
    "non publie",
    "non disponible",
    "non renseigne",
    "ns",
}


def parse_amounts(
    texts: Sequence[str | None],
    decimal: str = ",",
    unit: str = "€",
    ceiling: float = AMOUNT_CEILING_EUR,
) -> tuple[list[float | None], list[str | None]]:
    """parse_amount over many values at once: (amounts, error messages), None where not applicable.

    A source's amount column is judged by several detectors besides its reading: the same texts are
    parsed once (each of Arrow's regex kernels compiles its pattern at every call).
    """
    amounts, errors = _parsed_amounts(tuple(texts), decimal, unit, ceiling)
    return list(amounts), list(errors)


@lru_cache(maxsize=8)
def _parsed_amounts(
    texts: tuple[str | None, ...], decimal: str, unit: str, ceiling: float
) -> tuple[tuple[float | None, ...], tuple[str | None, ...]]:
    """`parse_amounts` of `texts`, as tuples.

    A cell in NOT_GIVEN ("NC", "non communiqué", "-") is an amount not published: None, no error.

    Plain amounts ("12 500,50 €", "12500") are converted by Arrow; the rest go through
    parse_amount one by one, so the results are those of parse_amount in every case.
    """
    array = pa.array(texts, type=pa.large_string())
    # Only a cell without a digit can be a "not given" marker: look at those alone.
    no_digit = pc.fill_null(pc.invert(pc.match_substring_regex(array, r"\d")), False)
    if pc.any(no_digit).as_py():
        given = list(texts)
        for i in np.flatnonzero(no_digit.to_numpy(zero_copy_only=False)).tolist():
            if text_key(given[i]) in NOT_GIVEN:
                given[i] = None
        texts = tuple(given)
        array = pa.array(texts, type=pa.large_string())
    # One pass removes both: a currency word is matched on the text as written, as parse_amount does.
    cleaned = pc.replace_substring_regex(array, _NOISE, "")
    plain = pc.fill_null(pc.match_substring_regex(cleaned, _PLAIN[decimal]), False)
    # « 12 € 50 », « 15 000 €1 »: plain digits once the currency is gone, refused by parse_amount.
    after = pc.fill_null(pc.match_substring_regex(array, DIGITS_AFTER_CURRENCY), False)
    plain = pc.and_(plain, pc.invert(after))
    numbers = pc.cast(pc.replace_substring(pc.if_else(plain, cleaned, "0"), ",", "."), pa.float64())
    if UNITS[unit] != 1:
        # At most two decimals times 1 000 or 1 000 000: rounding to the cent gives back the exact
        # product, as parse_amount's Decimal does (12,5 k€ = 12 500 €, never 12 499,999…).
        numbers = pc.round(pc.multiply(numbers, float(UNITS[unit])), 2)
    amounts: list[float | None] = numbers.to_pylist()
    errors: list[str | None] = [None] * len(texts)
    for i in np.flatnonzero(~plain.to_numpy(zero_copy_only=False)).tolist():
        text = texts[i]
        if text is None:
            amounts[i] = None
            continue
        try:
            amounts[i] = parse_amount(text, decimal, unit)
        except ValueError as exc:
            amounts[i], errors[i] = None, str(exc)
    # Beyond the ceiling (schemas/limits.py), a line's amount is a typo or a hostile file.
    above = pc.fill_null(pc.greater(numbers, ceiling), False).to_numpy(zero_copy_only=False)
    for i in set(np.flatnonzero(above).tolist()) | set(
        np.flatnonzero(~plain.to_numpy(zero_copy_only=False)).tolist()
    ):
        amount = amounts[i]
        if amount is not None and amount > ceiling:
            amounts[i], errors[i] = (
                None,
                (
                    f"montant « {texts[i]} » au-dessus du plafond de "
                    f"{french_number(ceiling)} € par ligne"
                ),
            )
    return tuple(amounts), tuple(errors)
