"""The annotation schema: loaded from ``schema/schema.yaml`` (the one source of truth), and everything
generated from it here: the JSON Schema of annotation files and the label tables of the guidelines
(``publish.annotation_tables.class_labels`` takes the release's class-label names from it too)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import MinusmaError
from ..fileio import replace_between
from ..resources import resource_path


class SchemaVersionError(MinusmaError):
    """An annotation file follows a schema version this code cannot read."""

    hint = "set schema_version to a version string this package reads (see schema/schema.yaml)"


@dataclass(frozen=True)
class Schema:
    version: str
    entity_labels: dict[str, dict]
    claim_types: dict[str, dict]
    cluster_relations: dict[str, dict]
    stance_targets: dict[str, dict]
    stance_polarities: dict[str, dict]
    author_holder: str
    unnamed_holder: str
    statuses: tuple[str, ...]
    # Schema 2.0.0: cluster values and scopes (see schema.yaml)
    next_version: str | None = None
    cluster_value_types: dict[str, dict] | None = None
    value_bounds: dict[str, dict] | None = None
    scope_fields: dict[str, dict] | None = None
    relation_rule: dict | None = None

    @property
    def has_cluster_values(self) -> bool:
        """True from schema 2.0.0 on: cluster members carry value, scope and justification."""
        return parse_version(self.version)[0] >= 2

    @property
    def linked_labels(self) -> list[str]:
        return [k for k, v in self.entity_labels.items() if v.get("linked")]

    @property
    def normalized_labels(self) -> dict[str, str]:
        return {k: v["normalized"] for k, v in self.entity_labels.items() if v.get("normalized")}

    @property
    def bio_tags(self) -> list[str]:
        """CoNLL BIO tag names of the ``ner`` config, in ClassLabel order."""
        return ["O"] + [f"{p}-{label}" for label in self.entity_labels for p in ("B", "I")]


def schema_file() -> Path:
    return resource_path("schema", "schema.yaml")


@lru_cache(maxsize=None)
def load_schema(path: Path | None = None) -> Schema:
    import yaml

    data = yaml.safe_load((path or schema_file()).read_text(encoding="utf-8"))
    return Schema(
        version=str(data["version"]),
        entity_labels=data["entity_labels"],
        claim_types=data["claim_types"],
        cluster_relations=data["cluster_relations"],
        stance_targets=data["stance_targets"],
        stance_polarities=data["stance_polarities"],
        author_holder=data["author_holder"],
        unnamed_holder=data["unnamed_holder"],
        statuses=tuple(data["statuses"]),
        next_version=data.get("next_version"),
        cluster_value_types=data.get("cluster_value_types"),
        value_bounds=data.get("value_bounds"),
        scope_fields=data.get("scope_fields"),
        relation_rule=data.get("relation_rule"),
    )


def parse_version(version: str) -> tuple[int, int, int]:
    try:
        major, minor, patch = (int(x) for x in version.split("."))
    except (ValueError, AttributeError):
        raise SchemaVersionError(f"schema_version {version!r} is not a semantic version (MAJOR.MINOR.PATCH)") from None
    return major, minor, patch


# --------------------------------------------------------------------------------------------
# JSON Schema (draft 2020-12) of an annotation file
# --------------------------------------------------------------------------------------------


def json_schema(schema: Schema | None = None) -> dict:
    s = schema or load_schema()
    span_fields = {
        "start": {"type": "integer", "minimum": 0, "description": "code point offset into the document's cleaned text"},
        "end": {"type": "integer", "minimum": 0, "description": "end offset (exclusive)"},
        "exact": {"type": "string", "minLength": 1, "description": "the text of the span (W3C TextQuoteSelector)"},
        "prefix": {"type": "string", "description": "up to 32 characters before the span"},
        "suffix": {"type": "string", "description": "up to 32 characters after the span"},
    }
    span = {"type": "object", "required": list(span_fields), "properties": span_fields, "additionalProperties": False}
    party = {"type": "string", "minLength": 1,
             "description": f"an entity id of annotations/entities.json, {s.author_holder} or {s.unnamed_holder}"}
    nullable = lambda schema: {"anyOf": [schema, {"type": "null"}]}  # noqa: E731
    normalized = {
        "type": "object",
        "properties": {
            "iso": nullable({"type": "string", "description": "DATE: ISO 8601 date, partial date or interval (start/end)"}),
            "number": nullable({"type": "number", "description": "MONEY: amount; QUANTITY: count or measure"}),
            "unit": nullable({"type": "string", "description": "QUANTITY: unit or counted noun"}),
            "currency": nullable({"type": "string", "pattern": "^[A-Z]{3}$", "description": "MONEY: ISO 4217 code"}),
            "approximate": {"type": "boolean", "description": "hedged: about, around, over, nearly, roughly"},
        },
        "required": ["iso", "number", "unit", "currency", "approximate"],
        "additionalProperties": False,
    }
    mention = {
        "type": "object",
        "required": ["id", "label", "entity_id", "normalized", *span_fields],
        "properties": {
            "id": {"type": "string", "pattern": "^m[0-9]+$"},
            "label": {"enum": list(s.entity_labels)},
            "entity_id": nullable({"type": "string"}),
            "normalized": nullable(normalized),
            **span_fields,
        },
        "additionalProperties": False,
    }
    quantity = {
        "type": "object",
        "required": ["number", "unit", "approximate", "property"],
        "properties": {
            "number": {"type": "number"},
            "unit": {"type": "string"},
            "approximate": {"type": "boolean"},
            "property": {"type": "string", "minLength": 1},
        },
        "additionalProperties": False,
    }
    claim = {
        "type": "object",
        "required": ["id", *span_fields, "claimer", "claimer_text", "cue", "claim_type", "checkworthy", "quantity",
                     "cluster_id", "cluster_relation"],
        "properties": {
            "id": {"type": "string", "pattern": "^c[0-9]+$"},
            **span_fields,
            "claimer": party,
            "claimer_text": nullable({"type": "string", "description": f"who the text says the {s.unnamed_holder} source is"}),
            "cue": nullable(span),
            "claim_type": {"enum": list(s.claim_types)},
            "checkworthy": {"type": "boolean"},
            "quantity": nullable(quantity),
            "cluster_id": nullable({"type": "string"}),
            "cluster_relation": nullable({"enum": list(s.cluster_relations)}),
        },
        "additionalProperties": False,
    }
    if s.has_cluster_values:
        claim["required"] += list(cluster_member_fields(s))
        claim["properties"].update(cluster_member_fields(s))
    stance = {
        "type": "object",
        "required": ["id", "holder", "holder_text", "target", "polarity", "evidence"],
        "properties": {
            "id": {"type": "string", "pattern": "^s[0-9]+$"},
            "holder": party,
            "holder_text": nullable({"type": "string"}),
            "target": {"enum": list(s.stance_targets)},
            "polarity": {"enum": list(s.stance_polarities)},
            "evidence": {"type": "array", "minItems": 1, "items": span},
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:minusma-corpus:schema:{s.version}:annotation",
        "title": f"minusma-corpus annotation file, schema {s.version}",
        "type": "object",
        "required": ["schema_version", "doc_id", "text_sha256", "provenance", "document_stance", "mentions", "claims",
                     "stances"],
        "properties": {
            "schema_version": {"const": s.version},
            "doc_id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
            "text_sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "provenance": {
                "type": "object",
                "required": ["annotator", "method", "tool", "created", "status"],
                "properties": {
                    "annotator": {"type": "string", "minLength": 1},
                    "method": {"type": "string"},
                    "tool": {"type": "string"},
                    "created": {"type": "string", "format": "date"},
                    "status": {"enum": list(s.statuses)},
                },
                "additionalProperties": False,
            },
            "document_stance": nullable({
                "type": "object",
                "required": ["target", "polarity"],
                "properties": {"target": {"const": "minusma_termination"}, "polarity": {"enum": list(s.stance_polarities)}},
                "additionalProperties": False,
            }),
            "mentions": {"type": "array", "items": mention},
            "claims": {"type": "array", "items": claim},
            "stances": {"type": "array", "items": stance},
        },
        "additionalProperties": False,
    }


def cluster_value_schema(s: Schema) -> dict:
    """JSON Schema of a member's ``cluster_value``: one shape per value type, told apart by ``type``."""
    bound = {"enum": list(s.value_bounds or {})}
    iso = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "description": "ISO 8601 year, month or day"}
    shapes = []
    for name, info in (s.cluster_value_types or {}).items():
        kind = info["value"]
        if kind == "number":
            shapes.append({"type": "object", "required": ["type", "number", "unit", "bound"], "additionalProperties": False,
                           "properties": {"type": {"const": name}, "number": {"type": "number"},
                                          "unit": {"enum": list(info["units"])}, "bound": bound}})
        elif kind == "date":
            point = {"type": "object", "required": ["type", "date", "bound"], "additionalProperties": False,
                     "properties": {"type": {"const": name}, "date": iso, "bound": bound}}
            interval = {"type": "object", "required": ["type", "start", "end", "bound"], "additionalProperties": False,
                        "properties": {"type": {"const": name}, "start": iso, "end": iso, "bound": bound}}
            shapes += [point, interval]
        else:
            shapes.append({"type": "object", "required": ["type", "category"], "additionalProperties": False,
                           "properties": {"type": {"const": name},
                                          "category": {"type": "string", "pattern": "^[a-z0-9]+(_[a-z0-9]+)*$",
                                                       "description": "one of the cluster's declared categories"}}})
    return {"oneOf": shapes}


