"""Recovery after `kill -9`: `mille-jours publish` killed (SIGKILL) at ten moments of a publication,
then the next publish run as cron would run it, on SQLite and on PostgreSQL when one is reachable.

Run by hand, never in the test suite. A FICTITIOUS project is generated (benchmarks/national.py's
corpus, a few regions and years) and published once: that release is the « previous » one. Each
trial starts from it with one fictitious source more, so that the publish killed reads, builds,
validates and swaps a new release. One trial is run to its end first and timed, with the moment
its validation starts. Seven kills are spread over the time before the validation (fractions of
the latest whole publication seen: the load of a shared machine varies), three come at events:
the release being written in its staging folder, the validation's workers running, published/
just swapped.
After each kill the table says what was running, what the next publish did (exit code,
its summary line), how long it took, whether published/ is whole (frictionless-valid, its version)
and how many processes of the killed publish were left.

    .venv/bin/python benchmarks/kill_recovery.py
    .venv/bin/python benchmarks/kill_recovery.py --regions 3 --years 2 --no-postgresql
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from national import ROOT, national_corpus, write_source

sys.path.insert(0, str(ROOT))
from pipelines.publish.validation import validate_package

PG_DEFAULT = "postgresql://postgres:postgres@127.0.0.1:5432/postgres"
NEXT_TIMEOUT_S = 300


@dataclass
class Timing:
    total: float
    validation: tuple[float, float]


def _children(pid: int) -> set[int]:
    """Every process started from `pid`, however deep, as /proc shows them now."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError):
                parents[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _running(pid: int) -> bool:
    try:
        return "State:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False


def _env(root: Path, pg_url: str | None) -> dict[str, str]:
    env = {**os.environ, "DAGSTER_HOME": str(root / ".dagster"), "MILLE_JOURS_ROOT": str(root)}
    env["PYTHONPATH"] = str(ROOT)
    for name in ("DAGSTER_PG_URL", "MILLE_JOURS_STORAGE"):
        env.pop(name, None)
    if pg_url:
        env["DAGSTER_PG_URL"] = pg_url
    return env


def _start(root: Path, pg_url: str | None) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "assets.cli", "publish", "--root", str(root)],
        cwd=ROOT,
        env=_env(root, pg_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _phase(process: subprocess.Popen, root: Path) -> str:
    """What the publication is doing, as its folders and its processes show it."""
    staging = root / f"published.tmp-{process.pid}"
    workers = _children(process.pid)
    if (staging / "datapackage.json").exists():
        return "validation (workers)" if workers else "documents, bascule"
    if staging.exists():
        return "écriture du paquet"
    return "lecture (workers)" if workers else "Dagster, consolidation"


def _timed(root: Path, pg_url: str | None) -> Timing:
    """A whole publication, with the moments its validation starts and ends."""
    process, started = _start(root, pg_url), time.monotonic()
    seen: list[float] = []
    while process.poll() is None:
        if _phase(process, root) == "validation (workers)":
            seen.append(time.monotonic() - started)
        time.sleep(0.02)
    if process.returncode != 0:
        raise SystemExit(f"la publication de référence a échoué :\n{process.stdout.read()[-3000:]}")  # type: ignore[union-attr]
    total = time.monotonic() - started
    return Timing(total, (seen[0], seen[-1]) if seen else (total, total))


# The last moments are events rather than times: a publication's pace varies on a shared machine,
# and these moments are short.
EVENTS = {
    "écriture du paquet": lambda process, root: _phase(process, root) == "écriture du paquet",
    "validation": lambda process, root: _phase(process, root) == "validation (workers)",
    "après bascule": lambda process, root: _version(root / "published") not in (None, "1.0.0"),
}
Moment = float | str


def _scaled(timing: Timing, total: float) -> Timing:
    """The same publication's moments at another pace."""
    start, end = timing.validation
    return Timing(total, (start * total / timing.total, end * total / timing.total))


def _moments(timing: Timing, count: int = 10) -> list[Moment]:
    """`count` moments: fractions of the time before the validation starts, then the events."""
    early = count - len(EVENTS)
    return [timing.validation[0] * (i + 0.5) / early for i in range(early)] + list(EVENTS)


def _wait(process: subprocess.Popen, root: Path, moment: Moment) -> float:
    """Until `moment` (seconds, or an event of EVENTS); how long it was."""
    started = time.monotonic()
    if isinstance(moment, float):
        time.sleep(moment)
        return moment
    while process.poll() is None and not EVENTS[moment](process, root):
        time.sleep(0.005)
    return time.monotonic() - started


def _version(published: Path) -> str | None:
    try:
        return json.loads((published / "datapackage.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def _whole(published: Path) -> str:
    version = _version(published)
    if version is None:
        return "non (pas de datapackage.json lisible)"
    errors = validate_package(published)
    return f"oui, {version}" if not errors else f"non, {version} : {len(errors)} erreur(s)"


def _summary(out: str) -> str:
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    said = [line for line in lines if line.startswith(("Paquet", "Échec", "Publication"))]
    return (said or lines or ["(rien)"])[0].split(" dans /")[0][:90]


def _trial(
    template: Path, base: Path, moment: Moment, pg_url: str | None
) -> tuple[list[str], float | None]:
    """The row of one kill, and how long a whole publication takes now (None if unseen): the next
    publish reads every source again when the one killed had stored none."""
    root = base / f"essai-{uuid.uuid4().hex[:8]}"
    shutil.copytree(template, root)
    process = _start(root, pg_url)
    moment_s = _wait(process, root, moment)
    phase = _phase(process, root) if process.poll() is None else "déjà finie"
    if moment == "après bascule" and process.poll() is None:
        phase = "après bascule"
    everyone = _children(process.pid)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(2)  # what dies with it has the time to go
    left = {p for p in everyone if _running(p)}
    began = time.monotonic()
    following = _start(root, pg_url)
    try:
        out, _ = following.communicate(timeout=NEXT_TIMEOUT_S)
        code = str(following.returncode)
    except subprocess.TimeoutExpired:
        following.kill()
        out, code = following.communicate()[0], f"bloquée > {NEXT_TIMEOUT_S} s"
    seconds = time.monotonic() - began
    for pid in left:  # nothing left for the next trial
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    row = [f"{moment_s:5.1f} s {phase}", code, _summary(out), f"{seconds:5.1f}"]
    row += [_whole(root / "published"), str(len(left))]
    shutil.rmtree(root, ignore_errors=True)
    return row, (seconds if code == "0" and " 0 inchangée(s)" in out else None)


@contextlib.contextmanager
def _database(server: str | None) -> Iterator[str | None]:
    """A throwaway database on `server` (None: SQLite)."""
    if server is None:
        yield None
        return
    import psycopg2

    admin = psycopg2.connect(server, connect_timeout=5)
    admin.autocommit = True
    name = f"mille_jours_kill_{uuid.uuid4().hex[:12]}"
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.rsplit("/", 1)[0] + f"/{name}"
        finally:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _template(base: Path, args: argparse.Namespace) -> Path:
    """A fictitious project published once, with one fictitious source more to publish."""
    template = base / "modele"
    national_corpus(template / "raw", args.regions, args.years, 1, args.lines)
    (template / ".dagster").mkdir()
    first = _start(template, None)
    out, _ = first.communicate()
    if first.returncode != 0:
        raise SystemExit(f"la première publication a échoué :\n{out[-3000:]}")
    shutil.rmtree(template / ".dagster")
    (template / ".dagster").mkdir()
    rows = [["Association fictive Ajout", "Projet fictif ajouté", "14", "12 000,00 €"]]
    write_source(
        template / "raw" / "normandie" / "2024", "fictif-1", "28", "normandie", 2024, 1, rows
    )
    return template


def _backends(args: argparse.Namespace) -> list[tuple[str, str | None]]:
    backends: list[tuple[str, str | None]] = [("SQLite", None)]
    if args.no_postgresql:
        return backends
    server = os.environ.get("MILLE_JOURS_TEST_PG", PG_DEFAULT)
    try:
        import psycopg2

        psycopg2.connect(server, connect_timeout=5).close()
    except Exception as exc:  # any failure means: no PostgreSQL here
        print(f"PostgreSQL injoignable ({server}) : SQLite seulement ({exc})", file=sys.stderr)
        return backends
    return backends + [("PostgreSQL", server)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regions", type=int, default=3)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--moments", type=int, default=10)
    parser.add_argument("--no-postgresql", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mille-jours-kill-") as tmp:
        base = Path(tmp)
        template = _template(base, args)
        for label, server in _backends(args):
            with _database(server) as pg_url:
                reference = base / "reference"
                shutil.copytree(template, reference)
                timing = _timed(reference, pg_url)
                shutil.rmtree(reference)
            print(
                f"\n{label} : publication entière en {timing.total:.1f} s, validation de "
                f"{timing.validation[0]:.1f} à {timing.validation[1]:.1f} s"
            )
            header = ["tué à", "code", "publication suivante", "s", "published/ entier", "restants"]
            print(" | ".join(header))
            # Each time, the moments follow the latest whole publication seen (the load varies).
            for i in range(args.moments):
                with _database(server) as pg_url:
                    row, whole = _trial(template, base, _moments(timing, args.moments)[i], pg_url)
                print(" | ".join(row), flush=True)
                if whole:
                    timing = _scaled(timing, whole)


if __name__ == "__main__":
    main()
