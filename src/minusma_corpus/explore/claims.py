"""The claims page: every cross-document claim cluster, members side by side, conflicts first."""

from __future__ import annotations

from ..pipeline.process import Document
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


def render_claims_page(site: Site) -> str:
    members = cluster_members(site)
    parts = ["<h1>Claim clusters</h1>",
             '<p class="meta">Claims about the same property across documents, side by side: outlet, quote, '
             "normalised value and relation to the cluster. Clusters with a conflicting member come first and are "
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
                f'<div class="muted">{esc(x["claim_type"])} · claimer {site.party_link(x["claimer"], x.get("claimer_text"), "")}'
                f' · <code>{esc(x["id"])}</code></div></div>')
        flag = " " + badge_span("conflict", "conflict") if conflict else ""
        parts.append(
            f'<section class="cluster{" conflict" if conflict else ""}" id="{esc(cluster_anchor(c["id"]))}" '
            f'data-item data-f-conflict="{"yes" if conflict else "no"}">'
            f'<h2>{esc(c["property"])}{flag}</h2>'
            f'<p class="meta"><code>{esc(c["id"])}</code> · {len(ms)} claims from {outlets} documents</p>'
            + (f"<p>{esc(c['description'])}</p>" if c.get("description") else "")
            + (f'<div class="members">{"".join(cards)}</div>' if cards else "<p>no member claims in this annotation set</p>")
            + "</section>")
    parts.append("</div>")
    return page_frame(site, "Claim clusters — minusma-corpus explorer", "\n".join(parts), 0)
