"""The one source of truth for every table: see schemas.tables."""

from schemas.spec import Field, ForeignKey, Table
from schemas.tables import SOURCE_TABLES, TABLES

__all__ = ["SOURCE_TABLES", "TABLES", "Field", "ForeignKey", "Table"]
