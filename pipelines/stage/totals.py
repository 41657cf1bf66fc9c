"""The file's own TOTAL and Sous-total lines checked against the rows they close."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import numpy as np

from pipelines.common.problems import Problem
from pipelines.common.text import french_euros
from pipelines.common.values import funder_code, parse_amount
from pipelines.read.layout import ROW, RawTable
from pipelines.read.manifest import Manifest
from pipelines.stage.columns import parse_column


def total_warnings(
    raw: RawTable,
    manifest: Manifest,
    columns: dict[str, str],
    by_funder: dict[str, str],
    path: Path,
    set_aside: Collection[int] = (),
) -> list[Problem]:
    """A TOTAL or Sous-total line whose amount is not the sum of the rows it closes: a warning.

    A total closes the rows since the previous total line; a grand total may also close the
    whole table (sub-totals above it). Either sum matching is enough. Rows `set_aside` after the
    layout (a co-funded project's own total, pipelines/stage/groups.py) are not summed.
    """
    if by_funder:
        headers = {funder_code(f): h for f, h in manifest.funder_amount_columns.items()}
        amount_columns = {headers[f]: col for f, col in by_funder.items()}
    else:
        amount_columns = (
            {manifest.mapped_columns["amount_eur"]: columns["amount_eur"]}
            if "amount_eur" in columns
            else {}
        )
    if not raw.totals or not amount_columns:
        return []
    warnings = []
    decimal, unit = manifest.read.decimal, manifest.read.amount_unit
    for header, col in amount_columns.items():
        amounts, _ = parse_column(raw.frame[col], "amount_eur", parse_amount, decimal, unit)
        values = amounts.to_numpy(dtype=float, copy=True)
        if set_aside:
            values[raw.frame[ROW].isin(list(set_aside)).to_numpy()] = np.nan
        previous = 0
        for total in sorted(raw.totals, key=lambda t: t.position):
            cell = total.cells.get(col)
            since_previous = values[previous : total.position]
            since_start = values[: total.position]
            previous = total.position
            try:
                announced = parse_amount(cell, decimal, unit) if cell else None
            except ValueError:
                announced = None
            if announced is None:
                continue
            sums = [float(np.nansum(since_previous)), float(np.nansum(since_start))]
            if any(abs(announced - s) < 0.005 for s in sums):
                continue
            unreadable = int(np.isnan(since_previous).sum())
            detail = f" (dont {unreadable} sans montant)" if unreadable else ""
            whole = (
                f" ; depuis le début du tableau : {french_euros(sums[1], 2)}"
                if len(since_start) != len(since_previous)
                else ""
            )
            warnings.append(
                Problem(
                    total.row,
                    total.place,
                    header,
                    cell,
                    f"la ligne « {total.label} » annonce {french_euros(announced, 2)} mais les {len(since_previous)} lignes "
                    f"qu'elle totalise{detail} font {french_euros(sums[0], 2)}{whole}",
                    "vérifier les montants des lignes et celui du total dans le fichier (le total n'est pas repris "
                    "dans les données, seules les lignes le sont)",
                    severity="warning",
                    code="total_mismatch",
                )
            )
    return warnings


OCR_CODE = "ocr"
OCR_MISMATCH = "ocr_total_mismatch"


def ocr_warnings(raw: RawTable, accepted, problems: list[Problem]) -> list[Problem]:
    """Text read by OCR: said once, and its amounts checked against the document's own TOTAL line."""
    amounts = accepted["amount_eur"].dropna() if "amount_eur" in accepted else []
    read = float(sum(amounts))
    grand = [t for t in raw.totals if not t.label.casefold().startswith("sous")]
    mismatched = [p for p in problems if p.code == "total_mismatch"]
    if mismatched:
        return [
            Problem(
                p.row,
                p.place,
                p.column,
                p.value,
                f"montants lus par OCR : {p.message}",
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
