"""National scale: what `mille-jours publish` costs as the sources grow, measured in one run.

Run by hand (`make benchmark`), never in the test suite. Every figure is a ratio to the publish of
the real sources of raw/ measured first in the same run, so the figures compare across machines:

1. the real sources of raw/, cold (the reference);
2. the real sources plus a FICTITIOUS national corpus generated here (13 regions × 5 years ×
   2 files of 30 lines: 130 more sources), cold;
3. the same again, nothing changed;
4. the same with one file changed;
5. the real sources plus one FICTITIOUS region list of 3 000 distinct beneficiaries, cold.

Each publish runs in a fresh process (`mille-jours publish --root …`) with its own Dagster home;
the peak memory is that process's resident set (its workers' included). Each figure is measured
`--repeat` times, each cold one on a fresh copy, the cases in turn within each repetition, and
the median is shown with the range: one publish of the reference varies by a fifth from one run
to the next on a shared machine (the OCR of a scanned source most of all). Nothing here is real data: every name and amount is generated
and says « fictif ».

    .venv/bin/python benchmarks/national.py
    .venv/bin/python benchmarks/national.py --repeat 3 --regions 13 --years 5 --files 2 --lines 30 --beneficiaries 3000
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
# Metropolitan regions (INSEE code, folder) and some of their départements.
REGIONS = [
    ("84", "auvergne-rhone-alpes", ["01", "03", "38", "69"]),
    ("27", "bourgogne-franche-comte", ["21", "25"]),
    ("53", "bretagne", ["22", "29", "35", "56"]),
    ("24", "centre-val-de-loire", ["18", "28", "37", "45"]),
    ("94", "corse", ["2A", "2B"]),
    ("44", "grand-est", ["08", "51", "57", "67"]),
    ("32", "hauts-de-france", ["02", "59", "62", "80"]),
    ("11", "ile-de-france", ["75", "92", "93", "94"]),
    ("28", "normandie", ["14", "27", "50", "76"]),
    ("75", "nouvelle-aquitaine", ["16", "33", "64", "87"]),
    ("76", "occitanie", ["09", "31", "34", "66"]),
    ("52", "pays-de-la-loire", ["44", "49", "53", "85"]),
    ("93", "provence-alpes-cote-d-azur", ["04", "06", "13", "83"]),
]
KINDS = [
    "Association",
    "Centre social",
    "Crèche",
    "Maison des familles",
    "Réseau",
    "Collectif",
    "Espace de vie sociale",
]
WORDS = [
    "Arc-en-ciel",
    "Petits Pas",
    "Grandir Ensemble",
    "Bout'chou",
    "Cocon",
    "Pirouette",
    "Les Lucioles",
    "Premiers Pas",
    "Berceau",
    "Récré",
    "Tournesol",
    "Les Hirondelles",
    "Papillon",
    "Bambins",
    "Coccinelle",
]
MANIFEST = """\
# FICTIF : source générée par benchmarks/national.py, aucune donnée réelle.
source: {{publisher: "ARS fictive (banc d'essai)", url: "https://exemple.invalid/fictif/{slug}", retrieved: 2026-01-15}}
region: "{code}"
year: {year}
campaign: {{id: "fictif-{slug}-{year}-{n}", title: "Appel à projets fictif {year} (banc d'essai)"}}
table: awards
read: {{delimiter: ";"}}
columns:
  beneficiary_name: Structure porteuse
  project_title: Intitulé du projet
  department: Département
  amount_eur: Montant accordé
