"""An amount cell that is a sentence: « 30 000 € (dont 10 000 € ARS et 20 000 € DREETS) »,
« 25 000 € dont 5 000 € CAF », « 12 000 € sur 2 ans ».

Only what the text says is read: the whole, each part and the funder named beside it, the words
around a lone amount. Whether the parts make the whole is the caller's judgement (the stage,
pipelines/stage/amount_text.py); this module never guesses a funder, it raises `ValueError` in
French when the text cannot be read as amounts and funders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from pipelines.common.text import french_euros, text_key
from pipelines.common.values import funder_code, parse_amount

# An amount written with its currency: « 10 000 € », « 1.234,50 euros », « 12,5 k€ », « 1,2 M€ ».
_NUMBER = (
    r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?"  # 10 000, 1.234,50
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?"  # 1,234.50
    r"|\d+(?:[.,]\d+)?"
)
_AMOUNT = re.compile(
    rf"(?<![\d.,])(?:{_NUMBER})[ \u00a0\u202f]?(?:[kK]|M)?[ \u00a0\u202f]?"
    r"(?:€|(?i:euros?|eur)\b)"
)
# What joins the parts: « dont », « et », punctuation. Never « - » nor « / »: funders' names hold them.
_SEPARATOR = re.compile(r"[(),;+]|\b(?:et|dont|soit)\b", re.IGNORECASE)
# What opens the parts after the whole: « dont », « (dont », « , dont », « ( ».
_OPENS_PARTS = re.compile(r"^\s*(?:[(,:]\s*)?dont\b|^\s*\(", re.IGNORECASE)
# Words before a funder's name: « 10 000 € de l'ARS », « versés par la CAF ».
_LEADING = {
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "d",
    "par",
    "pour",
    "au",
    "a",
    "verses",
    "finances",
    "accordes",
    "apportes",
}
# Words after a lone amount that hide another figure: a breakdown, a sum, a share.
_CALCULATION = re.compile(r"\b(?:dont|soit|x)\b|[+=×%]", re.IGNORECASE)
_FIGURE = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")
_MAX_CHARS = 500  # a cell longer than this is a paragraph, not an amount


@dataclass(frozen=True)
class Part:
    funder: str  # funder code (schemas.vocabularies.FUNDERS)
    amount: float
    written: str  # the amount as written (« 10 000 € », « 10 k€ »), for the messages


@dataclass(frozen=True)
class AmountText:
    """What an amount sentence says: the whole it announces (None when it only lists parts), the
    parts with their funders, and the words around a lone amount (« sur 2 ans »)."""

    whole: float | None
    parts: tuple[Part, ...] = ()
    words: str = ""

    @property
    def parts_total(self) -> float:
        return round(sum(p.amount for p in self.parts), 2)


def read_amount_text(text: str, decimal: str = ",", unit: str = "€") -> AmountText:
    """The amounts and funders an amount cell writes as a sentence; ValueError when it is none."""
    if len(text) > _MAX_CHARS:
        raise ValueError(f"« {text[:60]}… » : texte trop long pour un montant")
    found = list(_AMOUNT.finditer(text))
    if not found:
        raise ValueError(f"« {text} » n'est pas un montant")
    gaps = [text[: found[0].start()]]
    gaps += [text[a.end() : b.start()] for a, b in pairwise(found)]
    gaps.append(text[found[-1].end() :])
    if any(g.strip()[:1].isdigit() for g in gaps[1:]):  # « 12 500 €1 », « 12€50 »: not words
        raise ValueError(f"« {text} » n'est pas un montant")
    amounts = [parse_amount(m.group(0), decimal, unit) for m in found]
    if _OPENS_PARTS.match(gaps[1]) and len(found) > 1 and not gaps[0].strip():
        # « 30 000 € (dont 10 000 € ARS …) »: the whole, then the parts.
        opened = _OPENS_PARTS.sub("", gaps[1], count=1)
        parts = _parts(text, found[1:], amounts[1:], [opened, *gaps[2:]])
        return AmountText(amounts[0], parts)
    if len(found) == 1:
        before, after = gaps[0].strip(), _clean(gaps[1])
        if before:
            raise ValueError(f"« {text} » : des mots avant le montant (« {before} »)")
        funder = _funder_or_none(after)
        if funder is not None:  # « 12 000 € CAF »: the amount and its funder
            return AmountText(amounts[0], (Part(funder, amounts[0], found[0].group(0)),))
        if _hides_figure(gaps[1]):  # « dont 10 000 ARS »: a breakdown without its €
            raise ValueError(f"« {text} » : montant suivi d'autres chiffres ou d'un calcul")
        return AmountText(amounts[0], words=gaps[1].strip())
    # « 10 000 € ARS et 20 000 € DREETS »: parts only, the whole is their sum.
    return AmountText(None, _parts(text, found, amounts, gaps))


def _parts(
    text: str, found: list[re.Match[str]], amounts: list[float], gaps: list[str]
) -> tuple[Part, ...]:
    """Each amount with the funder named right after it (« 10 000 € ARS ») or right before it
    (« ARS : 10 000 € »), as the first part shows; gaps[i] is the text before amount i, the last
    one the text after the last amount. Any other word between them is refused: nothing is lost."""
    pieces = [_SEPARATOR.split(g) for g in gaps]
    named_before = bool(_clean(pieces[0][-1]))
    # In each gap, the piece naming a funder: the last before an amount, or the first after one.
    used = [(i, len(p) - 1) if named_before else (i, 0) for i, p in enumerate(pieces)]
    parts, seen = [], set()
    for i, (match, amount) in enumerate(zip(found, amounts)):
        at = used[i] if named_before else used[i + 1]
        name = _clean(pieces[at[0]][at[1]])
        funder = _funder_or_none(name)
        if funder is None or funder == "NC":
            shown = pieces[at[0]][at[1]].strip(" :–-")
            why = (
                f"« {shown} » nomme plusieurs financeurs sans leur part"
                if funder == "NC" and shown
                else f"« {shown} » n'est pas un financeur connu"
                if shown
                else f"aucun financeur nommé pour {french_euros(amount)}"
            )
            raise ValueError(f"« {text} » : {why}")
        if funder in seen:
            raise ValueError(f"« {text} » : le financeur {funder} est nommé deux fois")
        seen.add(funder)
        parts.append(Part(funder, amount, match.group(0).strip()))
    names = {used[i] if named_before else used[i + 1] for i in range(len(found))}
    left = [
        piece.strip()
        for g, p in enumerate(pieces)
        for k, piece in enumerate(p)
        if (g, k) not in names and _clean(piece)
    ]
    if left:
        raise ValueError(f"« {text} » : des mots non lus entre les montants (« {left[0]} »)")
    return tuple(parts)


def _clean(words: str) -> str:
    """A funder's name as a text key, without the small words before it (« de l'ARS » → « ars »)."""
    key = text_key(words).split()
    while key and key[0] in _LEADING:
        key = key[1:]
    return " ".join(key)


def _funder_or_none(name: str) -> str | None:
    if not name:
        return None
    try:
        return funder_code(name)
    except ValueError:
        return None


def _hides_figure(words: str) -> bool:
    """« dont 10 000 ARS », « + 3 000 », « pour 150 familles »: words hiding another figure. A small
    count (« sur 2 ans ») or a year (« 2024-2025 ») is only words."""
    if _CALCULATION.search(words):
        return True
    return any(
        not (len(f) <= 2 or (len(f) == 4 and f.startswith("20")))
        for f in (m.group(0) for m in _FIGURE.finditer(words))
    )
