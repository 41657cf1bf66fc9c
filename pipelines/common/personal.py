"""Personal data in publisher text: e-mails (also spelled « [at] »), phone numbers (French and
foreign), IBAN, social-security numbers (NIR), birth dates, street addresses, a civility or a title
followed by a name, a childminder named. Found, masked, and scrubbed from anything about to be
published. Text is read in NFKC form, so full-width « ＠ » and digits are the plain ones.

Every pattern has bounded repetitions only, so a search is linear in the length of the text (an
unbounded e-mail pattern backtracks for minutes on one long cell: tests/hostile/). `SIEVE` is the same
families in RE2 syntax (Arrow's engine, linear too), run by pipelines/common/sieve.py to pick the
few cells worth a closer look: it lets through every cell the patterns would flag
(tests/common/test_patterns_agree.py).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from pipelines.common.patterns import DIGIT, SPACE

EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.[A-Za-z]{2,24}"
)
# An address spelled to dodge robots: « jeanne [at] exemple.fr », « jeanne (arobase) exemple.fr ».
EMAIL_SPELLED = re.compile(
    r"[A-Za-z0-9._%+\-]{1,64}\s{0,3}[\[({]\s{0,2}(?i:at|arobase)\s{0,2}[\])}]\s{0,3}"
    r"[A-Za-z0-9\-]{1,63}(?:\.[A-Za-z0-9\-]{1,63}){0,8}\.[A-Za-z]{2,24}"
)
# French numbers: 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78, 0033 (0)6…
# Digits or letters on either side are excluded so that a SIRET (14 digits) or a hash is not taken
# for a phone.
PHONE = re.compile(
    r"(?<![0-9A-Za-z+])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?[1-9]|0[1-9])(?:[\s.\-]?\d{2}){4}(?![0-9A-Za-z])"
)
# Other countries: +44 20 7946 0958, 0049 30 1234567, +32 (0)2 123 45 67. Groups are separated, or
# the number is one run of digits: never both, so a failed match is not retried group by group.
# Nine to fifteen digits in all (`_phone_ok`); an amount (« +12 345 678 € ») is not taken.
PHONE_ABROAD = re.compile(
    r"(?<![0-9A-Za-z+])(?:\+|00)\s?[1-9]\d{0,2}\s?(?:\(0\)\s?)?"
    r"(?:\d{6,12}|\d{1,8}(?:[\s.\-]\d{1,8}){1,6})(?![0-9A-Za-z]|\s?[€%]|\s?(?i:euros?|eur|k€))"
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
_MONTHS = (
    "janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
)
_DATE = rf"(?:\d{{1,2}}[/.\-]\d{{1,2}}[/.\-]\d{{2,4}}|\d{{1,2}}(?:er)?\s{{1,3}}(?i:{_MONTHS})\s{{1,3}}\d{{4}})"
# « né le 12/03/1985 », « née le 1er mars 1985 », « date de naissance : 12/03/1985 ».
BIRTH = re.compile(
    rf"(?<![\w])(?:(?i:n[ée]e?(?:\(e\))?\s{{1,3}}le)|(?i:date\s{{1,3}}de\s{{1,3}}naissance)\s{{0,3}}:?)"
    rf"\s{{0,3}}{_DATE}"
)
_UPPER = "A-ZÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸ"
_LOWER = "a-zàâäçéèêëîïôöùûüÿ"
_WORD = rf"[{_UPPER}][{_UPPER}{_LOWER}'’\-]{{1,30}}"
# A street: « 12 rue des Fictifs », « 3 bis, allée de la Forêt ». Words that also name other things
# (« place », « cours », « voie ») are left out: « 12 cours de Cuisine » is no address.
_STREETS = (
    r"rue|avenue|av\.|bd|boulevard|chemin|all[ée]e|impasse|quai|square|lotissement|r[ée]sidence"
    r"|route|hameau|lieu-dit"
)
ADDRESS = re.compile(
    rf"(?<![\w,.])\d{{1,4}}(?:\s?(?i:bis|ter))?\s{{0,2}},?\s{{1,3}}(?i:{_STREETS})\s{{1,3}}"
    rf"(?:(?i:de\s{{1,3}}la|de|du|des|d['’]|l['’]|la|le|les)\s{{0,3}})?{_WORD}"
)
_CIVILITIES = (
    r"(?:M\.|M|MME|Mme\.?|Mlle\.?|Mr\.?|MR|Monsieur|Madame|Mademoiselle|MONSIEUR|MADAME"
    r"|Dr\.?|Docteur|Docteure|Pr\.?|Professeur|Professeure|Ma[iî]tre|Me)"
)
# « M. Jean Dupont », « MME JEANNE FICTIVE », « Dr Jeanne Fictive »: a civility or a title then at
# least two capitalised words (« M. le Maire », « Madame Bovary » are not taken).
CIVILITY = re.compile(rf"(?<![\w'’]){_CIVILITIES}\s{{1,3}}{_WORD}(?:\s{{1,3}}{_WORD}){{1,2}}")
# A person as beneficiary: « Assistante maternelle Jeanne Fictive ». Singular only, so that a
# « Maison d'assistantes maternelles Les Lutins » (an organisation) is not taken; see _person_ok.
CHILDMINDER = re.compile(
    rf"(?<![\w'’])(?i:assistante?\s{{1,3}}maternel(?:le)?)(?:\s{{1,3}}(?i:agr[ée][ée]e?))?"
    rf"\s{{1,3}}({_WORD})(?:\s{{1,3}}{_WORD}){{1,2}}"
)
_NOT_FIRST_NAMES = frozenset({"le", "la", "les", "l'", "l’", "du", "de", "des", "au", "aux", "et"})
_GROUPS_BEFORE = ("d'", "d’", "de", "des", "relais", "réseau", "reseau", "maison", "mam", "ram")

# Anything that could hold one of the above, for RE2 (Arrow), without look-behinds. The patterns'
# `\s` and `\d` take any Unicode space and digit (« 06 ９９ … », « 06\t99… »), RE2's only ASCII
# ones: here they are spelled out (SPACE, DIGIT), and `re` reads the sieve as RE2 does. Both run on
# text in NFKC form (`normalized`): a full-width « ＠ » or « ０６ » is the plain one by then.
_S, _D = f"[{SPACE}]", f"[{DIGIT}]"
SIEVE = (
    rf"@|[\[({{]{_S}*(?i:at|arobase){_S}*[\])}}]"
    rf"|(?:\+|00){_S}?[1-9]{_D}{{0,2}}{_S}?(?:\(0\){_S}?)?(?:{_D}{{6}}|{_D}{{1,8}}[{SPACE}.\-]{_D})"
    rf"|0[1-9](?:[{SPACE}.\-]?{_D}{{2}}){{4}}|[A-Z]{{2}}{_D}{{2}} ?[A-Z0-9]{{4}}"
    rf"|[12] ?{_D}{{2}} ?{_D}{{2}} ?(?:{_D}{{2}}|2[AB]) ?{_D}{{3}} ?{_D}{{3}} ?{_D}{{2}}"
    rf"|{_CIVILITIES}{_S}+[{_UPPER}]|(?i:maternel)|(?i:naissance)|(?i:n[ée]e?(?:\(e\))?{_S}+le)"
    rf"|{_D}(?:{_S}?(?i:bis|ter))?{_S}*,?{_S}+(?i:{_STREETS}){_S}"
)

KINDS = {  # code → what it is, in a message
    "personal_email": "adresse e-mail",
    "personal_phone": "numéro de téléphone",
    "personal_iban": "IBAN",
    "personal_nir": "numéro de sécurité sociale",
    "personal_name": "nom de personne (civilité ou titre et nom)",
    "personal_birth": "date de naissance",
    "personal_address": "adresse postale",
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
        "date de naissance",
        "ne le",
        "nee le",
        "adresse personnelle",
        "adresse du domicile",
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


def normalized(text: str) -> str:
    """NFKC: a full-width « ＠ » or « ０６ » written as the plain one, before any pattern runs."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def _phone_ok(text: str) -> bool:
    return 9 <= sum(ch.isdigit() for ch in text) <= 15