defaults: {{funder: ARS}}
"""


def fictitious_name(rnd: random.Random, i: int) -> str:
    return f"{rnd.choice(KINDS)} fictif {rnd.choice(WORDS)} {i}"


def write_source(
    folder: Path, name: str, code: str, slug: str, year: int, n: int, rows: list[list[str]]
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Liste fictive des lauréats (banc d'essai)"])
        w.writerow(["Structure porteuse", "Intitulé du projet", "Département", "Montant accordé"])
        w.writerows(rows)
    (folder / f"{name}.yaml").write_text(
        MANIFEST.format(code=code, slug=slug, year=year, n=n), encoding="utf-8"
    )
    return path


def award_rows(rnd: random.Random, deps: list[str], names: list[str]) -> list[list[str]]:
    return [
        [
            name,
            f"Projet fictif {rnd.randint(1, 400)} – parentalité",
            rnd.choice(deps),
            f"{rnd.randint(1_000, 90_000):,}".replace(",", " ") + ",00 €",
        ]
        for name in names
    ]


def national_corpus(raw: Path, regions: int, years: int, files: int, lines: int) -> list[Path]:
    """13 regions × 5 years × 2 files: each region keeps its beneficiaries, who come back year after year."""
    rnd = random.Random(2026)
    written = []
    for code, slug, deps in REGIONS[:regions]:
        pool = [fictitious_name(rnd, i) for i in range(lines * files * 2)]
        for year in range(2021, 2021 + years):
            for n in range(1, files + 1):
                names = rnd.sample(pool, lines)
                written.append(
                    write_source(
                        raw / slug / str(year),
                        f"fictif-{n}",
                        code,
                        slug,
                        year,
                        n,
                        award_rows(rnd, deps, names),
                    )
                )
    return written


def big_region(raw: Path, beneficiaries: int) -> None:
    rnd = random.Random(3000)
    code, slug, deps = REGIONS[2]
    names = [fictitious_name(rnd, i) for i in range(beneficiaries)]
    write_source(
        raw / slug / "2025",
        "fictif-grande-liste",
        code,
        slug,
        2025,
        1,
        award_rows(rnd, deps, names),
    )


def project(base: Path, name: str) -> Path:
    root = base / name
    shutil.copytree(ROOT / "raw", root / "raw")
    (root / "published").mkdir()
    return root


def publish(root: Path, command: list[str] | None = None) -> tuple[float, float, str]:
    """Seconds, peak resident memory (MB) and last output line of one `mille-jours publish`
    (`command` runs another version's command line instead of this one's)."""
    env = {**os.environ, "DAGSTER_HOME": str(root / ".dagster"), "MILLE_JOURS_ROOT": str(root)}
    env.pop("DAGSTER_PG_URL", None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*(command or [str(BIN / "mille-jours")]), "publish", "--root", str(root)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"publish a échoué dans {root} :\n{out[-3000:]}")
    lines = [line for line in out.splitlines() if line.strip()]
    return seconds, usage.ru_maxrss / 1024, (lines[-2] if len(lines) > 1 else "")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--regions", type=int, default=13)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--files", type=int, default=2)
    parser.add_argument("--lines", type=int, default=30)
    parser.add_argument("--beneficiaries", type=int, default=3000)
    args = parser.parse_args()

    print(
        f"{'mesure (médiane de ' + str(args.repeat) + ')':<48} {'secondes':>9} {'min–max':>12} {'ratio':>6} "
        f"{'mémoire max':>12}",
        flush=True,
    )
    reference: list[float] = []

    def show(
        label: str, runs: list[tuple[float, float, str]], ceiling: float | None = None
    ) -> None:
        seconds = sorted(r[0] for r in runs)
        median = statistics.median(seconds)
        if not reference:
            reference.append(median)
        print(
            f"{label:<48} {median:>9.1f} {seconds[0]:>5.1f}–{seconds[-1]:<5.1f} {median / reference[0]:>5.2f}× "
            f"{max(r[1] for r in runs):>9.0f} Mo"
            + (
                f"   plafond {ceiling:g}× : {'tenu' if median / reference[0] <= ceiling else 'DÉPASSÉ'}"
                if ceiling
                else ""
            ),
            flush=True,
        )

    with tempfile.TemporaryDirectory(prefix="mille-jours-national-") as tmp:
        base = Path(tmp)
        real_count = len(list((ROOT / "raw").rglob("*.yaml")))
        runs: dict[str, list] = {k: [] for k in ("reference", "cold", "same", "changed", "big")}
        # Interleaved: each repetition measures every case in turn, so that a busy spell of a
        # shared machine weighs on all of them rather than on one.
        for i in range(args.repeat):
            runs["reference"].append(publish(project(base, f"reel-{i}")))
            national = project(base, f"national-{i}")
            files = national_corpus(
                national / "raw", args.regions, args.years, args.files, args.lines
            )
            runs["cold"].append(publish(national))
            runs["same"].append(publish(national))
            edited = files[len(files) // 2]
            edited.write_text(
                edited.read_text(encoding="utf-8").replace(",00 €", ",50 €", 1), encoding="utf-8"
            )
            runs["changed"].append(publish(national))
            root = project(base, f"grande-region-{i}")
            big_region(root / "raw", args.beneficiaries)
            runs["big"].append(publish(root))
        count = len(files) + real_count
        show(f"{real_count} sources réelles, à froid (référence)", runs["reference"])
        show(f"{count} sources, à froid", runs["cold"], 2)
        show(f"{count} sources, rien de changé", runs["same"], 1)
        show(f"{count} sources, un fichier changé", runs["changed"], 1.2)
        show(f"{args.beneficiaries} bénéficiaires dans une région, à froid", runs["big"], 1.5)


if __name__ == "__main__":
    main()
