"""The document page: the cleaned text with every annotation highlighted, legend, toggles, tables."""

from __future__ import annotations

from ..annotations.agreement import disagreements
from ..fileio import text_sha256
from .fmt import esc, raw_page, safe_id
from .markup import marked_html
from .page import Site, annotation_tables, doc_marks, doc_stance, page_frame, provenance_line, toolbar_html


def render_document_page(site: Site, index: int) -> str:
    doc = site.documents[index]
    items = site.items.get(doc.doc_id, [])
    marks, problems = doc_marks(site, doc, items)
    a = site.a.docs.get(doc.doc_id)
    b = site.b.docs.get(doc.doc_id) if site.b else None
    sha = text_sha256(doc.text)
    for name, ann in (("A", a), ("B", b)) if site.diff else (("annotations", a),):
        if ann and doc.doc_id in site.shown and ann.get("text_sha256") != sha:
            problems.insert(0, f"{name}: text_sha256 differs from the cleaned text (annotations made on another "
                               "text; run `minusma-corpus reanchor`)")
    prev_next = []
    if index > 0:
        prev_next.append(f'<a href="{esc(safe_id(site.documents[index - 1].doc_id))}.html">← previous</a>')
    if index + 1 < len(site.documents):
        prev_next.append(f'<a href="{esc(safe_id(site.documents[index + 1].doc_id))}.html">next →</a>')
    head = [f"<h1>{esc(doc.display_title)}</h1>",
            f'<p class="meta">{esc(doc.outlet or "unknown outlet")} · {esc(doc.date or "undated")} · <code>{esc(doc.doc_id)}</code>'
            f' · <a href="../{esc(raw_page(doc.doc_id))}">raw vs clean</a> · {" · ".join(prev_next)}</p>']
    if site.diff:
        head.append(f'<p class="meta">document stance: A {doc_stance(site, a)} · B {doc_stance(site, b)}</p>')
        head += [provenance_line(a, f"A ({site.a.name})"), provenance_line(b, f"B ({site.b.name})")]
    else:
        head.append(f'<p class="meta">document stance: {doc_stance(site, a)}</p>')
        head.append(provenance_line(a, site.a.name))
    if site.diff and doc.doc_id not in site.shown:
        head.append('<p class="warn">This document is not annotated in both sets; nothing to compare.</p>')
    if problems:
        head.append('<div class="warn"><strong>Problems</strong><ul>' +
                    "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul></div>")
    body = "\n".join(head) + "\n" + toolbar_html(site, bool(items)) + "\n"
    body += (f'<div class="layout"><div class="text" id="text">{marked_html(doc.text, marks)}</div>'
             '<aside id="panel"><p class="muted">Hover an annotation to see its extent and its attributes in a '
             'tooltip; click it to list the attributes of every annotation at that point here.</p></aside></div>\n')
    if site.diff and doc.doc_id in site.shown:
        lines = disagreements(a, b)
        body += f'<h2 id="disagreements">Disagreements ({len(lines)})</h2>'
        body += "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>" if lines else "<p>none</p>"
    if items:
        body += annotation_tables(site, items)
    return page_frame(site, f"{doc.display_title} — minusma-corpus explorer", body, 1)
