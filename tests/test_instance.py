"""The embedded instance's event log (pipelines/instance.py) on a real Dagster instance: what a run
stores through it, batched or not, is what Dagster's own SQLite storage would store."""

import sqlite3
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.events import DagsterEventType
from dagster._core.storage.event_log import ConsolidatedSqliteEventLogStorage

from assets.sources import stored_together
from pipelines.instance import EmbeddedEventLogStorage
from pipelines.run import ensure_instance_home

PARTS = dg.StaticPartitionsDefinition(["a", "b", "c"])


@dg.asset(partitions_def=PARTS, backfill_policy=dg.BackfillPolicy.single_run(),
          check_specs=[dg.AssetCheckSpec("lisible", asset="fictif", partitions_def=PARTS)])
def fictif(context: dg.AssetExecutionContext):
    for key in context.partition_keys:
        context.add_asset_metadata({"lignes": len(key)}, partition_key=key)
    yield dg.Output({key: len(key) for key in context.partition_keys})
    with stored_together(context.instance):  # as the staged sources' results are stored
        for key in context.partition_keys:
            yield dg.AssetCheckEvaluation(asset_key=dg.AssetKey("fictif"), check_name="lisible", partition=key,
                                          passed=key != "b")
    yield dg.Output(None, output_name="fictif_lisible")


class _Keep(dg.IOManager):
    def handle_output(self, context, obj) -> None:
        pass

    def load_input(self, context):
        return None


def _materialize(home: Path, monkeypatch, batch_size: str) -> dg.DagsterInstance:
    monkeypatch.setenv("DAGSTER_HOME", str(home))
    monkeypatch.delenv("DAGSTER_PG_URL", raising=False)  # the embedded instance, even when the suite runs on PostgreSQL
    monkeypatch.setenv("DAGSTER_EVENT_BATCH_SIZE", batch_size)
    ensure_instance_home(home)
    instance = dg.DagsterInstance.get()
    assert isinstance(instance.event_log_storage, EmbeddedEventLogStorage)
    job = dg.Definitions(assets=[fictif], resources={"io_manager": _Keep()}).resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(instance=instance, tags={"dagster/asset_partition_range_start": "a",
                                                             "dagster/asset_partition_range_end": "c"})
    assert result.success
    return instance


def _stored(instance: dg.DagsterInstance) -> list[tuple[str | None, dict]]:
    records = instance.fetch_materializations(dg.AssetKey("fictif"), limit=10, ascending=True).records
    return [(r.partition_key, {k: v.value for k, v in r.asset_materialization.metadata.items()}) for r in records]


def test_a_batch_of_materializations_is_stored_as_one_by_one(tmp_path: Path, monkeypatch):
    one_by_one = _materialize(tmp_path / "un", monkeypatch, "0")
    batched = _materialize(tmp_path / "lot", monkeypatch, "1000")
    assert _stored(batched) == _stored(one_by_one)  # the same events, in the same order
    assert sorted(_stored(batched)) == [("a", {"lignes": 1}), ("b", {"lignes": 1}), ("c", {"lignes": 1})]
    ids = batched.get_latest_storage_id_by_partition(dg.AssetKey("fictif"), DagsterEventType.ASSET_MATERIALIZATION)
    assert sorted(ids) == ["a", "b", "c"] and len(set(ids.values())) == 3
    # The asset's own row points at the last one stored, as when each event is stored alone.
    latest = [i.get_latest_materialization_event(dg.AssetKey("fictif")) for i in (batched, one_by_one)]
    assert latest[0].dagster_event.partition == latest[1].dagster_event.partition == _stored(batched)[-1][0]
    assert batched.get_asset_keys() == one_by_one.get_asset_keys() == [dg.AssetKey("fictif")]


def test_a_batch_that_fails_stores_none_of_its_events(tmp_path: Path, monkeypatch):
    instance = _materialize(tmp_path, monkeypatch, "0")
    storage = instance.event_log_storage
    events = [r.event_log_entry for r in instance.fetch_materializations(dg.AssetKey("fictif"), limit=10).records]
    before = len(_stored(instance))

    def broken(*_args, **_kwargs):
        raise RuntimeError("disque plein (simulé)")

    monkeypatch.setattr(storage, "_store_asset_event_tags", broken)
    with pytest.raises(RuntimeError):
        storage.store_event_batch(events)
    assert len(_stored(instance)) == before  # the events inserted before the failure were rolled back


