"""Doubts about the unit of the amounts: thousands of euros read as euros, or the reverse.

A header « Montant (k€) » read without `read.amount_unit: "k€"` would publish 12 500 € as 12,50 €;
amounts a thousand times smaller than the total the publisher announced say the same. Both are
doubts (`amount_unit`): the source is not published until the manifest says the unit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common.doubts import doubt
from pipelines.common.problems import Problem
from pipelines.common.text import french_euros, french_number, text_key
from pipelines.common.values import UNITS, parse_amount, parse_amounts
from pipelines.read.headers import header_unit
from pipelines.read.layout import RawTable
from pipelines.read.manifest import Manifest
from pipelines.stage.fields import AMOUNT_COLUMNS

UNIT_WORDS = {"€": "euros", "k€": "milliers d'euros (k€)", "M€": "millions d'euros (M€)"}
_FAR = 500  # a ratio this far from 1 between the amounts read and the total announced is a unit
_SMALL = 1_000  # amounts all below this, with decimals, look like thousands of euros
_SAMPLE = 500
_FEW = 3  # fewer amounts than this say nothing about their unit
# A currency written in a cell, and a multiplier before it (« 8 k€ », « 1,2 M€ », « 2 millions »).
_CURRENCY = "€|(?i:eur)"
_MULTIPLIER = "[0-9 \u00a0\u202f][kKM] ?(?:€|(?i:eur))|(?i:milli(?:er|on)s?)"


def amount_unit(manifest: Manifest, raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """The unit a header announces against the manifest's, then the amounts against the total."""
    columns = _amount_columns(manifest, raw)
    found = [
        d for header, col in columns.items() if (d := _header_doubt(manifest, header, frame, col))
    ]
    if not found and manifest.read.amount_unit != "€":
        found = [
            d for h, c in columns.items() if (d := _euros_under_multiplier(manifest, h, frame, c))
        ]
    if found or manifest.table != "awards":
        return found
    amount_headers = {h: c for h, c in columns.items() if c is not None}
    scale = _scale_doubt(manifest, frame, amount_headers)
    return [scale] if scale else []


def _amount_columns(manifest: Manifest, raw: RawTable) -> dict[str, str | None]:
    """Header as the manifest writes it → its frame column, for every amount the file gives."""
    headers = [h for name, h in manifest.mapped_columns.items() if name in AMOUNT_COLUMNS]
    headers += list(manifest.funder_amount_columns.values())
    labels = {text_key(x): c for c, x in zip(raw.frame.columns, raw.labels) if x}
    return {h: labels.get(text_key(h)) for h in headers}


def _first_amount(frame: pd.DataFrame, col: str | None) -> str | None:
    if col is None or col not in frame:
        return None
    values = [str(v) for v in frame[col].dropna().head(_SAMPLE) if any(c.isdigit() for c in str(v))]
    return values[0] if values else None


def _header_doubt(
    manifest: Manifest, header: str, frame: pd.DataFrame, col: str | None
) -> Problem | None:
    said, read = header_unit(header), manifest.read.amount_unit
    if said is None or said == read:
        return None
    state = (
        f'read.amount_unit: "{read}"'
        if "amount_unit" in manifest.read.model_fields_set
        else "read.amount_unit absent"
    )
    example = _first_amount(frame, col)
    shown = ""
    if example is not None:
        try:
            now = parse_amount(example, manifest.read.decimal, read)
            meant = parse_amount(example, manifest.read.decimal, said)
            shown = f" : « {example} » serait publié {french_euros(now)} au lieu de {french_euros(meant)}"
        except ValueError:
            shown = ""
    return doubt(
        "amount_unit",
        f"l'en-tête « {header} » donne les montants en {UNIT_WORDS[said]} mais le manifeste les "
        f"lit en {UNIT_WORDS[read]} ({state}){shown}",
        column=header,
        value=example,
        fix=f'écrire read.amount_unit: "{said}" dans le manifeste',
    )


