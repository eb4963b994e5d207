"""The release's text configs (documents, sentences, tokens): one Arrow table each, written as Parquet.

The Arrow schemas below are the one declaration of the release's columns; the Hugging Face features in
the card's ``dataset_info`` and the Croissant fields are derived from them (``card.py``, ``croissant.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pyarrow as pa

from ..pipeline.process import ProcessedDocument
from ..pipeline.segment import trailing_whitespace
from .folds import FOLD

SPAN = [("start", pa.int32()), ("end", pa.int32())]
_RAW_SPAN = [("raw_start", pa.int32()), ("raw_end", pa.int32())]

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        FOLD,
        ("source_file", pa.string()),
        ("sha256", pa.string()),
        ("outlet", pa.string()),
        ("date", pa.string()),
        ("language", pa.string()),
        ("url", pa.string()),
        ("rights", pa.string()),
        ("title", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("text", pa.string()),
        ("blocks", pa.list_(pa.struct([("type", pa.string()), *SPAN, *_RAW_SPAN]))),
        # The page's metadata beyond title, authors, date and outlet (one nesting level, so that every
        # column reads the same in pandas, datasets and Croissant tools).
        ("dateline", pa.string()),
        ("captions", pa.list_(pa.struct([("text", pa.string()), ("credit", pa.string()), *_RAW_SPAN]))),
        ("credits", pa.list_(pa.struct([("role", pa.string()), ("name", pa.string())]))),
        ("corrections", pa.list_(pa.string())),
        ("author_bios", pa.list_(pa.string())),
        ("furniture", pa.list_(pa.struct([("kind", pa.string()), *_RAW_SPAN, ("text", pa.string())]))),
        ("offset_map", pa.list_(pa.struct([*SPAN, *_RAW_SPAN]))),
        ("raw_text", pa.string()),
    ]
)
SENTENCES = pa.schema(
    [("doc_id", pa.string()), FOLD, ("sentence_id", pa.int32()), ("paragraph", pa.int32()), *SPAN, ("text", pa.string())]
)
TOKENS = pa.schema(
    [
        ("doc_id", pa.string()),
        FOLD,
        ("sentence_id", pa.int32()),
        ("token_id", pa.int32()),
        *SPAN,
        ("text", pa.string()),
        # the text between this token and the next (or the end of the document): "".join(text + whitespace)
        # over a document's tokens is its text from the first token on, paragraph breaks included
        ("whitespace", pa.string()),
    ]
)

# Config name -> (schema, one-line description). The first is the default config.
CONFIGS: dict[str, tuple[pa.Schema, str]] = {
    "documents": (DOCUMENTS, "one row per article: cleaned text, blocks, page metadata (captions, credits, corrections), removed furniture, raw text and offset map"),
    "sentences": (SENTENCES, "one row per sentence, with its paragraph (block) index and offsets into the document text"),
    "tokens": (TOKENS, "one row per token, with its sentence, offsets into the document text and the white space after it"),
}


def _spans(items, *names):
    return [{n: getattr(item, n) for n in names} for item in items]


# One function per config: the columns one document contributes (column name -> list of values, one per
# row). Adding a column is a line here and a field in the schema above.


def document_columns(d: ProcessedDocument) -> dict[str, list]:
    m = d.clean.metadata
    row = {
        "doc_id": d.row.doc_id,
        "fold": d.position,
        "source_file": d.row.source_file,
        "sha256": d.row.sha256,
        "outlet": d.row.outlet,
        "date": d.row.date,
        "language": d.row.language,
        "url": d.row.url,
        "rights": d.row.rights,
        "title": d.row.title,
        "authors": list(d.row.authors),
        "text": d.clean.text,
        "blocks": _spans(d.clean.blocks, "type", "start", "end", "raw_start", "raw_end"),
        "dateline": m.dateline,
        "captions": _spans(m.captions, "text", "credit", "raw_start", "raw_end"),
        "credits": _spans(m.credits, "role", "name"),
        "corrections": list(m.corrections),
        "author_bios": list(m.author_bios),
        "furniture": _spans(d.clean.furniture, "kind", "raw_start", "raw_end", "text"),
        "offset_map": _spans(d.clean.offset_map, "start", "end", "raw_start", "raw_end"),
        "raw_text": d.raw,
    }
    return {k: [v] for k, v in row.items()}


def sentence_columns(d: ProcessedDocument) -> dict[str, list]:
    text, sentences = d.clean.text, d.sentences
    return {
        "doc_id": [d.row.doc_id] * len(sentences),
        "fold": [d.position] * len(sentences),
        "sentence_id": list(range(len(sentences))),
        "paragraph": [s.paragraph for s in sentences],
        "start": [s.start for s in sentences],
        "end": [s.end for s in sentences],
        "text": [text[s.start : s.end] for s in sentences],
    }


def token_columns(d: ProcessedDocument) -> dict[str, list]:
    text, tokens = d.clean.text, d.tokens
    return {
        "doc_id": [d.row.doc_id] * len(tokens),
        "fold": [d.position] * len(tokens),
        "sentence_id": [t.sentence for t in tokens],
        "token_id": list(range(len(tokens))),
        "start": [t.start for t in tokens],
        "end": [t.end for t in tokens],
        "text": [text[t.start : t.end] for t in tokens],
        "whitespace": trailing_whitespace(text, tokens),
    }


COLUMNS: dict[str, Callable[[ProcessedDocument], dict[str, list]]] = {
    "documents": document_columns, "sentences": sentence_columns, "tokens": token_columns,
}


def record_batch(config: str, docs: Iterable[ProcessedDocument]) -> pa.RecordBatch:
    """The rows of ``docs`` in one config, built column by column (``pa.array``, no row dicts)."""
    return record_batch_and_offsets(config, docs)[0]


def record_batch_and_offsets(config: str, docs: Iterable[ProcessedDocument]) -> tuple[pa.RecordBatch, list[int]]:
    """``record_batch`` and where each document's rows start (one offset per document, and the end)."""
    schema = CONFIGS[config][0]
    columns: dict[str, list] = {f.name: [] for f in schema}
    offsets = [0]
    for d in docs:
        values = COLUMNS[config](d)
        for name, column in values.items():
            columns[name].extend(column)
        offsets.append(offsets[-1] + len(values["doc_id"]))
    return pa.record_batch([pa.array(columns[f.name], type=f.type) for f in schema], schema=schema), offsets