def test_results_stored_together_never_hold_the_failure_of_their_step(tmp_path: Path, monkeypatch):
    """A step failing while its results are stored together (the asset waiting at a `yield`): what
    was stored is committed, the step's failure and the run's end are stored on their own (no wait
    on a lock), and nothing stored afterwards stays in an open transaction."""
    instance = _materialize(tmp_path, monkeypatch, "1000")
    storage = instance.event_log_storage
    store = storage._store_check_result

    def fails_at_b(event):
        if event.get_dagster_event().event_specific_data.partition == "b":
            raise RuntimeError("panne (simulée)")
        store(event)

    monkeypatch.setattr(storage, "_store_check_result", fails_at_b)
    job = dg.Definitions(assets=[fictif], resources={"io_manager": _Keep()}).resolve_implicit_global_asset_job_def()
    tags = {"dagster/asset_partition_range_start": "a", "dagster/asset_partition_range_end": "c"}
    failed = job.execute_in_process(instance=instance, raise_on_error=False, tags=tags)
    assert not failed.success
    monkeypatch.setattr(storage, "_store_check_result", store)
    again = job.execute_in_process(instance=instance, raise_on_error=False, tags=tags)
    assert again.success
    # Read by another connection: only what was committed.
    with sqlite3.connect(tmp_path / "history" / "events" / "event_log.db") as db:
        results = {run: sorted(db.execute("SELECT partition, execution_status FROM asset_check_executions "
                                          "WHERE run_id = ?", (run,)).fetchall())
                   for run in (failed.run_id, again.run_id)}
    assert results[failed.run_id] == [("a", "SUCCEEDED"), ("b", "PLANNED"), ("c", "PLANNED")]
    assert results[again.run_id] == [("a", "SUCCEEDED"), ("b", "FAILED"), ("c", "SUCCEEDED")]
    assert instance.get_run_by_id(failed.run_id).status == dg.DagsterRunStatus.FAILURE


def _check_rows(storage) -> list[tuple]:
    with storage.index_connection() as conn:
        return sorted(tuple(r) for r in conn.exec_driver_sql(
            "SELECT asset_key, check_name, partition, run_id, execution_status, evaluation_event, "
            "evaluation_event_storage_id FROM asset_check_executions"))


def test_a_planned_partitioned_check_is_stored_as_dagster_stores_it(tmp_path: Path, monkeypatch):
    instance = _materialize(tmp_path / "run", monkeypatch, "1000")
    run_id = instance.get_runs(limit=1)[0].run_id
    planned = [e for e in instance.all_logs(run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED)]
    assert len(planned) == 1
    stored = {}
    for cls in (ConsolidatedSqliteEventLogStorage, EmbeddedEventLogStorage):
        storage = cls(str(tmp_path / cls.__name__))
        storage.store_event(planned[0])
        stored[cls] = _check_rows(storage)
    rows = stored[EmbeddedEventLogStorage]
    assert rows == stored[ConsolidatedSqliteEventLogStorage]
    assert [(r[2], r[4]) for r in rows] == [("a", "PLANNED"), ("b", "PLANNED"), ("c", "PLANNED")]
    # And the run's own results: one per source, the failed one kept as failed.
    results = sorted((r[2], r[4]) for r in _check_rows(instance.event_log_storage))
    assert results == [("a", "SUCCEEDED"), ("b", "FAILED"), ("c", "SUCCEEDED")]


@dg.asset(check_specs=[dg.AssetCheckSpec("complet", asset="entier")])
def entier():
    return dg.MaterializeResult(check_results=[dg.AssetCheckResult(check_name="complet", passed=False)])


def _check_results(storage) -> list[tuple]:
    with storage.index_connection() as conn:
        checks = sorted((tuple(r) for r in conn.exec_driver_sql(
            "SELECT asset_key, check_name, partition, run_id, execution_status, evaluation_event, "
            "evaluation_event_timestamp, evaluation_event_storage_id, materialization_event_storage_id "
            "FROM asset_check_executions")), key=repr)
        events = [tuple(r) for r in conn.exec_driver_sql(
            "SELECT id, run_id, event, dagster_event_type, timestamp, step_key, asset_key, partition "
            "FROM event_logs ORDER BY id")]
    return checks + events


@pytest.mark.parametrize("planned", [True, False], ids=["planned", "not-planned"])
def test_check_results_are_stored_as_dagster_stores_them(tmp_path: Path, monkeypatch, planned: bool):
    """Partitioned and unpartitioned results, after their planned rows or without any: the same rows."""
    instance = _materialize(tmp_path / "run", monkeypatch, "1000")
    job = dg.Definitions(assets=[entier]).resolve_implicit_global_asset_job_def()
    assert job.execute_in_process(instance=instance, raise_on_error=False).success
    kinds = {DagsterEventType.ASSET_CHECK_EVALUATION, DagsterEventType.ASSET_MATERIALIZATION}
    if planned:
        kinds.add(DagsterEventType.ASSET_CHECK_EVALUATION_PLANNED)
    events = [e for run in instance.get_runs() for e in instance.all_logs(run.run_id, of_type=kinds)]
    assert sum(e.dagster_event_type == DagsterEventType.ASSET_CHECK_EVALUATION for e in events) == 4
    stored = {}
    for cls in (ConsolidatedSqliteEventLogStorage, EmbeddedEventLogStorage):
        storage = cls(str(tmp_path / cls.__name__))
        for event in events:
            storage.store_event(event)
        stored[cls] = _check_results(storage)
    assert stored[EmbeddedEventLogStorage] == stored[ConsolidatedSqliteEventLogStorage]
    statuses = sorted(((r[2], r[4]) for r in stored[EmbeddedEventLogStorage] if r[1] in ("lisible", "complet")),
                      key=repr)
    assert statuses == [("a", "SUCCEEDED"), ("b", "FAILED"), ("c", "SUCCEEDED"), (None, "FAILED")]
