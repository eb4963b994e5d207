"""Pre-annotation of entity mentions for articles without gold: a gazetteer, rules, and optionally spaCy.

Its output is an annotation file with status ``predicted`` — a starting point for an annotator
(for example as Label Studio predictions), never gold.

* **Gazetteer**: surface strings -> (label, entity id), from the knowledge base's aliases or from the
  mentions of gold documents (``gazetteer_from_gold``, used for leave-one-document-out evaluation).
  Longest match first, at word boundaries.
* **Rules** for DATE, MONEY and QUANTITY, with normalised values.
* **spaCy** (optional): the entities of any pipeline the user has installed, mapped to this schema's
  labels; nothing is downloaded.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from .anchor import selector
from ..fileio import text_sha256
from .schema import load_schema

_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_MONTH_ABBR = {m[:3]: i + 1 for i, m in enumerate(_MONTHS)} | {"sept": 9}
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
         r"Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "dozens": 24, "hundreds": 100, "thousands": 1000}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_HEDGES = r"(?:about|around|approximately|roughly|nearly|over|more than|some|up to|almost|at least|an estimated)"
_APPROX = re.compile(r"^(?:about|around|approximately|roughly|nearly|over|more than|some|up to|almost|an estimated)\b", re.I)

DATE_PATTERNS = [
    re.compile(rf"\b(?P<d>\d{{1,2}}) (?P<m>{_MONTH})(?: (?P<y>\d{{4}}))?\b"),
    re.compile(rf"\b(?P<m>{_MONTH}) (?P<d>\d{{1,2}})(?:, (?P<y>\d{{4}}))?\b"),
    re.compile(rf"\b(?:(?:early|late|mid-)\s?)?(?P<m>{_MONTH}) (?P<y>\d{{4}})\b"),
    re.compile(rf"\b(?:in|since|until|by|of|from|early|late) (?P<m>{_MONTH})\b"),
    re.compile(r"\b(?:last|next|this) (?:week|month|year)\b|\b(?:the end of (?:this|the|next) year)\b|"
               r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"),
    re.compile(r"(?<![\d,.$-])\b(?P<y>(?:19|20)\d{2})\b(?![\d,-])"),
]
MONEY = re.compile(
    r"(?:(?P<cur1>\$|€|£|US\$)\s?(?P<n1>\d[\d,]*(?:\.\d+)?)(?:\s(?P<s1>thousand|million|billion|trillion))?)"
    r"|(?:(?P<n2>\d[\d,]*(?:\.\d+)?)\s(?:(?P<s2>thousand|million|billion|trillion)\s)?(?P<cur2>euros?|dollars?|pounds?))"
)
QUANTITY = re.compile(
    rf"(?:(?P<hedge>(?i:{_HEDGES})) )?(?P<n>\d[\d,]*(?:\.\d+)?|(?i:one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|dozens|hundreds|thousands))(?:-strong|-year| (?P<noun>(?:[A-Z][\w-]+ )?(?:[a-z][\w-]*s|personnel|police|staff)\b))"
)
_COUNTABLE_STOP = {"of", "and", "the", "a", "to", "in", "on", "at", "by", "for", "per", "percent", "is", "was"}


def _number(text: str) -> float | None:
    text = text.lower().replace(",", "")
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    try:
        return float(text)
    except ValueError:
        return None


def _month(token: str) -> int:
    token = token.lower().rstrip(".")
    return _MONTHS.index(token) + 1 if token in _MONTHS else _MONTH_ABBR[token[:4] if token.startswith("sept") else token[:3]]


def normalize_date(match: re.Match, doc_date: str | None) -> str | None:
    g = match.groupdict()
    year = int(g["y"]) if g.get("y") else (int(doc_date[:4]) if doc_date else None)
    if g.get("m") and year:
        month = _month(g["m"])
        if g.get("d"):
            try:
                return date(year, month, int(g["d"])).isoformat()
            except ValueError:
                return None
        return f"{year:04d}-{month:02d}"
    if g.get("y") and not g.get("m"):
        return g["y"]
    return None


def _normalized(**values) -> dict[str, Any]:
    return {"iso": None, "number": None, "unit": None, "currency": None, "approximate": False, **values}


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    label: str
    entity_id: str | None
    normalized: dict | None
    source: str


def rule_candidates(text: str, doc_date: str | None = None) -> list[Candidate]:
    out = []
    for m in MONEY.finditer(text):
        number = _number(m.group("n1") or m.group("n2")) or 0.0
        number *= _SCALE.get((m.group("s1") or m.group("s2") or "").lower(), 1)
        cur = (m.group("cur1") or m.group("cur2") or "").lower()
        currency = {"$": "USD", "us$": "USD", "€": "EUR", "£": "GBP"}.get(cur) or (
            "EUR" if cur.startswith("euro") else "USD" if cur.startswith("dollar") else "GBP")
        out.append(Candidate(m.start(), m.end(), "MONEY", None, _normalized(number=number, currency=currency), "rules"))
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            start = m.start("m") if "m" in m.groupdict() and m.group("m") and pattern is DATE_PATTERNS[3] else m.start()
            out.append(Candidate(start, m.end(), "DATE", None, _normalized(iso=normalize_date(m, doc_date)), "rules"))
    for m in QUANTITY.finditer(text):
        noun = m.group("noun")
        if noun and noun.split()[-1].lower() in _COUNTABLE_STOP:
            continue
        number = _number(m.group("n"))
        if number is None or re.fullmatch(r"(?:19|20)\d\d", m.group("n")):  # a year, not a count
            continue
        whole = m.group(0)
        unit = "personnel" if whole.endswith("-strong") else "years" if whole.endswith("-year") else (noun or "")
        approximate = bool(m.group("hedge")) or m.group("n").lower() in ("dozens", "hundreds", "thousands")
        out.append(Candidate(m.start(), m.end(), "QUANTITY", None,
                             _normalized(number=number, unit=unit, approximate=approximate), "rules"))
    return out


def gazetteer_from_kb(kb: list[dict]) -> dict[str, tuple[str, str]]:
    return {alias: (e["label"], e["id"]) for e in kb for alias in e["aliases"]}


def gazetteer_from_gold(annotation_sets: list[dict]) -> dict[str, tuple[str, str]]:
    """Surface string -> its most frequent (label, entity id) in the given gold sets."""
    seen: dict[str, Counter] = {}
    for a in annotation_sets:
        for m in a["mentions"]:
            if m["entity_id"]:
                seen.setdefault(m["exact"], Counter())[(m["label"], m["entity_id"])] += 1
    return {surface: counts.most_common(1)[0][0] for surface, counts in seen.items()}


def gazetteer_candidates(text: str, gazetteer: dict[str, tuple[str, str]]) -> list[Candidate]:
    if not gazetteer:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(s) for s in sorted(gazetteer, key=len, reverse=True)) + r")(?!\w)")
    return [Candidate(m.start(), m.end(), *gazetteer[m.group(0)], None, "gazetteer") for m in pattern.finditer(text)]


SPACY_LABELS = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "LOC": "LOC", "FAC": "LOC", "NORP": "NORP",
                "EVENT": "EVENT", "LAW": "LAW", "DATE": "DATE", "MONEY": "MONEY", "QUANTITY": "QUANTITY",
                "CARDINAL": "QUANTITY"}


def spacy_candidates(nlp, text: str, gazetteer: dict[str, tuple[str, str]] | None = None) -> list[Candidate]:
    """Entities of a spaCy pipeline, mapped to this schema. Entity ids come from the gazetteer when it knows the
    name; otherwise the mention is left unlinked (``entity_id`` null) for the annotator to link."""
    out = []
    for ent in nlp(text).ents:
        label = SPACY_LABELS.get(ent.label_) or (ent.label_ if ent.label_ in load_schema().entity_labels else None)
        if label is None:
            continue
        entity_id = (gazetteer or {}).get(ent.text, (None, None))[1]
        normalized = _normalized() if label in load_schema().normalized_labels else None
        out.append(Candidate(ent.start_char, ent.end_char, label, entity_id, normalized, "spacy"))
    return out


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates: longer before shorter (mentions do not nest), then gazetteer, rules, spaCy."""
    priority = {"gazetteer": 0, "rules": 1, "spacy": 2}
    chosen: list[Candidate] = []
    for c in sorted(candidates, key=lambda c: (-(c.end - c.start), priority[c.source], c.start)):
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


