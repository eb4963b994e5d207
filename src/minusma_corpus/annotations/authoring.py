"""Quote-based authoring drafts -> annotation files.

Annotators who work in a text editor rather than in Label Studio write a *draft*: every span is given
by its quote, never by offsets, and this module places it in the text (or refuses, naming the quote):

* ``{"text": "Diop"}`` — the quote occurs exactly once in the document;
* ``{"text": "Diop", "context": "Before Diop’s comments"}`` — ``context`` occurs once in the document
  and holds ``text`` once;
* ``{"text": "MINUSMA", "occurrence": 3}`` — the third occurrence;
* mentions only: ``{"text": "MINUSMA", "all": true, ...}`` — every occurrence at word boundaries that
  does not overlap a mention placed before it (explicit mentions first, then ``all`` entries from the
  longest quote to the shortest), so "UN Security Council" is one mention, not "UN" + "Security Council".

Draft fields otherwise mirror the annotation file (``label``, ``entity_id``, ``normalized``,
``claimer``, ``cue``, ``claim_type``, ...). Ids are assigned in text order (m001, c001, s001).
"""

from __future__ import annotations

import re
from datetime import date as _date

from ..errors import MinusmaError
from .anchor import AnchorError, selector
from ..fileio import text_sha256
from .schema import load_schema


_SPAN = {"type": "object", "required": ["text"],
         "properties": {"text": {"type": "string"}, "context": {"type": "string"}, "occurrence": {"type": "integer"},
                        "all": {"type": "boolean"}}}
DRAFT_SHAPE = {  # the JSON shape of a draft (the values are checked when the annotation file is made)
    "type": "object", "required": ["doc_id"],
    "properties": {
        "doc_id": {"type": "string"},
        "mentions": {"type": "array", "items": {**_SPAN, "properties": {**_SPAN["properties"], "label": {"type": "string"}}}},
        "claims": {"type": "array", "items": {**_SPAN, "properties": {
            **_SPAN["properties"], "cue": {"anyOf": [{"type": "null"}, _SPAN]},
            "quantity": {"anyOf": [{"type": "null"}, {"type": "object"}]}}}},
        "stances": {"type": "array", "items": {"type": "object", "properties": {
            "evidence": {"type": "array", "items": _SPAN}}}},
        "document_stance": {"anyOf": [{"type": "null"}, {"type": "object"}]},
    },
}


class DraftError(MinusmaError):
    """An authoring draft that cannot become an annotation file."""

    hint = "correct the draft and run `minusma-corpus draft` again"


def _place(text: str, spec: dict, where: str) -> tuple[int, int]:
    quote = spec.get("text")
    if not quote:
        raise DraftError(f"{where}: a span needs 'text'")
    if "context" in spec:
        context = spec["context"]
        starts = [m.start() for m in re.finditer(re.escape(context), text)]
        if len(starts) != 1:
            raise DraftError(f"{where}: context {context[:60]!r} occurs {len(starts)} times in the text (needs 1)")
        inner = [m.start() for m in re.finditer(re.escape(quote), context)]
        if len(inner) != 1:
            raise DraftError(f"{where}: {quote[:40]!r} occurs {len(inner)} times in its context (needs 1)")
        start = starts[0] + inner[0]
        return start, start + len(quote)
    starts = [m.start() for m in re.finditer(re.escape(quote), text)]
    if "occurrence" in spec:
        n = spec["occurrence"]
        if not 1 <= n <= len(starts):
            raise DraftError(f"{where}: {quote[:40]!r} has {len(starts)} occurrences, not {n}")
        return starts[n - 1], starts[n - 1] + len(quote)
    if len(starts) != 1:
        raise DraftError(f"{where}: {quote[:60]!r} occurs {len(starts)} times; give a 'context' or 'occurrence'")
    return starts[0], starts[0] + len(quote)


def _normalized(label: str, value: dict | None) -> dict | None:
    kind = load_schema().normalized_labels.get(label)
    if kind is None:
        return None
    value = value or {}
    return {"iso": value.get("iso"), "number": value.get("number"), "unit": value.get("unit"),
            "currency": value.get("currency"), "approximate": bool(value.get("approximate", False))}


