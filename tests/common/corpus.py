"""Texts to hold a rule's two spellings against: every cell of the real sources under raw/, every cell
of the fictitious files the tests generate, and hostile strings. Every generated value is fictitious.

Cells are taken twice: as the readers receive them (before `clean_cell` / `text_column` fold their
spaces) and as they come out (the table's cells, labels, set-aside lines and totals).
"""

from __future__ import annotations

import contextlib
import functools
import string
from collections.abc import Callable, Iterator
from pathlib import Path

import pyarrow as pa

REPO = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def _recording(seen: list[object]) -> Iterator[None]:
    """Every value a reader hands to `clean_cell` or `text_column`, as it was in the file."""
    import pipelines.read.readers.csv as csv_reader
    import pipelines.read.readers.html as html_reader
    import pipelines.read.readers.items as items_reader
    import pipelines.read.readers.pdf as pdf_reader
    import pipelines.read.readers.xlsx as xlsx_reader

    def wrap(function: Callable) -> Callable:
        def recorded(value, *args, **kwargs):
            seen.append(value)
            return function(value, *args, **kwargs)

        return recorded

    patched = [
        (m, name)
        for m in (csv_reader, html_reader, items_reader, pdf_reader, xlsx_reader)
        for name in ("clean_cell", "text_column")
        if hasattr(m, name)
    ]
    originals = [getattr(m, name) for m, name in patched]
    for (m, name), original in zip(patched, originals):
        setattr(m, name, wrap(original))
    try:
        yield
    finally:
        for (m, name), original in zip(patched, originals):
            setattr(m, name, original)


def _texts(values: list[object]) -> Iterator[str]:
    for value in values:
        if isinstance(value, (pa.Array, pa.ChunkedArray)):
            yield from (v for v in value.to_pylist() if isinstance(v, str))
        elif isinstance(value, str):
            yield value
        elif isinstance(value, (list, tuple)) or type(value).__name__ == "generator":
            yield from _texts(list(value))


def read_cells(raw_root: Path) -> list[str]:
    """Every text cell of every source under `raw_root`, read by the project's readers."""
    from pipelines.common.problems import SourceError
    from pipelines.read.discovery import discover
    from pipelines.read.files import check_file
    from pipelines.read.manifest import EXTENSIONS
    from pipelines.read.manifest_file import load_manifest
    from pipelines.stage.source import read_raw_table

    seen: list[object] = []
    for source in discover(raw_root):
        with _recording(seen):
            try:
                check_file(source.manifest, "manifeste", raw_root)
                manifest = load_manifest(source.manifest)
                if source.data is None:
                    continue
                check_file(source.data, "fichier", raw_root)
                fmt = manifest.read.format or EXTENSIONS[source.data.suffix.lower().lstrip(".")]
                raw = read_raw_table(manifest, source.data, fmt)
            except (SourceError, ValueError, OSError):
                continue  # a refused source: what its reader saw until then is kept
        seen += [raw.labels, [s.text for s in raw.skipped], [t.label for t in raw.totals]]
        seen += [list(t.cells.values()) for t in raw.totals]
        seen += [raw.frame[c].tolist() for c in raw.frame.columns if raw.frame[c].dtype != "int64"]
    return list(dict.fromkeys(_texts(seen)))


@functools.cache
def real_cells() -> tuple[str, ...]:
    """Every text cell of the sources under raw/."""
    return tuple(read_cells(REPO / "raw"))


