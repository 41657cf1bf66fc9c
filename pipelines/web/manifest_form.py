"""The page's forms applied to the drafted manifest: the same YAML `mille-jours new-source` writes,
its French comments kept (ruamel.yaml round-trip), its keys set from what the contributor chose."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from pipelines.common.doubts import DOUBT_CODES
from pipelines.stage.quality import TODO
from schemas.licences import LICENCES as LICENCE_LIST
from schemas.vocabularies import ANNOUNCED_QUALIFIERS, CAMPAIGN_KIND_LABELS
from schemas.vocabularies import FUNDERS as FUNDER_LIST

# The canonical fields a list's column can be mapped to, as the form offers them.
MAPPED_FIELDS = {
    "beneficiary_name": "Bénéficiaire (structure porteuse)",
    "project_title": "Intitulé du projet",
    "department": "Département",
    "amount_eur": "Montant accordé (€)",
    "siret": "SIRET",
    "rna": "Numéro RNA",
    "theme": "Thème",
    "volet": "Volet",
    "funder": "Financeur",
    "year": "Année de chaque ligne",
}
LICENCES = {licence.id: licence.title for licence in LICENCE_LIST}
KINDS = CAMPAIGN_KIND_LABELS
QUALIFIERS = dict(
    zip(ANNOUNCED_QUALIFIERS, ("exact", "au moins (a minima)", "au plus (jusqu'à)", "environ"))
)
FUNDERS = {f.code: f.name for f in FUNDER_LIST}
# Reading options the form offers, as read: keys (free text, checked by the manifest's own schema).
READ_TEXT = {
    "sheet": "Feuille à lire (nom ou numéro)",
    "pages": "Pages à lire (ex. 2-5)",
    "table": "Tableau à lire dans la page (numéro)",
}
READ_CHOICES = {
    "decimal": (
        "Séparateur décimal des montants",
        {",": "virgule (12 500,50)", ".": "point (12,500.50)"},
    ),
    "amount_unit": (
        "Unité des montants",
        {"€": "euros", "k€": "milliers d'euros (k€)", "M€": "millions d'euros (M€)"},
    ),
    "hidden": (
        "Lignes masquées du classeur",
        {"": "le fichier n'en a pas", "skip": "les laisser de côté", "keep": "les lire"},
    ),
}


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    return yaml


def read(path: Path) -> CommentedMap:
    return _yaml().load(path.read_text(encoding="utf-8"))


def write(path: Path, data: CommentedMap) -> None:
    out = io.StringIO()
    _yaml().dump(data, out)
    path.write_text(out.getvalue(), encoding="utf-8")


def values(data: CommentedMap) -> dict[str, Any]:
    """What the form shows: the manifest's values, a placeholder shown as an empty field."""
    source, campaign = data.get("source", {}), data.get("campaign", {})
    declared = data.get("declared") or {}

    def shown(value: Any) -> str:
        text = "" if value is None else str(value)
        return "" if TODO in text else text

    return {
        "publisher": shown(source.get("publisher")),
        "url": shown(source.get("url")),
        "retrieved": shown(source.get("retrieved")),
        "licence": shown(source.get("licence")),
        "title": shown(campaign.get("title")),
        "kind": shown(campaign.get("kind")) or "call",
        "envelope_eur": shown(campaign.get("envelope_eur")),
        "envelope_qualifier": shown(campaign.get("envelope_qualifier")) or "exact",
        "awards_count": shown(declared.get("awards_count")),
        "awards_count_qualifier": shown(declared.get("awards_count_qualifier")) or "exact",
        "total_amount_eur": shown(declared.get("total_amount_eur")),
        "total_amount_qualifier": shown(declared.get("total_amount_qualifier")) or "exact",
        "partial": bool(data.get("partial")),
        "funder": shown((data.get("defaults") or {}).get("funder")) or "NC",
        "header_row": shown((data.get("read") or {}).get("header_row")),
        "read": {k: shown(v) for k, v in (data.get("read") or {}).items()},
        "columns": {k: v for k, v in (data.get("columns") or {}).items() if isinstance(v, str)},
        "by_funder": dict((data.get("columns") or {}).get("amount_eur_by_funder") or {}),
        "filter_column": shown((data.get("filter") or {}).get("column")),
        "filter_keep": " ; ".join(str(v) for v in (data.get("filter") or {}).get("keep") or []),
        "ignore": list(data.get("ignore") or []),
    }


def apply_mapping(data: CommentedMap, form: Mapping[str, str], headers: list[str]) -> None:
    """Columns chosen in the selects (one per field, a header of the file or nothing); the header
    row when given. A header not in the file is never written."""
    columns = CommentedMap()
    for name in MAPPED_FIELDS:
        header = form.get(f"col_{name}", "")
        if header and header in headers:
            columns[name] = header
    data["columns"] = columns
    by_funder = CommentedMap(
        (code, form[f"funder_col_{code}"])
        for code in FUNDERS
        if form.get(f"funder_col_{code}", "") in headers
    )
    if by_funder:
        columns["amount_eur_by_funder"] = by_funder
    _read_options(data.setdefault("read", CommentedMap()), form)
    _filter(data, form, headers)
    ignored = [h for h in headers if form.get(f"ignore_{headers.index(h)}") == "on"]
    if ignored:
        data["ignore"] = ignored
    elif "ignore" in data:
        del data["ignore"]