def _person_ok(text: str, match: re.Match) -> bool:
    """A childminder named, not a group of them (« Relais d'assistante maternelle Les Lutins »)."""
    if match.group(1).lower() in _NOT_FIRST_NAMES:
        return False
    before = text[max(0, match.start() - 12) : match.start()].lower().split()
    if not before:
        return True
    return before[-1] not in _GROUPS_BEFORE and not before[-1].endswith(("d'", "d’"))


def find(text: str) -> Iterator[Found]:
    """Every piece of personal data in `text`, each once (an e-mail's digits are not a phone too).
    `text` is read in NFKC form: each `Found.text` is a piece of `normalized(text)`."""
    text = normalized(text)
    if "@" in text:
        for m in EMAIL.finditer(text):
            yield Found("personal_email", m.group())
        text = EMAIL.sub(" ", text)
    for m in EMAIL_SPELLED.finditer(text):
        yield Found("personal_email", m.group())
    for m in IBAN.finditer(text):
        if _iban_ok(m.group()):
            yield Found("personal_iban", m.group())
            text = text.replace(m.group(), " ")
    for m in NIR.finditer(text):
        if _nir_ok(m):
            yield Found("personal_nir", m.group())
            text = text.replace(m.group(), " ")
    for m in BIRTH.finditer(text):
        yield Found("personal_birth", m.group())
        text = text.replace(m.group(), " ")
    for m in PHONE.finditer(text):
        yield Found("personal_phone", m.group())
        text = text.replace(m.group(), " ")
    for m in PHONE_ABROAD.finditer(text):
        if _phone_ok(m.group()):
            yield Found("personal_phone", m.group())
    for m in ADDRESS.finditer(text):
        yield Found("personal_address", m.group())
    for m in CIVILITY.finditer(text):
        yield Found("personal_name", m.group())
    for m in CHILDMINDER.finditer(text):
        if _person_ok(text, m):
            yield Found("personal_name", m.group())


