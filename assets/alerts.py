"""Failures are loud: one JSON message to the webhook at MILLE_JOURS_ALERT_URL per failure.

A run that fails under the daemon is said by `run_failure_alert`; a `mille-jours publish` that does
not publish everything says so itself, once (`publication_alert`), and its runs (tagged with its
process id) are left out of the sensor, so that one failure gives one message.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.error
import urllib.request
from typing import Any

import dagster as dg

from assets.partitions import raw_sources
from assets.planning import in_runs
from assets.recovery import PID_TAG

ALERT_URL_ENV = "MILLE_JOURS_ALERT_URL"
TIMEOUT_SECONDS = 5
PUBLISH_COMMAND = "mille-jours publish"

logger = logging.getLogger("mille_jours.alerts")


def post_alert(payload: dict[str, Any]) -> bool:
    """POST the message as JSON to MILLE_JOURS_ALERT_URL; whether it was delivered. Never raises:
    an alert that cannot be delivered is logged, the pipeline goes on."""
    url = os.environ.get(ALERT_URL_ENV)
    if not url:
        return False
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            return 200 <= response.status < 300
    except (OSError, ValueError) as error:  # URLError, HTTPError, timeouts; a malformed URL
        logger.warning(
            "alerte non envoyée à %s (%s) : %s. À faire : vérifier l'adresse et que le service "
            "d'alerte répond",
            ALERT_URL_ENV,
            url,
            error,
        )
        return False


def publication_alert(failed: dict[str, str], summary: str) -> dict[str, Any]:
    """The message of a `mille-jours publish` that did not publish everything asked for."""
    return {
        "job": PUBLISH_COMMAND,
        "run_id": None,
        "sources": [{"source_id": sid, "état": state} for sid, state in sorted(failed.items())],
        "message": summary,
    }


def _sources_of(context: dg.RunFailureSensorContext) -> list[str]:
    registered = context.instance.get_dynamic_partitions(raw_sources.name)
    return sorted(in_runs([dict(context.dagster_run.tags)], registered))


def _step_said(event: dg.DagsterEvent) -> str:
    """What a failed step says: its Failure's description, else its error's message."""
    data = event.step_failure_data
    if data is None:
        return ""
    user = data.user_failure_data
    if user is not None and user.description:
        return user.description.strip()
    return data.error.message.strip() if data.error is not None else ""


@dg.run_failure_sensor(
    name="run_failure_alert",
    default_status=dg.DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description=f"Un run en échec est signalé au webhook {ALERT_URL_ENV} (sources, job, run, message).",
)
def run_failure_alert(context: dg.RunFailureSensorContext) -> dg.SkipReason | None:
    run = context.dagster_run
    if PID_TAG in run.tags:
        return dg.SkipReason(f"run de {PUBLISH_COMMAND}, qui signale lui-même ses échecs")
    sources = _sources_of(context)
    steps = [_step_said(e) for e in context.get_step_failure_events()]
    said = next((s for s in steps if s), None) or context.failure_event.message or "raison inconnue"
    message = (
        f"Le run {run.run_id} du job {run.job_name} a échoué"
        + (f" (source(s) : {', '.join(sources)})" if sources else "")
        + f" : {said}. À faire : voir ce run dans l'interface Dagster, corriger puis relancer."
    )
    post_alert(
        {
            "job": run.job_name,
            "run_id": run.run_id,
            "sources": [{"source_id": sid, "état": "échec du run"} for sid in sources],
            "message": message,
        }
    )
    return None
