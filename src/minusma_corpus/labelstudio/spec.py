"""The mapping between annotation files and Label Studio tasks: its constants, and its errors.

The modules of this package are pure functions over dicts (a Label Studio task is the JSON that Label Studio
imports and exports): ``config`` (the labeling config), ``export`` (annotation sets -> tasks), ``importer``
(a Label Studio export -> annotation sets), ``adjudication``; only ``client`` talks to a server and
``importer.write_sets`` writes files.

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
  From schema 2.0.0 on, a claim also has the member fields of its cluster: ``cluster_value`` and
  ``cluster_scope`` (TextAreas holding the JSON object of the file, e.g.
  ``{"type": "count", "number": 15000, "unit": "persons", "bound": "approximate"}``; key order is kept),
  ``relation_justification`` (TextArea) and ``legacy_relation`` (Choices; set only by the 1.0.0 -> 2.0.0
  migration). Absent = ``null``, as for every field. These fields are in the labeling config exactly when the
  schema has cluster values (``claim_fields``); the import refuses them under an older schema.
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

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import MinusmaError

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
# Schema 2.0.0: the fields of a cluster member ("json": a TextArea holding a JSON object).
CLUSTER_MEMBER_FIELDS = {"cluster_value": "json", "cluster_scope": "json", "relation_justification": "text",
                         "legacy_relation": "choices:cluster_relations"}
STANCE_FIELDS = {"holder": "text", "holder_text": "text", "stance_target": "choices:stance_targets",
                 "polarity": "choices:stance_polarities"}
FIELD_KIND = {**{k: MENTION for k in MENTION_FIELDS}, **{k: CLAIM for k in CLAIM_FIELDS},
              **{k: CLAIM for k in CLUSTER_MEMBER_FIELDS}, **{k: EVIDENCE for k in STANCE_FIELDS}}
# every per-region field the import knows (of any schema version); ``all_fields`` gives one schema's
ALL_FIELDS = {**MENTION_FIELDS, **CLAIM_FIELDS, **CLUSTER_MEMBER_FIELDS, **STANCE_FIELDS}


def claim_fields(has_cluster_values: bool) -> dict[str, str]:
    """The per-region fields of a claim under a schema with (2.0.0) or without cluster values."""
    return {**CLAIM_FIELDS, **CLUSTER_MEMBER_FIELDS} if has_cluster_values else dict(CLAIM_FIELDS)


def all_fields(has_cluster_values: bool) -> dict[str, str]:
    """The per-region fields of the labeling config of a schema with or without cluster values."""
    return {**MENTION_FIELDS, **claim_fields(has_cluster_values), **STANCE_FIELDS}

OUR_ID = {MENTION: re.compile(r"^m(\d+)$"), CLAIM: re.compile(r"^c(\d+)$"),
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


class LabelStudioError(MinusmaError):
    """A Label Studio export (or server answer) that cannot be turned into annotation files."""

    hint = "nothing was written: correct the export (or the annotations in Label Studio) and try again"

    def __init__(self, problems: list[LSProblem] | str, file: str | Path | None = None):
        if isinstance(problems, str):
            problems = [LSProblem(None, None, None, None, problems)]
        self.problems = problems
        super().__init__("\n".join(map(str, problems)), file=file)

    def in_file(self, file: str | Path) -> LabelStudioError:
        """The same problems, naming the export file they were found in."""
        return self if self.file else LabelStudioError(self.problems, file)
