"""The claims page: every cross-document claim cluster, members side by side, conflicts first.

Under schema 2.0.0 a member shows its normalised value, its scope (the fields it states), the relation
derived from them by the documented rule (``annotations.cluster_values``) with what it conflicts with, and
the written justification when the recorded relation overrides the derived one."""

from __future__ import annotations

from ..annotations.cluster_relations import Derivation
from ..annotations.cluster_values import derived_relations
from ..pipeline.process import Document
from ..publish.release_clusters import value_text
from .fmt import cluster_anchor, doc_page, esc, normalized_text, quantity_text, token
from .items import Item
from .page import Site, badge_span, filter_bar, page_frame, side_badges


def _claim_value(site: Site, doc_id: str, it: Item) -> str:
    """The normalised value of a claim: its quantity, else the normalised dates and amounts inside it."""
    x = it.data
    if x.get("quantity"):
        return quantity_text(x["quantity"], with_property=False)
    values = []
    for m in site.items[doc_id]:
        if m.layer == "mention" and m.side == it.side and m.data.get("normalized") and \
                x["start"] <= m.data["start"] and m.data["end"] <= x["end"]:
            value = normalized_text(m.data["normalized"])
            if value and value not in values:
                values.append(value)
    return "; ".join(values)


def derivations(site: Site) -> dict[tuple[str, str, str], Derivation]:
    """The derived relation of every complete member shown, by (side, doc_id, claim_id); each set of a
    comparison is derived on its own. Empty before schema 2.0.0."""
    schema = site.schema
    if not schema.has_cluster_values:
        return {}
    sides = [("", site.a)] if site.b is None else [("a", site.a), ("b", site.b)]
    out = {}
    for side, annotation_set in sides:
        docs = {d: annotation_set.docs[d] for d in site.shown if d in annotation_set.docs}
        try:
            derived = derived_relations(docs, site.clusters, schema)
        except (KeyError, TypeError, ValueError):  # a set that was not validated: its relations are not shown
            continue
        out.update({(side, doc_id, claim_id): d for (doc_id, claim_id), d in derived.items()})
    return out


def _scope_text(scope: dict | None) -> str:
    """The scope fields a member states, e.g. "population: troops · as_of: 2023-02"."""
    stated = [f"{k}: {', '.join(v) if isinstance(v, list) else v}" for k, v in (scope or {}).items() if v is not None]
    return " · ".join(stated)


def _member_details(it: Item, derived: Derivation | None, members) -> str:
    """Value, scope, derived relation and justification of a 2.0.0 member (empty for a 1.0.0 claim)."""
    x = it.data
    if "cluster_value" not in x:
        return ""
    scope = _scope_text(x.get("cluster_scope"))
    out = [f'<div>value: {esc(value_text(x["cluster_value"])) if x.get("cluster_value") else "—"}</div>',
           f'<div class="muted">scope: {esc(scope) if scope else "the reference scope"}</div>']
    if derived is not None:
        against = []
        for key in derived.conflicts_with:
            doc_id, claim_id = key.split("/", 1)
            d, o = next(((d, o) for d, o in members if o.side == it.side and d.doc_id == doc_id
                         and o.data["id"] == claim_id), (None, None))
            against.append(f"{d.outlet or doc_id}: {value_text(o.data.get('cluster_value'))}" if o else key)
        why = (f"scope differs in {', '.join(derived.different_fields)}" if derived.different_fields else
               f"incompatible with {'; '.join(against)}" if against else "")
        out.append(f'<div>derived {badge_span(derived.relation, "rel-" + token(derived.relation))}'
                   + (f' <span class="muted">({esc(why)})</span>' if why else "") + "</div>")
    elif x.get("legacy_relation"):
        out.append(f'<div class="muted">not derived: no value yet (1.0.0 relation {esc(x["legacy_relation"])})</div>')
    if x.get("relation_justification"):
        out.append(f'<div><span class="muted">override:</span> {esc(x["relation_justification"])}</div>')
    return "".join(out)


def cluster_members(site: Site) -> dict[str, list[tuple[Document, Item]]]:
    out: dict[str, list[tuple[Document, Item]]] = {}
    for doc_id in site.shown:
        for it in site.items[doc_id]:
            if it.layer == "claim" and it.data.get("cluster_id") is not None:
                out.setdefault(it.data["cluster_id"], []).append((site.by_id[doc_id], it))
    return out


