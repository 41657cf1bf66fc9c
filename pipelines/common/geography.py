"""INSEE geography (COG): regions and departements, and lookups by code or by name."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipelines.common.text import text_key


@dataclass(frozen=True)
class Departement:
    code: str
    name: str
    region_code: str


@dataclass(frozen=True)
class Cog:
    departements: dict[str, Departement]
    regions: dict[str, str]  # code -> name

    def region_names(self) -> list[str]:
        return sorted(self.regions.values())


@cache
def cog() -> Cog:
    departements: dict[str, Departement] = {}
    regions: dict[str, str] = {}
    with resources.files("schemas").joinpath("cog_departements.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            d = Departement(row["departement_code"], row["departement_nom"], row["region_code"])
            departements[d.code] = d
            regions[d.region_code] = row["region_nom"]
    return Cog(departements, regions)


@cache
def _region_keys() -> dict[str, str]:
    keys = {}
    for code, name in cog().regions.items():
        keys[code] = code
        keys[text_key(name)] = code
    keys["paca"] = "93"
    keys["centre"] = "24"
    keys["reunion"] = "04"
    return keys


def region_code(value: str | int) -> str | None:
    """INSEE region code from a code ("24", 24) or a name, with or without hyphens and accents."""
    text = str(value).strip()
    if text.isdigit():
        text = text.zfill(2)
    return _region_keys().get(text) or _region_keys().get(text_key(text))


@cache
def _departement_keys() -> dict[str, str]:
    keys = {}
    for code, d in cog().departements.items():
        keys[code.lower()] = code
        keys[text_key(d.name)] = code
    return keys


_CODE = r"(2[AB]|97\d|\d{1,2})"
_CODE_FIRST = re.compile(rf"\(?{_CODE}\)?(?:\s*[-–—:,]?\s*(.+))?", re.I)
_CODE_LAST = re.compile(rf"(.+?)\s*(?:\(\s*{_CODE}\s*\)|[-–—,]\s*{_CODE}|\s{_CODE})", re.I)


def departement_code(value: str) -> str | None:
    """INSEE departement code from "37", "Indre-et-Loire", "37 - Indre et Loire", "Indre et Loire (37)"."""
    text = str(value).strip()
    if not text:
        return None
    keys = _departement_keys()
    if m := _CODE_FIRST.fullmatch(text):
        code, name = m.group(1), m.group(2)
    elif m := _CODE_LAST.fullmatch(text):
        name, code = m.group(1), m.group(2) or m.group(3) or m.group(4)
    else:
        return keys.get(text_key(text))
    if name and name.strip().isdigit():
        return None  # "371", "37000": digits after the code are not a département (a postal code?)
    code = code.upper().zfill(2)
    found = keys.get(code.lower())
    if found and name and keys.get(text_key(name), found) != found:
        return None  # the code and the name disagree: let the caller report it
    return found
