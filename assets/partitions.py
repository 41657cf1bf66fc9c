"""One partition per raw source: its path under raw/ without extension (region/year/name)."""

import dagster as dg

raw_sources = dg.DynamicPartitionsDefinition(name="raw_sources")
