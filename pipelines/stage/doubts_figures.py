"""Figures out of proportion: each may be right, none is published without a person saying so.

« 12,500 » beside « 1 234,50 » (thousands or decimals?), one laureate of a regional call over 1 M€
or over the campaign's envelope, lines adding up to more than the envelope, 99 999 laureates
announced for a list of 40 lines, a partial list reading more lines or euros than announced. Each
is a doubt the manifest settles under `confirmed:`; the ceilings are in schemas/limits.py.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipelines.common.doubts import doubt
from pipelines.common.problems import Problem
from pipelines.common.text import french_euros, french_number
from pipelines.common.values import COMMA_THOUSANDS, amount_text
from pipelines.read.layout import ROW, RawTable
from pipelines.read.manifest import Manifest
from pipelines.stage.doubts_table import line_amounts, line_columns
from schemas.limits import PARTIAL_FEW, PARTIAL_RATIO, PLAUSIBLE_AWARDS_COUNT, PLAUSIBLE_LINE_EUR

_SHOWN = 5  # lines named one by one in a message
_COMMA_CENTS = re.compile(r"^\d+,\d{1,2}$")  # « 1234,50 »: a comma before cents
_CURRENCY = re.compile(r"€|(?i:\beur)")
_DOT_THOUSANDS = re.compile(r"\d{1,3}(\.\d{3})+")  # « 12.500 », « 1.250.000 »


def ambiguous_separator(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """« 12,500 » without a currency, read 12 500 €, in a column where « 1 234,50 » writes cents
    after the comma: the same publisher may have meant 12,50 €. With `read.decimal: "."`,
    « 12.500 € » read 12,50 €: three decimals to a sum in euros are thousands, mostly."""
    if manifest.read.amount_unit != "€":
        return []
    if manifest.read.decimal == ".":
        return _dot_thousands(manifest, raw, frame)
    if manifest.read.decimal != ",":
        return []
    found = []
    for col in line_columns(manifest, raw).amounts:
        cells = [str(v) for v in frame[col].dropna()]
        bare = [c for c in cells if COMMA_THOUSANDS.fullmatch(amount_text(c))]
        # « 1,250,000 » is thousands whatever the rest: only one comma can be a decimal one.
        thousands = [c for c in bare if not _CURRENCY.search(c) and c.count(",") == 1]
        cents = [c for c in cells if _COMMA_CENTS.fullmatch(amount_text(c))]
        if not thousands or not cents:
            continue
        header = raw.labels[list(raw.frame.columns).index(col)]
        digits = amount_text(thousands[0])
        read, meant = float(digits.replace(",", "")), float(digits.replace(",", "."))
        found.append(
            doubt(
                "ambiguous_separator",
                f"dans « {header} », {len(thousands)} montant(s) sans devise comme "
                f"« {thousands[0]} » sont lus en milliers ({french_euros(read)}), mais d'autres "
                f"cellules écrivent des centimes après la virgule (« {cents[0]} ») : "
                f"« {thousands[0]} » vaut-il {french_euros(meant, 2)} ?",
                column=header,
                value=thousands[0],
            )
        )
    return found


def _dot_thousands(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """« 12.500 € » or « 1.250.000 » under `read.decimal: "."`: read as decimals (or refused),
    where a French publisher writes thousands with dots."""
    found = []
    for col in line_columns(manifest, raw).amounts:
        cells = [str(v) for v in frame[col].dropna()]
        dotted = [c for c in cells if _DOT_THOUSANDS.fullmatch(amount_text(c))]
        if not dotted:
            continue
        header = raw.labels[list(raw.frame.columns).index(col)]
        digits = amount_text(dotted[0])
        meant = float(digits.replace(".", ""))
        found.append(
            doubt(
                "ambiguous_separator",
                f"dans « {header} », {len(dotted)} montant(s) comme « {dotted[0]} » ont trois "
                f"chiffres après le point, lus comme des décimales (read.decimal : « . ») ; un "
                f"montant en euros n'a que deux décimales : « {dotted[0]} » vaut-il "
                f"{french_euros(meant)} ?",
                column=header,
                value=dotted[0],
                fix='si le point sépare les milliers, read.decimal: "," (ou retirer read.decimal)',
            )
        )
    return found


def _lines(frame: pd.DataFrame, rows: np.ndarray) -> str:
    shown = ", ".join(str(frame[ROW].iat[i]) for i in rows[:_SHOWN])
    return shown + (f" … ({len(rows)} lignes)" if len(rows) > _SHOWN else "")


def implausible_amounts(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """Line amounts over 1 M€ (one laureate of a regional call), or over the campaign's envelope
    when that is smaller; and lines adding up to more than the envelope."""
    if manifest.table != "awards" or frame.empty:
        return []
    amounts = line_amounts(frame, line_columns(manifest, raw), manifest.read)
    envelope = manifest.campaign.envelope_eur
    exact_envelope = envelope if manifest.campaign.envelope_qualifier != "minimum" else None
    ceiling = min(PLAUSIBLE_LINE_EUR, exact_envelope or PLAUSIBLE_LINE_EUR)
    found = []
    above = np.flatnonzero(np.nan_to_num(amounts) > ceiling)
    if len(above):
        what = (
            f"l'enveloppe de la campagne ({french_euros(ceiling)}, campaign.envelope_eur)"
            if ceiling < PLAUSIBLE_LINE_EUR
            else f"{french_euros(PLAUSIBLE_LINE_EUR)}, plafond plausible pour un lauréat d'un "
            "appel régional"
        )
        total = float(np.nansum(amounts[above]))
        found.append(
            doubt(
                "implausible_amount",
                f"{len(above)} ligne(s) au-dessus de {what} : ligne(s) {_lines(frame, above)}, "
                f"dont {french_euros(float(amounts[above[0]]), 2)} en ligne "
                f"{int(frame[ROW].iat[above[0]])}, {french_euros(total, 2)} en tout",
                row=int(frame[ROW].iat[above[0]]),
                value=french_euros(float(amounts[above[0]]), 2),
            )
        )
    total = float(np.nansum(amounts))
    if exact_envelope is not None and total > exact_envelope + 0.005:
        found.append(
            doubt(
                "above_envelope",
                f"les {int(np.count_nonzero(~np.isnan(amounts)))} montants lus font "
                f"{french_euros(total, 2)}, plus que l'enveloppe annoncée de la campagne "
                f"{manifest.campaign.id} ({french_euros(exact_envelope)}, campaign.envelope_eur)",
                place="manifeste, clé campaign.envelope_eur",
                value=french_number(exact_envelope),
            )
        )
    return found


def implausible_declared(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """An announced count beyond any campaign's size, or, for a partial list, more than ten times
    its lines: published as announced it would swell the page's headline count."""
    declared = manifest.declared.awards_count
    if manifest.table != "awards" or declared is None:
        return []
    lines = int(frame[ROW].nunique()) if ROW in frame else 0
    if declared > PLAUSIBLE_AWARDS_COUNT:
        why = (
            f"plus que les {french_number(PLAUSIBLE_AWARDS_COUNT)} qu'aucune campagne n'atteint "
            "(le programme national en nomme quelques milliers)"
        )
    elif manifest.partial and declared > PARTIAL_FEW and declared > PARTIAL_RATIO * lines:
        why = f"plus de {PARTIAL_RATIO} fois les lignes de la liste partielle (partial: true)"
    else:
        return []
    return [
        doubt(
            "implausible_declared",
            f"{french_number(declared)} lauréats annoncés (declared.awards_count) pour "
            f"{french_number(lines)} ligne(s) lue(s) : {why} ; publié tel quel, ce chiffre "
            "s'ajouterait au nombre de lauréats de la page d'accueil",
            place="manifeste, clé declared.awards_count",
            value=str(declared),
        )
    ]


