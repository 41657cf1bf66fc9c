"""French values as published → canonical values (euros, funder codes, SIRET, RNA).

Each parser returns the canonical value, or raises `ValueError` with a message in French that
says what is wrong; the caller turns that into a rejected row with its place and its fix.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import cache

from babel.numbers import NumberFormatError, parse_decimal
from stdnum.fr import siret as stdnum_siret

from pipelines.text import text_key
from schemas.vocabularies import FUNDERS

_CURRENCY = re.compile(r"(€|eur(os?)?\b|euros?\b|ttc\b|ht\b)", re.I)
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']+")
_DOT_GROUPS = re.compile(r"^\d{1,3}(\.\d{3})+(,\d+)?$")
_COMMA_GROUPS = re.compile(r"^\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_amount(text: str, decimal: str = ",") -> float:
    """Euros from "12 500,00 €", "12.500 €", "12 500 euros", "12500", "1.234,50", "47800.20".

    `decimal` is the manifest's decimal mark; the other mark, when present in groups of three
    digits, is read as a thousands separator.
    """
    raw = str(text)
    cleaned = _SPACES.sub("", _CURRENCY.sub("", raw)).strip()
    if cleaned.startswith("-") or cleaned.startswith("("):
        raise ValueError(f"montant négatif « {raw} »")
    if not cleaned or not re.search(r"\d", cleaned):
        raise ValueError(f"« {raw} » n'est pas un montant")
    if decimal == ",":
        if _COMMA_GROUPS.fullmatch(cleaned) and "." in cleaned:
            cleaned = cleaned.replace(",", "")  # "1,234.50": an English-formatted cell in a French file
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
            raise ValueError(f"« {raw} » : une virgule alors que le manifeste dit decimal: \".\"")
        cleaned = cleaned.replace(",", "")
    try:
        value = parse_decimal(cleaned, locale="en_US", strict=False)
    except (NumberFormatError, InvalidOperation) as exc:
        raise ValueError(f"« {raw} » n'est pas un montant") from exc
    return float(round(Decimal(value), 2))


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