def cluster_scope_schema(s: Schema) -> dict:
    """JSON Schema of a scope object (a member's ``cluster_scope``, a cluster's ``reference_scope``)."""
    slug = {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}
    kinds = {"entity": slug, "entities": {"type": "array", "items": slug, "minItems": 1, "uniqueItems": True},
             "date": {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}}
    props = {}
    for name, info in (s.scope_fields or {}).items():
        field_schema = {"enum": list(info["values"])} if info["kind"] == "enum" else kinds[info["kind"]]
        props[name] = {"anyOf": [field_schema, {"type": "null"}], "description": info["description"]}
    return {"type": "object", "properties": props, "additionalProperties": False}


def cluster_member_fields(s: Schema) -> dict[str, dict]:
    """The claim fields that schema 2.0.0 adds, with their JSON Schemas."""
    return {
        "cluster_value": {"anyOf": [cluster_value_schema(s), {"type": "null"}],
                          "description": "the value of the cluster's property the claim states, normalised"},
        "cluster_scope": {"anyOf": [cluster_scope_schema(s), {"type": "null"}],
                          "description": "the member's scope: the fields of the cluster's reference_scope, null = unstated"},
        "relation_justification": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "null"}],
                                   "description": "why cluster_relation differs from the derived relation (else null)"},
        "legacy_relation": {"anyOf": [{"enum": list(s.cluster_relations)}, {"type": "null"}],
                            "description": "set by the 1.0.0 -> 2.0.0 migration: the old hand label of a member without a value"},
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------------------------
# Label tables for the guidelines (Markdown)
# --------------------------------------------------------------------------------------------


