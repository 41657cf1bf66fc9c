"""The awards in the 16 columns of SCDL « Subventions » 2.1.1, one row per funder line, in two files.

Every filled cell is a fact from the awards table or from the programme itself (its grants are
credits paid in euros); what the sources do not say stays empty, never guessed. A row goes in the
file named after the schema, `scdl_subventions.csv`, only when it passes the checks Validata runs
for 2.1.1 (the schema's types, patterns and required fields, then its custom checks: SIRET keys,
idBeneficiaire or rnaBeneficiaire); that file is published with the 2.1.1 schema unchanged. Every
other row goes in `scdl_subventions_partiel.csv`, published with `required` lifted on the fields
the sources do not give (LEFT_EMPTY), so that frictionless still checks every type, pattern, list
of values and length; the dataset README lists, per required field, how many rows miss it.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
from stdnum.fr import siret as stdnum_siret

import schemas
from pipelines.publish.files import guard_formula, is_blank, write_parquet

NAME = "scdl_subventions"
PATH = f"data/{NAME}.csv"
PARQUET_PATH = f"data/{NAME}.parquet"
PARTIAL_NAME = "scdl_subventions_partiel"
PARTIAL_PATH = f"data/{PARTIAL_NAME}.csv"
SPEC_PATH = Path(schemas.__file__).parent / "scdl_subventions_2_1_1.json"

# The programme's grants are regional credits (FIR, programme 304, stratégie pauvreté) paid in euros.
NATURE = "aide en numéraire"

# Required in 2.1.1 yet not given by the sources, with why: left empty in the export.
LEFT_EMPTY: dict[str, str] = {
    "nomAttribuant": "vide quand la source ne dit pas quel financeur porte la ligne (financeur NC)",
    "idAttribuant": "le SIRET des ARS, DREETS et commissaires n'est donné par aucune source",
    "dateConvention": "aucune source ne publie la date des conventions",
    "objet": "vide quand la source ne donne pas l'intitulé du projet",
    "montant": "vide quand l'éditeur n'a pas publié le montant (jamais estimé)",
    "conditionsVersement": "aucune source ne publie les conditions de versement",
    "datesPeriodeVersement": "aucune source ne publie les dates de versement",
    "notificationUE": "aucune source ne dit si l'aide a été notifiée à la Commission européenne",
    "pourcentageSubvention": "aucune source ne dit quelle part de la subvention revient à chaque "
    "bénéficiaire (des projets sont portés à plusieurs)",
}

# How each of the 16 columns is filled, for the dataset README ("" : left empty, never guessed).
FILLED_FROM: dict[str, str] = {
    "nomAttribuant": "nom du financeur (table funders), suivi de la région pour les services régionaux "
    "(ARS, DREETS, DEETS, commissaire, DRAC, conseil régional)",
    "idAttribuant": "",
    "dateConvention": "",
    "referenceDecision": "",
    "nomBeneficiaire": "awards.beneficiary_name",
    "idBeneficiaire": "awards.beneficiary_siret",
    "rnaBeneficiaire": "awards.beneficiary_rna",
    "objet": "awards.project_title (coupé à 256 caractères, coupe signalée par « … »)",
    "montant": "awards.amount_eur",
    "nature": f"« {NATURE} » : les crédits du programme (FIR, programme 304, stratégie pauvreté) sont "
    "versés en euros",
    "conditionsVersement": "",
    "datesPeriodeVersement": "",
    "idRAE": "",
    "notificationUE": "",
    "pourcentageSubvention": "",
    "dispositifAide": "",
}

# Regional services are named after their region ("Agence régionale de santé Pays de la Loire").
REGIONAL_FUNDERS = {"ARS", "DREETS", "DEETS", "COMMISSAIRE_PAUVRETE", "DRAC", "CONSEIL_REGIONAL"}
OBJET_MAX = 256


@cache
def _spec_text() -> str:
    return SPEC_PATH.read_text(encoding="utf-8")


def spec_schema() -> dict[str, Any]:
    """The 2.1.1 Table Schema as written from the published specification."""
    return json.loads(_spec_text())


def columns() -> list[str]:
    return [f["name"] for f in spec_schema()["fields"]]


def published_schema() -> dict[str, Any]:
    """The schema the export is published with: 2.1.1, `required` lifted on LEFT_EMPTY only."""
    spec = spec_schema()
    fields = []
    for field in copy.deepcopy(spec["fields"]):
        if field["name"] in LEFT_EMPTY:
            field["constraints"].pop("required")
            field["description"] += (
                f" Obligatoire dans SCDL 2.1.1 ; ici {LEFT_EMPTY[field['name']]}."
            )
            if not field["constraints"]:
                del field["constraints"]
        fields.append(field)
    return {"fields": fields, "missingValues": spec["missingValues"]}


def resource_descriptor(partial: bool = False) -> dict[str, Any]:
    """An export's entry in datapackage.json (bytes and hash are added by the package)."""
    scdl = {"schema": "scdl/subventions", "version": "2.1.1"}
    if not partial:
        return _csv_resource(
            NAME,
            PATH,
            "Subventions au format SCDL « Subventions » 2.1.1",
            "Les lignes de awards qui passent tous les contrôles de SCDL « Subventions » 2.1.1 "
            "(ceux de Validata) : schéma 2.1.1 inchangé. Les autres lignes sont dans "
            f"{PARTIAL_PATH} ; voir le README du paquet.",
            {**scdl, "conformance": "full"},
            spec_schema_for_package(),
        )
    return _csv_resource(
        PARTIAL_NAME,
        PARTIAL_PATH,
        "Subventions dans les colonnes SCDL « Subventions » 2.1.1 — export partiel, non conforme",
        "Les lignes de awards qui ne passent pas les contrôles de SCDL « Subventions » 2.1.1, dans "
        "ses 16 colonnes : des champs obligatoires restent vides quand aucune source ne les donne "
        f"({', '.join(LEFT_EMPTY)}) ; rien n'est estimé. Ce fichier n'est pas conforme au schéma ; le README du "
        "paquet dit quels champs manquent.",
        {**scdl, "conformance": "partial", "requiredLeftEmpty": list(LEFT_EMPTY)},
        published_schema(),
    )


