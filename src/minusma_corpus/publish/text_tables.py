"""The release's text configs (documents, sentences, tokens): one Arrow table each, written as Parquet.

The Arrow schemas below are the one declaration of the release's columns; the Hugging Face features in
the card's ``dataset_info`` and the Croissant fields are derived from them (``card.py``, ``croissant.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyarrow as pa

from ..pipeline.process import ProcessedDocument
from ..pipeline.segment import trailing_whitespace
from .folds import FOLD, folds

if TYPE_CHECKING:
    from pathlib import Path

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


def documents_table(docs: list[ProcessedDocument]) -> pa.Table:
    rows = []
    fold = folds([d.row.doc_id for d in docs])
    for d in docs:
        m = d.clean.metadata
        rows.append(
            {
                "doc_id": d.row.doc_id,
                "fold": fold[d.row.doc_id],
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
        )
    return pa.Table.from_pylist(rows, schema=DOCUMENTS)


def sentences_table(docs: list[ProcessedDocument]) -> pa.Table:
    fold = folds([d.row.doc_id for d in docs])
    rows = [
        {"doc_id": d.row.doc_id, "fold": fold[d.row.doc_id], "sentence_id": i, "paragraph": s.paragraph, "start": s.start, "end": s.end,
         "text": d.clean.text[s.start : s.end]}
        for d in docs
        for i, s in enumerate(d.sentences)
    ]
    return pa.Table.from_pylist(rows, schema=SENTENCES)


def tokens_table(docs: list[ProcessedDocument]) -> pa.Table:
    fold = folds([d.row.doc_id for d in docs])
    rows = [
        {"doc_id": d.row.doc_id, "fold": fold[d.row.doc_id], "sentence_id": t.sentence, "token_id": i,
         "start": t.start, "end": t.end, "text": d.clean.text[t.start : t.end], "whitespace": ws}
        for d in docs
        for i, (t, ws) in enumerate(zip(d.tokens, trailing_whitespace(d.clean.text, d.tokens)))
    ]
    return pa.Table.from_pylist(rows, schema=TOKENS)


def tables(docs: list[ProcessedDocument]) -> dict[str, pa.Table]:
    return {"documents": documents_table(docs), "sentences": sentences_table(docs), "tokens": tokens_table(docs)}


def write_parquet(table: pa.Table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path, compression="zstd", write_statistics=False, store_schema=True)
