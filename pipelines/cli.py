"""`mille-jours`: validate raw sources, draft a manifest, publish the package."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from pipelines.report import EXIT_UNREADABLE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Financements « 1000 premiers jours » : des listes régionales au paquet de données publié."""


def _manifests(paths: tuple[Path, ...]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(path.rglob("*.yaml"))
        elif path.suffix in (".yaml", ".yml"):
            found.append(path)
        else:
            found.append(path.with_suffix(".yaml"))
    return found


def _raw_root(manifest: Path) -> Path:
    """raw/ when the file sits at raw/<region>/<year>/, else the folder three levels up."""
    resolved = manifest.resolve()
    for parent in resolved.parents:
        if parent.name == "raw":
            return parent
    return resolved.parents[2] if len(resolved.parents) > 2 else resolved.parent


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              help="text (défaut) pour lire, json pour les machines.")
def validate(paths: tuple[Path, ...], fmt: str) -> None:
    """Vérifier des fichiers bruts avant de les soumettre (fichier, manifeste ou dossier).

    Code de sortie : 0 tout est accepté ; 1 lignes rejetées ou totaux en écart ;
    2 fichier illisible, manifeste invalide ou mauvais usage.
    """
    from pipelines.ingest import stage_source
    from pipelines.report import as_json, as_text, exit_code

    missing = [p for p in paths if not p.exists()]
    if missing:
        click.echo(f"Introuvable : {', '.join(str(p) for p in missing)}. À faire : vérifier le chemin.", err=True)
        sys.exit(EXIT_UNREADABLE)
    manifests = _manifests(paths)
    if not manifests:
        click.echo("Aucun manifeste (.yaml) trouvé. À faire : créer le manifeste avec "
                   "`mille-jours new-source FICHIER --region R --year A`.", err=True)
        sys.exit(EXIT_UNREADABLE)
    staged = [stage_source(m, _raw_root(m)) for m in manifests]
    click.echo(as_json(staged) if fmt == "json" else as_text(staged))
    sys.exit(exit_code(staged))


@main.command()
@click.option("--root", type=click.Path(path_type=Path, file_okay=False), default=".",
              help="Dossier du projet (raw/ et published/).")
@click.option("--verbose", is_flag=True, help="Afficher le journal complet de Dagster.")
def publish(root: Path, verbose: bool) -> None:
    """Lire toutes les sources de raw/ avec Dagster et publier le paquet dans published/."""
    from pipelines.run import publish_all

    started = time.perf_counter()
    root = root.resolve()
    os.environ["MILLE_JOURS_ROOT"] = str(root)
    outcome = publish_all(root, verbose=verbose)
    for line in outcome.lines:
        click.echo(line)
    click.echo(f"Terminé en {time.perf_counter() - started:.1f} s.")
    sys.exit(0 if outcome.ok else 1)


if __name__ == "__main__":
    main()
