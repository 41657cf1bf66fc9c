"""Reading speed of every format, end to end: file → reader → layout → normalization → pandera.

Run by hand (`make benchmark`), never in the test suite. For each format and size it writes a
FICTITIOUS list (generated here, in a temporary folder), then stages it with
`pipelines.stage.source.stage_source` in a fresh process, and prints rows per second (pages per second
for PDF) and the peak memory of that process (resident set, imports included, and what the
staging added to it).

    .venv/bin/python benchmarks/readers.py                      # every format, default sizes
    .venv/bin/python benchmarks/readers.py --formats csv,xlsx --sizes 10000,200000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZES = {
    "csv": [10_000, 50_000, 200_000],
    "xlsx": [10_000, 50_000, 200_000],
    "ods": [10_000, 50_000],
    "html": [10_000, 50_000],
    "json": [10_000, 50_000, 200_000],
    "pdf": [10, 50, 200],
    "pdf-texte": [10, 50, 200],
}  # PDF: about that many pages
PDF_ROWS_PER_PAGE = 45
HEADER = ["Porteur du projet", "Intitulé du projet", "Département", "Montant accordé"]
DEPARTMENTS = [
    "22",
    "29",
    "35",
    "56",
    "Finistère",
    "35 - Ille-et-Vilaine",
    "Morbihan (56)",
    "Côtes-d'Armor",
]
MANIFEST = """\
source: {{publisher: ARS fictive (banc d'essai), url: "https://example.invalid/fictif", retrieved: 2026-11-22}}
region: "53"
year: 2023
campaign: {{id: bre-2023-banc-fictif, title: Banc d'essai fictif}}
table: awards
read: {{format: {fmt}}}
columns:
  beneficiary_name: Porteur du projet
  project_title: Intitulé du projet
  department: Département
  amount_eur: Montant accordé
defaults: {{funder: ARS}}
"""


def fictitious_rows(n: int, seed: int = 1) -> list[list[str]]:
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        euros = rnd.randint(500, 250_000)
        amount = f"{euros:,}".replace(",", " ") + f",{rnd.randint(0, 99):02d} €"
        rows.append(
            [
                f"Association fictive n°{i}",
                f"Projet fictif {i % 997} – parentalité",
                rnd.choice(DEPARTMENTS),
                amount,
            ]
        )
    return rows


def write_csv(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Liste fictive des lauréats (banc d'essai)"])
        w.writerow(HEADER)
        w.writerows(fictitious_rows(n))


def write_xlsx(path: Path, n: int) -> None:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Lauréats")
    ws.append(["Liste fictive des lauréats (banc d'essai)"])
    ws.append(HEADER)
    for name, title, dep, amount in fictitious_rows(n):
        # amounts as numbers, as a spreadsheet holds them
        ws.append([name, title, dep, _euros(amount)])
    wb.save(path)


def write_ods(path: Path, n: int) -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="Lauréats")
    for cells in [HEADER] + fictitious_rows(n):
        row = TableRow()
        for value in cells:
            cell = TableCell(valuetype="string")
            cell.addElement(P(text=value))
            row.addElement(cell)
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def write_html(path: Path, n: int) -> None:
    from html import escape

    body = "\n".join(
        "<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in fictitious_rows(n)
    )
    head = "".join(f"<th>{escape(h)}</th>" for h in HEADER)
    path.write_text(
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Liste fictive</title></head><body>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>",
        encoding="utf-8",
    )


def write_json(path: Path, n: int) -> None:
    # an open-data portal's export: a list of objects, amounts as JSON numbers
    records = [
        dict(zip(HEADER, [name, title, dep, _euros(amount)]))
        for name, title, dep, amount in fictitious_rows(n)
    ]
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


def _euros(amount: str) -> float:
    return float(amount.replace("€", "").replace(" ", "").replace(",", "."))


def write_pdf(path: Path, pages: int, ruled: bool = True) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    rows = fictitious_rows(pages * PDF_ROWS_PER_PAGE)
    table = Table([HEADER] + rows, repeatRows=1, colWidths=[140, 190, 95, 90])
    style = [
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    table.setStyle(
        TableStyle(style + ([("GRID", (0, 0), (-1, -1), 0.5, colors.black)] if ruled else []))
    )
    SimpleDocTemplate(str(path), pagesize=A4, topMargin=30, bottomMargin=30).build([table])


WRITERS = {
    "csv": write_csv,
    "xlsx": write_xlsx,
    "ods": write_ods,
    "html": write_html,
    "json": write_json,
    "pdf": write_pdf,
    "pdf-texte": lambda path, pages: write_pdf(path, pages, ruled=False),
}  # a table without rules


def peak_rss_mb() -> float:
    """This process's peak resident memory, or its forked readers' (each source is read in a worker
    forked from it) when larger. VmHWM starts afresh at exec; ru_maxrss would carry the size of the
    (large) process that launched this one."""
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return max(int(line.split()[1]) / 1024, workers)
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(manifest: Path, raw: Path, warmup: Path) -> dict:
    """In this (fresh) process: stage a small file of the same format first (imports, schema
    building: what a running pipeline pays once), then the measured one; time, counts, memory."""
    start = time.perf_counter()
    from pipelines.stage.source import stage_source

    stage_source(warmup, raw)
    cold = time.perf_counter() - start
    before = peak_rss_mb()
    start = time.perf_counter()
    staged = stage_source(manifest, raw)
    seconds = time.perf_counter() - start
    peak = peak_rss_mb()
    s = staged.source
    return {
        "seconds": seconds,
        "cold_s": cold,
        "status": s["status"],
        "rows_read": s["rows_read"],
        "rows_accepted": s["rows_accepted"],
        "rows_rejected": s["rows_rejected"],
        "peak_mb": peak,
        "added_mb": peak - before,
        "message": s["message"],
    }


def _write(fmt: str, size: int, target: Path, name: str) -> Path:
    extension = fmt.split("-")[0]
    path = target / f"{name}.{extension}"
    if not path.exists():
        WRITERS[fmt](path, size)
        (target / f"{name}.yaml").write_text(MANIFEST.format(fmt=extension), encoding="utf-8")
    return path


def run(fmt: str, size: int, folder: Path) -> dict:
    raw = folder / "raw"
    target = raw / "bretagne-fictive" / "2023"
    target.mkdir(parents=True, exist_ok=True)
    warmup = _write(fmt, 1 if fmt.startswith("pdf") else 100, target, f"echauffement-fictif-{fmt}")
    start = time.perf_counter()
    path = _write(fmt, size, target, f"banc-fictif-{fmt}-{size}")
    written = time.perf_counter() - start
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            str(path.with_suffix(".yaml")),
            str(raw),
            str(warmup.with_suffix(".yaml")),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    result = json.loads(child.stdout.strip().splitlines()[-1])
    result.update(format=fmt, size=size, bytes=path.stat().st_size, generated_s=written)
    if fmt.startswith("pdf"):
        import pypdfium2

        with pypdfium2.PdfDocument(str(path)) as pdf:
            result["pages"] = len(pdf)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--formats", default=",".join(SIZES))
    parser.add_argument(
        "--sizes", help="tailles (lignes ; pages pour pdf), séparées par des virgules"
    )
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(*(Path(a) for a in args.measure))))
        return
    print(
        "Débit de stage_source (lecture, mise en forme, normalisation, pandera), processus déjà chargé ;\n"
        "« 1er appel » : import de pipelines.stage.source et premier stage_source d'un processus neuf, sur un\n"
        "petit fichier du même format (ce que paie une fois un processus qui en lit beaucoup).\n"
    )
    print(
        f"{'format':9} {'taille':>8} {'Mo':>6} {'lues':>8} {'acceptées':>9} {'secondes':>8} "
        f"{'débit':>16} {'pic RSS':>8} {'+ lecture':>9} {'1er appel':>9}"
    )
    with tempfile.TemporaryDirectory(prefix="banc-fictif-") as tmp:
        for fmt in args.formats.split(","):
            sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else SIZES[fmt]
            for size in sizes:
                r = run(fmt, size, Path(tmp))
                if r["status"] not in ("ok", "rejected_rows"):
                    print(f"{fmt:9} {size:>8} ÉCHEC : {r['message']}")
                    continue
                rate = (
                    f"{r['pages'] / r['seconds']:>8.1f} pages/s"
                    if fmt.startswith("pdf")
                    else f"{r['rows_read'] / r['seconds']:>9,.0f} lignes/s".replace(",", " ")
                )
                size = r.get("pages", size)
                print(
                    f"{fmt:9} {size:>8} {r['bytes'] / 1e6:>6.1f} {r['rows_read']:>8} {r['rows_accepted']:>9} "
                    f"{r['seconds']:>8.2f} {rate:>16} {r['peak_mb']:>6.0f}Mo {r['added_mb']:>7.0f}Mo "
                    f"{r['cold_s']:>8.2f}s",
                    flush=True,
                )


if __name__ == "__main__":
    main()
