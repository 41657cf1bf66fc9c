"""The data-quality report a contributor acts on: text in French, or JSON for machines.

Every problem names its file, its place (sheet or page, row, column), the value, what is wrong
and how to fix it. The JSON keys are stable: scripts and CI read them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

import pandas as pd

from pipelines.common.doubts import DOUBT_CODES
from pipelines.common.text import french_number
from pipelines.stage.publishable import refusal
from pipelines.stage.quality import BLOCKING_CODES, PERSONAL_CODES, TODO_CODE
from pipelines.stage.staged import StagedSource

EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2
JSON_FORMAT_VERSION = 1

EXIT_REASONS = {
    EXIT_OK: "toutes les sources sont acceptées (les avertissements restent à relire)",
    EXIT_REJECTED: "des lignes sont rejetées, un total annoncé ne correspond pas, ou le fichier contient "
    "des données personnelles",
    EXIT_UNREADABLE: "un fichier est illisible, ou un manifeste est invalide ou pas encore complété",
}


def _codes(s: StagedSource) -> set[str]:
    return {w.code for w in s.warnings if w.code}


# Amounts read by OCR that do not make up the document's TOTAL: to be fixed before submitting.
CHECK_CODES = frozenset({"ocr_total_mismatch"})


def _unfinished(s: StagedSource) -> bool:
    """Not published as it stands because its manifest is still a draft (`pipelines/stage/publishable.py`)."""
    held = refusal(s)
    return held is not None and held.status == "bad_manifest"


def _to_fix(s: StagedSource) -> bool:
    """Rejected lines, a declared figure missed, OCR amounts off their TOTAL, or held back (personal data)."""
    return bool(
        s.source["rows_rejected"]
        or _codes(s) & CHECK_CODES
        or refusal(s) is not None
        or any(not e["matches"] for e in s.reconciliation() if not s.partial)
    )


def exit_code(staged: list[StagedSource]) -> int:
    """0 all accepted; 1 rejected rows, a declared figure missed, or personal data; 2 unreadable or bad manifest."""
    if any(s.error is not None or _unfinished(s) for s in staged):
        return EXIT_UNREADABLE
    if any(_to_fix(s) for s in staged):
        return EXIT_REJECTED
    return EXIT_OK


def verdict(s: StagedSource) -> str:
    """One word a contributor reads first: accepted, to fix, or not read at all."""
    if s.error is not None:
        return {"bad_manifest": "manifeste invalide", "refused": "refusée"}.get(
            s.status, "illisible"
        )
    if _unfinished(s):
        return "manifeste à compléter"
    return "à corriger" if _to_fix(s) else "acceptée"


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and value != value:
        return None
    return value.item() if hasattr(value, "item") else value


def manifest_path(s: StagedSource) -> str:
    return str(PurePosixPath(s.source["path"]).with_suffix(".yaml"))


def source_problems(s: StagedSource) -> list[dict[str, Any]]:
    """Every problem of a source, as one flat list: file, place, row, column, value, message, fix."""
    path = s.source["path"]
    if s.error is not None:
        return [
            _problem(
                "error",
                s.status,
                s.error.path,
                s.error.place,
                None,
                None,
                None,
                s.error.message,
                s.error.fix,
            )
        ]
    out = []
    # Most sources reject no row: pandas would still build a namedtuple class or records for none.
    for r in s.rejects.to_dict("records") if len(s.rejects) else ():
        out.append(
            _problem(
                "error",
                "rejected_row",
                path,
                _clean(r["place"]),
                _clean(r["source_row"]),
                _clean(r["column"]),
                _clean(r["value"]),
                r["reason"],
                _clean(r["fix"]),
            )
        )
    out += [
        _declared_mismatch(s, e)
        for e in s.reconciliation()
        if not e["matches"] and not more_than_partial(s, e)
    ]
    for w in s.warnings:
        on_manifest = w.code == TODO_CODE or (w.place or "").startswith("manifeste")
        file = manifest_path(s) if on_manifest else path
        out.append(
            _problem(w.severity, w.code, file, w.place, w.row, w.column, w.value, w.message, w.fix)
        )
    # What stops a submission first (errors, placeholders, personal data), then in file order.
    return sorted(
        out, key=lambda p: (_rank(p), p["file"], p["place"] or "", p["row"] or 0, p["column"] or "")
    )


def _declared_mismatch(s: StagedSource, e: dict[str, Any]) -> dict[str, Any]:
    """An announced figure the file's lines miss: an error, a warning for a partial list."""
    label = "nombre de lauréats" if e["figure"] == "awards_count" else "montant total"
    key = "awards_count" if e["figure"] == "awards_count" else "total_amount_eur"
    computed = (
        "non calculable (montants non publiés)" if e["computed"] is None else _num(e["computed"])
    )
    return _problem(
        "warning" if s.partial else "error",
        "declared_mismatch",
        manifest_path(s),
        f"manifeste, clé declared.{key}",
        None,
        None,
        _num(e["declared"]),
        f"{label} annoncé {_num(e['declared'])}, lignes du fichier : {computed}"
        + (" (liste partielle déclarée)" if s.partial else ""),
        "rien à faire si la source ne nomme qu'une partie des lauréats (partial: true)"
        if s.partial
        else "vérifier les lignes rejetées et ignorées ci-dessus ; compléter la liste, corriger le "
        "chiffre annoncé, ou indiquer `partial: true` si la source n'en nomme qu'une partie",
    )


