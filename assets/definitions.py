"""The Dagster code location: assets, checks, jobs, schedule, sensors and resources."""

import dagster as dg

from assets import package, sources, tables
from assets.alerts import run_failure_alert
from assets.jobs import ingest_source_job, publish_job
from assets.resources import ProjectPaths, StagedSourceIOManager, TableIOManager
from assets.schedules import weekly_refresh
from assets.sensors import raw_sources_sensor

automation_sensor = dg.AutomationConditionSensorDefinition(
    "tables_and_package_automation",
    target=dg.AssetSelection.groups("tables", "publish"),
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Les tables et le paquet suivent d'eux-mêmes les sources relues.",
)

defs = dg.Definitions(
    # Small data: one process per run is faster than a process per step (each pays for imports).
    executor=dg.in_process_executor,
    assets=dg.load_assets_from_modules([sources, tables, package]),
    asset_checks=dg.load_asset_checks_from_modules([sources, tables, package]),
    jobs=[ingest_source_job, publish_job],
    schedules=[weekly_refresh],
    sensors=[raw_sources_sensor, automation_sensor, run_failure_alert],
    resources={
        "paths": ProjectPaths(),
        "staged_io_manager": StagedSourceIOManager(),
        "table_io_manager": TableIOManager(),
    },
)
