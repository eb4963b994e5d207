"""The release's Hub files: dataset card (README.md), licence note, Croissant metadata, figure, checksums.

Everything here is generated from the release tables and the schema; nothing is typed in twice.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from pathlib import Path

import pyarrow as pa

from .safepath import CHECKSUMS, STAGING_MARK, UnsafePathError, inside
from .schema import label_tables, load_schema

PRETTY_NAME = "MINUSMA corpus: press coverage of the 2023 termination of the UN mission in Mali"
ANNOTATION_LICENSE = "cc-by-4.0"
ANNOTATION_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
FIGURE = "figures/claim_clusters.svg"

TEXT_RIGHTS = (
    "Third-party news text, copyright {holder}. Included (raw and cleaned) for non-commercial research and "
    "text-and-data mining, with attribution to the outlet; minusma-corpus grants no licence to the text."
)


def text_rights(outlet: str | None) -> str:
    return TEXT_RIGHTS.format(holder=outlet or "its original publisher (the page does not name it)")


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


def card_yaml(tables_by_config: dict[str, pa.Table], file_sizes: dict[str, int],
              class_labels: dict[str, dict[str, list[str]]]) -> str:
    """The card's YAML header: Hub metadata, ``configs`` and ``dataset_info``. Features are derived from
    the Arrow schemas; the columns named in ``class_labels`` become ``ClassLabel`` features."""
    from datasets import ClassLabel, Features, List, SplitDict, SplitInfo
    from datasets.info import DatasetInfo, DatasetInfosDict
    from huggingface_hub import DatasetCardData

    def features(name: str, table: pa.Table) -> Features:
        feats = Features.from_arrow_schema(table.schema)
        for column, names in class_labels.get(name, {}).items():
            feats[column] = List(ClassLabel(names=names)) if isinstance(feats[column], List) else ClassLabel(names=names)
        return feats

    card = DatasetCardData(
        pretty_name=PRETTY_NAME,
        license="other",
        license_name="cc-by-4.0-annotations-third-party-texts",
        license_link="LICENSE.md",
        language=["en"],
        multilinguality=["monolingual"],
        size_categories=["n<1K"],
        source_datasets=["original"],
        language_creators=["found"],
        annotations_creators=["machine-generated"],
        task_categories=["token-classification", "text-classification"],
        task_ids=["named-entity-recognition", "entity-linking-classification", "fact-checking",
                  "multi-class-classification"],
        tags=["news", "peacekeeping", "mali", "minusma", "claims", "stance-detection", "entity-linking",
              "cross-document-coreference", "claim-clustering"],
        configs=[
            {"config_name": name, "data_files": [{"split": "train", "path": f"{name}.parquet"}],
             **({"default": True} if i == 0 else {})}
            for i, name in enumerate(tables_by_config)
        ],
    )
    infos = DatasetInfosDict()
    for name, table in tables_by_config.items():
        splits = SplitDict()
        splits.add(SplitInfo(name="train", num_bytes=table.nbytes, num_examples=table.num_rows))
        infos[name] = DatasetInfo(features=features(name, table), splits=splits, download_size=file_sizes[name],
                                  dataset_size=table.nbytes)
    infos.to_dataset_card_data(card)
    return card.to_yaml()


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


# --------------------------------------------------------------------------------------------
# Figure: claim clusters across outlets
# --------------------------------------------------------------------------------------------

_COLOURS = {"consistent": "#2e7d32", "conflicting": "#c62828", "different_scope": "#f9a825"}


def clusters_svg(tables_by_config: dict[str, pa.Table]) -> str:
    """A matrix: one row per claim cluster, one column per outlet, a dot per claim coloured by relation."""
    docs = tables_by_config["documents"].select(["doc_id", "outlet"]).to_pylist()
    def short(outlet: str | None) -> str:
        if not outlet:
            return "(outlet not named)"
        acronym = re.search(r"\(([A-Z]{2,10})\)$", outlet)
        return acronym.group(1) if acronym else outlet

    columns = [(d["doc_id"], short(d["outlet"])) for d in docs]
    clusters = [c for c in tables_by_config["claim_clusters"].to_pylist() if c["members"]]
    left, top, col_w, row_h = 230, 120, 110, 22
    width, height = left + col_w * len(columns) + 20, top + row_h * len(clusters) + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="10" y="20" font-size="15" font-weight="bold">Claims across outlets, by cluster</text>']
    for j, (_doc, outlet) in enumerate(columns):
        x = left + col_w * j + col_w / 2
        out.append(f'<text x="{x:.0f}" y="{top - 10}" text-anchor="start" transform="rotate(-30 {x:.0f} {top - 10})">'
                   f'{html.escape(outlet[:28])}</text>')
    for i, c in enumerate(clusters):
        y = top + row_h * i + row_h / 2
        fill = "#fdecea" if c["has_conflict"] else ("#f5f5f5" if i % 2 else "white")
        out.append(f'<rect x="0" y="{y - row_h / 2:.0f}" width="{width}" height="{row_h}" fill="{fill}"/>')
        out.append(f'<text x="10" y="{y + 4:.0f}">{html.escape(c["cluster_id"])}</text>')
        for j, (doc, _outlet) in enumerate(columns):
            members = [m for m in c["members"] if m["doc_id"] == doc]
            for k, m in enumerate(members[:4]):
                x = left + col_w * j + col_w / 2 + (k - (min(len(members), 4) - 1) / 2) * 12
                title = html.escape(f"{m['text']} ({m['relation']})")
                out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="5" fill="{_COLOURS[m["relation"]]}">'
                           f'<title>{title}</title></circle>')
    y = top + row_h * len(clusters) + 30
    for k, (relation, colour) in enumerate(_COLOURS.items()):
        x = 10 + k * 160
        out.append(f'<circle cx="{x + 5}" cy="{y}" r="5" fill="{colour}"/><text x="{x + 15}" y="{y + 4}">{relation}</text>')
    out.append(f'<text x="{10 + 3 * 160}" y="{y + 4}">(rows shaded red hold a conflict)</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Croissant (MLCommons) metadata
# --------------------------------------------------------------------------------------------

_CROISSANT_CONTEXT = {
    "@language": "en", "@vocab": "https://schema.org/", "citeAs": "cr:citeAs", "column": "cr:column",
    "conformsTo": "dct:conformsTo", "cr": "http://mlcommons.org/croissant/", "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"}, "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/", "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"}, "extract": "cr:extract", "field": "cr:field",
    "fileProperty": "cr:fileProperty", "fileObject": "cr:fileObject", "fileSet": "cr:fileSet", "format": "cr:format",
    "includes": "cr:includes", "isLiveDataset": "cr:isLiveDataset", "jsonPath": "cr:jsonPath", "key": "cr:key",
    "md5": "cr:md5", "parentField": "cr:parentField", "path": "cr:path", "recordSet": "cr:recordSet",
    "references": "cr:references", "regex": "cr:regex", "repeated": "cr:repeated", "replace": "cr:replace",
    "samplingRate": "cr:samplingRate", "sc": "https://schema.org/", "separator": "cr:separator", "source": "cr:source",
    "subField": "cr:subField", "transform": "cr:transform",
}


def _croissant_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_integer(arrow_type):
        return "sc:Integer"
    if pa.types.is_floating(arrow_type):
        return "sc:Float"
    if pa.types.is_boolean(arrow_type):
        return "sc:Boolean"
    return "sc:Text"


def _croissant_field(config: str, path: list[str], arrow_type: pa.DataType, column: str) -> dict:
    field_id = "/".join([config, *path])
    field: dict = {"@type": "cr:Field", "@id": field_id, "name": path[-1]}
    is_list = pa.types.is_list(arrow_type)
    inner = arrow_type.value_type if is_list else arrow_type
    if is_list:
        field["cr:isArray"] = True
        field["cr:arrayShape"] = "-1"
    source: dict = {"fileObject": {"@id": f"{config}.parquet"}, "extract": {"column": column}}
    if len(path) > 1:
        source["transform"] = {"jsonPath": ".".join(path[1:])}
    if pa.types.is_struct(inner):
        field["subField"] = [_croissant_field(config, [*path, inner.field(i).name], inner.field(i).type, column)
                             for i in range(inner.num_fields)]
    else:
        field["dataType"] = _croissant_type(inner)
        field["source"] = source
    return field


def croissant(tables_by_config: dict[str, pa.Table], descriptions: dict[str, str], sha256: dict[str, str],
              version: str, date_published: str) -> dict:
    """Croissant JSON-LD of the release. It has no ``url``: the release's address is not known when it is
    built (the Hub repository is chosen at publication), and none is invented."""
    return {
        "@context": _CROISSANT_CONTEXT,
        "@type": "sc:Dataset",
        "name": "minusma-corpus",
        "description": PRETTY_NAME + ". English news articles, cleaned and segmented, with entity, claim and "
                       "stance annotations.",
        "conformsTo": "http://mlcommons.org/croissant/1.0",
        "citeAs": bibtex(version),
        "license": [ANNOTATION_LICENSE_URL],
        "version": version,
        "datePublished": date_published,
        "inLanguage": "en",
        "keywords": ["news", "peacekeeping", "Mali", "MINUSMA", "claims", "stance", "entity linking"],
        "distribution": [
            {"@type": "cr:FileObject", "@id": f"{name}.parquet", "name": f"{name}.parquet",
             "contentUrl": f"{name}.parquet", "encodingFormat": "application/x-parquet",
             "sha256": sha256[f"{name}.parquet"]}
            for name in tables_by_config
        ],
        "recordSet": [
            {"@type": "cr:RecordSet", "@id": name, "name": name, "description": descriptions[name],
             "field": [_croissant_field(name, [f.name], f.type, f.name) for f in table.schema]}
            for name, table in tables_by_config.items()
        ],
    }


# --------------------------------------------------------------------------------------------
# Checksums
# --------------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checksums_text(directory: Path) -> str:
    """``sha256  relative/path`` for every file of the release but the checksums file itself."""
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.name not in (CHECKSUMS, STAGING_MARK))
    return "".join(f"{sha256_file(p)}  {p.relative_to(directory).as_posix()}\n" for p in files)


def verify_file(directory: Path, name: str) -> str | None:
    """The problem of one release file against its ``SHA256SUMS`` entry, or None when it matches."""
    listing = directory / CHECKSUMS
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        return f"{listing}: unreadable ({getattr(e, 'strerror', None) or e})"
    digests = [line.partition("  ")[0] for line in lines if line.partition("  ")[2] == name]
    if not digests:
        return f"{directory / name}: not listed in {listing}"
    path = directory / name
    if not path.is_file():
        return f"{path}: missing"
    if sha256_file(path) != digests[0]:
        return f"{path}: sha256 differs from {listing} (the file is corrupted or was changed)"
    return None


def verify(directory: Path) -> list[str]:
    """Problems of a release directory against its ``SHA256SUMS`` (an empty list means intact). A listed
    name that is not a relative path inside the directory is a problem, never followed."""
    listing = directory / CHECKSUMS
    if not listing.is_file():
        return [f"{listing}: missing"]
    try:
        lines = listing.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        return [f"{listing}: unreadable ({e}); rebuild the release or restore the file"]
    expected, problems = {}, []
    for number, line in enumerate(lines, 1):
        digest, sep, name = line.partition("  ")
        if not sep or not re.fullmatch(r"[0-9a-f]{64}", digest):
            problems.append(f"{listing}:{number}: not a 'sha256  path' line")
            continue
        try:
            expected[name] = (inside(directory, name, f"{CHECKSUMS} entry"), digest)
        except UnsafePathError as e:
            problems.append(f"{listing}:{number}: {e}")
    for name, (path, digest) in expected.items():
        if not path.is_file():
            problems.append(f"{name}: missing")
        elif sha256_file(path) != digest:
            problems.append(f"{name}: sha256 differs from {CHECKSUMS}")
    present = {p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file() and p.name != CHECKSUMS}
    problems += [f"{name}: not listed in {CHECKSUMS}" for name in sorted(present - set(expected))]
    return problems
