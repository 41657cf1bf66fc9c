"""The vocabulary used to describe a table once.

Each canonical table is a `Table` of `Field`s. pandera schemas (`schemas.to_pandera`) and
Frictionless Table Schemas (`schemas.to_frictionless`) are derived from these objects, never
written by hand, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Field types are Table Schema types; each maps to one pandas dtype.
PANDAS_DTYPES = {
    "string": "str",
    "integer": "Int64",
    "number": "Float64",
    "date": "str",  # ISO 8601 text (YYYY-MM-DD): stable in CSV and Parquet alike
    "boolean": "boolean",
}


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    title: str
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    example: str | None = None
    # Made by the project (a source's path, a generated key), never text a publisher wrote: never
    # masked by the last guard before publication, whatever it looks like.
    identifier: bool = False

    def __post_init__(self) -> None:
        if self.type not in PANDAS_DTYPES:
            raise ValueError(f"field {self.name}: unknown type {self.type!r}")

    @property
    def pandas_dtype(self) -> str:
        return PANDAS_DTYPES[self.type]


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def publisher_text(self) -> tuple[str, ...]:
        """The columns that carry text as a publisher or a contributor wrote it: free text, neither
        an identifier nor held to a vocabulary or a pattern. The last guard masks personal data in
        these, and in these only (a generated key that looks like a phone number stays a key)."""
        return tuple(
            f.name
            for f in self.fields
            if f.type == "string" and not (f.identifier or f.enum or f.pattern)
        )

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no field {name!r}")