def _word_bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isalnum() and not after.isalnum()


def _mentions(text: str, drafts: list[dict]) -> list[dict]:
    placed: list[tuple[int, int, dict]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= ps or s >= pe for ps, pe, _ in placed)

    explicit = [d for d in drafts if not d.get("all")]
    everywhere = sorted((d for d in drafts if d.get("all")), key=lambda d: -len(d["text"]))
    for i, d in enumerate(explicit):
        s, e = _place(text, d, f"mention {d.get('text')!r}")
        if not free(s, e):
            raise DraftError(f"mention {d['text']!r} at {s}-{e} overlaps another explicit mention")
        placed.append((s, e, d))
    for d in everywhere:
        hits = [(m.start(), m.end()) for m in re.finditer(re.escape(d["text"]), text)]
        hits = [(s, e) for s, e in hits if _word_bounded(text, s, e)]
        if not hits:
            raise DraftError(f"mention {d['text']!r} (all) does not occur in the text")
        placed.extend((s, e, d) for s, e in hits if free(s, e))
    placed.sort(key=lambda p: p[0])
    mentions = []
    for n, (s, e, d) in enumerate(placed, start=1):
        label = d["label"]
        linked = label in load_schema().linked_labels
        mentions.append({"id": f"m{n:03d}", "label": label, "entity_id": d.get("entity_id") if linked else None,
                         "normalized": _normalized(label, d.get("normalized")), **selector(text, s, e)})
    return mentions


def _span(text: str, spec: dict, where: str) -> dict:
    s, e = _place(text, spec, where)
    return selector(text, s, e)


def from_draft(draft: dict, text: str, annotator: str, method: str, status: str = "gold",
               created: str | None = None) -> dict:
    """An annotation file (dict) from a draft; raises ``DraftError`` naming the span it cannot place."""
    schema = load_schema()
    try:
        mentions = _mentions(text, draft.get("mentions", []))
        claims = []
        for d in draft.get("claims", []):
            where = f"claim {d.get('text', '')[:50]!r}"
            span = _span(text, d, where)
            quantity = d.get("quantity")
            claims.append({
                "id": "", **span,
                "claimer": d["claimer"], "claimer_text": d.get("claimer_text"),
                "cue": _span(text, d["cue"], f"{where} cue") if d.get("cue") else None,
                "claim_type": d["claim_type"], "checkworthy": bool(d["checkworthy"]),
                "quantity": None if quantity is None else {
                    "number": quantity["number"], "unit": quantity["unit"],
                    "approximate": bool(quantity.get("approximate", False)), "property": quantity["property"]},
                "cluster_id": d.get("cluster_id"), "cluster_relation": d.get("cluster_relation"),
                **({k: d.get(k) for k in ("cluster_value", "cluster_scope", "relation_justification", "legacy_relation")}
                   if schema.has_cluster_values else {}),
            })
        claims.sort(key=lambda c: (c["start"], c["end"]))
        for n, c in enumerate(claims, start=1):
            c["id"] = f"c{n:03d}"
        stances = []
        for n, d in enumerate(draft.get("stances", []), start=1):
            where = f"stance {n} ({d.get('holder')} -> {d.get('target')})"
            stances.append({
                "id": f"s{n:03d}", "holder": d["holder"], "holder_text": d.get("holder_text"),
                "target": d["target"], "polarity": d["polarity"],
                "evidence": [_span(text, ev, f"{where} evidence") for ev in d["evidence"]],
            })
    except (KeyError, AnchorError) as e:
        raise DraftError(f"document {draft.get('doc_id')}: {e}") from None
    except DraftError as e:
        raise DraftError(f"document {draft.get('doc_id')}: {e}") from None
    return {
        "schema_version": schema.version,
        "doc_id": draft["doc_id"],
        "text_sha256": text_sha256(text),
        "provenance": {"annotator": annotator, "method": method, "tool": "minusma-corpus draft import",
                       "created": created or _date.today().isoformat(), "status": status},
        "document_stance": draft.get("document_stance"),
        "mentions": mentions,
        "claims": claims,
        "stances": stances,
    }