def _filter(data: CommentedMap, form: Mapping[str, str], headers: list[str]) -> None:
    """Only the rows whose column holds one of the values kept (e.g. « accepté » in an export)."""
    if "filter_column" not in form:
        return
    column = form.get("filter_column", "")
    keep = [v.strip() for v in str(form.get("filter_keep", "")).split(";") if v.strip()]
    if column in headers and keep:
        data["filter"] = CommentedMap(column=column, keep=keep)
    elif "filter" in data:
        del data["filter"]


def _read_options(read: CommentedMap, form: Mapping[str, str]) -> None:
    """How to read the file: header row, sheet, pages, decimal mark, unit, hidden rows. An empty
    field removes its key; the manifest's schema judges the values, as for a hand-written one."""
    row = form.get("header_row", "").strip()
    if row.isdigit() and int(row) > 0:
        read["header_row"] = int(row)
    for key in (*READ_TEXT, *READ_CHOICES):
        if key not in form:
            continue
        value = " ".join(str(form.get(key, "")).split())[:200]
        if not value:
            read.pop(key, None)
        elif key == "table" or (key == "sheet" and value.isdigit()):
            read[key] = int(value) if value.isdigit() else value
        else:
            read[key] = value


def apply_confirmed(data: CommentedMap, form: Mapping[str, str]) -> None:
    """Doubts the contributor has looked at and confirmed (« this reading is right »)."""
    chosen = [code for code in DOUBT_CODES if form.get(f"confirm_{code}") == "on"]
    kept = [code for code in data.get("confirmed") or [] if code in DOUBT_CODES]
    confirmed = sorted(set(kept) | set(chosen))
    if confirmed:
        data["confirmed"] = confirmed
    elif "confirmed" in data:
        del data["confirmed"]


def apply_provenance(data: CommentedMap, form: Mapping[str, str]) -> dict[str, str]:
    """The provenance form into the manifest; field → French message for what is missing or wrong."""
    errors: dict[str, str] = {}
    source = data.setdefault("source", CommentedMap())
    campaign = data.setdefault("campaign", CommentedMap())
    for key, target, message in (
        ("publisher", source, "l'organisme qui a publié la liste (ex. ARS Normandie)"),
        ("url", source, "l'adresse de la page publique (https://…)"),
        ("title", campaign, "l'intitulé exact de l'appel"),
    ):
        value = " ".join(form.get(key, "").split())
        if not value:
            errors[key] = f"À compléter : {message}."
        elif key == "url" and not value.startswith(("https://", "http://")):
            errors[key] = "Adresse web attendue, commençant par https://."
        else:
            target[key] = value
    _choice(source, "licence", form, LICENCES, errors)
    _choice(campaign, "kind", form, KINDS, errors)
    _date(source, form, errors)
    data.setdefault("defaults", CommentedMap())["funder"] = (
        form.get("funder") if form.get("funder") in FUNDERS else "NC"
    )
    _figure(campaign, "envelope_eur", "envelope_qualifier", form, errors, float)
    declared = data.get("declared") or CommentedMap()
    _figure(declared, "awards_count", "awards_count_qualifier", form, errors, int)
    _figure(declared, "total_amount_eur", "total_amount_qualifier", form, errors, float)
    if declared:
        data["declared"] = declared
    data["partial"] = form.get("partial") == "on"
    return errors


def _choice(target: CommentedMap, key: str, form: Mapping[str, str], allowed, errors) -> None:
    if form.get(key) in allowed:
        target[key] = form[key]
    else:
        errors[key] = "Choisir une valeur de la liste."


def _date(source: CommentedMap, form: Mapping[str, str], errors: dict[str, str]) -> None:
    import datetime as dt

    try:
        source["retrieved"] = dt.date.fromisoformat(form.get("retrieved", ""))
    except ValueError:
        errors["retrieved"] = "Date du téléchargement attendue (AAAA-MM-JJ)."


def _figure(target, key: str, qualifier: str, form, errors: dict[str, str], kind) -> None:
    """An announced figure with its wording (exact, au moins, au plus, environ); empty: not announced."""
    text = form.get(key, "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    if not text:
        target.pop(key, None)
        target.pop(qualifier, None)
        return
    try:
        value = kind(float(text)) if kind is int else float(text)
        if value < 0:
            raise ValueError
    except ValueError:
        errors[key] = "Nombre attendu (ex. 300000), ou rien si l'éditeur n'annonce pas ce chiffre."
        return
    target[key] = value
    wording = form.get(qualifier, "exact")
    target[qualifier] = wording if wording in QUALIFIERS else "exact"
