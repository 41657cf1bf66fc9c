"""How problems are described: always the file, the place, what is wrong and how to fix it."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One row-level problem: it rejects a row (severity "error") or warns about it ("warning")."""

    row: int | None
    place: str | None
    column: str | None
    value: str | None
    message: str
    fix: str
    severity: str = "error"
    # A stable machine key for what is wrong (`mille-jours validate --format json`), e.g. "amount_zero".
    code: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


class SourceError(Exception):
    """A problem that stops one source: unreadable file, bad manifest, missing column."""

    def __init__(
        self,
        path: Path | str,
        message: str,
        *,
        place: str | None = None,
        fix: str,
        status: str = "unreadable",
    ) -> None:
        self.path = str(path)
        self.message = message
        self.place = place
        self.fix = fix
        self.status = status
        super().__init__(self.describe())

    def __reduce__(self):  # keyword-only arguments: pickled whole (a source staged in a worker)
        return _rebuild, (self.path, self.message, self.place, self.fix, self.status)

    def describe(self) -> str:
        where = f" ({self.place})" if self.place else ""
        return f"{self.path}{where} : {self.message}. À faire : {self.fix}."


def _rebuild(path: str, message: str, place: str | None, fix: str, status: str) -> SourceError:
    return SourceError(path, message, place=place, fix=fix, status=status)
