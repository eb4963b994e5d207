"""What every page shares: the site being rendered (``Site``), the page frame, tables, badges and marks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..annotations.anchor import fits, span_problem
from ..annotations.schema import Schema, load_schema
from ..pipeline.process import Document
from .fmt import (asset, cluster_anchor, csp_hash, entity_page, esc, html_attrs, label_class, normalized_text, page_css,
                  quantity_text, token)
from .items import Item, diff_items, single_items
from .markup import Mark
from .model import AnnotationSet, SIDE_NAMES, STATUS_TEXT


@dataclass
class Site:
    documents: list[Document]
    a: AnnotationSet
    b: AnnotationSet | None
    kb: list[dict]
    clusters: list[dict]
    labels: tuple[str, ...]
    schema: Schema = field(default_factory=load_schema)  # the annotation schema the sets follow
    items: dict[str, list[Item]] = field(default_factory=dict)  # doc_id -> items
    shown: list[str] = field(default_factory=list)  # doc ids whose annotations are shown

    @property
    def diff(self) -> bool:
        return self.b is not None

    def __post_init__(self):
        self.entities = {e["id"]: e for e in self.kb}
        self.cluster_ids = {c["id"] for c in self.clusters}
        self.by_id = {d.doc_id: d for d in self.documents}
        for d in self.documents:
            if self.b is None:
                if d.doc_id in self.a.docs:
                    self.items[d.doc_id] = single_items(self.a.docs[d.doc_id])
                    self.shown.append(d.doc_id)
            elif d.doc_id in self.a.docs and d.doc_id in self.b.docs:
                self.items[d.doc_id] = diff_items(self.a.docs[d.doc_id], self.b.docs[d.doc_id])
                self.shown.append(d.doc_id)
        self.unknown_docs = sorted((set(self.a.docs) | set(self.b.docs if self.b else {})) - set(self.by_id))

    def party(self, pid: str | None, text: str | None = None) -> str:
        if pid is None:
            return ""
        name = self.entities[pid]["name"] if pid in self.entities else pid
        return f"{name} ({text})" if text else name

    def party_link(self, pid: str | None, text: str | None, root: str) -> str:
        if pid in self.entities:
            link = f'<a href="{esc(root + entity_page(pid))}">{esc(self.entities[pid]["name"])}</a>'
            return link + (f" ({esc(text)})" if text else "")
        return esc(self.party(pid, text))

    def entity_link(self, eid: str | None, root: str) -> str:
        if eid not in self.entities:
            return _unknown(eid, "not in the KB")
        return f'<a href="{esc(root + entity_page(eid))}">{esc(self.entities[eid]["name"])}</a>'

    def cluster_link(self, cid: str | None, root: str) -> str:
        if cid not in self.cluster_ids:
            return _unknown(cid, "unknown cluster")
        return f'<a href="{esc(root)}claims.html#{esc(cluster_anchor(cid))}">{esc(cid)}</a>'

    def set_names(self) -> str:
        if self.b is None:
            return f"annotations: {self.a.name}"
        return f"A: {self.a.name} · B: {self.b.name}"


def _unknown(key: str | None, what: str) -> str:
    """An id that the KB or the cluster list lacks, flagged (nothing for no id)."""
    return "" if key is None else f'{esc(key)} <span class="badge conflict">{what}</span>'


def badge_span(text: str, cls: str) -> str:
    return f'<span class="badge {esc(cls)}">{esc(text)}</span>'


def side_badges(item: Item) -> str:
    if not item.side:
        return ""
    return badge_span(SIDE_NAMES[item.side], f"side-{item.side}") + " " + badge_span(STATUS_TEXT[item.status], f"st-{item.status}")


def page_frame(site: Site, title: str, body: str, depth: int, *, body_class: str = "") -> str:
    css = page_css(site.labels)
    js = asset("explore.js")
    csp = (f"default-src 'none'; style-src '{csp_hash(css)}'; script-src '{csp_hash(js)}'; img-src data:; "
           "base-uri 'none'; form-action 'none'")
    root = "../" * depth
    nav = (f'<nav class="top"><a href="{root}index.html">Index</a><a href="{root}index.html#documents">Documents</a>'
           f'<a href="{root}claims.html">Claims</a><a href="{root}index.html#entities">Entities</a>'
           f'<span class="set">{esc(site.set_names())}</span></nav>')
    classes = " ".join(x for x in (body_class, "diff" if site.diff else "") if x)
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f'<meta http-equiv="Content-Security-Policy" content="{esc(csp)}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<link rel="icon" href="data:,">\n'
            f"<title>{esc(title)}</title>\n<style>{css}</style>\n</head>\n"
            f"<body{html_attrs([('class', classes or None)])}>\n{nav}\n<main>\n{body}\n</main>\n<script>{js}</script>\n"
            "</body>\n</html>\n")


def html_table(headers: Sequence[str], rows: Iterable[str], *, cls: str = "", layer: str = "", table_id: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    attrs = html_attrs([("id", table_id or None), ("class", cls or None), ("data-layer", layer or None)])
    return (f"<table{attrs}><thead><tr>{head}</tr></thead>"
            f"<tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


def doc_stance(site: Site, annotation: dict | None) -> str:
    ds = (annotation or {}).get("document_stance")
    if not ds:
        return '<span class="muted">none</span>'
    return f"{esc(ds['target'])}: {badge_span(ds['polarity'], 'pol-' + token(ds['polarity']))}"


def _tip(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def doc_marks(site: Site, doc: Document, items: list[Item]) -> tuple[list[Mark], list[str]]:
    """The marks of a document page, and the problems found (spans that do not fit the text)."""
    text = doc.text
    marks: list[Mark] = []
    problems: list[str] = []
    edge = 0
    for i, b in sorted(enumerate(doc.blocks), key=lambda ib: ib[1]["start"]):
        marks.append(Mark(b["start"], b["end"], "block", f"b{i}", f"blk blk-{token(b['type'])}",
                          first_attrs=(("id", f"b{i}"),)))
        if edge < b["start"] and not text[edge:b["start"]].strip():  # the blank lines between blocks
            marks.append(Mark(edge, b["start"], "block", f"g{i}", "sep"))
        edge = max(edge, b["end"])
    if doc.blocks and edge < len(text) and not text[edge:].strip():
        marks.append(Mark(edge, len(text), "block", "g-end", "sep"))

    def span_mark(span, kind, key, cls, *, label_for: str, attrs=(), first=(), last=(), family="", tag=""):
        s, e = span["start"], span["end"]
        reason = span_problem(text, s, e, span.get("exact"), width=60)
        if not fits(text, s, e):
            problems.append(f"{label_for}: {reason}; not shown")
            return
        if reason:
            problems.append(f"{label_for}: {reason}")
            cls += " bad"
        marks.append(Mark(s, e, kind, key, cls, tuple(attrs), (("id", f"t-{key}"), *first), tuple(last), family, tag))

    for it in items:
        x = it.data
        extra = f" side-{it.side} st-{it.status}" if it.side else ""
        side = f"{SIDE_NAMES[it.side]} " if it.side else ""
        if it.layer == "mention":
            entity = site.party(x["entity_id"]) if x["entity_id"] else ""
            tip = _tip(f"{side}mention {x['id']}", str(x["label"]), entity and f"→ {entity}",
                       normalized_text(x.get("normalized")), it.status and STATUS_TEXT[it.status])
            span_mark(x, "mention", it.key, f"ent {label_class(x['label'], site.labels)}{extra}",
                      label_for=f"mention {x['id']}", attrs=[("title", tip)],
                      last=[("data-label", f"{side}{x['label']}")])
        elif it.layer == "claim":
            claimer = site.party(x["claimer"], x.get("claimer_text"))
            cue = (x.get("cue") or {}).get("exact")
            tip = _tip(f"{side}claim {x['id']}", f"claimer: {claimer}", cue and f"cue: “{cue}”",
                       str(x["claim_type"]), quantity_text(x.get("quantity")),
                       x.get("cluster_id") and f"cluster {x['cluster_id']} ({x.get('cluster_relation')})",
                       it.status and STATUS_TEXT[it.status])
            relation = f" rel-{token(x['cluster_relation'])}" if x.get("cluster_relation") else ""
            span_mark(x, "claim", it.key, f"claim{relation}{extra}", label_for=f"claim {x['id']}",
                      attrs=[("title", tip)], tag=f"{side}{x['id']} {claimer}", family="claim")
            if x.get("cue"):
                span_mark(x["cue"], "cue", f"{it.key}-cue", f"cue{extra}", label_for=f"claim {x['id']} cue",
                          attrs=[("data-group", it.key), ("title", f"{side}cue of claim {x['id']} ({claimer})")])
        else:
            holder = site.party(x["holder"], x.get("holder_text"))
            tag = f"{side}{x['id']} {holder} → {x['target']}: {x['polarity']}"
            for n, ev in enumerate(x["evidence"]):
                span_mark(ev, "evidence", f"{it.key}-e{n}", f"ev pol-{token(x['polarity'])}{extra}",
                          label_for=f"stance {x['id']} evidence {n}",
                          attrs=[("data-group", it.key), ("title", _tip(f"stance {tag}", it.status and STATUS_TEXT[it.status]))],
                          tag=tag, family="ev")
    return marks, problems


def first_anchor(it: Item) -> str:
    if it.layer == "stance":
        return f"t-{it.key}-e0" if it.data["evidence"] else f"ann-{it.key}"
    return f"t-{it.key}"


def _diff_cells(site: Site, it: Item) -> str:
    if not site.diff:
        return ""
    partner = f'<a href="#ann-{esc(it.partner)}">{esc(it.partner)}</a>' if it.partner else ""
    return (f"<td>{badge_span(SIDE_NAMES[it.side], 'side-' + it.side)}</td><td>{badge_span(STATUS_TEXT[it.status], 'st-' + it.status)}"
            f"</td><td>{partner}</td><td>{esc(it.note)}</td>")


_DIFF_HEADERS = ("set", "status", "paired with", "differs in")


def _row(it: Item, cells: str, site: Site) -> str:
    cls = f"side-{it.side} st-{it.status}" if it.side else None
    first = f'<td><a href="#{esc(first_anchor(it))}">{esc(it.data["id"])}</a></td>'
    return f"<tr{html_attrs([('id', 'ann-' + it.key), ('class', cls)])}>{first}{cells}{_diff_cells(site, it)}</tr>"


def annotation_tables(site: Site, items: list[Item]) -> str:
    root = "../"
    diff_h = _DIFF_HEADERS if site.diff else ()
    mentions = [it for it in items if it.layer == "mention"]
    claims = [it for it in items if it.layer == "claim"]
    stances = [it for it in items if it.layer == "stance"]
    m_rows = [_row(it, f"<td>{esc(it.data['exact'])}</td><td>{esc(it.data['label'])}</td>"
                       f"<td>{site.entity_link(it.data['entity_id'], root)}</td>"
                       f"<td>{esc(normalized_text(it.data.get('normalized')))}</td>", site) for it in mentions]
    c_rows = []
    for it in claims:
        x = it.data
        cue = (x.get("cue") or {}).get("exact")
        cue_html = f'<a href="#t-{esc(it.key)}-cue">{esc(cue)}</a>' if cue else ""
        c_rows.append(_row(it, f"<td>{esc(x['exact'])}</td><td>{site.party_link(x['claimer'], x.get('claimer_text'), root)}</td>"
                               f"<td>{cue_html}</td><td>{esc(x['claim_type'])}</td><td>{esc(x.get('checkworthy'))}</td>"
                               f"<td>{esc(quantity_text(x.get('quantity')))}</td><td>{site.cluster_link(x.get('cluster_id'), root)}</td>"
                               f"<td>{esc(x.get('cluster_relation') or '')}</td>", site))
    s_rows = []
    for it in stances:
        x = it.data
        evidence = " ".join(f'<a href="#t-{esc(it.key)}-e{n}">[{n + 1}]</a> {esc(ev["exact"])}'
                            for n, ev in enumerate(x["evidence"]))
        s_rows.append(_row(it, f"<td>{site.party_link(x['holder'], x.get('holder_text'), root)}</td>"
                               f"<td>{esc(x['target'])}</td><td>{badge_span(x['polarity'], 'pol-' + token(x['polarity']))}</td>"
                               f"<td>{evidence}</td>", site))
    return "\n".join([
        f'<h2 id="mentions">Entity mentions ({len(mentions)})</h2>',
        html_table(("id", "text", "label", "entity", "normalised", *diff_h), m_rows, layer="mention"),
        f'<h2 id="claims">Claims ({len(claims)})</h2>',
        html_table(("id", "text", "claimer", "cue", "type", "check-worthy", "quantity", "cluster", "relation", *diff_h),
               c_rows, layer="claim"),
        f'<h2 id="stances">Stances ({len(stances)})</h2>',
        html_table(("id", "holder", "target", "polarity", "evidence", *diff_h), s_rows, layer="stance"),
    ])


def provenance_line(annotation: dict | None, name: str) -> str:
    if not annotation:
        return f"<p class=\"meta\">{esc(name)}: no annotations of this document</p>"
    p = annotation.get("provenance") or {}
    return (f'<p class="meta">{esc(name)}: {esc(p.get("status"))} · annotator {esc(p.get("annotator"))} · '
            f'created {esc(p.get("created"))} · schema {esc(annotation.get("schema_version"))}</p>')


def toolbar_html(site: Site, has_items: bool) -> str:
    legend = "".join(f'<span class="chip {label_class(label, site.labels)}">{esc(label)}</span>' for label in site.labels)
    toggles = [("ent", "entities"), ("claim", "claims"), ("cue", "cues"), ("ev", "stance evidence")]
    if site.diff:
        toggles += [("a", "set A"), ("b", "set B")]
    boxes = "".join(f'<label><input type="checkbox" checked data-toggle="{k}"> {esc(v)}</label>' for k, v in toggles)
    key = ('<span><span class="badge">claim: underline, tag = id and claimer</span> '
           '<span class="badge">cue: dashed box</span> <span class="badge">stance evidence: overline, '
           'holder → target: polarity</span></span>')
    if site.diff:
        key += " " + " ".join(badge_span(v, f"st-{k}") for k, v in STATUS_TEXT.items())
    return f'<div class="toolbar"><span class="legend">{legend}</span>{key if has_items else ""}{boxes if has_items else ""}</div>'


def filter_bar(target: str, what: str, facets: Sequence[tuple[str, str, Sequence[tuple[str, str]]]] = ()) -> str:
    """A search box (and optional selects) filtering the ``[data-item]`` elements inside ``#target``
    client-side (explore.js): an item is shown when every word of the query is in its text (case and
    accents ignored) and, for each facet ``(name, all_label, [(value, label)])`` set, its ``data-f-<name>``
    equals the chosen value. ``[data-head=G]`` elements hide when no item ``data-in=G`` is shown; a
    ``data-page-size`` on the target pages the items that match."""
    selects = "".join(
        f'<select data-facet="{esc(name)}" aria-label="{esc(all_label)}"><option value="">{esc(all_label)}</option>'
        + "".join(f'<option value="{esc(v)}">{esc(label)}</option>' for v, label in options) + "</select>"
        for name, all_label, options in facets)
    return (f'<div class="filter" role="search" data-filter-for="{esc(target)}">'
            f'<input type="search" placeholder="Search {esc(what)}…" aria-label="Search {esc(what)}">'
            f'{selects}<span class="count" aria-live="polite"></span></div>')
