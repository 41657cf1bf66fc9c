"""deploy/helm/values.yaml against the values schema of Dagster's official chart (vendor/), without a
secret in it, and with the queue, monitoring and retries of the project's own dagster.yaml."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from tests.conftest import REPO

SCHEMA = Path(__file__).parent / "vendor" / "dagster-values.schema.json"
VALUES = REPO / "deploy" / "helm" / "values.yaml"
# Names of Secrets, never their contents.
SECRET_NAME_KEYS = {"postgresqlSecretName", "celeryConfigSecretName", "secretName"}
SECRET_KEY = re.compile(r"password|token|secret|access.?key", re.IGNORECASE)
CREDENTIALS_IN_URL = re.compile(r"://[^/@\s:]+:[^/@\s]+@")
SECRET_VARIABLES = {
    "DAGSTER_PG_URL",
    "DAGSTER_PG_PASSWORD",
    "MILLE_JOURS_PG_DRIVER_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
}


def values() -> dict:
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


class AnyKubernetesObject(dict):
    """The Kubernetes API's definitions, which the chart's schema refers to by URL (probes, volumes,
    resources…): offline, every definition in it is the empty schema, so those objects are taken as
    they are; everything the chart defines itself is checked."""

    def __missing__(self, _key: str) -> AnyKubernetesObject:
        return AnyKubernetesObject()


def schema_errors(document: dict) -> list[str]:
    registry = Registry(retrieve=lambda _uri: Resource.from_contents(AnyKubernetesObject(), DRAFT7))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, registry=registry)
    return [
        f"{'/'.join(map(str, error.absolute_path))} : {error.message}"
        for error in validator.iter_errors(document)
    ]


def test_values_follow_the_chart_schema():
    assert schema_errors(values()) == []


@pytest.mark.parametrize(
    ("path", "wrong"),
    [
        (("runLauncher", "type"), "K8sLauncher"),
        (("global", "postgresqlSecretName"), None),
        (("dagsterDaemon", "runCoordinator", "config", "queuedRunCoordinator", "maxRuns"), 4),
    ],
)
def test_a_value_the_chart_refuses_is_caught(path: tuple[str, ...], wrong: object):
    document = copy.deepcopy(values())
    *parents, last = path
    parent = document
    for key in parents:
        parent = parent[key]
    if wrong is None:
        del parent[last]
    else:
        parent[last] = wrong
    assert schema_errors(document)


def walk(node: object, path: tuple = ()) -> Iterator[tuple[tuple, object]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, (*path, index))


def variables_named(env: object) -> set[str]:
    """The variables an `env` sets: a mapping's keys, a list's names (EnvVar objects or plain names)."""
    if isinstance(env, dict):
        return set(env)
    if isinstance(env, list):
        return {item["name"] if isinstance(item, dict) else item for item in env}
    return set()


def secrets_written(document: dict) -> list[tuple]:
    """Where a password, a token, credentials in a URL or a secret variable is written out."""
    found = []
    for path, value in walk(document):
        key = str(path[-1]) if path else ""
        if isinstance(value, str) and (
            (SECRET_KEY.search(key) and key not in SECRET_NAME_KEYS and value)
            or CREDENTIALS_IN_URL.search(value)
        ):
            found.append(path)
        if key in ("env", "envVars") and variables_named(value) & SECRET_VARIABLES:
            found.append(path)
    return found


@pytest.mark.parametrize(
    "leak",
    [
        {"postgresql": {"postgresqlPassword": "fictif"}},
        {"dagsterDaemon": {"env": {"DAGSTER_PG_URL": "postgresql://dagster@hote/base"}}},
        {"runLauncher": {"config": {"k8sRunLauncher": {"envVars": ["DAGSTER_PG_URL"]}}}},
        {"dagsterWebserver": {"env": {"X": "postgresql://dagster:fictif@hote/base"}}},
    ],
)
def test_a_secret_written_in_the_values_is_caught(leak: dict):
    def merge(into: dict, extra: dict) -> None:
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(into.get(key), dict):
                merge(into[key], value)
            else:
                into[key] = value

    document = values()
    merge(document, leak)
    assert secrets_written(document)


def test_no_secret_is_written_in_the_values():
    document = values()
    assert secrets_written(document) == []
    # The password reaches every pod from the Secrets, which the chart is told not to generate.
    assert document["generatePostgresqlPasswordSecret"] is False
    assert document["global"]["postgresqlSecretName"]
    launcher = document["runLauncher"]["config"]["k8sRunLauncher"]
    deployment = document["dagster-user-deployments"]["deployments"][0]
    assert launcher["envSecrets"] and launcher["envSecrets"] == deployment["envSecrets"]
    assert launcher["envVars"] == []


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.title() for word in rest)


def project_instance(tmp_path: Path) -> dict:
    """The dagster.yaml that `make dev` and `mille-jours publish` write (assets/instance.py)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DAGSTER_PG_URL", "MILLE_JOURS_MAX_RUNS")
    }
    env |= {"DAGSTER_HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-m", "assets.instance"], env=env, check=True, timeout=60)
    return yaml.safe_load((tmp_path / "dagster.yaml").read_text(encoding="utf-8"))


def test_queue_monitoring_and_retries_are_the_project_instance_settings(tmp_path: Path):
    instance, daemon = project_instance(tmp_path), values()["dagsterDaemon"]
    for section, helm_key in (("run_monitoring", "runMonitoring"), ("run_retries", "runRetries")):
        for key, value in instance.get(section, {}).items():
            assert daemon[helm_key].get(camel(key)) == value, (section, key)
    queue = instance["run_coordinator"]["config"]
    helm_queue = daemon["runCoordinator"]["config"]["queuedRunCoordinator"]
    assert instance["run_coordinator"]["class"] == daemon["runCoordinator"]["type"]
    assert helm_queue["maxConcurrentRuns"] == queue["max_concurrent_runs"]
    assert helm_queue["tagConcurrencyLimits"] == queue["tag_concurrency_limits"]
    assert values()["telemetry"] == instance["telemetry"]
