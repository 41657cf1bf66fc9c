"""The installed `mille-jours` command: the library's command line (`pipelines/cli.py`), its sources
read in bounded worker processes and its package published by Dagster."""

from __future__ import annotations

from pathlib import Path

from assets.workers import in_sandbox, read_sources, settle_collector
from pipelines.cli import Runtime, command_line


def _publish(root: Path, verbose: bool, allow_removals: bool) -> tuple[bool, list[str]]:
    from assets.publication import publish_all  # Dagster is loaded only to publish

    outcome = publish_all(root, verbose=verbose, allow_removals=allow_removals)
    # The process ends next: no collection of the whole publication's heap on the way out.
    settle_collector()
    return outcome.ok, outcome.lines


main = command_line(Runtime(read_sources=read_sources, publish=_publish, in_sandbox=in_sandbox))

if __name__ == "__main__":
    main()