def _csv_resource(
    name: str, path: str, title: str, description: str, scdl: dict[str, Any], schema: dict[str, Any]
) -> dict[str, Any]:
    return {
        "name": name,
        "type": "table",
        "path": path,
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": title,
        "description": description,
        "scdl": scdl,
        "schema": schema,
    }


def spec_schema_for_package() -> dict[str, Any]:
    """The 2.1.1 Table Schema as frictionless reads it (Validata's custom checks are kept aside)."""
    return {"fields": spec_schema()["fields"], "missingValues": spec_schema()["missingValues"]}


def _attribuant(
    funder: str, region_code: str, funder_names: dict[str, str], regions: dict[str, str]
) -> str | None:
    if funder == "NC":
        return None
    name = funder_names[funder]
    return f"{name} {regions[region_code]}" if funder in REGIONAL_FUNDERS else name


def _objet(title: Any) -> str | None:
    if not isinstance(title, str) or not title.strip():
        return None
    title = title.strip()
    return title if len(title) <= OBJET_MAX else title[: OBJET_MAX - 1].rstrip() + "…"


def _dtype(field: dict[str, Any]) -> str:
    return {"number": "Float64", "boolean": "boolean"}.get(field["type"], "str")


def export_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One SCDL row per award line, typed, in the 16 columns of 2.1.1 and the awards' order."""
    awards = tables["awards"]
    regions = dict(zip(tables["regions"]["region_code"], tables["regions"]["region_name"]))
    funder_names = dict(zip(tables["funders"]["funder"], tables["funders"]["funder_name"]))
    attribuant = [
        _attribuant(funder, region, funder_names, regions)
        for funder, region in zip(awards["funder"].tolist(), awards["region_code"].tolist())
    ]
    frame = pd.DataFrame(
        {
            "nomAttribuant": attribuant,
            "nomBeneficiaire": awards["beneficiary_name"].to_numpy(),
            "idBeneficiaire": awards["beneficiary_siret"].to_numpy(),
            "rnaBeneficiaire": awards["beneficiary_rna"].to_numpy(),
            "objet": [_objet(title) for title in awards["project_title"].tolist()],
            "montant": awards["amount_eur"].to_numpy(),
            "nature": NATURE,
        },
        columns=columns(),
        index=range(len(awards)),
    )
    return frame.astype({f["name"]: _dtype(f) for f in spec_schema()["fields"]})


def _formatter(field: dict[str, Any]) -> Callable[[Any], str]:
    """How a filled cell of `field` is written."""
    if field["name"] == "montant":
        return lambda value: (
            f"{float(value):.2f}"
        )  # euros and cents, as the specification's examples
    if field["type"] == "number":
        return lambda value: f"{float(value):g}"  # a share: 1, 0.45
    if field["type"] == "boolean":
        return lambda value: "oui" if value else "non"  # the trueValues / falseValues of 2.1.1
    return lambda value: guard_formula(str(value))  # the same guard as every CSV of the package


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The export as written in the CSV: point decimal, oui/non, empty for unknown."""
    # tolist() first, and one formatter per column: cell by cell, pandas' own look-ups cost more
    # than the cells' formatting.
    cells = {}
    for field in spec_schema()["fields"]:
        written = _formatter(field)
        cells[field["name"]] = [
            "" if is_blank(v) else written(v) for v in frame[field["name"]].tolist()
        ]
    return pd.DataFrame(cells, columns=columns(), dtype="str")


def field_summary(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Per SCDL column of the export `frame`: required in 2.1.1 or not, how it is filled, in how many rows."""
    return [
        {
            "name": f["name"],
            "type": f["type"],
            "required": f.get("constraints", {}).get("required", False),
            "filled_from": FILLED_FROM[f["name"]],
            "why_empty": LEFT_EMPTY.get(f["name"], ""),
            "filled": int(frame[f["name"]].notna().sum()),
            "rows": len(frame),
        }
        for f in spec_schema()["fields"]
    ]