def _write_fixtures(raw: Path) -> None:
    """The files of tests/fixtures_gen.py, tests/contribute/shapes.py and tests/hostile/cases.py,
    each beside a manifest, under raw/<région>/<année>/ (the OCR'd scan aside: it needs tesseract)."""
    from tests import fixtures_gen as gen
    from tests.contribute import shapes
    from tests.hostile import cases

    folder = raw / "bretagne" / "2023"
    folder.mkdir(parents=True)
    plain = gen.manifest()
    files = [
        ("csv-utf8.csv", lambda p: gen.write_csv(p), plain),
        ("csv-cp1252.csv", lambda p: gen.write_csv(p, encoding="cp1252", delimiter=","), plain),
        ("csv-latin1.csv", lambda p: gen.write_csv(p, encoding="latin-1", delimiter="\t"), plain),
        ("classeur.xlsx", gen.write_xlsx, gen.xlsx_manifest()),
        ("classeur-ods.ods", gen.write_ods, gen.ods_manifest()),
        ("reglee.pdf", lambda p: gen.write_pdf(p, gen.pdf_awards(40), ruled=True), plain),
        ("libre.pdf", lambda p: gen.write_pdf(p, gen.pdf_awards(12), ruled=False), plain),
        ("sans-tableau.pdf", gen.write_pdf_without_table, plain),
        ("cellule.pdf", gen.write_pdf_cell_by_cell, plain),
        ("fusion.pdf", gen.write_pdf_with_merged_cell, plain),
        (
            "page.html",
            lambda p: p.write_text(gen.html_page(), encoding="utf-8"),
            gen.html_manifest(),
        ),
        ("export-ds.csv", gen.write_ds_export, gen.ds_manifest()),
        ("cofinance.csv", shapes.cofunded_csv, plain),
        ("deux-lignes.xlsx", shapes.two_row_header_xlsx, plain),
        ("feuilles.xlsx", shapes.sheets_xlsx, gen.manifest(read={"sheets": "all"})),
        ("article.html", shapes.article_html, plain),
        ("traitement.pdf", shapes.word_pdf, plain),
        ("sale.csv", shapes.dirty_csv, plain),
        ("intitules.csv", shapes.spelled_csv, plain),
        ("ds.csv", shapes.ds_export, gen.ds_manifest()),
    ]
    for name, write, manifest in files:
        path = folder / name
        write(path)
        path.with_suffix(".yaml").write_text(manifest, encoding="utf-8")
    for name, case in cases.CASES.items():
        # What no reader opens (links out of raw/, a named pipe) is left out: nothing to read in it.
        if case.build.__qualname__.split(".")[0] in ("fifo", "linked_folder", "symlink_to"):
            continue
        target = raw / case.folder[0] / str(case.folder[1])
        with contextlib.suppress(FileExistsError):
            case.build(target, name)


