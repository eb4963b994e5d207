"""The release's dataset card (README.md) and licence note, generated from the release tables and the schema.

Nothing here is typed in twice: the Hugging Face features come from the Arrow schemas, the label names from
``schema/schema.yaml``.
"""

from __future__ import annotations

import json
from typing import Iterable, Iterator

import pyarrow as pa

from ..annotations.schema import label_tables, load_schema
from .text_tables import rows

PRETTY_NAME = "MINUSMA corpus: press coverage of the 2023 termination of the UN mission in Mali"
ANNOTATION_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
FIGURE = "figures/claim_clusters.svg"


def bibtex(version: str) -> str:
    return "\n".join([
        "@misc{minusma_corpus,",
        "  title  = {{MINUSMA} corpus: press coverage of the 2023 termination of the {UN} mission in {Mali}},",
        "  author = {{minusma-corpus maintainers}},",
        "  year   = {2026},",
        "  note   = {Release " + version + "; annotations CC BY 4.0; article texts remain with their publishers}",
        "}",
    ])




def size_category(rows: int) -> str:
    """The Hub's ``size_categories`` bucket of a row count ("n<1K", "1K<n<10K", ...)."""
    buckets = ["1K", "10K", "100K", "1M", "10M", "100M", "1B", "10B", "100B", "1T"]
    limit = 1000
    if rows < limit:
        return "n<1K"
    for low, high in zip(buckets, buckets[1:]):
        limit *= 10
        if rows < limit:
            return f"{low}<n<{high}"
    return "n>1T"


# --------------------------------------------------------------------------------------------
# YAML header
# --------------------------------------------------------------------------------------------


_DTYPES = {pa.string(): "string", pa.large_string(): "large_string", pa.bool_(): "bool", pa.int8(): "int8",
           pa.int16(): "int16", pa.int32(): "int32", pa.int64(): "int64", pa.float32(): "float32",
           pa.float64(): "float64"}


def _feature(arrow_type: pa.DataType, names: list[str] | None = None):
    """The Hugging Face ``datasets`` feature of an Arrow type, as the card's YAML writes it (``dtype``,
    ``list``, ``struct``, ``class_label``), without importing ``datasets``."""
    if pa.types.is_list(arrow_type):
        inner = _feature(arrow_type.value_type, names)
        return {"list": inner.get("dtype", inner.get("struct", inner))}
    if pa.types.is_struct(arrow_type):
        return {"struct": [{"name": f.name, **_feature(f.type)} for f in arrow_type]}
    if names is not None:
        return {"dtype": {"class_label": {"names": {str(i): n for i, n in enumerate(names)}}}}
    if arrow_type not in _DTYPES:
        raise ValueError(f"no Hugging Face feature for Arrow type {arrow_type}")
    return {"dtype": _DTYPES[arrow_type]}


def features_yaml(schema: pa.Schema, class_labels: dict[str, list[str]]) -> list[dict]:
    """``dataset_info.features`` of one config; the columns in ``class_labels`` become ``ClassLabel``s."""
    return [{"name": f.name, **_feature(f.type, class_labels.get(f.name))} for f in schema]


def card_yaml(tables_by_config: dict[str, pa.Table], file_sizes: dict[str, int],
              class_labels: dict[str, dict[str, list[str]]]) -> str:
    """The card's YAML header: Hub metadata, ``configs`` and ``dataset_info``. Features are derived from
    the Arrow schemas; the columns named in ``class_labels`` become ``ClassLabel`` features. Written with
    PyYAML the way ``huggingface_hub.DatasetCardData.to_yaml`` writes it (tests load it with both
    ``huggingface_hub`` and ``datasets``)."""
    import yaml

    metadata = {
        "annotations_creators": ["machine-generated"],
        "language_creators": ["found"],
        "language": ["en"],
        "license": "other",
        "multilinguality": ["monolingual"],
        "size_categories": [size_category(max(t.num_rows for t in tables_by_config.values()))],  # largest config
        "source_datasets": ["original"],
        "task_categories": ["token-classification", "text-classification"],
        "task_ids": ["named-entity-recognition", "entity-linking-classification", "fact-checking",
                     "multi-class-classification"],
        "pretty_name": PRETTY_NAME,
        "license_name": "cc-by-4.0-annotations-third-party-texts",
        "license_link": "LICENSE.md",
        "tags": ["news", "peacekeeping", "mali", "minusma", "claims", "stance-detection", "entity-linking",
                 "cross-document-coreference", "claim-clustering"],
        "configs": [
            {"config_name": name, "data_files": [{"split": "train", "path": f"{name}.parquet"}],
             **({"default": True} if i == 0 else {})}
            for i, name in enumerate(tables_by_config)
        ],
        "dataset_info": [
            {"config_name": name,
             "features": features_yaml(table.schema, class_labels.get(name, {})),
             "splits": [{"name": "train", "num_bytes": table.nbytes, "num_examples": table.num_rows}],
             "download_size": file_sizes[name], "dataset_size": table.nbytes}
            for name, table in sorted(tables_by_config.items())
        ],
    }
    return yaml.dump(metadata, sort_keys=False, allow_unicode=True).strip()


