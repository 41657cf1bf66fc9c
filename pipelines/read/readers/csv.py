"""CSV reader: encoding and delimiter detected, the manifest overriding; large files read by Arrow.

A rectangular file (every line the same number of fields) is parsed by pyarrow's CSV reader;
a ragged one (a title line above the header, a note below) by pandas' C parser, which pads short
lines. Both count records as the csv module does, so row numbers do not depend on the path taken.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from charset_normalizer import from_bytes

from pipelines.common.problems import SourceError
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.grid import Grid, text_column

_DELIMITERS = ";,\t|"
_MAX_ODD_ROWS = 1000  # lines of another width than the table (titles, notes) Arrow hands back
_SINGLE_BYTE = {
    "cp1252",
    "windows-1252",
    "latin-1",
    "latin1",
    "iso-8859-1",
    "iso8859-1",
    "iso-8859-15",
    "iso8859-15",
    "latin-9",
    "mac-roman",
    "macroman",
    "cp850",
    "ascii",
}
_NAMES = {"utf_8": "UTF-8", "cp1252": "cp1252", "latin_1": "latin-1", "utf_16": "UTF-16"}


def _fix_encoding() -> str:
    return "corriger read.encoding dans le manifeste (utf-8, cp1252 ou latin-1), ou retirer la clé pour détection"


def decode(path: Path, data: bytes, encoding: str | None) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:  # a UTF-16 mark over bytes that are not UTF-16
            raise SourceError(
                path,
                f"fichier marqué UTF-16 mais illisible comme tel (octet {exc.start})",
                fix="l'ouvrir dans un tableur et l'enregistrer en CSV UTF-8",
            ) from exc
    if encoding:
        return _declared(path, data, encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "utf_16"]).best()
    if best is None:
        raise SourceError(
            path, "encodage impossible à reconnaître", fix="enregistrer le fichier en UTF-8"
        )
    # cp1252 is a superset of latin-1 for every printable character French files use.
    name = "cp1252" if best.encoding in ("latin_1", "iso8859_15", "cp1252") else best.encoding
    try:
        return data.decode(name)
    except (
        UnicodeDecodeError
    ):  # a byte cp1252 leaves undefined (0x81, 0x8d…): latin-1 reads every byte
        return data.decode("latin-1")


def _declared(path: Path, data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except LookupError:
        raise SourceError(
            path,
            f"encodage inconnu {encoding!r}",
            place="manifeste, read.encoding",
            fix=_fix_encoding(),
        ) from None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            path,
            f"le fichier n'est pas en {encoding} (octet {data[exc.start]:#x} illisible)",
            place=f"ligne {line}",
            fix=_fix_encoding(),
        ) from exc
    # A single-byte encoding decodes anything: catch the two silent misreadings it allows.
    if encoding.lower().replace("_", "-") in _SINGLE_BYTE and not data.isascii():
        try:
            data.decode("utf-8")
            raise SourceError(
                path,
                f"le manifeste dit {encoding} mais le fichier est en UTF-8 "
                "(les accents seraient lus « Ã© »)",
                place="manifeste, read.encoding",
                fix=_fix_encoding(),
            )
        except UnicodeDecodeError:
            pass
        control = next((i for i, ch in enumerate(text) if "\x80" <= ch <= "\x9f"), None)
        if control is not None:
            line = text.count("\n", 0, control) + 1
            raise SourceError(
                path,
                f"le manifeste dit {encoding} mais le fichier contient des caractères de "
                f"cp1252 (€, œ, guillemets) qu'il lit comme des codes de contrôle",
                place=f"ligne {line}",
                fix="indiquer read.encoding: cp1252, ou retirer la clé",
            )
    return text


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the most lines into the same number of fields (title lines aside)."""
    lines = [line for line in text[:200_000].splitlines()[:200] if line.strip()]
    best, best_score = ",", (0, 0, 0)
    for rank, delimiter in enumerate(_DELIMITERS):
        try:
            widths = [len(r) for r in csv.reader(lines, delimiter=delimiter)]
        except csv.Error:
            continue
        counts = Counter(w for w in widths if w > 1)
        if not counts:
            continue
        width, agreeing = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        score = (agreeing, width, -rank)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(path: Path, options: ReadOptions) -> Grid:
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(
            path, "fichier vide", fix="déposer le fichier tel que publié, avec ses lignes"
        )
    text = decode(path, data, options.encoding)
    delimiter = options.delimiter or sniff_delimiter(text)
    if delimiter in ("\\t", "tab", "tabulation"):
        delimiter = "\t"
    if len(delimiter) != 1:
        raise SourceError(
            path,
            f"séparateur {delimiter!r} invalide",
            place="manifeste, read.delimiter",
            fix='indiquer un seul caractère : ";", "," ou "\\t" (tabulation)',
        )
    try:
        columns = _arrow_columns(text, delimiter) or _pandas_columns(text, delimiter)
    except (pa.ArrowInvalid, pd.errors.ParserError, ValueError) as exc:
        raise SourceError(
            path,
            f"CSV mal formé : {str(exc).splitlines()[0]}",
            fix="vérifier les guillemets et le séparateur (read.delimiter)",
        ) from exc
    columns = [text_column(c) for c in columns]
    while len(columns) > 1 and columns[-1].null_count == len(columns[-1]):
        columns.pop()  # trailing separators on every line, or an over-estimated width
    return Grid(columns, np.arange(1, len(columns[0]) + 1) if columns else np.arange(0))