def failing_rows(frame: pd.DataFrame, text: pd.DataFrame | None = None) -> dict[int, list[str]]:
    """Row position → what 2.1.1 refuses in it: the checks Validata runs (the schema's constraints
    through frictionless, then its custom checks: SIRET keys, one of idBeneficiaire / rnaBeneficiaire).

    A row with a required cell left empty fails 2.1.1 whatever its other cells hold: it is judged
    here at once, and only the other rows go through frictionless, a row at a time.
    """
    from frictionless import Resource, Schema, system

    text = csv_frame(frame) if text is None else text  # the cells as the CSV writes them
    spec = spec_schema()
    required = [f["name"] for f in spec["fields"] if f.get("constraints", {}).get("required")]
    empty = text[required].isin(spec["missingValues"]).to_numpy()
    problems: dict[int, list[str]] = {
        int(i): [name for name, missing in zip(required, empty[i]) if missing]
        for i in empty.any(axis=1).nonzero()[0]
    }
    candidates = [i for i in range(len(text)) if i not in problems]
    if candidates:
        with system.use_context(trusted=True):
            resource = Resource(
                data=[list(text.columns)] + text.iloc[candidates].to_numpy().tolist(),
                schema=Schema.from_descriptor(spec_schema_for_package()),
            )
            report = resource.validate(limit_errors=10**6)
        for error in report.tasks[0].errors:
            row = getattr(error, "row_number", None)
            if row is None:
                raise ValueError(f"export SCDL : {error.message}")
            problems.setdefault(candidates[row - 2], []).append(
                getattr(error, "field_name", "") or error.type
            )
    for column in ("idAttribuant", "idBeneficiaire"):
        for i, value in enumerate(frame[column].tolist()):
            if isinstance(value, str) and value and not stdnum_siret.is_valid(value):
                problems.setdefault(i, []).append(column)
    for i in (
        (frame["idBeneficiaire"].isna() & frame["rnaBeneficiaire"].isna()).to_numpy().nonzero()[0]
    ):
        problems.setdefault(int(i), []).append("idBeneficiaire ou rnaBeneficiaire")
    return problems


def split_export(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows that pass 2.1.1, the others), each in the awards' order."""
    export = judged(frame)
    return export.conform, export.partial


@dataclass(frozen=True)
class Export:
    """One release's export, judged once: its two files, the README's split and field summary."""

    frame: pd.DataFrame  # every award line, in the awards' order
    conform: pd.DataFrame  # the rows passing 2.1.1
    partial: pd.DataFrame  # the others
    conform_cells: pd.DataFrame  # their cells as the CSV files write them
    partial_cells: pd.DataFrame


def build_export(tables: dict[str, pd.DataFrame]) -> Export:
    return judged(export_frame(tables))


def judged(frame: pd.DataFrame) -> Export:
    frame = frame.reset_index(drop=True)
    text = csv_frame(frame)  # judged as written, and written from the same cells
    passes = pd.Series(True, index=range(len(frame)))
    passes[sorted(failing_rows(frame, text))] = False
    passes = passes.to_numpy()

    def rows(table: pd.DataFrame, keep) -> pd.DataFrame:
        return table[keep].reset_index(drop=True)

    return Export(
        frame, rows(frame, passes), rows(frame, ~passes), rows(text, passes), rows(text, ~passes)
    )


def missing_required(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Per field 2.1.1 requires: in how many rows of the partial export it is empty, and why."""
    return [
        {
            "name": f["name"],
            "missing": int(frame[f["name"]].isna().sum()),
            "rows": len(frame),
            "why": LEFT_EMPTY.get(f["name"], ""),
        }
        for f in spec_schema()["fields"]
        if f.get("constraints", {}).get("required")
    ]


def _fields() -> list[tuple[str, str]]:
    return [(f["name"], f["type"]) for f in spec_schema()["fields"]]


def write_export(export: Export, data_dir: Path) -> None:
    """The SCDL file (rows passing 2.1.1) and the partial export, each as CSV and typed Parquet."""
    for name, frame, cells in (
        (NAME, export.conform, export.conform_cells),
        (PARTIAL_NAME, export.partial, export.partial_cells),
    ):
        cells.to_csv(data_dir / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
        write_parquet(frame, data_dir / f"{name}.parquet", _fields())
