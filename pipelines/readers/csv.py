"""CSV reader: encoding and delimiter detected (charset-normalizer, csv.Sniffer), the manifest overriding."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from charset_normalizer import from_bytes

from pipelines.manifest import ReadOptions
from pipelines.problems import SourceError
from pipelines.readers.grid import GridRow
from pipelines.text import clean_cell

_DELIMITERS = ";,\t|"


def decode(path: Path, data: bytes, encoding: str | None) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError:
            raise SourceError(path, f"encodage inconnu {encoding!r}", place="manifeste, read.encoding",
                              fix="indiquer utf-8, cp1252 ou latin-1, ou retirer la clé pour détection")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise SourceError(path, f"le fichier n'est pas en {encoding} (octet {data[exc.start]:#x} illisible)",
                              place=f"ligne {line}",
                              fix="corriger read.encoding dans le manifeste, ou retirer la clé pour détection")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data, cp_isolation=["cp1252", "latin_1", "utf_16"]).best()
    if best is None:
        raise SourceError(path, "encodage impossible à reconnaître", fix="enregistrer le fichier en UTF-8")
    # cp1252 is a superset of latin-1 for every printable character French files use.
    name = "cp1252" if best.encoding in ("latin_1", "iso8859_15", "cp1252") else best.encoding
    return data.decode(name, errors="strict")


def sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in _DELIMITERS}
        return max(counts, key=counts.get) if any(counts.values()) else ","


def read_csv(path: Path, options: ReadOptions) -> list[GridRow]:
    data = path.read_bytes()
    if not data.strip():
        raise SourceError(path, "fichier vide", fix="déposer le fichier tel que publié, avec ses lignes")
    text = decode(path, data, options.encoding)
    delimiter = options.delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return [GridRow(n, None, tuple(clean_cell(c) for c in cells)) for n, cells in enumerate(reader, 1)]
    except csv.Error as exc:
        raise SourceError(path, f"CSV mal formé : {exc}", place=f"ligne {reader.line_num}",
                          fix="vérifier les guillemets et le séparateur (read.delimiter)")