def _width(text: str, delimiter: str) -> int:
    # An upper bound: a delimiter inside quotes counts too, and the empty columns it adds are dropped.
    return max((line.count(delimiter) for line in text.splitlines()), default=0) + 1


def _arrow_columns(text: str, delimiter: str) -> list[pa.Array] | None:
    """Every record as Arrow text; None when Arrow cannot say where its odd lines were.

    Arrow wants every line as wide as the table: the few that are not (a title above the header,
    a note below) are handed over with their record number, read by the csv module and put back
    in place. Too many of them, and the pandas parser is the better tool.
    """
    sample = list(
        itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), 200)
    )
    widths = Counter(len(r) for r in sample if len(r) > 1) or Counter(len(r) for r in sample)
    width = max(widths.items(), key=lambda kv: (kv[1], kv[0]))[0] if widths else 1
    odd: list[tuple[int | None, str]] = []

    def handle(row) -> str:
        odd.append((row.number, row.text))
        return "skip" if len(odd) <= _MAX_ODD_ROWS and row.number is not None else "error"

    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(
                column_names=names, block_size=1 << 24, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=handle,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.large_string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        if odd:
            return None
        raise
    columns = [table.column(n).combine_chunks() for n in names]
    if not odd:
        return columns
    return _with_odd_records(columns, table.num_rows, odd, delimiter)


def _with_odd_records(
    columns: list[pa.Array], rows: int, odd: list[tuple[int | None, str]], delimiter: str
) -> list[pa.Array]:
    """Put the odd records back where they were: record n is at position n - 1."""
    extra = [next(csv.reader([line], delimiter=delimiter), []) for _, line in odd]
    total = rows + len(odd)
    width = max(len(columns), *(len(cells) for cells in extra))
    numbers = [n for n, _ in odd if n is not None]
    assert len(numbers) == len(odd)  # a record without a number made handle fail the read
    positions = np.array([n - 1 for n in numbers])
    order = np.empty(total, dtype=np.int64)
    is_odd = np.zeros(total, dtype=bool)
    is_odd[positions] = True
    order[~is_odd] = np.arange(rows)
    order[positions] = rows + np.arange(len(odd))
    index = pa.array(order)
    out = []
    for j in range(width):
        kept = columns[j] if j < len(columns) else pa.nulls(rows, pa.large_string())
        added = pa.array(
            [cells[j] if j < len(cells) else None for cells in extra], type=pa.large_string()
        )
        out.append(pa.concat_arrays([kept, added]).take(index))
    return out


def _pandas_columns(text: str, delimiter: str) -> list[pa.Array]:
    frame = pd.read_csv(
        io.StringIO(text, newline=""),
        sep=delimiter,
        header=None,
        names=range(_width(text, delimiter)),
        dtype="str",
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        engine="c",
        quotechar='"',
    )
    return [pa.array(frame[c], type=pa.large_string()) for c in frame.columns]
