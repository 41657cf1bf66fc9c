"""The awards in the 16 columns of SCDL « Subventions » 2.1.1, one row per funder line.

Every filled cell is a fact from the awards table or from the programme itself (its grants are
credits paid in euros); what the sources do not say stays empty, never guessed. Several fields
that 2.1.1 marks as required are therefore empty (no SIRET of the funding services, no dates, no
payment terms): the export is a *partial* SCDL. Its Table Schema in the package is the 2.1.1
schema (schemas/scdl_subventions_2_1_1.json) with `required` lifted on exactly those fields, so
that frictionless still checks every type, pattern, list of values and length.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

import schemas
from pipelines.publish.files import guard_formula, write_parquet

NAME = "scdl_subventions"
PATH = f"data/{NAME}.csv"
PARQUET_PATH = f"data/{NAME}.parquet"
SPEC_PATH = Path(schemas.__file__).parent / "scdl_subventions_2_1_1.json"

# The programme's grants are regional credits (FIR, programme 304, stratégie pauvreté) paid in euros.
NATURE = "aide en numéraire"
# Each award line names one beneficiary as published and its amount is not split further.
SHARE = 1

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
}

# How each of the 16 columns is filled, for the dataset README ("" : left empty, never guessed).
FILLED_FROM: dict[str, str] = {
    "nomAttribuant": "nom du financeur (table funders), suivi de la région pour les services régionaux "
                     "(ARS, DREETS, DEETS, commissaire, DRAC)",
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
    "pourcentageSubvention": f"{SHARE} : chaque ligne nomme un bénéficiaire, et son montant n'est pas partagé",
    "dispositifAide": "",
}

# Regional services are named after their region ("Agence régionale de santé Pays de la Loire").
REGIONAL_FUNDERS = {"ARS", "DREETS", "DEETS", "COMMISSAIRE_PAUVRETE", "DRAC"}
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
            field["description"] += f" Obligatoire dans SCDL 2.1.1 ; ici {LEFT_EMPTY[field['name']]}."
            if not field["constraints"]:
                del field["constraints"]
        fields.append(field)
    return {"fields": fields, "missingValues": spec["missingValues"]}


def resource_descriptor() -> dict[str, Any]:
    """The export's entry in datapackage.json (bytes and hash are added by the package)."""
    empty = ", ".join(LEFT_EMPTY)
    return {
        "name": NAME,
        "type": "table",
        "path": PATH,
        "scheme": "file",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": "Subventions au format SCDL « Subventions » 2.1.1 (partiel)",
        "description": (
            "La table awards dans les 16 colonnes de SCDL « Subventions » 2.1.1, une ligne par "
            "projet et par financeur. Export partiel : des champs obligatoires de 2.1.1 restent "
            f"vides quand aucune source ne les donne ({empty}) ; rien n'est estimé. "
            "Voir le README du paquet."),
        "scdl": {"schema": "scdl/subventions", "version": "2.1.1", "conformance": "partial",
                 "requiredLeftEmpty": list(LEFT_EMPTY)},
        "schema": published_schema(),
    }


def _attribuant(funder: str, region: str, funder_names: dict[str, str]) -> str | None:
    if funder == "NC":
        return None
    name = funder_names[funder]
    return f"{name} {region}" if funder in REGIONAL_FUNDERS else name


def _objet(title: Any) -> str | None:
    if not isinstance(title, str) or not title.strip():
        return None
    title = title.strip()
    return title if len(title) <= OBJET_MAX else title[:OBJET_MAX - 1].rstrip() + "…"


def _dtype(field: dict[str, Any]) -> str:
    return {"number": "Float64", "boolean": "boolean"}.get(field["type"], "str")


def export_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One SCDL row per award line, typed, in the 16 columns of 2.1.1 and the awards' order."""
    regions = dict(zip(tables["regions"]["region_code"], tables["regions"]["region_name"]))
    funder_names = dict(zip(tables["funders"]["funder"], tables["funders"]["funder_name"]))
    rows = [{
        "nomAttribuant": _attribuant(a.funder, regions[a.region_code], funder_names),
        "nomBeneficiaire": a.beneficiary_name,
        "idBeneficiaire": a.beneficiary_siret,
        "rnaBeneficiaire": a.beneficiary_rna,
        "objet": _objet(a.project_title),
        "montant": a.amount_eur,
        "nature": NATURE,
        "pourcentageSubvention": SHARE,
    } for a in tables["awards"].itertuples(index=False)]
    frame = pd.DataFrame(rows, columns=columns())
    return frame.astype({f["name"]: _dtype(f) for f in spec_schema()["fields"]})


def _cell(value: Any, field: dict[str, Any]) -> str:
    if value is None or pd.isna(value):
        return ""
    if field["name"] == "montant":
        return f"{float(value):.2f}"  # euros and cents, as the specification's examples
    if field["type"] == "number":
        return f"{float(value):g}"  # a share: 1, 0.45
    if field["type"] == "boolean":
        return "oui" if value else "non"  # the trueValues / falseValues of 2.1.1
    return guard_formula(str(value))  # the same guard as every CSV of the package


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The export as written in the CSV: point decimal, oui/non, empty for unknown."""
    return pd.DataFrame({f["name"]: [_cell(v, f) for v in frame[f["name"]]] for f in spec_schema()["fields"]},
                        columns=columns(), dtype="str")


def field_summary(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """Per SCDL column: required in 2.1.1 or not, how it is filled, in how many rows."""
    frame = export_frame(tables)
    return [{"name": f["name"], "type": f["type"], "required": f.get("constraints", {}).get("required", False),
             "filled_from": FILLED_FROM[f["name"]], "why_empty": LEFT_EMPTY.get(f["name"], ""),
             "filled": int(frame[f["name"]].notna().sum()), "rows": len(frame)}
            for f in spec_schema()["fields"]]


def write_export(tables: dict[str, pd.DataFrame], data_dir: Path) -> None:
    """data/scdl_subventions.csv (the SCDL file) and its typed Parquet twin, as for every table."""
    frame = export_frame(tables)
    csv_frame(frame).to_csv(data_dir / f"{NAME}.csv", index=False, encoding="utf-8", lineterminator="\n")
    write_parquet(frame, data_dir / f"{NAME}.parquet", [(f["name"], f["type"]) for f in spec_schema()["fields"]])
