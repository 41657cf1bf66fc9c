"""The installed `mille-jours` command: the library's command line (`pipelines/cli.py`), its sources
read in bounded worker processes and its package published by Dagster."""

from __future__ import annotations

from pathlib import Path

from assets.workers import in_sandbox, read_sources, settle_collector
from pipelines.cli import Runtime, command_line


def _publish(root: Path, verbose: bool, allow_removals: bool) -> tuple[bool, list[str]]:
    from assets.alerts import post_alert, publication_alert
    from assets.publication import publish_all  # Dagster is loaded only to publish
    from assets.stopping import Interrupted

    try:
        outcome = publish_all(root, verbose=verbose, allow_removals=allow_removals)
    except Interrupted as stop:
        return False, [str(stop)]
    if not outcome.ok:  # one message for the whole publication (its runs are not alerted alone)
        post_alert(publication_alert(outcome.failed, outcome.lines[-1]))
    # The process ends next: no collection of the whole publication's heap on the way out.
    settle_collector()
    return outcome.ok, outcome.lines


def contributor_page():
    """The contributor page as an application factory, for a server with several workers:
    `uvicorn --factory assets.cli:contributor_page --workers 4` from the project's folder
    (MILLE_JOURS_ROOT), contributions in MILLE_JOURS_CONTRIBUTIONS, a folder every worker sees."""
    import functools
    import os

    from pipelines.web.app import Engine, create_app
    from pipelines.web.contributions import drafted

    root = Path(os.environ.get("MILLE_JOURS_ROOT") or Path.cwd()).resolve()
    return create_app(root, Engine(read_sources, functools.partial(in_sandbox, drafted)))


def _explain_failure(error: BaseException) -> str | None:
    from assets.infrastructure import infrastructure_message

    return infrastructure_message(error)


main = command_line(
    Runtime(
        read_sources=read_sources,
        publish=_publish,
        in_sandbox=in_sandbox,
        explain_failure=_explain_failure,
    )
)

if __name__ == "__main__":
    main()