# --------------------------------------------------------------------------------------------
# Prose
# --------------------------------------------------------------------------------------------


def _shorten(value, width: int = 100):
    """A record for display: long strings and lists cut, so every config fits in a code block."""
    if isinstance(value, str):
        return value if len(value) <= width else value[:width] + "…"
    if isinstance(value, list):
        head = [_shorten(v, width) for v in value[:2]]
        return head + ([f"… {len(value) - 2} more"] if len(value) > 2 else [])
    if isinstance(value, dict):
        return {k: _shorten(v, width) for k, v in value.items()}
    return value


def as_datasets_returns(record: dict, labels: dict[str, list[str]]) -> dict:
    """A record with its ClassLabel columns as ``datasets`` returns them: integer ids (lists of ids)."""
    out = dict(record)
    for column, names in labels.items():
        value = out.get(column)
        if isinstance(value, list):
            out[column] = [names.index(v) for v in value]
        elif value is not None:
            out[column] = names.index(value)
    return out


def _ids(value) -> list[int]:
    return sorted(set(value)) if isinstance(value, list) else [value]


def record_examples(tables_by_config: dict[str, pa.Table], class_labels: dict[str, dict[str, list[str]]]) -> str:
    parts = []
    for name, table in tables_by_config.items():
        if table.num_rows:
            labels = class_labels.get(name, {})
            record = as_datasets_returns(table.slice(0, 1).to_pylist()[0], labels)
            example = json.dumps(_shorten(record, width=100), ensure_ascii=False, indent=1)
            if name == "ner":  # the whole first sentence, so the ids can be read against the tokens
                example = json.dumps(record, ensure_ascii=False)
            note = "".join(
                f"\n\n`{column}`: `ClassLabel` ids, as `datasets` returns them (Parquet and `minusma_corpus.load` hold "
                f"the names); `ds.features[{column!r}]{'.feature' if name == 'ner' else ''}.int2str(i)` gives the name. "
                "Here: " + ", ".join(f"{i} = {names[i]}" for i in _ids(record[column])) + "."
                for column, names in labels.items() if record.get(column) is not None)
            parts.append(f"**`{name}`**\n\n```json\n{example}\n```{note}")
    return "\n\n".join(parts)


def _annotated_ids(tables_by_config: dict[str, pa.Table]) -> set[str]:
    """The doc_ids with rows in ``ner``, ``entities``, ``claims`` or ``stances`` (the gold tables, in memory)."""
    seen = set()
    for name in ("ner", "entities", "claims", "stances"):
        if name in tables_by_config:
            seen.update(tables_by_config[name].column("doc_id").to_pylist())
    return seen


def annotated_documents(tables_by_config: dict[str, pa.Table]) -> list[str]:
    """The doc_ids with gold annotations (rows in ``ner``, ``entities``, ``claims`` or ``stances``), in
    ``documents`` order."""
    seen = _annotated_ids(tables_by_config)
    return [r["doc_id"] for r in rows(tables_by_config["documents"], ["doc_id"]) if r["doc_id"] in seen]


def _joined(parts: Iterable[str], sep: str) -> Iterator[str]:
    """``sep.join(parts)``, a part at a time."""
    for i, part in enumerate(parts):
        yield sep + part if i else part


