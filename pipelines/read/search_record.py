"""A search record: where and when public lists were looked for and nothing public was found.

A YAML file placed as a manifest is (raw/<région>/<année>/<nom>.yaml, `table: searches`), with no
data file beside it: discovery finds it as any source, and the `coverage` table says which region ×
year was searched in vain, when and where. Only what the search found missing is written, never a
guess."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from pipelines.common.geography import cog, region_code
from pipelines.read.manifest_file import load_mapping, schema_error
from schemas.fields import YEAR_MAX, YEAR_MIN
from schemas.vocabularies import SEARCH_KIND

_YEARS = re.compile(r"(\d{4})(?:\s*[-–]\s*(\d{4}))?")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NothingFound(_Strict):
    """A region and the campaign years searched in vain: « 2021-2023 », or one year."""

    region: str
    years: str

    @field_validator("region", mode="before")
    @classmethod
    def _region(cls, value: Any) -> str:
        code = region_code(value)
        if code is None:
            raise ValueError(
                f'région inconnue {value!r} : donner le code INSEE (ex. "84") ou le nom exact '
                f"({', '.join(cog().region_names())})"
            )
        return code

    @field_validator("years", mode="before")
    @classmethod
    def _years(cls, value: Any) -> str:
        found = _YEARS.fullmatch(str(value).strip())
        first, last = (int(found[1]), int(found[2] or found[1])) if found else (0, 0)
        if not found or not YEAR_MIN <= first <= last <= YEAR_MAX:
            raise ValueError(
                f"années {value!r} : une année ou un intervalle entre {YEAR_MIN} et {YEAR_MAX} "
                '(ex. 2021 ou "2021-2023")'
            )
        return f"{first}-{last}"

    @property
    def year_list(self) -> list[int]:
        first, last = (int(y) for y in self.years.split("-"))
        return list(range(first, last + 1))


class SearchRecord(_Strict):
    table: Literal[SEARCH_KIND]  # type: ignore[valid-type]
    searched: dt.date
    # Each place looked at: an http(s) address, or a corpus named as it is (never an invented URL).
    where: tuple[str, ...] = Field(min_length=1)
    note: str | None = None
    nothing_found: tuple[NothingFound, ...] = Field(min_length=1)

    @field_validator("searched")
    @classmethod
    def _searched(cls, value: dt.date) -> dt.date:
        if value > dt.date.today():
            raise ValueError(f"date de recherche {value.isoformat()} dans le futur")
        return value

    @field_validator("where")
    @classmethod
    def _where(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        places = tuple(place.strip() for place in value)
        if not all(places):
            raise ValueError("chaque lieu cherché est une adresse web ou le nom d'un corpus")
        return places


def is_search_record(path: Path) -> bool:
    return load_mapping(path).get("table") == SEARCH_KIND


def load_search_record(path: Path) -> SearchRecord:
    """A search record checked; any problem a SourceError naming the file, the key and the fix."""
    try:
        return SearchRecord.model_validate(load_mapping(path))
    except ValidationError as exc:
        raise schema_error(path, exc) from exc
