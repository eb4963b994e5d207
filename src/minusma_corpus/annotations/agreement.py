"""Inter-annotator agreement between two annotation sets of the same documents.

* Mentions and claims: span precision/recall/F1 of B against A, with exact offsets (mentions: and the
  same label) and with overlap (any shared character; mentions: same label), matched one to one.
* Entity linking: on mentions with the same span in both sets, agreement on ``entity_id``.
* Claim attributes: on claims matched by overlap, agreement on claim type, claimer and cluster
  relation (a claim outside any cluster counts as the category ``none``).
* Claim attributes also: check-worthiness; the cluster relation of claims that are cluster members in
  both sets.
* Partitions (``coreference``): cross-document coreference of the entity mentions (MUC, B³, CEAF-e and
  CoNLL F1, by ``scorch``), and claim-cluster membership as the pairwise F1 of same-cluster claim pairs.
  Both compare the partitions the ids induce, so passes with their own entity inventory and clusters
  (ids not shared) are compared correctly.
* Stances: on (holder, target) pairs present in both sets, agreement on polarity; plus the document
  stances.

Categorical agreement is reported as observed agreement, Cohen's κ and Krippendorff's α (nominal,
two coders, no missing values).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .coreference import Coreference, coreference, entity_alignment, entity_clusters, rename_entities, same_cluster_pairs


def precision_recall_f1(matched: int, predicted: int, gold: int) -> tuple[float, float, float]:
    """P = matched/predicted, R = matched/gold (1.0 when there is nothing to find), F1 their harmonic mean."""
    p = matched / predicted if predicted else 1.0
    r = matched / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(frozen=True)
class SpanScore:
    matched: int
    in_a: int
    in_b: int

    @property
    def precision(self) -> float:
        return precision_recall_f1(self.matched, self.in_b, self.in_a)[0]

    @property
    def recall(self) -> float:
        return precision_recall_f1(self.matched, self.in_b, self.in_a)[1]

    @property
    def f1(self) -> float:
        return precision_recall_f1(self.matched, self.in_b, self.in_a)[2]


@dataclass(frozen=True)
class CategoricalScore:
    pairs: list[tuple[str, str]] = field(repr=False)

    @property
    def n(self) -> int:
        return len(self.pairs)

    @property
    def observed(self) -> float:
        return sum(a == b for a, b in self.pairs) / self.n if self.n else float("nan")

    @property
    def cohen_kappa(self) -> float:
        if not self.n:
            return float("nan")
        ca, cb = Counter(a for a, _ in self.pairs), Counter(b for _, b in self.pairs)
        expected = sum(ca[k] * cb[k] for k in ca) / self.n**2
        return 1.0 if expected == 1 else (self.observed - expected) / (1 - expected)

    @property
    def krippendorff_alpha(self) -> float:
        """Nominal α for two coders (the ``krippendorff`` package); 1.0 when only one category occurs."""
        if not self.n:
            return float("nan")
        categories = sorted({v for pair in self.pairs for v in pair})
        if len(categories) < 2:
            return 1.0
        import krippendorff
        import numpy as np

        code = {c: i for i, c in enumerate(categories)}
        data = np.array([[code[a] for a, _ in self.pairs], [code[b] for _, b in self.pairs]], dtype=float)
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def match_one_to_one(spans_a, spans_b, same) -> list[tuple[dict, dict]]:
    """One-to-one greedy matching of items for which ``same(a, b)`` holds, best overlap first."""
    candidates = []
    for i, a in enumerate(spans_a):
        for j, b in enumerate(spans_b):
            if same(a, b):
                overlap = min(a["end"], b["end"]) - max(a["start"], b["start"])
                candidates.append((-overlap, abs(a["start"] - b["start"]), i, j))
    used_a, used_b, pairs = set(), set(), []
    for _o, _d, i, j in sorted(candidates):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((spans_a[i], spans_b[j]))
    return pairs


def stance_key(s: dict) -> tuple[str, str]:
    """Stances pair up by holder and target; an unnamed holder is told apart by its description."""
    holder = s["holder"] if s["holder"] != "UNNAMED" else f"UNNAMED ({(s.get('holder_text') or '').lower()})"
    return holder, s["target"]


def pair_annotations(a: dict, b: dict) -> dict[str, list[tuple[dict, dict]]]:
    """The one pairing of two annotation sets of a document (``disagreements`` and the explorer's diff):
    mentions by exact span, claims by overlap, stances by holder and target; each one to one."""
    stances_b: dict[tuple[str, str], dict] = {}
    for y in b["stances"]:
        stances_b.setdefault(stance_key(y), y)
    stances, used = [], set()
    for x in a["stances"]:
        y = stances_b.get(stance_key(x))
        if y is not None and id(y) not in used:
            used.add(id(y))
            stances.append((x, y))
    return {"mentions": match_one_to_one(a["mentions"], b["mentions"], same_span),
            "claims": match_one_to_one(a["claims"], b["claims"], overlapping),
            "stances": stances}


def same_span(a, b) -> bool:
    return a["start"] == b["start"] and a["end"] == b["end"]


def overlapping(a, b) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


@dataclass
class Agreement:
    documents: list[str]
    spans: dict[str, SpanScore]
    categorical: dict[str, CategoricalScore]
    coreference: Coreference | None = None

    def rows(self) -> list[tuple[str, str]]:
        out = [(f"{k}", f"P {v.precision:.3f}  R {v.recall:.3f}  F1 {v.f1:.3f}  (A {v.in_a}, B {v.in_b}, matched {v.matched})")
               for k, v in self.spans.items()]
        c = self.coreference
        if c is not None:
            sizes = (f"(A {c.entities_a} entities / {c.mentions_a} mentions, "
                     f"B {c.entities_b} entities / {c.mentions_b} mentions)")
            out += [(f"coreference {name}", f"P {v.precision:.3f}  R {v.recall:.3f}  F1 {v.f1:.3f}")
                    for name, v in (("MUC", c.muc), ("B³", c.b_cubed), ("CEAF-e", c.ceaf_e))]
            out.append(("coreference CoNLL F1", f"F1 {c.conll_f1:.3f}  {sizes}"))
        out += [(k, f"agreement {v.observed:.3f}  Cohen's κ {v.cohen_kappa:.3f}  Krippendorff's α "
                    f"{v.krippendorff_alpha:.3f}  (n {v.n})") for k, v in self.categorical.items()]
        return out

    def table(self) -> str:
        width = max(len(k) for k, _ in self.rows())
        return "\n".join(f"{k:<{width}}  {v}" for k, v in self.rows())

    def report(self) -> str:
        """What `minusma-corpus agreement` prints (and DATACARD.md quotes)."""
        return f"documents: {', '.join(self.documents)}\n{self.table()}"


def agreement(sets_a: dict[str, dict], sets_b: dict[str, dict], *, align_entities: bool = False) -> Agreement:
    """Agreement of B with A over the documents both annotate. ``align_entities``: the passes have their own
    entity inventories; B's entity ids are mapped to A's (``coreference.entity_alignment``) before linking,
    claimers and stance holders are compared."""
    docs = sorted(set(sets_a) & set(sets_b))
    if align_entities:
        from .schema import load_schema

        s = load_schema()
        mapping = entity_alignment({d: sets_a[d] for d in docs}, {d: sets_b[d] for d in docs})
        parties = frozenset({s.author_holder, s.unnamed_holder})
        sets_b = {d: rename_entities(sets_b[d], mapping, parties) for d in docs}
    span_counts: dict[str, list[int]] = {}
    pairs: dict[str, list[tuple[str, str]]] = {k: [] for k in (
        "entity linking", "claim type", "claimer", "check-worthiness", "claim cluster relation",
        "cluster relation (members in both)", "stance polarity", "document stance")}
    members_a: list[tuple[str, tuple]] = []  # (cluster_id, claim key) of each pass; B's claims keyed by A's partner
    members_b: list[tuple[str, tuple]] = []

    def count(name, matched, a, b):
        m, na, nb = span_counts.setdefault(name, [0, 0, 0])
        span_counts[name] = [m + len(matched), na + len(a), nb + len(b)]

    for doc in docs:
        a, b = sets_a[doc], sets_b[doc]
        ma, mb = a["mentions"], b["mentions"]
        exact = match_one_to_one(ma, mb, lambda x, y: same_span(x, y) and x["label"] == y["label"])
        count("mentions (exact, labelled)", exact, ma, mb)
        same_label = match_one_to_one(ma, mb, lambda x, y: overlapping(x, y) and x["label"] == y["label"])
        count("mentions (overlap, labelled)", same_label, ma, mb)
        count("mentions (exact, unlabelled)", match_one_to_one(ma, mb, same_span), ma, mb)
        for x, y in match_one_to_one(ma, mb, same_span):
            if x["entity_id"] is not None or y["entity_id"] is not None:
                pairs["entity linking"].append((str(x["entity_id"]), str(y["entity_id"])))
        ca, cb = a["claims"], b["claims"]
        count("claims (exact)", match_one_to_one(ca, cb, same_span), ca, cb)
        claim_pairs = match_one_to_one(ca, cb, overlapping)
        count("claims (overlap)", claim_pairs, ca, cb)
        partner = {id(y): x for x, y in claim_pairs}
        for x, y in claim_pairs:
            pairs["claim type"].append((x["claim_type"], y["claim_type"]))
            pairs["claimer"].append((x["claimer"], y["claimer"]))
            if "checkworthy" in x and "checkworthy" in y:
                pairs["check-worthiness"].append((str(x["checkworthy"]).lower(), str(y["checkworthy"]).lower()))
            pairs["claim cluster relation"].append((x["cluster_relation"] or "none", y["cluster_relation"] or "none"))
            if x.get("cluster_id") is not None and y.get("cluster_id") is not None:
                pairs["cluster relation (members in both)"].append((x["cluster_relation"], y["cluster_relation"]))
        members_a += [(x["cluster_id"], (doc, "a", x["id"])) for x in ca if x.get("cluster_id") is not None]
        members_b += [(y["cluster_id"], (doc, "a", partner[id(y)]["id"]) if id(y) in partner else (doc, "b", y["id"]))
                      for y in cb if y.get("cluster_id") is not None]
        sa = {stance_key(s): s["polarity"] for s in a["stances"]}
        sb = {stance_key(s): s["polarity"] for s in b["stances"]}
        count("stances (holder, target)", [k for k in sa if k in sb], list(sa), list(sb))
        pairs["stance polarity"].extend((sa[k], sb[k]) for k in sorted(sa) if k in sb)
        if a.get("document_stance") and b.get("document_stance"):
            pairs["document stance"].append((a["document_stance"]["polarity"], b["document_stance"]["polarity"]))
    pairs_a, pairs_b = same_cluster_pairs(members_a), same_cluster_pairs(members_b)
    span_counts["claim cluster pairs"] = [len(pairs_a & pairs_b), len(pairs_a), len(pairs_b)]
    return Agreement(
        docs,
        {k: SpanScore(*v) for k, v in span_counts.items()},
        {k: CategoricalScore(v) for k, v in pairs.items()},
        coreference(entity_clusters({d: sets_a[d] for d in docs}), entity_clusters({d: sets_b[d] for d in docs})),
    )


def disagreements(a: dict, b: dict) -> list[str]:
    """Human-readable list of every difference between two annotation sets of one document."""
    out: list[str] = []
    paired = pair_annotations(a, b)
    for x, y in paired["mentions"]:
        if (x["label"], x["entity_id"]) != (y["label"], y["entity_id"]):
            out.append(f"mention {x['exact']!r}@{x['start']}: A {x['label']}/{x['entity_id']}  B {y['label']}/{y['entity_id']}")
        elif x["normalized"] != y["normalized"]:
            out.append(f"mention {x['exact']!r}@{x['start']}: normalized A {x['normalized']}  B {y['normalized']}")
    out += [f"mention only in {side}: {x['exact']!r}@{x['start']} {x['label']}/{x['entity_id']}"
            for side, x in _unpaired(a, b, paired["mentions"], "mentions")]
    keys = ("claimer", "claim_type", "checkworthy", "cluster_id", "cluster_relation",
            "cluster_value", "cluster_scope", "relation_justification")  # the last three: schema 2.0.0
    for x, y in paired["claims"]:
        diffs = [f"{k}: A {x.get(k)} B {y.get(k)}" for k in keys if x.get(k) != y.get(k)]
        if not same_span(x, y):
            diffs.insert(0, f"span: A {x['exact']!r}  B {y['exact']!r}")
        if (x["quantity"] or {}).get("number") != (y["quantity"] or {}).get("number"):
            diffs.append(f"quantity: A {x['quantity']} B {y['quantity']}")
        if diffs:
            out.append(f"claim {x['id']}/{y['id']} {x['exact'][:70]!r}: " + "; ".join(diffs))
    out += [f"claim only in {side}: {x['id']} {x['exact'][:90]!r} ({x['claimer']}, {x['claim_type']})"
            for side, x in _unpaired(a, b, paired["claims"], "claims")]
    def arrow(s: dict) -> str:
        holder, target = stance_key(s)
        return f"{holder} -> {target}"

    stance_lines = [(stance_key(x), f"stance {arrow(x)}: A {x['polarity']}  B {y['polarity']}")
                    for x, y in paired["stances"] if x["polarity"] != y["polarity"]]
    stance_lines += [(stance_key(x), f"stance only in {side}: {arrow(x)}: {x['polarity']}")
                     for side, x in _unpaired(a, b, paired["stances"], "stances")]
    out += [line for _key, line in sorted(stance_lines, key=lambda kl: kl[0])]
    if (a.get("document_stance") or {}).get("polarity") != (b.get("document_stance") or {}).get("polarity"):
        out.append(f"document stance: A {a.get('document_stance')}  B {b.get('document_stance')}")
    return out


def _unpaired(a: dict, b: dict, pairs: list[tuple[dict, dict]], layer: str) -> list[tuple[str, dict]]:
    """("A", item) / ("B", item) for the items of ``layer`` that no pair holds, A's first."""
    in_a, in_b = {id(x) for x, _ in pairs}, {id(y) for _, y in pairs}
    return [("A", x) for x in a[layer] if id(x) not in in_a] + [("B", y) for y in b[layer] if id(y) not in in_b]
