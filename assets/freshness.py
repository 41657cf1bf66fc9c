"""The published package's freshness: overdue when its last update is older than the weekly refresh
allows (`assets/schedules.py`: Mondays at 6 h), whether its last run failed or none ran."""

from __future__ import annotations

import datetime
import warnings

import dagster as dg

# Dagster now prefers freshness policies, which need its freshness daemon and give no check to run
# in a test; these checks still evaluate on any instance, by the sensor below or after a publication.
warnings.filterwarnings(
    "ignore", message="Function `build_(last_update_freshness_checks|sensor_for_freshness_checks)`"
)

PACKAGE = "data_package"
# A week between two Monday refreshes, and a day for the refresh to finish or be run again.
PACKAGE_FRESHNESS = datetime.timedelta(days=8)


def package_freshness_checks(
    bound: datetime.timedelta = PACKAGE_FRESHNESS,
) -> list[dg.AssetChecksDefinition]:
    return list(dg.build_last_update_freshness_checks(assets=[PACKAGE], lower_bound_delta=bound))


freshness_checks = package_freshness_checks()

freshness_sensor = dg.build_sensor_for_freshness_checks(
    freshness_checks=freshness_checks,
    name="package_freshness_sensor",
    default_status=dg.DefaultSensorStatus.RUNNING,
)
