"""INSEE legal populations per département and region, from schemas/populations_insee.csv."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Population:
    population: int
    year: int


@cache
def populations() -> dict[tuple[str, str], Population]:
    """(« region » or « departement », INSEE code) -> its population and the year it counts."""
    out = {}
    with resources.files("schemas").joinpath("populations_insee.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            out[(row["niveau"], row["code"])] = Population(
                int(row["population"]), int(row["annee"])
            )
    return out
