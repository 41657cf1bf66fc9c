"""`mille-jours new-source` on a list over several campaign years: the year column proposed as
`columns.year`, with the campaigns its lines will be published under, for the contributor to check."""

from __future__ import annotations

from pipelines.common.years import campaign_of_year, id_year
from pipelines.contribute.manifest_text import ManifestText
from pipelines.read.layout import RawTable
from pipelines.stage.doubts import years_of_column


def spanned_years(raw: RawTable, labels: list[str]) -> tuple[str, list[int]] | None:
    """The first of `labels` whose values give several campaign years, and those years."""
    for label in labels:
        years = years_of_column(raw, label)
        if years and len(years) > 1:
            return label, years
    return None


def year_proposal(
    label: str, years: list[int], campaign_id: str, title: str, year: int
) -> tuple[str, list[str]]:
    """The comment beside `year: <label>` and the notes printed with the draft."""
    shown = ", ".join(str(y) for y in years)
    if id_year(campaign_id) is None:
        return (
            f"À VÉRIFIER : années {shown} ; écrire une année dans campaign.id, elle y sera "
            "remplacée par celle de chaque ligne",
            [f"« {label} » donne les années {shown} : campaign.id doit contenir une année"],
        )
    ids = ", ".join(campaign_of_year(campaign_id, title, y)[0] for y in years)
    notes = [
        f"« {label} » donne les années {shown} : une campagne par année ({ids}) ; "
        "declared vaut pour tout le fichier"
    ]
    later = [y for y in years if y > year]
    if later:
        notes.append(
            f"des lignes de {', '.join(map(str, later))}, après l'année du dossier ({year}) : "
            f"elles seront rejetées ; ranger le fichier sous l'année de sa publication "
            f"({max(years)} ou après) et relancer new-source avec --year"
        )
    return f"À VÉRIFIER : années {shown} → campagnes {ids}", notes


def year_note(doc: ManifestText, raw: RawTable, columns: dict[str, str], year: int) -> str | None:
    """The comment beside a proposed `columns.year` (the years and the campaigns they will make),
    the key to check and the notes printed with the draft."""
    if "year" not in columns:
        return None
    campaign = doc.root["campaign"]
    years = years_of_column(raw, columns["year"]) or []
    note, notes = year_proposal(columns["year"], years, campaign["id"], campaign["title"], year)
    doc.to_check.append("columns.year")
    doc.notes += notes
    return note
