"""`mille-jours`: validate raw sources, draft a manifest, publish the package.

The commands know the data, not how it is run: reading sources (in bounded worker processes) and
publishing (with Dagster) are a `Runtime` handed over by the layer that runs them (`assets/cli.py`,
the installed `mille-jours`).
"""

from __future__ import annotations

import functools
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from pipelines.common.doubts import DOUBT_CODES
from pipelines.contribute.report import EXIT_UNREADABLE
from pipelines.read.discovery import RawSource
from pipelines.stage.staged import StagedSource

if TYPE_CHECKING:  # imported when a command runs: the command line starts fast
    from pipelines.contribute.draft_manifest import Draft

TABLE_CHOICES = ("awards", "campaign_budgets", "campaigns")


_HELP = "Afficher cette aide et quitter."


def _here(fn: Callable[..., Any], *args: Any) -> Any:
    return fn(*args)


@dataclass(frozen=True)
class Runtime:
    """How the commands read sources and publish.

    `read_sources(manifests, raw_root)`: each source's reading, in the order given.
    `publish(root, verbose, allow_removals)`: whether everything asked was published, and the lines
    to print (when not, the last one says what failed).
    """

    read_sources: Callable[[Sequence[Path], Path], Iterable[StagedSource]]
    publish: Callable[[Path, bool, bool], tuple[bool, list[str]]]
    # `in_sandbox(fn, *args)`: fn(*args) under the reading's limits (a top-level function); a
    # SourceError when it cannot finish.
    in_sandbox: Callable[..., Any] = _here
    # `explain_failure(error)`: the message for a failure of a service the runtime relies on (its
    # database, its storage), None when the error is none of them.
    explain_failure: Callable[[BaseException], str | None] = lambda error: None


def runtime_of_command() -> Runtime:
    """The runtime of the command being run (for the commands defined beside this module)."""
    return _runtime()


def _runtime() -> Runtime:
    runtime = click.get_current_context().find_object(Runtime)
    if runtime is None:  # a command run outside the group command_line builds
        raise RuntimeError("commande lancée sans le groupe mille-jours (command_line)")
    return runtime


def command_line(runtime: Runtime) -> click.Group:
    """The `mille-jours` command, its sources read and its package published by `runtime`."""

    @click.group(context_settings={"help_option_names": ["-h", "--help"], "obj": runtime})
    @click.help_option("-h", "--help", help=_HELP)
    @click.option(
        "--debug",
        is_flag=True,
        envvar="MILLE_JOURS_DEBUG",
        help="Afficher la trace Python complète d'une erreur inattendue (ou MILLE_JOURS_DEBUG=1).",
    )
    def main(debug: bool) -> None:
        """Financements « 1000 premiers jours » : des listes régionales au paquet de données publié."""

    from pipelines.web.command import serve

    for command in (validate, new_source, publish, serve):
        main.add_command(command)
    return main


def _debug() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and ctx.find_root().params.get("debug"))


def _no_traceback(command):
    """A contributor sees a message and a fix, never a Python traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (SystemExit, KeyboardInterrupt, click.exceptions.Exit, click.ClickException):
            raise
        except BrokenPipeError:  # the report piped into `head`: the reader has all it wanted
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # a bug of ours: say so plainly, with what to send us
            if _debug():
                traceback.print_exc()
            explained = _explained(exc)
            if explained:
                _fail(explained)
            click.echo(
                f"Erreur inattendue de mille-jours ({type(exc).__name__} : {exc}). À faire : relancer ; "
                "si elle revient, la signaler aux mainteneurs avec la commande lancée, le fichier et la "
                "trace affichée par `mille-jours --debug …`.",
                err=True,
            )
            sys.exit(EXIT_UNREADABLE)

    return wrapper


def _explained(error: Exception) -> str | None:
    """The runtime's message for a failure of a service it relies on, if it is one."""
    ctx = click.get_current_context(silent=True)
    runtime = ctx.find_object(Runtime) if ctx else None
    return runtime.explain_failure(error) if runtime else None


def _fail(message: str) -> NoReturn:
    click.echo(message, err=True)
    sys.exit(EXIT_UNREADABLE)


def _read(sources: list[RawSource], root: Path) -> list[StagedSource]:
    """Each source's reading, in the order given: a source `discover` refuses is not read."""
    from pipelines.stage.source import refused_source

    readings = iter(_runtime().read_sources([s.manifest for s in sources if not s.refusal], root))
    return [refused_source(s, root) if s.refusal else next(readings) for s in sources]


