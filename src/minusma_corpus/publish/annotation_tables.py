"""The release's annotation configs: entities, entity_kb, claims, claim_clusters, stances and ner.

Label columns are stored as strings in Parquet (readable with pandas) and declared as ``ClassLabel``
features in the dataset card, with names taken from ``schema/schema.yaml``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

import pyarrow as pa

from ..version import __version__
from ..annotations.cluster_values import derived_relations
from ..annotations.schema import load_schema
from ..pipeline.corpus import CorpusError
from ..pipeline.process import ProcessedDocument
from .folds import FOLD
from .release_clusters import claim_fields, claim_row, cluster_fields, cluster_row, member_fields, member_row
from .text_tables import SPAN

_TEXT_SPAN = pa.struct([*SPAN, ("text", pa.string())])
_PROVENANCE = pa.struct([("annotator", pa.string()), ("status", pa.string()), ("schema_version", pa.string()),
                         ("dataset_version", pa.string()), ("created", pa.string())])
_NORMALIZED = pa.struct([("iso", pa.string()), ("number", pa.float64()), ("unit", pa.string()),
                         ("currency", pa.string()), ("approximate", pa.bool_())])

ENTITIES = pa.schema([
    ("doc_id", pa.string()), FOLD, ("mention_id", pa.string()), ("sentence_id", pa.int32()), *SPAN, ("text", pa.string()),
    ("label", pa.string()), ("entity_id", pa.string()), ("normalized", _NORMALIZED), ("provenance", _PROVENANCE),
])
ENTITY_KB = pa.schema([
    ("entity_id", pa.string()), ("label", pa.string()), ("name", pa.string()), ("aliases", pa.list_(pa.string())),
    ("description", pa.string()), ("documents", pa.list_(pa.string())), ("mentions", pa.int32()),
])
CLAIMS = pa.schema([
    ("doc_id", pa.string()), FOLD, ("claim_id", pa.string()), *SPAN, ("text", pa.string()),
    ("claimer", pa.string()), ("claimer_text", pa.string()), ("cue", _TEXT_SPAN), ("claim_type", pa.string()),
    ("checkworthy", pa.bool_()),
    ("quantity", pa.struct([("number", pa.float64()), ("unit", pa.string()), ("approximate", pa.bool_()),
                            ("property", pa.string())])),
    ("cluster_id", pa.string()), ("cluster_relation", pa.string()), *claim_fields(load_schema()),
    ("provenance", _PROVENANCE),
])
CLAIM_CLUSTERS = pa.schema([
    ("cluster_id", pa.string()), ("property", pa.string()), ("description", pa.string()),
    *cluster_fields(load_schema()),
    ("members", pa.list_(pa.struct([
        ("doc_id", pa.string()), ("claim_id", pa.string()), ("outlet", pa.string()), ("text", pa.string()),
        ("claimer", pa.string()), ("number", pa.float64()), ("unit", pa.string()), ("approximate", pa.bool_()),
        ("relation", pa.string()), *member_fields(load_schema())]))),
    ("outlets", pa.int32()), ("has_conflict", pa.bool_()),
])
STANCES = pa.schema([
    ("doc_id", pa.string()), FOLD, ("stance_id", pa.string()), ("scope", pa.string()), ("holder", pa.string()),
    ("holder_text", pa.string()), ("target", pa.string()), ("polarity", pa.string()),
    ("evidence", pa.list_(_TEXT_SPAN)), ("provenance", _PROVENANCE),
])
NER = pa.schema([
    ("doc_id", pa.string()), FOLD, ("sentence_id", pa.int32()), ("tokens", pa.list_(pa.string())),
    ("ner_tags", pa.list_(pa.string())),
])


def class_labels() -> dict[str, dict[str, list[str]]]:
    """Config -> column -> ClassLabel names (for ``ner_tags``: the names of the list's items)."""
    s = load_schema()
    return {
        "entities": {"label": list(s.entity_labels)},
        "entity_kb": {"label": list(s.entity_labels)},
        "claims": {"claim_type": list(s.claim_types)},
        "stances": {"target": list(s.stance_targets), "polarity": list(s.stance_polarities)},
        "ner": {"ner_tags": s.bio_tags},
    }


ANNOTATION_CONFIGS: dict[str, tuple[pa.Schema, str]] = {
    "entities": (ENTITIES, "one row per entity mention: label, corpus entity id, normalised value"),
    "entity_kb": (ENTITY_KB, "one row per corpus entity: label, canonical name, aliases, where it is mentioned"),
    "claims": (CLAIMS, "one row per claim: claimer, cue, type, check-worthiness, quantity, cluster and relation"),
    "claim_clusters": (CLAIM_CLUSTERS, "one row per cross-document claim cluster, its member claims side by side"),
    "stances": (STANCES, "one row per stance (holder, target, polarity, evidence) plus each article's document stance"),
    "ner": (NER, "one row per sentence: tokens and BIO entity tags (CoNLL style), for training taggers"),
}


@dataclass(frozen=True)
class AnnotatedCorpus:
    docs: list[ProcessedDocument]
    gold: dict[str, dict]  # doc_id -> annotation file
    kb: list[dict]
    clusters: list[dict]

    def folds(self) -> dict[str, int]:
        return {d.row.doc_id: d.position for d in self.docs}


def _provenance(a: dict) -> dict:
    p = a["provenance"]
    return {"annotator": p["annotator"], "status": p["status"], "schema_version": a["schema_version"],
            "dataset_version": __version__, "created": p["created"]}


def _sentence_of(d: ProcessedDocument, offset: int) -> int:
    starts = [s.start for s in d.sentences]
    return max(0, bisect_right(starts, offset) - 1)


def entities_table(c: AnnotatedCorpus) -> pa.Table:
    rows = []
    fold = c.folds()
    for d in c.docs:
        a = c.gold.get(d.row.doc_id)
        for m in a["mentions"] if a else []:
            rows.append({"doc_id": d.row.doc_id, "fold": fold[d.row.doc_id], "mention_id": m["id"], "sentence_id": _sentence_of(d, m["start"]),
                         "start": m["start"], "end": m["end"], "text": m["exact"], "label": m["label"],
                         "entity_id": m["entity_id"], "normalized": m["normalized"], "provenance": _provenance(a)})
    return pa.Table.from_pylist(rows, schema=ENTITIES)


def entity_kb_table(c: AnnotatedCorpus) -> pa.Table:
    docs_of: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for doc_id, a in c.gold.items():
        for m in a["mentions"]:
            if m["entity_id"]:
                counts[m["entity_id"]] = counts.get(m["entity_id"], 0) + 1
                docs_of.setdefault(m["entity_id"], [])
                if doc_id not in docs_of[m["entity_id"]]:
                    docs_of[m["entity_id"]].append(doc_id)
    rows = [{"entity_id": e["id"], "label": e["label"], "name": e["name"], "aliases": e["aliases"],
             "description": e.get("description"), "documents": sorted(docs_of.get(e["id"], [])),
             "mentions": counts.get(e["id"], 0)} for e in c.kb]
    return pa.Table.from_pylist(rows, schema=ENTITY_KB)


def _span(span: dict | None) -> dict | None:
    return None if span is None else {"start": span["start"], "end": span["end"], "text": span["exact"]}


def claims_table(c: AnnotatedCorpus) -> pa.Table:
    schema = load_schema()
    derived = derived_relations(c.gold, c.clusters, schema)
    rows = []
    fold = c.folds()
    for d in c.docs:
        a = c.gold.get(d.row.doc_id)
        for cl in a["claims"] if a else []:
            rows.append({"doc_id": d.row.doc_id, "fold": fold[d.row.doc_id], "claim_id": cl["id"], "start": cl["start"], "end": cl["end"],
                         "text": cl["exact"], "claimer": cl["claimer"], "claimer_text": cl["claimer_text"],
                         "cue": _span(cl["cue"]), "claim_type": cl["claim_type"], "checkworthy": cl["checkworthy"],
                         "quantity": cl["quantity"], "cluster_id": cl["cluster_id"],
                         "cluster_relation": cl["cluster_relation"],
                         **claim_row(cl, derived.get((d.row.doc_id, cl["id"])), schema), "provenance": _provenance(a)})
    return pa.Table.from_pylist(rows, schema=CLAIMS)


def claim_clusters_table(c: AnnotatedCorpus) -> pa.Table:
    outlet = {d.row.doc_id: d.row.outlet for d in c.docs}
    schema = load_schema()
    derived = derived_relations(c.gold, c.clusters, schema)
    rows = []
    for cluster in c.clusters:
        members = []
        for d in c.docs:
            a = c.gold.get(d.row.doc_id)
            for cl in a["claims"] if a else []:
                if cl["cluster_id"] == cluster["id"]:
                    q = cl["quantity"] or {}
                    members.append({"doc_id": d.row.doc_id, "claim_id": cl["id"], "outlet": outlet[d.row.doc_id],
                                    "text": cl["exact"], "claimer": cl["claimer"], "number": q.get("number"),
                                    "unit": q.get("unit"), "approximate": q.get("approximate"),
                                    "relation": cl["cluster_relation"],
                                    **member_row(cl, derived.get((d.row.doc_id, cl["id"])), schema)})
        rows.append({"cluster_id": cluster["id"], "property": cluster["property"],
                     "description": cluster["description"], **cluster_row(cluster, schema), "members": members,
                     "outlets": len({m["doc_id"] for m in members}),
                     "has_conflict": any(m["relation"] == "conflicting" for m in members)})
    return pa.Table.from_pylist(rows, schema=CLAIM_CLUSTERS)


def stances_table(c: AnnotatedCorpus) -> pa.Table:
    author = load_schema().author_holder
    fold = c.folds()
    rows = []
    for d in c.docs:
        a = c.gold.get(d.row.doc_id)
        if not a:
            continue
        if a["document_stance"]:
            rows.append({"doc_id": d.row.doc_id, "fold": fold[d.row.doc_id], "stance_id": "document", "scope": "document", "holder": author,
                         "holder_text": None, "target": a["document_stance"]["target"],
                         "polarity": a["document_stance"]["polarity"], "evidence": [], "provenance": _provenance(a)})
        for s in a["stances"]:
            rows.append({"doc_id": d.row.doc_id, "fold": fold[d.row.doc_id], "stance_id": s["id"], "scope": "span", "holder": s["holder"],
                         "holder_text": s["holder_text"], "target": s["target"], "polarity": s["polarity"],
                         "evidence": [_span(e) for e in s["evidence"]], "provenance": _provenance(a)})
    return pa.Table.from_pylist(rows, schema=STANCES)


class MisalignedMention(CorpusError):
    """A gold mention whose start or end falls inside a token: BIO tags could not hold it exactly."""


def check_token_boundaries(d: ProcessedDocument, mentions: list[dict]) -> None:
    """Every mention starts at a token's start and ends at a token's end (else :class:`MisalignedMention`,
    naming the document, the mention and the token), so BIO tags and the exports hold the gold exactly."""
    starts = {t.start for t in d.tokens}
    ends = {t.end for t in d.tokens}
    for m in mentions:
        if m["start"] not in starts or m["end"] not in ends:
            tokens = [d.clean.text[t.start:t.end] for t in d.tokens if t.start < m["end"] and m["start"] < t.end]
            raise MisalignedMention(
                f"{d.row.doc_id}: mention {m['id']} {m['exact']!r} [{m['start']}:{m['end']}] does not start and end at "
                f"token boundaries (tokens {tokens}); move the mention to whole tokens, or change the tokeniser "
                "(minusma_corpus.pipeline.segment) so that it splits there")


def bio_tags(d: ProcessedDocument, mentions: list[dict]) -> list[list[str]]:
    """BIO tags per sentence: a token takes the label of the mention it lies in (B- on the first one). Every
    mention must be made of whole tokens (:func:`check_token_boundaries`), so each gets exactly one B-."""
    check_token_boundaries(d, mentions)
    spans = sorted((m["start"], m["end"], m["label"]) for m in mentions)
    starts = [s for s, _e, _l in spans]
    tags: list[list[str]] = [[] for _ in d.sentences]
    previous: tuple | None = None
    for t in d.tokens:
        i = bisect_right(starts, t.start) - 1
        hit = None
        for j in (i, i + 1):
            if 0 <= j < len(spans) and spans[j][0] < t.end and t.start < spans[j][1]:
                hit = spans[j]
                break
        if hit is None:
            tags[t.sentence].append("O")
        else:
            tags[t.sentence].append(("I-" if previous == hit else "B-") + hit[2])
        previous = hit
    return tags


def ner_table(c: AnnotatedCorpus) -> pa.Table:
    rows = []
    fold = c.folds()
    for d in c.docs:
        a = c.gold.get(d.row.doc_id)
        if not a:
            continue
        tags = bio_tags(d, a["mentions"])
        tokens: list[list[str]] = [[] for _ in d.sentences]
        for t in d.tokens:
            tokens[t.sentence].append(d.clean.text[t.start:t.end])
        rows.extend({"doc_id": d.row.doc_id, "fold": fold[d.row.doc_id], "sentence_id": i, "tokens": tokens[i], "ner_tags": tags[i]}
                    for i in range(len(d.sentences)))
    return pa.Table.from_pylist(rows, schema=NER)


def annotation_tables(c: AnnotatedCorpus) -> dict[str, pa.Table]:
    return {"entities": entities_table(c), "entity_kb": entity_kb_table(c), "claims": claims_table(c),
            "claim_clusters": claim_clusters_table(c), "stances": stances_table(c), "ner": ner_table(c)}