def _euros_under_multiplier(
    manifest: Manifest, header: str, frame: pd.DataFrame, col: str | None
) -> Problem | None:
    """« 8 000 € » in a file read in k€: the cell says euros, the manifest multiplies it."""
    if col is None or col not in frame:
        return None
    array = pa.array(frame[col], type=pa.large_string(), from_pandas=True)
    currency = pc.fill_null(pc.match_substring_regex(array, _CURRENCY), False)
    multiplied = pc.fill_null(pc.match_substring_regex(array, _MULTIPLIER), False)
    plain = pc.and_(currency, pc.invert(multiplied)).to_numpy(zero_copy_only=False)
    if not plain.any():
        return None
    unit = manifest.read.amount_unit
    example = str(frame[col].iat[int(np.flatnonzero(plain)[0])])
    try:
        shown = f", lue {french_euros(parse_amount(example, manifest.read.decimal, unit))}"
    except ValueError:
        shown = ""
    return doubt(
        "amount_unit",
        f'read.amount_unit: "{unit}" multiplie chaque montant par {french_number(UNITS[unit])}, '
        f"mais {int(plain.sum())} cellule(s) de « {header} » écrivent des euros sans "
        f"multiplicateur (ex. « {example} »{shown})",
        column=header,
        value=example,
        fix="retirer read.amount_unit si les montants du fichier sont en euros ; sinon vérifier "
        "ces cellules",
    )


def _amounts(manifest: Manifest, frame: pd.DataFrame, columns: dict[str, str]) -> list[float]:
    texts = [str(v) for c in columns.values() if c in frame for v in frame[c].dropna()]
    amounts, _ = parse_amounts(texts, manifest.read.decimal, manifest.read.amount_unit)
    return [a for a in amounts if a]


def _scale_doubt(
    manifest: Manifest, frame: pd.DataFrame, columns: dict[str, str]
) -> Problem | None:
    """Amounts a thousand times off the announced total, or all under 1 000 € with decimals."""
    if not columns:
        return None
    unit, declared = manifest.read.amount_unit, manifest.declared.total_amount_eur
    settled = "amount_unit" in manifest.read.model_fields_set
    header = next(iter(columns))
    example = _first_amount(frame, columns[header])
    sample = _amounts(manifest, frame.head(_SAMPLE), columns)
    if unit == "€" and (settled or not sample or max(sample) >= _SMALL):
        return None  # the usual case, told from a sample: amounts of thousands of euros
    if unit != "€" and not declared:
        return None
    amounts = _amounts(manifest, frame, columns)
    total = round(sum(amounts), 2)
    if not amounts or not total:
        return None
    small = max(amounts) < _SMALL
    thousands = "milliers d'euros (k€)"
    if declared and declared >= _FAR * total and small and not settled:
        times = french_number(round(declared / total))
        message = (
            f"les {len(amounts)} montants lus sont tous sous {french_euros(_SMALL)} (ex. « {example} ») et leur "
            f"somme, {french_euros(total)}, est {times} fois plus petite que le total annoncé "
            f"({french_euros(declared)}, declared.total_amount_eur) : des "
            f"{UNIT_WORDS['M€'] if declared >= _FAR * 1000 * total else thousands} lus comme "
            "des euros ?"
        )
    elif declared and total >= _FAR * declared and unit != "€":
        message = (
            f"la somme des montants lus, {french_euros(total)}, est "
            f"{french_number(round(total / declared))} fois plus grande que le total annoncé "
            f"({french_euros(declared)}, declared.total_amount_eur) : read.amount_unit: "
            f'"{unit}" multiplie chaque montant par {french_number(UNITS[unit])}'
        )
    elif not declared and small and len(amounts) >= _FEW and not settled:
        decimals = sum(1 for a in amounts if not float(a).is_integer())
        if decimals * 2 < len(amounts):
            return None
        message = (
            f"les {len(amounts)} montants lus sont tous sous {french_euros(_SMALL)} et {decimals} ont des "
            f"décimales (ex. « {example} ») : des {thousands} lus comme des euros ?"
        )
    else:
        return None
    return doubt(
        "amount_unit",
        message,
        column=header,
        value=example,
        fix='read.amount_unit: "k€" (ou "M€") si les montants du fichier sont en milliers (ou '
        "millions) d'euros, read.amount_unit: \"€\" s'ils sont bien en euros",
    )
