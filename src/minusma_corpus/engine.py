"""The pipeline over many documents: ``minusma-corpus process INPUT --out DIR --engine local|ray``.

The same per-document function (``pipeline.process.process_article``) and the same per-document columns
(``publish.text_tables``) as the release build, applied to batches of documents:

* ``process_batch`` turns a batch of inputs (Arrow: ``doc_id``, ``raw_text`` and optional manifest
  columns) into one *nested* table: the ``documents`` columns plus a ``sentences`` and a ``tokens``
  list column per document; ``config_table`` flattens it into one config, with the release's schema.
* ``local`` runs it in this process, batch after batch, writing one Parquet shard per config;
* ``ray`` (``engine_ray``) hands the batches to Ray Data (``map_batches``), which partitions, retries,
  spills to disk and streams each processed block to a write task (``write_datasink``) that writes its
  shard of every config; the same code runs in local mode or against a cluster (``--address``).

Ray is an optional extra (``pip install 'minusma-corpus[ray]'``), imported only by the ``ray`` engine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pyarrow as pa

from .errors import loads
from .fileio import sha256_bytes
from .pipeline.corpus import CorpusError, ManifestRow, check_corpus, iter_manifest, text_rights
from .pipeline.process import process_article, read_article
from .publish.annotation_tables import ENTITIES, AnnotatedCorpus, entities_table
from .publish.checksums import CHECKSUMS, checksums_text
from .publish.text_tables import CONFIGS, PARQUET_OPTIONS, record_batch, record_batch_and_offsets
from .safepath import check_replaceable, discard_staging, exclusive, install_dir, remove_stale, staging_dir

ENGINES = ("local", "ray")
PREANNOTATIONS = "preannotations"  # predicted entity mentions (--preannotate), in the release's `entities` schema


def output_schemas(preannotate: bool = False) -> dict[str, pa.Schema]:
    """The configs a run writes: the release's text configs, and ``preannotations`` if asked."""
    schemas = {name: schema for name, (schema, _desc) in CONFIGS.items()}
    return {**schemas, PREANNOTATIONS: ENTITIES} if preannotate else schemas


@dataclass(frozen=True)
class BatchOptions:
    raw_dir: str | None = None  # a corpus directory's raw/ (the batch holds manifest rows), else raw_text
    kb: str | None = None  # pre-annotate with this knowledge base (entities.json) as gazetteer
    created: str = ""  # the pre-annotations' provenance date (one for the whole run)


INPUT_COLUMNS = ("doc_id", "raw_text")
_OPTIONAL = ("source_file", "sha256", "outlet", "title", "authors", "date", "language", "url", "rights")
# A document's place in the manifest or the input table (0-based), which is its ``fold``: the engine adds
# it where it reads the input in order (a manifest; a table read by the local engine); a table read by
# Ray Data keeps a ``position`` column of its own if it has one, else every fold is 0.
POSITION = "position"
MANIFEST_SCHEMA = pa.schema([*((f.name, pa.list_(pa.string()) if f.name == "authors" else pa.string())
                               for f in fields(ManifestRow)), (POSITION, pa.int64())])


class EngineError(CorpusError):
    """Bad input or a missing engine: names the input and what to do."""


@dataclass(frozen=True)
class ProcessReport:
    out_dir: Path
    rows: dict[str, int]  # config -> rows written
    documents: int
    seconds: float


# --------------------------------------------------------------------------------------------
# The batch function (pure: Arrow in, Arrow out), shared by both engines
# --------------------------------------------------------------------------------------------


def _row(record: dict, raw: str) -> ManifestRow:
    """The manifest row of one input record: the columns it has, the rest derived (sha256 of the text,
    rights from the outlet) or left null, never invented."""
    outlet = record.get("outlet")
    return ManifestRow(
        doc_id=str(record["doc_id"]), source_file=record.get("source_file") or str(record["doc_id"]),
        sha256=record.get("sha256") or sha256_bytes(raw.encode("utf-8")), outlet=outlet,
        title=record.get("title"), authors=tuple(record.get("authors") or ()), date=record.get("date"),
        language=record.get("language"), url=record.get("url"), rights=record.get("rights") or text_rights(outlet))


