"""Every canonical table, defined once: fields, types, constraints, French titles and descriptions.

One module per family (reference, provenance, campaigns, awards); `TABLES` gathers them."""

from __future__ import annotations

from schemas.award_tables import AWARDS, BENEFICIARIES, BENEFICIARY_REVIEW
from schemas.campaign_tables import (
    CAMPAIGN_BUDGETS,
    CAMPAIGN_COUNTS,
    CAMPAIGNS,
    FUNDING_BY_REGION_YEAR,
)
from schemas.coverage_tables import COVERAGE
from schemas.figure_tables import FIGURES
from schemas.national_tables import NATIONAL_LINES
from schemas.provenance_tables import REJECTED_ROWS, SOURCES
from schemas.reference_tables import DEPARTEMENTS, FUNDERS, REGIONS
from schemas.spec import Table
from schemas.vocabularies import TABLE_KINDS

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        REGIONS,
        DEPARTEMENTS,
        FUNDERS,
        SOURCES,
        CAMPAIGNS,
        CAMPAIGN_BUDGETS,
        CAMPAIGN_COUNTS,
        NATIONAL_LINES,
        BENEFICIARIES,
        BENEFICIARY_REVIEW,
        AWARDS,
        FUNDING_BY_REGION_YEAR,
        COVERAGE,
        FIGURES,
        REJECTED_ROWS,
    )
}

# The tables a raw source may feed (manifest key `table`).
SOURCE_TABLES = {name: TABLES[name] for name in TABLE_KINDS}
