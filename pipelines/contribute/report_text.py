"""The contributor's report as French text: per source, the counts, the figures against what was
announced, then each problem with its place and fix; a summary and the exit code last."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePosixPath
from typing import Any

from pipelines.common.doubts import DOUBT_CODES
from pipelines.common.text import french_number
from pipelines.contribute.report import (
    EXIT_OK,
    EXIT_REASONS,
    exit_code,
    manifest_path,
    more_than_partial,
    source_problems,
    summary,
    verdict,
)
from pipelines.stage.quality import TODO_CODE
from pipelines.stage.staged import StagedSource
from schemas.vocabularies import SEARCH_KIND

# How each kind of line set aside is named in the counts (« 1 vide, 1 en-tête, 2 titre »).
SKIP_KINDS = {
    "title": "titre",
    "header": "en-tête",
    "blank": "vide",
    "note": "note",
    "total": "total",
    "filtered": "filtre",
    "other_table": "autre tableau",
    "group": "en-tête de projet",
    "hidden": "masquée",
}


def as_text(staged: list[StagedSource]) -> str:
    lines: list[str] = []
    for s in staged:
        lines += _source_text(s)
        lines.append("")
    lines += _summary_text(staged)
    return "\n".join(lines)


def _campaigns_text(s: StagedSource) -> str:
    if s.table == SEARCH_KIND:  # a search record: the region × years where nothing was found
        return f"rien de public trouvé pour {plural(len(s.rows), 'case')} région × année"
    if s.campaigns is None:
        return f"campagne {s.source.get('campaign_id')}"
    # A list over several years: a campaign per year, with its lines.
    by_campaign = s.lines_by_campaign()
    shown = ", ".join(f"{c} ({plural(n, 'ligne')})" for c, n in by_campaign.items())
    return f"campagnes {shown or 'aucune'}"


def plural(n: int, word: str, many: str | None = None) -> str:
    """French agreement: 0 and 1 take the singular."""
    return f"{n} {word if n <= 1 else (many or word + 's')}"


def _source_text(s: StagedSource) -> list[str]:
    src = s.source
    lines = [
        f"══ {s.source_id} — {verdict(s).upper()}",
        f"   fichier    {src['path']}" + (f" ({src['format']})" if src.get("format") else ""),
        f"   manifeste  {manifest_path(s)}",
    ]
    if s.error is None:
        lines.append(f"   table      {s.table}, {_campaigns_text(s)}")
        lines.append(
            f"   lignes     {src['rows_read']} lues = {plural(src['rows_accepted'], 'acceptée')} + "
            f"{plural(src['rows_rejected'], 'rejetée')} + {plural(src['rows_skipped'], 'ignorée')}"
        )
        kinds = Counter(x.kind for x in s.skipped)
        if kinds:
            lines.append(
                "              ignorées : "
                + ", ".join(f"{n} {SKIP_KINDS.get(k, k)}" for k, n in sorted(kinds.items()))
            )
        lines += _skipped_text(s)
        lines += _figures_text(s)
    problems = source_problems(s)
    if problems:
        lines.append(f"   problèmes  {_counts(problems)}")
    else:
        lines.append("   problèmes  aucun")
    for p in problems:
        lines += _problem_text(p)
    return lines


def _counts(problems: list[dict[str, Any]]) -> str:
    errors = sum(p["severity"] == "error" for p in problems)
    warnings = sum(p["severity"] == "warning" for p in problems)
    personal = sum(p["personal_data"] for p in problems)
    return f"{plural(errors, 'erreur')}, {plural(warnings, 'avertissement')}" + (
        f" dont {plural(personal, 'donnée personnelle', 'données personnelles')}"
        if personal
        else ""
    )


def _skipped_text(s: StagedSource, limit: int = 10) -> list[str]:
    """Totals, notes, filtered, grouped and hidden lines are listed: the contributor checks no project
    hides among them."""
    shown = [x for x in s.skipped if x.kind in ("total", "note", "filtered", "group", "hidden")]
    lines = []
    for x in shown[:limit]:
        where = f"{x.place}, ligne {x.row}" if x.place else f"ligne {x.row}"
        text = x.text if len(x.text) <= 70 else x.text[:69] + "…"
        lines.append(f"              {where} ignorée ({x.reason}) : « {text} »")
    if len(shown) > limit:
        lines.append(
            f"              … et {len(shown) - limit} autres (--format json pour tout voir)"
        )
    return lines


def _figures_text(s: StagedSource) -> list[str]:
    if s.table != "awards":
        return []
    computed = s.computed()
    entries = {e["figure"]: e for e in s.reconciliation()}
    if not entries:
        count = computed["awards_count"] or 0
        total = (
            "montants non publiés"
            if computed["total_eur"] is None
            else f"{french_number(computed['total_eur'])} €"
        )
        return [
            f"   totaux     calculé : {plural(count, 'lauréat')}, {total} ; rien d'annoncé à comparer "
            "(ajouter declared au manifeste si l'éditeur a publié des totaux)"
        ]
    lines = ["   totaux     annoncé (declared) / calculé (lignes acceptées)"]
    for figure, label, unit in (
        ("awards_count", "lauréats", ""),
        ("total_eur", "montant total", " €"),
    ):
        e = entries.get(figure)
        if e is None:
            continue
        got = "—" if e["computed"] is None else french_number(e["computed"]) + unit
        mark = _gap(e, unit)
        if not e["matches"] and s.partial:
            more = more_than_partial(s, e)
            mark += (
                " (liste partielle : plus qu'annoncé)" if more else " (liste partielle : attendu)"
            )
        lines.append(
            f"              {label:<14} {french_number(e['declared']) + unit:>14} / {got:<14} {mark}"
        )
    return lines


def _gap(e: dict[str, Any], unit: str) -> str:
    if e["matches"]:
        return "identique"
    if e["computed"] is None:
        return "ÉCART (non calculable)"
    diff = float(e["computed"]) - float(e["declared"])
    return f"ÉCART de {'+' if diff > 0 else '-'}{french_number(abs(diff))}{unit}"


def _problem_text(p: dict[str, Any]) -> list[str]:
    kind = (
        "DONNÉE PERSONNELLE"
        if p["personal_data"]
        else "ERREUR"
        if p["severity"] == "error"
        else "À COMPLÉTER"
        if p["code"] == TODO_CODE
        else "DOUTE"
        if p["code"] in DOUBT_CODES
        else "ATTENTION"
    )
    file = PurePosixPath(p["file"]).name
    where = ", ".join(
        x
        for x in (
            file,
            p["place"],
            f"ligne {p['row']}" if p["row"] else None,
            f"colonne « {p['column']} »" if p["column"] else None,
        )
        if x
    )
    value = f" — valeur « {p['value']} »" if p["value"] not in (None, "") else ""
    return [
        f"   [{kind}] {where}{value}",
        f"      problème   : {p['message']}",
        f"      correction : {p['fix']}",
    ]


def _summary_text(staged: list[StagedSource]) -> list[str]:
    n = summary(staged)
    code = exit_code(staged)
    parts = [plural(n["accepted"], "acceptée"), f"{n['to_fix']} à corriger"]
    if n["manifest_to_complete"]:
        parts.append(f"{n['manifest_to_complete']} manifeste(s) à compléter")
    if n["unreadable"]:
        parts.append(f"{n['unreadable']} illisible(s) ou manifeste invalide")
    problems = [p for s in staged for p in source_problems(s)]
    lines = [
        f"Bilan : {plural(n['sources'], 'source vérifiée', 'sources vérifiées')} — {', '.join(parts)} ; "
        f"{_counts(problems)}."
    ]
    lines.append(f"Code de sortie {code} : {EXIT_REASONS[code]}.")
    if code == EXIT_OK:
        lines.append("Prêt à soumettre (voir raw/README.md, « Soumettre »).")
    else:
        lines.append("À corriger avant de soumettre : chaque problème ci-dessus dit où et comment.")
    return lines
