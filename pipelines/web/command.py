"""`mille-jours serve`: the contributor page, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import functools
from pathlib import Path

import click

from pipelines.web.contributions import drafted


@click.command()
@click.help_option("-h", "--help", help="Afficher cette aide et quitter.")
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    help="Dossier du projet (dépôt git, raw/).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="Adresse d'écoute.")
@click.option("--port", default=8000, show_default=True, help="Port d'écoute.")
def serve(root: Path, host: str, port: int) -> None:
    """Ouvrir la page des contributeurs : déposer une liste, vérifier sa lecture, la proposer.

    Les listes proposées vont sur une branche git `contribution/…` du dépôt, jamais sur la
    branche principale ; rien n'est publié depuis la page.
    """
    import uvicorn

    from pipelines.cli import runtime_of_command
    from pipelines.web.app import Engine, create_app

    runtime = runtime_of_command()
    if not (root / ".git").exists():
        raise click.ClickException(
            f"{root.resolve()} n'est pas un dépôt git : la page y propose les listes sur des "
            "branches. À faire : lancer la commande depuis le dossier du projet cloné."
        )
    engine = Engine(
        read_sources=runtime.read_sources,
        draft=functools.partial(runtime.in_sandbox, drafted),
    )
    click.echo(f"Page des contributeurs : http://{host}:{port}/ (Ctrl+C pour arrêter)")
    uvicorn.run(create_app(root.resolve(), engine), host=host, port=port, log_level="warning")
