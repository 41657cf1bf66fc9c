"""The data-quality report a contributor acts on: text in French, or JSON for machines."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from pipelines.ingest import StagedSource

EXIT_OK, EXIT_REJECTED, EXIT_UNREADABLE = 0, 1, 2


def exit_code(staged: list[StagedSource]) -> int:
    if any(s.error is not None for s in staged):
        return EXIT_UNREADABLE
    if any(s.source["rows_rejected"] for s in staged) or any(
            not e["matches"] for s in staged if not s.partial for e in s.reconciliation()):
        return EXIT_REJECTED
    return EXIT_OK


def _clean(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if value is pd.NA:
        return None
    return value.item() if hasattr(value, "item") else value


def source_problems(s: StagedSource) -> list[dict[str, Any]]:
    """Every problem of a source, as one flat list: file, place, row, column, value, message, fix."""
    path = s.source["path"]
    if s.error is not None:
        return [{"severity": "error", "file": s.error.path, "place": s.error.place, "row": None, "column": None,
                 "value": None, "message": s.error.message, "fix": s.error.fix}]
    out = []
    for r in s.rejects.itertuples():
        out.append({"severity": "error", "file": path, "place": _clean(r.place), "row": _clean(r.source_row),
                    "column": _clean(r.column), "value": _clean(r.value), "message": r.reason, "fix": _clean(r.fix)})
    for w in s.warnings:
        out.append({"severity": w.severity, "file": path, "place": w.place, "row": w.row, "column": w.column,
                    "value": w.value, "message": w.message, "fix": w.fix})
    for e in s.reconciliation():
        if not e["matches"]:
            label = "nombre de lauréats" if e["figure"] == "awards_count" else "montant total"
            computed = "non calculable (montants non publiés)" if e["computed"] is None else _num(e["computed"])
            out.append({"severity": "warning" if s.partial else "error", "file": path,
                        "place": "manifeste, declared", "row": None, "column": None, "value": None,
                        "message": f"{label} annoncé {_num(e['declared'])}, lignes du fichier : {computed}"
                                   + (" (liste partielle déclarée)" if s.partial else ""),
                        "fix": "rien à faire si la source ne nomme qu'une partie des lauréats (partial: true)"
                               if s.partial else
                               "compléter la liste, ou indiquer `partial: true` si la source n'en nomme qu'une partie"})
    return out


def _num(value: Any) -> str:
    value = float(value)
    return f"{value:,.0f}".replace(",", "\u202f") if value.is_integer() else f"{value:,.2f}".replace(",", "\u202f")


def as_json(staged: list[StagedSource]) -> str:
    data = {
        "exit_code": exit_code(staged),
        "sources": [{
            "source_id": s.source_id,
            "status": s.status,
            **{k: _clean(s.source[k]) for k in ("path", "rows_read", "rows_accepted", "rows_rejected", "rows_skipped")},
            "declared": {k: _clean(v) for k, v in s.declared.items()},
            "computed": s.computed(),
            "reconciliation": s.reconciliation(),
            "problems": source_problems(s),
        } for s in staged],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def as_text(staged: list[StagedSource]) -> str:
    lines: list[str] = []
    for s in staged:
        src = s.source
        lines.append(f"== {src['path']} ({_status_fr(s.status)})")
        if s.error is None:
            lines.append(f"   lignes lues {src['rows_read']} = acceptées {src['rows_accepted']} + rejetées "
                         f"{src['rows_rejected']} + ignorées {src['rows_skipped']}")
            for e in s.reconciliation():
                label = "lauréats" if e["figure"] == "awards_count" else "montant total"
                computed = "—" if e["computed"] is None else _num(e["computed"])
                mark = "ok" if e["matches"] else "ÉCART"
                lines.append(f"   {label} : annoncé {_num(e['declared'])}, calculé {computed} [{mark}]")
        for p in source_problems(s):
            where = ", ".join(x for x in (p["place"], f"ligne {p['row']}" if p["row"] else None,
                                          f"colonne « {p['column']} »" if p["column"] else None) if x)
            value = f" valeur « {p['value']} »" if p["value"] not in (None, "") else ""
            kind = "ERREUR" if p["severity"] == "error" else "ATTENTION"
            lines.append(f"   {kind} {p['file']} — {where or 'fichier'} :{value} {p['message']}")
            lines.append(f"      → {p['fix']}")
        lines.append("")
    total = len(staged)
    refused = sum(1 for s in staged if s.error is not None or s.source["rows_rejected"])
    lines.append(f"{total} source(s) vérifiée(s), {refused} avec des erreurs.")
    return "\n".join(lines)


def _status_fr(status: str) -> str:
    return {"ok": "acceptée", "rejected_rows": "lignes rejetées", "unreadable": "illisible",
            "bad_manifest": "manifeste invalide"}.get(status, status)
