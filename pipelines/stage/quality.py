"""Quality warnings beside the hard errors: what passes the schema yet looks wrong to a reader.

A warning never rejects a row. Three kinds still stop a submission (see `BLOCKING_CODES`):
personal data anywhere in the file, because raw/ is published as is, a manifest still
holding the placeholders `mille-jours new-source` left for the contributor to fill, and a doubt
about the reading (pipelines/stage/doubts.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.common import personal
from pipelines.common.doubts import DOUBT_CODES
from pipelines.common.patterns import KEY_CHARS
from pipelines.common.problems import Problem
from pipelines.common.text import french_euros, text_keys
from pipelines.common.values import funder_code
from pipelines.read.layout import PLACE, ROW, RawTable
from pipelines.read.manifest import Manifest
from pipelines.stage.cell_search import as_text, contains, warning
from pipelines.stage.personal_data import UNINSPECTED_CODE, personal_data

# What `new-source` writes where only the contributor knows the answer.
TODO = "À COMPLÉTER"

PERSONAL_CODES = frozenset(
    {*personal.KINDS, "personal_column", "beneficiary_is_email", UNINSPECTED_CODE}
)
TODO_CODE = "manifest_todo"
BLOCKING_CODES = PERSONAL_CODES | {TODO_CODE} | DOUBT_CODES

# The patterns live in pipelines.common.personal; named here for the stage's tests and callers.
EMAIL, PHONE, _SIEVE = personal.EMAIL, personal.PHONE, personal.SIEVE
mask = personal.mask


def quality_warnings(
    manifest: Manifest, raw: RawTable, frame: pd.DataFrame, accepted: pd.DataFrame
) -> list[Problem]:
    """Every warning of one source: `raw` is the whole file, `frame` its data rows after the filter."""
    place_of = _PlaceOf(raw.frame)
    warnings = _manifest_todos(manifest)
    if manifest.table in ("awards", "campaign_budgets") and len(accepted):
        warnings += _amounts(manifest, accepted, place_of)
    if manifest.table == "awards" and len(accepted):
        warnings += _names(manifest, accepted, place_of)
    warnings += _duplicates(raw, frame)
    flagged = {(w.row, w.column) for w in warnings if w.code == "beneficiary_is_email"}
    warnings += [w for w in personal_data(raw) if (w.row, w.column) not in flagged]
    return warnings


class _PlaceOf:
    """Row number → place, as `dict(zip(frame[ROW], frame[PLACE]))`, built on the first look-up only:
    most sources have no warning to place, and their rows need not be walked one by one."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self._frame = frame
        self._places: dict | None = None

    def get(self, row: Any, default: Any = None) -> Any:
        if self._places is None:
            self._places = dict(zip(self._frame[ROW].tolist(), self._frame[PLACE].tolist()))
        return self._places.get(row, default)


def _amount_header(manifest: Manifest, funder: Any) -> str | None:
    by_funder = {funder_code(f): h for f, h in manifest.funder_amount_columns.items()}
    return by_funder.get(funder) or manifest.mapped_columns.get("amount_eur")


def _amounts(manifest: Manifest, accepted: pd.DataFrame, place_of: _PlaceOf) -> list[Problem]:
    out = []
    envelope, envelope_key = manifest.campaign.envelope_eur, "campaign.envelope_eur"
    if envelope is None:
        envelope, envelope_key = manifest.declared.total_amount_eur, "declared.total_amount_eur"
    amounts = accepted["amount_eur"]
    flagged = amounts.eq(0)
    if manifest.table == "awards" and envelope:
        flagged |= amounts.gt(envelope)
    # Vectorized first: a source of a million lines has only a handful of such rows.
    for i in flagged[flagged.fillna(False).astype(bool)].index:
        row, amount = accepted.at[i, "source_row"], float(amounts[i])
        header = _amount_header(
            manifest, accepted.at[i, "funder"] if "funder" in accepted else None
        )
        if amount == 0:
            out.append(
                warning(
                    row,
                    place_of.get(row),
                    header,
                    "0",
                    "montant de 0 € : projet non financé, ou montant oublié ?",
                    "écrire le montant accordé ; laisser la cellule vide s'il n'est "
                    "pas publié ; retirer la ligne si le projet n'a pas été financé",
                    "amount_zero",
                )
            )
        else:
            assert envelope is not None  # besides zeros, only amounts above it are flagged
            out.append(
                warning(
                    row,
                    place_of.get(row),
                    header,
                    french_euros(amount),
                    f"montant {french_euros(amount)} supérieur à toute l'enveloppe de la campagne "
                    f"({french_euros(envelope)}, {envelope_key})",
                    "vérifier le montant (un zéro de trop ? des centimes sans virgule ? read.decimal) "
                    f"ou corriger {envelope_key} dans le manifeste",
                    "amount_above_envelope",
                )
            )
    return out


def _emails(values: pa.Array) -> np.ndarray:
    """Cells holding an e-mail address. Arrow finds the « @ » first: compiling the whole pattern
    costs more than checking a small source, and few cells are left for it."""
    found = contains(values, "@")
    if found.any():
        found[found] = [
            EMAIL.search(text) is not None for text in values.filter(pa.array(found)).to_pylist()
        ]
    return found


