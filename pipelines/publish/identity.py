"""What makes the package citable: a stable id, one id per version, a homepage, the citation and
its BibTeX.

The homepage is configurable: MILLE_JOURS_HOMEPAGE, else `[tool.mille-jours] repository` in
pyproject.toml followed by its published folder (`<repository>/tree/main/published`). It is read
from the project's own files, never from the machine, so every machine publishes the same bytes.
"""

from __future__ import annotations

import os
import tomllib
import uuid
from pathlib import Path
from typing import Any

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"
# One identifier for every version of the package (Data Package v2 `id`), derived from its name.
PACKAGE_ID = (
    f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'mille-jours/financements-1000-premiers-jours')}"
)
# The author cited: the project, as publisher of the compilation (an organisation, never a person);
# the data themselves come from the publishers of the `sources` table.
AUTHOR = "Projet mille-jours"


def version_id(version: str) -> str:
    """This version's own identifier, beside the stable one: anyone recomputes it from the two,
    `uuid.uuid5(uuid.NAMESPACE_URL, f"{PACKAGE_ID}/{version}")`."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{PACKAGE_ID}/{version}')}"


def _settings() -> dict[str, Any]:
    try:
        return (
            tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
            .get("tool", {})
            .get("mille-jours", {})
        )
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def repository() -> str | None:
    """The project's public repository (its code), None when pyproject.toml names none."""
    return str(_settings().get("repository", "")).strip().rstrip("/") or None


def homepage() -> str | None:
    """Where the released package lives; None when the project names no repository."""
    configured = os.environ.get("MILLE_JOURS_HOMEPAGE", "").strip()
    if configured:
        return configured
    code = repository()
    return f"{code}/tree/main/published" if code else None


def citation(package: dict[str, Any]) -> str:
    url = f" {package['homepage']}." if package.get("homepage") else ""
    return (
        f"{AUTHOR}, « {package['title']} », version {package['version']}, données au "
        f"{package['created'][:10]}, {package['licenses'][0]['title']}, "
        f"{package['versionId']}.{url}"
    )


def bibtex(package: dict[str, Any]) -> str:
    lines = [
        f"@misc{{mille_jours_{package['version'].replace('.', '_')},",
        f"  title   = {{{package['title']}}},",
        f"  author  = {{{{{AUTHOR}}}}},",  # double braces: an organisation, not « Mille-jours, P. »
        f"  year    = {{{package['created'][:4]}}},",
        f"  version = {{{package['version']}}},",
    ]
    if package.get("homepage"):
        lines.append(f"  url     = {{{package['homepage']}}},")
    lines += [
        f"  note    = {{Données au {package['created'][:10]}, {package['licenses'][0]['name']}, "
        f"identifiant {package['id']}, version {package['versionId']}}}",
        "}",
    ]
    return "\n".join(lines)