@click.command()
@click.help_option("-h", "--help", help=_HELP)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    help="text (défaut) pour lire, json pour les machines (clés stables).",
)
@_no_traceback
def validate(paths: tuple[Path, ...], fmt: str) -> None:
    """Vérifier des fichiers bruts avant de les soumettre (fichier, manifeste ou dossier).

    Pour chaque source : lignes lues, acceptées, rejetées et ignorées ; chiffres annoncés
    (declared) contre chiffres calculés ; puis chaque problème avec son fichier, sa feuille ou
    page, sa ligne, sa colonne, sa valeur, ce qui ne va pas et comment le corriger.

    \b
    Code de sortie :
      0  tout est accepté ; les avertissements (montant nul, doublon, intitulé
         égal au bénéficiaire) sont à relire mais n'empêchent pas la soumission ;
         un doute (montant hors de proportion, au-dessus de l'enveloppe…) l'empêche
         tant que le manifeste ne le règle pas ;
      1  lignes rejetées, total annoncé non retrouvé, ou données personnelles
         (e-mail, téléphone) n'importe où dans le fichier : raw/ est public,
         elles doivent être retirées avant de soumettre ;
      2  fichier illisible, manifeste invalide ou encore à compléter
         (« À COMPLÉTER »), chemin introuvable ou mauvais usage.
    """
    from pipelines.consolidate.tables import reject_cross_source_clashes
    from pipelines.contribute.report import as_json, exit_code
    from pipelines.contribute.report_text import as_text
    from pipelines.stage.doubts_campaign import campaign_conflicts

    if not paths:
        _fail(
            "Aucun chemin donné. Exemple : mille-jours validate raw/normandie/2024/ "
            "(un fichier, son manifeste .yaml ou un dossier)."
        )
    missing = [p for p in paths if not p.exists()]
    if missing:
        _fail(
            f"Introuvable : {', '.join(str(p) for p in missing)}. À faire : vérifier le chemin "
            "(un fichier, son manifeste .yaml ou un dossier de raw/)."
        )
    from pipelines.read.named_sources import raw_root_of, sources_named

    sources = sources_named(paths)
    if not sources:
        _fail(
            f"Aucun manifeste (.yaml) ni fichier de données dans {', '.join(str(p) for p in paths)}. À faire : "
            "déposer la liste publiée puis préparer son manifeste avec "
            "`mille-jours new-source FICHIER --region R --year A`."
        )
    # Read side by side, in the order given (neighbouring manifests share their raw/ folder).
    staged = [
        s
        for root, group in groupby(sources, key=lambda s: raw_root_of(s.manifest))
        for s in campaign_conflicts(_read(list(group), root), root)
    ]
    reject_cross_source_clashes(staged)
    click.echo(as_json(staged) if fmt == "json" else as_text(staged))
    sys.exit(exit_code(staged))


@click.command("new-source")
@click.help_option("-h", "--help", help=_HELP)
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--region", help="Code INSEE (28) ou nom (Normandie) de la région.")
@click.option(
    "--year",
    help="Année de la campagne (2021, 2022…) ; pour une liste sur plusieurs années, celle de sa "
    "publication.",
)
@click.option(
    "--table",
    type=click.Choice(TABLE_CHOICES),
    default="awards",
    show_default=True,
    help="awards : liste des lauréats ; campaign_budgets : enveloppes par financeur ; "
    "campaigns : chiffres d'ensemble d'une campagne.",
)
@click.option("--force", is_flag=True, help="Remplacer le manifeste s'il existe déjà.")
@_no_traceback
def new_source(file: Path, region: str | None, year: str | None, table: str, force: bool) -> None:
    """Préparer le manifeste d'un fichier publié, en lisant le fichier.

    Trouve la ligne d'en-tête, propose les colonnes d'après les intitulés connus, détecte
    l'encodage, le séparateur et la décimale, puis écrit FICHIER.yaml à côté du fichier. Ce que
    seul le contributeur sait (éditeur, adresse, chiffres annoncés) est marqué « À COMPLÉTER »
    ou « À VÉRIFIER ». Refuse de remplacer un manifeste existant sans --force.

    Code de sortie : 0 manifeste écrit ; 2 fichier introuvable ou illisible, manifeste déjà
    présent, région ou année invalide.
    """
    from pipelines.common.problems import SourceError
    from pipelines.contribute.new_source import draft, write
    from pipelines.read.files import check_file

    if not file.is_file():
        _fail(
            f"Introuvable : {file}. À faire : donner le chemin du fichier publié (CSV, XLSX, ODS, PDF, HTML, JSON, DOCX)."
        )
    if not region or not year:
        _fail(
            "Il manque --region ou --year. Exemple : mille-jours new-source raw/normandie/2024/laureats.csv "
            "--region Normandie --year 2024"
        )
    if not year.isdigit() or not 2020 <= int(year) <= 2035:
        _fail(
            f"Année invalide « {year} ». À faire : donner l'année de la campagne, entre 2020 et 2035."
        )
    try:
        check_file(file)  # a symlink out of the folder, a FIFO or a device is never read
        # Every look at the file, its neighbours' manifests too, under the limits of a reading.
        d: Draft = _runtime().in_sandbox(draft, file, region, int(year), table)
        write(d, force)
    except SourceError as exc:
        _fail(exc.describe())
    click.echo(f"Manifeste écrit : {d.manifest_path}")
    _echo_draft(d)
    _echo_trial(d.manifest_path)
    click.echo(f"Ensuite : compléter le manifeste, puis `mille-jours validate {d.manifest_path}`.")


