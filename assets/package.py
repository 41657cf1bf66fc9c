"""The published data package: built, validated with frictionless, swapped in atomically."""

import dagster as dg
import pandas as pd

from assets.sources import markdown
from assets.tables import PACKAGE_AUTOMATION
from pipelines.publish.docs import render_docs
from pipelines.publish.package import PublishError, publish, validate_package
from pipelines.resources import ProjectPaths, publication_lock
from schemas.tables import TABLES


class PublishConfig(dg.Config):
    """`allow_removals`: publish even when sources of the previous release are gone (asked for)."""

    allow_removals: bool = False


@dg.asset(
    ins={name: dg.AssetIn() for name in TABLES},
    group_name="publish",
    kinds={"frictionless", "csv", "parquet"},
    automation_condition=PACKAGE_AUTOMATION,
)
def data_package(context: dg.AssetExecutionContext, config: PublishConfig, paths: ProjectPaths,
                 **tables: pd.DataFrame) -> dg.MaterializeResult:
    """published/: datapackage.json (Data Package v2), CSV + Parquet per table, README, CHANGELOG."""
    try:
        with publication_lock():
            release = publish(tables, paths.published_dir, render_docs=render_docs,
                              allow_removals=config.allow_removals)
    except PublishError as exc:
        errors = pd.DataFrame(exc.errors, columns=["resource", "row", "field", "type", "message"])
        raise dg.Failure(description=str(exc), metadata={"errors": markdown(errors, 50)}) from exc
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(release.path)),
        "version": dg.MetadataValue.text(release.version),
        "created": dg.MetadataValue.text(release.created),
        "changed": dg.MetadataValue.bool(release.changed),
        **{f"rows/{name}": dg.MetadataValue.int(len(frame)) for name, frame in tables.items()},
    })


@dg.asset_check(asset=data_package, name="frictionless_valid", blocking=True,
                description="frictionless validate published/datapackage.json, clés étrangères comprises.")
def frictionless_valid(paths: ProjectPaths) -> dg.AssetCheckResult:
    errors = validate_package(paths.published_dir)
    return dg.AssetCheckResult(passed=not errors, metadata={
        "num_errors": dg.MetadataValue.int(len(errors)),
        "errors": markdown(pd.DataFrame(errors, columns=["resource", "row", "field", "type", "message"]), 50),
    })
