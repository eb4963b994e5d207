"""The index page: documents, claim clusters and corpus entities."""

from __future__ import annotations

from ..annotations.agreement import agreement, disagreements
from .claims import cluster_members, has_conflict, ordered_clusters
from .entities import entity_mentions
from .fmt import cluster_anchor, doc_page, entity_page, esc, html_attrs, label_class, or_dash, raw_page
from .items import Item
from .page import Site, badge_span, doc_stance, filter_bar, html_table, page_frame


def _counts(items: list[Item], side: str) -> tuple[int, int, int]:
    return tuple(sum(1 for it in items if it.layer == layer and it.side == side)
                 for layer in ("mention", "claim", "stance"))  # type: ignore[return-value]


def render_index_page(site: Site) -> str:
    parts = ["<h1>minusma-corpus explorer</h1>", f'<p class="meta">{esc(site.set_names())}</p>']
    if site.diff:
        result = agreement({k: site.a.docs[k] for k in site.shown}, {k: site.b.docs[k] for k in site.shown})
        if result.documents:
            parts.append("<h2>Agreement of B with A</h2>")
            parts.append(html_table(("measure", "value"), (f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>"
                                                      for k, v in result.rows())))
    if site.unknown_docs:
        parts.append('<p class="warn">Annotations of documents that are not in the corpus (not shown): '
                     + esc(", ".join(site.unknown_docs)) + "</p>")
    rows = []
    for doc in site.documents:
        items = site.items.get(doc.doc_id, [])
        shown = doc.doc_id in site.shown
        if site.diff:
            ca, cb = _counts(items, "a"), _counts(items, "b")
            counts = "".join(f'<td class="num">{x} / {y}</td>' for x, y in zip(ca, cb)) if shown else \
                '<td colspan="3" class="muted">not in both sets</td>'
            n_dis = len(disagreements(site.a.docs[doc.doc_id], site.b.docs[doc.doc_id])) if shown else ""
            stance = (f"A {doc_stance(site, site.a.docs.get(doc.doc_id))}<br>B {doc_stance(site, site.b.docs.get(doc.doc_id))}"
                      if shown else "")
            extra = f'<td class="num">{n_dis}</td>'
        else:
            counts = "".join(f'<td class="num">{x}</td>' for x in _counts(items, "")) if shown else \
                '<td colspan="3" class="muted">not annotated in this set</td>'
            stance = doc_stance(site, site.a.docs.get(doc.doc_id)) if shown else ""
            extra = ""
        polarity = ((site.a.docs.get(doc.doc_id) or {}).get("document_stance") or {}).get("polarity") if shown else None
        rows.append(f'<tr data-item{html_attrs([("data-f-stance", polarity or "none")])}><td><a href="{esc(doc_page(doc.doc_id))}">{esc(doc.display_title)}</a><br>'
                    f'<code>{esc(doc.doc_id)}</code></td><td>{or_dash(doc.outlet, "no outlet named")}</td><td class="date">{or_dash(doc.date, "undated")}</td>'
                    f"{counts}<td>{stance}</td>{extra}<td><a href=\"{esc(raw_page(doc.doc_id))}\">raw vs clean</a></td></tr>")
    headers = ["document", "outlet", "date", "mentions", "claims", "stances", "document stance"]
    if site.diff:
        headers[3:6] = ["mentions A / B", "claims A / B", "stances A / B"]
        headers.append("disagreements")
    headers.append("cleaning")
    parts.append(f'<h2 id="documents">Documents ({len(site.documents)})</h2>')
    polarities = sorted({p for p in (((site.a.docs.get(d) or {}).get("document_stance") or {}).get("polarity")
                                     for d in site.shown) if p})
    parts.append(filter_bar("documents-table", "documents", [("stance", "any document stance",
                                                              [(p, p) for p in polarities] + [("none", "none")])]))
    parts.append(html_table(headers, rows, table_id="documents-table"))
    members = cluster_members(site)
    c_rows = []
    for c in ordered_clusters(site, members):
        ms = members.get(c["id"], [])
        conflict = badge_span("conflict", "conflict") if has_conflict(ms) else ""
        c_rows.append(f'<tr><td><a href="claims.html#{esc(cluster_anchor(c["id"]))}">{esc(c["id"])}</a></td>'
                      f'<td>{esc(c["property"])}</td><td class="num">{len(ms)}</td>'
                      f'<td class="num">{len({d.doc_id for d, _ in ms})}</td><td>{conflict}</td></tr>')
    parts.append(f'<h2 id="clusters">Claim clusters ({len(site.clusters)}) · <a href="claims.html">side by side</a></h2>')
    parts.append(html_table(("cluster", "property", "claims", "documents", ""), c_rows))
    mentions = entity_mentions(site)
    parts.append(f'<h2 id="entities">Corpus entities ({len(site.kb)})</h2>')
    all_labels = list(site.labels) + sorted({str(e["label"]) for e in site.kb} - set(site.labels))
    used = [label for label in all_labels if any(e["label"] == label for e in site.kb)]
    parts.append(filter_bar("entity-list", "entities by name, alias or id", [("label", "all labels", [(x, x) for x in used])]))
    parts.append('<div class="entities" id="entity-list">')
    for n, label in enumerate(used):
        entities = sorted((e for e in site.kb if e["label"] == label), key=lambda e: (str(e["name"]).lower(), e["id"]))
        parts.append(f'<h3 data-head="l{n}"><span class="chip {label_class(label, site.labels)}">{esc(label)}</span> '
                     f'({len(entities)})</h3><ul data-head="l{n}">')
        parts.extend(f'<li data-item data-in="l{n}"{html_attrs([("data-f-label", label), ("data-search", " ".join([e["id"], *map(str, e.get("aliases") or [])]))])}>'
                     f'<a href="{esc(entity_page(e["id"]))}">{esc(e["name"])}</a> '
                     f'<span class="muted">({len(mentions.get(e["id"], []))})</span></li>' for e in entities)
        parts.append("</ul>")
    parts.append("</div>")
    return page_frame(site, "minusma-corpus explorer", "\n".join(parts), 0)