def preannotate(doc_id: str, text: str, gazetteer: dict[str, tuple[str, str]], doc_date: str | None = None,
                nlp=None, created: str | None = None) -> dict:
    candidates = gazetteer_candidates(text, gazetteer) + rule_candidates(text, doc_date)
    source = "gazetteer+rules"
    if nlp is not None:
        candidates += spacy_candidates(nlp, text, gazetteer)
        source += f"+spacy:{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}"
    mentions = [{"id": f"m{i:03d}", "label": c.label, "entity_id": c.entity_id, "normalized": c.normalized,
                 **selector(text, c.start, c.end)} for i, c in enumerate(select(candidates), start=1)]
    return {
        "schema_version": load_schema().version,
        "doc_id": doc_id,
        "text_sha256": text_sha256(text),
        "provenance": {"annotator": f"minusma-corpus preannotate ({source})", "method": "automatic pre-annotation",
                       "tool": "minusma-corpus preannotate", "created": created or date.today().isoformat(),
                       "status": "predicted"},
        "document_stance": None,
        "mentions": mentions,
        "claims": [],
        "stances": [],
    }


def evaluate_leave_one_out(texts: dict[str, str], gold: dict[str, dict], dates: dict[str, str | None],
                           nlp=None) -> dict[str, tuple[int, int, int]]:
    """Per label (and ``ALL``): (true positives, predicted, gold) of exact-span, same-label mentions, each
    document pre-annotated with a gazetteer built from the gold of the *other* documents only."""
    counts: dict[str, list[int]] = {}

    def add(label, tp, pred, true):
        c = counts.setdefault(label, [0, 0, 0])
        c[0] += tp
        c[1] += pred
        c[2] += true

    for doc_id, a in gold.items():
        gazetteer = gazetteer_from_gold([g for d, g in gold.items() if d != doc_id])
        predicted = preannotate(doc_id, texts[doc_id], gazetteer, dates.get(doc_id), nlp=nlp)["mentions"]
        gold_keys = {(m["start"], m["end"], m["label"]) for m in a["mentions"]}
        pred_keys = {(m["start"], m["end"], m["label"]) for m in predicted}
        for label in load_schema().entity_labels:
            g = {k for k in gold_keys if k[2] == label}
            p = {k for k in pred_keys if k[2] == label}
            add(label, len(g & p), len(p), len(g))
        add("ALL", len(gold_keys & pred_keys), len(pred_keys), len(gold_keys))
    return {k: tuple(v) for k, v in counts.items()}


def evaluation_table(counts: dict[str, tuple[int, int, int]]) -> str:
    lines = ["| label | gold | predicted | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|"]
    for label, (tp, pred, true) in counts.items():
        p = tp / pred if pred else 0.0
        r = tp / true if true else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        lines.append(f"| {label} | {true} | {pred} | {p:.3f} | {r:.3f} | {f:.3f} |")
    return "\n".join(lines)
