"""pandera schemas derived from the table specs (schemas.tables)."""

from __future__ import annotations

from functools import cache

import pandera.pandas as pa

from schemas.spec import Field, Table
from schemas.tables import TABLES

# The start of the reason a text over its field's `max_length` is refused with.
TOO_LONG = "texte trop long"


def _checks(field: Field, length: bool = True) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if field.enum is not None:
        checks.append(
            pa.Check.isin(
                list(field.enum), error=f"valeur hors de la liste : {', '.join(field.enum)}"
            )
        )
    if field.pattern is not None:
        checks.append(
            pa.Check.str_matches(field.pattern, error=f"format attendu : {field.pattern}")
        )
    if field.minimum is not None:
        checks.append(pa.Check.ge(field.minimum, error=f"doit être ≥ {field.minimum:g}"))
    if field.maximum is not None:
        checks.append(pa.Check.le(field.maximum, error=f"doit être ≤ {field.maximum:g}"))
    if field.max_length is not None and length:
        checks.append(
            pa.Check.str_length(
                max_value=field.max_length,
                error=f"{TOO_LONG} : {field.max_length:_} caractères au plus".replace("_", " "),
            )
        )
    return checks


def column(field: Field, text_dtype: bool = True, length: bool = True) -> pa.Column:
    """The column of `field`. Without `text_dtype`, a text column is neither coerced nor checked for
    its dtype (the caller has found it of pandas' text type): only its checks run. Without
    `length`, its `max_length` is not checked (the caller has found no value longer)."""
    untyped = not text_dtype and field.pandas_dtype == "str"
    return pa.Column(
        None if untyped else field.pandas_dtype,
        checks=_checks(field, length),
        nullable=not field.required,
        unique=field.unique,
        coerce=not untyped,
        title=field.title,
        description=field.description,
    )


def to_pandera(
    table: Table,
    exclude: tuple[str, ...] = (),
    exact: bool = True,
    typed_text: tuple[str, ...] | None = None,
    too_long: tuple[str, ...] | None = None,
) -> pa.DataFrameSchema:
    """The pandera schema of `table`; `exclude` drops columns that are derived later. Not `exact`,
    a frame may hold more columns, in any order (those are then not checked). `typed_text`, when
    given: the only text columns coerced and checked for their dtype (see `column`); `too_long`,
    when given: the only columns whose `max_length` is checked."""
    columns = {
        f.name: column(
            f,
            typed_text is None or f.name in typed_text,
            too_long is None or f.name in too_long,
        )
        for f in table.fields
        if f.name not in exclude
    }
    pk = [c for c in table.primary_key if c in columns]
    return pa.DataFrameSchema(
        columns,
        name=table.name,
        title=table.title,
        description=table.description,
        strict=exact,
        ordered=exact,
        # Otherwise asked column by column: asked of the schema, it would reach (and copy) the untyped ones too.
        coerce=typed_text is None,
        unique=pk if len(pk) > 1 else None,
    )


def free_text(table: Table) -> tuple[str, ...]:
    """The text columns of `table` no value can fail once of the text dtype, unless longer than
    the field's `max_length`: optional, with no other check, unique in no way."""
    return tuple(
        f.name
        for f in table.fields
        if f.pandas_dtype == "str"
        and not f.required
        and not f.unique
        and f.enum is None
        and f.pattern is None
        and f.name not in table.primary_key
    )


def length_ceilings(name: str) -> dict[str, int]:
    """The text columns of table `name` with a `max_length`, and that length."""
    return {f.name: f.max_length for f in TABLES[name].fields if f.max_length is not None}


@cache
def schema_for(name: str) -> pa.DataFrameSchema:
    return to_pandera(TABLES[name])


@cache
def staging_schema_for(name: str, exclude: tuple[str, ...]) -> pa.DataFrameSchema:
    """The schema a source of table `name` is staged against, built once per process."""
    return to_pandera(TABLES[name], exclude)


@cache
def staging_schema_without(
    name: str,
    exclude: tuple[str, ...],
    empty: tuple[str, ...],
    typed: tuple[str, ...] = (),
    too_long: tuple[str, ...] = (),
) -> pa.DataFrameSchema:
    """`staging_schema_for(name, exclude)` for a frame whose text columns are of the text dtype
    already, but those `typed`: less the columns `empty` and the text columns no value can fail
    (`free_text`), its other text columns checked without coercing them or judging their dtype.
    The text columns `typed` are coerced and judged as by the full schema. Lengths are checked only
    in the columns `too_long`, where the caller found a text longer than its field's `max_length`
    (or could not tell), and a free text column among them is judged.

    pandera judges a text column's dtype row by row, and its cost is per column: on a small
    source, most of its time. A frame that has the columns left out is checked as by the full schema.
    """
    table = TABLES[name]
    free = tuple(c for c in free_text(table) if c not in typed and c not in too_long)
    return to_pandera(
        table, exclude + empty + free, exact=False, typed_text=typed, too_long=too_long
    )


def is_text(column: pa.Column) -> bool:
    """A column built from a text field (its dtype pandas' text type)."""
    return isinstance(column.dtype, pa.String)
