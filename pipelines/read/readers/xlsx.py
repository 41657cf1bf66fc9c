"""XLSX reader (python-calamine, Rust): typed cells as text, merged cells carried over their range.

calamine rather than openpyxl: a 200 000-row file must read in seconds (benchmarks/readers.py
prints both). A merged cell holds its value in its first cell only: the value is copied into the
whole range, so a header merged over two columns or two rows labels each of them, and a
département merged down over its projects is the département of each. Not into a total line it
reaches (« Sous-total Calvados » under its département): that line must still read as a total.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import (
    CalamineError,
    CalamineWorkbook,
    PasswordError,
    SheetVisibleEnum,
)

from pipelines.common.problems import SourceError
from pipelines.read.manifest import DEFAULT_SKIP, ReadOptions
from pipelines.read.readers.grid import Grid, GridRow, SheetRows, text_column
from pipelines.read.readers.hidden import xlsx_hidden
from pipelines.read.readers.sheets import cell_text, choose_sheets, numbers_array

OLE_SIGNATURE = (
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File Binary: .xls, or an encrypted .xlsx
)
ZIP_SIGNATURE = b"PK\x03\x04"


def check_container(path: Path, fmt: str) -> None:
    """Say what the file is when it is not the zip an Office document should be."""
    head = path.read_bytes()[:4096] if path.stat().st_size else b""
    if not head.strip():
        raise SourceError(path, "fichier vide", fix="déposer le fichier tel que publié")
    if head.startswith(OLE_SIGNATURE):
        data = path.read_bytes()
        if (
            "EncryptedPackage".encode("utf-16-le") in data
            or "EncryptionInfo".encode("utf-16-le") in data
        ):
            raise SourceError(
                path,
                "classeur protégé par un mot de passe (chiffré)",
                fix="l'ouvrir avec son mot de passe et l'enregistrer sans protection, "
                "ou demander à l'éditeur une version non protégée",
            )
        raise SourceError(
            path,
            "fichier au format Excel 97-2003 (.xls), pas .xlsx",
            fix="l'ouvrir et l'enregistrer au format .xlsx (ou .ods)",
        )
    if not head.startswith(ZIP_SIGNATURE):
        lowered = head.lower()
        hint = (
            " ; il contient du HTML : indiquer read.format: html"
            if b"<html" in lowered or b"<table" in lowered
            else ""
        )
        raise SourceError(
            path,
            f"ce n'est pas un classeur {fmt} (contenu d'un autre type){hint}",
            fix=f"déposer le fichier {fmt} d'origine, ou corriger read.format",
        )
    check_declared_size(path)


MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024  # a regional list unzips to a few MB
MAX_DECLARED_CELLS = 50_000_000
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension ref="([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?"'
)


def check_declared_size(path: Path) -> None:
    """Refuse before allocating: what the archive says it unzips to, and each sheet's declared range
    (a single cell at XFD1048576 makes a reader allocate the whole sheet: half a terabyte)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unzipped = sum(m.file_size for m in members)
            if unzipped > MAX_UNZIPPED_BYTES:
                raise SourceError(
                    path,
                    f"le classeur se décompresse en {unzipped // 2**20} Mo, au-delà de la limite "
                    f"de {MAX_UNZIPPED_BYTES // 2**20} Mo",
                    fix="vérifier le fichier (une liste de lauréats tient en quelques Mo), ou "
                    "l'exporter en CSV",
                )
            for member in members:
                if not (
                    member.filename.startswith("xl/worksheets/")
                    and member.filename.endswith(".xml")
                ):
                    continue
                with archive.open(member) as sheet:
                    found = _DIMENSION.search(sheet.read(4096))
                if found and found.group(3):
                    rows = int(found.group(4)) - int(found.group(2)) + 1
                    columns = _column_number(found.group(3)) - _column_number(found.group(1)) + 1
                    if rows * columns > MAX_DECLARED_CELLS:
                        ref = (
                            b"".join(g for g in found.groups()[:2]).decode()
                            + ":"
                            + b"".join(found.groups()[2:]).decode()
                        )
                        raise SourceError(
                            path,
                            f"une feuille déclare la plage {ref} ({rows} lignes × {columns} "
                            "colonnes), bien plus que son tableau",
                            fix="dans le tableur, supprimer les lignes et colonnes vides au-delà du "
                            "tableau (Ctrl+Fin montre la dernière cellule) puis réenregistrer",
                        )
    except (zipfile.BadZipFile, OSError):
        return  # the reader says what is wrong with the archive


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