def label_tables() -> str:
    s = load_schema()

    def table(title: str, items: dict[str, dict], extra: str | None = None) -> str:
        head = f"| {title} | definition |" + (f" {extra} |" if extra else "")
        sep = "|---|---|" + ("---|" if extra else "")
        rows = []
        for name, info in items.items():
            cell = ""
            if extra == "linked / normalised":
                cell = " linked to the KB |" if info.get("linked") else f" normalised ({info.get('normalized')}) |"
            rows.append(f"| `{name}` | {info['description']} |{cell}")
        return "\n".join([head, sep, *rows])

    cluster_tables = []
    if s.cluster_value_types:
        since = s.next_version if not s.has_cluster_values else s.version
        types = "\n".join(["| value type | definition | units |", "|---|---|---|"] + [
            f"| `{name}` | {info['description']} | "
            + (", ".join(f"`{u}` ({d})" for u, d in info["units"].items()) or "—") + " |"
            for name, info in s.cluster_value_types.items()])
        fields = "\n".join(["| scope field | kind | definition and values |", "|---|---|---|"] + [
            f"| `{name}` | {info['kind']} | {info['description']}"
            + "".join(f"<br>`{v}`: {d}" for v, d in info.get("values", {}).items()) + " |"
            for name, info in s.scope_fields.items()])
        rule = s.relation_rule
        cluster_tables = [
            f"### Cluster value types (schema {since})\n\n{types}",
            f"### Value bounds (schema {since})\n\n" + table("bound", s.value_bounds),
            f"### Scope fields (schema {since})\n\n{fields}",
            f"### Relation rule (schema {since})\n\nRelative tolerance **{rule['relative_tolerance']:.0%}**"
            f"{'; round numbers count as approximate' if rule.get('round_numbers_are_approximate') else ''}. "
            f"{rule['description']}",
        ]
    return "\n\n".join([
        f"Schema version **{s.version}** (`schema/schema.yaml`)"
        + (f"; schema **{s.next_version}** is declared and awaits the migration of the gold." if s.next_version and s.next_version != s.version else "."),
        "### Entity labels\n\n" + table("label", s.entity_labels, "linked / normalised"),
        "### Claim types\n\n" + table("claim type", s.claim_types),
        "### Cluster relations\n\n" + table("relation", s.cluster_relations),
        *cluster_tables,
        "### Stance targets\n\n" + table("target", s.stance_targets),
        "### Stance polarities\n\n" + table("polarity", s.stance_polarities),
        f"Claimers and stance holders: an entity id of the KB, `{s.author_holder}` (the outlet's own voice) or "
        f"`{s.unnamed_holder}` (an unnamed source, described in `claimer_text` / `holder_text`).",
    ])


# --------------------------------------------------------------------------------------------
# Generated files under schema/
# --------------------------------------------------------------------------------------------

TABLES_BEGIN = "<!-- BEGIN GENERATED LABEL TABLES (minusma-corpus schema --tables) -->"
TABLES_END = "<!-- END GENERATED LABEL TABLES -->"


def guidelines_with_tables(guidelines: str) -> str:
    """The guidelines text with its generated label-table section replaced by the current tables."""
    return replace_between(guidelines, TABLES_BEGIN, TABLES_END, f"\n\n{label_tables()}\n\n")


def generated_files(schema_dir: Path) -> dict[Path, str]:
    """Every file under ``schema/`` that is generated from schema.yaml, with its expected content."""
    guidelines = schema_dir / "GUIDELINES.md"
    return {
        schema_dir / "annotation.schema.json": json_schema_text(),
        guidelines: guidelines_with_tables(guidelines.read_text(encoding="utf-8")),
    }
