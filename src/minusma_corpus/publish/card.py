"""The release's dataset card (README.md) and licence note, generated from the release tables and the schema.

Nothing here is typed in twice: the Hugging Face features come from the Arrow schemas, the label names from
``schema/schema.yaml``.
"""

from __future__ import annotations

import json

import pyarrow as pa

from ..annotations.schema import label_tables, load_schema

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
        "size_categories": ["n<1K"],
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


def record_examples(tables_by_config: dict[str, pa.Table]) -> str:
    parts = []
    for name, table in tables_by_config.items():
        if table.num_rows:
            example = json.dumps(_shorten(table.slice(0, 1).to_pylist()[0]), ensure_ascii=False, indent=1)
            parts.append(f"**`{name}`**\n\n```json\n{example}\n```")
    return "\n\n".join(parts)


def card_markdown(tables_by_config: dict[str, pa.Table], file_sizes: dict[str, int], version: str,
                  descriptions: dict[str, str], class_labels: dict[str, dict[str, list[str]]]) -> str:
    docs = tables_by_config["documents"]
    outlet_column = docs.column("outlet").to_pylist()
    outlets = sorted({o for o in outlet_column if o})
    unnamed = outlet_column.count(None)
    sources = ", ".join(outlets) + (f"; {unnamed} whose page does not name its outlet" if unnamed else "")
    config_rows = "\n".join(
        f"| `{name}` | {tables_by_config[name].num_rows:,} | {descriptions[name]} |" for name in tables_by_config
    )
    doc_rows = "\n".join(
        f"| `{r['doc_id']}` | {r['outlet'] or '—'} | {r['date'] or '—'} | {r['rights']} |" for r in docs.select(
            ["doc_id", "outlet", "date", "rights"]).to_pylist()
    )
    schema = load_schema()
    return f"""---
{card_yaml(tables_by_config, file_sizes, class_labels)}
---

# MINUSMA corpus (release {version})

Press coverage of the 2023 termination of the United Nations Multidimensional Integrated Stabilization
Mission in Mali (MINUSMA): {docs.num_rows} English news articles ({sources}), cleaned of web-page
furniture with every cleaned character mapped back to the raw text, segmented into paragraphs,
sentences and tokens, and annotated with entity mentions linked across documents, claims grouped into
cross-document clusters that agree or conflict, and stances toward the mission, its termination and
the actors around it.

This card is generated by `minusma-corpus build` (dataset version {version}, annotation schema
{schema.version}); do not edit it by hand. The datasheet (motivation, collection, annotation process,
agreement, limitations) is `DATACARD.md` in the source repository.

![Where the outlets agree and disagree: one row per claim cluster, one column per outlet]({FIGURE})

## Loading

```python
import datasets
claims = datasets.load_dataset("<this repository>", "claims", split="train")
ner = datasets.load_dataset("<this repository>", "ner", split="train")  # tokens + BIO ClassLabels
```

No loading script: every config is a Parquet file declared in the YAML header above. The same
release ships inside the Python package (`pip install minusma-corpus`; `minusma_corpus.load("claims")`).

## Configs

| config | rows | content |
|---|---:|---|
{config_rows}

All offsets (`start`, `end`) are Python code points into the document's `text`; `raw_start`/`raw_end`
point into `raw_text`. Every annotation record carries its `provenance` (annotator, status, schema and
dataset version).

## One record of each config

{record_examples(tables_by_config)}

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
{doc_rows}

## Citation

```bibtex
{bibtex(version)}
```
"""


def license_markdown(tables_by_config: dict[str, pa.Table]) -> str:
    rows = "\n".join(f"* `{r['doc_id']}`: {r['rights']}"
                     for r in tables_by_config["documents"].select(["doc_id", "rights"]).to_pylist())
    return f"""# Licence

* **Annotations, schema, knowledge base, claim clusters and metadata** (every column except the
  article texts): Creative Commons Attribution 4.0 International ({ANNOTATION_LICENSE_URL}).
* **Article texts** (`text`, `raw_text`, the `text` of sentences, tokens and spans, captions, and
  every quote): third-party copyright, not licensed by this project. They are included for
  non-commercial research and text-and-data mining, with attribution to the outlet; reuse beyond
  that needs the rights holder's permission. Per document:

{rows}
"""
