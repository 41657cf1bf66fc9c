"""The file's own TOTAL and Sous-total lines checked against the rows they close."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines.common.doubts import doubt
from pipelines.common.problems import Problem
from pipelines.common.text import french_euros
from pipelines.common.values import funder_code, parse_amount
from pipelines.read.layout import ROW, RawTable, TotalLine
from pipelines.read.manifest import DEFAULT_SKIP, Manifest
from pipelines.stage.columns import parse_column

# A total line as the layout always knows it (« TOTAL », « Sous-total … »): a line the manifest's own
# skip_rows_matching sets aside (another table's, a heading) closes nothing.
_TOTAL = re.compile("|".join(f"(?:{p})" for p in DEFAULT_SKIP), re.IGNORECASE)


# A TOTAL line the lines do not make up, some of them rejected: they may be the gap, and they are
# errors already (to fix first); without a rejected line the gap is a doubt (total_mismatch).
WITH_REJECTED = "total_with_rejected_rows"


def total_warnings(
    raw: RawTable,
    manifest: Manifest,
    columns: dict[str, str],
    by_funder: dict[str, str],
    path: Path,
    frame: pd.DataFrame | None = None,
    rejected: set[int | None] | None = None,
) -> list[Problem]:
    """A TOTAL or Sous-total line whose amount is not the sum of the rows it closes: a doubt.

    A total closes the rows since the previous total line; a grand total may also close the
    whole table (sub-totals above it). Either sum matching is enough, over every line or over the
    lines accepted. `frame`: the rows as read (a CSV line with a field too many mended, grouped,
    filtered), `raw.frame` by default; `rejected`: the rows rejected.
    """
    frame = raw.frame if frame is None else frame
    numbers = frame[ROW].to_numpy(dtype=np.int64)
    kept = ~np.isin(numbers, [r for r in rejected or () if r is not None])
    if by_funder:
        headers = {funder_code(f): h for f, h in manifest.funder_amount_columns.items()}
        amount_columns = {headers[f]: col for f, col in by_funder.items()}
    else:
        amount_columns = (
            {manifest.mapped_columns["amount_eur"]: columns["amount_eur"]}
            if "amount_eur" in columns
            else {}
        )
    totals = sorted((t for t in raw.totals if _TOTAL.search(t.label)), key=lambda t: t.row)
    if not totals or not amount_columns:
        return []
    warnings = []
    decimal, unit = manifest.read.decimal, manifest.read.amount_unit
    for header, col in amount_columns.items():
        amounts, _ = parse_column(frame[col], "amount_eur", parse_amount, decimal, unit)
        values = amounts.to_numpy(dtype=float)
        previous = 0
        for total in totals:
            # The rows above it in the file (numbers run through sheets and pages).
            position = int(np.searchsorted(numbers, total.row))
            found = _check(total, header, col, values, kept, previous, position, manifest)
            warnings += [found] if found else []
            previous = position
    return warnings


def _check(
    total: TotalLine,
    header: str,
    col: str,
    values: np.ndarray,
    kept: np.ndarray,
    previous: int,
    position: int,
    manifest: Manifest,
) -> Problem | None:
    """The total line against the rows since the previous total, or since the start."""
    cell = total.cells.get(col)
    try:
        announced = (
            parse_amount(cell, manifest.read.decimal, manifest.read.amount_unit) if cell else None
        )
    except ValueError:
        announced = None
    if announced is None:
        return None
    accepted = np.where(kept, values, np.nan)
    sums = [float(np.nansum(v[a:position])) for v in (values, accepted) for a in (previous, 0)]
    if any(abs(announced - s) < 0.005 for s in sums):
        return None
    since_previous = values[previous:position]
    unreadable = int(np.isnan(since_previous).sum())
    detail = f" (dont {unreadable} sans montant)" if unreadable else ""
    whole = f" ; depuis le début du tableau : {french_euros(sums[1], 2)}" if previous else ""
    message = (
        f"la ligne « {total.label} » annonce {french_euros(announced, 2)} mais les "
        f"{len(since_previous)} lignes qu'elle totalise{detail} font {french_euros(sums[0], 2)}{whole}"
    )
    fix = (
        "vérifier les montants des lignes et celui du total dans le fichier (le total n'est pas "
        "repris dans les données, seules les lignes le sont)"
    )
    if kept[previous:position].all():
        # A doubt: the file contradicts its own reading (a line missing, or one too many).
        return doubt(
            "total_mismatch",
            message,
            row=total.row,
            place=total.place,
            column=header,
            value=cell,
            fix=fix,
        )
    return Problem(
        total.row,
        total.place,
        header,
        cell,
        f"{message}, dont des lignes rejetées",
        f"corriger d'abord les lignes rejetées, puis {fix}",
        severity="warning",
        code=WITH_REJECTED,
    )


OCR_CODE = "ocr"
OCR_MISMATCH = "ocr_total_mismatch"


def ocr_warnings(raw: RawTable, accepted, problems: list[Problem]) -> list[Problem]:
    """Text read by OCR: said once, and its amounts checked against the document's own TOTAL line."""
    amounts = accepted["amount_eur"].dropna() if "amount_eur" in accepted else []
    read = float(sum(amounts))
    grand = [t for t in raw.totals if not t.label.casefold().startswith("sous")]
    mismatched = [p for p in problems if p.code in ("total_mismatch", WITH_REJECTED)]
    if mismatched:
        return [
            Problem(
                p.row,
                p.place,
                p.column,
                p.value,
                f"montants lus par OCR : {p.message.removeprefix('doute : ')}",
                "relire chaque montant contre le document scanné : un chiffre mal reconnu se corrige "
                "en demandant à l'éditeur la liste au format tableur (ou un PDF non scanné)",
                severity="warning",
                code=OCR_MISMATCH,
            )
            for p in mismatched
        ]
    checked = (
        f" ; la somme des montants lus ({french_euros(read, 2)}) est celle de la ligne « {grand[-1].label} » du document"
        if grand
        else " ; le document n'a pas de ligne TOTAL pour les recouper"
    )
    return [
        Problem(
            None,
            None,
            None,
            None,
            f"PDF scanné : texte lu par reconnaissance de caractères (OCR, Tesseract){checked}",
            "relire les noms et les montants publiés contre le document"
            if grand
            else "relire chaque montant contre le document, ou indiquer declared.total_amount_eur s'il est annoncé",
            severity="warning",
            code=OCR_CODE,
        )
    ]
