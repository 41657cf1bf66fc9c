"""One raw source, end to end without Dagster: manifest → reader → layout → normalize → pandera.

`stage_source` never raises for bad input: an unreadable file or a bad manifest gives a
`StagedSource` with that status and a message naming the file, the place and the fix, so the
other sources still flow. Used by the Dagster assets and by `mille-jours validate` alike.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.geo import cog, departement_code
from pipelines.layout import PLACE, ROW, RawTable, SkippedRow, build_table, column_for
from pipelines.manifest import DEFAULT_SKIP, EXTENSIONS, Manifest, data_path_for, load_manifest
from pipelines.normalize import funder_code, parse_amount, parse_amounts, parse_count, parse_rna, parse_siret
from pipelines.problems import Problem, SourceError
from pipelines.quality import quality_warnings
from pipelines.readers import reader_for
from pipelines.text import french_number, text_key
from schemas.tables import REJECTED_ROWS, SOURCE_TABLES
from schemas.to_pandera import to_pandera

# Columns derived at consolidation, absent from a staged source.
CONSOLIDATION_COLUMNS = ("award_id", "beneficiary_id")


@dataclass
class StagedSource:
    """What one raw source yields: its accepted rows, its rejected rows with reasons, its bilan."""

    source_id: str
    source: dict[str, Any]  # a row of the `sources` table
    campaign: dict[str, Any] | None  # what the manifest says of its campaign
    table: str | None
    rows: pd.DataFrame  # accepted rows, in the columns of `table` (consolidation columns excepted)
    rejects: pd.DataFrame  # rows of the `rejected_rows` table
    skipped: list[SkippedRow] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error: SourceError | None = None
    partial: bool = False

    @property
    def status(self) -> str:
        return self.source["status"]

    @property
    def declared(self) -> dict[str, Any]:
        return {k: (self.campaign or {}).get(k) for k in ("declared_awards_count", "declared_total_eur")}

    def computed(self) -> dict[str, Any]:
        """What the accepted rows add up to, for reconciliation with the declared figures."""
        if self.table != "awards" or self.rows.empty:
            return {"awards_count": None, "total_eur": None}
        amounts = self.rows["amount_eur"]
        return {"awards_count": int(self.rows["source_row"].nunique()),
                "total_eur": float(amounts.sum()) if amounts.notna().any() else None}

    def reconciliation(self) -> list[dict[str, Any]]:
        """Declared against computed, one entry per figure the publisher announced."""
        computed = self.computed()
        out = []
        for key, declared_key in (("awards_count", "declared_awards_count"), ("total_eur", "declared_total_eur")):
            declared = self.declared[declared_key]
            if declared is None or self.table != "awards":
                continue
            value = computed[key]
            out.append({"figure": key, "declared": declared, "computed": value,
                        "matches": value is not None and abs(float(value) - float(declared)) < 0.005})
        return out


def source_id_for(data_or_manifest: Path, raw_root: Path) -> str:
    return data_or_manifest.resolve().relative_to(raw_root.resolve()).with_suffix("").as_posix()


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _empty_rejects() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=f.pandas_dtype) for c, f in
                         ((f.name, f) for f in REJECTED_ROWS.fields)})


def _source_row(source_id: str, path: Path | None, raw_root: Path, manifest: Manifest | None,
                fmt: str | None) -> dict[str, Any]:
    rel = path.resolve().relative_to(raw_root.resolve().parent).as_posix() if path else f"raw/{source_id}.yaml"
    m = manifest
    return {
        "source_id": source_id,
        "path": rel,
        "sha256": sha256_of(path) if path and path.exists() else None,
        "format": fmt,
        "publisher": m.source.publisher if m else None,
        "url": m.source.url if m else None,
        "retrieved": m.source.retrieved.isoformat() if m else None,
        "licence": m.source.licence if m else None,
        "region_code": m.region_code if m else None,
        "year": m.year if m else None,
        "campaign_id": m.campaign.id if m else None,
        "table": m.table if m else None,
        "status": "ok",
        "rows_read": 0,
        "rows_accepted": 0,
        "rows_rejected": 0,
        "rows_skipped": 0,
        "message": None,
    }


def _campaign_row(m: Manifest, source_id: str) -> dict[str, Any]:
    return {
        "campaign_id": m.campaign.id,
        "region_code": m.region_code,
        "year": m.year,
        "title": m.campaign.title,
        "kind": m.campaign.kind,
        "envelope_eur": m.campaign.envelope_eur,
        "declared_awards_count": m.declared.awards_count,
        "declared_total_eur": m.declared.total_amount_eur,
        "source_id": source_id,
    }


def stage_source(manifest_path: Path, raw_root: Path) -> StagedSource:
    """Read, normalize and validate one source. Never raises for bad input."""
    source_id = source_id_for(manifest_path, raw_root)
    manifest: Manifest | None = None
    data_path: Path | None = data_path_for(manifest_path)
    # Known from the extension even when the manifest is refused: the `sources` row requires it.
    fmt: str | None = EXTENSIONS[data_path.suffix.lower().lstrip(".")] if data_path else None
    try:
        manifest = load_manifest(manifest_path)
        if data_path is None:
            raise SourceError(manifest_path, "aucun fichier de données à côté du manifeste",
                              fix=f"déposer le fichier sous le même nom ({manifest_path.stem}.csv, .xlsx, .ods, "
                                  ".pdf ou .html)")
        check_manifest_values(manifest, manifest_path)
        fmt = manifest.read.format or EXTENSIONS[data_path.suffix.lower().lstrip(".")]
        return _stage(manifest, data_path, fmt, source_id, raw_root)
    except SourceError as exc:
        if manifest is None:
            exc.status = "bad_manifest"
        return _failed(source_id, data_path, raw_root, manifest, fmt, exc)
    except Exception as exc:  # noqa: BLE001 — one source's unforeseen failure must not stop the others
        # Staged as failed rather than raised: a run that raised would leave the previous reading
        # of this source on disk, and the next publication would ship it as if it were current.
        error = SourceError(data_path or manifest_path,
                            f"erreur inattendue en lisant la source ({type(exc).__name__} : {exc})",
                            fix="signaler le problème aux mainteneurs en joignant le fichier et son manifeste")
        return _failed(source_id, data_path, raw_root, manifest, fmt, error)


def check_manifest_values(manifest: Manifest, path: Path) -> None:
    """Values of the manifest the schema cannot judge alone: constants, funder columns, patterns."""
    def refuse(key: str, message: str, fix: str) -> SourceError:
        return SourceError(path, message, place=f"clé {key}", fix=fix, status="bad_manifest")

    for name, value in manifest.constant_values.items():
        parser = _parser_for(name, manifest.read.decimal, manifest.region_code)
        if parser is None or value is None:
            continue
        try:
            parser(str(value))
        except ValueError as exc:
            raise refuse(f"defaults.{name}", f"valeur par défaut refusée : {exc}", _fix_for(name)) from None
    seen: dict[str, str] = {}
    for funder in manifest.funder_amount_columns:
        try:
            code = funder_code(funder)
        except ValueError as exc:
            raise refuse("columns.amount_eur_by_funder", str(exc), _fix_for("funder")) from None
        if code in seen:
            raise refuse("columns.amount_eur_by_funder",
                         f"« {seen[code]} » et « {funder} » désignent le même financeur ({code})",
                         "une seule colonne par financeur") from None
        seen[code] = funder
    for pattern in manifest.read.skip_rows_matching:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise refuse("read.skip_rows_matching", f"expression régulière invalide « {pattern} » ({exc})",
                         "corriger l'expression, par exemple \"^Sous-total\"") from None


def _failed(source_id: str, data_path: Path | None, raw_root: Path, manifest: Manifest | None,
            fmt: str | None, exc: SourceError) -> StagedSource:
    row = _source_row(source_id, data_path, raw_root, manifest, fmt)
    row.update(status=exc.status, message=exc.describe())
    return StagedSource(source_id, row, _campaign_row(manifest, source_id) if manifest else None,
                        manifest.table if manifest else None, pd.DataFrame(), _empty_rejects(), error=exc)


def read_raw_table(manifest: Manifest, data_path: Path, fmt: str) -> RawTable:
    grid = reader_for(fmt)(data_path, manifest.read)
    return build_table(grid, wanted=manifest.headers(), header_row=manifest.read.header_row,
                       header_rows=manifest.read.header_rows,
                       skip_patterns=list(DEFAULT_SKIP) + list(manifest.read.skip_rows_matching),
                       path=data_path)


def _stage(manifest: Manifest, data_path: Path, fmt: str, source_id: str, raw_root: Path) -> StagedSource:
    try:
        raw = read_raw_table(manifest, data_path, fmt)
    except SourceError:
        raise
    except Exception as exc:  # a reader library failing on a corrupt file: still one source only
        raise SourceError(data_path, f"fichier illisible comme {fmt} ({type(exc).__name__}: {exc})",
                          fix=f"vérifier que le fichier est bien un {fmt} non protégé, ou corriger read.format")
    frame, skipped = raw.frame, list(raw.skipped)
    if manifest.filter:
        frame, filtered = _apply_filter(frame, raw, manifest, data_path)
        skipped += filtered

    columns = {name: column_for(raw, header, data_path, name) for name, header in manifest.mapped_columns.items()}
    by_funder = {funder: column_for(raw, header, data_path, "amount_eur_by_funder")
                 for funder, header in manifest.funder_amount_columns.items()}
    by_funder = {funder_code(f): col for f, col in by_funder.items()}

    records, problems = _normalize(frame, manifest, columns, by_funder, source_id)
    table = SOURCE_TABLES[manifest.table]
    schema = to_pandera(table, exclude=CONSOLIDATION_COLUMNS)
    cols = list(schema.columns)
    # source_row tracks every line back to the file, even for tables that do not publish it.
    staged = records.reindex(columns=cols if "source_row" in cols else cols + ["source_row"])
    text_columns = {f.name for f in table.fields if f.pandas_dtype == "str"}
    for name in set(staged.columns) - set(records.columns):  # unmapped: typed nulls, nothing to coerce
        if name in text_columns:
            staged[name] = pd.Series(pa.nulls(len(staged), pa.large_string()), dtype="str", index=staged.index)
    header_of = {name: manifest.mapped_columns[name] for name in columns}
    validated, schema_problems = _pandera_problems(staged, schema, header_of)
    problems += schema_problems
    if manifest.table == "campaigns":
        extra = sorted(set(staged["source_row"]) - {p.row for p in problems})[1:]
        problems += [Problem(int(r), None, None, None, "une source de campagne décrit une seule campagne",
                             "une ligne par fichier, ou un fichier par campagne") for r in extra]
    bad_rows = {p.row for p in problems if p.severity == "error"}
    kept = staged[~staged["source_row"].isin(bad_rows)] if bad_rows else staged
    if not len(kept):
        accepted = _typed_empty(schema)
    elif validated is not None and not bad_rows:
        accepted = validated  # the whole frame already passed: no second validation
    else:
        accepted = schema.validate(kept[cols], lazy=True)
    problems += _total_warnings(raw, manifest, columns, by_funder, data_path)

    place_of = dict(zip(frame[ROW], frame[PLACE])) if bad_rows else {}
    rejects = pd.DataFrame([
        {"source_id": source_id, "source_row": p.row, "place": p.place or place_of.get(p.row),
         "column": p.column, "value": p.value, "reason": p.message, "fix": p.fix}
        for p in problems if p.severity == "error"
    ], columns=REJECTED_ROWS.columns)
    rejects = rejects.astype({f.name: f.pandas_dtype for f in REJECTED_ROWS.fields}) if len(rejects) else _empty_rejects()

    row = _source_row(source_id, data_path, raw_root, manifest, fmt)
    rows_rejected = len(bad_rows)
    row.update(rows_read=raw.rows_read, rows_skipped=len(skipped), rows_rejected=rows_rejected,
               rows_accepted=int(kept["source_row"].nunique()),
               status="rejected_rows" if rows_rejected else "ok")
    campaign = _campaign_row(manifest, source_id)
    if manifest.table == "campaigns" and len(accepted):
        campaign.update({k: _none_if_na(v) for k, v in accepted.iloc[0].items() if k in campaign and not pd.isna(v)})
    warnings = [p for p in problems if p.severity != "error"]
    warnings += quality_warnings(manifest, raw, frame, accepted)  # hook: pipelines/quality.py
    return StagedSource(source_id, row, campaign, manifest.table, accepted.reset_index(drop=True), rejects,
                        skipped, warnings, partial=manifest.partial)


def _none_if_na(value: Any) -> Any:
    return None if pd.isna(value) else (value.item() if hasattr(value, "item") else value)


def _typed_empty(schema) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(dtype=str(col.dtype)) for name, col in schema.columns.items()})


def _apply_filter(frame: pd.DataFrame, raw: RawTable, manifest: Manifest, path: Path):
    f = manifest.filter
    column = column_for(raw, f.column, path, "filter.column")
    keep = {text_key(v) for v in f.keep}
    mask = frame[column].map(lambda v: text_key(v) in keep if isinstance(v, str) else False).astype(bool)
    dropped = [SkippedRow(int(r), p if isinstance(p, str) else None,
                          f"écartée par le filtre ({f.column} = {v!r})", "", "filtered")
               for r, p, v in zip(frame.loc[~mask, ROW], frame.loc[~mask, PLACE], frame.loc[~mask, column])]
    return frame[mask], dropped


def _parser_for(name: str, decimal: str, region: str) -> Callable[[str], Any] | None:
    table_field = None
    for t in SOURCE_TABLES.values():
        if name in t.columns:
            table_field = t.field(name)
            break
    if name == "funder":
        return funder_code
    if name == "department_code":
        def department(text: str) -> str:
            code = departement_code(text)
            if code is None:
                raise ValueError(f"département inconnu « {text} »")
            d = cog().departements[code]
            if d.region_code != region:
                raise ValueError(f"département {code} ({d.name}) hors de la région {region} "
                                 f"({cog().regions[region]}) de la source")
            return code
        return department
    if name == "beneficiary_siret":
        return parse_siret
    if name == "beneficiary_rna":
        return parse_rna
    if table_field is not None and table_field.type == "number":
        return lambda text: parse_amount(text, decimal)
    if table_field is not None and table_field.type == "integer":
        return parse_count
    return None


# Columns read as euros (parsed by column with parse_amounts), and as whole numbers.
_AMOUNT_COLUMNS = {f.name for t in SOURCE_TABLES.values() for f in t.fields if f.type == "number"}
_INTEGER_COLUMNS = {f.name for t in SOURCE_TABLES.values() for f in t.fields if f.type == "integer"}

_FIXES = {
    "funder": "écrire un financeur connu (ARS, DREETS, DEETS, Commissaire pauvreté, CAF, DRAC…)",
    "department_code": "écrire le code INSEE ou le nom exact du département de la région",
    "beneficiary_siret": "vérifier les 14 chiffres du SIRET (annuaire-entreprises.data.gouv.fr) ou laisser vide",
    "beneficiary_rna": "écrire le numéro RNA sous la forme W123456789 ou laisser vide",
}


def _fix_for(name: str) -> str:
    if name in _FIXES:
        return _FIXES[name]
    if "eur" in name:
        return "écrire un montant en euros, par exemple 12 500,00 € (read.decimal pour le séparateur)"
    return "corriger la valeur dans le fichier"


def _parse_column(values: pd.Series, name: str, parser: Callable[[str], Any] | None, decimal: str
                  ) -> tuple[pd.Series, dict[int, str]]:
    """One parsed value per row (null when empty or wrong) and the error message of each wrong row.

    Cells come cleaned by the readers. Text without a parser is kept as the column it is. Each
    distinct text is parsed once (Arrow's dictionary encoding): a department or a funder repeated
    on 200 000 rows costs one call. Amounts go through parse_amounts, which converts plain ones
    by column.
    """
    if parser is None:
        return values.reset_index(drop=True), {}
    encoded = pc.dictionary_encode(pa.array(values, type=pa.large_string()))
    texts = encoded.dictionary.to_pylist()
    if name in _AMOUNT_COLUMNS:
        parsed, errors = parse_amounts(texts, decimal)
    else:
        parsed, errors = [], []
        for x in texts:
            try:
                parsed.append(parser(x))
                errors.append(None)
            except ValueError as exc:
                parsed.append(None)
                errors.append(str(exc))
    kind = pa.float64() if name in _AMOUNT_COLUMNS else pa.int64() if name in _INTEGER_COLUMNS else pa.large_string()
    column = pa.array(parsed, type=kind).take(encoded.indices)
    if kind == pa.large_string():
        series = pd.Series(column, dtype="str")
    elif kind == pa.int64():
        series = pd.Series(pd.array(column.to_pylist(), dtype="Int64"))
    else:
        series = pd.Series(column.to_numpy(zero_copy_only=False))
    bad = [j for j, e in enumerate(errors) if e is not None]
    if not bad:
        return series, {}
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False)
    return series, {int(i): errors[codes[i]] for i in np.flatnonzero(np.isin(codes, bad))}


def _normalize(frame: pd.DataFrame, manifest: Manifest, columns: dict[str, str], by_funder: dict[str, str],
               source_id: str) -> tuple[pd.DataFrame, list[Problem]]:
    """The file's columns as canonical columns, whole columns at a time; a problem per wrong cell."""
    region = manifest.region_code
    decimal = manifest.read.decimal
    parsers = {name: _parser_for(name, decimal, region)
               for name in set(columns) | set(manifest.constant_values) | {"amount_eur", "funder"}}
    base: dict[str, Any] = {"campaign_id": manifest.campaign.id, "region_code": region, "year": manifest.year,
                            "source_id": source_id}
    if manifest.table == "campaigns":
        base.update(title=manifest.campaign.title, kind=manifest.campaign.kind)
    constants: dict[str, Any] = {}
    for name, value in manifest.constant_values.items():
        parser = parsers.get(name)
        constants[name] = parser(str(value)) if parser and value is not None else value
    if manifest.table == "awards":
        constants.setdefault("funder", "NC")

    numbers = frame[ROW].to_numpy(dtype="int64")
    headers = manifest.mapped_columns
    funder_headers = {funder_code(f): h for f, h in manifest.funder_amount_columns.items()}
    found: list[tuple[int, int, Problem]] = []  # (position, column order, problem): the file's reading order
    out: dict[str, Any] = {**base, **constants}
    for order, (name, col) in enumerate(columns.items()):
        parsed, errors = _parse_column(frame[col], name, parsers.get(name), decimal)
        if name in constants and constants[name] is not None:
            parsed = parsed.fillna(constants[name])
        out[name] = parsed
        found += [(i, order, Problem(int(numbers[i]), None, headers[name], frame[col].iat[i], message,
                                     _fix_for(name))) for i, message in errors.items()]
    records = pd.DataFrame({k: v if isinstance(v, pd.Series) else _constant(v, len(frame)) for k, v in out.items()},
                           index=range(len(frame)))
    records["source_row"] = numbers

    if by_funder:
        lines, has_line = [], np.zeros(len(frame), dtype=bool)
        for order, (funder, col) in enumerate(by_funder.items(), start=len(columns)):
            amounts, errors = _parse_column(frame[col], "amount_eur", parsers["amount_eur"], decimal)
            found += [(i, order, Problem(int(numbers[i]), None, funder_headers[funder],
                                         frame[col].iat[i], message, _fix_for("amount_eur")))
                      for i, message in errors.items()]
            present = amounts.notna().to_numpy()
            has_line |= present
            part = records[present].assign(funder=funder, amount_eur=amounts[present].to_numpy())
            lines.append(part.assign(_order=order))
        troubled = {i for i, _, _ in found}
        # A laureate with no amount in any funder column (all empty, "NC", "-") is kept: one line,
        # funder NC, amount null — an unpublished amount is never a reason to lose the project.
        unfunded = np.array([not has_line[i] and int(i) not in troubled for i in range(len(frame))], dtype=bool)
        if unfunded.any():
            order = len(columns) + len(by_funder)
            lines.append(records[unfunded].assign(funder="NC", amount_eur=np.nan, _order=order))
            found += [(int(i), order, Problem(
                int(numbers[i]), None, ", ".join(manifest.funder_amount_columns.values()), None,
                "aucun montant publié dans les colonnes par financeur : la ligne est gardée sans financeur "
                "ni montant (NC)", "rien à faire si la source ne les publie pas ; sinon remplir la colonne du "
                "financeur", severity="warning", code="no_funder_amount")) for i in np.flatnonzero(unfunded)]
        records = pd.concat(lines) if lines else records.iloc[0:0]
        # one line per funder, in the order of the file then of the manifest
        records = records.rename_axis("_pos").sort_values(["_pos", "_order"], kind="stable")
        records = records.drop(columns="_order").reset_index(drop=True)
    found.sort(key=lambda x: (x[0], x[1]))
    return records, [p for _, _, p in found]


def _constant(value: Any, n: int) -> pd.Series | Any:
    """A manifest constant over every row: text as an Arrow column (no per-row Python string)."""
    if isinstance(value, str):
        return pd.Series(pa.array([value], type=pa.large_string()).take(pa.array(np.zeros(n, dtype=np.int32))),
                         dtype="str")
    return value


def _total_warnings(raw: RawTable, manifest: Manifest, columns: dict[str, str], by_funder: dict[str, str],
                    path: Path) -> list[Problem]:
    """A TOTAL or Sous-total line whose amount is not the sum of the rows it closes: a warning.

    A total closes the rows since the previous total line; a grand total may also close the
    whole table (sub-totals above it). Either sum matching is enough.
    """
    if by_funder:
        headers = {funder_code(f): h for f, h in manifest.funder_amount_columns.items()}
        amount_columns = {headers[f]: col for f, col in by_funder.items()}
    else:
        amount_columns = ({manifest.mapped_columns["amount_eur"]: columns["amount_eur"]}
                          if "amount_eur" in columns else {})
    if not raw.totals or not amount_columns:
        return []
    warnings = []
    for header, col in amount_columns.items():
        amounts, _ = _parse_column(raw.frame[col], "amount_eur", parse_amount, manifest.read.decimal)
        values = amounts.to_numpy(dtype=float)
        previous = 0
        for total in sorted(raw.totals, key=lambda t: t.position):
            cell = total.cells.get(col)
            since_previous = values[previous:total.position]
            since_start = values[:total.position]
            previous = total.position
            try:
                announced = parse_amount(cell, manifest.read.decimal) if cell else None
            except ValueError:
                announced = None
            if announced is None:
                continue
            sums = [float(np.nansum(since_previous)), float(np.nansum(since_start))]
            if any(abs(announced - s) < 0.005 for s in sums):
                continue
            unreadable = int(np.isnan(since_previous).sum())
            detail = f" (dont {unreadable} sans montant)" if unreadable else ""
            whole = (f" ; depuis le début du tableau : {_euros(sums[1])}"
                     if len(since_start) != len(since_previous) else "")
            warnings.append(Problem(
                total.row, total.place, header, cell,
                f"la ligne « {total.label} » annonce {_euros(announced)} mais les {len(since_previous)} lignes "
                f"qu'elle totalise{detail} font {_euros(sums[0])}{whole}",
                "vérifier les montants des lignes et celui du total dans le fichier (le total n'est pas repris "
                "dans les données, seules les lignes le sont)", severity="warning", code="total_mismatch"))
    return warnings


def _euros(value: float) -> str:
    return f"{french_number(value, 2)} €"


_CHECK_MESSAGES = {
    "not_nullable": "valeur obligatoire absente",
    "field_uniqueness": "doublon",
    "multiple_fields_uniqueness": "doublon (même clé sur plusieurs lignes)",
}


def _pandera_problems(staged: pd.DataFrame, schema, header_of: dict[str, str]
                      ) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The validated frame when every row passes; otherwise None and a problem per failing cell."""
    if staged.empty:
        return None, []
    try:
        return schema.validate(staged[list(schema.columns)], lazy=True), []
    except pa_errors.SchemaErrors as exc:
        cases = exc.failure_cases
    problems = []
    for case in cases.itertuples(index=False):
        index = case.index
        if index is None or pd.isna(index):
            # A schema-level failure (a dtype that cannot be coerced for the whole column).
            problems += [Problem(int(r), None, header_of.get(case.column, case.column), None,
                                 f"colonne {case.column} : {case.check}", "corriger la colonne")
                         for r in staged["source_row"]]
            continue
        row = int(staged.loc[index, "source_row"])
        column = case.column if isinstance(case.column, str) else None
        check = str(case.check)
        message = _CHECK_MESSAGES.get(check, check)
        header = header_of.get(column, column) if column else None
        problems.append(Problem(row, None, header, None if pd.isna(case.failure_case) else str(case.failure_case),
                                f"{column} : {message}" if column else message,
                                "compléter la valeur dans le fichier ou dans `defaults` du manifeste"
                                if check == "not_nullable" else _fix_for(column or "")))
    return None, problems
