"""Personal data in publisher text: e-mails, French phone numbers, IBAN, social-security numbers (NIR),
a civility followed by a name. Found, masked, and scrubbed from anything about to be published.

Every pattern has bounded repetitions only, so a search is linear in the length of the text (an
unbounded e-mail pattern backtracks for minutes on one long cell: tests/hostile/). `SIEVE` is the same
families in RE2 syntax (Arrow's engine, linear too), to pick the few cells worth a closer look: it
lets through every cell the patterns would flag (tests/common/test_patterns_agree.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.patterns import DIGIT, SPACE

EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.[A-Za-z]{2,24}"
)
# French numbers: 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78, 0033 (0)6…
# Digits or letters on either side are excluded so that a SIRET (14 digits) or a hash is not taken
# for a phone.
PHONE = re.compile(
    r"(?<![0-9A-Za-z+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?![0-9A-Za-z])"
)
# An IBAN: country, check digits, 11 to 30 letters or digits, by groups of four or not; the check
# digits are verified (ISO 13616, mod 97) so that a reference number is not taken for one.
IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])"
)
# NIR (numéro de sécurité sociale): sex, year, month, département (2A/2B), commune, order, key; the
# key is verified, so a 15-digit reference is not taken for one.
NIR = re.compile(
    r"(?<![\dA-Za-z])([12]) ?(\d{2}) ?(0[1-9]|1[0-2]|[2-9]\d) ?(\d{2}|2[AB]) ?(\d{3}) ?(\d{3}) ?(\d{2})"
    r"(?![\dA-Za-z])"
)
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
_LOWER = "a-zàâäçéèêëîïôöùûüÿ"
_WORD = rf"[{_UPPER}][{_UPPER}{_LOWER}'’\-]{{1,30}}"
_CIVILITIES = r"(?:M\.|Mme\.?|Mlle\.?|Mr\.?|Monsieur|Madame|Mademoiselle)"
# « M. Jean Dupont », « Mme Marie-Claire MARTIN », « Madame Dupont Claire »: a civility then at
# least two capitalised words (« M. le Maire », « Madame Bovary » are not taken).
CIVILITY = re.compile(rf"(?<![A-Za-z]){_CIVILITIES}\s{{1,3}}{_WORD}(?:\s{{1,3}}{_WORD}){{1,2}}")

# Anything that could hold one of the above, for RE2 (Arrow), without look-behinds. The patterns'
# `\s` and `\d` take any Unicode space and digit (« 06 ９９ … », « 06\t99… »), RE2's only ASCII
# ones: here they are spelled out (SPACE, DIGIT), and `re` reads the sieve as RE2 does.
_S, _D = f"[{SPACE}]", f"[{DIGIT}]"
SIEVE = (
    rf"@|(?:\+|00){_S}?33|0[1-9](?:[{SPACE}.\-]?{_D}{{2}}){{4}}|[A-Z]{{2}}{_D}{{2}} ?[A-Z0-9]{{4}}"
    rf"|[12] ?{_D}{{2}} ?{_D}{{2}} ?(?:{_D}{{2}}|2[AB]) ?{_D}{{3}} ?{_D}{{3}} ?{_D}{{2}}"
    rf"|{_CIVILITIES}{_S}+[{_UPPER}]"
)

KINDS = {  # code → what it is, in a message
    "personal_email": "adresse e-mail",
    "personal_phone": "numéro de téléphone",
    "personal_iban": "IBAN",
    "personal_nir": "numéro de sécurité sociale",
    "personal_name": "nom de personne (civilité et nom)",
}

# Headers of columns that hold persons by nature (a démarches-simplifiées export, a contact list).
PERSON_HEADERS = frozenset(
    {
        "civilite",
        "prenom",
        "prenoms",
        "nom prenom",
        "prenom nom",
        "nom et prenom",
        "email",
        "e mail",
        "courriel",
        "adresse e mail",
        "adresse electronique",
        "adresse mail",
        "mail",
        "telephone",
        "tel",
        "portable",
        "numero de telephone",
    }
)
# « Nom » alone is a person only beside a Prénom or Civilité column (else it may be the structure's name).
NAME_HEADERS = frozenset({"nom", "nom de famille", "nom du demandeur", "nom du representant"})


@dataclass(frozen=True)
class Found:
    code: str
    text: str


def _iban_ok(text: str) -> bool:
    compact = text.replace(" ", "")
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def _nir_ok(match: re.Match) -> bool:
    sex, year, month, dep, commune, order, key = match.groups()
    number = sex + year + month + dep.replace("2A", "19").replace("2B", "18") + commune + order
    return 97 - int(number) % 97 == int(key)


def find(text: str) -> Iterator[Found]:
    """Every piece of personal data in `text`, each once (an e-mail's digits are not a phone too)."""
    if "@" in text:
        for m in EMAIL.finditer(text):
            yield Found("personal_email", m.group())
        text = EMAIL.sub(" ", text)
    for m in IBAN.finditer(text):
        if _iban_ok(m.group()):
            yield Found("personal_iban", m.group())
            text = text.replace(m.group(), " ")
    for m in NIR.finditer(text):
        if _nir_ok(m):
            yield Found("personal_nir", m.group())
            text = text.replace(m.group(), " ")
    for m in PHONE.finditer(text):
        yield Found("personal_phone", m.group())
    for m in CIVILITY.finditer(text):
        yield Found("personal_name", m.group())


def mask(value: str, code: str | None = None) -> str:
    """Enough to find the cell, not enough to copy the data into a report or a ticket."""
    if code is None:
        found = next(find(value), None)
        if found is None:
            return value
        code, value = found.code, found.text
    if code == "personal_email":
        local, _, domain = value.partition("@")
        return f"{local[:1]}…@{domain}"
    if code == "personal_name":
        civility, *words = value.split()
        return " ".join([civility, *(f"{w[:1]}…" for w in words)])
    compact = re.sub(r"[\s.\-]", "", value)
    return f"{compact[:2]}…{compact[-2:]}"


def scrub(text: str) -> str:
    """`text` with every piece of personal data masked."""
    for found in sorted(set(find(text)), key=lambda f: -len(f.text)):
        text = text.replace(found.text, mask(found.text, found.code))
    return text


def candidates(values) -> pa.Array:
    """Cells that may hold personal data (vectorized; nulls are False)."""
    array = (
        values
        if isinstance(values, pa.Array)
        else pa.array(values, type=pa.large_string(), from_pandas=True)
    )
    return pc.fill_null(pc.match_substring_regex(array, SIEVE), False)


def excerpt(text: object, limit: int = 40) -> str:
    """A short, masked excerpt of file content for a message: never the content itself."""
    value = scrub(" ".join(str(text).split()))
    return value if len(value) <= limit else value[: limit - 1] + "…"