def _nested(flat: pa.Table | pa.RecordBatch, offsets: list[int]) -> pa.ListArray:
    """``flat``'s rows (less ``doc_id``) as one list per document, document i holding rows offsets[i]:offsets[i+1]."""
    fields = [f for f in flat.schema if f.name != "doc_id"]
    columns = [flat.column(f.name) for f in fields]
    columns = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in columns]
    inner = pa.StructArray.from_arrays(columns, fields=fields)
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), inner, type=pa.list_(pa.struct(fields)))


@lru_cache(maxsize=4)
def _gazetteers(kb: str) -> tuple[dict, dict]:
    """The knowledge base's gazetteer and the field data (loaded once per worker process)."""
    from .annotations.fileformat import read_json_list
    from .annotations.preannotate import field_gazetteer, gazetteer_from_kb

    return gazetteer_from_kb(read_json_list(Path(kb))), field_gazetteer()


def _preannotations(docs: list, options: BatchOptions) -> pa.ListArray:
    from .annotations.preannotate import preannotate

    gazetteer, field = _gazetteers(options.kb)
    sets = {d.doc_id: preannotate(d.doc_id, d.text, gazetteer, d.row.date, field=field, created=options.created)
            for d in docs}
    offsets = [0]
    for d in docs:
        offsets.append(offsets[-1] + len(sets[d.doc_id]["mentions"]))
    return _nested(entities_table(AnnotatedCorpus(docs, sets, [], [])), offsets)


def process_batch(batch: pa.Table, options: BatchOptions = BatchOptions()) -> pa.Table:
    """Clean and segment (and, with ``options.kb``, pre-annotate) a batch of documents. ``batch`` has
    ``doc_id`` and either ``raw_text`` or, with ``options.raw_dir``, the manifest's columns (the raw file
    is read and checked against its sha256). The result has the ``documents`` columns and one list
    column per other config (a document's sentences, tokens, pre-annotations)."""
    docs = []
    for record in batch.to_pylist():
        position = record.pop(POSITION, None) or 0
        if options.raw_dir is not None:
            row = ManifestRow(**{**record, "authors": tuple(record["authors"] or ())})
            docs.append(process_article(read_article(Path(options.raw_dir), row), row, position))
        else:
            raw, doc_id = record.get("raw_text"), record.get("doc_id")
            if not isinstance(doc_id, str) or not doc_id.strip():
                raise EngineError(f"row {position + 1}: doc_id {doc_id!r} is not a non-empty string",
                                  hint="give every row a doc_id of its own (a string) and run the command again")
            if not isinstance(raw, str) or not raw.strip():
                raise EngineError("raw_text is empty, missing or not a string" if not isinstance(raw, str) or raw == ""
                                  else "raw_text holds only white space", doc=doc_id,
                                  hint="drop the row or give it the article's text, then run the command again")
            docs.append(process_article(raw, _row(record, raw), position))
    documents = record_batch("documents", docs)
    arrays, names = list(documents.columns), list(documents.schema.names)
    for config in CONFIGS:
        if config != "documents":
            arrays.append(_nested(*record_batch_and_offsets(config, docs)))
            names.append(config)
    if options.kb:
        arrays.append(_preannotations(docs, options))
        names.append(PREANNOTATIONS)
    return pa.Table.from_arrays(arrays, names=names)


def config_table(nested: pa.Table, config: str) -> pa.Table:
    """One config of a nested batch, with its schema (the release's)."""
    schema = output_schemas(True)[config]
    if config == "documents":
        return nested.select(schema.names).cast(schema)
    lists = nested.column(config).combine_chunks()
    parents = pa.compute.list_parent_indices(lists)
    inner = pa.compute.list_flatten(lists)
    doc_id = nested.column("doc_id").combine_chunks().take(parents)
    columns = [doc_id, *(inner.field(f.name) for f in schema if f.name != "doc_id")]
    return pa.Table.from_arrays(columns, schema=schema)


# --------------------------------------------------------------------------------------------
# Input
# --------------------------------------------------------------------------------------------


