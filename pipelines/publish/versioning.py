"""A release's version: semantic versioning over what the release is made of, so that one version
always names the same bytes."""

from __future__ import annotations

from typing import Any

FIRST_VERSION = "1.0.0"


def content_fingerprint(descriptor: dict[str, Any]) -> dict[str, Any]:
    """What a release is made of: the data files' hashes and the schemas (not version or date)."""
    return {
        r["name"]: {"hash": r.get("hash"), "schema": r.get("schema")}
        for r in descriptor.get("resources", [])
    }


def next_version(
    previous: dict[str, Any] | None,
    resources: list[dict[str, Any]],
    documents_changed: bool = False,
) -> tuple[str, bool]:
    """Semantic versioning: a schema change is major, any other data change minor, a change of
    the documents alone (README, page, raw copies, citation) a patch: a version names its bytes."""
    if not previous or "version" not in previous:
        return FIRST_VERSION, True
    before = content_fingerprint(previous)
    after = content_fingerprint({"resources": resources})
    major, minor, patch = (int(x) for x in previous["version"].split("."))
    if before == after:
        if documents_changed:
            return f"{major}.{minor}.{patch + 1}", True
        return previous["version"], False
    # A new resource breaks no reader (minor); a changed or removed schema does (major).
    schemas_changed = any(
        name not in after or after[name]["schema"] != was["schema"] for name, was in before.items()
    )
    return (f"{major + 1}.0.0" if schemas_changed else f"{major}.{minor + 1}.0"), True
