"""Schema 2.0.0 checks of claim clusters: cluster definitions, member values and scopes, and the recorded
relation against the relation derived by ``cluster_relations.derive``.

Functions return messages (strings, or (file, doc_id, claim_id, message) tuples); ``annotations`` and
``validate`` turn them into ``Problem`` lines.
"""

from __future__ import annotations

from .cluster_relations import Derivation, Member, derive, value_from_json
from .schema import Schema, cluster_scope_schema

GUIDE = "schema/GUIDELINES.md section 2.1"


def _schema_errors(instance: object, schema: dict) -> list[str]:
    from jsonschema import Draft202012Validator

    return [e.message for e in Draft202012Validator(schema).iter_errors(instance)]


def cluster_problems(cluster: dict, schema: Schema) -> list[str]:
    """What is wrong with one cluster definition of claim_clusters.json under schema 2.0.0."""
    types = schema.cluster_value_types or {}
    kind = cluster.get("value_type")
    if kind is None:
        return [f"declares no value_type (a 1.0.0 cluster): add value_type, unit and reference_scope ({GUIDE})"]
    if kind not in types:
        return [f"value_type {kind!r} is not one of {', '.join(types)}"]
    out = []
    units = types[kind]["units"]
    if units and cluster.get("unit") not in units:
        out.append(f"unit {cluster.get('unit')!r} is not a {kind} unit ({', '.join(units)})")
    if not units and cluster.get("unit") is not None:
        out.append(f"a {kind} cluster has no unit (null)")
    if (kind == "category") != bool(cluster.get("categories")):
        out.append("categories ({name: definition}) are declared by category clusters and only by them")
    ref = cluster.get("reference_scope")
    if not isinstance(ref, dict) or not ref:
        out.append("needs a reference_scope naming at least one scope field (e.g. {\"subject\": \"minusma\"})")
    else:
        out += [f"reference_scope: {m}" for m in _schema_errors(ref, cluster_scope_schema(schema))]
        out += [f"reference_scope.{k} is null: state the reference value" for k, v in ref.items() if v is None]
    return out


def member_problems(claim: dict, clusters: dict[str, dict], schema: Schema) -> list[str]:
    """What is wrong with one claim's cluster fields (value, scope, relation) under schema 2.0.0."""
    cid = claim["cluster_id"]
    if cid is None:
        extra = [k for k in ("cluster_value", "cluster_scope", "cluster_relation", "relation_justification",
                             "legacy_relation") if claim.get(k) is not None]
        return [f"{', '.join(extra)} set without cluster_id"] if extra else []
    cluster = clusters[cid]
    if claim.get("legacy_relation") is not None:
        if claim.get("cluster_value") is None:
            return [f"member of {cid} migrated from 1.0.0 without a value (its 1.0.0 relation was "
                    f"{claim['legacy_relation']}): give cluster_value and cluster_scope if the claim states a value of "
                    f"\"{cluster['property']}\", else set cluster_id to null; then clear legacy_relation ({GUIDE})"]
        return [f"legacy_relation is still set on a member of {cid} that has a value: clear it"]
    value, scope = claim.get("cluster_value"), claim.get("cluster_scope")
    out = []
    if value is None:
        out.append(f"member of {cid} without cluster_value: every member states a value of \"{cluster['property']}\"")
    elif cluster.get("value_type") and value["type"] != cluster["value_type"]:
        out.append(f"cluster_value is a {value['type']} but {cid} is a {cluster['value_type']} cluster")
    elif value["type"] in ("count", "ordinal") and value["unit"] != cluster.get("unit"):
        out.append(f"cluster_value.unit {value['unit']!r} differs from {cid}'s unit {cluster.get('unit')!r}")
    elif value["type"] == "category" and value["category"] not in (cluster.get("categories") or {}):
        out.append(f"category {value['category']!r} is not declared by {cid} ({', '.join(cluster.get('categories') or {})})")
    ref = cluster.get("reference_scope") or {}
    if scope is None:
        out.append(f"member of {cid} without cluster_scope: give the fields {', '.join(ref)} (null = unstated)")
    elif set(scope) != set(ref):
        out.append(f"cluster_scope has fields {', '.join(sorted(scope)) or 'none'}; {cid}'s reference_scope has "
                   f"{', '.join(sorted(ref))}")
    if claim.get("cluster_relation") is None:
        out.append(f"member of {cid} without cluster_relation (write the derived relation)")
    return out


def is_complete_member(claim: dict) -> bool:
    return (claim.get("cluster_id") is not None and claim.get("legacy_relation") is None
            and claim.get("cluster_value") is not None and claim.get("cluster_scope") is not None)


def derived_relations(docs: dict[str, dict], clusters: list[dict], schema: Schema) -> dict[tuple[str, str], Derivation]:
    """The derived relation of every complete member of ``docs`` (doc_id -> annotation file), by
    (doc_id, claim_id). Members are compared across all the given documents."""
    rule = schema.relation_rule or {}
    by_cluster: dict[str, list[Member]] = {}
    for doc_id, data in docs.items():
        for c in data["claims"]:
            if is_complete_member(c):
                by_cluster.setdefault(c["cluster_id"], []).append(
                    Member(f"{doc_id}/{c['id']}", value_from_json(c["cluster_value"]), c["cluster_scope"]))
    out = {}
    for cluster in clusters:
        members = by_cluster.get(cluster["id"], [])
        if not members or cluster.get("reference_scope") is None:
            continue
        for key, d in derive(cluster["reference_scope"], members, rule.get("relative_tolerance", 0.10),
                             rule.get("round_numbers_are_approximate", True)).items():
            doc_id, claim_id = key.split("/", 1)
            out[doc_id, claim_id] = d
    return out


def explain(d: Derivation) -> str:
    if d.different_fields:
        return f"{d.relation} (scope differs in {', '.join(d.different_fields)})"
    if d.conflicts_with:
        return f"{d.relation} (incompatible with {', '.join(d.conflicts_with)})"
    return d.relation


def relation_problems(docs: dict[str, dict], clusters: list[dict], schema: Schema) -> list[tuple[str, str, str]]:
    """(doc_id, claim_id, message) for every recorded relation that differs from the derived one without a
    justification, and every justification that overrides nothing."""
    out = []
    for (doc_id, claim_id), d in sorted(derived_relations(docs, clusters, schema).items()):
        claim = next(c for c in docs[doc_id]["claims"] if c["id"] == claim_id)
        recorded, why = claim.get("cluster_relation"), claim.get("relation_justification")
        if recorded is None:
            continue  # reported by member_problems
        if recorded != d.relation and not why:
            out.append((doc_id, claim_id, f"cluster_relation {recorded} differs from the derived relation "
                        f"{explain(d)}: correct the value or scope, record {d.relation}, or write relation_justification"))
        elif recorded == d.relation and why:
            out.append((doc_id, claim_id, f"relation_justification given but {recorded} is the derived relation: "
                        "remove the justification"))
    return out

