"""A contribution submitted: its file and manifest committed to raw/<région>/<année>/ on a branch
`contribution/<région>-<année>-<nom>` of the server's repository, never on its main branch.

The commit is made in a temporary worktree of the repository, so the server's own checkout (and
whatever a maintainer has open in it) is never touched.
"""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipelines.web.contributions import Contribution, ContributionError

BRANCH_PREFIX = "contribution/"
_AUTHOR = re.compile(r"^[^<>\n\r\x00]{2,80}$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def _git(repo: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, timeout=60
    )
    if result.returncode != 0:
        raise ContributionError(
            "Le dépôt du serveur refuse l'enregistrement ("
            + (result.stderr.strip().splitlines() or ["erreur git"])[-1][:160]
            + "). À faire : prévenir les mainteneurs ; rien n'a été enregistré."
        )
    return result.stdout


def branch_name(c: Contribution) -> str:
    region, year = c.folder_parts
    return f"{BRANCH_PREFIX}{region}-{year}-{c.name}"


def check_author(name: str, email: str) -> tuple[str, str]:
    name, email = " ".join(name.split()), email.strip()
    if not _AUTHOR.match(name) or not _EMAIL.match(email):
        raise ContributionError(
            "Auteur incomplet : donner votre nom et votre adresse professionnelle, ils signent "
            "l'enregistrement proposé aux mainteneurs."
        )
    return name, email


def submit(repo: Path, c: Contribution, files: list[Path], name: str, email: str) -> str:
    """Commit `files` into raw/<région>/<année>/ on the contribution's branch (created from the
    repository's current HEAD, or amended when it exists); the branch name."""
    name, email = check_author(name, email)
    branch = branch_name(c)
    with _repository_lock(repo):
        exists = bool(_git(repo, "branch", "--list", branch).strip())
        if exists and c.branch != branch:
            raise ContributionError(
                f"Une autre contribution propose déjà une liste sous ce nom (branche {branch}). "
                "À faire : renommer le fichier avant de le déposer, ou attendre la relecture de "
                "l'autre proposition ; rien n'a été enregistré."
            )
        _already_published(repo, c, files[0])
        return _commit(repo, c, files, name, email, branch, exists)


@contextmanager
def _repository_lock(repo: Path) -> Iterator[None]:
    """One proposal at a time writes to the repository (two contributors, several workers)."""
    common = Path(_git(repo, "rev-parse", "--git-common-dir").strip())
    with open((repo / common) / "mille-jours-contribution.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _already_published(repo: Path, c: Contribution, data: Path) -> None:
    """The same file already in raw/ of the main branch, under any name of its folder."""
    folder = "/".join(("raw", *c.folder_parts))
    blob = _git(repo, "hash-object", str(data)).strip()
    listing = subprocess.run(
        ["git", "-C", str(repo), "ls-tree", "HEAD", f"{folder}/"],
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    for line in listing.splitlines():
        meta, _, path = line.partition("\t")
        if meta.split()[-1] == blob:
            raise ContributionError(
                f"Cette liste est déjà dans le dépôt ({path}) : rien n'a été enregistré. À faire : "
                "rien, si c'est la même ; sinon déposer la nouvelle version publiée."
            )


def _commit(
    repo: Path, c: Contribution, files: list[Path], name: str, email: str, branch: str, exists: bool
) -> str:
    with tempfile.TemporaryDirectory(prefix="contribution-") as tmp:
        work = Path(tmp) / "work"
        _git(
            repo, "worktree", "add", "--quiet", "--detach", str(work), branch if exists else "HEAD"
        )
        try:
            target = work.joinpath("raw", *c.folder_parts)
            target.mkdir(parents=True, exist_ok=True)
            for path in files:
                shutil.copyfile(path, target / path.name)
            relative = [str(Path("raw", *c.folder_parts, p.name)) for p in files]
            _git(work, "add", "--", *relative)
            if not _git(work, "status", "--porcelain", "--", *relative).strip():
                return branch  # the same files again: nothing new to record
            region, year = c.folder_parts
            _git(
                work,
                "-c",
                f"user.name={name}",
                "-c",
                f"user.email={email}",
                "commit",
                "--quiet",
                "--no-verify",
                "-m",
                f"Contribution : liste {c.name} ({region}, {year})",
                "--author",
                f"{name} <{email}>",
            )
            _git(work, "branch", "--force", branch, "HEAD")
        finally:
            _git(repo, "worktree", "remove", "--force", str(work))
    return branch


def contribution_branches(repo: Path) -> list[str]:
    out = _git(repo, "for-each-ref", "--format=%(refname:short)", f"refs/heads/{BRANCH_PREFIX}")
    return [line for line in out.splitlines() if line]


def extract_manifests(repo: Path, branch: str, into: Path) -> list[Path]:
    """The manifests a contribution branch adds or changes under raw/, written with their folders
    (files beside them included) into `into`/raw, as `mille-jours validate` reads them."""
    changed = _git(repo, "diff", "--name-only", f"HEAD...{branch}", "--", "raw/").split()
    folders = sorted({str(Path(p).parent) for p in changed if p.endswith(".yaml")})
    manifests = []
    for folder in folders:
        listing = _git(repo, "ls-tree", "--name-only", f"{branch}:{folder}").split()
        for name in listing:
            blob = subprocess.run(
                ["git", "-C", str(repo), "show", f"{branch}:{folder}/{name}"],
                capture_output=True,
                timeout=60,
                check=True,
            ).stdout
            target = into / folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
        manifests += [into / p for p in changed if p.endswith(".yaml") and p.startswith(folder)]
    return manifests
