"""Staged sources between runs: written aside and swapped in, so concurrent writers never lose a source."""

from __future__ import annotations

import multiprocessing
import pickle
from pathlib import Path

import pandas as pd
import pyarrow as pa
from upath import UPath

from assets import storage
from assets.storage import (
    encoded_files,
    forget_staged,
    read_last_good,
    read_staged,
    read_staged_many,
    stored_versions,
    write_staged,
)
from pipelines.stage.staged import StagedSource, empty_rejects

KEY = "normandie/2024/laureats-fictifs"


def staged_fictif(writer: int, n: int) -> StagedSource:
    rows = pd.DataFrame(
        {
            "beneficiary_name": [f"Association fictive {writer}-{n}-{i}" for i in range(200)],
            "amount_eur": [float(i) for i in range(200)],
        }
    )
    source = {
        "source_id": KEY,
        "status": "ok",
        "rows_read": 200,
        "rows_accepted": 200,
        "rows_rejected": 0,
        "rows_skipped": 0,
    }
    return StagedSource(
        KEY, source, None, "awards", rows, empty_rejects(), version=f"v{writer}-{n}"
    )


def _write_many(base: str, writer: int, times: int) -> None:
    for n in range(times):
        write_staged(UPath(base), KEY, staged_fictif(writer, n))


def test_two_writers_of_one_source_never_leave_it_missing_or_torn(tmp_path: Path, monkeypatch):
    base = UPath(tmp_path / "storage")
    write_staged(base, KEY, staged_fictif(0, 0))
    ctx = multiprocessing.get_context("spawn")
    writers = [ctx.Process(target=_write_many, args=(str(base), w, 40)) for w in (1, 2)]
    for w in writers:
        w.start()
    reads = 0
    while any(w.is_alive() for w in writers) or reads < 20:
        staged = read_staged(base, KEY)  # what the consolidation loads meanwhile
        assert staged is not None, "la source a disparu pendant une écriture"
        assert len(staged.rows) == 200 and staged.version.startswith("v")
        writer, n = staged.version[1:].split("-")
        assert (
            staged.rows["beneficiary_name"].iloc[0] == f"Association fictive {writer}-{n}-0"
        )  # one write, whole
        reads += 1
    for w in writers:
        w.join()
        assert w.exitcode == 0
    assert stored_versions([KEY], str(base))[KEY] in {"v1-39", "v2-39"}
    assert read_staged(base, KEY).version in {"v1-39", "v2-39"}
    # Replaced readings are removed once no reader can still be loading them.
    monkeypatch.setattr(storage, "REPLACED_GRACE_SECONDS", -1)
    write_staged(base, KEY, staged_fictif(9, 9))
    folder = base / "staged_source" / "normandie" / "2024" / "laureats-fictifs"
    assert len(list(folder.iterdir())) == 3  # CURRENT and LAST_GOOD, both on the one reading

    # A failed run forgets the current reading; the last good one stays, to be held back only.
    forget_staged(KEY, str(base))
    assert read_staged(base, KEY) is None and stored_versions([KEY], str(base))[KEY] is None
    assert read_last_good(KEY, str(base)).version == "v9-9"


def test_storage_root_may_be_any_fsspec_url():
    base = UPath("memory://mille-jours-fictif/storage")
    write_staged(base, KEY, staged_fictif(3, 1))
    assert read_staged(base, KEY).version == "v3-1"
    assert stored_versions([KEY], "memory://mille-jours-fictif/storage") == {KEY: "v3-1"}


def test_a_reading_encoded_in_its_worker_is_stored_as_its_frames_say(tmp_path: Path):
    """The reading worker encodes a source's Parquet files; the run's process only writes them."""
    staged = staged_fictif(5, 2)
    staged.rejects = pd.DataFrame(
        [
            {
                "source_id": KEY,
                "source_row": 7,
                "place": "ligne 7",
                "column": "Montant",
                "value": "douze",
                "reason": "montant illisible",
                "fix": "corriger",
            }
        ]
    ).astype(empty_rejects().dtypes.to_dict())
    travelled = pickle.loads(
        pickle.dumps(staged)
    )  # as it comes back from a worker, files encoded there
    travelled.encoded = encoded_files(travelled)
    travelled = pickle.loads(pickle.dumps(travelled))
    for base, reading in (
        (UPath(tmp_path / "cadres"), staged),
        (UPath(tmp_path / "encodee"), travelled),
        (UPath("memory://mille-jours-fictif/encodee"), travelled),
    ):
        write_staged(base, KEY, reading)
        back = read_staged(base, KEY)
        pd.testing.assert_frame_equal(back.rows, staged.rows)
        pd.testing.assert_frame_equal(back.rejects, staged.rejects)
        assert back.version == "v5-2" and not back.encoded


def test_sources_read_together_are_the_frames_each_gives_alone(tmp_path: Path):
    """The consolidation loads every source at once; each keeps its own rows, dtypes and index."""
    base = UPath(tmp_path)
    campaign = pd.DataFrame(
        {
            "campaign_id": pd.Series(["fictif-2024"], dtype="str"),
            "declared_awards_count": pd.array([12], dtype="Int64"),
        }
    )
    readings = {
        "normandie/2024/a": staged_fictif(1, 1),
        "normandie/2024/b": staged_fictif(2, 2),
        "normandie/2024/vide": StagedSource(
            KEY, {}, None, "awards", staged_fictif(0, 0).rows.iloc[:0], empty_rejects()
        ),
        "normandie/2024/campagne": StagedSource(
            KEY, {}, None, "campaigns", campaign, empty_rejects()
        ),
    }
    for key, staged in readings.items():
        write_staged(base, key, staged)
    together = read_staged_many(base, [*readings, "normandie/2024/jamais-lue"])
    assert together.pop("normandie/2024/jamais-lue") is None
    for key, staged in together.items():
        pd.testing.assert_frame_equal(staged.rows, read_staged(base, key).rows)
        pd.testing.assert_frame_equal(staged.rows, readings[key].rows.reset_index(drop=True))


def test_a_reading_stored_as_parquet_before_is_still_read(tmp_path: Path):
    """Readings were stored as Parquet files before Arrow IPC: an instance keeps them until re-read."""
    base = UPath(tmp_path)
    staged = staged_fictif(4, 4)
    staged.rejects = pd.DataFrame(
        [
            {
                "source_id": KEY,
                "source_row": 2,
                "place": None,
                "column": None,
                "value": None,
                "reason": "ligne vide",
                "fix": "la retirer",
            }
        ]
    ).astype(empty_rejects().dtypes.to_dict())
    write_staged(base, KEY, staged)
    (folder,) = [p for p in (tmp_path / "staged_source" / KEY).iterdir() if p.is_dir()]
    for name in ("rows", "rejects"):
        written = folder / f"{name}.arrow"
        pa.ipc.open_file(written.read_bytes()).read_all().to_pandas().to_parquet(
            folder / f"{name}.parquet", index=False
        )
        written.unlink()
    back = read_staged(base, KEY)
    pd.testing.assert_frame_equal(back.rows, staged.rows)
    pd.testing.assert_frame_equal(back.rejects, staged.rejects)
