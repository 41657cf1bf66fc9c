"""The Dagster code location: assets, checks, jobs, schedule, sensors and resources."""

import dagster as dg

from assets import observation, package, sources, tables
from assets.alerts import run_failure_alert
from assets.freshness import freshness_checks, freshness_sensor
from assets.jobs import PUBLISH_RUN_TAGS, ingest_source_job, publish_job
from assets.recovery import dead_runs_sensor, sensor_seconds
from assets.resources import ProjectPaths, StagedSourceIOManager, TableIOManager
from assets.schedules import weekly_refresh
from assets.sensors import raw_sources_sensor

automation_sensor = dg.AutomationConditionSensorDefinition(
    "tables_and_package_automation",
    target=dg.AssetSelection.groups("tables", "publish"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=sensor_seconds(30),
    run_tags=PUBLISH_RUN_TAGS,
    description="Les tables et le paquet suivent d'eux-mêmes les sources relues.",
)

defs = dg.Definitions(
    # Small data: one process per run is faster than a process per step (each pays for imports).
    executor=dg.in_process_executor,
    assets=dg.load_assets_from_modules([observation, sources, tables, package]),
    asset_checks=[
        *dg.load_asset_checks_from_modules([sources, tables, package]),
        *freshness_checks,
    ],
    jobs=[ingest_source_job, publish_job],
    schedules=[weekly_refresh],
    sensors=[
        raw_sources_sensor,
        automation_sensor,
        dead_runs_sensor,
        freshness_sensor,
        run_failure_alert,
    ],
    resources={
        "paths": ProjectPaths(),
        "staged_io_manager": StagedSourceIOManager(),
        "table_io_manager": TableIOManager(),
    },
)
