"""Import: a Label Studio JSON export -> annotation sets (all or nothing), and writing them as files."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..annotations.fileformat import AnnotationError, check, dumps_annotation, schema_problems
from ..annotations.anchor import fits, selector
from ..annotations.schema import Schema, load_schema
from ..errors import InputFileError, loads
from ..fileio import text_sha256
from ..progress import progress
from ..safepath import UnsafePathError, file_name, inside, locked_staging, remove_abandoned
from .config import schema_choices
from .export import content_sha256
from .spec import (ALL_FIELDS, CLAIM, CLAIM_FIELDS, CLUSTER_MEMBER_FIELDS, CUE, DOCUMENT_TARGET, EVIDENCE, FIELD_KIND, FORMAT, LABEL_CONTROLS,
                   MENTION, MENTION_FIELDS, OUR_ID, TEXT, YES_NO, LabelStudioError, LSProblem)


@dataclass
class ImportedSet:
    doc_id: str
    task: Any
    source: str  # "annotation" or "prediction"
    source_id: Any
    name: str  # who: annotator e-mail, or model_version
    data: dict  # the annotation file's content

    @property
    def slug(self) -> str:
        return slugify(self.name if self.source == "annotation" else f"prediction-{self.name}")


@dataclass
class ImportReport:
    sets: list[ImportedSet] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # cancelled annotations, drafts, tasks without annotations
    invalid: list[LSProblem] = field(default_factory=list)  # with ``skip_invalid``: the problems of the sets left out

    def summary(self) -> str:
        docs = len({s.doc_id for s in self.sets})
        lines = [f"{len(self.sets)} annotation sets of {docs} documents"]
        lines += [f"  skipped: {x}" for x in self.skipped]
        return "\n".join(lines)

    def invalid_by_document(self) -> dict[str, list[str]]:
        """The problems of the sets left out (``skip_invalid``), by document (``?`` when the task has none)."""
        out: dict[str, list[str]] = {}
        for p in self.invalid:
            out.setdefault(str(p.doc_id) if p.doc_id is not None else "?", []).append(str(p))
        return out


def slugify(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60].strip("-")
    return slug or "unnamed"


def _who(annotation: dict) -> str:
    user = annotation.get("completed_by")
    if isinstance(user, dict):
        return user.get("email") or f"user {user.get('id')}"
    return f"user {user}" if user is not None else "unknown annotator"


def _day(stamp: Any) -> str:
    if isinstance(stamp, str) and re.match(r"^\d{4}-\d{2}-\d{2}", stamp):
        return stamp[:10]
    return date.today().isoformat()


class _Where:
    """Collects problems of one annotation (or one task)."""

    def __init__(self, problems: list[LSProblem], task: Any, doc_id: str | None, annotation: Any = None):
        self.problems, self.task, self.doc_id, self.annotation = problems, task, doc_id, annotation
        self.count = 0

    def __call__(self, region: str | None, message: str) -> None:
        self.count += 1
        self.problems.append(LSProblem(self.task, self.doc_id, self.annotation, region, message))


@dataclass
class _Region:
    rid: str
    kind: str
    label: str
    span: dict
    fields: dict[str, Any] = field(default_factory=dict)


def _parse_field(name: str, how: str, value: dict, where: _Where, rid: str, allowed: dict[str, list[str]]) -> Any:
    if how.startswith("choices:"):
        got = value.get("choices")
        options = allowed[how.split(":", 1)[1]]
        if not isinstance(got, list) or len(got) != 1:
            return where(rid, f"{name}: expected one choice of {options}, got {got!r}")
        if got[0] not in options:
            return where(rid, f"{name}: unknown choice {got[0]!r} (schema choices: {', '.join(options)})")
        return YES_NO[got[0]] if options == list(YES_NO) else got[0]
    got = value.get("text")
    if isinstance(got, str):
        got = [got]
    if not isinstance(got, list) or len(got) > 1 or not all(isinstance(x, str) for x in got):
        return where(rid, f"{name}: expected one text, got {got!r}")
    if not got:
        return None
    if how == "json":
        try:
            obj = loads(got[0], None)
        except InputFileError as e:
            return where(rid, f"{name}: {got[0][:60]!r} is {e.reason.replace('valid JSON', 'JSON')}; write a JSON object, e.g. "
                              '{"type": "count", "number": 15000, "unit": "persons", "bound": "exact"}')
        if not isinstance(obj, dict):
            return where(rid, f"{name}: {got[0][:60]!r} is not a JSON object")
        return obj
    if how == "number":
        try:
            number = loads(got[0], None)
        except InputFileError:
            number = None
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            return where(rid, f"{name}: {got[0]!r} is not a number (write it as JSON: 13000, 1.2)")
        return number
    return got[0]


@dataclass
class _Result:
    """The parts of one ``result`` list: labelled regions (in order), per-region fields, relations."""

    regions: dict[str, _Region] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    attributes: list[tuple[str, str, dict]] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    document_stance: dict | None = None


@dataclass
class _Links:
    """What the relations say: claim -> claimer mention, claim -> cue, stance head -> further evidence."""

    heads: set[str]
    claimer: dict[str, _Region] = field(default_factory=dict)
    cue: dict[str, _Region] = field(default_factory=dict)
    cue_linked: set[str] = field(default_factory=set)
    members: dict[str, list[str]] = field(default_factory=dict)
    member_of: dict[str, str] = field(default_factory=dict)


def parse_result(result: list[dict], text: str, where: _Where, schema: Schema | None = None) -> dict:
    """The content (mentions, claims, stances, document_stance) of one Label Studio ``result`` list.
    Problems go to ``where``; the returned content is only meaningful if there were none.

    In five steps: regions -> their fields -> relations -> stable ids -> annotation items."""
    s = schema or load_schema()
    if not isinstance(result, list):
        where(None, f"result is not a list: {type(result).__name__}")
        return {"mentions": [], "claims": [], "stances": [], "document_stance": None}
    parts = _read_regions(result, text, where, s)
    _read_fields(parts, where, schema_choices(s))
    links = _read_relations(parts, where)
    ids = _stable_ids(parts, links.heads)
    return _items(parts, links, ids, where, s)


def _read_regions(result: list, text: str, where: _Where, s: Schema) -> _Result:
    """Sort the results: labelled regions (checked against the text), fields, relations, document stance."""
    labels_of = {MENTION: list(s.entity_labels), **{k: [v] for k, v in LABEL_CONTROLS.items()}}
    parts = _Result()
    for item in result:
        if not isinstance(item, dict):
            where(None, f"result item is not an object: {item!r:.60}")
            continue
        if item.get("type") == "relation":
            parts.relations.append(item)
            continue
        rid, control, value = item.get("id"), item.get("from_name"), item.get("value")
        rid = str(rid) if rid is not None else None
        if not isinstance(control, str):
            where(rid, f"result item has no from_name string (got {control!r:.60})")
        elif not isinstance(value, dict):
            where(rid, f"result of {control!r} has no value object")
        elif control == "document_stance":
            _read_document_stance(parts, rid, value, where, s)
        elif control in labels_of:
            _read_region(parts, item, rid, control, value, labels_of[control], text, where, s)
        elif control in CLUSTER_MEMBER_FIELDS and not s.has_cluster_values:
            where(rid, f"{control} is a field of schema 2.0.0 (cluster values); this package has schema {s.version}")
        elif control in ALL_FIELDS:
            parts.attributes.append((rid, control, value))
        else:
            where(rid, f"unknown control {control!r} (not in the labeling config of schema {s.version})")
    return parts


def _read_document_stance(parts: _Result, rid: str | None, value: dict, where: _Where, s: Schema) -> None:
    got = value.get("choices")
    if not isinstance(got, list) or len(got) != 1 or not isinstance(got[0], str) or got[0] not in s.stance_polarities:
        where(rid, f"document_stance: expected one of {list(s.stance_polarities)}, got {got!r}")
    elif parts.document_stance is not None:
        where(rid, "more than one document_stance")
    else:
        parts.document_stance = {"target": DOCUMENT_TARGET, "polarity": got[0]}


def _read_region(parts: _Result, item: dict, rid: str | None, control: str, value: dict, labels: list[str],
                 text: str, where: _Where, s: Schema) -> None:
    if item.get("to_name", TEXT) != TEXT:
        return where(rid, f"region of {control!r} is on {item.get('to_name')!r}, not on {TEXT!r}")
    got = value.get("labels")
    if not isinstance(got, list) or len(got) != 1 or not isinstance(got[0], str):
        return where(rid, f"{control}: expected exactly one label, got {got!r}")
    if got[0] not in labels:
        return where(rid, f"unknown label {got[0]!r} in {control!r} (schema {s.version} labels: {', '.join(labels)})")
    start, end, quote = value.get("start"), value.get("end"), value.get("text")
    if not fits(text, start, end):
        return where(rid, f"span {start}-{end} is outside the text (length {len(text)}) or empty")
    if quote != text[start:end]:
        return where(rid, f"region text {str(quote)[:50]!r} differs from the text at {start}-{end}: "
                          f"{text[start:end][:50]!r}")
    if rid is None:
        return where(rid, f"region of {control!r} without an id")
    if rid in parts.regions:
        other = parts.regions[rid]
        return where(rid, f"region has two labels ({other.kind} {other.label} and {control} {got[0]})")
    parts.regions[rid] = _Region(rid, control, got[0], selector(text, start, end))
    parts.order.append(rid)


def _read_fields(parts: _Result, where: _Where, allowed: dict[str, list[str]]) -> None:
    """Attach every per-region field to its region."""
    for rid, control, value in parts.attributes:
        region = parts.regions.get(rid)
        if region is None:
            where(rid, f"{control}: a per-region field of a region that has no label")
            continue
        if FIELD_KIND[control] != region.kind:
            where(rid, f"{control} is a field of {FIELD_KIND[control]} regions, not of a {region.kind} region")
            continue
        if ("start" in value or "end" in value) and (value.get("start"), value.get("end")) != (
                region.span["start"], region.span["end"]):
            where(rid, f"{control}: its offsets {value.get('start')}-{value.get('end')} differ from the region's "
                       f"{region.span['start']}-{region.span['end']}")
            continue
        if control in region.fields:
            where(rid, f"{control} given twice")
            continue
        parsed = _parse_field(control, ALL_FIELDS[control], value, where, rid, allowed)
        if parsed is not None:
            region.fields[control] = parsed


_RELATION_KINDS = {frozenset({CLAIM, MENTION}): "claimer", frozenset({CLAIM, CUE}): "cue", frozenset({EVIDENCE}): "evidence"}


def _read_relations(parts: _Result, where: _Where) -> _Links:
    """Relations are recognised by the kinds of the regions they join, whatever their direction."""
    regions = parts.regions
    links = _Links({rid for rid, r in regions.items() if r.kind == EVIDENCE and r.fields})
    for rel in parts.relations:
        a, b = regions.get(str(rel.get("from_id"))), regions.get(str(rel.get("to_id")))
        name = f"relation {rel.get('from_id')} -> {rel.get('to_id')}"
        if a is None or b is None:
            where(name, "relation to a region that is not in the annotation")
            continue
        kind = _RELATION_KINDS.get(frozenset({a.kind, b.kind}))
        given = rel.get("labels") or []
        if kind is None:
            where(name, f"a relation cannot join a {a.kind} and a {b.kind} region")
            continue
        if given and given != [kind]:
            where(name, f"relation labelled {given} joins a {a.kind} and a {b.kind} region: it must be '{kind}'")
            continue
        if kind == "claimer":
            claim, mention = (a, b) if a.kind == CLAIM else (b, a)
            if claim.rid in links.claimer:
                where(claim.rid, "more than one claimer relation")
            links.claimer[claim.rid] = mention
        elif kind == "cue":
            claim, cue = (a, b) if a.kind == CLAIM else (b, a)
            if claim.rid in links.cue:
                where(claim.rid, "more than one cue relation")
            links.cue[claim.rid] = cue
            links.cue_linked.add(cue.rid)
        else:
            _link_evidence(links, a, b, name, where)
    return links


def _link_evidence(links: _Links, a: _Region, b: _Region, name: str, where: _Where) -> None:
    if (a.rid in links.heads) == (b.rid in links.heads):
        return where(name, "an evidence relation joins a stance's first evidence region (the one with holder, "
                           "target and polarity) to a further evidence region; here "
                     + ("both have stance fields" if a.rid in links.heads else "neither has stance fields"))
    head, member = (a, b) if a.rid in links.heads else (b, a)
    if member.rid in links.member_of:
        return where(member.rid, f"evidence region linked to two stances ({links.member_of[member.rid]} and {head.rid})")
    links.member_of[member.rid] = head.rid
    links.members.setdefault(head.rid, []).append(member.rid)


_PREFIX = {MENTION: "m", CLAIM: "c", EVIDENCE: "s"}


def _stable_ids(parts: _Result, heads: set[str]) -> dict[str, str]:
    """A region id of our form keeps its id, any other gets the next free number of its layer."""
    regions = parts.regions
    items = [rid for rid in parts.order
             if regions[rid].kind in _PREFIX and (regions[rid].kind != EVIDENCE or rid in heads)]
    used: set[str] = set()
    new: dict[str, str] = {}
    for rid in items:
        m = OUR_ID[regions[rid].kind].match(rid)
        if m and f"{_PREFIX[regions[rid].kind]}{m.group(1)}" not in used:
            new[rid] = f"{_PREFIX[regions[rid].kind]}{m.group(1)}"
            used.add(new[rid])
    counters = {p: max((int(x[1:]) for x in used if x[0] == p), default=0) for p in _PREFIX.values()}
    for rid in items:
        if rid not in new:
            p = _PREFIX[regions[rid].kind]
            counters[p] += 1
            new[rid] = f"{p}{counters[p]:03d}"
    return new


def _items(parts: _Result, links: _Links, new: dict[str, str], where: _Where, s: Schema) -> dict:
    """The annotation items, in the order of their first region."""
    mentions, claims, stances = [], [], []
    for rid in parts.order:
        r = parts.regions[rid]
        if r.kind == MENTION:
            mentions.append(_mention(r, new[rid]))
        elif r.kind == CLAIM:
            claims.append(_claim(r, new[rid], links, where, s))
        elif r.kind == CUE:
            if rid not in links.cue_linked:
                where(rid, "cue region not linked to a claim by a 'cue' relation")
        elif r.kind == EVIDENCE:
            if rid in links.heads:
                stances.append(_stance(r, new[rid], links, parts.regions, where))
            elif rid not in links.member_of:
                where(rid, "evidence region belongs to no stance: give it holder, stance_target and polarity, or link "
                           "it from its stance's first evidence region by an 'evidence' relation")
    return {"document_stance": parts.document_stance, "mentions": mentions, "claims": claims, "stances": stances}


def _mention(r: _Region, new_id: str) -> dict:
    f = r.fields
    normalized = None
    if any(k in f for k in MENTION_FIELDS if k.startswith("norm_")):
        normalized = {"iso": f.get("norm_iso"), "number": f.get("norm_number"), "unit": f.get("norm_unit"),
                      "currency": f.get("norm_currency"), "approximate": f.get("norm_approximate", False)}
    return {"id": new_id, "label": r.label, "entity_id": f.get("entity_id"), "normalized": normalized, **r.span}


def _claim(r: _Region, new_id: str, links: _Links, where: _Where, s: Schema) -> dict:
    rid, f = r.rid, r.fields
    for required in ("claim_type", "checkworthy"):
        if required not in f:
            where(rid, f"claim without {required}")
    claimer = f.get("claimer")
    if rid in links.claimer:
        mention = links.claimer[rid]
        linked = mention.fields.get("entity_id")
        if linked is None:
            where(rid, f"the claimer relation points to mention {mention.rid}, which has no entity_id")
        elif claimer is not None and claimer != linked:
            where(rid, f"claimer {claimer!r} differs from the entity {linked!r} of the mention "
                       f"{mention.rid} its claimer relation points to")
        claimer = claimer if claimer is not None else linked
    if claimer is None:
        parties = sorted({s.author_holder, s.unnamed_holder})
        where(rid, f"claim without claimer (an entity id, {' or '.join(parties)}, or a claimer relation to a mention)")
    quantity = None
    if any(k in f for k in CLAIM_FIELDS if k.startswith("quantity_")):
        missing = [k for k in ("quantity_number", "quantity_unit", "quantity_property") if k not in f]
        if missing:
            where(rid, f"quantity without {', '.join(missing)}")
        quantity = {"number": f.get("quantity_number"), "unit": f.get("quantity_unit"),
                    "approximate": f.get("quantity_approximate", False), "property": f.get("quantity_property")}
    cue = links.cue[rid].span if rid in links.cue else None
    return {"id": new_id, **r.span, "claimer": claimer, "claimer_text": f.get("claimer_text"),
            "cue": dict(cue) if cue else None, "claim_type": f.get("claim_type"),
            "checkworthy": f.get("checkworthy"), "quantity": quantity,
            "cluster_id": f.get("cluster_id"), "cluster_relation": f.get("cluster_relation"),
            **({k: f.get(k) for k in CLUSTER_MEMBER_FIELDS} if s.has_cluster_values else {})}


def _stance(r: _Region, new_id: str, links: _Links, regions: dict[str, _Region], where: _Where) -> dict:
    f = r.fields
    for required in ("holder", "stance_target", "polarity"):
        if required not in f:
            where(r.rid, f"stance without {required}")
    evidence = [r.span] + [regions[m].span for m in links.members.get(r.rid, [])]
    return {"id": new_id, "holder": f.get("holder"), "holder_text": f.get("holder_text"),
            "target": f.get("stance_target"), "polarity": f.get("polarity"),
            "evidence": [dict(e) for e in evidence]}


def _annotation_label(kind: str, item: dict) -> str:
    if kind == "annotation":
        return f"annotation {item.get('id', '?')} ({_who(item)})"
    return f"prediction {item.get('id', '?')} ({item.get('model_version')})"


def import_tasks(tasks: list[dict], texts: dict[str, str], *, predictions: bool = False,
                 kb: list[dict] | None = None, clusters: list[dict] | None = None, schema: Schema | None = None,
                 status: str | None = None, tool: str = "Label Studio (minusma-corpus ls import)",
                 skip_invalid: bool = False) -> ImportReport:
    """Annotation sets of a Label Studio JSON export (a list of tasks).

    ``texts``: the cleaned text of every document (a task of another document is an error).
    ``predictions``: also import the tasks' predictions (otherwise only the annotators' annotations).
    ``kb``/``clusters``: when given, every set is also checked against them (``annotations.check``).
    ``status``: force the provenance status (e.g. ``gold`` for an adjudication). A new annotation is one
    annotator's ``pass`` (an adjudication task's is ``gold``), a changed prediction is ``predicted``.
    Raises ``LabelStudioError`` with every problem found; returns the sets and what was skipped. With
    ``skip_invalid``, returns the valid sets and the problems of the others in ``report.invalid``.
    """
    s = schema or load_schema()
    problems: list[LSProblem] = []
    report = ImportReport()
    if not isinstance(tasks, list):
        raise LabelStudioError("a Label Studio JSON export is a list of tasks")
    for index, task in enumerate(progress(tasks, "importing tasks", unit="task")):
        tid = task.get("id", f"#{index}") if isinstance(task, dict) else f"#{index}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            problems.append(LSProblem(tid, None, None, None, "task has no data object"))
            continue
        doc_id = data.get("doc_id")
        if not isinstance(doc_id, str):
            problems.append(LSProblem(tid, None, None, None, f"task data has no doc_id string (got {doc_id!r})"))
            continue
        where = _Where(problems, tid, doc_id)
        if doc_id not in texts:
            where(None, f"unknown task: document {doc_id!r} is not in the corpus")
            continue
        if data.get("schema_version") != s.version:
            where(None, f"schema version mismatch: the task was exported with schema {data.get('schema_version')!r}, "
                        f"this package has {s.version} (re-export the tasks, or migrate)")
            continue
        meta = data.get("minusma") if isinstance(data.get("minusma"), dict) else {}
        if meta.get("format", FORMAT) != FORMAT:
            where(None, f"task made with Label Studio mapping {meta.get('format')!r}, this package reads {FORMAT}")
            continue
        text = texts[doc_id]
        if data.get(TEXT) != text:
            where(None, "the task's text differs from the document's cleaned text (the corpus changed since the "
                        "export: re-export, or import against the old text and run `minusma-corpus reanchor`)")
            continue
        lists = {key: task.get(key) or [] for key in ("annotations", "predictions", "drafts")}
        if bad := [key for key, value in lists.items() if not isinstance(value, list)]:
            where(None, f"{', '.join(bad)} must be a list (export the project as JSON)")
            continue
        exported = meta.get("exported", [])
        known = {r.get("content_sha256"): r.get("provenance") for r in exported if isinstance(r, dict)
                 and isinstance(r.get("content_sha256"), str)} if isinstance(exported, list) else {}
        adjudication = meta.get("adjudication") if isinstance(meta.get("adjudication"), dict) else None
        items = [("annotation", a) for a in lists["annotations"]]
        if predictions:
            items += [("prediction", p) for p in lists["predictions"]]
        for draft in lists["drafts"]:
            who = draft.get("user") if isinstance(draft, dict) else None
            draft_id = draft.get("id", "?") if isinstance(draft, dict) else draft
            report.skipped.append(f"task {tid} (document {doc_id}): draft {draft_id}{f' by {who}' if who else ''} "
                                  "(not submitted)")
        imported_here = 0
        for kind, item in items:
            if not isinstance(item, dict):
                where(None, f"{kind} {item!r} is an id, not an object: export with full {kind}s "
                            "(`ls pull` does; in the UI: export snapshot with predictions)")
                continue
            label = _annotation_label(kind, item)
            if kind == "annotation" and item.get("was_cancelled"):
                report.skipped.append(f"task {tid} (document {doc_id}): {label} was cancelled (skipped)")
                continue
            w = _Where(problems, tid, doc_id, label)
            content = parse_result(item.get("result"), text, w, s)
            if w.count:
                continue
            out = {"schema_version": s.version, "doc_id": doc_id, "text_sha256": text_sha256(text),
                   "provenance": None, **content}
            out = {k: out[k] for k in ("schema_version", "doc_id", "text_sha256", "provenance", "document_stance",
                                       "mentions", "claims", "stances")}
            name = _who(item) if kind == "annotation" else str(item.get("model_version") or "unknown model")
            provenance = known.get(content_sha256(out))
            if adjudication:
                provenance = {"annotator": name, "method": "adjudication in Label Studio of the annotation sets of "
                              + ", ".join(adjudication.get("annotators", [])), "tool": tool,
                              "created": _day(item.get("updated_at") or item.get("created_at")), "status": "gold"}
            elif provenance is None:
                provenance = {"annotator": name,
                              "method": ("annotation in Label Studio" if kind == "annotation" else
                                         "pre-annotation shown in Label Studio")
                              + f" (task {tid}, {kind} {item.get('id', '?')})",
                              "tool": tool, "created": _day(item.get("updated_at") or item.get("created_at")),
                              "status": "pass" if kind == "annotation" else "predicted"}
            else:
                provenance = dict(provenance)
            if status:
                provenance["status"] = status
            out["provenance"] = provenance
            for p in schema_problems(out, f"task {tid}", s):
                w(p.annotation_id, p.message)
            if kb is not None and clusters is not None and not w.count:
                for p in check(out, text, kb, clusters, f"task {tid}", s):
                    w(p.annotation_id, p.message)
            if w.count:
                continue
            report.sets.append(ImportedSet(doc_id, tid, kind, item.get("id"), name, out))
            imported_here += 1
        if not imported_here and not any(p.task == tid for p in problems):
            report.skipped.append(f"task {tid} (document {doc_id}): no submitted annotation")
    if problems and not skip_invalid:
        raise LabelStudioError(problems)
    report.invalid = problems
    return report


def as_passes(report: ImportReport) -> ImportReport:
    """The annotators' sets stamped as their passes: annotator = who submitted it, status ``pass`` (one
    annotator's work is never ``gold`` before adjudication), also when a pre-annotation was submitted
    unchanged (its method then says so). Predictions are left as they are."""
    sets = []
    for s in report.sets:
        p = dict(s.data["provenance"])
        if s.source == "annotation" and (p.get("status"), p.get("annotator")) != ("pass", s.name):
            if p.get("annotator") != s.name:
                p["method"] = f"submitted in Label Studio by {s.name} as pre-annotated ({p.get('annotator')}: " \
                              f"{p.get('method')})"
            p.update(annotator=s.name, status="pass")
        sets.append(ImportedSet(s.doc_id, s.task, s.source, s.source_id, s.name, {**s.data, "provenance": p}))
    return ImportReport(sets, list(report.skipped), list(report.invalid))


def arrange(report: ImportReport, layout: str = "per-annotator") -> dict[Path, dict]:
    """Relative file paths of the imported sets: ``<annotator>/<doc_id>.json`` (``per-annotator``) or
    ``<doc_id>.json`` (``flat``: one set per document, else an error)."""
    files: dict[Path, dict] = {}
    problems = []
    for s in report.sets:
        where = f"{s.source} {s.source_id} ({s.name})"
        try:  # ids from the export become file names: never a path of their own
            file_name(s.doc_id, "document id")
            source_id = file_name(str(s.source_id), f"{s.source} id")
        except UnsafePathError as e:
            problems.append(LSProblem(s.task, None, where, None, f"{e}; nothing was written"))
            continue
        if layout == "flat":
            path = Path(f"{s.doc_id}.json")
        elif layout == "per-annotator":
            path = Path(s.slug) / f"{s.doc_id}.json"
        else:
            raise ValueError(f"layout must be 'per-annotator' or 'flat', not {layout!r}")
        if path in files:
            if layout == "flat":
                problems.append(LSProblem(s.task, s.doc_id, where, None,
                                          "more than one annotation set for this document; a flat import takes one "
                                          "(use the per-annotator layout, or delete the others)"))
                continue
            path = Path(f"{s.slug}-{s.source}-{source_id}") / f"{s.doc_id}.json"
        files[path] = s.data
    if problems:
        raise LabelStudioError(problems)
    return files


STAGING_PREFIX = ".ls-import-"  # the hidden staging directory of write_sets, inside the output directory


def write_sets(files: dict[Path, dict], out_dir: Path, *, validated: bool = False) -> list[Path]:
    """Write the files of ``arrange`` under ``out_dir``, all or nothing: every path is checked to stay
    inside ``out_dir`` and every file validated (unless ``validated``: ``import_tasks`` validated every
    set it returned) and staged in a temporary directory first; then they are moved into place, and if
    one move fails the ones already made are undone (replaced files restored).

    The staging directory (``out_dir/.ls-import-XXXX``) is marked and locked while this runs; if the
    process is killed, :func:`remove_stale_staging` removes it on the next run."""
    targets = {rel: inside(out_dir, rel, "annotation file") for rel in files}
    problems = []
    for rel, data in files.items() if not validated else ():
        problems += schema_problems(data, str(targets[rel]))
    if problems:
        raise AnnotationError(problems)
    created = [d for d in (out_dir, *out_dir.parents) if not d.exists()]  # removed again if the import fails
    out_dir.mkdir(parents=True, exist_ok=True)
    done: list[tuple[Path, Path | None]] = []  # (target, where its previous version waits)
    made_dirs: list[Path] = []
    try:
        with locked_staging(out_dir, STAGING_PREFIX) as staging:
            try:
                _move_into_place(files, targets, out_dir, staging, done, made_dirs)
            except BaseException:
                for target, backup in reversed(done):
                    with contextlib.suppress(OSError):  # (the failed move may have left nothing to undo)
                        if backup is not None:
                            os.replace(backup, target)
                        else:
                            target.unlink(missing_ok=True)
                for d in reversed(made_dirs):
                    with contextlib.suppress(OSError):
                        d.rmdir()
                raise
    except BaseException:
        _remove_empty(created)
        raise
    return [target for target, _ in done]


def _move_into_place(files: dict[Path, dict], targets: dict[Path, Path], out_dir: Path, staging: Path,
                     done: list[tuple[Path, Path | None]], made_dirs: list[Path]) -> None:
    """Stage every file, then move each into place, recording in ``done`` and ``made_dirs`` what to undo."""
    for rel, data in files.items():
        (staging / rel).parent.mkdir(parents=True, exist_ok=True)
        (staging / rel).write_text(dumps_annotation(data), encoding="utf-8")
    for rel, target in targets.items():
        for parent in reversed(target.relative_to(out_dir).parents[:-1]):
            if not (out_dir / parent).exists():
                (out_dir / parent).mkdir()
                made_dirs.append(out_dir / parent)
        backup = None
        if target.exists():  # a second name for the previous version: the target is never missing, even
            backup = staging / ".previous" / rel  # if the process is killed between two steps
            backup.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(target, backup)
            except OSError:
                shutil.copy2(target, backup)
        done.append((target, backup))
        os.replace(staging / rel, target)


def remove_stale_staging(out_dir: Path) -> list[str]:
    """Remove the staging directories that imports into ``out_dir`` killed before they finished left there
    (marked as ours, and no longer in use by a live import); returns warnings about look-alikes, kept."""
    return remove_abandoned(Path(out_dir), STAGING_PREFIX)


def _remove_empty(directories: list[Path]) -> None:
    """Remove the directories a failed import created (deepest first), if they are still empty."""
    for d in directories:
        with contextlib.suppress(OSError):
            d.rmdir()