def _may_share_key(a: pa.Array, b: pa.Array) -> np.ndarray:
    """False where two texts cannot have the same key: both start with an ASCII letter or digit, and
    not the same one (a key starts with that character, lower-cased). Spares `_keys` most rows.

    The first character is cut before lower-casing: Arrow lower-cases one code point into one, so
    that is the first character of the lower-cased text, without lower-casing whole texts."""

    def first(text: pa.Array) -> pa.Array:
        return pc.utf8_lower(pc.utf8_slice_codeunits(text, 0, 1))

    x, y = first(a), first(b)
    plain = pc.and_(
        pc.match_substring_regex(x, f"^[{KEY_CHARS}]"),
        pc.match_substring_regex(y, f"^[{KEY_CHARS}]"),
    )
    return pc.fill_null(pc.or_(pc.invert(plain), pc.equal(x, y)), True).to_numpy(
        zero_copy_only=False
    )


def _keys(values: pd.Series | pa.Array) -> pa.Array:
    """text_key of every cell, by Arrow where it keys a cell alike (pipelines.common.text.text_keys)."""
    return text_keys(as_text(values))


def _names(manifest: Manifest, accepted: pd.DataFrame, place_of: _PlaceOf) -> list[Problem]:
    out: list[Problem] = []
    headers = manifest.mapped_columns
    if "beneficiary_name" not in accepted:
        return out
    # A line split per funder is one line of the file. Arrays, not frames: a small source's whole
    # check costs less than a few pandas selections.
    lines = accepted if accepted["source_row"].is_unique else accepted.drop_duplicates("source_row")
    rows = lines["source_row"].to_numpy()
    names = as_text(lines["beneficiary_name"])
    is_email = _emails(names)
    for i in np.flatnonzero(is_email):
        out.append(
            warning(
                rows[i],
                place_of.get(rows[i]),
                headers.get("beneficiary_name"),
                mask(names[i].as_py()),
                "le nom du bénéficiaire est une adresse e-mail (donnée personnelle)",
                "écrire le nom de la structure porteuse (raison sociale) et retirer l'adresse "
                "e-mail du fichier",
                "beneficiary_is_email",
            )
        )
    if "project_title" in lines:
        titles = as_text(lines["project_title"])
        both = np.flatnonzero(
            pc.and_(names.is_valid(), titles.is_valid()).to_numpy(zero_copy_only=False) & ~is_email
        )
        both = both[_may_share_key(names.take(both), titles.take(both))]
        keys = _keys(names.take(both))
        same = pc.and_(pc.equal(keys, _keys(titles.take(both))), pc.not_equal(keys, ""))
        for i in both[pc.fill_null(same, False).to_numpy(zero_copy_only=False)]:
            out.append(
                warning(
                    rows[i],
                    place_of.get(rows[i]),
                    headers.get("project_title"),
                    titles[i].as_py(),
                    "l'intitulé du projet reprend le nom du bénéficiaire",
                    "écrire l'intitulé du projet tel que publié, ou laisser la cellule vide s'il "
                    "n'est pas publié",
                    "title_is_beneficiary",
                )
            )
    return out


def _duplicates(raw: RawTable, frame: pd.DataFrame) -> list[Problem]:
    """A data line repeated cell for cell: a copy-paste, or two projects that must be told apart."""
    labels = [c for c in frame.columns if c not in (ROW, PLACE)]
    duplicated = _duplicated(
        frame, labels
    )  # vectorized; few rows, most often none, are left to look at
    if not duplicated.any():
        return []
    repeated = frame[duplicated]
    first: dict[tuple, int] = {}
    out = []
    for row, place, *values in repeated[[ROW, PLACE, *labels]].itertuples(index=False):
        key = tuple("" if v is None or v != v else v for v in values)
        if key in first:
            out.append(
                warning(
                    row,
                    place,
                    None,
                    None,
                    f"ligne identique à la ligne {first[key]}",
                    "supprimer le doublon ; si ce sont deux projets distincts, les distinguer "
                    "(intitulé, montant)",
                    "duplicate_row",
                )
            )
        else:
            first[key] = int(row)
    return out


def _duplicated(frame: pd.DataFrame, labels: list[str]) -> np.ndarray:
    """`frame[labels].fillna("").duplicated(keep=False)`, by Arrow: each column dictionary-encoded,
    the codes combined into one integer per row, and that integer looked for twice."""
    if not labels or not len(frame):
        return np.zeros(len(frame), dtype=bool)
    key, size = np.zeros(len(frame), dtype=np.int64), 1
    for label in labels:
        text = pc.fill_null(pa.array(frame[label], type=pa.large_string(), from_pandas=True), "")
        encoded = pc.dictionary_encode(text)
        cardinality = len(encoded.dictionary)
        if cardinality == len(frame):  # a column without a repeated cell: no line is repeated
            return np.zeros(len(frame), dtype=bool)
        if size * cardinality >= 2**62:  # keep the combined code within int64: renumber it first
            key, uniques = pd.factorize(key)
            key, size = key.astype(np.int64), len(uniques)
        key = key * cardinality + encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        size *= cardinality
    return pd.Series(key).duplicated(keep=False).to_numpy()


def _manifest_todos(manifest: Manifest) -> list[Problem]:
    """Keys still holding the `new-source` placeholder: the manifest is not finished."""
    out = []
    for key, value in _walk(manifest.model_dump(mode="json")):
        if isinstance(value, str) and TODO in value:
            out.append(
                warning(
                    None,
                    f"manifeste, clé {key}",
                    None,
                    value,
                    f"{key} reste à compléter",
                    f"remplacer « {TODO} » par la bonne valeur (voir raw/README.md)",
                    TODO_CODE,
                )
            )
    return out


def _walk(data: Any, prefix: str = ""):
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _walk(v, f"{prefix}.{k}" if prefix else str(k))
    elif isinstance(data, (list, tuple)):
        for i, v in enumerate(data):
            yield from _walk(v, f"{prefix}[{i}]")
    else:
        yield prefix, data