def has_conflict(members) -> bool:
    return any(it.data.get("cluster_relation") == "conflicting" for _d, it in members)


def ordered_clusters(site: Site, members) -> list[dict]:
    """Clusters with a conflict first, then by the number of outlets, then by id."""
    return sorted(site.clusters, key=lambda c: (not has_conflict(members.get(c["id"], [])),
                                                -len({d.doc_id for d, _ in members.get(c["id"], [])}), c["id"]))


def _cluster_definition(c: dict) -> str:
    """Value type, unit and reference scope of a 2.0.0 cluster (empty for a 1.0.0 one)."""
    if not c.get("value_type"):
        return ""
    unit = f" in {c['unit']}" if c.get("unit") else ""
    categories = f" ({', '.join(c['categories'])})" if c.get("categories") else ""
    scope = _scope_text(c.get("reference_scope"))
    return (f'<p class="meta">value: {esc(c["value_type"])}{esc(unit)}{esc(categories)}'
            + (f" · reference scope: {esc(scope)}" if scope else "") + "</p>")


def render_claims_page(site: Site) -> str:
    members = cluster_members(site)
    derived = derivations(site)
    parts = ["<h1>Claim clusters</h1>",
             '<p class="meta">Claims about the same property across documents, side by side: outlet, quote, '
             "normalised value and relation to the cluster (from schema 2.0.0 also the member's scope and the relation derived "
             "from value and scope, with any written override). Clusters with a conflicting member come first and are "
             "marked red.</p>"]
    parts.append(filter_bar("cluster-list", "clusters, quotes, outlets and values",
                            [("conflict", "all clusters", [("yes", "with a conflict"), ("no", "without a conflict")])]))
    parts.append('<div id="cluster-list">')
    unknown = sorted(set(members) - site.cluster_ids)
    for c in ordered_clusters(site, members) + [{"id": u, "property": "(not in claim_clusters.json)",
                                                   "description": ""} for u in unknown]:
        ms = members.get(c["id"], [])
        conflict = has_conflict(ms)
        outlets = len({d.doc_id for d, _ in ms})
        cards = []
        for doc, it in ms:
            x = it.data
            relation = x.get("cluster_relation") or ""
            href = esc(f"{doc_page(doc.doc_id)}#t-{it.key}")
            value = _claim_value(site, doc.doc_id, it)
            badges = f" {side_badges(it)}" if it.side else ""
            cards.append(
                f'<div class="member rel-{token(relation)}"><div><span class="outlet">{esc(doc.outlet or "unknown outlet")}'
                f'</span> <span class="muted">{esc(doc.date or "undated")}</span> '
                f'{badge_span(relation, "rel-" + token(relation))}{badges}</div>'
                f'<blockquote><a href="{href}">“{esc(x["exact"])}”</a></blockquote>'
                f'<div class="value">{esc(value) or "<span class=muted>—</span>"}</div>'
                f'{_member_details(it, derived.get((it.side, doc.doc_id, x["id"])), ms)}'
                f'<div class="muted">{esc(x["claim_type"])} · claimer {site.party_link(x["claimer"], x.get("claimer_text"), "")}'
                f' · <code>{esc(x["id"])}</code></div></div>')
        flag = " " + badge_span("conflict", "conflict") if conflict else ""
        parts.append(
            f'<section class="cluster{" conflict" if conflict else ""}" id="{esc(cluster_anchor(c["id"]))}" '
            f'data-item data-f-conflict="{"yes" if conflict else "no"}">'
            f'<h2>{esc(c["property"])}{flag}</h2>'
            f'<p class="meta"><code>{esc(c["id"])}</code> · {len(ms)} claims from {outlets} documents</p>'
            + (f"<p>{esc(c['description'])}</p>" if c.get("description") else "")
            + _cluster_definition(c)
            + (f'<div class="members">{"".join(cards)}</div>' if cards else "<p>no member claims in this annotation set</p>")
            + "</section>")
    parts.append("</div>")
    return page_frame(site, "Claim clusters — minusma-corpus explorer", "\n".join(parts), 0)
