"""The entity pages: one corpus entity, its aliases and every mention in context, its claims and stances."""

from __future__ import annotations

from ..pipeline.process import Document
from .fmt import context_of, doc_page, esc, label_class, token
from .items import Item
from .page import Site, badge_span, first_anchor, page_frame, side_badges


def entity_mentions(site: Site) -> dict[str, list[tuple[Document, Item]]]:
    out: dict[str, list[tuple[Document, Item]]] = {}
    for doc_id in site.shown:
        doc = site.by_id[doc_id]
        for it in site.items[doc_id]:
            if it.layer == "mention" and it.data["entity_id"] is not None:
                out.setdefault(it.data["entity_id"], []).append((doc, it))
    return out


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
    for doc in docs:
        rows = []
        for _d, it in (x for x in mentions if x[0] is doc):
            m = it.data
            left, right = context_of(doc.text, m["start"], m["end"])
            href = f"../{doc_page(doc.doc_id)}#t-{it.key}"
            badges = f" {side_badges(it)}" if it.side else ""
            rows.append(f'<tr><td class="left"><bdi>{esc(left)}</bdi></td><td class="kw"><a href="{esc(href)}">'
                        f'<span class="chip {label_class(m["label"], site.labels)}">{esc(m["exact"])}</span></a>{badges}</td>'
                        f'<td class="right">{esc(right)}</td></tr>')
        parts.append(f'<h3><a href="../{esc(doc_page(doc.doc_id))}">{esc(doc.display_title)}</a> '
                     f'<span class="muted">{esc(doc.outlet or "unknown outlet")}, {esc(doc.date or "undated")}</span></h3>')
        parts.append('<table class="kwic"><tbody>' + "\n".join(rows) + "</tbody></table>")
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