@functools.cache
def fixture_cells() -> tuple[str, ...]:
    """Every text cell of the fictitious files the tests generate."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw"
        raw.mkdir()
        _write_fixtures(raw)
        return tuple(read_cells(raw))


# Hostile strings, fictitious throughout: each invisible, look-alike or extreme character alone, in
# a word, in an amount and in a phone number.
_ODD = (
    [chr(c) for c in (*range(0x21), *range(0x7F, 0xA1))]  # C0, C1, space, NBSP
    + list(string.punctuation)
    + [
        "\u00ad",
        "\u034f",
        "\u061c",
        "\u115f",
        "\u1160",
        "\u1680",
        "\u180e",
        "\u2800",
        "\u3000",
        "\u3164",
        "\uffa0",
        "\ufeff",
        "\ufff9",
        "\ufffc",
        "\ufffd",
        "\u2028",
        "\u2029",
        "\u205f",
        "\u2061",
        "\u2065",
        "\u2066",
        "\u2069",
        "\u206a",
        "\u206f",
        "\u202f",
        "\u2009",
        "\u2007",
    ]
    + [chr(c) for c in range(0x2000, 0x2010)]
    + [chr(c) for c in range(0x202A, 0x202F)]
    + [
        chr(c) for c in (0xE0000, 0xE0001, 0xE0020, 0xE0041, 0xE007E, 0xE007F, 0xE0100, 0xE01EF)
    ]  # tags, selectors
    + [
        "＠",
        "０",
        "１",
        "６",
        "９",
        "٠",
        "٦",
        "۶",
        "६",
        "੬",
        "๖",
        "᠖",
        "６",
        "𝟔",
        "𝟎",
        "①",
        "⁶",
        "₆",
        "Ⅵ",
        "六",
        "\U0001d7ce",
        "\U0001e950",
        "\U000104a6",
        "\U00011f56",
        "\U0001fbf6",
    ]  # other digits, and digits that are not \d
    + [
        "ſ",
        "K",
        "Å",
        "ı",
        "İ",
        "ß",
        "ẞ",
        "ﬀ",
        "ﬁ",
        "ǅ",
        "Œ",
        "œ",
        "Æ",
        "Ÿ",
        "ÿ",
        "Ý",
        "Þ",
        "é",
        "e\u0301",
        "Ｅ",
        "Ｍ",
    ]
    + [
        "😀",
        "👨\u200d👩\u200d👧",
        "🇫🇷",
        "🏴\U000e0066\U000e0072\U000e007f",
        "\U0001f600\ufe0f",
        "𝔈",
        "𐍈",
        "\U0010fffd",
        "\U000f0000",
        "\U0002a6d6",
        "\ue000",
        "\uf8ff",
        "\U000e0001",
    ]
)
_SHAPES = (
    "{c}",
    "a{c}b",
    "Association{c}Fictive",
    " {c} ",
    "{c}{c}{c}",
    "12{c}500,00{c}€",
    "12 500{c}euros",
    "06{c}99{c}88{c}77{c}66",
    "+33{c}6 99 88 77 66",
    "M.{c}Jean Fictif",
    "Mme{c}Jeanne Fictive",
    "jeanne{c}@exemple.invalid",
    "FR76{c}3000 6000 0112 3456 7890 189",
    "1 85 05{c}78 006 084 91",
    "nan{c}",
    "{c}euros",
    "eur{c}",
    "HT{c}",
    "{c}ttc",
)
HOSTILE: tuple[str, ...] = tuple(
    dict.fromkeys(
        [
            "",
            " ",
            "  ",
            "\t",
            "\n",
            "nan",
            "NaN",
            "NAN",
            "nAn",
            " nan ",
            "none",
            "-",
            "—",
            "0",
            "00",
            ".",
            ",",
            *(shape.format(c=c) for c in _ODD for shape in _SHAPES),
            # amounts as written, and almost so
            "12500",
            "12 500",
            "12 500,00 €",
            "12\u202f500,00\u00a0€",
            "12.500",
            "12.500,5",
            "1,234.50",
            "47800.20",
            "12500,123",
            "1 2 5 0 0",
            "€12 500",
            "12 500 EUROS",
            "12 500 Eur",
            "12 500 € HT",
            "12 500 € TTC",
            "12500ht",
            "12500eur",
            "12500euro",
            "12500euros",
            "12500 eurosé",
            "12500 euroſ",
            "12500 eurᵒ",
            "12500 eurø",
            "12 500 EURO_",
            "12500 ĖUR",
            "12500 Euros!",
            "12500€€",
            "12'500",
            "12’500",
            "(12 500)",
            "-12 500",
            "+12 500",
            "1e5",
            "inf",
            "１２５００",
            "١٢٥٠٠",
            "12 500,٥٠",
            "12.500.000",
            "0,5",
            ",5",
            "5,",
            "12 500,00 € TTC (HT : 10 416,67 €)",
            "12500 htc",
            "12500 ttcx",
            "12500 ht.",
            "12500 h t",
            "12500 eu ros",
            "eur",
            "euros",
            "NC",
            "n.c.",
            "Non communiqué",
            "100000000000000000000",
            "999999999999999,99",
            "12500\u00a0euros",
            "12500\u2009€",
            "12500\u3000€",
            # personal data, fictitious, and near misses
            "06 99 88 77 66",
            "06.99.88.77.66",
            "0699887766",
            "06-99-88-77-66",
            "+33 6 99 88 77 66",
            "+33699887766",
            "0033 (0)6 99 88 77 66",
            "+33 (0) 6 99 88 77 66",
            "0033\u00a06\u00a099\u00a088\u00a077\u00a066",
            "06\t99\t88\t77\t66",
            "06\u202f99\u202f88\u202f77\u202f66",
            "+\u00a033 6 99 88 77 66",
            "+\t33\t6 99 88 77 66",
            "06 ９９ ８８ ７７ ６６",
            "06 ٩٩ ٨٨ ٧٧ ٦٦",
            "０６ ９９ ８８ ７７ ６６",
            "SIRET 73282932000074",
            "7328293200007412",
            "FR76 3000 6000 0112 3456 7890 189",
            "FR7630006000011234567890189",
            "FR٧٦ 3000 6000 0112 3456 7890 189",
            "fr76 3000 6000 0112 3456 7890 189",
            "1 85 05 78 006 084 91",
            "185057800608491",
            "2 85 05 2A 006 084 91",
            "1 ８５ 05 78 006 084 91",
            "1 85 05 78 006 084 92",
            "jeanne.fictive@exemple.invalid",
            "jeanne.fictive＠exemple.invalid",
            "a@b",
            "@",
            "@@",
            "Mme Jeanne Fictive",
            "Mme. Jeanne Fictive",
            "Mlle. Jeanne Fictive",
            "Mr. Jean Fictif",
            "Mr Jean Fictif",
            "M. Jean-Paul DUFICTIF",
            "Monsieur Ÿves Fictif",
            "Madame Œdipe Fictive",
            "Madame Élise Fictive",
            "Mademoiselle Ève Fictive",
            "M.\tJean Fictif",
            "M.\u00a0Jean Fictif",
            "M.\u2003Jean Fictif",
            "M.\x1cJean Fictif",
            "Mme\u3000Jeanne Fictive",
            "M.   Jean Fictif",
            "M.    Jean Fictif",
            "M. le Maire",
            "Madame Bovary",
            "MM. Fictifs",
            "Mme Jeanne\u00a0Fictive",
            "Mme Ｊeanne Fictive",
            # long, and long with something at the end
            "a" * 100_000,
            "a" * 30_000 + "!",
            " " * 10_000,
            "\u00a0" * 10_000,
            "1" * 5_000,
            "é" * 50_000,
            "a" * 120_000 + "@exemple.invalid",
            "x" * 50_000 + " 06 99 88 77 66",
            "\u202e" * 1000 + "Fictif",
            "12 " * 10_000 + "€",
            "😀" * 20_000,
            "\U000e0041" * 5_000,
        ]
    )
)


def all_texts() -> tuple[str, ...]:
    return tuple(dict.fromkeys(real_cells() + fixture_cells() + HOSTILE))
