"""One long honest list: what `mille-jours publish` costs for one region's single source of
100 000 lines, and how heavy the overview page it writes is.

Run by hand (`make benchmark`), never in the test suite. The list is FICTITIOUS, generated with
benchmarks/national.py's names and amounts (beneficiaries come back: 30 000 of them over the
lines), in a temporary root with its own Dagster home; the real raw/ is not read. Each publish
runs in a fresh process; the peak memory is that process's resident set (its workers' included).
`--baseline <commit>` publishes the same list with an earlier version's code too (exported by
`git archive`), in the same run, so the ratio compares like with like on a shared machine.

    .venv/bin/python benchmarks/large_list.py
    .venv/bin/python benchmarks/large_list.py --lines 100000 --beneficiaries 30000 --baseline main
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import REGIONS, ROOT, award_rows, fictitious_name, publish, write_source


def long_list(raw: Path, lines: int, beneficiaries: int) -> None:
    """One source of `lines` lines in Bretagne, its beneficiaries each named on several lines."""
    rnd = random.Random(100_000)
    code, slug, deps = REGIONS[2]
    pool = [fictitious_name(rnd, i) for i in range(beneficiaries)]
    names = [pool[i % beneficiaries] for i in range(lines)]
    rnd.shuffle(names)
    write_source(
        raw / slug / "2025",
        "fictif-longue-liste",
        code,
        slug,
        2025,
        1,
        award_rows(rnd, deps, names),
    )


def exported(commit: str, folder: Path) -> Path:
    """The code of `commit`, written out (the repository's worktrees are left alone)."""
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder


def measured(label: str, base: Path, code: Path, lines: int, beneficiaries: int) -> float:
    root = base / label.replace(" ", "-")
    long_list(root / "raw", lines, beneficiaries)
    (root / "published").mkdir()
    # -P: the code of PYTHONPATH, not the one of the folder the benchmark is started from.
    os.environ["PYTHONPATH"] = str(code)
    seconds, memory, last = publish(root, [sys.executable, "-P", "-m", "assets.cli"])
    page = root / "published" / "index.html"
    size = f"{page.stat().st_size / 1e6:>9.1f} Mo" if page.exists() else "  (non publiée)"
    print(f"{label:<28} {seconds:>9.1f} {memory:>9.0f} Mo {size}   {last[:60]}", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--beneficiaries", type=int, default=30_000)
    parser.add_argument(
        "--baseline", help="commit dont le code publie la même liste, pour comparer"
    )
    args = parser.parse_args()
    print(
        f"{args.lines} lignes, {args.beneficiaries} bénéficiaires, une source, à froid\n"
        f"{'version':<28} {'secondes':>9} {'mémoire max':>12} {'index.html':>12}",
        flush=True,
    )
    with tempfile.TemporaryDirectory(prefix="mille-jours-longue-liste-") as tmp:
        base = Path(tmp)
        seconds = measured("ce code", base, ROOT, args.lines, args.beneficiaries)
        if args.baseline:
            code = exported(args.baseline, base / "code-reference")
            before = measured(args.baseline, base, code, args.lines, args.beneficiaries)
            print(f"rapport : {seconds / before:.2f}× le temps de {args.baseline}")


if __name__ == "__main__":
    main()
