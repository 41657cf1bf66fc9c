"""Frictionless Table Schemas (Data Package v2) derived from the table specs (schemas.tables)."""

from __future__ import annotations

from typing import Any

from schemas.spec import Field, Table


def field_descriptor(field: Field) -> dict[str, Any]:
    descriptor: dict[str, Any] = {
        "name": field.name,
        "type": field.type,
        "title": field.title,
        "description": field.description,
    }
    if field.type == "date":
        # Dates are published as ISO text; declaring them as dates keeps Table Schema semantics.
        descriptor["format"] = "default"
    if field.example is not None:
        descriptor["example"] = field.example
    constraints: dict[str, Any] = {}
    if field.required:
        constraints["required"] = True
    if field.unique:
        constraints["unique"] = True
    if field.enum is not None:
        constraints["enum"] = list(field.enum)
    if field.pattern is not None and field.type == "string":
        constraints["pattern"] = field.pattern.removeprefix("^").removesuffix("$")
    if field.minimum is not None:
        constraints["minimum"] = (
            int(field.minimum) if float(field.minimum).is_integer() else field.minimum
        )
    if field.maximum is not None:
        constraints["maximum"] = (
            int(field.maximum) if float(field.maximum).is_integer() else field.maximum
        )
    if field.max_length is not None:
        constraints["maxLength"] = field.max_length
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def to_table_schema(table: Table) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [field_descriptor(f) for f in table.fields],
        "missingValues": [""],
    }
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {
                "fields": list(fk.fields),
                "reference": {"resource": fk.resource, "fields": list(fk.reference_fields)},
            }
            for fk in table.foreign_keys
        ]
    return schema
