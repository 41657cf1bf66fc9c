"""What may be published of a reading: the one rule, for the assets, `mille-jours validate` and the tests.

A reading is held back when its manifest still holds `new-source` placeholders (refused like a bad
manifest), its file holds personal data (refused whole: raw/ is public and its rows must not
reach published/), or something in the file contradicts the reading (a doubt, until the manifest
settles it). The contributor's report still shows everything else.
"""

from __future__ import annotations

from pipelines.common.doubts import DOUBT_CODES, DOUBTS
from pipelines.common.problems import SourceError
from pipelines.stage.quality import PERSONAL_CODES, TODO, TODO_CODE
from pipelines.stage.staged import StagedSource


def refusal(staged: StagedSource) -> SourceError | None:
    """Why this reading, read without error, may not be published; None when it may."""
    if staged.error is not None:
        return None
    keys = [
        w.place.removeprefix("manifeste, clé ")
        for w in staged.warnings
        if w.code == TODO_CODE and w.place
    ]
    if keys:
        return SourceError(
            f"raw/{staged.source_id}.yaml",
            f"manifeste pas encore complété ({', '.join(keys)})",
            place=f"clé {keys[0]}",
            status="bad_manifest",
            fix=f"remplacer chaque « {TODO} » puis vérifier avec `mille-jours validate`",
        )
    personal = [w for w in staged.warnings if w.code in PERSONAL_CODES]
    if not personal:
        return _doubted(staged)
    where = sorted(
        {f"colonne « {w.column} »" if w.column else (w.place or f"ligne {w.row}") for w in personal}
    )
    return SourceError(
        staged.source["path"],
        "données personnelles dans le fichier "
        f"({', '.join(where[:3])}{', …' if len(where) > 3 else ''}) : source non publiée",
        place=personal[0].place or (f"ligne {personal[0].row}" if personal[0].row else None),
        status="refused",
        fix="retirer ces données du fichier (raw/ est public), puis vérifier avec "
        "`mille-jours validate`",
    )


def _doubted(staged: StagedSource) -> SourceError | None:
    """Refused while a doubt about the reading is open: a wrong figure must not go out silently."""
    open_ = [w for w in staged.warnings if w.code in DOUBT_CODES]
    if not open_:
        return None
    kinds = sorted({DOUBTS[w.code][0] for w in open_ if w.code})
    first = open_[0]
    return SourceError(
        staged.source["path"],
        f"lecture à confirmer ({'; '.join(kinds)}) : source non publiée",
        place=first.place or (f"ligne {first.row}" if first.row else None),
        status="refused",
        fix=first.fix,
    )


def hold_back(staged: StagedSource) -> StagedSource:
    """The reading as it may be published: refused with its reason when `refusal` says so."""
    error = refusal(staged)
    if error is None:
        return staged
    staged.error = error
    staged.source.update(
        status=error.status,
        message=error.describe(),
        **{k: None for k in ("publisher", "url") if TODO in str(staged.source.get(k))},
    )
    return staged
