"""A failure of a service the project runs on (the instance's PostgreSQL or SQLite database, the
object storage of MILLE_JOURS_STORAGE) said in French: which service, what to check. The command
line (pipelines/cli.py) asks here before calling a failure unexpected."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

from assets.instance_storage import PG_URL, pg_server

# Modules an object storage's failure passes through (fsspec and its back ends, boto, aiohttp).
STORAGE_MODULES = (
    "fsspec",
    "upath",
    "s3fs",
    "gcsfs",
    "adlfs",
    "botocore",
    "aiobotocore",
    "aiohttp",
)
REFUSED_PASSWORD = ("password authentication failed", "no password supplied", 'role "')
SQLITE_LOCKED = ("database is locked", "database table is locked")
SQLITE_READ_ONLY = ("readonly database", "read-only", "unable to open database file")
STOPPED = "La commande s'arrête ; une publication en cours laisse published/ tel qu'il était."


def infrastructure_message(error: BaseException) -> str | None:
    """The French message for a failure of the project's services, None for anything else."""
    for cause in _causes(error):
        message = _postgresql(cause) or _sqlite(cause) or _object_storage(cause)
        if message:
            return message
    return None


def check_postgresql() -> None:
    """Connect once to the instance's PostgreSQL, when it has one: an unreachable server or a
    refused password fails here at once (psycopg2's OperationalError), not after Dagster's retries."""
    url = os.environ.get(PG_URL)
    if url:
        import psycopg2

        psycopg2.connect(url, connect_timeout=10).close()


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _from(error: BaseException, *packages: str) -> bool:
    """Whether the error's class comes from one of these packages (none of them imported here)."""
    return any(cls.__module__.split(".")[0] in packages for cls in type(error).__mro__)


def _first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _postgresql(error: BaseException) -> str | None:
    if type(error).__name__ == "UndefinedTable" and _from(error, "psycopg2"):
        return _tables_missing(error)
    if type(error).__name__ != "OperationalError" or not _from(error, "psycopg2", "sqlalchemy"):
        return None
    if _from(getattr(error, "orig", None) or error, "sqlite3"):
        return None
    server = pg_server(os.environ.get(PG_URL, "")) if os.environ.get(PG_URL) else "DAGSTER_PG_URL"
    said = _first_line(error)
    if any(words in said for words in REFUSED_PASSWORD):
        return (
            f"Le serveur PostgreSQL de l'instance Dagster ({server}, variable {PG_URL}) refuse "
            f"l'utilisateur ou le mot de passe : {said}. {STOPPED} À faire : vérifier l'utilisateur "
            f"et le mot de passe de {PG_URL} (et les règles pg_hba.conf du serveur), puis relancer."
        )
    return (
        f"Le serveur PostgreSQL de l'instance Dagster ({server}, variable {PG_URL}) est "
        f"injoignable : {said}. {STOPPED} À faire : vérifier que le serveur tourne et accepte les "
        "connexions à cette adresse et ce port (nom d'hôte, pare-feu, listen_addresses), que la "
        "base existe, puis relancer."
    )


def _tables_missing(error: BaseException) -> str:
    """Dagster creates its tables in a new database at the first start: a start killed meanwhile
    leaves some of them only, which no later start completes."""
    server = pg_server(os.environ.get(PG_URL, "")) if os.environ.get(PG_URL) else "DAGSTER_PG_URL"
    return (
        f"La base PostgreSQL de l'instance Dagster ({server}, variable {PG_URL}) n'a pas toutes "
        f"les tables de Dagster ({_first_line(error)}) : leur création, au premier lancement, a "
        f"sans doute été interrompue. {STOPPED} À faire : une base neuve, sans run à garder, se "
        "vide (`DROP SCHEMA public CASCADE; CREATE SCHEMA public;`) avant de relancer ; une base "
        "qui a un historique se met à jour par `.venv/bin/python -m assets.instance dagster "
        "instance migrate`."
    )


def _sqlite(error: BaseException) -> str | None:
    if type(error).__name__ != "OperationalError":
        return None
    if not _from(getattr(error, "orig", None) or error, "sqlite3"):
        return None
    said = _first_line(error)
    history = os.path.join(os.environ.get("DAGSTER_HOME", ".dagster"), "history")
    if any(words in said for words in SQLITE_LOCKED):
        return (
            f"La base SQLite de l'instance Dagster ({history}) est verrouillée par un autre "
            f"processus : {said}. {STOPPED} À faire : attendre la fin de l'autre publication ou "
            f"arrêter le processus qui la tient (`fuser -v {history}/*.db {history}/events/*.db`), "
            "puis relancer ; pour plusieurs processus à la fois, une instance PostgreSQL "
            f"({PG_URL}, README « Production »)."
        )
    if any(words in said for words in SQLITE_READ_ONLY):
        return (
            f"La base SQLite de l'instance Dagster ({history}) est en lecture seule : {said}. "
            f"{STOPPED} À faire : la rendre modifiable par l'utilisateur qui publie (droits des "
            "fichiers .db et de leur dossier, système de fichiers monté en lecture seule), ou "
            "désigner une autre instance par DAGSTER_HOME, puis relancer."
        )
    return None


def _object_storage(error: BaseException) -> str | None:
    from assets.storage import is_local, storage_root  # pandas and pyarrow: only when asked

    of_storage = _from(error, "botocore", "aiobotocore", "aiohttp", "s3fs", "gcsfs", "adlfs")
    remote = not is_local(storage_root())
    if not of_storage and not (
        remote and isinstance(error, OSError) and _passed_through_storage(error)
    ):
        return None
    where = _without_secret(os.environ.get("MILLE_JOURS_STORAGE", str(storage_root())))
    said = _first_line(error)
    code = str(getattr(error, "response", {}).get("Error", {}).get("Code", ""))
    if isinstance(error, PermissionError) or code in ("AccessDenied", "403", "InvalidAccessKeyId"):
        return (
            f"Le stockage des données intermédiaires ({where}, variable MILLE_JOURS_STORAGE) refuse "
            f"l'accès : {said}. {STOPPED} À faire : vérifier les identifiants donnés à ce stockage "
            "(AWS_ACCESS_KEY_ID et AWS_SECRET_ACCESS_KEY, ou le profil) et les droits de lecture, "
            "d'écriture et de liste sur ce seau, puis relancer."
        )
    return (
        f"Le stockage des données intermédiaires ({where}, variable MILLE_JOURS_STORAGE) est "
        f"injoignable : {said}. {STOPPED} À faire : vérifier son adresse (et AWS_ENDPOINT_URL pour "
        "un stockage compatible S3), que le service répond depuis cette machine (réseau, "
        "pare-feu), puis relancer."
    )


def _passed_through_storage(error: BaseException) -> bool:
    names = (f.f_globals.get("__name__", "") for f, _ in traceback.walk_tb(error.__traceback__))
    return any(name.split(".")[0] in STORAGE_MODULES for name in names)


def _without_secret(url: str) -> str:
    """The storage's address without a password it may carry (ftp://user:password@host/…)."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
