"""Where a JSON file keeps its records, and each record as one row of text cells.

Parsed numbers are already text (see `pipelines.read.readers.json`): a value is a str, None, a
bool, an object or a list.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NoReturn

from pipelines.common.problems import SourceError

TOP_LIST = "liste JSON"
MAX_DEPTH = 10  # objects nested in a record: `porteur.adresse.commune` is three levels
_SEARCH_DEPTH = 4  # how deep under the top-level object a list of records is looked for
# Lists a portal adds beside its records: links to other pages, facets (OpenDataSoft v1).
_PORTAL_LISTS = {"links", "facet_groups"}
# (keys leading to a record's own fields, the other keys a portal puts beside them)
_WRAPPERS = (
    (("fields",), {"datasetid", "recordid", "record_timestamp", "geometry"}),  # OpenDataSoft v1
    (("record", "fields"), {"links"}),  # OpenDataSoft API v2.0
    (("properties",), {"type", "geometry", "id", "bbox"}),  # GeoJSON features
)
_FLAT = (
    "déposer l'export « à plat » du portail (une ligne par projet : CSV, ou JSON sans liste "
    "d'objets dans un enregistrement)"
)


def records_of(path: Path, data: Any, chosen: str | None) -> tuple[str, list[Any]]:
    """The list of records and its place: the whole file, the one list of objects under its keys,
    or the list `read.records` names."""
    if chosen is not None:
        return _chosen(path, data, chosen)
    if isinstance(data, list):
        return TOP_LIST, _non_empty(path, TOP_LIST, data)
    if not isinstance(data, dict):
        raise SourceError(
            path,
            f"le fichier JSON ne contient qu'une valeur ({kind(data)}), pas une liste "
            "d'enregistrements",
            fix="déposer l'export JSON de la liste (une liste d'objets, un par projet)",
        )
    found = record_lists(data)
    if not found:
        raise SourceError(
            path,
            "aucune liste d'enregistrements (objets) dans le fichier JSON",
            fix="déposer l'export JSON de la liste (une liste d'objets, un par projet), ou son "
            "export CSV",
        )
    if len(found) > 1:
        raise SourceError(
            path,
            "plusieurs listes d'enregistrements dans le fichier JSON : "
            + ", ".join(f"« {key} » ({len(items)})" for key, items in found),
            place="manifeste, read.records",
            fix=f"choisir la liste des lauréats avec read.records (ex. read.records: {found[0][0]})",
        )
    key, items = found[0]
    return f"clé {key}", _non_empty(path, f"clé {key}", items)


def record_lists(data: dict[str, Any]) -> list[tuple[str, list]]:
    """The lists that may be the records: an empty list or a portal's links beside a list of
    objects are no choice."""
    found = candidate_lists(data)
    if len(found) > 1:
        found = [f for f in found if f[1]] or found
        found = [f for f in found if f[0].rsplit(".", 1)[-1] not in _PORTAL_LISTS] or found
    return found


def candidate_lists(
    data: dict[str, Any], prefix: str = "", depth: int = 0
) -> list[tuple[str, list]]:
    """Every list that is empty or holds objects, under the keys of objects (not inside lists),
    with its dotted path: `read.records` names one of them."""
    found: list[tuple[str, list]] = []
    for key, value in data.items():
        if isinstance(value, list) and (not value or any(isinstance(v, dict) for v in value)):
            found.append((prefix + key, value))
        elif isinstance(value, dict) and depth < _SEARCH_DEPTH:
            found += candidate_lists(value, f"{prefix}{key}.", depth + 1)
    return found


def _chosen(path: Path, data: Any, chosen: str) -> tuple[str, list[Any]]:
    node = data
    for part in chosen.split("."):
        if not isinstance(node, dict) or part not in node:
            lists = candidate_lists(data) if isinstance(data, dict) else []
            offer = ", ".join(key for key, _ in lists) or "aucune liste d'objets sous une clé"
            raise SourceError(
                path,
                f"read.records : pas de clé « {chosen} » dans le fichier JSON"
                + (" (le fichier est lui-même la liste)" if isinstance(data, list) else ""),
                place="manifeste, read.records",
                fix="retirer read.records"
                if isinstance(data, list)
                else f"donner le chemin d'une liste d'objets du fichier : {offer}",
            )
        node = node[part]
    if not isinstance(node, list):
        raise SourceError(
            path,
            f"read.records : « {chosen} » est {kind(node)}, pas une liste d'enregistrements",
            place="manifeste, read.records",
            fix="donner le chemin de la liste des lauréats (ex. data, results, result.records)",
        )
    return f"clé {chosen}", _non_empty(path, f"clé {chosen}", node)


def _non_empty(path: Path, place: str, records: list[Any]) -> list[Any]:
    if not records:
        raise SourceError(
            path,
            "la liste d'enregistrements est vide : aucun lauréat",
            place=place,
            fix="télécharger de nouveau l'export une fois la liste publiée (filtre trop strict ?)",
        )
    return records


def flat_records(path: Path, place: str, records: list[Any]) -> tuple[list[dict], list[str]]:
    """Each record as {dotted key: text or None}, and every key in the order first seen."""
    for n, record in enumerate(records, 1):
        if not isinstance(record, dict):
            raise SourceError(
                path,
                f"l'élément {n} de la liste est {kind(record)}, pas un objet (un enregistrement)",
                place=f"{place}, enregistrement {n}",
                fix=_FLAT,
            )
    records = _opened(records)
    rows = []
    for n, record in enumerate(records, 1):
        row: dict[str, str | None] = {}
        _into(row, record, "", 0, (path, place, n))
        rows.append(row)
    keys = list(dict.fromkeys(key for row in rows for key in row))
    return rows, keys


def _opened(records: list[dict]) -> list[dict]:
    """The records' own fields, when a portal wraps every record the same way."""
    for keys, others in _WRAPPERS:
        inner = []
        for record in records:
            value: Any = record
            for key in keys:
                value = value.get(key) if isinstance(value, dict) else None
            if not isinstance(value, dict) or not set(record) - {keys[0]} <= others:
                break
            inner.append(value)
        else:
            return inner
    return records


