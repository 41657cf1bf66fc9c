"""French values as published → canonical values (euros, funder codes, SIRET, RNA).

Each parser returns the canonical value, or raises `ValueError` with a message in French that
says what is wrong; the caller turns that into a rejected row with its place and its fix.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from functools import cache

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


def parse_amount(text: str, decimal: str = ",") -> float:
    """Euros from "12 500,00 €", "12.500 €", "12 500 euros", "12500", "1.234,50", "47800.20".

    `decimal` is the manifest's decimal mark; the other mark, when present in groups of three
    digits, is read as a thousands separator.
    """
    raw = str(text)
    cleaned = amount_text(raw)
    if cleaned.startswith(("-", "(")):
        raise ValueError(f"montant négatif « {raw} »")
    if not cleaned or not re.search(r"\d", cleaned):
        raise ValueError(f"« {raw} » n'est pas un montant")
    if decimal == ",":
        if _COMMA_GROUPS.fullmatch(cleaned) and "." in cleaned:
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
        return float(round(Decimal(value), 2))
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
    texts: Sequence[str | None], decimal: str = ","
) -> tuple[list[float | None], list[str | None]]:
    """parse_amount over many values at once: (amounts, error messages), None where not applicable.

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
        texts = given
        array = pa.array(texts, type=pa.large_string())
    # One pass removes both: a currency word is matched on the text as written, as parse_amount does.
    cleaned = pc.replace_substring_regex(array, _NOISE, "")
    plain = pc.fill_null(pc.match_substring_regex(cleaned, _PLAIN[decimal]), False)
    numbers = pc.cast(pc.replace_substring(pc.if_else(plain, cleaned, "0"), ",", "."), pa.float64())
    amounts: list[float | None] = numbers.to_pylist()
    errors: list[str | None] = [None] * len(texts)
    for i in np.flatnonzero(~plain.to_numpy(zero_copy_only=False)).tolist():
        text = texts[i]
        if text is None:
            amounts[i] = None
            continue
        try:
            amounts[i] = parse_amount(text, decimal)
        except ValueError as exc:
            amounts[i], errors[i] = None, str(exc)
    # Beyond the ceiling (schemas/limits.py), a line's amount is a typo or a hostile file.
    above = pc.fill_null(pc.greater(numbers, AMOUNT_CEILING_EUR), False).to_numpy(
        zero_copy_only=False
    )
    for i in set(np.flatnonzero(above).tolist()) | set(
        np.flatnonzero(~plain.to_numpy(zero_copy_only=False)).tolist()
    ):
        amount = amounts[i]
        if amount is not None and amount > AMOUNT_CEILING_EUR:
            amounts[i], errors[i] = (
                None,
                (
                    f"montant « {texts[i]} » au-dessus du plafond de "
                    f"{french_number(AMOUNT_CEILING_EUR)} € par ligne"
                ),
            )
    return amounts, errors
