"""The annotations of a page: one set, or two sets compared (paired by ``agreement.pair_annotations``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..annotations.agreement import pair_annotations, same_span
from .fmt import mark_key


def _spans(items) -> list[tuple[int, int]]:
    return [(x["start"], x["end"]) for x in items]


def _claim_differences(x: dict, y: dict) -> list[str]:
    differences = [] if same_span(x, y) else ["span"]
    differences += [k for k in ("claimer", "claimer_text", "claim_type", "checkworthy", "cluster_id",
                                "cluster_relation", "quantity") if x.get(k) != y.get(k)]
    if (x["cue"] or {}).get("start") != (y["cue"] or {}).get("start") or \
            (x["cue"] or {}).get("end") != (y["cue"] or {}).get("end"):
        differences.append("cue")
    return differences


# what the explorer names as differing, per layer, between two paired annotations
_DIFFERENCES = {
    "mentions": lambda x, y: [k for k in ("label", "entity_id", "normalized") if x[k] != y[k]],
    "claims": _claim_differences,
    "stances": lambda x, y: [k for k in ("polarity",) if x[k] != y[k]]
    + (["evidence"] if _spans(x["evidence"]) != _spans(y["evidence"]) else []),
}


@dataclass(frozen=True)
class Item:
    """One annotation (mention, claim or stance) as shown, with its diff status in a comparison."""

    layer: str  # mention | claim | stance
    data: dict = field(hash=False)
    key: str = ""
    side: str = ""  # "" (one set), "a" or "b"
    status: str = ""  # diff only: match | changed | only-a | only-b
    partner: str | None = None  # diff only: key of the paired annotation of the other set
    note: str = ""  # diff only: what differs


def single_items(annotation: dict | None) -> list[Item]:
    if not annotation:
        return []
    return [Item(layer[:-1], x, mark_key("", x["id"])) for layer in ("mentions", "claims", "stances")
            for x in annotation[layer]]


def diff_items(a: dict | None, b: dict | None) -> list[Item]:
    """The annotations of two sets of one document, paired as ``agreement --diff`` pairs them
    (``pair_annotations``: mentions by exact span, claims by overlap, stances by holder and target)."""
    a = a or {"mentions": [], "claims": [], "stances": []}
    b = b or {"mentions": [], "claims": [], "stances": []}
    info: dict[tuple[str, int], tuple[str, str, str]] = {}
    for layer, pairs in pair_annotations(a, b).items():
        for x, y in pairs:
            differences = _DIFFERENCES[layer](x, y)
            status, note = ("changed" if differences else "match"), "; ".join(differences)
            info[("a", id(x))] = (status, mark_key("b", y["id"]), note)
            info[("b", id(y))] = (status, mark_key("a", x["id"]), note)
    out = []
    for side, data in (("a", a), ("b", b)):
        for layer in ("mentions", "claims", "stances"):
            for x in data[layer]:
                status, partner, note = info.get((side, id(x)), (f"only-{side}", None, ""))
                out.append(Item(layer[:-1], x, mark_key(side, x["id"]), side, status, partner, note))
    return out
