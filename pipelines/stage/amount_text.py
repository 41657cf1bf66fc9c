"""Amount cells written as sentences, and footnote marks after amounts.

« 30 000 € (dont 10 000 € ARS et 20 000 € DREETS) » becomes one award line per funder named, as
`amount_eur_by_funder` does for one column per funder — only when the parts make the whole. Parts
that do not make it never publish a guess: the row is rejected, or, when the remainder can only be
the line's own funder, read so under the doubt `amount_parts`. « 12 000 € sur 2 ans » is 12 000 €
and a warning that keeps the words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.amount_parts import AmountText, read_amount_text
from pipelines.common.doubts import doubt
from pipelines.common.problems import Problem
from pipelines.common.text import french_euros
from pipelines.common.values import footnote_mark
from pipelines.read.manifest import Manifest
from schemas.limits import AMOUNT_CEILING_EUR

# (position in the frame, column order, problem): how canonical_records keeps the reading order.
Found = tuple[int, int, Problem]
_MARK_AT_END = r"[*)⁰¹²³⁴⁵⁶⁷⁸⁹][ \t]*$"
_NOT_AN_AMOUNT = "n'est pas un montant"


@dataclass
class _Reading:
    """The sentences of one amount column: their amounts, their lines per funder, their problems."""

    manifest: Manifest
    order: int
    amounts: dict[int, float] = field(default_factory=dict)  # position → a lone amount
    lines: dict[int, list[tuple[str, float]]] = field(default_factory=dict)  # position → lines
    found: list[Found] = field(default_factory=list)

    def add(self, i: int, problem: Problem) -> None:
        self.found.append((i, self.order, problem))

    def read(self, i: int, problem: Problem, row_funder: object) -> None:
        text = str(problem.value)
        read_ = self.manifest.read
        try:
            read = read_amount_text(text, read_.decimal, read_.amount_unit)
        except ValueError as exc:
            specific = _NOT_AN_AMOUNT not in str(exc)
            self.add(i, _with(problem, str(exc)) if specific else problem)
            return
        if max([read.whole or 0.0] + [p.amount for p in read.parts]) > AMOUNT_CEILING_EUR:
            ceiling = french_euros(AMOUNT_CEILING_EUR)
            self.add(i, _with(problem, f"montant « {text} » au-dessus du plafond de {ceiling}"))
        elif not read.parts:
            self.amounts[i] = read.whole or 0.0
            self.add(i, _words(problem, read))
        else:
            self.split(i, problem, read, row_funder if isinstance(row_funder, str) else None)

    def split(self, i: int, problem: Problem, read: AmountText, own: str | None) -> None:
        """Lines per funder when the parts make the whole; the remainder to the line's own funder
        under a doubt; otherwise the row is rejected, its reason said."""
        parts = [(p.funder, p.amount) for p in read.parts]
        named = ", ".join(f"{french_euros(p.amount)} {p.funder}" for p in read.parts)
        text = problem.value
        whole = read.whole if read.whole is not None else read.parts_total
        gap = round(whole - read.parts_total, 2)
        if abs(gap) < 0.005:
            self.lines[i] = parts
            message = (
                f"montant « {text} » décomposé par financeur : {named} (une ligne publiée par "
                "financeur)"
            )
            fix = "rien à faire si la décomposition est celle de la source"
            self.add(i, _with(problem, message, fix, "warning", "amount_split"))
        elif gap < 0:
            message = (
                f"« {text} » : les parts nommées ({named}, soit {french_euros(read.parts_total)}) "
                f"dépassent le montant annoncé ({french_euros(whole)})"
            )
            self.add(i, _with(problem, message, _REJECTED_FIX))
        elif own is None or own == "NC" or own in {f for f, _ in parts}:
            message = (
                f"« {text} » : les parts nommées ({named}) ne font pas le montant annoncé "
                f"({french_euros(whole)}) ; {french_euros(gap)} restent sans financeur nommé"
            )
            self.add(i, _with(problem, message, _REJECTED_FIX))
        else:
            self.lines[i] = parts + [(own, gap)]
            if "amount_parts" not in self.manifest.confirmed:
                self.add(i, _remainder(problem, named, whole, gap, own))


_REJECTED_FIX = (
    "vérifier les montants dans la source : la ligne est rejetée plutôt que publiée avec un "
    "montant ou un financeur deviné ; corriger la cellule si elle a été mal recopiée"
)


def amount_sentences(
    records: pd.DataFrame, manifest: Manifest, found: list[Found], order: int
) -> tuple[pd.DataFrame, list[Found]]:
    """The amount cells parse_amount refused, read again as sentences. `order` is the amount
    column's order among the problems: its errors are replaced by what the sentences say."""
    refused = {i: p for i, o, p in found if o == order and p.severity == "error"}
    if not refused:
        return records, found
    reading = _Reading(manifest, order)
    for i, problem in refused.items():
        reading.read(i, problem, records["funder"].iat[i] if "funder" in records else None)
    kept = [(i, o, p) for i, o, p in found if not (o == order and i in refused)]
    for i, amount in reading.amounts.items():
        records.iat[i, records.columns.get_loc("amount_eur")] = amount
    if reading.lines:
        split = []
        for i, lines in reading.lines.items():
            copies = records.iloc[[i] * len(lines)].copy()
            copies["funder"] = [f for f, _ in lines]
            copies["amount_eur"] = [a for _, a in lines]
            split.append(copies)
        whole = records.drop(index=list(reading.lines))
        # One line per funder, in the file's order (the index is the position in the frame).
        records = pd.concat([whole, *split]).sort_index(kind="stable").reset_index(drop=True)
    return records, kept + reading.found


