"""The manifest beside each raw file: loaded with a safe loader, checked against its own schema.

The keys and their meaning are the product contract (PRODUCT.md, « Raw contract »).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from pipelines.common.doubts import DOUBT_CODES
from pipelines.common.geography import cog, region_code
from pipelines.common.patterns import item_parts
from pipelines.common.personal import excerpt
from pipelines.common.values import funder_code
from schemas.fields import CAMPAIGN_ID
from schemas.licences import DEFAULT_LICENCE, LICENCE_IDS, LICENCES_BY_ID
from schemas.limits import (
    CAMPAIGN_ID_MAX,
    CAMPAIGN_TITLE_MAX,
    COUNT_CEILING,
    ENVELOPE_CEILING_EUR,
)
from schemas.tables import SOURCE_TABLES
from schemas.vocabularies import (
    ANNOUNCED_QUALIFIERS,
    CAMPAIGN_KINDS,
    SOURCE_FORMATS,
    YEAR_QUALIFIERS,
)

FORMATS = SOURCE_FORMATS
EXTENSIONS = {
    "csv": "csv",
    "txt": "csv",
    "tsv": "csv",
    "xlsx": "xlsx",
    "xlsm": "xlsx",
    "ods": "ods",
    "pdf": "pdf",
    "html": "html",
    "htm": "html",
    "json": "json",
    "docx": "docx",
}
MAX_MANIFEST_CHARS = 100_000
# What `new-source` writes where only the contributor knows the answer.
PLACEHOLDER = "À COMPLÉTER"
# Columns a source never maps: they are set from the manifest or derived at consolidation.
DERIVED_COLUMNS = (
    "award_id",
    "beneficiary_id",
    "campaign_id",
    "region_code",
    "year",
    "year_qualifier",
    "source_id",
    "source_row",
)
DEFAULT_SKIP = (r"^\s*(sous[- ]?)?total\b", r"^\s*montant total\b")
# The name of the sheet a row was read from, as a column a manifest can map (department: "(feuille)").
SHEET_COLUMN = "(feuille)"
# A national campaign (no region): `region: France` in its manifest, under raw/france/.
NATIONAL = ("france", "national", "nationale")
NATIONAL_CODE = "FR"
# Friendlier manifest names for canonical columns (PRODUCT.md writes `department`).
COLUMN_ALIASES = {
    "department": "department_code",
    "siret": "beneficiary_siret",
    "rna": "beneficiary_rna",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceInfo(_Strict):
    publisher: str = Field(min_length=1)
    url: str
    retrieved: dt.date
    licence: str = DEFAULT_LICENCE  # one of schemas/licences.py, nothing else is republished
    note: str | None = None

    @field_validator("publisher")
    @classmethod
    def _publisher(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("l'éditeur de la liste est obligatoire (ex. ARS Normandie)")
        return value.strip()

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if (
            PLACEHOLDER in value
        ):  # a draft of `new-source`: reported as « à compléter », not as wrong
            return value
        if not re.fullmatch(r"https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?", value):
            raise ValueError(
                "adresse web de la source obligatoire, en http:// ou https:// "
                f"(« {excerpt(value)} » n'en est pas une)"
            )
        return value

    @field_validator("licence")
    @classmethod
    def _licence(cls, value: str) -> str:
        value = value.strip()
        if value not in LICENCES_BY_ID:
            raise ValueError(
                f"« {excerpt(value)} » n'est pas une licence acceptée ; identifiants acceptés : "
                f"{', '.join(LICENCE_IDS)} (raw/README.md). Une source sans licence ouverte ne se "
                "reprend que par les chiffres qu'elle cite : information-publique, la citation "
                "dans source.note"
            )
        return value

    @model_validator(mode="after")
    def _quoted_figures_need_their_quote(self) -> SourceInfo:
        if LICENCES_BY_ID[self.licence].needs_note and not (self.note or "").strip():
            raise ValueError(
                f"licence {self.licence} : source.note doit citer les chiffres repris de la "
                "publication (ex. « 12 projets retenus pour 480 000 € », article du 3 mars)"
            )
        return self

    @field_validator("retrieved")
    @classmethod
    def _retrieved(cls, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise ValueError(f"date de consultation {value.isoformat()} dans le futur")
        return value


class Campaign(_Strict):
    id: str = Field(pattern=CAMPAIGN_ID, max_length=CAMPAIGN_ID_MAX)
    title: str = Field(max_length=CAMPAIGN_TITLE_MAX)
    kind: Literal[CAMPAIGN_KINDS] = "call"  # type: ignore[valid-type]
    envelope_eur: float | None = Field(
        default=None, ge=0, le=ENVELOPE_CEILING_EUR, allow_inf_nan=False
    )
    # How the publisher words the envelope: « a minima 370 000 € » is a minimum, not an exact figure.
    envelope_qualifier: Literal[ANNOUNCED_QUALIFIERS] = "exact"  # type: ignore[valid-type]
    # `probable` when the source gives no year and the manifest's year is read from the context.
    year_qualifier: Literal[YEAR_QUALIFIERS] = "exact"  # type: ignore[valid-type]
    application_deadline: dt.date | None = None


class ReadOptions(_Strict):
    format: Literal[FORMATS] | None = None  # type: ignore[valid-type]
    encoding: str | None = None
    delimiter: str | None = None
    decimal: Literal[",", "."] = ","
    # « Montant (k€) »: the file's amounts in thousands (or millions) of euros, multiplied exactly.
    amount_unit: Literal["€", "k€", "M€"] = "€"
    sheet: str | int | None = None
    # One table over several sheets (one per département): "all", or the sheets by name or number.
    sheets: Literal["all"] | tuple[str | int, ...] | None = None
    header_row: int | None = Field(default=None, ge=1)
    header_rows: int | None = Field(
        default=None, ge=1, le=3
    )  # None: one row, or two when the second adds sub-labels
    pages: str | None = None
    table: int | None = Field(default=None, ge=1)  # html, docx: which table (1-based)
    items: str | None = (
        None  # html without <table>: a pattern whose named parts are an item's fields
    )
    skip_rows_matching: tuple[str, ...] = ()
    # csv: a line with more fields than the header has its extra fields joined into this free-text column
    extra_fields_into: str | None = None
    # json: the dotted path of the list of records, when the file holds several lists of objects
    records: str | None = None
    # Headers written once for a group of rows, outermost first: an empty cell takes the value above
    # (pipelines/stage/groups.py); never done unasked, a value left out may also be a missing one.
    fill_down: tuple[str, ...] = ()
    # xlsx, ods: rows, columns and sheets the file hides; skip: set aside (counted), keep: read.
    hidden: Literal["skip", "keep"] | None = None
    # Columns named « colonne 1 », « colonne 2 »… by their place: a header missing or unreadable
    # (a scan); header_row is then the line just above the first laureate.
    columns_by_position: bool = False

    @field_validator("items")
    @classmethod
    def _items_pattern(cls, value: str | None) -> str | None:
        if value is None:
            return value
        if not item_parts(value):
            raise ValueError(
                "le motif read.items doit nommer ses parties, ex. (?P<beneficiary_name>.+?)"
            )
        return value

    @field_validator("records")
    @classmethod
    def _records_path(cls, value: str | None) -> str | None:
        if value is not None and not all(part.strip() for part in value.split(".")):
            raise ValueError(
                "read.records : le chemin de la liste, ses clés séparées par des points "
                "(ex. data, result.records)"
            )
        return value

    @model_validator(mode="after")
    def _one_way_to_choose_sheets(self) -> ReadOptions:
        if self.sheet is not None and self.sheets is not None:
            raise ValueError(
                "read.sheet (une feuille) et read.sheets (plusieurs) ne vont pas ensemble : "
                "garder l'une des deux"
            )
        if self.columns_by_position and (self.header_row is None or self.sheets is not None):
            raise ValueError(
                "read.columns_by_position demande read.header_row (la ligne juste au-dessus du "
                "premier lauréat) et un seul tableau (pas read.sheets)"
            )
        return self


class Declared(_Strict):
    awards_count: int | None = Field(default=None, ge=0, le=COUNT_CEILING)
    awards_count_qualifier: Literal[ANNOUNCED_QUALIFIERS] = "exact"  # type: ignore[valid-type]
    total_amount_eur: float | None = Field(
        default=None, ge=0, le=ENVELOPE_CEILING_EUR, allow_inf_nan=False
    )
    total_amount_qualifier: Literal[ANNOUNCED_QUALIFIERS] = "exact"  # type: ignore[valid-type]
    # Whose money the announced figures are (« une subvention totale de l'État »): a funder code or
    # alias, as defaults.funder; without it they sit on the NC line of funding_by_region_year.
    funder: str | None = None

    @field_validator("funder")
    @classmethod
    def _funder(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return funder_code(value)
        except ValueError:
            raise ValueError(
                f"financeur inconnu « {value} » ; donner un code (ARS, DREETS, "
                "ETAT, COMMISSAIRE_PAUVRETE…) ou un nom que defaults.funder accepte (« État »), "
                "ou retirer la clé si l'annonce ne nomme pas de financeur"
            ) from None


class RowFilter(_Strict):
    """Keep only rows whose `column` holds one of `keep` (e.g. accepted dossiers of an export)."""

    column: str
    keep: tuple[str, ...]


class Manifest(_Strict):
    source: SourceInfo
    region: str
    year: int = Field(ge=2020, le=2035)
    campaign: Campaign
    table: Literal[tuple(SOURCE_TABLES)]  # type: ignore[valid-type]
    read: ReadOptions = ReadOptions()
    columns: dict[str, str | dict[str, str]] = {}
    defaults: dict[str, Any] = {}
    declared: Declared = Declared()
    # The file names only some of the laureates the publisher announced (e.g. a press article):
    # a gap with `declared` is then expected, reported as a warning rather than an error.
    partial: bool = False
    filter: RowFilter | None = None
    # Headers of the file deliberately left out of `columns` (no doubt is raised about them).
    ignore: tuple[str, ...] = ()
    # Doubts the contributor has looked at and settled: « this reading is right » (common/doubts.py).
    confirmed: tuple[str, ...] = ()

    @field_validator("confirmed")
    @classmethod
    def _known_doubts(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [code for code in value if code not in DOUBT_CODES]
        if unknown:
            raise ValueError(
                f"confirmed : doute inconnu {', '.join(unknown)} ; doutes possibles : "
                f"{', '.join(sorted(DOUBT_CODES))}"
            )
        return value

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: Any) -> str:
        if str(value).strip().lower() in NATIONAL:
            return NATIONAL_CODE
        code = region_code(value)
        if code is None:
            raise ValueError(
                f'région inconnue {value!r} : donner le code INSEE (ex. "24") ou le nom '
                f"exact ({', '.join(cog().region_names())}), ou « France » pour une "
                "campagne nationale"
            )
        return code

    @model_validator(mode="after")
    def _national_lines_are_national(self) -> Manifest:
        if self.table == "national_lines" and self.region != NATIONAL_CODE:
            raise ValueError(
                "table national_lines : une ligne nationale n'est celle d'aucune région ; écrire "
                "region: France et ranger la source sous raw/france/<année>/"
            )
        return self

    @model_validator(mode="after")
    def _columns_fit_the_table(self) -> Manifest:
        table = SOURCE_TABLES[self.table]
        allowed = [c for c in table.columns if c not in DERIVED_COLUMNS]
        # A list over several campaign years: each line's year gives it its campaign (stage/years.py).
        mappable = allowed + (["year"] if self.table == "awards" else [])
        for name, header in self.columns.items():
            name = COLUMN_ALIASES.get(name, name)
            if name == "amount_eur_by_funder":
                if self.table != "awards" and self.table != "campaign_budgets":
                    raise ValueError(
                        "amount_eur_by_funder ne sert qu'aux tables awards et campaign_budgets"
                    )
                if not isinstance(header, dict) or not header:
                    raise ValueError(
                        "amount_eur_by_funder : une colonne par financeur, ex. {ARS: Montant ARS}"
                    )
                continue
            if name not in mappable:
                raise ValueError(
                    f"colonne canonique inconnue {name!r} pour la table {self.table} ; "
                    f"colonnes possibles : {', '.join(mappable)}"
                )
            if not isinstance(header, str):
                raise ValueError(f"columns.{name} doit être l'en-tête tel qu'écrit dans le fichier")
        for name in self.defaults:
            if COLUMN_ALIASES.get(name, name) not in allowed:
                raise ValueError(f"defaults.{name} : colonne inconnue pour la table {self.table}")
        return self

    @property
    def region_code(self) -> str | None:
        """None for a national campaign (region: France)."""
        return None if self.region == NATIONAL_CODE else self.region

    @property
    def scope(self) -> str:
        return "national" if self.region == NATIONAL_CODE else "regional"

    @property
    def mapped_columns(self) -> dict[str, str]:
        """Canonical column -> header as written, aliases resolved, per-funder amounts left out."""
        return {COLUMN_ALIASES.get(k, k): v for k, v in self.columns.items() if isinstance(v, str)}

    @property
    def funder_amount_columns(self) -> dict[str, str]:
        value = self.columns.get("amount_eur_by_funder")
        return dict(value) if isinstance(value, dict) else {}

    @property
    def constant_values(self) -> dict[str, Any]:
        return {COLUMN_ALIASES.get(k, k): v for k, v in self.defaults.items()}

    def headers(self) -> list[str]:
        """Every header the file must carry, in manifest order."""
        wanted = [h for h in self.mapped_columns.values() if h != SHEET_COLUMN]
        wanted += list(self.funder_amount_columns.values())
        if self.filter:
            wanted.append(self.filter.column)
        return wanted


def manifest_path_for(data_path: Path) -> Path:
    return data_path.with_suffix(".yaml")


def data_paths_for(manifest_path: Path) -> list[Path]:
    """Every raw file beside a manifest with exactly its stem (`laureats.v2.csv` for `laureats.v2.yaml`,
    never for `laureats.yaml`), in name order."""
    return sorted(
        p
        for p in manifest_path.parent.glob(glob_escape(manifest_path.stem) + ".*")
        if p.stem == manifest_path.stem and p.suffix.lower().lstrip(".") in EXTENSIONS
    )


def data_path_for(manifest_path: Path) -> Path | None:
    """The raw file a manifest describes: same folder, same stem, any known extension."""
    candidates = data_paths_for(manifest_path)
    return candidates[0] if candidates else None


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)
