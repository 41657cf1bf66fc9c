"""The published data package: built, validated with frictionless, swapped in atomically."""

import dagster as dg
import pandas as pd

from assets.recovery import note_run_process
from assets.releases import Kept, ReleaseConflict, ReleaseNotKept, keep_built_release
from assets.resources import ProjectPaths, publication_lock
from assets.sources import markdown
from assets.tables import PACKAGE_AUTOMATION
from pipelines.common.locks import LockError, say_on_stderr
from pipelines.publish.docs import render_docs
from pipelines.publish.package import PublishError, publish
from schemas.tables import TABLES


class PublishConfig(dg.Config):
    """`allow_removals`: publish even when sources of the previous release are gone (asked for)."""

    allow_removals: bool = False


VALID = "frictionless_valid"
ERROR_COLUMNS = ["resource", "row", "field", "type", "message"]


@dg.asset(
    ins={name: dg.AssetIn() for name in TABLES},
    group_name="publish",
    kinds={"frictionless", "csv", "parquet"},
    automation_condition=PACKAGE_AUTOMATION,
    check_specs=[
        dg.AssetCheckSpec(
            VALID,
            asset="data_package",
            blocking=True,
            description="frictionless validate datapackage.json, clés étrangères comprises, sur la version construite "
            "avant qu'elle remplace published/ (published/ reçoit ces octets-là, ou reste tel quel).",
        )
    ],
)
def data_package(
    context: dg.AssetExecutionContext,
    config: PublishConfig,
    paths: ProjectPaths,
    **tables: pd.DataFrame,
):
    """published/: datapackage.json (Data Package v2), CSV + Parquet per table, README, CHANGELOG.

    Each version is also kept, unchanged, under the storage root (assets/releases.py).
    The release is validated once, by frictionless, before it is swapped in: that validation is
    the check's result (validating published/ again afterwards read every row a second time).
    """
    note_run_process(context)
    kept: list[Kept] = []  # the release kept before it replaced published/

    def say(message: str) -> None:  # in the run's log, and at once to whoever waits at a terminal
        context.log.warning(message)
        say_on_stderr(message)

    try:
        with publication_lock(say):
            release = publish(
                tables,
                paths.published_dir,
                render_docs=render_docs,
                allow_removals=config.allow_removals,
                project=paths.base,
                keep=lambda folder, files: kept.append(keep_built_release(folder, files)),
                say=say,
            )
    except (ReleaseConflict, ReleaseNotKept) as exc:
        raise dg.Failure(description=str(exc)) from exc
    except LockError as exc:
        raise dg.Failure(description=str(exc)) from None
    except PublishError as exc:
        errors = pd.DataFrame(exc.errors, columns=ERROR_COLUMNS)
        if exc.errors:  # the built package failed validation (not a refusal before it was built)
            yield dg.AssetCheckResult(
                check_name=VALID,
                passed=False,
                metadata={
                    "num_errors": dg.MetadataValue.int(len(errors)),
                    "errors": markdown(errors, 50),
                },
            )
        raise dg.Failure(description=str(exc), metadata={"errors": markdown(errors, 50)}) from exc
    yield dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(release.path)),
            "version": dg.MetadataValue.text(release.version),
            "created": dg.MetadataValue.text(release.created),
            "changed": dg.MetadataValue.bool(release.changed),
            "release": dg.MetadataValue.path(str(kept[0].folder)),
            "release_written": dg.MetadataValue.bool(kept[0].written),
            **{f"rows/{name}": dg.MetadataValue.int(len(frame)) for name, frame in tables.items()},
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=VALID,
                passed=True,
                metadata={
                    "num_errors": dg.MetadataValue.int(0),
                    "errors": markdown(pd.DataFrame(columns=ERROR_COLUMNS)),
                },
            )
        ],
    )
