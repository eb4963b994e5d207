"""The entity pages: one corpus entity, its aliases and every mention in context, its claims and stances."""

from __future__ import annotations

from ..pipeline.process import Document
from .fmt import context_of, doc_page, esc, label_class, or_dash, token
from .items import Item
from .page import Site, badge_span, filter_bar, first_anchor, page_frame, side_badges


def entity_mentions(site: Site) -> dict[str, list[tuple[Document, Item]]]:
    out: dict[str, list[tuple[Document, Item]]] = {}
    for doc_id in site.shown:
        doc = site.by_id[doc_id]
        for it in site.items[doc_id]:
            if it.layer == "mention" and it.data["entity_id"] is not None:
                out.setdefault(it.data["entity_id"], []).append((doc, it))
    return out


PAGE_SIZE = 25


def mention_list(site: Site, docs: list[Document], mentions: list[tuple[Document, Item]]) -> str:
    """Every mention in context (keyword in the middle, full width), grouped by document, paged
    client-side ``PAGE_SIZE`` at a time."""
    parts = [f'<div class="kwlist" id="mention-list" data-page-size="{PAGE_SIZE}">']
    for n, doc in enumerate(docs):
        parts.append(f'<h3 data-head="d{n}"><a href="../{esc(doc_page(doc.doc_id))}">{esc(doc.display_title)}</a> '
                     f'<span class="muted">{or_dash(doc.outlet, "no outlet named")}, {esc(doc.date or "undated")}</span></h3>')
        for _d, it in (x for x in mentions if x[0] is doc):
            m = it.data
            left, right = context_of(doc.text, m["start"], m["end"], width=CONTEXT)
            href = f"../{doc_page(doc.doc_id)}#t-{it.key}"
            badges = f" {side_badges(it)}" if it.side else ""
            parts.append(f'<div class="kwrow" data-item data-in="d{n}" data-f-doc="d{n}"><span class="left"><bdi>{esc(left)}</bdi></span>'
                         f'<span class="kw"><a href="{esc(href)}"><span class="chip {label_class(m["label"], site.labels)}">'
                         f'{esc(m["exact"])}</span></a>{badges}</span><span class="right">{esc(right)}</span></div>')
    parts.append("</div>")
    return "\n".join(parts)


CONTEXT = 220  # characters of context each side; the row clips what does not fit its width


def render_entity_page(site: Site, entity: dict, mentions: list[tuple[Document, Item]]) -> str:
    eid = entity["id"]
    parts = [f"<h1>{esc(entity['name'])}</h1>",
             f'<p class="meta"><span class="chip {label_class(entity["label"], site.labels)}">{esc(entity["label"])}</span>'
             f" · <code>{esc(eid)}</code></p>"]
    if entity.get("description"):
        parts.append(f"<p>{esc(entity['description'])}</p>")
    aliases = entity.get("aliases") or []
    parts.append(f"<h2>Aliases ({len(aliases)})</h2>")
    parts.append("<ul>" + "".join(f"<li>{esc(a)}</li>" for a in aliases) + "</ul>" if aliases else "<p>none</p>")
    docs = []
    for doc, _ in mentions:
        if doc not in docs:
            docs.append(doc)
    parts.append(f'<h2 id="mentions">Mentions ({len(mentions)} in {len(docs)} documents)</h2>')
    if not mentions:
        parts.append("<p>none in this annotation set</p>")
    else:
        parts.append(filter_bar("mention-list", "mentions and their context",
                                [("doc", "all documents", [(f"d{n}", doc.display_title) for n, doc in enumerate(docs)])]))
        parts.append(mention_list(site, docs, mentions))
    claims, stances = [], []
    for doc_id in site.shown:
        doc = site.by_id[doc_id]
        for it in site.items[doc_id]:
            href = esc(f"../{doc_page(doc_id)}#{first_anchor(it)}")
            badges = f" {side_badges(it)}" if it.side else ""
            if it.layer == "claim" and it.data["claimer"] == eid:
                claims.append(f'<li><a href="{href}">{esc(doc.outlet or doc.doc_id)} {esc(it.data["id"])}</a>{badges}: '
                              f'“{esc(it.data["exact"])}”</li>')
            if it.layer == "stance" and it.data["holder"] == eid:
                stances.append(f'<li><a href="{href}">{esc(doc.outlet or doc.doc_id)} {esc(it.data["id"])}</a>{badges}: '
                               f'{esc(it.data["target"])} {badge_span(it.data["polarity"], "pol-" + token(it.data["polarity"]))}</li>')
    parts.append(f'<h2 id="claims">Claims by {esc(entity["name"])} ({len(claims)})</h2>')
    parts.append("<ul>" + "".join(claims) + "</ul>" if claims else "<p>none</p>")
    parts.append(f'<h2 id="stances">Stances held by {esc(entity["name"])} ({len(stances)})</h2>')
    parts.append("<ul>" + "".join(stances) + "</ul>" if stances else "<p>none</p>")
    return page_frame(site, f"{entity['name']} — minusma-corpus explorer", "\n".join(parts), 1)