def documents_table(docs: list[ProcessedDocument]) -> pa.Table:
    return pa.Table.from_batches([record_batch("documents", docs)])


def sentences_table(docs: list[ProcessedDocument]) -> pa.Table:
    return pa.Table.from_batches([record_batch("sentences", docs)])


def tokens_table(docs: list[ProcessedDocument]) -> pa.Table:
    return pa.Table.from_batches([record_batch("tokens", docs)])


def tables(docs: list[ProcessedDocument]) -> dict[str, pa.Table]:
    return {name: pa.Table.from_batches([record_batch(name, docs)]) for name in CONFIGS}


PARQUET_OPTIONS = {"compression": "zstd", "write_statistics": False, "store_schema": True}


def write_parquet(table: pa.Table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path, **PARQUET_OPTIONS)


# --------------------------------------------------------------------------------------------
# Streaming: documents in bounded batches, each config written as it goes
# --------------------------------------------------------------------------------------------

CARD_INDEX = ("doc_id", "fold", "outlet", "date", "rights")  # what the card and licence list per document
BATCH_DOCS = 256  # documents per row group of the streaming build (what it holds in memory at a time)


@dataclass(frozen=True)
class TableSummary:
    """What the card, Croissant and figure need of a written config, without holding its rows: the
    schema, running totals, the first row (``slice``) and the written file, whose columns are read back
    a row group at a time (``iter_batches``; ``select``/``column`` read them whole). Annotation configs
    are passed as whole ``pa.Table``s, which answer the same (``rows`` reads either)."""

    schema: pa.Schema
    num_rows: int
    nbytes: int  # Arrow in-memory size, summed over the written batches
    head: pa.Table  # the first row (or none)
    path: Path | None = None  # the written Parquet file

    def slice(self, offset: int = 0, length: int | None = None) -> pa.Table:
        return self.head.slice(offset, length)

    def iter_batches(self, columns: list[str]) -> Iterator[pa.RecordBatch]:
        import pyarrow.parquet as pq

        if self.path is None:
            yield from self.head.select(columns).to_batches()
            return
        with pq.ParquetFile(self.path) as f:
            yield from f.iter_batches(columns=columns)

    def select(self, columns: list[str]) -> pa.Table:
        return pa.Table.from_batches(list(self.iter_batches(columns)),
                                     schema=pa.schema([self.schema.field(c) for c in columns]))

    def column(self, name: str) -> pa.ChunkedArray:
        return self.select([name]).column(name)


def rows(table: pa.Table | TableSummary, columns: list[str], batch_rows: int = 4096) -> Iterator[dict]:
    """The rows of ``table`` (a whole table or a written config's summary) as dicts of ``columns``, read a
    batch at a time."""
    batches = table.iter_batches(columns) if isinstance(table, TableSummary) else table.select(columns).to_batches(batch_rows)
    for batch in batches:
        yield from batch.to_pylist()


class TextTableWriter:
    """Writes the text configs to ``<directory>/<config>.parquet`` as documents arrive: documents are
    buffered ``batch_docs`` at a time, each batch becomes one row group per config, and only running
    totals stay in memory. A corpus that fits in one batch gives the same bytes as ``write_parquet``."""

    def __init__(self, directory: Path, batch_docs: int | None = None) -> None:
        import pyarrow.parquet as pq

        self.paths = {name: directory / f"{name}.parquet" for name in CONFIGS}
        self._writers = {name: pq.ParquetWriter(self.paths[name], CONFIGS[name][0], **PARQUET_OPTIONS)
                         for name in CONFIGS}
        self._batch_docs = batch_docs or BATCH_DOCS
        self._pending: list[ProcessedDocument] = []
        self._rows = dict.fromkeys(CONFIGS, 0)
        self._nbytes = dict.fromkeys(CONFIGS, 0)
        self._head: dict[str, pa.Table] = {}

    def add(self, doc: ProcessedDocument) -> None:
        self._pending.append(doc)
        if len(self._pending) >= self._batch_docs:
            self._flush()

    def _flush(self) -> None:
        for name, writer in self._writers.items():
            batch = record_batch(name, self._pending)
            if batch.num_rows:
                writer.write_batch(batch)
            self._rows[name] += batch.num_rows
            self._nbytes[name] += batch.nbytes
            if name not in self._head and batch.num_rows:
                self._head[name] = pa.Table.from_batches([batch.slice(0, 1)])
        self._pending = []

    def close(self) -> dict[str, TableSummary]:
        if self._pending:
            self._flush()
        for writer in self._writers.values():
            writer.close()
        return {name: TableSummary(CONFIGS[name][0], self._rows[name], self._nbytes[name],
                                   self._head.get(name, CONFIGS[name][0].empty_table()), self.paths[name])
                for name in CONFIGS}
    def abort(self) -> None:
        """Close every file after a failure (a full disk, an interrupt): the staging directory holding them
        is removed by the caller, so a close that fails too is dropped, and not retried at exit."""
        for writer in self._writers.values():
            try:
                writer.close()
            except OSError:
                writer.is_open = False
