"""The release: one Arrow table per config, written as Parquet, and the dataset card that describes them.

The Arrow schemas below are the one declaration of the release's columns; the Hugging Face features in
the card's ``dataset_info`` are derived from them by ``datasets.Features.from_arrow_schema``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from .corpus import ManifestRow
from .records import CleanDocument, Sentence, Token

if TYPE_CHECKING:
    from pathlib import Path

_SPAN = [("start", pa.int32()), ("end", pa.int32())]
_RAW_SPAN = [("raw_start", pa.int32()), ("raw_end", pa.int32())]

DOCUMENTS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("source_file", pa.string()),
        ("sha256", pa.string()),
        ("outlet", pa.string()),
        ("date", pa.string()),
        ("language", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("authors", pa.list_(pa.string())),
        ("text", pa.string()),
        ("blocks", pa.list_(pa.struct([("type", pa.string()), *_SPAN, *_RAW_SPAN]))),
        (
            "metadata",
            pa.struct(
                [
                    ("dateline", pa.string()),
                    ("captions", pa.list_(pa.struct([("text", pa.string()), ("credit", pa.string()), *_RAW_SPAN]))),
                    ("credits", pa.list_(pa.struct([("role", pa.string()), ("name", pa.string())]))),
                    ("corrections", pa.list_(pa.string())),
                    ("author_bios", pa.list_(pa.string())),
                ]
            ),
        ),
        ("furniture", pa.list_(pa.struct([("kind", pa.string()), *_RAW_SPAN, ("text", pa.string())]))),
        ("offset_map", pa.list_(pa.struct([*_SPAN, *_RAW_SPAN]))),
        ("raw_text", pa.string()),
    ]
)
SENTENCES = pa.schema(
    [("doc_id", pa.string()), ("sentence_id", pa.int32()), ("paragraph", pa.int32()), *_SPAN, ("text", pa.string())]
)
TOKENS = pa.schema(
    [
        ("doc_id", pa.string()),
        ("sentence_id", pa.int32()),
        ("token_id", pa.int32()),
        *_SPAN,
        ("text", pa.string()),
    ]
)

# Config name -> (schema, one-line description). The first is the default config.
CONFIGS: dict[str, tuple[pa.Schema, str]] = {
    "documents": (DOCUMENTS, "one row per article: cleaned text, blocks, metadata, removed furniture, raw text and offset map"),
    "sentences": (SENTENCES, "one row per sentence, with its paragraph (block) index and offsets into the document text"),
    "tokens": (TOKENS, "one row per token, with its sentence and offsets into the document text"),
}


@dataclass(frozen=True)
class ProcessedDocument:
    """Everything the release holds about one article."""

    row: ManifestRow
    raw: str
    clean: CleanDocument
    sentences: list[Sentence]
    tokens: list[Token]


def _spans(items, *names):
    return [{n: getattr(item, n) for n in names} for item in items]


def documents_table(docs: list[ProcessedDocument]) -> pa.Table:
    rows = []
    for d in docs:
        m = d.clean.metadata
        rows.append(
            {
                "doc_id": d.row.doc_id,
                "source_file": d.row.source_file,
                "sha256": d.row.sha256,
                "outlet": d.row.outlet,
                "date": d.row.date,
                "language": d.row.language,
                "url": d.row.url,
                "title": d.row.title,
                "authors": list(d.row.authors),
                "text": d.clean.text,
                "blocks": _spans(d.clean.blocks, "type", "start", "end", "raw_start", "raw_end"),
                "metadata": {
                    "dateline": m.dateline,
                    "captions": _spans(m.captions, "text", "credit", "raw_start", "raw_end"),
                    "credits": _spans(m.credits, "role", "name"),
                    "corrections": list(m.corrections),
                    "author_bios": list(m.author_bios),
                },
                "furniture": _spans(d.clean.furniture, "kind", "raw_start", "raw_end", "text"),
                "offset_map": _spans(d.clean.offset_map, "start", "end", "raw_start", "raw_end"),
                "raw_text": d.raw,
            }
        )
    return pa.Table.from_pylist(rows, schema=DOCUMENTS)


def sentences_table(docs: list[ProcessedDocument]) -> pa.Table:
    rows = [
        {"doc_id": d.row.doc_id, "sentence_id": i, "paragraph": s.paragraph, "start": s.start, "end": s.end,
         "text": d.clean.text[s.start : s.end]}
        for d in docs
        for i, s in enumerate(d.sentences)
    ]
    return pa.Table.from_pylist(rows, schema=SENTENCES)


def tokens_table(docs: list[ProcessedDocument]) -> pa.Table:
    rows = [
        {"doc_id": d.row.doc_id, "sentence_id": t.sentence, "token_id": i, "start": t.start, "end": t.end,
         "text": d.clean.text[t.start : t.end]}
        for d in docs
        for i, t in enumerate(d.tokens)
    ]
    return pa.Table.from_pylist(rows, schema=TOKENS)


def tables(docs: list[ProcessedDocument]) -> dict[str, pa.Table]:
    return {"documents": documents_table(docs), "sentences": sentences_table(docs), "tokens": tokens_table(docs)}


def write_parquet(table: pa.Table, path: Path) -> None:
    import pyarrow.parquet as pq

    pq.write_table(table, path, compression="zstd", write_statistics=False, store_schema=True)


# --------------------------------------------------------------------------------------------
# Dataset card
# --------------------------------------------------------------------------------------------


def card_yaml(tables_by_config: dict[str, pa.Table], file_sizes: dict[str, int],
              class_labels: dict[str, dict[str, list[str]]] | None = None) -> str:
    """The card's YAML header: ``configs`` and ``dataset_info``. Features are derived from the Arrow
    schemas; the columns named in ``class_labels`` become ``ClassLabel`` features (names from the schema)."""
    from datasets import ClassLabel, Features, List, SplitDict, SplitInfo
    from datasets.info import DatasetInfo, DatasetInfosDict
    from huggingface_hub import DatasetCardData

    def features(name: str, table: pa.Table) -> Features:
        feats = Features.from_arrow_schema(table.schema)
        for column, names in (class_labels or {}).get(name, {}).items():
            feats[column] = List(ClassLabel(names=names)) if isinstance(feats[column], List) else ClassLabel(names=names)
        return feats

    card = DatasetCardData(
        pretty_name="MINUSMA corpus",
        language=["en"],
        configs=[
            {
                "config_name": name,
                "data_files": [{"split": "train", "path": f"{name}.parquet"}],
                **({"default": True} if i == 0 else {}),
            }
            for i, name in enumerate(tables_by_config)
        ],
    )
    infos = DatasetInfosDict()
    for name, table in tables_by_config.items():
        splits = SplitDict()
        splits.add(SplitInfo(name="train", num_bytes=table.nbytes, num_examples=table.num_rows))
        infos[name] = DatasetInfo(
            features=features(name, table),
            splits=splits,
            download_size=file_sizes[name],
            dataset_size=table.nbytes,
        )
    infos.to_dataset_card_data(card)
    return card.to_yaml()


def card_markdown(tables_by_config: dict[str, pa.Table], file_sizes: dict[str, int], version: str,
                  descriptions: dict[str, str], class_labels: dict[str, dict[str, list[str]]]) -> str:
    docs = tables_by_config["documents"]
    config_rows = "\n".join(
        f"| `{name}` | {tables_by_config[name].num_rows:,} | {descriptions[name]} |" for name in tables_by_config
    )
    outlet_column = docs.column("outlet").to_pylist()
    outlets = sorted({o for o in outlet_column if o})
    unnamed = outlet_column.count(None)
    sources = ", ".join(outlets) + (f"; {unnamed} whose page does not name its outlet" if unnamed else "")
    return f"""---
{card_yaml(tables_by_config, file_sizes, class_labels)}
---

# MINUSMA corpus (release {version})

Press coverage of the 2023 termination of the United Nations Multidimensional Integrated Stabilization
Mission in Mali (MINUSMA): {docs.num_rows} English news articles ({sources}), cleaned of web-page furniture, with every
cleaned character mapped back to the raw text, segmented into paragraphs, sentences and tokens, and
annotated (where the annotation configs are present) with entity mentions linked across documents,
claims grouped into cross-document clusters that agree or conflict, and stances.

This card is generated by `minusma-corpus build`; do not edit it by hand.

## Configs

| config | rows | content |
|---|---:|---|
{config_rows}

All offsets (`start`, `end`) are Python code points into the document's `text`; `raw_start`/`raw_end`
point into `raw_text`.

## Loading

```python
import datasets
sentences = datasets.load_dataset("path/to/release", "sentences", split="train")
```

or, after `pip install minusma-corpus`, `minusma_corpus.load("sentences")` (a pandas DataFrame) and
`minusma_corpus.load_dataset("sentences")` (a `datasets.Dataset`), offline.
"""
