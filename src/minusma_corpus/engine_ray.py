"""The ``ray`` engine of ``minusma-corpus process``: the batch function of ``engine`` on Ray Data.

A corpus directory's checked manifest is staged as Parquet shards of ``SHARD_BATCHES`` batches; Ray Data
maps ``process_shards`` over their paths, one task per shard, at most ``--workers`` at once
(``TaskPoolStrategy``): the task reads its shard, runs ``process_batch`` over it a batch at a time and
writes its documents' rows of every config (``write_shard``: ``<config>/part-<id>.parquet``), returning
only their counts. A crawl table is read by Ray Data itself, then ``process_batch`` is mapped over batches
of documents and ``write_shard`` over the processed rows, ``SHARD_BATCHES`` batches at a time. Nothing is
materialised, so memory does not grow with the number of documents; Ray does the scheduling, retries and
spilling, in local mode or against a cluster (``--address``).

Imported only by the ``ray`` engine (Ray is an optional extra: ``pip install 'minusma-corpus[ray]'``).
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

import pyarrow as pa
import ray
import ray.data

from .engine import (MANIFEST_SCHEMA, BatchOptions, EngineError, check_columns, manifest_batches, config_table,
                     input_kind, output_schemas, process_batch)
from .pipeline.corpus import CorpusError
from .publish.text_tables import PARQUET_OPTIONS

log = logging.getLogger(__name__)
SCRATCH = ".input"  # the staged manifest shards, inside the staging directory, removed before it is installed
SHARD_BATCHES = 4  # batches of documents per output shard (and per staged manifest shard)


def shard_name(doc_ids: pa.ChunkedArray | pa.Array) -> str:
    """A shard's file name, from the documents it holds: a retried task rewrites the same files."""
    digest = hashlib.sha256("\n".join(doc_ids.to_pylist()).encode("utf-8")).hexdigest()[:20]
    return f"part-{digest}.parquet"


def write_shard(nested: pa.Table, out_dir: str, configs: tuple[str, ...]) -> pa.Table:
    """Write a block of processed (nested) documents as one shard per config; returns one row of counts."""
    import pyarrow.parquet as pq

    name = shard_name(nested.column("doc_id"))
    counts = {}
    for config in configs:
        table = config_table(nested, config)
        pq.write_table(table, Path(out_dir) / config / name, **PARQUET_OPTIONS)
        counts[config] = [table.num_rows]
    return pa.table(counts, schema=pa.schema([(c, pa.int64()) for c in configs]))


def process_shards(items: pa.Table, options: BatchOptions, batch_size: int, out_dir: str,
                   configs: tuple[str, ...]) -> pa.Table:
    """Each staged manifest shard named in ``items``: read, processed ``batch_size`` documents at a time and
    written (``write_shard``); returns a row of counts per shard."""
    import pyarrow.parquet as pq

    counts = []
    for shard in items.column("shard").to_pylist():
        table = pq.read_table(shard, schema=MANIFEST_SCHEMA)
        nested = [process_batch(table.slice(start, batch_size), options)
                  for start in range(0, table.num_rows, batch_size)]
        counts.append(write_shard(pa.concat_tables(nested), out_dir, configs))
    return pa.concat_tables(counts) if counts else pa.table({c: pa.array([], pa.int64()) for c in configs})


class _DocumentErrors(logging.Filter):
    """Drops Ray Data's log of a task's error when it is a document's ``CorpusError`` (with its traceback):
    ``run_ray`` reports that error as its one line."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], CorpusError))


EXECUTOR_LOGGER = "ray.data._internal.execution.streaming_executor_state"  # logs a failed task's error


def run_ray(path: Path, out: Path, batch_size: int, options: BatchOptions, address: str | None,
            workers: int | None) -> tuple[dict[str, int], int]:
    kind = input_kind(path)
    started = not ray.is_initialized()
    if started:
        ray.init(address=address, num_cpus=None if address else workers, include_dashboard=False,
                 log_to_driver=False, logging_level=logging.WARNING)
    quiet = _DocumentErrors()
    logging.getLogger(EXECUTOR_LOGGER).addFilter(quiet)
    try:
        return _pipeline(path, kind, out, batch_size, options, workers)
    except ray.exceptions.RayError as e:  # a document's error, raised in a worker: the one line it names
        cause = e  # Ray's RayTaskError(CorpusError) is both; its ``cause`` is the document's error itself
        while cause is not None and (isinstance(cause, ray.exceptions.RayError) or not isinstance(cause, CorpusError)):
            cause = getattr(cause, "cause", None) or cause.__cause__
        if cause is None:
            raise
        raise EngineError(str(cause)) from None
    finally:
        logging.getLogger(EXECUTOR_LOGGER).removeFilter(quiet)
        if started:
            ray.shutdown()


def _pipeline(path: Path, kind: str, out: Path, batch_size: int, options: BatchOptions,
              workers: int | None) -> tuple[dict[str, int], int]:
    import pyarrow.parquet as pq

    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    context.raise_original_map_exception = True  # a document's CorpusError, not Ray's UserCodeException
    shard_docs = batch_size * SHARD_BATCHES
    scratch = out / SCRATCH
    if kind == "directory":  # the checked manifest with positions, staged as shards, one block (task) each
        scratch.mkdir()
        shards = []
        for i, batch in enumerate(manifest_batches(path, shard_docs)):
            shards.append(str(scratch / f"manifest-{i:06d}.parquet"))
            pq.write_table(batch, shards[-1])
    else:
        ds = ray.data.read_parquet(str(path)) if kind == "parquet" else ray.data.read_json(str(path), lines=True)
        check_columns(ds.schema().names, path)
    configs = tuple(output_schemas(bool(options.kb)))
    for name in configs:
        (out / name).mkdir()
    tasks = ray.data.TaskPoolStrategy(size=workers)  # at most ``workers`` tasks at once (None: one per CPU)
    write = {"out_dir": str(out), "configs": configs}
    if kind == "directory":
        # One task per shard, from its path to its counts. Not a chain of ``map_batches`` (read, process,
        # write): Ray Data fuses such a chain into one task and bundles its *input* rows up to the largest
        # ``batch_size`` (here 4 x 64 shard paths, not documents), so a run of fewer than 65,536 documents
        # went into a single task and only one worker ran, whatever ``--workers`` said.
        items = ray.data.from_items([{"shard": s} for s in shards], override_num_blocks=max(len(shards), 1))
        counts = items.map_batches(process_shards, fn_kwargs={"options": options, "batch_size": batch_size, **write},
                                   batch_size=1, batch_format="pyarrow", compute=tasks)
    else:
        # a read is not fused with a map that has a ``batch_size``: each processing task takes read blocks
        counts = (ds.map_batches(process_batch, fn_kwargs={"options": options}, batch_size=batch_size,
                                 batch_format="pyarrow", zero_copy_batch=True, compute=tasks)
                  .map_batches(write_shard, fn_kwargs=write, batch_size=shard_docs,
                               batch_format="pyarrow", zero_copy_batch=True, compute=tasks))
    rows = dict.fromkeys(configs, 0)
    for batch in counts.iter_batches(batch_format="pyarrow", batch_size=None):
        for name in configs:
            rows[name] += sum(batch.column(name).to_pylist())
    log.debug("Ray Data execution:\n%s", counts.stats())  # tasks per operator, their times and rows
    shutil.rmtree(scratch, ignore_errors=True)
    return rows, rows["documents"]