def more_than_declared(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """More lines or euros than the publisher announced. `partial: true` excuses fewer lines than
    announced, never more; without it any gap is already an error (pipelines/contribute/report.py)."""
    declared = manifest.declared
    if manifest.table != "awards" or not manifest.partial:
        return []
    found = []
    lines = int(frame[ROW].nunique())
    if (
        declared.awards_count is not None
        and declared.awards_count_qualifier != "minimum"
        and lines > declared.awards_count
    ):
        found.append(
            doubt(
                "more_than_declared",
                f"{lines} lauréats lus pour {declared.awards_count} annoncés (declared.awards_count) : "
                "une liste partielle (partial: true) en a moins, jamais plus",
                place="manifeste, clé declared.awards_count",
                value=str(declared.awards_count),
                fix="vérifier les lignes lues (un second tableau, une ligne coupée, des doublons ?) et "
                "le nombre annoncé ; « minimum » sous declared.awards_count_qualifier s'il est "
                "annoncé comme un minimum",
            )
        )
    amounts = line_amounts(frame, line_columns(manifest, raw), manifest.read)
    total = float(np.nansum(amounts))
    announced = declared.total_amount_eur
    if (
        announced is not None
        and declared.total_amount_qualifier != "minimum"
        and total > announced + 0.005
    ):
        found.append(
            doubt(
                "more_than_declared",
                f"les montants lus font {french_euros(total, 2)} pour "
                f"{french_number(announced)} € annoncés (declared.total_amount_eur) : une liste "
                "partielle (partial: true) fait moins, jamais plus",
                place="manifeste, clé declared.total_amount_eur",
                value=french_number(announced),
                fix="vérifier les montants lus (un récapitulatif ou un total lu comme un lauréat ?) "
                "et le total annoncé",
            )
        )
    return found


FIGURE_DETECTORS = [
    more_than_declared,
    ambiguous_separator,
    implausible_amounts,
    implausible_declared,
]
