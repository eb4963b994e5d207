"""Annotation files (standoff JSON, one per document) and the corpus-level knowledge base.

The layout of an annotations directory is ``layout.AnnotationLayout``.

An annotation file is validated three ways: its schema version (older versions are migrated, newer or
unknown ones refused), the JSON Schema generated from ``schema/schema.yaml``, and the checks that
need the text and the KB (``check``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from pathlib import Path
from typing import Callable

from ..errors import InputFileError, MinusmaError, check_shape, json_type, read_json
from ..fileio import text_sha256, write_atomic
from .anchor import CONTEXT, span_problem
from .cluster_values import cluster_problems, member_problems
from .migrations import MANUAL, migrate_1_0_0_to_2_0_0
from .schema import Schema, SchemaVersionError, json_schema, load_schema, parse_version

# A migration takes a file of version K to the next version; keys are the versions they read.
MIGRATIONS: dict[str, tuple[str, Callable[[dict], dict]]] = {
    "1.0.0": ("1.1.0", lambda data: data),  # 1.1.0 adds the status `pass`: files of 1.0.0 read unchanged
    "1.1.0": ("2.0.0", migrate_1_0_0_to_2_0_0),  # cluster values and scopes (a person fills them in)
}


@dataclass(frozen=True)
class Problem:
    file: str
    doc_id: str | None
    annotation_id: str | None
    message: str

    def __str__(self) -> str:
        where = ": ".join(x for x in (self.file, self.doc_id and f"document {self.doc_id}",
                                      self.annotation_id and f"annotation {self.annotation_id}") if x)
        return f"{where}: {self.message}"


class AnnotationError(MinusmaError):
    """Annotation files that break the schema or do not fit their text (every problem, each naming its file)."""

    hint = "fix the annotation file and check it with `minusma-corpus validate FILE`"

    def __init__(self, problems: list[Problem], hint: str | None = None):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)), hint=hint)


# --------------------------------------------------------------------------------------------
# Reading and writing
# --------------------------------------------------------------------------------------------


def migrate(data: dict, path: str, schema: Schema | None = None, explicit: bool = False) -> dict:
    """Bring ``data`` to the current schema version, or refuse a version this code cannot read.

    Migrations that need a person to finish them (``migrations.MANUAL``) run only when ``explicit``
    (the ``migrate`` command); reading such a file otherwise names that command."""
    schema = schema or load_schema()
    version = data.get("schema_version")
    current = parse_version(schema.version)
    while version != schema.version:
        if version is None:
            raise SchemaVersionError("no schema_version", file=path)
        if not isinstance(version, str):
            raise SchemaVersionError(f"schema_version {json.dumps(version)} is not a version string like "
                                     f"\"{schema.version}\"", file=path)
        try:
            newer = parse_version(version) > current
        except SchemaVersionError as e:
            raise SchemaVersionError(e.reason, file=path) from None
        if newer:
            raise SchemaVersionError(f"schema_version {version} is newer than this package's {schema.version}; "
                                     "upgrade minusma-corpus", file=path)
        if version not in MIGRATIONS:
            raise SchemaVersionError(f"unknown schema_version {version} (no migration to {schema.version})", file=path)
        if version in MANUAL and not explicit:
            raise SchemaVersionError(f"schema_version {version} predates {schema.version}; run `minusma-corpus "
                                     f"migrate {path}`, then fill in what it flags (see schema/CHANGELOG.md)", file=path)
        version, step = MIGRATIONS[version]
        data = {**step(data), "schema_version": version}
    return data


def read_annotation_json(path: Path) -> dict:
    """The JSON object of one annotation file, as it is (not migrated, not validated), or an
    ``AnnotationError`` naming the file (not UTF-8, not JSON, nested too deeply, not an object)."""
    try:
        data = read_json(path, "an annotation file")
    except InputFileError as e:
        raise AnnotationError([Problem(str(path), None, None, e.reason + (f" (line {e.line})" if e.line else ""))]) from None
    if not isinstance(data, dict):
        raise AnnotationError([Problem(str(path), None, None, f"the top level is a JSON {json_type(data)}, "
                                                              "not an object (one annotation set per file)")])
    return data


def read_annotation_file(path: Path) -> dict:
    """Load, migrate and JSON-Schema-validate one annotation file."""
    data = migrate(read_annotation_json(path), str(path))
    problems = schema_problems(data, str(path))
    if problems:
        raise AnnotationError(problems)
    return data


@lru_cache(maxsize=1)
def _compiled_schema():
    """The annotation JSON Schema compiled to Python once (fastjsonschema): the fast yes/no check."""
    import fastjsonschema

    return fastjsonschema.compile(json_schema())


@lru_cache(maxsize=1)
def _explaining_validator():
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json_schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_problems(data: dict, file: str, schema: Schema | None = None) -> list[Problem]:
    """The JSON-Schema problems of one annotation set (under ``schema``, by default schema.yaml's). A valid
    set is checked once, by the compiled validator; an invalid one is explained by ``jsonschema`` (every
    error, with its path)."""
    import fastjsonschema
    from jsonschema import Draft202012Validator

    if schema is None or schema == load_schema():
        try:
            _compiled_schema()(data)
            return []
        except fastjsonschema.JsonSchemaException:
            pass
        validator = _explaining_validator()
    else:  # another version's schema (tests of older versions): not compiled, explained directly
        validator = Draft202012Validator(json_schema(schema), format_checker=Draft202012Validator.FORMAT_CHECKER)
    problems = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        path = list(error.absolute_path)
        annotation_id = None
        if len(path) >= 2 and path[0] in ("mentions", "claims", "stances"):
            item = data[path[0]][path[1]]
            annotation_id = item.get("id") if isinstance(item, dict) else None
        location = "/".join(map(str, path)) or "(top level)"
        problems.append(Problem(file, data.get("doc_id"), annotation_id, f"{location}: {error.message}"))
    return problems


def dumps_annotation(data: dict) -> str:
    """JSON with one annotation per line, so that a diff shows one line per changed annotation."""
    head = {k: v for k, v in data.items() if k not in ("mentions", "claims", "stances")}
    lines = ["{"]
    for key, value in head.items():
        lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},")
    layers = ("mentions", "claims", "stances")
    for n, layer in enumerate(layers):
        items = data[layer]
        comma = "," if n < len(layers) - 1 else ""
        if not items:
            lines.append(f"  {json.dumps(layer)}: []{comma}")
            continue
        lines.append(f"  {json.dumps(layer)}: [")
        lines.extend(f"    {json.dumps(item, ensure_ascii=False)}{',' if i < len(items) - 1 else ''}"
                     for i, item in enumerate(items))
        lines.append(f"  ]{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_annotation_file(path: Path, data: dict) -> None:
    problems = schema_problems(data, str(path))
    if problems:
        raise AnnotationError(problems)
    write_atomic(path, dumps_annotation(data))


_STRINGS = {"type": "array", "items": {"type": "string"}}
_SHAPES = {
    "entities.json": ("a knowledge base (a list of entities with string id, label and name)",
                      {"type": "array", "items": {"type": "object", "required": ["id", "label", "name"],
                                                  "properties": {"id": {"type": "string"}, "label": {"type": "string"},
                                                                 "name": {"type": "string"}, "aliases": _STRINGS,
                                                                 "description": {"type": "string"}}}}),
    "claim_clusters.json": ("a list of claim clusters (objects with string id and property)",
                            {"type": "array", "items": {"type": "object", "required": ["id", "property"],
                                                        "properties": {"id": {"type": "string"},
                                                                       "property": {"type": "string"},
                                                                       "description": {"type": "string"}}}}),
}
_ANY_LIST = ("a list of objects with a string id",
             {"type": "array", "items": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}})


def read_json_list(path: Path) -> list[dict]:
    """The knowledge base (``entities.json``) or the claim clusters: read, and their shape checked."""
    data = read_json(path)
    what, shape = _SHAPES.get(Path(path).name, _ANY_LIST)
    check_shape(data, shape, path, what)
    return data


# --------------------------------------------------------------------------------------------
# Checks that need the text, the knowledge base and the clusters
# --------------------------------------------------------------------------------------------

_ISO_PARTIAL = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def parse_iso(value: str) -> bool:
    """ISO 8601 date, partial date (YYYY, YYYY-MM) or interval (start/end)."""
    parts = value.split("/")
    if len(parts) > 2 or not all(_ISO_PARTIAL.match(p) for p in parts):
        return False
    for p in parts:
        y, *rest = (int(x) for x in p.split("-"))
        try:
            date(y, rest[0] if rest else 1, rest[1] if len(rest) > 1 else 1)
        except ValueError:
            return False
    return len(parts) == 1 or parts[0] <= parts[1]


def check(data: dict, text: str, kb: list[dict], clusters: list[dict], file: str,
          schema: Schema | None = None) -> list[Problem]:
    """Everything the JSON Schema cannot see: spans against the text, ids against the KB and clusters."""
    schema = schema or load_schema()
    doc = data["doc_id"]
    problems: list[Problem] = []

    def problem(annotation_id, message):
        problems.append(Problem(file, doc, annotation_id, message))

    if data["text_sha256"] != text_sha256(text):
        problem(None, "text_sha256 differs from the cleaned text: the text changed, run `minusma-corpus reanchor`")

    def check_span(aid, span):
        s, e = span["start"], span["end"]
        if reason := span_problem(text, s, e, span["exact"]):
            return problem(aid, reason)
        if span["prefix"] != text[max(0, s - CONTEXT):s] or span["suffix"] != text[e:e + CONTEXT]:
            problem(aid, "prefix/suffix differ from the text around the span")

    entities = {e["id"]: e for e in kb}
    cluster_ids = {c["id"] for c in clusters}
    parties = set(entities) | {schema.author_holder, schema.unnamed_holder}
    seen_ids: set[str] = set()
    for layer in ("mentions", "claims", "stances"):
        for item in data[layer]:
            if item["id"] in seen_ids:
                problem(item["id"], "duplicate id")
            seen_ids.add(item["id"])

    normalized_kind = schema.normalized_labels
    placed = []
    for m in data["mentions"]:
        aid = m["id"]
        check_span(aid, m)
        placed.append((m["start"], m["end"], aid))
        if m["label"] in schema.linked_labels:
            entity = entities.get(m["entity_id"])
            if m["entity_id"] is None and data["provenance"]["status"] == "predicted":
                pass  # a pre-annotation may leave linking to the annotator
            elif entity is None:
                problem(aid, f"entity_id {m['entity_id']!r} is not in the knowledge base")
            elif entity["label"] != m["label"]:
                problem(aid, f"label {m['label']} differs from entity {entity['id']}'s label {entity['label']}")
            if m["normalized"] is not None:
                problem(aid, f"{m['label']} mentions carry no normalized value")
        else:
            if m["entity_id"] is not None:
                problem(aid, f"{m['label']} mentions are not linked to the knowledge base")
            n = m["normalized"]
            kind = normalized_kind[m["label"]]
            if n is None:
                problem(aid, f"{m['label']} mention needs a normalized value")
            elif kind == "date" and n["iso"] is not None and not parse_iso(n["iso"]):
                problem(aid, f"normalized.iso {n['iso']!r} is not an ISO 8601 date, partial date or interval")
            elif kind == "money" and (n["number"] is None or n["currency"] is None):
                problem(aid, "MONEY needs normalized.number and normalized.currency")
            elif kind == "quantity" and (n["number"] is None or not n["unit"]):
                problem(aid, "QUANTITY needs normalized.number and normalized.unit")
    placed.sort()
    for (s1, e1, a1), (s2, e2, a2) in zip(placed, placed[1:]):
        if s2 < e1:
            problem(a2, f"overlaps mention {a1} (mentions do not nest in schema v1)")

    for c in data["claims"]:
        aid = c["id"]
        check_span(aid, c)
        if c["cue"]:
            check_span(f"{aid}.cue", c["cue"])
        if c["claimer"] not in parties:
            problem(aid, f"claimer {c['claimer']!r} is not an entity id, {schema.author_holder} or {schema.unnamed_holder}")
        if c["claimer"] == schema.unnamed_holder and not c["claimer_text"]:
            problem(aid, f"an {schema.unnamed_holder} claimer needs claimer_text")
        if (c["claim_type"] == "quantity") != (c["quantity"] is not None):
            problem(aid, "quantity is required for quantity claims and only for them")
        if c["cluster_id"] is not None and c["cluster_id"] not in cluster_ids:
            problem(aid, f"cluster_id {c['cluster_id']!r} is not in claim_clusters.json")
        elif schema.has_cluster_values:
            for message in member_problems(c, {k["id"]: k for k in clusters}, schema):
                problem(aid, message)
        elif (c["cluster_id"] is None) != (c["cluster_relation"] is None):
            problem(aid, "cluster_id and cluster_relation are set together")

    for st in data["stances"]:
        aid = st["id"]
        for i, ev in enumerate(st["evidence"]):
            check_span(f"{aid}.evidence[{i}]", ev)
        if st["holder"] not in parties:
            problem(aid, f"holder {st['holder']!r} is not an entity id, {schema.author_holder} or {schema.unnamed_holder}")
        if st["holder"] == schema.unnamed_holder and not st["holder_text"]:
            problem(aid, f"an {schema.unnamed_holder} holder needs holder_text")
    return problems


def check_kb(kb: list[dict], clusters: list[dict], file_kb: str, file_clusters: str) -> list[Problem]:
    schema = load_schema()
    problems = []
    ids = [e["id"] for e in kb]
    for n, e in enumerate(kb):
        if e["id"] in ids[:n]:
            problems.append(Problem(file_kb, None, e["id"], "duplicate entity id"))
        if e["label"] not in schema.linked_labels:
            problems.append(Problem(file_kb, None, e["id"], f"label {e['label']!r} is not a linked entity label"))
        if not re.match(r"^[a-z0-9]+(-[a-z0-9]+)*$", e["id"]):
            problems.append(Problem(file_kb, None, e["id"], "entity ids are lower-case words joined by '-'"))
    cids = [c["id"] for c in clusters]
    for c in clusters:
        if cids.count(c["id"]) > 1:
            problems.append(Problem(file_clusters, None, c["id"], "duplicate cluster id"))
        if schema.has_cluster_values:
            problems.extend(Problem(file_clusters, None, c["id"], m) for m in cluster_problems(c, schema))
    return problems
