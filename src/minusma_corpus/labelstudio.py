"""Label Studio round trips: labeling config, export of documents as tasks, import of Label Studio exports.

Everything here is a pure function over dicts (a Label Studio task is the JSON that Label Studio imports
and exports), except the few functions at the end that talk to a server (``connect``, ``push``,
``pull_export``) and ``write_sets``, which writes annotation files.

How an annotation file maps onto one Label Studio annotation (or prediction) — lossless both ways
=========================================================================================================

The labeling config is generated from ``schema/schema.yaml`` (``label_config``). Every span is a region
of the ``<Text name="text">`` object; Label Studio's ``start``/``end`` of a Text region are Python code
points into the task's ``text``, exactly our offsets (tested against a real server with characters
outside the Basic Multilingual Plane, combining accents and ``\\r\\n``). A region's id is our stable id.

* **Mention** ``m001``: a region of the ``mention`` Labels (one label per entity label of the schema).
  Per-region fields (``perRegion="true"``): ``entity_id`` (TextArea, absent = ``null``); the normalised
  value as ``norm_iso``, ``norm_number``, ``norm_unit``, ``norm_currency`` (TextAreas, absent = ``null``;
  the number is written and read as JSON, so ``10`` and ``10.0`` stay apart) and ``norm_approximate``
  (Choices ``yes``/``no``). ``normalized`` is ``null`` exactly when none of the ``norm_*`` fields is there
  (the export always writes ``norm_approximate`` for a non-null value).
* **Claim** ``c001``: a region of the ``claim`` Labels (``CLAIM``). Per-region: ``claim_type`` and
  ``checkworthy`` (Choices, required), ``claimer`` (TextArea: an entity id, ``AUTHOR`` or ``UNNAMED``),
  ``claimer_text``, ``cluster_id`` (TextAreas), ``cluster_relation`` (Choices), and the quantity as
  ``quantity_number`` (JSON), ``quantity_unit``, ``quantity_property`` (TextAreas) and
  ``quantity_approximate`` (Choices); ``quantity`` is ``null`` exactly when no ``quantity_*`` field is there.
  A ``claimer`` relation links the claim to a mention of its claimer (the export picks the mention of that
  entity nearest to the claim, when the document has one); on import the relation alone is enough (the
  claimer is the mention's ``entity_id``), and a relation that contradicts the ``claimer`` field is an error.
* **Cue** of claim ``c001``: a region ``c001.cue`` of the ``cue`` Labels (``CUE``), linked from its claim
  by a ``cue`` relation (``cue`` is ``null`` when the claim has none).
* **Stance** ``s001``: its evidence spans are regions of the ``evidence`` Labels (``EVIDENCE``) with ids
  ``s001.evidence[0]``, ``s001.evidence[1]``, … The first region carries the stance's per-region fields
  ``holder``, ``holder_text`` (TextAreas), ``stance_target`` and ``polarity`` (Choices); every further
  evidence region is linked from the first by an ``evidence`` relation, and the order of those relations is
  the order of the evidence.
* **Document stance**: the ``document_stance`` Choices of the whole text (target ``minusma_termination``).

On import a region id of our form keeps its id; a region drawn in Label Studio (random id) gets the next
free id of its layer. Relations are recognised by the kinds of the two regions they join (their label,
if set, must agree), so their direction does not matter. Items keep the order of their first result.

The task's ``data`` holds ``text``, ``doc_id``, ``schema_version``, the document metadata (``title``,
``outlet``, ``date``, ``url``, ``language``, ``text_sha256``) and ``minusma``: for every annotation set
exported with the task, its provenance and the SHA-256 of its content. An imported annotation whose
content is unchanged keeps that provenance (this is what makes the round trip an identity); a changed
or new one is attributed to its Label Studio annotator (``completed_by``; a prediction to its
``model_version``). Several annotators on one task give one annotation set each. Cancelled (skipped)
annotations, drafts and tasks without annotations are reported, not imported.

Any problem — an unknown control, label or choice, a span whose ``text`` differs from the text at its
offsets, an unknown document, a schema-version mismatch, a task text that differs from the corpus text, a
claim without a type, a dangling relation, … — is collected with its task, annotation and region, and
raised together as ``LabelStudioError``; then nothing is written.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from .anchor import selector
from .annotations import check, schema_problems, text_sha256
from .safepath import UnsafePathError, file_name, inside
from .schema import Schema, load_schema

# Version of the mapping above (stored in every task, checked on import).
FORMAT = 1
TEXT = "text"  # name of the <Text> object
DOCUMENT_TARGET = "minusma_termination"

MENTION, CLAIM, CUE, EVIDENCE = "mention", "claim", "cue", "evidence"
LABEL_CONTROLS = {CLAIM: "CLAIM", CUE: "CUE", EVIDENCE: "EVIDENCE"}  # single-label controls
RELATIONS = ("claimer", "cue", "evidence")
YES_NO = {"yes": True, "no": False}

# per-region fields of each region kind: name -> "text" (TextArea), "number" (TextArea holding JSON) or
# "choices:<what>" (Choices); the order is the order of the results of the export.
MENTION_FIELDS = {"entity_id": "text", "norm_iso": "text", "norm_number": "number", "norm_unit": "text",
                  "norm_currency": "text", "norm_approximate": "choices:yes_no"}
CLAIM_FIELDS = {"claim_type": "choices:claim_types", "checkworthy": "choices:yes_no", "claimer": "text",
                "claimer_text": "text", "quantity_number": "number", "quantity_unit": "text",
                "quantity_approximate": "choices:yes_no", "quantity_property": "text", "cluster_id": "text",
                "cluster_relation": "choices:cluster_relations"}
STANCE_FIELDS = {"holder": "text", "holder_text": "text", "stance_target": "choices:stance_targets",
                 "polarity": "choices:stance_polarities"}
FIELD_KIND = {**{k: MENTION for k in MENTION_FIELDS}, **{k: CLAIM for k in CLAIM_FIELDS},
              **{k: EVIDENCE for k in STANCE_FIELDS}}
ALL_FIELDS = {**MENTION_FIELDS, **CLAIM_FIELDS, **STANCE_FIELDS}

_OUR_ID = {MENTION: re.compile(r"^m(\d+)$"), CLAIM: re.compile(r"^c(\d+)$"),
           EVIDENCE: re.compile(r"^s(\d+)(?:\.evidence\[0\])?$")}


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LSProblem:
    """One problem of a Label Studio export, with where it is."""

    task: Any  # Label Studio task id (or index in the file)
    doc_id: str | None
    annotation: Any  # "annotation 12 (alice@example.org)", "prediction 3 (model)", or None
    region: str | None
    message: str

    def __str__(self) -> str:
        if self.task is None:
            return self.message
        where = [f"task {self.task}" + (f" (document {self.doc_id})" if self.doc_id else "")]
        if self.annotation is not None:
            where.append(str(self.annotation))
        if self.region is not None:
            where.append(f"region {self.region}")
        return ", ".join(where) + f": {self.message}"


class LabelStudioError(ValueError):
    """A Label Studio export (or server answer) that cannot be turned into annotation files."""

    def __init__(self, problems: list[LSProblem] | str):
        if isinstance(problems, str):
            problems = [LSProblem(None, None, None, None, problems)]
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


# --------------------------------------------------------------------------------------------
# The labeling config
# --------------------------------------------------------------------------------------------


def _choices(schema: Schema) -> dict[str, list[str]]:
    return {"yes_no": list(YES_NO), "claim_types": list(schema.claim_types),
            "cluster_relations": list(schema.cluster_relations), "stance_targets": list(schema.stance_targets),
            "stance_polarities": list(schema.stance_polarities)}


def _hints(schema: Schema) -> dict[str, dict[str, str]]:
    return {"claim_types": {k: v["description"] for k, v in schema.claim_types.items()},
            "cluster_relations": {k: v["description"] for k, v in schema.cluster_relations.items()},
            "stance_targets": {k: v["description"] for k, v in schema.stance_targets.items()},
            "stance_polarities": {k: v["description"] for k, v in schema.stance_polarities.items()},
            "yes_no": {}}


_PLACEHOLDERS = {
    "entity_id": "entity id of annotations/entities.json (linked labels only)",
    "norm_iso": "DATE: ISO 8601 date, partial date or interval",
    "norm_number": "MONEY/QUANTITY: number (JSON, e.g. 13000 or 1.2)",
    "norm_unit": "QUANTITY: unit or counted noun",
    "norm_currency": "MONEY: ISO 4217 code",
    "claimer": "claimer: entity id, AUTHOR or UNNAMED (or a 'claimer' relation to a mention)",
    "claimer_text": "who the text says an UNNAMED claimer is",
    "quantity_number": "quantity claims: number (JSON)",
    "quantity_unit": "quantity claims: unit",
    "quantity_property": "quantity claims: the property measured",
    "cluster_id": "cluster id of annotations/claim_clusters.json",
    "holder": "holder: entity id, AUTHOR or UNNAMED",
    "holder_text": "who the text says an UNNAMED holder is",
}


def label_config(schema: Schema | None = None, *, adjudication: bool = False) -> str:
    """The Label Studio labeling config (XML) of the schema. With ``adjudication``, the task's list of
    disagreements (``$disagreements``) is shown above the text."""
    s = schema or load_schema()
    choices, hints = _choices(s), _hints(s)
    out = ['<View>',
           f'  <!-- generated by minusma-corpus from schema/schema.yaml, schema {s.version}, mapping {FORMAT}; '
           'do not edit -->',
           '  <Header value="$title"/>']
    if adjudication:
        out += ['  <Header value="Disagreements to adjudicate" size="5"/>',
                '  <Text name="disagreements" value="$disagreements"/>']
    out.append(f'  <Labels name="{MENTION}" toName="{TEXT}" showInline="true">')
    out += [f'    <Label value={quoteattr(k)} hint={quoteattr(v["description"])}/>' for k, v in s.entity_labels.items()]
    out.append('  </Labels>')
    for name, value in LABEL_CONTROLS.items():
        out.append(f'  <Labels name="{name}" toName="{TEXT}" showInline="true"><Label value="{value}"/></Labels>')
    out.append(f'  <Text name="{TEXT}" value="${TEXT}" granularity="symbol"/>')
    out.append('  <Relations>' + "".join(f'<Relation value="{r}"/>' for r in RELATIONS) + '</Relations>')

    def fields(kind: str, spec: dict[str, str], when: str) -> None:
        out.append(f'  <View visibleWhen="region-selected" whenTagName="{kind}"{when}>')
        for name, how in spec.items():
            out.append(f'    <Header value="{name}" size="6"/>')
            if how.startswith("choices:"):
                what = how.split(":", 1)[1]
                out.append(f'    <Choices name="{name}" toName="{TEXT}" perRegion="true" choice="single-radio" '
                           'showInline="true">')
                for c in choices[what]:
                    hint = f' hint={quoteattr(hints[what][c])}' if c in hints[what] else ""
                    out.append(f'      <Choice value={quoteattr(c)}{hint}/>')
                out.append('    </Choices>')
            else:
                out.append(f'    <TextArea name="{name}" toName="{TEXT}" perRegion="true" maxSubmissions="1" '
                           f'editable="true" rows="1" placeholder={quoteattr(_PLACEHOLDERS.get(name, name))}/>')
        out.append('  </View>')

    fields(MENTION, MENTION_FIELDS, "")
    fields(CLAIM, CLAIM_FIELDS, "")
    fields(EVIDENCE, STANCE_FIELDS, "")
    out.append('  <Header value="Document stance toward the termination of MINUSMA" size="5"/>')
    out.append(f'  <Choices name="document_stance" toName="{TEXT}" choice="single-radio" showInline="true">')
    out += [f'    <Choice value={quoteattr(k)} hint={quoteattr(v["description"])}/>'
            for k, v in s.stance_polarities.items()]
    out.append('  </Choices>')
    out.append('</View>')
    return "\n".join(out)  # no final newline: Label Studio strips it, and a config compares equal after a round trip


# --------------------------------------------------------------------------------------------
# Export: annotation sets -> Label Studio tasks
# --------------------------------------------------------------------------------------------


def content_sha256(data: dict) -> str:
    """Hash of what an annotation set says (not who said it): decides whether an import is unchanged."""
    content = {k: data[k] for k in ("doc_id", "text_sha256", "document_stance", "mentions", "claims", "stances")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _span_value(span: dict, text: str) -> dict:
    return {"start": span["start"], "end": span["end"], "text": text[span["start"]:span["end"]]}


def _dump_field(how: str, value: Any) -> dict:
    if how.startswith("choices:"):
        return {"choices": [value if isinstance(value, str) else ("yes" if value else "no")]}
    return {"text": [json.dumps(value) if how == "number" else value]}


def _region(rid: str, control: str, label: str, span: dict, text: str) -> dict:
    return {"id": rid, "from_name": control, "to_name": TEXT, "type": "labels",
            "value": {**_span_value(span, text), "labels": [label]}}


def _fields(rid: str, spec: dict[str, str], values: dict[str, Any], span: dict, text: str) -> list[dict]:
    out = []
    for name, value in values.items():
        if value is None:
            continue
        how = spec[name]
        kind = "choices" if how.startswith("choices:") else "textarea"
        out.append({"id": rid, "from_name": name, "to_name": TEXT, "type": kind,
                    "value": {"start": span["start"], "end": span["end"], **_dump_field(how, value)}})
    return out


def _relation(from_id: str, to_id: str, label: str) -> dict:
    return {"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right", "labels": [label]}


def to_result(data: dict, text: str) -> list[dict]:
    """One annotation set as the ``result`` list of a Label Studio annotation or prediction."""
    result: list[dict] = []
    relations: list[dict] = []
    mentions_of: dict[str, list[dict]] = {}
    for m in data["mentions"]:
        result.append(_region(m["id"], MENTION, m["label"], m, text))
        n = m["normalized"]
        values = {"entity_id": m["entity_id"]}
        if n is not None:
            values.update({"norm_iso": n["iso"], "norm_number": n["number"], "norm_unit": n["unit"],
                           "norm_currency": n["currency"], "norm_approximate": n["approximate"]})
        result += _fields(m["id"], MENTION_FIELDS, values, m, text)
        if m["entity_id"] is not None:
            mentions_of.setdefault(m["entity_id"], []).append(m)
    for c in data["claims"]:
        result.append(_region(c["id"], CLAIM, LABEL_CONTROLS[CLAIM], c, text))
        q = c["quantity"]
        values = {"claim_type": c["claim_type"], "checkworthy": c["checkworthy"], "claimer": c["claimer"],
                  "claimer_text": c["claimer_text"]}
        if q is not None:
            values.update({"quantity_number": q["number"], "quantity_unit": q["unit"],
                           "quantity_approximate": q["approximate"], "quantity_property": q["property"]})
        values.update({"cluster_id": c["cluster_id"], "cluster_relation": c["cluster_relation"]})
        result += _fields(c["id"], CLAIM_FIELDS, values, c, text)
        if c["cue"] is not None:
            cue_id = f"{c['id']}.cue"
            result.append(_region(cue_id, CUE, LABEL_CONTROLS[CUE], c["cue"], text))
            relations.append(_relation(c["id"], cue_id, "cue"))
        candidates = mentions_of.get(c["claimer"], [])
        if candidates:  # the claimer's mention nearest to the claim (inside it first)
            near = min(candidates, key=lambda m: (not (c["start"] <= m["start"] and m["end"] <= c["end"]),
                                                  min(abs(m["start"] - c["start"]), abs(m["end"] - c["end"])),
                                                  m["start"]))
            relations.append(_relation(c["id"], near["id"], "claimer"))
    for st in data["stances"]:
        head = f"{st['id']}.evidence[0]"
        for i, ev in enumerate(st["evidence"]):
            rid = f"{st['id']}.evidence[{i}]"
            result.append(_region(rid, EVIDENCE, LABEL_CONTROLS[EVIDENCE], ev, text))
            if i == 0:
                result += _fields(rid, STANCE_FIELDS, {"holder": st["holder"], "holder_text": st["holder_text"],
                                                       "stance_target": st["target"], "polarity": st["polarity"]},
                                  ev, text)
            else:
                relations.append(_relation(head, rid, "evidence"))
    if data.get("document_stance") is not None:
        result.append({"id": "document_stance", "from_name": "document_stance", "to_name": TEXT, "type": "choices",
                       "value": {"choices": [data["document_stance"]["polarity"]]}})
    return result + relations


@dataclass(frozen=True)
class Document:
    """A document of the corpus as Label Studio sees it."""

    doc_id: str
    text: str
    meta: dict = field(default_factory=dict)  # title, outlet, date, url, language

    @classmethod
    def from_processed(cls, d) -> Document:
        row = d.row
        return cls(row.doc_id, d.clean.text, {"title": row.title, "outlet": row.outlet, "date": row.date,
                                              "url": row.url, "language": row.language})


def source_name(data: dict) -> str:
    """``model_version`` of a prediction: where the annotation set comes from."""
    p = data["provenance"]
    return f"{p['status']}: {p['annotator']}"


def _span_problems(data: dict, text: str) -> list[str]:
    """Spans of ``data`` that do not sit on ``text`` (the export refuses them: offsets would shift)."""
    from .anchor import _spans_of

    out = []
    for where, span in _spans_of(data):
        s, e = span["start"], span["end"]
        if not (0 <= s < e <= len(text)) or text[s:e] != span["exact"]:
            out.append(f"document {data['doc_id']}, annotation {where}: span {s}-{e} {span['exact'][:40]!r} is not "
                       "the text at its offsets (run `minusma-corpus reanchor` first)")
    return out


def export_tasks(documents: Iterable[Document], sets: dict[str, list[dict]] | None = None,
                 mode: str = "predictions", schema: Schema | None = None) -> list[dict]:
    """One Label Studio task per document, its annotation sets as ``predictions`` (pre-annotations,
    ``model_version`` = their source) or as ``annotations`` (for review)."""
    if mode not in ("predictions", "annotations"):
        raise ValueError(f"mode must be 'predictions' or 'annotations', not {mode!r}")
    s = schema or load_schema()
    sets = sets or {}
    tasks, problems = [], []
    known = set()
    for doc in documents:
        known.add(doc.doc_id)
        exported, records = [], []
        for data in sets.get(doc.doc_id, []):
            if data["schema_version"] != s.version:
                problems.append(f"document {doc.doc_id}: schema_version {data['schema_version']} differs from "
                                f"{s.version}")
                continue
            if data["text_sha256"] != text_sha256(doc.text):
                problems.append(f"document {doc.doc_id}: the annotation set was made on another text (text_sha256 "
                                "differs; run `minusma-corpus reanchor` first)")
                continue
            problems += _span_problems(data, doc.text)
            result = to_result(data, doc.text)
            records.append({"content_sha256": content_sha256(data), "provenance": data["provenance"]})
            if mode == "predictions":
                exported.append({"model_version": source_name(data), "result": result})
            else:
                exported.append({"result": result})
        task = {"data": {TEXT: doc.text, "doc_id": doc.doc_id, "schema_version": s.version,
                         **{k: doc.meta.get(k) for k in ("title", "outlet", "date", "url", "language")},
                         "text_sha256": text_sha256(doc.text),
                         "minusma": {"format": FORMAT, "exported": records}}}
        if task["data"]["title"] is None:
            task["data"]["title"] = doc.doc_id
        if exported:
            task[mode] = exported
        tasks.append(task)
    unknown = sorted(set(sets) - known)
    problems += [f"document {d}: annotation set for a document that is not exported (not in the manifest?)"
                 for d in unknown]
    if problems:
        raise LabelStudioError([LSProblem(None, None, None, None, p) for p in problems])
    return tasks


# --------------------------------------------------------------------------------------------
# Import: Label Studio export -> annotation sets
# --------------------------------------------------------------------------------------------


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

    def summary(self) -> str:
        docs = len({s.doc_id for s in self.sets})
        lines = [f"{len(self.sets)} annotation sets of {docs} documents"]
        lines += [f"  skipped: {x}" for x in self.skipped]
        return "\n".join(lines)


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
    if how == "number":
        try:
            number = json.loads(got[0])
        except ValueError:
            number = None
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            return where(rid, f"{name}: {got[0]!r} is not a number (write it as JSON: 13000, 1.2)")
        return number
    return got[0]


def parse_result(result: list[dict], text: str, where: _Where, schema: Schema | None = None) -> dict:
    """The content (mentions, claims, stances, document_stance) of one Label Studio ``result`` list.
    Problems go to ``where``; the returned content is only meaningful if there were none."""
    s = schema or load_schema()
    allowed = _choices(s)
    labels_of = {MENTION: list(s.entity_labels), **{k: [v] for k, v in LABEL_CONTROLS.items()}}
    regions: dict[str, _Region] = {}
    order: list[str] = []
    attributes: list[tuple[str, str, dict]] = []
    relations: list[dict] = []
    document_stance = None
    if not isinstance(result, list):
        where(None, f"result is not a list: {type(result).__name__}")
        return {"mentions": [], "claims": [], "stances": [], "document_stance": None}
    for item in result:
        if not isinstance(item, dict):
            where(None, f"result item is not an object: {item!r:.60}")
            continue
        if item.get("type") == "relation":
            relations.append(item)
            continue
        rid, control, value = item.get("id"), item.get("from_name"), item.get("value")
        rid = str(rid) if rid is not None else None
        if not isinstance(value, dict):
            where(rid, f"result of {control!r} has no value object")
            continue
        if control == "document_stance":
            got = value.get("choices")
            if not isinstance(got, list) or len(got) != 1 or got[0] not in s.stance_polarities:
                where(rid, f"document_stance: expected one of {list(s.stance_polarities)}, got {got!r}")
            elif document_stance is not None:
                where(rid, "more than one document_stance")
            else:
                document_stance = {"target": DOCUMENT_TARGET, "polarity": got[0]}
            continue
        if control in labels_of:
            if item.get("to_name", TEXT) != TEXT:
                where(rid, f"region of {control!r} is on {item.get('to_name')!r}, not on {TEXT!r}")
                continue
            got = value.get("labels")
            if not isinstance(got, list) or len(got) != 1:
                where(rid, f"{control}: expected exactly one label, got {got!r}")
                continue
            if got[0] not in labels_of[control]:
                where(rid, f"unknown label {got[0]!r} in {control!r} (schema {s.version} labels: "
                           f"{', '.join(labels_of[control])})")
                continue
            start, end, quote = value.get("start"), value.get("end"), value.get("text")
            if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
                where(rid, f"span {start}-{end} is outside the text (length {len(text)}) or empty")
                continue
            if quote != text[start:end]:
                where(rid, f"region text {str(quote)[:50]!r} differs from the text at {start}-{end}: "
                           f"{text[start:end][:50]!r}")
                continue
            if rid is None:
                where(rid, f"region of {control!r} without an id")
                continue
            if rid in regions:
                where(rid, f"region has two labels ({regions[rid].kind} {regions[rid].label} and {control} {got[0]})")
                continue
            regions[rid] = _Region(rid, control, got[0], selector(text, start, end))
            order.append(rid)
            continue
        if control in ALL_FIELDS:
            attributes.append((rid, control, value))
            continue
        where(rid, f"unknown control {control!r} (not in the labeling config of schema {s.version})")

    for rid, control, value in attributes:
        region = regions.get(rid)
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

    # links: claim -> claimer mention, claim -> cue, stance head -> further evidence
    kinds_of = {frozenset({CLAIM, MENTION}): "claimer", frozenset({CLAIM, CUE}): "cue",
                frozenset({EVIDENCE}): "evidence"}
    claimer_link: dict[str, _Region] = {}
    cue_link: dict[str, _Region] = {}
    cue_linked: set[str] = set()
    members: dict[str, list[str]] = {}
    member_of: dict[str, str] = {}
    heads = {rid for rid, r in regions.items() if r.kind == EVIDENCE and r.fields}
    for rel in relations:
        a, b = regions.get(str(rel.get("from_id"))), regions.get(str(rel.get("to_id")))
        name = f"relation {rel.get('from_id')} -> {rel.get('to_id')}"
        if a is None or b is None:
            where(name, "relation to a region that is not in the annotation")
            continue
        kind = kinds_of.get(frozenset({a.kind, b.kind}))
        given = rel.get("labels") or []
        if kind is None:
            where(name, f"a relation cannot join a {a.kind} and a {b.kind} region")
            continue
        if given and given != [kind]:
            where(name, f"relation labelled {given} joins a {a.kind} and a {b.kind} region: it must be '{kind}'")
            continue
        if kind == "claimer":
            claim, mention = (a, b) if a.kind == CLAIM else (b, a)
            if claim.rid in claimer_link:
                where(claim.rid, "more than one claimer relation")
            claimer_link[claim.rid] = mention
        elif kind == "cue":
            claim, cue = (a, b) if a.kind == CLAIM else (b, a)
            if claim.rid in cue_link:
                where(claim.rid, "more than one cue relation")
            cue_link[claim.rid] = cue
            cue_linked.add(cue.rid)
        else:
            if (a.rid in heads) == (b.rid in heads):
                where(name, "an evidence relation joins a stance's first evidence region (the one with holder, "
                            "target and polarity) to a further evidence region; here "
                      + ("both have stance fields" if a.rid in heads else "neither has stance fields"))
                continue
            head, member = (a, b) if a.rid in heads else (b, a)
            if member.rid in member_of:
                where(member.rid, f"evidence region linked to two stances ({member_of[member.rid]} and {head.rid})")
                continue
            member_of[member.rid] = head.rid
            members.setdefault(head.rid, []).append(member.rid)

    # stable ids: a region id of our form keeps its id, any other gets the next free number of its layer
    prefix = {MENTION: "m", CLAIM: "c", EVIDENCE: "s"}
    items = [rid for rid in order if regions[rid].kind in prefix and (regions[rid].kind != EVIDENCE or rid in heads)]
    used: set[str] = set()
    new: dict[str, str] = {}
    for rid in items:
        m = _OUR_ID[regions[rid].kind].match(rid)
        if m and f"{prefix[regions[rid].kind]}{m.group(1)}" not in used:
            new[rid] = f"{prefix[regions[rid].kind]}{m.group(1)}"
            used.add(new[rid])
    counters = {p: max((int(x[1:]) for x in used if x[0] == p), default=0) for p in prefix.values()}
    for rid in items:
        if rid not in new:
            p = prefix[regions[rid].kind]
            counters[p] += 1
            new[rid] = f"{p}{counters[p]:03d}"

    parties = {s.author_holder, s.unnamed_holder}
    mentions, claims, stances = [], [], []
    for rid in order:
        r = regions[rid]
        f = r.fields
        if r.kind == MENTION:
            norm_keys = [k for k in MENTION_FIELDS if k.startswith("norm_")]
            normalized = None
            if any(k in f for k in norm_keys):
                normalized = {"iso": f.get("norm_iso"), "number": f.get("norm_number"), "unit": f.get("norm_unit"),
                              "currency": f.get("norm_currency"), "approximate": f.get("norm_approximate", False)}
            mentions.append({"id": new[rid], "label": r.label, "entity_id": f.get("entity_id"),
                             "normalized": normalized, **r.span})
        elif r.kind == CLAIM:
            for required in ("claim_type", "checkworthy"):
                if required not in f:
                    where(rid, f"claim without {required}")
            claimer = f.get("claimer")
            if rid in claimer_link:
                linked = claimer_link[rid].fields.get("entity_id")
                if linked is None:
                    where(rid, f"the claimer relation points to mention {claimer_link[rid].rid}, which has no entity_id")
                elif claimer is not None and claimer != linked:
                    where(rid, f"claimer {claimer!r} differs from the entity {linked!r} of the mention "
                               f"{claimer_link[rid].rid} its claimer relation points to")
                claimer = claimer if claimer is not None else linked
            if claimer is None:
                where(rid, f"claim without claimer (an entity id, {' or '.join(sorted(parties))}, or a claimer "
                           "relation to a mention)")
            quantity = None
            q_keys = [k for k in CLAIM_FIELDS if k.startswith("quantity_")]
            if any(k in f for k in q_keys):
                missing = [k for k in ("quantity_number", "quantity_unit", "quantity_property") if k not in f]
                if missing:
                    where(rid, f"quantity without {', '.join(missing)}")
                quantity = {"number": f.get("quantity_number"), "unit": f.get("quantity_unit"),
                            "approximate": f.get("quantity_approximate", False), "property": f.get("quantity_property")}
            cue = cue_link[rid].span if rid in cue_link else None
            claims.append({"id": new[rid], **r.span, "claimer": claimer, "claimer_text": f.get("claimer_text"),
                           "cue": dict(cue) if cue else None, "claim_type": f.get("claim_type"),
                           "checkworthy": f.get("checkworthy"), "quantity": quantity,
                           "cluster_id": f.get("cluster_id"), "cluster_relation": f.get("cluster_relation")})
        elif r.kind == CUE:
            if rid not in cue_linked:
                where(rid, "cue region not linked to a claim by a 'cue' relation")
        elif r.kind == EVIDENCE:
            if rid in heads:
                for required in ("holder", "stance_target", "polarity"):
                    if required not in f:
                        where(rid, f"stance without {required}")
                evidence = [r.span] + [regions[m].span for m in members.get(rid, [])]
                stances.append({"id": new[rid], "holder": f.get("holder"), "holder_text": f.get("holder_text"),
                                "target": f.get("stance_target"), "polarity": f.get("polarity"),
                                "evidence": [dict(e) for e in evidence]})
            elif rid not in member_of:
                where(rid, "evidence region belongs to no stance: give it holder, stance_target and polarity, or link "
                           "it from its stance's first evidence region by an 'evidence' relation")
    return {"document_stance": document_stance, "mentions": mentions, "claims": claims, "stances": stances}


def _annotation_label(kind: str, item: dict) -> str:
    if kind == "annotation":
        return f"annotation {item.get('id', '?')} ({_who(item)})"
    return f"prediction {item.get('id', '?')} ({item.get('model_version')})"


def import_tasks(tasks: list[dict], texts: dict[str, str], *, predictions: bool = False,
                 kb: list[dict] | None = None, clusters: list[dict] | None = None, schema: Schema | None = None,
                 status: str | None = None, tool: str = "Label Studio (minusma-corpus ls import)") -> ImportReport:
    """Annotation sets of a Label Studio JSON export (a list of tasks).

    ``texts``: the cleaned text of every document (a task of another document is an error).
    ``predictions``: also import the tasks' predictions (otherwise only the annotators' annotations).
    ``kb``/``clusters``: when given, every set is also checked against them (``annotations.check``).
    ``status``: force the provenance status (e.g. ``gold`` for an adjudication).
    Raises ``LabelStudioError`` with every problem found; returns the sets and what was skipped.
    """
    s = schema or load_schema()
    problems: list[LSProblem] = []
    report = ImportReport()
    if not isinstance(tasks, list):
        raise LabelStudioError("a Label Studio JSON export is a list of tasks")
    for index, task in enumerate(tasks):
        tid = task.get("id", f"#{index}") if isinstance(task, dict) else f"#{index}"
        data = task.get("data") if isinstance(task, dict) else None
        if not isinstance(data, dict):
            problems.append(LSProblem(tid, None, None, None, "task has no data object"))
            continue
        doc_id = data.get("doc_id")
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
        known = {r.get("content_sha256"): r.get("provenance") for r in meta.get("exported", []) if isinstance(r, dict)}
        adjudication = meta.get("adjudication")
        items = [("annotation", a) for a in task.get("annotations") or []]
        if predictions:
            items += [("prediction", p) for p in task.get("predictions") or []]
        for draft in task.get("drafts") or []:
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
                              "status": "gold" if kind == "annotation" else "predicted"}
            else:
                provenance = dict(provenance)
            if status:
                provenance["status"] = status
            out["provenance"] = provenance
            for p in schema_problems(out, f"task {tid}"):
                w(p.annotation_id, p.message)
            if kb is not None and clusters is not None and not w.count:
                for p in check(out, text, kb, clusters, f"task {tid}"):
                    w(p.annotation_id, p.message)
            if w.count:
                continue
            report.sets.append(ImportedSet(doc_id, tid, kind, item.get("id"), name, out))
            imported_here += 1
        if not imported_here and not any(p.task == tid for p in problems):
            report.skipped.append(f"task {tid} (document {doc_id}): no submitted annotation")
    if problems:
        raise LabelStudioError(problems)
    return report


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


def write_sets(files: dict[Path, dict], out_dir: Path) -> list[Path]:
    """Write the files of ``arrange`` under ``out_dir``, all or nothing: every path is checked to stay
    inside ``out_dir`` and every file validated and staged in a temporary directory first; then they are
    moved into place, and if one move fails the ones already made are undone (replaced files restored)."""
    from .annotations import AnnotationError, dumps_annotation

    targets = {rel: inside(out_dir, rel, "annotation file") for rel in files}
    problems = []
    for rel, data in files.items():
        problems += schema_problems(data, str(targets[rel]))
    if problems:
        raise AnnotationError(problems)
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ls-import-", dir=out_dir))
    done: list[tuple[Path, Path | None]] = []  # (target, where its previous version waits)
    made_dirs: list[Path] = []
    try:
        for rel, data in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            (staging / rel).write_text(dumps_annotation(data), encoding="utf-8")
        for rel, target in targets.items():
            for parent in reversed(target.relative_to(out_dir).parents[:-1]):
                if not (out_dir / parent).exists():
                    (out_dir / parent).mkdir()
                    made_dirs.append(out_dir / parent)
            backup = None
            if target.exists():
                backup = staging / ".previous" / rel
                backup.parent.mkdir(parents=True, exist_ok=True)
                os.replace(target, backup)
            done.append((target, backup))
            os.replace(staging / rel, target)
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
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return [target for target, _ in done]


# --------------------------------------------------------------------------------------------
# Agreement and adjudication
# --------------------------------------------------------------------------------------------


def by_annotator(report: ImportReport) -> dict[str, dict[str, dict]]:
    """{annotator: {doc_id: annotation set}} of the imported annotations (predictions left out)."""
    out: dict[str, dict[str, dict]] = {}
    for s in report.sets:
        if s.source == "annotation":
            out.setdefault(s.name, {})[s.doc_id] = s.data
    return out


def agreement_report(report: ImportReport) -> str:
    """Per-layer agreement (``agreement.agreement``, as for the gold) of every pair of annotators on the
    tasks they share."""
    from itertools import combinations

    from .agreement import agreement

    sets = by_annotator(report)
    out = []
    for a, b in combinations(sorted(sets), 2):
        result = agreement(sets[a], sets[b])
        if not result.documents:
            continue
        out.append(f"## A = {a}, B = {b}: {len(result.documents)} documents ({', '.join(result.documents)})")
        out.append(result.table())
    return "\n\n".join(out) if out else "no document has annotations by two or more annotators"


def adjudication_tasks(report: ImportReport, documents: dict[str, Document], schema: Schema | None = None) -> list[dict]:
    """One review task per document that two or more annotators annotated differently: each annotator's
    set is a prediction (``model_version`` = annotator), and the task's ``disagreements`` list (shown
    above the text with ``label_config(adjudication=True)``) names every disagreement against the first
    annotator. The reviewer starts from one prediction, resolves the list and submits; the import of that
    project (``import_tasks``) writes gold annotations."""
    from .agreement import disagreements

    per_doc: dict[str, list[ImportedSet]] = {}
    for s in report.sets:
        if s.source == "annotation":
            per_doc.setdefault(s.doc_id, []).append(s)
    tasks = []
    for doc_id in sorted(per_doc):
        group = sorted(per_doc[doc_id], key=lambda s: s.name)
        if len(group) < 2:
            continue
        first = group[0]
        lines = []
        for other in group[1:]:
            diffs = disagreements(first.data, other.data)
            lines += [f"A = {first.name}, B = {other.name}: {d}" for d in diffs]
        if not lines:
            continue
        sets = []
        for member in group:
            data = copy.deepcopy(member.data)
            data["provenance"] = {**data["provenance"], "annotator": member.name}
            sets.append(data)
        [task] = export_tasks([documents[doc_id]], {doc_id: sets}, "predictions", schema)
        for prediction, member in zip(task["predictions"], group):
            prediction["model_version"] = member.name
        task["data"]["disagreements"] = "\n".join(lines)
        # whatever the reviewer submits is the adjudicated gold, attributed to the reviewer
        task["data"]["minusma"].update({"adjudication": {"annotators": [m.name for m in group]}, "exported": []})
        tasks.append(task)
    return tasks


# --------------------------------------------------------------------------------------------
# A Label Studio server (label-studio-sdk): push tasks, pull an export
# --------------------------------------------------------------------------------------------


@contextmanager
def server_errors(what: str):
    """Turn the SDK's and httpx's exceptions into a ``LabelStudioError`` that says what failed."""
    import httpx
    from label_studio_sdk.core.api_error import ApiError

    try:
        yield
    except ApiError as e:
        body = e.body if isinstance(e.body, (str, type(None))) else json.dumps(e.body, ensure_ascii=False)
        hint = " (is LABEL_STUDIO_API_KEY the token of a user of this server?)" if e.status_code == 401 else ""
        raise LabelStudioError(f"{what}: the server answered {e.status_code}{hint}: {str(body)[:500]}") from None
    except httpx.HTTPError as e:
        raise LabelStudioError(f"{what}: {type(e).__name__}: {e}") from None


def connect(url: str, api_key: str | None = None, timeout: float = 300):
    """A label-studio-sdk client. The API key comes from ``LABEL_STUDIO_API_KEY`` unless given."""
    from label_studio_sdk import LabelStudio

    key = api_key if api_key is not None else os.environ.get("LABEL_STUDIO_API_KEY")
    if not key:
        raise LabelStudioError("no API key: set LABEL_STUDIO_API_KEY (Label Studio: Account & Settings → "
                               "Access Token)")
    return LabelStudio(base_url=url.rstrip("/"), api_key=key, timeout=timeout)


def find_project(client, project: str | int):
    """A project by id or title (``None`` if there is no such title)."""
    if isinstance(project, int) or str(project).isdigit():
        return client.projects.get(int(project))
    found = [p for p in client.projects.list(title=str(project)) if p.title == str(project)]
    if len(found) > 1:
        raise LabelStudioError(f"{len(found)} projects are titled {project!r}: name one by its id")
    return found[0] if found else None


@dataclass
class PushReport:
    project_id: int
    created: bool
    uploaded: int
    skipped: list[str]
    seconds: float


def project_doc_ids(client, project_id: int) -> set[str]:
    """doc_ids of the tasks already in a project."""
    ids = set()
    for task in client.tasks.list(project=project_id, fields="all", page_size=500):
        data = task.data if hasattr(task, "data") else task.get("data")
        if isinstance(data, dict) and data.get("doc_id"):
            ids.add(data["doc_id"])
    return ids


def push(client, title: str, tasks: list[dict], config: str | None = None, *, batch: int = 100,
         description: str = "minusma-corpus annotation (generated by minusma-corpus ls push)") -> PushReport:
    """Create the project ``title`` (or update the labeling config of the existing one) and upload the
    tasks whose document it does not have yet, ``batch`` at a time."""
    with server_errors(f"push to project {title!r}"):
        return _push(client, title, tasks, config, batch, description)


def _push(client, title, tasks, config, batch, description) -> PushReport:
    t0 = time.perf_counter()
    config = config or label_config()
    project = find_project(client, title)
    created = project is None
    if created:
        project = client.projects.create(title=title, label_config=config, description=description)
        have: set[str] = set()
    else:
        if project.label_config != config:
            client.projects.update(project.id, label_config=config)
        have = project_doc_ids(client, project.id)
    todo = [t for t in tasks if t["data"]["doc_id"] not in have]
    skipped = [f"document {t['data']['doc_id']}: already in project {project.id} (not uploaded again)"
               for t in tasks if t["data"]["doc_id"] in have]
    for i in range(0, len(todo), batch):
        client.projects.import_tasks(project.id, request=todo[i:i + batch], return_task_ids=False)
    return PushReport(project.id, created, len(todo), skipped, time.perf_counter() - t0)


def pull_export(client, project: str | int, *, timeout: float = 600) -> list[dict]:
    """A full JSON export of a project: every task, with its annotations, drafts and predictions as
    objects and ``completed_by`` with the annotator's e-mail (an export snapshot; deleted afterwards)."""
    with server_errors(f"export of project {project!r}"):
        return _pull(client, project, timeout)


def _pull(client, project, timeout) -> list[dict]:
    p = find_project(client, project)
    if p is None:
        raise LabelStudioError(f"no project titled {project!r} on the server")
    options = {"predictions": {"only_id": False}, "drafts": {"only_id": False},
               "annotations__completed_by": {"only_id": False}}
    export = client.projects.exports.create(p.id, serialization_options=options,
                                            task_filter_options={"only_with_annotations": False})
    deadline = time.monotonic() + timeout
    status = export.status
    while status not in ("completed", "failed"):
        if time.monotonic() > deadline:
            raise LabelStudioError(f"export of project {p.id} did not finish in {timeout:.0f} s")
        time.sleep(0.2)
        status = client.projects.exports.get(p.id, export.id).status
    if status == "failed":
        raise LabelStudioError(f"export of project {p.id} failed on the server")
    try:
        raw = b"".join(client.projects.exports.download(p.id, export.id, export_type="JSON"))
    finally:
        client.projects.exports.delete(p.id, export.id)
    return json.loads(raw)