_TITLE_WORDS = frozenset(
    {"assistante", "assistant", "maternelle", "maternel", "agréée", "agréé", "agree", "agreee"}
)


def mask(value: str, code: str | None = None) -> str:
    """Enough to find the cell, not enough to copy the data into a report or a ticket."""
    if code is None:
        found = next(find(value), None)
        if found is None:
            return value
        code, value = found.code, found.text
    if code == "personal_email":
        local, _, domain = value.partition("@")
        if not domain:  # spelled out: « jeanne [at] exemple.fr »
            return f"{value[:1]}… [at] …"
        return f"{local[:1]}…@{domain}"
    if code == "personal_name":
        civility, *words = value.split()
        kept = [civility]
        while words and words[0].lower() in _TITLE_WORDS:
            kept.append(words.pop(0))
        return " ".join([*kept, *(f"{w[:1]}…" for w in words)])
    if code == "personal_birth":
        return value[: next((i for i, ch in enumerate(value) if ch.isdigit()), len(value))] + "…"
    if code == "personal_address":
        street = re.search(rf"(?i:{_STREETS})", value)
        return f"… {street.group() if street else ''} …"
    compact = re.sub(r"[\s.\-]", "", value)
    return f"{compact[:2]}…{compact[-2:]}"


def scrub(text: str) -> str:
    """`text` with every piece of personal data masked (in NFKC form when it held any)."""
    found = sorted(set(find(text)), key=lambda f: -len(f.text))
    if not found:
        return text
    text = normalized(text)
    for one in found:
        text = text.replace(one.text, mask(one.text, one.code))
    return text


# Words of an organisation's or a program's name in a document's author (« ARS Bretagne »,
# « Microsoft Office User »): with one of them, the author is not a person.
_ORGANISATION_WORDS = frozenset(
    [
        "ars",
        "dreets",
        "dreal",
        "ddets",
        "agence",
        "conseil",
        "departement",
        "département",
        "region",
        "région",
        "prefecture",
        "préfecture",
        "mairie",
        "ville",
        "commune",
        "caf",
        "cpam",
        "pmi",
        "service",
        "direction",
        "ministere",
        "ministère",
        "association",
        "centre",
        "maison",
        "office",
        "user",
        "utilisateur",
        "microsoft",
        "windows",
        "admin",
        "administrateur",
        "administrator",
        "apache",
        "openpyxl",
        "libreoffice",
        "openoffice",
        "writer",
        "calc",
        "excel",
        "word",
        "pdf",
        "creator",
        "producer",
        "unknown",
        "inconnu",
        "auteur",
        "author",
        "owner",
        "propriétaire",
        "sante",
        "santé",
        "gouvernement",
        "france",
    ]
)
_NAME_WORD = re.compile(
    rf"[{_UPPER}](?:[{_LOWER}]{{1,30}}|[{_UPPER}]{{1,30}})(?:[-'’][{_UPPER}][{_UPPER}{_LOWER}]{{1,30}})?"
)


def names_a_person(text: str) -> bool:
    """Whether a document's author or editor names a person: personal data in it, or two to four
    capitalised words (« Jeanne Fictive », « Jean-Paul DUFICTIF ») none of which names an
    organisation or a program, and no acronym of three letters or less (« ARS », « CAF »)."""
    text = normalized(text)
    if next(find(text), None) is not None:
        return True
    words = text.split()
    if not 2 <= len(words) <= 4 or not all(_NAME_WORD.fullmatch(w) for w in words):
        return False
    if any(w.lower() in _ORGANISATION_WORDS for w in words):
        return False
    if any(w.isupper() and len(w) <= 3 for w in words):
        return False
    return any(not w.isupper() for w in words)


def excerpt(text: object, limit: int = 40) -> str:
    """A short, masked excerpt of file content for a message: never the content itself."""
    value = scrub(" ".join(str(text).split()))
    return value if len(value) <= limit else value[: limit - 1] + "…"
