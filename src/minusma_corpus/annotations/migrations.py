"""Migrations of annotation files between schema versions (registered in ``annotations.MIGRATIONS``).

Each function takes the data of one file of version K and returns it in the next version's shape (the
caller sets ``schema_version``). A migration never invents annotation content: what the older version did
not record is left empty and flagged, so that validation names every place a person must fill in.
"""

from __future__ import annotations


def migrate_1_0_0_to_2_0_0(data: dict) -> dict:
    """1.0.0 -> 2.0.0: claim clusters with values and scopes.

    A 1.0.0 cluster member has a hand-labelled relation and no normalised value. It keeps its
    ``cluster_id``; its old label moves to ``legacy_relation``; ``cluster_value``, ``cluster_scope`` and
    ``cluster_relation`` are null (the relation is derived from value and scope in 2.0.0). Validation then
    names the member until someone gives it a value and scope, or takes it out of the cluster.
    """
    claims = []
    for c in data["claims"]:
        member = c.get("cluster_id") is not None
        claims.append({**c, "cluster_relation": None, "cluster_value": None, "cluster_scope": None,
                       "relation_justification": None,
                       "legacy_relation": c.get("cluster_relation") if member else None})
    return {**data, "claims": claims}


# The migrations that need a person to finish them: ``read_annotation_file`` refuses files of these
# versions and names the command that migrates them (``minusma-corpus migrate``), instead of migrating
# them silently in memory.
MANUAL = {"1.0.0", "1.1.0"}  # versions before cluster values: `migrate` flags what a person must fill in
