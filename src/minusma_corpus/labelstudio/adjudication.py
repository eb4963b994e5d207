"""Agreement between the annotators of a Label Studio export, and review tasks for their disagreements."""

from __future__ import annotations

import copy
from itertools import combinations

from ..annotations.agreement import agreement, disagreements
from ..annotations.schema import Schema
from ..pipeline.process import Document
from .export import export_tasks
from .importer import ImportedSet, ImportReport


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