def _echo_draft(d: Draft) -> None:
    """What the draft proposes, for the contributor to read before opening the manifest."""
    where = f"{d.header_place}, ligne {d.header_row}" if d.header_place else f"ligne {d.header_row}"
    if d.header_row == 0:  # a JSON file: row 0 is the records' keys
        where = f": les clés des enregistrements ({d.header_place})"
    click.echo(
        f"  en-tête introuvable : colonnes par leur rang, read.header_row à la {where}"
        if d.by_position
        else f"  en-tête trouvé {where}"
    )
    for name, label in d.columns.items():
        click.echo(f"  {name:<17} ← « {label} »")
    for funder, label in d.by_funder.items():
        click.echo(f"  montant {funder:<9} ← « {label} »")
    if d.unmapped:
        click.echo("  non reprises    : " + ", ".join(f"« {x} »" for x in d.unmapped))
    click.echo(f"  À COMPLÉTER     : {', '.join(d.to_complete)}")
    click.echo(f"  À VÉRIFIER      : {', '.join(d.to_check)}")
    for note in d.notes:
        click.echo(f"  note            : {note}")


def _echo_trial(manifest_path: Path) -> None:
    """The draft read as validate will read it: its counts, and every doubt with how to settle it."""
    from pipelines.contribute.report_text import plural
    from pipelines.read.named_sources import raw_root_of

    trial = next(iter(_runtime().read_sources([manifest_path], raw_root_of(manifest_path))))
    if trial.error is None:
        s = trial.source
        click.echo(
            f"  essai de lecture : {s['rows_read']} lignes lues = {plural(s['rows_accepted'], 'acceptée')} + "
            f"{plural(s['rows_rejected'], 'rejetée')} + {plural(s['rows_skipped'], 'ignorée')}"
        )
        for w in (w for w in trial.warnings if w.code in DOUBT_CODES):
            click.echo(f"  DOUTE           : {w.message.removeprefix('doute : ')}")
            click.echo(f"                    → {w.fix}")
    else:
        click.echo(f"  essai de lecture : {trial.error.describe()}")


@click.command()
@click.help_option("-h", "--help", help=_HELP)
@click.option(
    "--root",
    type=click.Path(path_type=Path, file_okay=False),
    default=".",
    help="Dossier du projet (raw/ et published/).",
)
@click.option("--verbose", is_flag=True, help="Afficher le journal complet de Dagster.")
@click.option(
    "--allow-removals",
    is_flag=True,
    help="Publier même si des sources de la publication précédente n'y sont plus (retrait voulu).",
)
@_no_traceback
def publish(root: Path, verbose: bool, allow_removals: bool) -> None:
    """Lire toutes les sources de raw/ avec Dagster et publier le paquet dans published/.

    Code 0 : tout ce qui est dans raw/ est publié dans sa version actuelle. Code 1 : une source
    refusée, illisible, non lue, ou retenue sur sa dernière lecture valide (une source de la
    publication précédente qui ne peut plus être publiée : les autres le sont ; --allow-removals
    la retire), ou la publication refusée (published/ inchangé) ; la dernière ligne dit quoi,
    source par source. Refuse de démarrer hors d'un projet (pas de raw/).
    """
    started = time.perf_counter()
    root = root.resolve()
    if not (root / "raw").is_dir():
        _fail(
            f"Pas de dossier raw/ dans {root} : ce n'est pas un projet mille-jours, rien n'est publié. "
            "À faire : lancer la commande depuis le dossier du projet, ou donner --root DOSSIER."
        )
    os.environ["MILLE_JOURS_ROOT"] = str(root)
    ok, lines = _runtime().publish(root, verbose, allow_removals)
    # When not everything was published, the last line says what failed, per source: it stays last.
    said, last = (lines, []) if ok else (lines[:-1], lines[-1:])
    for line in said:
        click.echo(line)
    click.echo(f"Terminé en {time.perf_counter() - started:.1f} s.")
    for line in last:
        click.echo(line)
    sys.exit(0 if ok else 1)
