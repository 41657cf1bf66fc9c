"""pandera schemas derived from the table specs (schemas.tables)."""

from __future__ import annotations

import copy
from functools import cache

import pandera.pandas as pa
from pandera.engines import pandas_engine

from schemas.spec import Field, Table
from schemas.tables import TABLES


class Text(pandas_engine.STRING):
    """pandera's text dtype, answering a column already of that dtype with a single True.

    pandera's own answers with one True per row, which sends every text column down its
    element-wise path (failure cases gathered and printed even when none fail): more than half
    the validation of a small source. Any other dtype is judged by pandera as before.
    """

    def check(self, pandera_dtype, data_container=None):
        try:
            if pandas_engine.Engine.dtype(pandera_dtype).type == self.type:
                return True
        except TypeError:
            return False
        return super().check(pandera_dtype, data_container)


def _dtype(field: Field):
    if field.pandas_dtype == "str":
        return Text(pandas_engine.Engine.dtype("str").storage)
    return field.pandas_dtype


def _checks(field: Field) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if field.enum is not None:
        checks.append(pa.Check.isin(list(field.enum), error=f"valeur hors de la liste : {', '.join(field.enum)}"))
    if field.pattern is not None:
        checks.append(pa.Check.str_matches(field.pattern, error=f"format attendu : {field.pattern}"))
    if field.minimum is not None:
        checks.append(pa.Check.ge(field.minimum, error=f"doit être ≥ {field.minimum:g}"))
    if field.maximum is not None:
        checks.append(pa.Check.le(field.maximum, error=f"doit être ≤ {field.maximum:g}"))
    if field.max_length is not None:
        checks.append(pa.Check.str_length(max_value=field.max_length))
    return checks


class Column(pa.Column):
    """pandera's column, copied shallowly when deep-copied.

    pandera deep-copies every column at each validation only to set `coerce` on the copy: a sixth
    of a small source's validation. A column here is never changed once built (its checks, dtype
    and texts are shared, not edited), so a copy with its own attributes is as good.
    """

    def __deepcopy__(self, memo):
        return copy.copy(self)

    @classmethod
    def get_backend(cls, check_obj=None, check_type=None):
        return pa.Column.get_backend(check_obj, check_type)  # pandera's backends are registered per class


def column(field: Field) -> pa.Column:
    return Column(
        _dtype(field),
        checks=_checks(field),
        nullable=not field.required,
        unique=field.unique,
        coerce=True,
        title=field.title,
        description=field.description,
    )


def to_pandera(table: Table, exclude: tuple[str, ...] = (), exact: bool = True) -> pa.DataFrameSchema:
    """The pandera schema of `table`; `exclude` drops columns that are derived later. Not `exact`,
    a frame may hold more columns, in any order (those are then not checked)."""
    columns = {f.name: column(f) for f in table.fields if f.name not in exclude}
    pk = [c for c in table.primary_key if c in columns]
    return pa.DataFrameSchema(
        columns,
        name=table.name,
        title=table.title,
        description=table.description,
        strict=exact,
        ordered=exact,
        coerce=True,
        unique=pk if len(pk) > 1 else None,
    )


@cache
def schema_for(name: str) -> pa.DataFrameSchema:
    return to_pandera(TABLES[name])


@cache
def staging_schema_for(name: str, exclude: tuple[str, ...]) -> pa.DataFrameSchema:
    """The schema a source of table `name` is staged against, built once per process."""
    return to_pandera(TABLES[name], exclude)


@cache
def staging_schema_without(name: str, exclude: tuple[str, ...], empty: tuple[str, ...]) -> pa.DataFrameSchema:
    """`staging_schema_for(name, exclude)` less the columns `empty`, checking a frame that has them."""
    return to_pandera(TABLES[name], exclude + empty, exact=False)


def is_text(column: pa.Column) -> bool:
    return isinstance(column.dtype, Text)
