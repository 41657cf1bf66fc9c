"""Near-identical beneficiary names: what matching them costs, in seconds and peak memory.

Run by hand, never in the test suite. Every name is FICTITIOUS, generated here in three shapes:

- `une-region`: « Association fictive des familles 00001 », … all in one region;
- `par-region`: the same names spread over the 13 metropolitan regions;
- `meme-nom`: one name carried by N beneficiaries, each with its own SIRET.

Each case runs `awards_and_beneficiaries` in a fresh process under a ceiling of address space
(`--ceiling-mb`) and a time limit (`--timeout`), so a version that explodes shows as « > … »
rather than taking the machine with it. `--baseline <commit>` runs the same cases with an earlier
version's code too (exported by `git archive`), e.g. the one before the look-alike caps.

    .venv/bin/python benchmarks/near_identical_names.py --sizes 10000 50000 150000 --baseline main
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REGIONS = ["11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]
SHAPES = ("une-region", "par-region", "meme-nom")


def fictitious_lines(shape: str, n: int):
    import pandas as pd

    rows = []
    for i in range(n):
        same = shape == "meme-nom"
        rows.append(
            {
                "volet": None,
                "theme": None,
                "funder": "ARS",
                "amount_eur": 1000.0,
                "department_code": "35",
                "project_title": "Projet fictif",
                "beneficiary_rna": None,
                "campaign_id": "fictif-2025",
                "region_code": REGIONS[i % len(REGIONS)] if shape == "par-region" else "53",
                "year": 2025,
                "source_id": "liste-fictive",
                "source_row": i + 2,
                "beneficiary_name": "Association fictive des familles"
                if same
                else f"Association fictive des familles {i:05d}",
                "beneficiary_siret": f"{73282932000000 + i:014d}" if same else None,
            }
        )
    return pd.DataFrame(rows)


def one(shape: str, n: int) -> None:
    """In the child: one case, its figures as a JSON line."""
    from pipelines.consolidate.beneficiaries import awards_and_beneficiaries

    lines = fictitious_lines(shape, n)
    started = time.perf_counter()
    warnings: list[str] = []
    _, _, review = awards_and_beneficiaries(lines, warnings)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    capped = sum(w.startswith("bénéficiaires non rapprochés") for w in warnings)
    print(json.dumps({"s": seconds, "mb": peak, "review": len(review), "capped": capped}))


def measure(code: Path, shape: str, n: int, ceiling_mb: int, timeout: float) -> str:
    def bounded() -> None:
        limit = ceiling_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    env = {**os.environ, "PYTHONPATH": str(code)}
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--one", shape, str(n)],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            preexec_fn=bounded,
        )
    except subprocess.TimeoutExpired:
        return f"> {timeout:.0f} s"
    if done.returncode != 0:
        return (
            f"> {ceiling_mb} Mo" if "MemoryError" in done.stderr or done.returncode < 0 else "échec"
        )
    got = json.loads(done.stdout.strip().splitlines()[-1])
    return f"{got['s']:.1f} s, {got['mb']:.0f} Mo, {got['review']} paires" + (
        f", {got['capped']} plafond(s)" if got["capped"] else ""
    )


def exported(commit: str, into: Path) -> Path:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000, 150_000])
    parser.add_argument("--shapes", nargs="+", choices=SHAPES, default=list(SHAPES))
    parser.add_argument("--baseline", help="commit to compare with (its code by git archive)")
    parser.add_argument("--ceiling-mb", type=int, default=8192)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one(args.one[0], int(args.one[1]))
        return
    with tempfile.TemporaryDirectory(prefix="noms-fictifs-") as tmp:
        versions = {"ici": ROOT}
        if args.baseline:
            versions = {args.baseline: exported(args.baseline, Path(tmp)), **versions}
        print("N\tforme\t" + "\t".join(versions))
        for n in args.sizes:
            for shape in args.shapes:
                figures = [
                    measure(code, shape, n, args.ceiling_mb, args.timeout)
                    for code in versions.values()
                ]
                print(f"{n}\t{shape}\t" + "\t".join(figures), flush=True)


if __name__ == "__main__":
    main()
