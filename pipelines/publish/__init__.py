"""Stage 4, publish: the data package (CSV, Parquet, datapackage.json), the SCDL export, the
overview page, the dataset README and the changelog, swapped in atomically."""
