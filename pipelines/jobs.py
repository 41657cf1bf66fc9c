"""Jobs: ingest one source (a partition), and publish everything staged."""

import dagster as dg

from assets.partitions import raw_sources

ingest_source_job = dg.define_asset_job(
    "ingest_source",
    selection=dg.AssetSelection.assets("staged_source"),
    partitions_def=raw_sources,
    description="Lire, normaliser et valider une source brute (une partition).",
)

publish_job = dg.define_asset_job(
    "publish",
    selection=dg.AssetSelection.groups("tables", "publish"),
    description="Consolider les sources lues et publier le paquet dans published/.",
)
