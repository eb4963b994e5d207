"""Export: documents and their annotation sets -> Label Studio tasks (lossless; see ``spec``)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from ..annotations.anchor import span_problem, spans_of
from ..annotations.schema import Schema, load_schema
from ..fileio import text_sha256
from ..pipeline.process import Document
from .spec import CLAIM, CUE, EVIDENCE, FORMAT, LABEL_CONTROLS, MENTION, MENTION_FIELDS, STANCE_FIELDS, TEXT, LabelStudioError, LSProblem, claim_fields


def content_sha256(data: dict) -> str:
    """Hash of what an annotation set says (not who said it): decides whether an import is unchanged."""
    content = {k: data[k] for k in ("doc_id", "text_sha256", "document_stance", "mentions", "claims", "stances")}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def _span_value(span: dict, text: str) -> dict:
    return {"start": span["start"], "end": span["end"], "text": text[span["start"]:span["end"]]}


def _dump_field(how: str, value: Any) -> dict:
    if how.startswith("choices:"):
        return {"choices": [value if isinstance(value, str) else ("yes" if value else "no")]}
    if how == "json":
        return {"text": [json.dumps(value, ensure_ascii=False)]}
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
        member = claim_fields(True)
        values.update({k: c[k] for k in member if k not in values and k in c})  # schema 2.0.0 member fields
        result += _fields(c["id"], member, values, c, text)
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


def source_name(data: dict) -> str:
    """``model_version`` of a prediction: where the annotation set comes from."""
    p = data["provenance"]
    return f"{p['status']}: {p['annotator']}"


def _span_problems(data: dict, text: str) -> list[str]:
    """Spans of ``data`` that do not sit on ``text`` (the export refuses them: offsets would shift)."""
    out = []
    for where, span in spans_of(data):
        s, e = span["start"], span["end"]
        if span_problem(text, s, e, span["exact"]):
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
