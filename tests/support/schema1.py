"""Schema 1.x for the tests of schema-1 behaviour, now that schema.yaml is at 2.0.0: the last 1.x
schema.yaml (``tests/fixtures/schema/schema-1.1.0.yaml``, taken unchanged from git history) loaded with
``load_schema(path)``, and annotations as schema 1.1.0 recorded them."""

from minusma_corpus.annotations.schema import Schema, load_schema

from .paths import FIXTURES

SCHEMA_1_FILE = FIXTURES / "schema" / "schema-1.1.0.yaml"
MEMBER_FIELDS = ("cluster_value", "cluster_scope", "relation_justification", "legacy_relation")  # new in 2.0.0
CLUSTER_FIELDS = ("value_type", "unit", "categories", "reference_scope")  # new in 2.0.0


def schema_1() -> Schema:
    return load_schema(SCHEMA_1_FILE)


def as_1_1_0(data: dict) -> dict:
    """A 2.0.0 annotation set as a 1.1.0 file records it: the member fields of 2.0.0 left out (the reverse of
    the migration to 2.0.0; a member still carrying its 1.x label in ``legacy_relation`` gets it back)."""
    claims = [{**{k: v for k, v in c.items() if k not in MEMBER_FIELDS},
               **({"cluster_relation": c["legacy_relation"]} if c.get("legacy_relation") else {})}
              for c in data["claims"]]
    return {**data, "schema_version": "1.1.0", "claims": claims}


def clusters_1(clusters: list[dict]) -> list[dict]:
    """Claim clusters as 1.x declared them: id, property, description (no value type, unit or scope)."""
    return [{k: v for k, v in c.items() if k not in CLUSTER_FIELDS} for c in clusters]