def input_kind(path: Path) -> str:
    """``directory`` (``manifest.jsonl`` and the raw files in ``raw/``), ``parquet`` or ``jsonl``."""
    if path.is_dir():
        if not (path / "manifest.jsonl").is_file() or not (path / "raw").is_dir():
            raise EngineError(f"{path}: a directory input needs manifest.jsonl and the raw files in raw/ "
                              "(like corpus/), or give a Parquet/JSONL table with doc_id and raw_text columns")
        return "directory"
    if not path.is_file():
        raise EngineError(f"{path}: no such input file or directory")
    if path.suffix == ".parquet":
        return "parquet"
    if path.suffix in (".jsonl", ".json"):
        return "jsonl"
    raise EngineError(f"{path}: unknown input type (give a directory with manifest.jsonl, a .parquet or a .jsonl file)")


def manifest_batches(directory: Path, batch_size: int) -> Iterator[pa.Table]:
    """A corpus directory's manifest, checked, as Arrow tables of ``batch_size`` rows with their
    ``position``, read a line at a time (the manifest is never held whole)."""
    check_corpus(directory / "raw", directory / "manifest.jsonl")
    records: list[dict] = []
    for i, row in enumerate(iter_manifest(directory / "manifest.jsonl")):
        records.append({**row.__dict__, "authors": list(row.authors), POSITION: i})
        if len(records) == batch_size:
            yield pa.Table.from_pylist(records, schema=MANIFEST_SCHEMA)
            records = []
    if records:
        yield pa.Table.from_pylist(records, schema=MANIFEST_SCHEMA)


def check_columns(names: list[str], path: Path, line: int | None = None) -> None:
    if missing := [c for c in INPUT_COLUMNS if c not in names]:
        raise EngineError(f"missing column(s) {', '.join(missing)} (a table input needs doc_id and raw_text)",
                          file=path, line=line, hint="add the column(s) and run the command again")


def open_parquet(path: Path):
    """The Parquet input, its footer read and its columns checked (a truncated file: one line naming it)."""
    import pyarrow.parquet as pq

    try:
        f = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as e:
        raise EngineError(f"not a readable Parquet file ({str(e).splitlines()[0]})", file=path,
                          hint="give a complete Parquet file (or a JSONL file or corpus directory)") from None
    check_columns(f.schema_arrow.names, path)
    return f


