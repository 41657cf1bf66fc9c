"""A manifest file read: its YAML parsed with a safe loader (no alias), checked against the
manifest's schema (pipelines/read/manifest.py), every problem said in French with its key."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from pipelines.common.personal import excerpt
from pipelines.common.problems import SourceError
from pipelines.common.text import french_number
from pipelines.read.manifest import MAX_MANIFEST_CHARS, Manifest


def _where(loc: tuple[Any, ...]) -> str:
    return (
        ".".join(str(part) for part in loc if not str(part).startswith("function-")) or "(racine)"
    )


def load_manifest(path: Path) -> Manifest:
    """Parse and check a manifest; any problem is a SourceError naming the file, the key and the fix."""
    data = _yaml_mapping(path, _text(path))
    try:
        return Manifest.model_validate(data)
    except ValidationError as exc:
        raise _schema_error(path, exc) from exc


def load_mapping(path: Path) -> dict:
    """The YAML of a manifest or a search record, safe-loaded, before any schema."""
    return _yaml_mapping(path, _text(path))


def schema_error(path: Path, exc: ValidationError) -> SourceError:
    """pydantic's errors on a manifest or a search record, in French, key by key."""
    return _schema_error(path, exc)


def _text(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SourceError(
            path, "le manifeste n'est pas en UTF-8", fix="l'enregistrer en UTF-8"
        ) from None
    except FileNotFoundError:
        raise SourceError(
            path,
            "pas de manifeste à côté du fichier",
            fix="le préparer avec `mille-jours new-source FICHIER --region R --year A`, "
            "puis le compléter (raw/README.md)",
        ) from None
    except OSError as exc:
        raise SourceError(
            path,
            f"manifeste illisible ({type(exc).__name__})",
            fix="vérifier le chemin et les droits de lecture du fichier",
        ) from exc
    if len(text) > MAX_MANIFEST_CHARS:
        raise SourceError(
            path,
            f"manifeste de {len(text)} caractères : un manifeste en compte quelques centaines",
            fix="repartir de l'exemple du guide de contribution (raw/README.md)",
        )
    _refuse_deep(path, text)
    return text


# A manifest nests four or five levels (columns.amount_eur_by_funder.ARS); libyaml's loader recurses
# once per level, with no bound of its own: tens of thousands of « [ » overflow its stack.
MAX_MANIFEST_DEPTH = 20
_BRACKETS = re.compile(r"[^\[\]{}]+")
_INDICATORS = re.compile(r"(?:[-?:](?:[ \t]+|$))*")


def _refuse_deep(path: Path, text: str) -> None:
    """Refuse a manifest nested deeper than any manifest needs, before any YAML parser sees it.

    A cheap bound that never counts less than YAML does: every bracket counts, even quoted, and
    each block level is a deeper indentation or a « - » opening a list on the line."""
    flow = deepest = 0
    for mark in _BRACKETS.sub("", text):
        flow = flow + 1 if mark in "[{" else max(flow - 1, 0)
        deepest = max(deepest, flow)
    indents: list[int] = []
    block = 0
    for line in text.splitlines():
        content = line.lstrip(" ")
        if not content or content.startswith("#"):
            continue
        column = len(line) - len(content)
        while indents and indents[-1] >= column:
            indents.pop()
        indents.append(column)
        markers = _INDICATORS.match(content)
        nested = markers.group().count("-") + markers.group().count("?") if markers else 0
        block = max(block, len(indents) + nested)
    if deepest > MAX_MANIFEST_DEPTH or block > MAX_MANIFEST_DEPTH:
        raise SourceError(
            path,
            f"manifeste trop imbriqué (plus de {MAX_MANIFEST_DEPTH} niveaux de listes ou de clés "
            "les unes dans les autres) : un manifeste en compte quatre ou cinq",
            status="bad_manifest",
            fix="repartir de l'exemple du guide de contribution (raw/README.md), ou le préparer "
            "avec `mille-jours new-source FICHIER --region R --year A`",
        )


def _yaml_mapping(path: Path, text: str) -> dict:
    try:
        data = _parse(path, text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f"ligne {mark.line + 1}, colonne {mark.column + 1}" if mark else None
        raise SourceError(
            path,
            f"YAML invalide : {_yaml_french(getattr(exc, 'problem', None))}",
            place=place,
            fix="corriger la syntaxe YAML (indentation, deux-points, guillemets)",
        ) from exc
    if not isinstance(data, dict):
        raise SourceError(
            path,
            "le manifeste doit être un dictionnaire de clés YAML",
            fix="partir de l'exemple du guide de contribution (raw/README.md)",
        )
    return data


def _schema_error(path: Path, exc: ValidationError) -> SourceError:
    errors = exc.errors()
    # A key typed `str | dict` fails once per type: one message per key is enough.
    by_key = {
        _where(
            e["loc"][:-1] if e["loc"] and e["loc"][-1] in ("str", "dict[str,str]") else e["loc"]
        ): e
        for e in reversed(errors)
    }
    messages = "; ".join(f"{key} : {_french(e)}" for key, e in reversed(by_key.items()))
    return SourceError(
        path,
        messages,
        place=f"clé {_where(errors[0]['loc'])}",
        fix="corriger ces clés du manifeste (voir raw/README.md)",
    )


_FRENCH = {  # pydantic's error types, said in French (its own messages are English)
    "string_type": "texte attendu",
    "string_too_short": "valeur vide : à remplir",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu (sans décimales)",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu (chiffres, point décimal)",
    "finite_number": "nombre fini attendu (ni inf ni NaN)",
    "bool_type": "true ou false attendu",
    "bool_parsing": "true ou false attendu",
    "dict_type": "dictionnaire de clés attendu (clé: valeur, une par ligne)",
    "model_type": "dictionnaire de clés attendu (clé: valeur, une par ligne)",
    "model_attributes_type": "dictionnaire de clés attendu (clé: valeur, une par ligne)",
    "tuple_type": 'liste attendue (ex. ["^TOTAL"])',
    "list_type": 'liste attendue (ex. ["^TOTAL"])',
    "none_required": "aucune valeur attendue",
}


def _bound(value: Any) -> str:
    return french_number(value) if isinstance(value, (int, float)) else str(value)


_YAML_FRENCH = (  # PyYAML's problems, in French
    (
        "mapping values are not allowed",
        "deux-points mal placé (une valeur contenant « : » se met entre guillemets)",
    ),
    (
        "cannot start any token",
        "caractère interdit en début de valeur (tabulation : utiliser des espaces)",
    ),
    ("could not find expected ':'", "deux-points attendu après la clé"),
    ("expected <block end>", "indentation incohérente"),
    ("did not find expected key", "indentation incohérente"),
    ("unexpected end of stream", "guillemet ou crochet non fermé"),
    ("found duplicate anchor", "ancre YAML en double"),
)


def _yaml_french(problem: str | None) -> str:
    for english, french in _YAML_FRENCH:
        if problem and english in problem:
            return french
    return "syntaxe incorrecte"


# libyaml when present, PyYAML's own parser otherwise (a national run reads hundreds of manifests);
# on a syntax error PyYAML's parser reads it again, for the messages _YAML_FRENCH knows.
_LOADERS = (yaml.CSafeLoader, yaml.SafeLoader) if yaml.__with_libyaml__ else (yaml.SafeLoader,)


def _parse(path: Path, text: str) -> Any:
    for loader in _LOADERS:
        try:
            _refuse_aliases(path, text, loader)
            return yaml.load(text, Loader=loader)
        except yaml.YAMLError:
            if loader is _LOADERS[-1]:
                raise
    raise AssertionError("unreachable: the last loader raises")


def _refuse_aliases(path: Path, text: str, loader: type) -> None:
    """YAML anchors and aliases (`&a`, `*a`) are refused: nested, they make a few lines expand into
    billions of values (« billion laughs »), and a manifest has no use for them."""
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise SourceError(
                path,
                "alias YAML (*nom) refusé dans un manifeste",
                status="bad_manifest",
                place=f"ligne {mark.line + 1}, colonne {mark.column + 1}",
                fix="écrire chaque valeur en entier, sans ancre (&nom) ni alias (*nom)",
            )


def _french(error: dict[str, Any]) -> str:
    kind = error["type"]
    shown = (
        f" (valeur « {excerpt(error.get('input'))} »)"
        if "input" in error and not isinstance(error.get("input"), (dict, list, tuple))
        else ""
    )
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "clé obligatoire absente"
    if kind == "extra_forbidden":
        return "clé inconnue (faute de frappe ?)"
    if kind == "literal_error":
        return f"valeur « {excerpt(error.get('input'))} » non permise ({ctx.get('expected', '')})".replace(
            " or ", " ou "
        )
    if kind.startswith("date"):
        return f"date invalide « {excerpt(error.get('input'))} » (format AAAA-MM-JJ)"
    if kind == "string_too_long":
        length = len(str(error.get("input", "")))
        return (
            f"texte de {french_number(length)} caractères, {french_number(ctx.get('max_length', 0))} "
            f"au plus (« {excerpt(error.get('input'))} »)"
        )
    if kind == "string_pattern_mismatch":
        return f"valeur « {excerpt(error.get('input'))} » invalide (minuscules, chiffres et tirets)"
    if kind == "value_error":
        return str(ctx.get("error", "valeur refusée"))
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"doit être {'au moins' if kind == 'greater_than_equal' else 'plus grand que'} {_bound(bound)}{shown}"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"doit être {'au plus' if kind == 'less_than_equal' else 'plus petit que'} {_bound(bound)}{shown}"
    if kind in _FRENCH:
        return _FRENCH[kind] + shown
    return f"valeur refusée{shown}"