def more_than_partial(s: StagedSource, e: dict[str, Any]) -> bool:
    """More than announced in a partial list: never expected, said by the doubt more_than_declared."""
    return s.partial and e["computed"] is not None and float(e["computed"]) > float(e["declared"])


def _rank(p: dict[str, Any]) -> int:
    if p["severity"] == "error":
        return 0
    if p["code"] == TODO_CODE:
        return 1
    return 2 if p["personal_data"] else 3 if p["code"] in DOUBT_CODES else 4


def _problem(
    severity: str,
    code: str | None,
    file: str,
    place: Any,
    row: Any,
    column: Any,
    value: Any,
    message: str,
    fix: Any,
) -> dict[str, Any]:
    return {
        "severity": severity,
        "code": code,
        "blocking": severity == "error" or code in BLOCKING_CODES,
        "personal_data": code in PERSONAL_CODES,
        "file": file,
        "place": place,
        "row": row,
        "column": column,
        "value": value,
        "message": message,
        "fix": fix,
    }


def _num(value: Any) -> str:
    return french_number(value)


def source_report(s: StagedSource) -> dict[str, Any]:
    src = s.source
    return {
        "source_id": s.source_id,
        "status": s.status,
        "verdict": verdict(s),
        "path": src["path"],
        "manifest": manifest_path(s),
        "format": src.get("format"),
        "table": s.table,
        "campaign_id": src.get("campaign_id"),
        "lines_by_campaign": s.lines_by_campaign(),
        **{
            k: _clean(src[k])
            for k in ("rows_read", "rows_accepted", "rows_rejected", "rows_skipped")
        },
        "skipped_by_kind": dict(sorted(Counter(x.kind for x in s.skipped).items())),
        "skipped_rows": [
            {"row": x.row, "place": x.place, "kind": x.kind, "reason": x.reason, "text": x.text}
            for x in s.skipped
        ],
        "declared": {k: _clean(v) for k, v in s.declared.items()},
        "computed": s.computed(),
        "reconciliation": s.reconciliation(),
        "problems": source_problems(s),
    }


def summary(staged: list[StagedSource]) -> dict[str, int]:
    verdicts = Counter(verdict(s) for s in staged)
    problems = [p for s in staged for p in source_problems(s)]
    return {
        "sources": len(staged),
        "accepted": verdicts["acceptée"],
        "to_fix": verdicts["à corriger"],
        "manifest_to_complete": verdicts["manifeste à compléter"],
        "unreadable": verdicts["illisible"] + verdicts["manifeste invalide"],
        "errors": sum(p["severity"] == "error" for p in problems),
        "warnings": sum(p["severity"] == "warning" for p in problems),
        "personal_data": sum(p["personal_data"] for p in problems),
    }


def as_json(staged: list[StagedSource]) -> str:
    code = exit_code(staged)
    data = {
        "format_version": JSON_FORMAT_VERSION,
        "exit_code": code,
        "exit_reason": EXIT_REASONS[code],
        "summary": summary(staged),
        "sources": [source_report(s) for s in staged],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)
