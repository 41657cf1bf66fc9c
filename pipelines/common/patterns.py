"""Patterns a manifest contributes run in RE2, Arrow's regular-expression engine: linear time, no
backtracking, so a contributed pattern can never hang a run."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc


def item_parts(pattern: str) -> list[str]:
    """The named parts of a `read.items` pattern. RE2 (Arrow's engine) runs it in linear time, so a
    contributed pattern can never hang a run; ValueError, in French, when RE2 refuses it."""
    try:
        kind = pc.extract_regex(pa.array([], pa.string()), anchored(pattern)).type
    except pa.ArrowInvalid as exc:
        if "unnamed groups" in str(exc):
            raise ValueError("motif read.items : chaque groupe entre parenthèses doit être une partie nommée, "
                             "(?P<beneficiary_name>…), ou un groupe sans capture, (?:…)") from None
        raise ValueError("motif read.items invalide ou non permis (syntaxe RE2 : ni référence arrière, ni regard "
                         "avant ou arrière)") from None
    return [field.name for field in kind]


def anchored(pattern: str) -> str:
    return f"^(?:{pattern})"  # an item is matched from its first character, as a whole