def _remainder(problem: Problem, named: str, whole: float, gap: float, own: str) -> Problem:
    return doubt(
        "amount_parts",
        f"« {problem.value} » : les parts nommées ({named}) ne font pas le montant annoncé "
        f"({french_euros(whole)}) ; le reste, {french_euros(gap)}, est lu pour {own}, le "
        "financeur de la ligne",
        row=problem.row,
        column=problem.column,
        value=problem.value,
        fix=f"vérifier dans la source que ce reste est financé par {own} (sinon corriger "
        "defaults.funder ou la colonne du financeur)",
    )


def _words(problem: Problem, read: AmountText) -> Problem:
    return _with(
        problem,
        f"montant « {problem.value} » lu {french_euros(read.whole or 0.0)} ; les mots qui "
        f"l'accompagnent, « {read.words} », ne sont pas repris dans les données",
        "vérifier que ces mots ne changent pas le montant (« par an », « plafond »…) ; les dire "
        "dans source.note s'ils comptent",
        "warning",
        "amount_words",
    )


def _with(
    problem: Problem,
    message: str,
    fix: str | None = None,
    severity: str | None = None,
    code: str | None = None,
) -> Problem:
    return Problem(
        problem.row,
        problem.place,
        problem.column,
        problem.value,
        message,
        fix or problem.fix,
        severity or problem.severity,
        code or problem.code,
    )


def footnote_warnings(cells: pd.Series, header: str, rows: np.ndarray, order: int) -> list[Found]:
    """One warning per amount column whose cells carry a footnote mark (« 15 000 €* »): the
    amount is read without it, and the note it points to is not in the data."""
    array = pa.array(cells, type=pa.large_string(), from_pandas=True)
    ends = pc.fill_null(pc.match_substring_regex(array, _MARK_AT_END), False)
    if not pc.any(ends).as_py():
        return []
    marked = [
        int(i)
        for i in np.flatnonzero(ends.to_numpy(zero_copy_only=False))
        if footnote_mark(str(cells.iat[i]))[1]
    ]
    if not marked:
        return []
    first, shown = marked[0], ", ".join(str(rows[i]) for i in marked[:5])
    warning = Problem(
        int(rows[first]),
        None,
        header,
        cells.iat[first],
        f"renvoi de note après le montant dans {len(marked)} cellule(s), lignes {shown}"
        f"{' …' if len(marked) > 5 else ''} (ex. « {cells.iat[first]} ») : le montant est lu "
        "sans le renvoi, la note n'est pas reprise",
        "lire la note sous le tableau : si elle change le montant (prévisionnel, plafond, "
        "reliquat), le dire dans source.note",
        severity="warning",
        code="amount_footnote",
    )
    return [(first, order, warning)]