def read_xlsx(path: Path, options: ReadOptions) -> Grid | list[GridRow]:
    """One sheet as a Grid; with `read.sheets`, the rows of every chosen sheet, each under its name."""
    check_container(path, "xlsx")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except PasswordError:
        raise SourceError(
            path, "classeur protégé par un mot de passe", fix="l'enregistrer sans protection"
        ) from None
    except CalamineError as exc:
        raise SourceError(
            path,
            f"classeur xlsx corrompu ou illisible ({exc})",
            fix="l'ouvrir dans un tableur et l'enregistrer de nouveau au format .xlsx",
        ) from exc
    with workbook:
        sheets = [m for m in workbook.sheets_metadata if "WorkSheet" in str(m.typ)]
        names = [m.name for m in sheets]
        visible = [m.name for m in sheets if m.visible == SheetVisibleEnum.Visible]
        if not names:
            raise SourceError(
                path, "le classeur ne contient aucune feuille de données", fix="vérifier le fichier"
            )
        chosen = choose_sheets(path, names, visible, options)
        grids = [_sheet_grid(workbook, path, name, options) for name in chosen]
    hidden = xlsx_hidden(path, chosen)
    if options.sheets is None:
        grids[0].hidden = hidden
        return grids[0]
    return SheetRows((row for grid in grids for row in grid), hidden)


def _sheet_grid(workbook: CalamineWorkbook, path: Path, name: str, options: ReadOptions) -> Grid:
    try:
        sheet = workbook.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=False)
        merged = sheet.merged_cell_ranges or []
    except CalamineError as exc:
        raise SourceError(
            path,
            f"feuille illisible ({exc})",
            place=f"feuille {name}",
            fix="l'ouvrir dans un tableur et l'enregistrer de nouveau au format .xlsx",
        ) from exc
    return grid_from_values(rows, merged, name, options.decimal, total_patterns(options))


def total_patterns(options: ReadOptions) -> tuple[str, ...]:
    return (*DEFAULT_SKIP, *options.skip_rows_matching)


def grid_from_values(
    rows: list[list], merged: list, place: str, decimal: str, totals: Sequence[str] = DEFAULT_SKIP
) -> Grid:
    """Typed rows (0-based from A1) and merged ranges ((r0, c0), (r1, c1)) as a Grid of text;
    `totals`: the patterns of a total line's first cell (pipelines/read/layout.py)."""
    while rows and all(v == "" or v is None for v in rows[-1]):
        rows.pop()
    lengths = set(map(len, rows))
    width = max(lengths, default=0)
    if len(lengths) > 1:
        rows = [r if len(r) == width else list(r) + [""] * (width - len(r)) for r in rows]
    closing = _total_lines(rows, merged, totals)
    for (r0, c0), (r1, c1) in merged:
        if r0 >= len(rows) or c0 >= width:
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, len(rows) - 1) + 1):
            if r != r0 and r in closing:
                continue
            for c in range(c0, min(c1, width - 1) + 1):
                rows[r][c] = value
    columns = [text_column(_column_text(values, decimal)) for values in zip(*rows)]
    spans = [
        (r0 + 1, min(r1, len(rows) - 1) + 1, c0, min(c1, width - 1))
        for (r0, c0), (r1, c1) in merged
        if r0 < len(rows) and c0 < width and (r1, c1) != (r0, c0)
    ]
    return Grid(columns, np.arange(1, len(rows) + 1), place, spans)


def _total_lines(rows: list[list], merged: list, totals: Sequence[str]) -> set[int]:
    """The rows a vertical merge reaches whose own first filled cell opens a total line."""
    below = {r for (r0, _), (r1, _) in merged for r in range(r0 + 1, min(r1, len(rows) - 1) + 1)}
    if not below or not totals:
        return set()
    try:
        pattern = re.compile("|".join(f"(?:{p})" for p in totals), re.IGNORECASE)
    except re.error:  # RE2 syntax Python does not read: the layout still applies it
        return set()
    found = set()
    for r in below:
        first = next((v for v in rows[r] if v is not None and v != ""), None)
        if isinstance(first, str) and pattern.search(" ".join(first.split())):
            found.add(r)
    return found


def _column_text(values: tuple, decimal: str) -> pa.Array:
    """Text cells as they are, numbers written by column (numbers_array), other types one by one."""
    kinds = set(map(type, values))
    if kinds <= {str}:
        return pa.array(values, type=pa.large_string())
    if kinds <= {float, int}:
        return numbers_array(np.array(values, dtype=float), decimal)
    cells = np.fromiter(values, dtype=object, count=len(values))
    kind = np.fromiter(map(type, values), dtype=object, count=len(values))
    is_number = (kind == float) | (kind == int)  # noqa: E721 — elementwise, over an array of types
    numbers = cells[is_number]
    cells[is_number] = None
    for i in np.flatnonzero(~is_number & (kind != str)):  # noqa: E721 — empty, dates, booleans: few
        cells[i] = cell_text(cells[i], decimal)
    array = pa.array(cells, type=pa.large_string())
    if not is_number.any():
        return array
    return pc.replace_with_mask(
        array, pa.array(is_number), numbers_array(numbers.astype(float), decimal)
    )
