"""JSON reader: the export of an open-data portal, its list of records as a table.

The records are a list of objects: the whole file, or the one list of objects under the file's
keys (`results` of OpenDataSoft's API v2.1, `records` of its v1, `data` of data.gouv.fr), or the
list `read.records` names. OpenDataSoft's wrappers (`fields`, `record.fields`) and GeoJSON features
(`properties`) are opened. Nested objects become dotted columns (`porteur.nom`), a list of values
one cell joined with « ; »; a list of objects inside a record has no cell to go to and is refused.

Row 0 is the header (every key, in the order first seen); record N of the list is row N, under the
place « liste JSON » or « clé data ». Numbers keep the text the publisher wrote.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from pipelines.common.problems import SourceError
from pipelines.read.manifest import ReadOptions
from pipelines.read.readers.csv import decode
from pipelines.read.readers.grid import Grid, text_column
from pipelines.read.readers.json_records import flat_records, records_of

# A list of laureates exported from a portal weighs a few MB: beyond this, a mistake or a bomb
# (parsed JSON takes ten to thirty times its size in memory).
MAX_BYTES = 64 * 1024 * 1024
MAX_CELLS = 20_000_000  # records × columns, checked before the columns are built
MAX_COLUMNS = 10_000
_DOT_GROUPS = re.compile(r"-?\d{1,3}(\.\d{3})+")
_FRENCH = (  # the json module's messages, said in French
    (
        "Expecting property name",
        "nom de clé entre guillemets doubles attendu (virgule en trop avant « } », ou "
        "guillemets simples)",
    ),
    (
        "Expecting value",
        "valeur attendue (virgule en trop avant « ] », valeur manquante, ou ce n'est pas du JSON)",
    ),
    ("Expecting ',' delimiter", "virgule attendue entre deux valeurs"),
    ("Expecting ':' delimiter", "deux-points attendu après une clé"),
    (
        "Extra data",
        "du texte après la fin du JSON (plusieurs documents à la suite, un par ligne ?)",
    ),
    ("Unterminated string", "texte entre guillemets jamais fermé (fichier tronqué ?)"),
    ("Invalid control character", "retour à la ligne ou tabulation non échappé dans un texte"),
    ("Invalid \\", "séquence d'échappement « \\ » invalide dans un texte"),
)


def read_json(path: Path, options: ReadOptions) -> Grid:
    data = load_json(path, options)
    place, records = records_of(path, data, options.records)
    rows, keys = flat_records(path, place, records)
    if len(keys) > MAX_COLUMNS or len(keys) * len(rows) > MAX_CELLS:
        raise SourceError(
            path,
            f"{len(rows)} enregistrements de {len(keys)} champs : bien plus qu'une liste de "
            "lauréats",
            place=place,
            fix="déposer l'export de la seule liste des lauréats (filtré sur l'appel à projets)",
        )
    columns = [
        text_column(pa.array([key, *(row.get(key) for row in rows)], type=pa.large_string()))
        for key in keys
    ]
    return Grid(columns, np.arange(0, len(rows) + 1), place)


def load_json(path: Path, options: ReadOptions) -> Any:
    """The parsed file, numbers as their text; a SourceError in French for what cannot be read."""
    if path.stat().st_size > MAX_BYTES:
        raise SourceError(
            path,
            f"fichier JSON de {path.stat().st_size // 2**20} Mo, au-delà de la limite de "
            f"{MAX_BYTES // 2**20} Mo",
            fix="déposer l'export de la seule liste des lauréats (filtré sur l'appel à projets), "
            "ou son export CSV",
        )
    text = _text(path, path.read_bytes(), options.encoding)
    if not text.strip():
        raise SourceError(path, "fichier vide", fix="déposer l'export JSON tel que publié")
    try:
        return json.loads(text, parse_float=_number_text, parse_int=str, parse_constant=str)
    except json.JSONDecodeError as exc:
        hint = (
            " ; il contient du HTML : indiquer read.format: html"
            if text.lstrip()[:1] == "<"
            else ""
        )
        raise SourceError(
            path,
            f"JSON invalide : {_french(exc.msg)}{hint}",
            place=f"ligne {exc.lineno}, colonne {exc.colno}",
            fix="télécharger de nouveau l'export depuis le portail (un fichier tronqué ou retouché "
            "à la main ne se lit pas), ou corriger le fichier à cet endroit",
        ) from None
    except RecursionError:
        raise SourceError(
            path,
            "JSON imbriqué sur des centaines de niveaux : ce n'est pas l'export d'une liste",
            fix="déposer l'export JSON ou CSV de la liste, tel que le portail le produit",
        ) from None


def _text(path: Path, data: bytes, encoding: str | None) -> str:
    """UTF-8, as JSON is written (a BOM accepted); another encoding only when the manifest says it."""
    if encoding or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode(path, data, encoding)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError(
            path,
            f"le fichier n'est pas en UTF-8 (octet {data[exc.start]:#x} illisible)",
            place=f"ligne {line}",
            fix="déposer l'export du portail tel quel (il est en UTF-8), ou indiquer "
            "read.encoding (cp1252, latin-1) pour un fichier écrit à la main",
        ) from None


def _number_text(written: str) -> str:
    """A JSON number as the text the amount parser reads back to the same value, whatever
    `read.decimal` says: JSON always writes its decimals with a point."""
    if "e" in written or "E" in written:
        value = Decimal(written)
        if abs(value.adjusted()) <= 30:  # 1.5e4 → 15000 (a wild exponent is left as written)
            written = format(value, "f")
    if _DOT_GROUPS.fullmatch(written):
        # 1.234 is one euro and some: not 1 234 € where "." groups thousands, nor, where "." is
        # the decimal mark, thousands written with dots (a doubt: stage/doubts_figures.py).
        written += "0"
    return written


def _french(message: str) -> str:
    return next((french for english, french in _FRENCH if message.startswith(english)), message)
