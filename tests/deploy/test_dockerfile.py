"""The Dockerfile of the code location, without Docker: what it installs is the project's locked
dependencies, installed as the Makefile installs them, and it serves what the Helm values load."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import yaml

from tests.conftest import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, tuple[str, frozenset[str]]]:
    """Each package of a hashed lock: its version and its hashes."""
    text = path.read_text(encoding="utf-8")
    entries = re.findall(r"(?m)^([A-Za-z0-9_.\-]+)==(\S+)((?:\s*\\\n\s+--hash=\S+)+)", text)
    return {
        normalized(name): (version, frozenset(re.findall(r"--hash=(\S+)", hashes)))
        for name, version, hashes in entries
    }


def pinned(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        name, _, version = requirement.partition("==")
        pins[normalized(re.sub(r"\[.*\]", "", name))] = version
    return pins


def instructions(keyword: str) -> list[str]:
    """The Dockerfile's instructions of one kind, continuation lines joined."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE)
    return [
        line.split(None, 1)[1] for line in joined.splitlines() if line.startswith(keyword + " ")
    ]


def test_production_lock_keeps_the_project_pins_and_adds_the_production_extras():
    base, production = (
        locked(REPO / "requirements.lock"),
        locked(REPO / "requirements-production.lock"),
    )
    # Same version and same files as requirements.lock for every package they share.
    assert {name: production[name] for name in production if name in base} == {
        name: base[name] for name in production if name in base
    }
    extras = PYPROJECT["project"]["optional-dependencies"]
    wanted = pinned(PYPROJECT["project"]["dependencies"] + extras["s3"] + extras["k8s"])
    assert {name: production[name][0] for name in wanted} == wanted
    assert "setuptools" in production  # the project is built offline, by the locked backend
    assert "pytest" not in production  # the image carries no test tools


def test_the_image_installs_as_the_makefile_installs():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    runs = " ".join(instructions("RUN"))
    for flags in ("--require-hashes --no-deps -r", "--no-deps --no-build-isolation -e ."):
        assert flags in makefile and flags in runs
    assert "-r requirements-production.lock" in runs and "pip check" in runs
    copied = {
        part.rstrip("/").removeprefix("./")
        for line in instructions("COPY")
        for part in line.split()
    }
    packages = {
        p.rstrip("*") for p in PYPROJECT["tool"]["setuptools"]["packages"]["find"]["include"]
    }
    assert (
        packages
        | {"requirements-production.lock", "pyproject.toml", PYPROJECT["project"]["readme"]}
        <= copied
    )
    # The Python of the lock (--python-version 3.11), Tesseract's French model for scans, never root.
    assert instructions("FROM") == ["python:3.11-slim"]
    assert "tesseract-ocr-fra" in runs
    assert instructions("USER")[-1] not in ("root", "0")


def test_the_image_serves_the_code_location_the_helm_values_load():
    command = yaml.safe_load(instructions("CMD")[-1])
    assert command[:3] == ["dagster", "code-server", "start"]
    values = yaml.safe_load((REPO / "deploy" / "helm" / "values.yaml").read_text(encoding="utf-8"))
    deployment = values["dagster-user-deployments"]["deployments"][0]
    arguments = deployment["codeServerArgs"]
    assert shlex.join(arguments) in shlex.join(command)
    assert arguments == ["-m", PYPROJECT["tool"]["dg"]["project"]["code_location_target_module"]]
    assert str(deployment["port"]) in command