def _into(
    row: dict[str, str | None], record: dict, prefix: str, depth: int, at: tuple[Path, str, int]
) -> None:
    for key, value in record.items():
        name = prefix + key
        if isinstance(value, dict):
            if depth >= MAX_DEPTH:
                _refuse(at, f"objets imbriqués sur plus de {MAX_DEPTH} niveaux (clé « {name} »)")
            _into(row, value, name + ".", depth + 1, at)
            continue
        if name in row:
            _refuse(at, f"deux valeurs pour la colonne « {name} » (une clé à points et un objet)")
        if value is None or isinstance(value, str):
            row[name] = value
        elif isinstance(value, bool):
            row[name] = "true" if value else "false"
        else:
            row[name] = _joined(value, name, at)


def _joined(values: list, name: str, at: tuple[Path, str, int]) -> str | None:
    """A list of values (« parentalité », « éveil ») as one cell: « parentalité ; éveil »."""
    parts = []
    for value in values:
        if isinstance(value, (dict, list)):
            inner = "d'objets" if isinstance(value, dict) else "de listes"
            _refuse(
                at, f"la clé « {name} » contient une liste {inner} : une cellule ne la tient pas"
            )
        if isinstance(value, bool):
            parts.append("true" if value else "false")
        elif value is not None:
            parts.append(value)
    return " ; ".join(parts) or None


def _refuse(at: tuple[Path, str, int], message: str) -> NoReturn:
    path, place, n = at
    raise SourceError(path, message, place=f"{place}, enregistrement {n}", fix=_FLAT)


def kind(value: Any) -> str:
    """What a JSON value is, in French: « un texte », « un nombre »… (numbers are parsed as text)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "un booléen (true/false)"
    if isinstance(value, str):
        return "un nombre ou un texte"
    return "une liste" if isinstance(value, list) else "un objet"
