"""Which storage an instance keeps its runs in: chosen once, when its dagster.yaml is first written,
and recorded there; a process whose environment says otherwise refuses to start."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PG_URL = "DAGSTER_PG_URL"
# The recorded choice, a comment of dagster.yaml (Dagster refuses keys it does not know).
RECORD = "# mille-jours storage: "
SQLITE = "sqlite"
POSTGRESQL = "postgresql"


@dataclass(frozen=True)
class Storage:
    """SQLite under the instance's folder, or a PostgreSQL database named by `server`
    (host:port/database, never the user nor the password); `server` is empty for an instance
    written before its server was recorded."""

    kind: str
    server: str = ""

    def recorded(self) -> str:
        return RECORD + (f"{self.kind} {self.server}" if self.server else self.kind)

    def said(self) -> str:
        if self.kind == SQLITE:
            return "SQLite, dans son dossier"
        return f"PostgreSQL {self.server}" if self.server else "PostgreSQL"


def pg_server(url: str) -> str:
    """host:port/database of a PostgreSQL URL: what tells two databases apart, without a secret."""
    parts = urlsplit(url)
    host = parts.hostname or "localhost"
    try:
        port = parts.port or 5432
    except ValueError:  # not a number: kept as written, the comparison still holds
        port = parts.netloc.rpartition("@")[2].rpartition(":")[2]
    return f"{host}:{port}/{parts.path.lstrip('/')}"


def storage_of_environment() -> Storage:
    url = os.environ.get(PG_URL)
    return Storage(POSTGRESQL, pg_server(url)) if url else Storage(SQLITE)


def recorded_storage(text: str) -> Storage:
    """The storage a dagster.yaml written by mille-jours names: its record, else (a file written
    before the record) the storage its settings configure."""
    for line in text.splitlines():
        if line.startswith(RECORD):
            kind, _, server = line[len(RECORD) :].strip().partition(" ")
            return Storage(kind, server)
    return Storage(SQLITE) if "SqliteRunStorage" in text else Storage(POSTGRESQL)


def same_storage(recorded: Storage, wanted: Storage) -> bool:
    if recorded.kind != wanted.kind:
        return False
    return not recorded.server or recorded.server == wanted.server


class InstanceStorageMismatch(Exception):  # noqa: N818 — a state of the user's setup, said in French
    """This process's environment names another storage than the one the instance was created with:
    its runs would go elsewhere, unseen by the others."""

    def __init__(self, config: Path, recorded: Storage, wanted: Storage) -> None:
        home = config.parent
        if wanted.kind == SQLITE:
            env = f"{PG_URL} n'est pas définie : ce processus écrirait ses runs dans SQLite"
            fix = f"définir {PG_URL} vers {recorded.server or 'sa base PostgreSQL'}"
        elif recorded.kind == SQLITE:
            env = f"{PG_URL} désigne PostgreSQL ({wanted.server})"
            fix = f"retirer {PG_URL} de l'environnement"
        else:
            env = f"{PG_URL} désigne une autre base, {wanted.server}"
            fix = f"corriger {PG_URL} pour qu'elle désigne {recorded.server}"
        super().__init__(
            f"L'instance Dagster {home} a été créée avec le stockage {recorded.said()} "
            f"(choix noté dans {config}) ; or {env}. Rien n'est lancé : ses runs iraient ailleurs, "
            f"invisibles des autres processus. À faire : {fix} ; ou désigner une autre instance "
            "par la variable DAGSTER_HOME ; ou, pour changer le stockage de cette instance, "
            f"supprimer {config} : il est réécrit d'après l'environnement au lancement suivant "
            "(l'historique de l'ancien stockage n'est pas repris ; README, « Instance, mises à "
            "jour et versions »)."
        )


def write_once(config: Path, text: str) -> bool:
    """Create config with text unless it exists (another process created it first): False then.
    Written aside and linked into place, so no reader sees it half written."""
    aside = config.with_name(f".{config.name}.{os.getpid()}")
    aside.write_text(text, encoding="utf-8")
    try:
        os.link(aside, config)
        return True
    except FileExistsError:
        return False
    except OSError:  # a file system without hard links: created exclusively, then written
        try:
            with open(config, "x", encoding="utf-8") as created:
                created.write(text)
            return True
        except FileExistsError:
            return False
    finally:
        aside.unlink()


def replace(config: Path, text: str) -> None:
    """config's text replaced in one step."""
    aside = config.with_name(f".{config.name}.{os.getpid()}")
    aside.write_text(text, encoding="utf-8")
    os.replace(aside, config)
