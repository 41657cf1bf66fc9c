"""This version against an earlier one: the cold publication of the real sources of raw/, side by side.

Run by hand (`make benchmark`), never in the test suite. The earlier version (by default the parent
commit, `--baseline REF` for another) is checked out as a temporary git worktree and run with the
same Python environment, through the command line its own pyproject.toml declares. The two versions
publish in turn (A, B, A, B…), each time cold: a fresh copy of raw/, an empty published/, a new
Dagster home. The figure that matters is the ratio of the medians, measured in this one run.

    .venv/bin/python benchmarks/versions.py
    .venv/bin/python benchmarks/versions.py --baseline d47bd4f --repeat 5
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

from national import ROOT, project, publish


def entry_point(checkout: Path) -> list[str]:
    """The `mille-jours` command of the version checked out in `checkout`, run from that tree."""
    scripts = tomllib.loads((checkout / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "scripts"
    ]
    module, function = scripts["mille-jours"].split(":")
    code = (
        f"import sys; sys.path.insert(0, {str(checkout)!r}); sys.argv[0] = 'mille-jours'; "
        f"from {module} import {function}; {function}()"
    )
    return [sys.executable, "-c", code]


def differing_files(a: Path, b: Path) -> list[str]:
    """Files of published/ whose bytes differ between two publications (or exist in one only)."""

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}

    left, right = files(a), files(b)
    return sorted(name for name in left.keys() | right.keys() if left.get(name) != right.get(name))


def _git(*args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(ROOT), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def _line(label: str, runs: list[tuple[float, float, str]], reference: float | None) -> str:
    seconds = sorted(r[0] for r in runs)
    median = statistics.median(seconds)
    ratio = f"{median / reference:>5.2f}×" if reference else f"{'1.00':>5}×"
    return (
        f"{label:<40} {median:>9.1f} {seconds[0]:>5.1f}–{seconds[-1]:<5.1f} {ratio} "
        f"{max(r[1] for r in runs):>9.0f} Mo   {runs[-1][2]}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", default="HEAD~1", help="commit de comparaison")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    baseline = _git("rev-parse", "--short", args.baseline)
    current = _git("rev-parse", "--short", "HEAD")
    dirty = " + modifications" if _git("status", "--porcelain", "--untracked-files=no") else ""

    with tempfile.TemporaryDirectory(prefix="mille-jours-versions-") as tmp:
        base = Path(tmp)
        checkout = base / "baseline"
        _git("worktree", "add", "--detach", "--quiet", str(checkout), baseline)
        try:
            earlier, this = [], []
            for i in range(args.repeat):
                earlier.append(publish(project(base, f"avant-{i}"), entry_point(checkout)))
                this.append(publish(project(base, f"apres-{i}")))
            differing = differing_files(
                base / "avant-0" / "published", base / "apres-0" / "published"
            )
        finally:
            _git("worktree", "remove", "--force", str(checkout))
    sources = len(list((ROOT / "raw").rglob("*.yaml")))
    print(f"Publication à froid des {sources} manifestes de raw/ (médiane de {args.repeat})")
    print(f"{'version':<40} {'secondes':>9} {'min–max':>12} {'ratio':>6} {'mémoire max':>12}")
    reference = statistics.median(r[0] for r in earlier)
    print(_line(f"précédente ({baseline})", earlier, None))
    print(_line(f"celle-ci ({current}{dirty})", this, reference))
    print(
        "published/ identique octet pour octet entre les deux versions"
        if not differing
        else f"published/ diffère entre les deux versions : {', '.join(differing)}"
    )


if __name__ == "__main__":
    main()
