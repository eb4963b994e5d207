"""`minusma-corpus stats`: the corpus figures of DATACARD.md, computed from a release directory.

DATACARD.md holds the output between the markers below; a test fails when it no longer matches.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from ..annotations.schema import load_schema
from ..fileio import replace_between

BEGIN = "<!-- BEGIN STATS (minusma-corpus stats) -->"
END = "<!-- END STATS -->"


def _table(header: list[str], rows: list[list]) -> str:
    """A Markdown table; columns whose values are all numbers are right-aligned."""
    numeric = [all(isinstance(r[i], int) or r[i] == "" for r in rows) for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    lines += ["| " + " | ".join(f"{v:,}" if isinstance(v, int) else str(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def stats_markdown(release: Path) -> str:
    import pyarrow.parquet as pq

    schema = load_schema()
    t = {name: pq.read_table(release / f"{name}.parquet").to_pylist()
         for name in ("documents", "sentences", "tokens", "entities", "entity_kb", "claims", "claim_clusters", "stances")}
    docs = t["documents"]
    per_doc = Counter(r["doc_id"] for r in t["entities"])
    claims_per_doc = Counter(r["doc_id"] for r in t["claims"])
    stances_per_doc = Counter(r["doc_id"] for r in t["stances"] if r["scope"] == "span")
    doc_stance = {r["doc_id"]: r["polarity"] for r in t["stances"] if r["scope"] == "document"}
    sentences = Counter(r["doc_id"] for r in t["sentences"])
    tokens = Counter(r["doc_id"] for r in t["tokens"])
    out = ["### Documents", _table(
        ["doc_id", "outlet", "sentences", "tokens", "mentions", "claims", "span stances",
         "document stance (on the termination)"],
        [[d["doc_id"], d["outlet"] or "—", sentences[d["doc_id"]], tokens[d["doc_id"]], per_doc[d["doc_id"]],
          claims_per_doc[d["doc_id"]], stances_per_doc[d["doc_id"]], doc_stance.get(d["doc_id"], "—")] for d in docs]
        + [["**total**", "", len(t["sentences"]), len(t["tokens"]), len(t["entities"]), len(t["claims"]),
            sum(stances_per_doc.values()), ""]])]

    labels = Counter(r["label"] for r in t["entities"])
    out += ["### Entity mentions per label", _table(["label", "mentions"],
                                                    [[k, labels[k]] for k in schema.entity_labels] + [["**total**", len(t["entities"])]])]
    kb = t["entity_kb"]
    mentioned = [e for e in kb if e["mentions"]]
    cross = [e for e in kb if len(e["documents"]) >= 2]
    out += ["### Entities", _table(["figure", "count"], [
        ["entities in the knowledge base", len(kb)],
        ["entities mentioned in the gold", len(mentioned)],
        ["entities mentioned in two or more documents", len(cross)],
        ["linked mentions", sum(e["mentions"] for e in kb)],
    ])]
    types = Counter(r["claim_type"] for r in t["claims"])
    out += ["### Claims per type", _table(["claim type", "claims", "check-worthy"], [
        [k, types[k], sum(1 for r in t["claims"] if r["claim_type"] == k and r["checkworthy"])] for k in schema.claim_types
    ] + [["**total**", len(t["claims"]), sum(1 for r in t["claims"] if r["checkworthy"])]])]
    clusters = t["claim_clusters"]
    relations = Counter(r["cluster_relation"] for r in t["claims"] if r["cluster_relation"])
    out += ["### Claim clusters", _table(["figure", "count"], [
        ["clusters", len(clusters)],
        ["clusters with claims from two or more outlets", sum(1 for c in clusters if c["outlets"] >= 2)],
        ["clusters with a conflict", sum(1 for c in clusters if c["has_conflict"])],
        ["claims in clusters", sum(relations.values())],
        *[[f"claims {k}", relations[k]] for k in schema.cluster_relations],
    ])]
    conflicts = [(c, m) for c in clusters for m in c["members"] if m["relation"] == "conflicting"]
    if conflicts:
        def against(c: dict, m: dict) -> str:
            by_key = {f"{o['doc_id']}/{o['claim_id']}": o for o in c["members"]}
            return "; ".join(f"{by_key[k]['outlet'] or '—'}: {by_key[k]['value_text']}"
                             for k in m.get("conflicts_with") or []) or "— (not derived: schema 1.0.0)"
        out += ["### Conflicting claims across outlets", _table(["cluster", "outlet", "claim", "value", "conflicts with"], [
            [c["cluster_id"], m["outlet"] or "—", m["text"].replace("|", "\\|"), m.get("value_text") or "—",
             against(c, m).replace("|", "\\|")] for c, m in conflicts])]
    spans = [r for r in t["stances"] if r["scope"] == "span"]
    grid = Counter((r["target"], r["polarity"]) for r in spans)
    out += ["### Stances per target and polarity", _table(["target", *schema.stance_polarities, "total"], [
        [k, *(grid[(k, p)] for p in schema.stance_polarities), sum(grid[(k, p)] for p in schema.stance_polarities)]
        for k in schema.stance_targets] + [["**total**", *(sum(grid[(k, p)] for k in schema.stance_targets)
                                                         for p in schema.stance_polarities), len(spans)]])]
    return "\n\n".join(out) + "\n"


def replace_block(markdown: str, block: str, begin: str = BEGIN, end: str = END) -> str:
    return replace_between(markdown, begin, end, f"\n\n{block}\n")
