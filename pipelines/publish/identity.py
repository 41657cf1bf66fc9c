"""What makes the package citable: a stable id, a homepage, the citation and its BibTeX.

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
AUTHOR = "mille-jours"


def _settings() -> dict[str, Any]:
    try:
        return (
            tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
            .get("tool", {})
            .get("mille-jours", {})
        )
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def homepage() -> str | None:
    """Where the released package lives; None when the project names no repository."""
    configured = os.environ.get("MILLE_JOURS_HOMEPAGE", "").strip()
    if configured:
        return configured
    repository = str(_settings().get("repository", "")).strip().rstrip("/")
    return f"{repository}/tree/main/published" if repository else None


def citation(package: dict[str, Any]) -> str:
    url = f" {package['homepage']}." if package.get("homepage") else ""
    return (
        f"{AUTHOR}, « {package['title']} », version {package['version']}, données au "
        f"{package['created'][:10]}, {package['licenses'][0]['title']}.{url}"
    )


def bibtex(package: dict[str, Any]) -> str:
    lines = [
        f"@misc{{mille_jours_{package['version'].replace('.', '_')},",
        f"  title   = {{{package['title']}}},",
        f"  author  = {{{AUTHOR}}},",
        f"  year    = {{{package['created'][:4]}}},",
        f"  version = {{{package['version']}}},",
    ]
    if package.get("homepage"):
        lines.append(f"  url     = {{{package['homepage']}}},")
    lines += [
        f"  note    = {{Données au {package['created'][:10]}, {package['licenses'][0]['name']}, "
        f"identifiant {package['id']}}}",
        "}",
    ]
    return "\n".join(lines)
