"""The `read:` section of the manifest `mille-jours new-source` drafts: where the table is, how its
cells read, and what the file hides or groups, each proposal with the comment that says why."""

from __future__ import annotations

from collections.abc import Sequence

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from pipelines.contribute import headerless
from pipelines.contribute.hidden import propose_hidden
from pipelines.contribute.inspect import long_lines
from pipelines.contribute.look import Look
from pipelines.contribute.manifest_text import ManifestText, set_value
from pipelines.read.layout import RawTable
from pipelines.read.readers import GridRow
from pipelines.stage.doubts_groups import proposed_fill_down


def read_section(
    doc: ManifestText,
    look: Look,
    columns: dict[str, str],
    decimal: str,
    unit: tuple[str, str] | None = None,
    amount_labels: Sequence[str] = (),
) -> None:
    """The `read:` keys: where the table is and how its cells read, each proposal with its comment."""
    fmt, options, header, raw = look.fmt, look.options, look.header, look.raw
    read = CommentedMap()
    multi = _where(doc, read, look)
    set_value(
        read, "decimal", DoubleQuotedScalarString(decimal), "séparateur décimal des montants", 2
    )
    if unit:
        _amount_unit(doc, read, *unit)
    if options.get("columns_by_position"):
        set_value(read, "header_row", header.number, "la ligne au-dessus du premier lauréat", 2)
        set_value(read, "columns_by_position", True, headerless.samples(raw)[:160], 2)
    else:
        _header(doc, read, fmt, header, raw, look.depth, several_sheets=multi)
    if fmt == "csv":
        _extra_fields(doc, read, raw, columns)
    _fill_down(doc, read, raw, columns, amount_labels)
    propose_hidden(doc, read, raw)
    doc.put("read", read)
    doc.comment(
        'skip_rows_matching: ["^Sous-total"]   # lignes à ignorer en plus des totaux', indent=2
    )


def _where(doc: ManifestText, read: CommentedMap, look: Look) -> bool:
    """The keys saying where the table is: the JSON list, the CSV's encoding and delimiter, the
    pattern of a web page's items, the sheet or sheets; whether it spans several sheets."""
    fmt, options, rows, header = look.fmt, look.options, look.rows, look.header
    if options.get("records"):
        set_value(read, "records", options["records"], look.records_note, 2)
        doc.to_check.append("read.records")
    if fmt == "csv":
        set_value(read, "encoding", options["encoding"])
        # Quoted though `;` needs not be: a lone punctuation mark reads better between quotes.
        set_value(read, "delimiter", DoubleQuotedScalarString(options["delimiter"]))
    if options.get("items"):
        # Quoted as raw/README.md shows it: a pattern is full of YAML's own punctuation (: # " [ ]).
        set_value(
            read,
            "items",
            DoubleQuotedScalarString(options["items"]),
            "liste à puces (<li>) sans tableau : une partie nommée par champ ; "
            "l'intertitre au-dessus de chaque liste est la colonne « (intertitre) »",
            2,
        )
    multi = options.get("sheets")
    if multi is not None:
        names = ", ".join(x for x in dict.fromkeys(r.place for r in rows) if x)
        set_value(
            read,
            "sheets",
            multi,
            f"le tableau est sur plusieurs feuilles ({names}) ; une feuille sans "
            "cet en-tête (synthèse) est ignorée et comptée",
            2,
        )
    elif len({r.place for r in rows if r.place}) > 1 and fmt in ("xlsx", "ods") and header.place:
        set_value(read, "sheet", header.place)
    return multi is not None


def _extra_fields(
    doc: ManifestText, read: CommentedMap, raw: RawTable, columns: dict[str, str]
) -> None:
    """A CSV whose lines have a field too many (a delimiter in unquoted text): joined to the title."""
    too_long = long_lines(raw)
    if too_long and "project_title" in columns:
        width, counts = too_long[0], too_long[1]
        set_value(
            read,
            "extra_fields_into",
            columns["project_title"],
            f"À VÉRIFIER : {len(counts)} ligne(s) ({', '.join(str(r) for r in counts)}) ont plus de {width} "
            "champs (un séparateur dans un texte sans guillemets) : le champ en trop est rattaché à l'intitulé",
            2,
        )
        doc.to_check.append("read.extra_fields_into")


def _fill_down(
    doc: ManifestText,
    read: CommentedMap,
    raw: RawTable,
    columns: dict[str, str],
    amounts: Sequence[str],
) -> None:
    """Headers written on the first row of each group only (a département over its projects, a
    project over its funders' rows): proposed to fill down, for the contributor to confirm."""
    headers = proposed_fill_down(raw, columns, list(amounts))
    if not headers:
        return
    seq = CommentedSeq(headers)
    seq.fa.set_flow_style()
    named = ", ".join(f"« {h} »" for h in headers)
    written = "n'est écrit" if len(headers) == 1 else "ne sont écrits"
    set_value(
        read,
        "fill_down",
        seq,
        f"À VÉRIFIER : {named} {written} qu'en tête de chaque groupe de lignes ; une cellule "
        "vide y reprend la valeur du dessus",
        2,
    )
    doc.to_check.append("read.fill_down")
    doc.notes.append(
        f"{named} {written} qu'en tête de chaque groupe de lignes : les cellules vides en dessous "
        "reprennent la valeur du dessus (read.fill_down, à vérifier dans le fichier)"
    )


def _amount_unit(doc: ManifestText, read: CommentedMap, unit: str, header: str) -> None:
    what = "milliers" if unit == "k€" else "millions"
    set_value(
        read,
        "amount_unit",
        DoubleQuotedScalarString(unit),
        f"À VÉRIFIER : l'en-tête « {header} » donne les montants en {what} d'euros ; "
        "chaque montant lu est multiplié d'autant (une cellule « 15 k€ » garde son unité)",
        2,
    )
    doc.to_check.append("read.amount_unit")


def _header(
    doc: ManifestText,
    read: CommentedMap,
    fmt: str,
    header: GridRow,
    raw: RawTable,
    depth: int,
    several_sheets: bool,
) -> None:
    """Where the header is: its row (and depth) in a sheet or CSV, a note for what is found on every page."""
    header_text = " | ".join(c for c in header.cells if c)
    if fmt in ("csv", "xlsx", "ods") and not several_sheets:
        shown = header_text[:80] + ("…" if len(header_text) > 80 else "")
        set_value(read, "header_row", header.number, f"en-tête trouvé ici : {shown}", 2)
    if depth > 1:
        set_value(
            read,
            "header_rows",
            depth,
            f"en-tête sur {depth} lignes : intitulé fusionné au-dessus de sous-intitulés",
            2,
        )
        doc.notes.append(
            f"en-tête sur {depth} lignes : « {' | '.join(dict.fromkeys(x for x in raw.labels if x))} »"
        )
    if fmt == "json":
        doc.notes.append(
            f"en-tête : les clés des enregistrements ({header.place}) : « {header_text} »"
        )
    elif fmt not in ("csv", "xlsx", "ods"):
        doc.notes.append(f"en-tête reconnu : « {header_text} » (repéré à chaque page ou tableau)")