def check_unique_ids(out: Path, input_path: Path) -> None:
    """Every ``doc_id`` of the processed ``documents`` shards is one document's (read back as one Arrow
    column, whichever engine wrote them): a crawl table may repeat a row."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    ids = ds.dataset(out / "documents", format="parquet").to_table(columns=["doc_id"]).column("doc_id")
    counts = pc.value_counts(ids)
    repeated = pc.filter(counts.field("values"), pc.greater(counts.field("counts"), 1))
    if len(repeated):
        shown = ", ".join(repr(v) for v in repeated.to_pylist()[:5])
        raise EngineError(f"{len(repeated)} doc_id(s) occur more than once ({shown}), nothing was written",
                          file=input_path, hint="give each document a doc_id of its own and run the command again")


def local_batches(path: Path, batch_size: int) -> Iterator[pa.Table]:
    """The input as Arrow batches of ``batch_size`` documents, read as they are needed."""
    kind = input_kind(path)
    if kind == "directory":
        yield from manifest_batches(path, batch_size)
    elif kind == "parquet":
        import pyarrow.parquet as pq

        f = open_parquet(path)
        columns = [c for c in (*INPUT_COLUMNS, *_OPTIONAL) if c in f.schema_arrow.names]
        done = 0
        batches = f.iter_batches(batch_size=batch_size, columns=columns)
        while True:
            try:
                b = next(batches, None)
            except (pa.ArrowException, OSError) as e:
                raise EngineError(f"a damaged row group after row {done} ({str(e).splitlines()[0]})", file=path,
                                  hint="give a complete Parquet file and run the command again") from None
            if b is None:
                break
            table = pa.Table.from_batches([b])
            yield table.append_column(POSITION, pa.array(range(done, done + table.num_rows), pa.int64()))
            done += table.num_rows
    else:
        lines: list[dict] = []
        done = 0
        with path.open("rb") as f:
            for n, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                record = loads(line, path, line=n)  # one line naming file and line: not JSON, not UTF-8, too deep
                if not isinstance(record, dict):
                    raise EngineError("a JSONL row is a JSON object (with doc_id and raw_text)", file=path, line=n,
                                      hint="write one JSON object per line and run the command again")
                check_columns(list(record), path, line=n)
                lines.append({**{k: record.get(k) for k in (*INPUT_COLUMNS, *_OPTIONAL) if k in record},
                              POSITION: done + len(lines)})
                if len(lines) == batch_size:
                    yield pa.Table.from_pylist(lines)
                    done, lines = done + len(lines), []
        if lines:
            yield pa.Table.from_pylist(lines)


# --------------------------------------------------------------------------------------------
# Engines
# --------------------------------------------------------------------------------------------


def _run_local(path: Path, out: Path, batch_size: int, options: BatchOptions) -> tuple[dict[str, int], int]:
    import pyarrow.parquet as pq

    schemas = output_schemas(bool(options.kb))
    rows = dict.fromkeys(schemas, 0)
    writers = {}
    try:
        for name, schema in schemas.items():
            (out / name).mkdir()
            writers[name] = pq.ParquetWriter(out / name / "part-00000.parquet", schema, **PARQUET_OPTIONS)
        for batch in local_batches(path, batch_size):
            nested = process_batch(batch, options)
            for name, writer in writers.items():
                table = config_table(nested, name)
                writer.write_table(table)
                rows[name] += table.num_rows
    finally:
        for writer in writers.values():
            writer.close()
    return rows, rows["documents"]


def _ray_engine():
    try:
        from .engine_ray import run_ray
    except ImportError as e:
        if (e.name or "").split(".")[0] != "ray":
            raise
        raise EngineError("the ray engine needs Ray Data: pip install 'minusma-corpus[ray]'") from None
    return run_ray


def run(input_path: Path, out_dir: Path, engine: str = "local", *, address: str | None = None,
        workers: int | None = None, batch_size: int = 64, preannotate_kb: Path | None = None,
        created: str | None = None) -> ProcessReport:
    """Process every document of ``input_path`` into Parquet shards ``out_dir/<config>/*.parquet`` (the
    release's schemas) and a ``SHA256SUMS``; with ``preannotate_kb`` (an ``entities.json``), also the
    pre-annotator's entity mentions (``preannotations``, status ``predicted``, dated ``created``). The output appears whole or not at all; a directory that
    is not an earlier output of this command (or empty) is never replaced."""
    if engine not in ENGINES:
        raise EngineError(f"unknown engine {engine!r} (choose {', '.join(ENGINES)})")
    input_path, out_dir = Path(input_path), Path(out_dir).resolve()
    kind = input_kind(input_path)
    if preannotate_kb is not None and not Path(preannotate_kb).is_file():
        raise EngineError(f"{preannotate_kb}: no such knowledge base (give the annotations' entities.json)")
    options = BatchOptions(str((input_path / "raw").resolve()) if kind == "directory" else None,
                           str(Path(preannotate_kb).resolve()) if preannotate_kb else None,
                           created or date.today().isoformat())
    if kind == "parquet":
        open_parquet(input_path)  # refused before any output exists, whichever engine reads it
    check_replaceable(out_dir)
    start = time.perf_counter()
    with exclusive(out_dir):
        remove_stale(out_dir)
        staging = staging_dir(out_dir)
        try:
            if engine == "local":
                rows, documents = _run_local(input_path, staging, batch_size, options)
            else:
                rows, documents = _ray_engine()(input_path, staging, batch_size, options, address, workers)
            if kind != "directory":  # the manifest check has already refused repeated ids
                check_unique_ids(staging, input_path)
            (staging / CHECKSUMS).write_text(checksums_text(staging), encoding="utf-8")
            install_dir(staging, out_dir)
        except EngineError as e:
            discard_staging(staging, out_dir)
            if e.file is None and not str(e).startswith(str(input_path)):  # a document's error: name the input
                raise EngineError(e.reason, file=input_path, doc=e.doc, line=e.line, hint=e.hint) from None
            raise
        except BaseException:
            discard_staging(staging, out_dir)
            raise
    return ProcessReport(out_dir, rows, documents, time.perf_counter() - start)


def read_output(out_dir: Path, config: str) -> pa.Table:
    """One config of a ``process`` output, all shards in one table."""
    import pyarrow.parquet as pq

    shards = sorted((Path(out_dir) / config).glob("*.parquet"))
    return pa.concat_tables([pq.read_table(p) for p in shards]) if shards else output_schemas(True)[config].empty_table()
