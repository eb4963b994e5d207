"""Release columns of schema 2.0.0 cluster members: value, unit, scope, justification, derived relation and
the members a conflicting claim conflicts with (used by the ``claims`` and ``claim_clusters`` configs).

Files of schema 1.0.0 have none of these fields: their columns are null."""

from __future__ import annotations

import pyarrow as pa

from ..annotations.cluster_relations import Derivation
from ..annotations.schema import Schema

VALUE = pa.struct([("type", pa.string()), ("number", pa.float64()), ("unit", pa.string()), ("bound", pa.string()),
                   ("date", pa.string()), ("category", pa.string())])
_BOUND_WORDS = {"exact": "", "approximate": "about ", "lower": "at least ", "upper": "at most "}
_DATE_BOUND_WORDS = {"exact": "", "approximate": "about ", "lower": "since ", "upper": "by "}


def scope_type(schema: Schema) -> pa.DataType:
    return pa.struct([(name, pa.list_(pa.string()) if info["kind"] == "entities" else pa.string())
                      for name, info in (schema.scope_fields or {}).items()])


def claim_fields(schema: Schema) -> list[tuple[str, pa.DataType]]:
    return [("cluster_value", VALUE), ("cluster_scope", scope_type(schema)), ("derived_relation", pa.string()),
            ("relation_justification", pa.string())]


def cluster_fields(schema: Schema) -> list[tuple[str, pa.DataType]]:
    return [("value_type", pa.string()), ("unit", pa.string()), ("reference_scope", scope_type(schema)),
            ("categories", pa.list_(pa.string()))]


def member_fields(schema: Schema) -> list[tuple[str, pa.DataType]]:
    return [("value", VALUE), ("value_text", pa.string()), ("scope", scope_type(schema)),
            ("derived_relation", pa.string()), ("relation_justification", pa.string()),
            ("conflicts_with", pa.list_(pa.string()))]


def value_row(v: dict | None) -> dict | None:
    if v is None:
        return None
    date = v.get("date") or (f"{v['start']}/{v['end']}" if v.get("start") else None)
    return {"type": v["type"], "number": v.get("number"), "unit": v.get("unit"), "bound": v.get("bound"),
            "date": date, "category": v.get("category")}


def value_text(v: dict | None) -> str | None:
    """A short reading of a value: "about 15,000 persons", "by 2023-07-04", "adopted_unanimously"."""
    row = value_row(v)
    if row is None:
        return None
    if row["type"] == "category":
        return row["category"]
    if row["type"] == "date":
        return _DATE_BOUND_WORDS[row["bound"]] + row["date"]
    number = row["number"]
    shown = f"{int(number):,}" if float(number).is_integer() else f"{number:,}"
    return f"{_BOUND_WORDS[row['bound']]}{shown} {row['unit']}"


def scope_row(scope: dict | None, schema: Schema) -> dict | None:
    if scope is None:
        return None
    return {name: scope.get(name) for name in schema.scope_fields or {}}


def claim_row(claim: dict, derived: Derivation | None, schema: Schema) -> dict:
    return {"cluster_value": value_row(claim.get("cluster_value")),
            "cluster_scope": scope_row(claim.get("cluster_scope"), schema),
            "derived_relation": derived.relation if derived else None,
            "relation_justification": claim.get("relation_justification")}


def cluster_row(cluster: dict, schema: Schema) -> dict:
    return {"value_type": cluster.get("value_type"), "unit": cluster.get("unit"),
            "reference_scope": scope_row(cluster.get("reference_scope"), schema),
            "categories": list(cluster["categories"]) if cluster.get("categories") else None}


def member_row(claim: dict, derived: Derivation | None, schema: Schema) -> dict:
    return {"value": value_row(claim.get("cluster_value")), "value_text": value_text(claim.get("cluster_value")),
            "scope": scope_row(claim.get("cluster_scope"), schema),
            "derived_relation": derived.relation if derived else None,
            "relation_justification": claim.get("relation_justification"),
            "conflicts_with": list(derived.conflicts_with) if derived else []}