def _coverage_chunks(tables_by_config: dict[str, pa.Table], annotated: set[str]) -> Iterator[str]:
    docs = tables_by_config["documents"]
    missing = sum(1 for r in rows(docs, ["doc_id"]) if r["doc_id"] not in annotated)
    if not missing:
        return
    yield f"\n\n{missing} of the {docs.num_rows} articles have no gold annotations yet ("
    yield from _joined((f"`{r['doc_id']}`" for r in rows(docs, ["doc_id"]) if r["doc_id"] not in annotated), ", ")
    yield ("): they are in `documents`, `sentences` and `tokens`, but not in "
           "`entities`, `claims`, `stances` or `ner`, which therefore has fewer sentences than `sentences`.")


def coverage_note(tables_by_config: dict[str, pa.Table]) -> str:
    """The card's sentence on articles without gold annotations (empty when every article has them)."""
    return "".join(_coverage_chunks(tables_by_config, _annotated_ids(tables_by_config)))


def card_markdown(tables_by_config: dict[str, pa.Table], file_sizes: dict[str, int], version: str,
                  descriptions: dict[str, str], class_labels: dict[str, dict[str, list[str]]]) -> str:
    return "".join(card_chunks(tables_by_config, file_sizes, version, descriptions, class_labels))


def card_chunks(tables_by_config: dict[str, pa.Table], file_sizes: dict[str, int], version: str,
                descriptions: dict[str, str], class_labels: dict[str, dict[str, list[str]]]) -> Iterator[str]:
    """The card, a part at a time: the per-document tables are read from the documents config a batch at
    a time, so that writing the card of a large corpus does not hold it in memory."""
    docs = tables_by_config["documents"]
    outlets, unnamed = set(), 0
    for r in rows(docs, ["outlet"]):
        if r["outlet"]:
            outlets.add(r["outlet"])
        elif r["outlet"] is None:
            unnamed += 1
    sources = ", ".join(sorted(outlets)) + (f"; {unnamed} whose page does not name its outlet" if unnamed else "")
    config_rows = "\n".join(
        f"| `{name}` | {tables_by_config[name].num_rows:,} | {descriptions[name]} |" for name in tables_by_config
    )
    doc_rows = (f"| `{r['doc_id']}` | {r['outlet'] or '—'} | {r['date'] or '—'} | {r['rights']} |"
                for r in rows(docs, ["doc_id", "outlet", "date", "rights"]))
    schema = load_schema()
    fold_rows = (f"| {r['fold']} | `{r['doc_id']}` |" for r in rows(docs, ["fold", "doc_id"]))
    annotated = _annotated_ids(tables_by_config)
    n_annotated = sum(1 for r in rows(docs, ["doc_id"]) if r["doc_id"] in annotated)
    yield f"""---
{card_yaml(tables_by_config, file_sizes, class_labels)}
---

# MINUSMA corpus (release {version})

Press coverage of the 2023 termination of the United Nations Multidimensional Integrated Stabilization
Mission in Mali (MINUSMA): {docs.num_rows} English news articles, {n_annotated} annotated (outlets: {sources}), cleaned of web-page
furniture with every cleaned character mapped back to the raw text, segmented into paragraphs,
sentences and tokens, and annotated with entity mentions linked across documents, claims grouped into
cross-document clusters that agree or conflict, and stances toward the mission, its termination and
the actors around it."""
    yield from _coverage_chunks(tables_by_config, annotated)
    yield f"""

This card is generated by `minusma-corpus build` (dataset version {version}, annotation schema
{schema.version}); do not edit it by hand. The datasheet (motivation, collection, annotation process,
agreement, limitations) is `DATACARD.md` in the source repository.

![Where the outlets agree and disagree: one row per claim cluster, one column per outlet]({FIGURE})

## Loading

```python
import datasets
claims = datasets.load_dataset("<this repository>", "claims", split="train")
ner = datasets.load_dataset("<this repository>", "ner", split="train")  # tokens + BIO ClassLabel ids
```

No loading script: every config is a Parquet file declared in the YAML header above. The same
release ships inside the Python package `minusma-corpus`, which is not on PyPI: install it from its
source repository (`pip install .` in a checkout, or `pip install git+<repository URL>`), then
`minusma_corpus.load("claims")` (pandas) or `minusma_corpus.load_dataset("claims")`.

Streaming (`streaming=True`): read each iterator to the end. With `datasets` 5.2 and pyarrow 25 or
26, a partial read of a streamed Parquet file (`itertools.islice(ds, 2)`, a `break` out of the loop)
can abort the interpreter at exit ("terminate called without an active exception"; an upstream
bug). The corpus is small: load it without streaming, or finish the iteration (`for _ in it: pass`)
before the program ends. `minusma_corpus.load_dataset(config, streaming=True)` iterates over the local
Arrow copy and does not have the problem.

## Splits and folds

One split, `train`, holds everything. For cross-validation, every config with a `doc_id`
({", ".join(f"`{n}`" for n, t in tables_by_config.items() if "fold" in t.schema.names)}) has a `fold`
column: leave one document out, fold *k* = the *k*-th document of the corpus manifest (0-based), the
same number for the same document in every config; new articles are appended to the manifest and get
new folds, so existing fold numbers never change. Fold *k*:

```python
train = ds.filter(lambda r: r["fold"] != k)
test = ds.filter(lambda r: r["fold"] == k)
```

| fold | document |
|---:|---|
"""
    yield from _joined(fold_rows, "\n")
    yield f"""

## Configs

| config | rows | content |
|---|---:|---|
{config_rows}

All offsets (`start`, `end`) are Python code points into the document's `text`; `raw_start`/`raw_end`
point into `raw_text`. Tokens keep the text after them in `whitespace` (as spaCy's `whitespace_`), so
`"".join(text + whitespace)` over a document's tokens is its text from the first token on, paragraph
breaks included. The tokeniser splits a hyphen before a letter into a token of its own ("Tuareg-led" →
`Tuareg` `-` `led`, as OntoNotes and spaCy do), so every entity mention is made of whole tokens and
the `ner` tags hold every gold mention exactly: one `B-` tag per mention of `entities`. Every
annotation record carries its `provenance` (annotator, status, schema and dataset version).

## One record of each config

{record_examples(tables_by_config, class_labels)}

## Labels

{label_tables()}

## How it was built

Raw pages (plain text, never edited) → cleaning (site furniture removed by generic rules and kept as
metadata, mojibake repaired with ftfy, every cleaned character mapped to its raw offset) → rule-based
segmentation → annotation by careful reading following the guidelines (passes by AI agents, two
independent passes on two articles, adjudicated) → Parquet. Two builds from the same inputs are
byte-identical; `SHA256SUMS` lists every file, and `minusma-corpus verify` checks a copy against it.

## Known limitations and biases

* Five articles from five outlets (a German public broadcaster, an Indian research institute, an
  independent magazine, a wire service and a site the page does not name), all in English, all
  written around the 30 June 2023 vote; all five take the same side on the termination (AGAINST), so
  the corpus says nothing about outlets that welcomed it.
* The annotations were made by AI agents following written guidelines, not by human experts; the
  agreement study covers two articles.
* Relative dates in undated articles are left unresolved; the knowledge base has no external ids.

## Licensing

The annotations, schema and metadata are released under CC BY 4.0 (see `LICENSE.md`). The article
texts are third-party copyright and are not licensed by this project:

| document | outlet | date | rights |
|---|---|---|---|
"""
    yield from _joined(doc_rows, "\n")
    yield f"""

## Citation

```bibtex
{bibtex(version)}
```
"""


def license_markdown(tables_by_config: dict[str, pa.Table]) -> str:
    return "".join(license_chunks(tables_by_config))


def license_chunks(tables_by_config: dict[str, pa.Table]) -> Iterator[str]:
    """The release's LICENSE.md, a part at a time (one line per document, read a batch at a time)."""
    yield f"""# Licence

* **Annotations, schema, knowledge base, claim clusters and metadata** (every column except the
  article texts): Creative Commons Attribution 4.0 International ({ANNOTATION_LICENSE_URL}).
* **Article texts** (`text`, `raw_text`, the `text` of sentences, tokens and spans, captions, and
  every quote): third-party copyright, not licensed by this project. They are included for
  non-commercial research and text-and-data mining, with attribution to the outlet; reuse beyond
  that needs the rights holder's permission. Per document:

"""
    yield from _joined((f"* `{r['doc_id']}`: {r['rights']}"
                        for r in rows(tables_by_config["documents"], ["doc_id", "rights"])), "\n")
    yield """
"""
