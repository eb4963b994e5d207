"""Agreement of two independent passes on partitions: cross-document coreference of entity mentions and
membership of claims in claim clusters.

Two independent passes build their own entity inventories and cluster lists, so their ids are not shared:
what is compared is the partition the ids induce.

* Coreference: each pass's mentions linked to an entity, grouped by entity id across all documents (one
  cluster per entity, singletons included), mentions identified by (doc_id, start, end), so a mention counts
  as the same only with the same span (as the CoNLL-2012 scorer does with predicted mentions). Scored with
  ``scorch`` (an implementation of the CoNLL-2011/2012 reference scorer's MUC, B³ and CEAF-e; the CoNLL F1
  is their mean), A being the key and B the response.
* Entity alignment (for passes with their own inventories): each entity of B is mapped to the entity of A
  it is aligned with by CEAF-e (the one-to-one alignment of their mention clusters that maximises the summed
  Dice similarity), so that entity linking, claimers and stance holders can be compared; an entity of B
  without counterpart is kept apart (``(B) <id>``), never taken for an A entity of the same name.
* Claim clusters: pairwise agreement on "these two claims are in one cluster". Claims of B are identified by
  the claim of A they are paired with (``agreement.pair_annotations``), unpaired ones by themselves; the
  pairs of claims sharing a cluster in A and in B are compared as sets (precision, recall, F1).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from typing import Hashable, Iterable, Mapping

MentionKey = tuple[str, int, int]  # (doc_id, start, end)


@dataclass(frozen=True)
class PartitionScore:
    """Recall, precision and F1 of a response partition against a key partition."""

    recall: float
    precision: float
    f1: float


@dataclass(frozen=True)
class Coreference:
    """The four scores of one comparison, and the sizes of both partitions."""

    muc: PartitionScore
    b_cubed: PartitionScore
    ceaf_e: PartitionScore
    conll_f1: float
    entities_a: int
    mentions_a: int
    entities_b: int
    mentions_b: int


def entity_mentions(sets: Mapping[str, dict]) -> dict[str, frozenset[MentionKey]]:
    """The mentions linked to each entity across the documents of one pass (doc_id -> annotation set)."""
    groups: dict[str, set[MentionKey]] = {}
    for doc_id, data in sets.items():
        for m in data["mentions"]:
            if m.get("entity_id") is not None:
                groups.setdefault(m["entity_id"], set()).add((doc_id, m["start"], m["end"]))
    return {k: frozenset(v) for k, v in groups.items()}


def entity_clusters(sets: Mapping[str, dict]) -> list[frozenset[MentionKey]]:
    """One cluster of mentions per entity id, in the order of the ids."""
    groups = entity_mentions(sets)
    return [groups[k] for k in sorted(groups)]


def entity_alignment(sets_a: Mapping[str, dict], sets_b: Mapping[str, dict]) -> dict[str, str]:
    """B's entity id -> A's entity id, by the CEAF-e alignment of their mention clusters (entities sharing
    no mention are not aligned)."""
    from scipy.optimize import linear_sum_assignment

    ga, gb = entity_mentions(sets_a), entity_mentions(sets_b)
    ids_a, ids_b = sorted(ga), sorted(gb)
    if not ids_a or not ids_b:
        return {}
    dice = [[2 * len(gb[b] & ga[a]) / (len(gb[b]) + len(ga[a])) for a in ids_a] for b in ids_b]
    rows, cols = linear_sum_assignment([[-x for x in row] for row in dice])
    return {ids_b[r]: ids_a[c] for r, c in zip(rows, cols) if dice[r][c] > 0}


def rename_entities(data: dict, mapping: Mapping[str, str], parties: frozenset[str]) -> dict:
    """A copy of an annotation set whose entity ids (mentions, claimers, stance holders) are ``mapping``'s;
    an id without counterpart becomes ``(B) <id>``. ``parties`` (AUTHOR, UNNAMED) are kept."""
    def new(eid):
        return eid if eid is None or eid in parties else mapping.get(eid, f"(B) {eid}")

    return {**data,
            "mentions": [{**m, "entity_id": new(m.get("entity_id"))} for m in data["mentions"]],
            "claims": [{**c, "claimer": new(c["claimer"])} for c in data["claims"]],
            "stances": [{**st, "holder": new(st["holder"])} for st in data["stances"]]}


def _score(metric, key: list[set], response: list[set]) -> PartitionScore:
    recall, precision, f1 = metric(key, response)
    return PartitionScore(float(recall), float(precision), float(f1))


def coreference(key: Iterable[frozenset], response: Iterable[frozenset]) -> Coreference:
    """MUC, B³, CEAF-e and CoNLL F1 (``scorch``) of ``response`` against ``key`` (lists of clusters)."""
    from scorch import scores

    k, r = [set(c) for c in key], [set(c) for c in response]
    muc, b3, ceaf = (_score(m, k, r) for m in (scores.muc, scores.b_cubed, scores.ceaf_e))
    return Coreference(muc, b3, ceaf, float(scores.conll2012(k, r)) if k and r else 0.0,
                       len(k), sum(map(len, k)), len(r), sum(map(len, r)))


def same_cluster_pairs(members: Iterable[tuple[str, Hashable]]) -> set[frozenset]:
    """The unordered pairs of claims that share a cluster, from (cluster_id, claim key) pairs."""
    by_cluster: dict[str, list[Hashable]] = {}
    for cluster_id, key in members:
        by_cluster.setdefault(cluster_id, []).append(key)
    return {frozenset(p) for keys in by_cluster.values() for p in combinations(sorted(set(keys), key=repr), 2)}
