"""Euros per 1 000 inhabitants, beside an awarded total the publisher announced exactly.

A minimum, a ceiling, an approximation or a sum we computed is never divided: the ratio would
look more precise than its numerator.
"""

from __future__ import annotations

import pandas as pd

from pipelines.publish.wording import worded


def per_thousand_inhabitants(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """campaign_id -> « soit 218 € pour 1 000 habitants … », for exact regional totals only."""
    regions = tables["regions"].set_index("region_code")
    out = {}
    for c in tables["campaigns"].itertuples(index=False):
        exact = c.declared_total_qualifier == "exact" and not pd.isna(c.declared_total_eur)
        if not exact or c.scope != "regional" or c.region_code not in regions.index:
            continue
        region = regions.loc[c.region_code]
        value = float(c.declared_total_eur) / int(region["population"]) * 1000
        out[c.campaign_id] = (
            f"soit {worded(value)} pour 1 000 habitants de la région (total exact annoncé, "
            f"population municipale INSEE {int(region['population_year'])})"
        )
    return out
