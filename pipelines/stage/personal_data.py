"""Personal data anywhere in a file — data rows, titles, headers, notes, totals — and columns that
name persons: each a warning that blocks a submission, since raw/ is published as is."""

from __future__ import annotations

from pipelines.common import personal, sieve
from pipelines.common.problems import Problem
from pipelines.common.text import text_key
from pipelines.read.layout import PLACE, ROW, RawTable
from pipelines.stage.cell_search import warning

# A part of the file that could not be searched for personal data (pipelines/stage/personal_file.py).
UNINSPECTED_CODE = "personal_uninspected"

_PERSONAL_FIX = (
    "retirer cette donnée personnelle du fichier avant de le soumettre (raw/ est public) ; "
    "garder seulement les colonnes publiées par l'éditeur"
)


def personal_data(raw: RawTable) -> list[Problem]:
    """Personal data anywhere: data rows (every column), titles, headers, notes, totals.

    Reported once per column and kind, with the count and two masked examples: a contact column
    of 300 lines is one thing to fix, not 300."""
    out = _person_columns(raw)
    frame = raw.frame
    # A cheap vectorized sieve, then the exact patterns on the few cells it lets through.
    for label, candidate in _sieved(frame).items():
        if not candidate.any():
            continue
        hits = [
            (row, place, found)
            for row, place, cell in zip(
                frame.loc[candidate, ROW], frame.loc[candidate, PLACE], frame.loc[candidate, label]
            )
            for found in personal.find(cell)
        ]
        out += _grouped(hits, label, None)
    by_kind: dict[str, list] = {}
    for skipped in raw.skipped:
        if skipped.text:
            by_kind.setdefault(skipped.kind, []).extend(
                (skipped.row, skipped.place, found) for found in personal.find(skipped.text)
            )
    for kind, hits in by_kind.items():
        out += _grouped(hits, None, kind)
    return sorted(out, key=lambda p: (p.place or "", p.row or 0, p.column or ""))


def found_texts(raw: RawTable) -> set[str]:
    """Every piece of personal data the reading's own search finds (data rows, set-aside lines), as
    found: the whole-file inspection does not say them twice."""
    found = set()
    frame = raw.frame
    for label, candidate in _sieved(frame).items():
        if candidate.any():
            found |= {f.text for cell in frame.loc[candidate, label] for f in personal.find(cell)}
    for skipped in raw.skipped:
        if skipped.text:
            found |= {f.text for f in personal.find(skipped.text)}
    return found


def _sieved(frame) -> dict:
    """Each data column's cells that may hold personal data."""
    return sieve.candidates_by_column(frame, [c for c in frame.columns if c not in (ROW, PLACE)])


def _grouped(hits: list, column: str | None, kind: str | None) -> list[Problem]:
    """One warning per kind of data found in one column (or one kind of line outside the table)."""
    out = []
    where = f" ({_KIND_FR.get(kind, kind)})" if kind else ""
    for code in personal.KINDS:
        same = [(row, place, f.text) for row, place, f in hits if f.code == code]
        if not same:
            continue
        rows = sorted({int(r) for r, _, _ in same})
        examples = list(dict.fromkeys(personal.mask(text, code) for _, _, text in same))[:2]
        count = f"{len(same)} occurrences sur {len(rows)} lignes, " if len(same) > 1 else ""
        out.append(
            warning(
                same[0][0],
                same[0][1],
                column,
                ", ".join(examples),
                f"{personal.KINDS[code]} dans le fichier{where} : {count}donnée personnelle",
                _PERSONAL_FIX,
                code,
            )
        )
    return out


def _person_columns(raw: RawTable) -> list[Problem]:
    """Columns that name persons by their header (Civilité, Prénom, Nom beside them, Courriel…)."""
    keys = {
        label: text_key(header) for label, header in zip(raw.frame.columns, raw.labels) if header
    }
    persons = {label for label, key in keys.items() if key in personal.PERSON_HEADERS}
    if persons:
        persons |= {label for label, key in keys.items() if key in personal.NAME_HEADERS}
    out = []
    for label in sorted(persons, key=list(raw.frame.columns).index):
        filled = raw.frame[raw.frame[label].notna()]
        if not len(filled):
            continue
        first = filled.iloc[0]
        out.append(
            warning(
                first[ROW],
                first[PLACE],
                label,
                f"{len(filled)} cellules",
                f"colonne « {label} » : données de personnes ({len(filled)} lignes remplies)",
                "retirer cette colonne du fichier avant de le soumettre (raw/ est public) ; garder "
                "l'original en privé",
                "personal_column",
            )
        )
    return out


_KIND_FR = {
    "title": "ligne de titre",
    "header": "en-tête",
    "note": "note sous le tableau",
    "total": "ligne de total",
    "filtered": "ligne écartée par le filtre",
    "hidden": "ligne masquée",
    "blank": "ligne",
}


def personal_data_in_name(source_id: str) -> list[Problem]:
    """Personal data in the file's own name: it becomes the source's identifier, published as is
    (identifiers are never masked), so the name is renamed rather than the data hidden."""
    found = list(personal.find(source_id.replace("_", " ")))
    if not found:
        return []
    kinds = sorted({personal.KINDS[f.code] for f in found})
    return [
        warning(
            None,
            "nom du fichier",
            None,
            personal.mask(found[0].text, found[0].code),
            f"{', '.join(kinds)} dans le nom du fichier : donnée personnelle",
            "renommer le fichier et son manifeste sans cette donnée (le nom devient l'identifiant "
            "publié de la source)",
            found[0].code,
        )
    ]
