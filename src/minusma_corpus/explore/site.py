"""Corpus explorer: a static HTML site of an annotated corpus (``minusma-corpus explore``).

The site opens from disk (no server, no external fonts, scripts or CDNs; every page carries a
Content-Security-Policy that allows only its own inline style and script, by hash)::

    index.html             documents (outlet, date, title, counts per layer, document stance),
                           claim clusters and corpus entities
    docs/<doc_id>.html     the cleaned text with every annotation highlighted, a legend, layer toggles,
                           a panel with the attributes of the clicked annotation, and the annotation tables
    raw/<doc_id>.html      raw vs clean: every raw line and what the cleaner did with it
    entities/<id>.html     one corpus entity: aliases and every mention in context, its claims and stances
    claims.html            every cross-document claim cluster, members side by side, conflicts first
    explore.json           the list of pages (marks the directory as an explorer site)

Any annotation set renders (gold, predicted, one annotator's pass, an import under review), and so does
the diff of two sets (``other``): matches and disagreements coloured, as in ``agreement --diff``.

In a document page every annotation is one or more ``<span data-id=KEY>`` fragments whose text, joined
in document order, is the annotation's ``exact`` text; overlapping annotations are nested where they
nest and split into fragments where they cross. KEY is ``mark_key(side, id)`` (mentions, claims and
stances), ``KEY-cue`` for a claim's cue and ``KEY-e<i>`` for a stance's i-th evidence span. Labels and
tags are drawn with CSS pseudo-elements, so the text content of the page's ``#text`` element is the
cleaned text itself.

Everything below is pure (plain data in, HTML strings out) except the functions at the end, which read
and write files: ``write_site`` (render and write), ``load_annotation_sets``, ``explore`` (the command),
and ``screenshot`` / ``claims_png`` / ``stamp_png`` (a PNG of a page with headless Chromium, stamped with
the sha256 of the page it shows, for the dataset card).
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from .agreement import same_span, match_one_to_one, overlapping, stance_key, agreement, disagreements
from .annotations import text_sha256

MARKER = "explore.json"
GENERATOR = "minusma-corpus explore"

# Colours of the entity labels (displaCy's where it has the label); unknown labels are grey.
LABEL_COLOURS = {
    "PERSON": "#aa9cfc", "ORG": "#7aecec", "GPE": "#feca74", "LOC": "#ff9561", "NORP": "#c887fb",
    "EVENT": "#ffeb80", "LAW": "#ff8197", "MISSION": "#9fd8cb", "ARMED_GROUP": "#f2a7a7", "DATE": "#bfe1d9",
    "MONEY": "#e4e7d2", "QUANTITY": "#d8c7f0",
}
_OTHER_COLOUR = "#dddddd"

# What the cleaner did with each kind of removed raw line: dropped, or moved to a metadata field.
FURNITURE_DESTINATION = {
    "byline": "metadata.authors", "date": "metadata.date", "caption": "metadata.captions",
    "credit": "metadata.credits", "correction": "metadata.corrections", "author_bio": "metadata.author_bios",
}
_RANK = {"block": 0, "evidence": 1, "claim": 2, "cue": 3, "mention": 4}
_SIDE_NAMES = {"a": "A", "b": "B"}
_STATUS_TEXT = {"match": "match", "changed": "changed", "only-a": "only in A", "only-b": "only in B"}


class ExploreError(ValueError):
    """The explorer cannot write its site (names the directory or file and the reason)."""


# --------------------------------------------------------------------------------------------
# Plain input data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    """One article as the explorer needs it (see ``document_from_processed``)."""

    doc_id: str
    text: str  # the cleaned text, which annotation offsets point into
    outlet: str | None = None
    date: str | None = None
    title: str | None = None
    raw: str = ""  # the decoded raw article
    blocks: tuple[dict, ...] = ()  # {type, start, end, raw_start, raw_end}
    furniture: tuple[dict, ...] = ()  # {kind, raw_start, raw_end, text}
    metadata: dict = field(default_factory=dict, hash=False)  # DocumentMetadata as a dict

    @property
    def display_title(self) -> str:
        first_line = self.text.strip().split("\n", 1)[0][:90]
        return self.title or self.metadata.get("title") or first_line or self.doc_id


@dataclass(frozen=True)
class AnnotationSet:
    """Annotation files of some documents, and where they came from (shown in every page)."""

    name: str
    docs: dict[str, dict] = field(hash=False)  # doc_id -> annotation file (as read by read_annotation_file)


def document_from_processed(d) -> Document:
    """A ``build.process`` document (row, raw, clean, sentences, tokens) as explorer input."""
    meta = asdict(d.clean.metadata)
    return Document(d.row.doc_id, d.clean.text, d.row.outlet, d.row.date, d.row.title or d.clean.metadata.title,
                    d.raw, tuple(asdict(b) for b in d.clean.blocks), tuple(asdict(f) for f in d.clean.furniture),
                    meta)


# --------------------------------------------------------------------------------------------
# Escaping, ids and small formatters
# --------------------------------------------------------------------------------------------


def esc(value) -> str:
    """Text content: ``& < >`` escaped (quotes too, harmlessly); CR kept as a character reference."""
    return html.escape("" if value is None else str(value), quote=True).replace("\r", "&#13;")


def _attrs(pairs: Iterable[tuple[str, object]]) -> str:
    return "".join(f' {k}="{esc(v)}"' for k, v in pairs if v is not None)


_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,80}")


def safe_id(value: str) -> str:
    """``value`` if it is safe as a file name, HTML id and URL fragment; else a stable hash of it."""
    value = str(value)
    if _SAFE.fullmatch(value) and value not in (".", ".."):
        return value
    return "x" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


def mark_key(side: str, annotation_id: str) -> str:
    """The page key (``data-id``) of an annotation: its id, prefixed by ``a-``/``b-`` in a diff."""
    return f"{side}-{safe_id(annotation_id)}" if side else safe_id(annotation_id)


def doc_page(doc_id: str) -> str:
    return f"docs/{safe_id(doc_id)}.html"


def raw_page(doc_id: str) -> str:
    return f"raw/{safe_id(doc_id)}.html"


def entity_page(entity_id: str) -> str:
    return f"entities/{safe_id(entity_id)}.html"


def cluster_anchor(cluster_id: str) -> str:
    return f"cluster-{safe_id(cluster_id)}"


def _label_class(label: str, labels: Sequence[str]) -> str:
    return f"lab-{labels.index(label)}" if label in labels else "lab-x"


def _token(value) -> str:
    """A CSS class suffix for a schema value (polarity, relation); anything else becomes ``x``."""
    value = str(value)
    return value if re.fullmatch(r"[A-Za-z_]{1,40}", value) else "x"


def _num(n) -> str:
    if n is None:
        return ""
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return f"{n:,}" if isinstance(n, int) else f"{n:,.6g}"


def _normalized(n: dict | None) -> str:
    if not n:
        return ""
    parts = []
    if n.get("iso"):
        parts.append(str(n["iso"]))
    if n.get("number") is not None:
        parts.append(" ".join(x for x in (n.get("currency") or "", _num(n["number"]), n.get("unit") or "") if x))
    text = "; ".join(parts)
    return f"≈ {text}" if text and n.get("approximate") else text


def _quantity(q: dict | None, with_property: bool = True) -> str:
    if not q:
        return ""
    value = " ".join(x for x in (_num(q.get("number")), q.get("unit") or "") if x)
    if q.get("approximate"):
        value = f"≈ {value}"
    return f"{value} ({q['property']})" if q.get("property") and with_property else value


def _context(text: str, start: int, end: int, width: int = 70) -> tuple[str, str]:
    left = text[max(0, start - width):start].replace("\n", " ")
    right = text[end:end + width].replace("\n", " ")
    return ("…" if start > width else "") + left, right + ("…" if end + width < len(text) else "")


def _csp_hash(source: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii")


@lru_cache(maxsize=None)
def _asset(name: str) -> str:
    return (resources.files("minusma_corpus") / "explore_assets" / name).read_text(encoding="utf-8")


def _css(labels: Sequence[str]) -> str:
    rules = [f".lab-{i}{{background:{LABEL_COLOURS.get(label, _OTHER_COLOUR)}}}" for i, label in enumerate(labels)]
    rules.append(f".lab-x{{background:{_OTHER_COLOUR}}}")
    return _asset("explore.css") + "\n".join(rules) + "\n"


def _labels(labels: Sequence[str] | None) -> tuple[str, ...]:
    if labels is not None:
        return tuple(labels)
    from .schema import load_schema

    return tuple(load_schema().entity_labels)


# --------------------------------------------------------------------------------------------
# Marked-up text: overlapping spans as nested and split <span> fragments
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One highlighted span. Every fragment carries ``data-id`` (``data-block`` for blocks) and ``attrs``;
    the first fragment also ``first_attrs`` (its anchor id, a tag), the last one ``last_attrs`` (a label)."""

    start: int
    end: int
    kind: str  # block | evidence | claim | cue | mention: the outer one first when spans are equal
    key: str
    cls: str
    attrs: tuple[tuple[str, str], ...] = ()
    first_attrs: tuple[tuple[str, str], ...] = ()
    last_attrs: tuple[tuple[str, str], ...] = ()
    family: str = ""  # marks of one family drawn as stacked lines (claims, evidence) know how many nest inside


class _Node:
    __slots__ = ("mark", "children", "first", "last", "height")

    def __init__(self, mark: Mark | None, first: bool = False):
        self.mark = mark
        self.children: list = []
        self.first = first
        self.last = False
        self.height = 0


def marked_html(text: str, marks: Sequence[Mark]) -> str:
    """``text`` as HTML with every mark as one or more ``<span>`` fragments.

    Marks that nest become nested elements; where two marks cross, the inner one is closed and reopened
    (a second fragment with the same ``data-id``). Blocks (rank 0) are always outermost. Marks outside
    the text or of length zero are left out."""
    marks = [m for m in marks if 0 <= m.start < m.end <= len(text)]
    starting: dict[int, list[Mark]] = {}
    for m in marks:
        starting.setdefault(m.start, []).append(m)
    points = sorted({0, len(text)} | {m.start for m in marks} | {m.end for m in marks})
    root = _Node(None)
    stack = [root]
    last: dict[str, _Node] = {}

    def order(m: Mark):
        return (_RANK[m.kind] != 0, -m.end, _RANK[m.kind], m.key)

    for i, p in enumerate(points):
        new = starting.get(p, [])
        reopen: list[Mark] = []
        outermost = any(_RANK[m.kind] == 0 for m in new)
        while len(stack) > 1 and (outermost or any(n.mark.end == p for n in stack[1:])):
            node = stack.pop()
            if node.mark.end != p:
                reopen.append(node.mark)
        for m in sorted(reopen + new, key=order):
            node = _Node(m, first=m.key not in last)
            last[m.key] = node
            stack[-1].children.append(node)
            stack.append(node)
        if i + 1 < len(points) and points[i + 1] > p:
            stack[-1].children.append(text[p:points[i + 1]])
    for node in last.values():
        node.last = True
    _heights(root)
    out: list[str] = []
    _serialize(root, out)
    return "".join(out)


def _heights(node: _Node) -> dict[str, int]:
    below: dict[str, int] = {}
    for child in node.children:
        if isinstance(child, _Node):
            for family, depth in _heights(child).items():
                below[family] = max(below.get(family, 0), depth)
    if node.mark is not None and node.mark.family:
        node.height = below.get(node.mark.family, 0)
        below[node.mark.family] = node.height + 1
    return below


def _serialize(node: _Node, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, str):
            out.append(esc(child))
            continue
        m = child.mark
        cls = m.cls + (f" h{min(child.height, 5)}" if m.family else "")
        pairs: list[tuple[str, object]] = [("class", cls), ("data-block" if m.kind == "block" else "data-id", m.key)]
        pairs += m.attrs
        if child.first:
            pairs += m.first_attrs
        if child.last:
            pairs += m.last_attrs
        out.append(f"<span{_attrs(pairs)}>")
        _serialize(child, out)
        out.append("</span>")


# --------------------------------------------------------------------------------------------
# The annotations of a page: one set, or two sets compared
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One annotation (mention, claim or stance) as shown, with its diff status in a comparison."""

    layer: str  # mention | claim | stance
    data: dict = field(hash=False)
    key: str = ""
    side: str = ""  # "" (one set), "a" or "b"
    status: str = ""  # diff only: match | changed | only-a | only-b
    partner: str | None = None  # diff only: key of the paired annotation of the other set
    note: str = ""  # diff only: what differs


def single_items(annotation: dict | None) -> list[Item]:
    if not annotation:
        return []
    return [Item(layer[:-1], x, mark_key("", x["id"])) for layer in ("mentions", "claims", "stances")
            for x in annotation[layer]]


def _spans(items) -> list[tuple[int, int]]:
    return [(x["start"], x["end"]) for x in items]


def diff_items(a: dict | None, b: dict | None) -> list[Item]:
    """The annotations of two sets of one document, paired as ``agreement --diff`` pairs them: mentions
    by exact span, claims by overlap, stances by holder and target."""
    a = a or {"mentions": [], "claims": [], "stances": []}
    b = b or {"mentions": [], "claims": [], "stances": []}
    info: dict[tuple[str, int], tuple[str, str, str]] = {}

    def pair(x, y, differences):
        status = "changed" if differences else "match"
        note = "; ".join(differences)
        info[("a", id(x))] = (status, mark_key("b", y["id"]), note)
        info[("b", id(y))] = (status, mark_key("a", x["id"]), note)

    for x, y in match_one_to_one(a["mentions"], b["mentions"], same_span):
        pair(x, y, [k for k in ("label", "entity_id", "normalized") if x[k] != y[k]])
    for x, y in match_one_to_one(a["claims"], b["claims"], overlapping):
        differences = [] if same_span(x, y) else ["span"]
        differences += [k for k in ("claimer", "claimer_text", "claim_type", "checkworthy", "cluster_id",
                                    "cluster_relation", "quantity") if x.get(k) != y.get(k)]
        if (x["cue"] or {}).get("start") != (y["cue"] or {}).get("start") or \
                (x["cue"] or {}).get("end") != (y["cue"] or {}).get("end"):
            differences.append("cue")
        pair(x, y, differences)
    stances_b = {}
    for y in b["stances"]:
        stances_b.setdefault(stance_key(y), y)
    for x in a["stances"]:
        y = stances_b.get(stance_key(x))
        if y is not None and ("b", id(y)) not in info:
            differences = [k for k in ("polarity",) if x[k] != y[k]]
            if _spans(x["evidence"]) != _spans(y["evidence"]):
                differences.append("evidence")
            pair(x, y, differences)
    out = []
    for side, data in (("a", a), ("b", b)):
        for layer in ("mentions", "claims", "stances"):
            for x in data[layer]:
                status, partner, note = info.get((side, id(x)), (f"only-{side}", None, ""))
                out.append(Item(layer[:-1], x, mark_key(side, x["id"]), side, status, partner, note))
    return out


# --------------------------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------------------------


@dataclass
class _Site:
    documents: list[Document]
    a: AnnotationSet
    b: AnnotationSet | None
    kb: list[dict]
    clusters: list[dict]
    labels: tuple[str, ...]
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
        if eid is None:
            return ""
        if eid in self.entities:
            return f'<a href="{esc(root + entity_page(eid))}">{esc(self.entities[eid]["name"])}</a>'
        return f'{esc(eid)} <span class="badge conflict">not in the KB</span>'

    def cluster_link(self, cid: str | None, root: str) -> str:
        if cid is None:
            return ""
        if cid in self.cluster_ids:
            return f'<a href="{esc(root)}claims.html#{esc(cluster_anchor(cid))}">{esc(cid)}</a>'
        return f'{esc(cid)} <span class="badge conflict">unknown cluster</span>'

    def set_names(self) -> str:
        if self.b is None:
            return f"annotations: {self.a.name}"
        return f"A: {self.a.name} · B: {self.b.name}"


def _badge(text: str, cls: str) -> str:
    return f'<span class="badge {esc(cls)}">{esc(text)}</span>'


def _side_badges(item: Item) -> str:
    if not item.side:
        return ""
    return _badge(_SIDE_NAMES[item.side], f"side-{item.side}") + " " + _badge(_STATUS_TEXT[item.status], f"st-{item.status}")


def _page(site: _Site, title: str, body: str, depth: int, *, body_class: str = "") -> str:
    css = _css(site.labels)
    js = _asset("explore.js")
    csp = (f"default-src 'none'; style-src '{_csp_hash(css)}'; script-src '{_csp_hash(js)}'; img-src data:; "
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
            f"<body{_attrs([('class', classes or None)])}>\n{nav}\n<main>\n{body}\n</main>\n<script>{js}</script>\n"
            "</body>\n</html>\n")


def _table(headers: Sequence[str], rows: Iterable[str], *, cls: str = "", layer: str = "") -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    return (f"<table{_attrs([('class', cls or None), ('data-layer', layer or None)])}><thead><tr>{head}</tr></thead>"
            f"<tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


def _doc_stance(site: _Site, annotation: dict | None) -> str:
    ds = (annotation or {}).get("document_stance")
    if not ds:
        return '<span class="muted">none</span>'
    return f"{esc(ds['target'])}: {_badge(ds['polarity'], 'pol-' + _token(ds['polarity']))}"


# ---- document pages ---------------------------------------------------------------------------


def _tip(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _doc_marks(site: _Site, doc: Document, items: list[Item]) -> tuple[list[Mark], list[str]]:
    """The marks of a document page, and the problems found (spans that do not fit the text)."""
    text = doc.text
    marks: list[Mark] = []
    problems: list[str] = []
    edge = 0
    for i, b in sorted(enumerate(doc.blocks), key=lambda ib: ib[1]["start"]):
        marks.append(Mark(b["start"], b["end"], "block", f"b{i}", f"blk blk-{_token(b['type'])}",
                          first_attrs=(("id", f"b{i}"),)))
        if edge < b["start"] and not text[edge:b["start"]].strip():  # the blank lines between blocks
            marks.append(Mark(edge, b["start"], "block", f"g{i}", "sep"))
        edge = max(edge, b["end"])
    if doc.blocks and edge < len(text) and not text[edge:].strip():
        marks.append(Mark(edge, len(text), "block", "g-end", "sep"))

    def span_mark(span, kind, key, cls, *, label_for: str, attrs=(), first=(), last=(), family=""):
        s, e = span["start"], span["end"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            problems.append(f"{label_for}: span {s}-{e} is outside the text (length {len(text)}); not shown")
            return
        if text[s:e] != span.get("exact"):
            problems.append(f"{label_for}: exact {str(span.get('exact'))[:60]!r} differs from the text at {s}-{e}: "
                            f"{text[s:e][:60]!r}")
            cls += " bad"
        marks.append(Mark(s, e, kind, key, cls, tuple(attrs), (("id", f"t-{key}"), *first), tuple(last), family))

    for it in items:
        x = it.data
        extra = f" side-{it.side} st-{it.status}" if it.side else ""
        side = f"{_SIDE_NAMES[it.side]} " if it.side else ""
        if it.layer == "mention":
            entity = site.party(x["entity_id"]) if x["entity_id"] else ""
            tip = _tip(f"{side}mention {x['id']}", str(x["label"]), entity and f"→ {entity}",
                       _normalized(x.get("normalized")), it.status and _STATUS_TEXT[it.status])
            span_mark(x, "mention", it.key, f"ent {_label_class(x['label'], site.labels)}{extra}",
                      label_for=f"mention {x['id']}", attrs=[("title", tip)],
                      last=[("data-label", f"{side}{x['label']}")])
        elif it.layer == "claim":
            claimer = site.party(x["claimer"], x.get("claimer_text"))
            cue = (x.get("cue") or {}).get("exact")
            tip = _tip(f"{side}claim {x['id']}", f"claimer: {claimer}", cue and f"cue: “{cue}”",
                       str(x["claim_type"]), _quantity(x.get("quantity")),
                       x.get("cluster_id") and f"cluster {x['cluster_id']} ({x.get('cluster_relation')})",
                       it.status and _STATUS_TEXT[it.status])
            relation = f" rel-{_token(x['cluster_relation'])}" if x.get("cluster_relation") else ""
            span_mark(x, "claim", it.key, f"claim{relation}{extra}", label_for=f"claim {x['id']}",
                      attrs=[("title", tip)], first=[("data-tag", f"{side}{x['id']} {claimer}")], family="claim")
            if x.get("cue"):
                span_mark(x["cue"], "cue", f"{it.key}-cue", f"cue{extra}", label_for=f"claim {x['id']} cue",
                          attrs=[("data-group", it.key), ("title", f"{side}cue of claim {x['id']} ({claimer})")])
        else:
            holder = site.party(x["holder"], x.get("holder_text"))
            tag = f"{side}{x['id']} {holder} → {x['target']}: {x['polarity']}"
            for n, ev in enumerate(x["evidence"]):
                span_mark(ev, "evidence", f"{it.key}-e{n}", f"ev pol-{_token(x['polarity'])}{extra}",
                          label_for=f"stance {x['id']} evidence {n}",
                          attrs=[("data-group", it.key), ("title", _tip(f"stance {tag}", it.status and _STATUS_TEXT[it.status]))],
                          first=[("data-tag", tag)], family="ev")
    return marks, problems


def _first_anchor(it: Item) -> str:
    if it.layer == "stance":
        return f"t-{it.key}-e0" if it.data["evidence"] else f"ann-{it.key}"
    return f"t-{it.key}"


def _diff_cells(site: _Site, it: Item) -> str:
    if not site.diff:
        return ""
    partner = f'<a href="#ann-{esc(it.partner)}">{esc(it.partner)}</a>' if it.partner else ""
    return (f"<td>{_badge(_SIDE_NAMES[it.side], 'side-' + it.side)}</td><td>{_badge(_STATUS_TEXT[it.status], 'st-' + it.status)}"
            f"</td><td>{partner}</td><td>{esc(it.note)}</td>")


_DIFF_HEADERS = ("set", "status", "paired with", "differs in")


def _row(it: Item, cells: str, site: _Site) -> str:
    cls = f"side-{it.side} st-{it.status}" if it.side else None
    first = f'<td><a href="#{esc(_first_anchor(it))}">{esc(it.data["id"])}</a></td>'
    return f"<tr{_attrs([('id', 'ann-' + it.key), ('class', cls)])}>{first}{cells}{_diff_cells(site, it)}</tr>"


def _annotation_tables(site: _Site, items: list[Item]) -> str:
    root = "../"
    diff_h = _DIFF_HEADERS if site.diff else ()
    mentions = [it for it in items if it.layer == "mention"]
    claims = [it for it in items if it.layer == "claim"]
    stances = [it for it in items if it.layer == "stance"]
    m_rows = [_row(it, f"<td>{esc(it.data['exact'])}</td><td>{esc(it.data['label'])}</td>"
                       f"<td>{site.entity_link(it.data['entity_id'], root)}</td>"
                       f"<td>{esc(_normalized(it.data.get('normalized')))}</td>", site) for it in mentions]
    c_rows = []
    for it in claims:
        x = it.data
        cue = (x.get("cue") or {}).get("exact")
        cue_html = f'<a href="#t-{esc(it.key)}-cue">{esc(cue)}</a>' if cue else ""
        c_rows.append(_row(it, f"<td>{esc(x['exact'])}</td><td>{site.party_link(x['claimer'], x.get('claimer_text'), root)}</td>"
                               f"<td>{cue_html}</td><td>{esc(x['claim_type'])}</td><td>{esc(x.get('checkworthy'))}</td>"
                               f"<td>{esc(_quantity(x.get('quantity')))}</td><td>{site.cluster_link(x.get('cluster_id'), root)}</td>"
                               f"<td>{esc(x.get('cluster_relation') or '')}</td>", site))
    s_rows = []
    for it in stances:
        x = it.data
        evidence = " ".join(f'<a href="#t-{esc(it.key)}-e{n}">[{n + 1}]</a> {esc(ev["exact"])}'
                            for n, ev in enumerate(x["evidence"]))
        s_rows.append(_row(it, f"<td>{site.party_link(x['holder'], x.get('holder_text'), root)}</td>"
                               f"<td>{esc(x['target'])}</td><td>{_badge(x['polarity'], 'pol-' + _token(x['polarity']))}</td>"
                               f"<td>{evidence}</td>", site))
    return "\n".join([
        f'<h2 id="mentions">Entity mentions ({len(mentions)})</h2>',
        _table(("id", "text", "label", "entity", "normalised", *diff_h), m_rows, layer="mention"),
        f'<h2 id="claims">Claims ({len(claims)})</h2>',
        _table(("id", "text", "claimer", "cue", "type", "check-worthy", "quantity", "cluster", "relation", *diff_h),
               c_rows, layer="claim"),
        f'<h2 id="stances">Stances ({len(stances)})</h2>',
        _table(("id", "holder", "target", "polarity", "evidence", *diff_h), s_rows, layer="stance"),
    ])


def _provenance(annotation: dict | None, name: str) -> str:
    if not annotation:
        return f"<p class=\"meta\">{esc(name)}: no annotations of this document</p>"
    p = annotation.get("provenance") or {}
    return (f'<p class="meta">{esc(name)}: {esc(p.get("status"))} · annotator {esc(p.get("annotator"))} · '
            f'created {esc(p.get("created"))} · schema {esc(annotation.get("schema_version"))}</p>')


def _toolbar(site: _Site, has_items: bool) -> str:
    legend = "".join(f'<span class="chip {_label_class(label, site.labels)}">{esc(label)}</span>' for label in site.labels)
    toggles = [("ent", "entities"), ("claim", "claims"), ("cue", "cues"), ("ev", "stance evidence")]
    if site.diff:
        toggles += [("a", "set A"), ("b", "set B")]
    boxes = "".join(f'<label><input type="checkbox" checked data-toggle="{k}"> {esc(v)}</label>' for k, v in toggles)
    key = ('<span><span class="badge">claim: underline, tag = id and claimer</span> '
           '<span class="badge">cue: dashed box</span> <span class="badge">stance evidence: overline, '
           'holder → target: polarity</span></span>')
    if site.diff:
        key += " " + " ".join(_badge(v, f"st-{k}") for k, v in _STATUS_TEXT.items())
    return f'<div class="toolbar"><span class="legend">{legend}</span>{key if has_items else ""}{boxes if has_items else ""}</div>'


def _document_page(site: _Site, index: int) -> str:
    doc = site.documents[index]
    items = site.items.get(doc.doc_id, [])
    marks, problems = _doc_marks(site, doc, items)
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
        head.append(f'<p class="meta">document stance: A {_doc_stance(site, a)} · B {_doc_stance(site, b)}</p>')
        head += [_provenance(a, f"A ({site.a.name})"), _provenance(b, f"B ({site.b.name})")]
    else:
        head.append(f'<p class="meta">document stance: {_doc_stance(site, a)}</p>')
        head.append(_provenance(a, site.a.name))
    if site.diff and doc.doc_id not in site.shown:
        head.append('<p class="warn">This document is not annotated in both sets; nothing to compare.</p>')
    if problems:
        head.append('<div class="warn"><strong>Problems</strong><ul>' +
                    "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul></div>")
    body = "\n".join(head) + "\n" + _toolbar(site, bool(items)) + "\n"
    body += (f'<div class="layout"><div class="text" id="text">{marked_html(doc.text, marks)}</div>'
             '<aside id="panel"><p class="muted">Hover an annotation to see its extent and its attributes in a '
             'tooltip; click it to list the attributes of every annotation at that point here.</p></aside></div>\n')
    if site.diff and doc.doc_id in site.shown:
        lines = disagreements(a, b)
        body += f'<h2 id="disagreements">Disagreements ({len(lines)})</h2>'
        body += "<ul>" + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>" if lines else "<p>none</p>"
    if items:
        body += _annotation_tables(site, items)
    return _page(site, f"{doc.display_title} — minusma-corpus explorer", body, 1)


# ---- raw vs clean -----------------------------------------------------------------------------


def _raw_lines(doc: Document) -> list[dict]:
    """Every raw line with what the cleaner did: kept (blocks), dropped or moved to metadata (furniture)."""
    raw = doc.raw
    owner = [None] * len(raw)  # per raw character: ("kept", block index) | ("dropped"/"metadata", furniture index)
    for i, f in enumerate(doc.furniture):
        status = "metadata" if f["kind"] in FURNITURE_DESTINATION else "dropped"
        for k in range(max(0, f["raw_start"]), min(len(raw), f["raw_end"])):
            owner[k] = (status, i)
    for i, b in enumerate(doc.blocks):
        for k in range(max(0, b["raw_start"]), min(len(raw), b["raw_end"])):
            owner[k] = ("kept", i)
    lines = []
    pos = 0
    for number, line in enumerate(raw.split("\n"), start=1):
        start, end = pos, pos + len(line)
        pos = end + 1
        segments = []  # (status or None, text)
        for k in range(start, end):
            status = owner[k][0] if owner[k] else ("unaccounted" if not raw[k].isspace() else None)
            if segments and segments[-1][0] == status:
                segments[-1][1].append(raw[k])
            else:
                segments.append((status, [raw[k]]))
        owners = []
        for k in range(start, end):
            if owner[k] and owner[k] not in owners:
                owners.append(owner[k])
        statuses = [s for s, _ in segments if s]
        if not line.strip():
            status = "blank"
        elif "unaccounted" in statuses:
            status = "unaccounted"
        else:
            status = statuses[0] if len(set(statuses)) == 1 else "mixed"
        lines.append({"number": number, "start": start, "end": end, "status": status, "owners": owners,
                      "segments": [(s, "".join(t)) for s, t in segments]})
    return lines


def _raw_page(site: _Site, doc: Document) -> str:
    lines = _raw_lines(doc)
    rows = []
    for line in lines:
        what, clean = [], []
        for status, i in line["owners"]:
            if status == "kept":
                b = doc.blocks[i]
                what.append(f'kept: {esc(b["type"])} <a href="../{esc(doc_page(doc.doc_id))}#b{i}">block {i}</a>')
                block_text = doc.text[b["start"]:b["end"]]
                if block_text != doc.raw[b["raw_start"]:b["raw_end"]]:
                    clean.append(esc(block_text))
            else:
                f = doc.furniture[i]
                where = FURNITURE_DESTINATION.get(f["kind"])
                what.append(f"moved to {esc(where)} ({esc(f['kind'])})" if where else f"dropped: {esc(f['kind'])}")
                if f["text"] != doc.raw[f["raw_start"]:f["raw_end"]]:
                    clean.append(esc(f["text"]))
        if line["status"] == "unaccounted":
            what.append("<strong>not accounted for</strong>")
        raw_html = "".join(f'<span class="seg-{s}">{esc(t)}</span>' if s else esc(t) for s, t in line["segments"])
        rows.append(f'<tr id="L{line["number"]}" class="{line["status"]}"><td class="num"><a href="#L{line["number"]}">'
                    f'{line["number"]}</a></td><td class="line">{raw_html}</td><td class="what">{"<br>".join(what)}</td>'
                    f'<td class="clean">{"<br>".join(clean)}</td></tr>')
    counts: dict[str, int] = {}
    for line in lines:
        counts[line["status"]] = counts.get(line["status"], 0) + 1
    kinds: dict[str, int] = {}
    for f in doc.furniture:
        kinds[f["kind"]] = kinds.get(f["kind"], 0) + 1
    summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    meta_rows = []
    for key, value in doc.metadata.items():
        if value in (None, (), [], ""):
            continue
        if not isinstance(value, (list, tuple)):
            value = [value]
        cells = []
        for x in value:
            if isinstance(x, dict):
                x = " — ".join(f"{k}: {v}" if k != "text" else str(v) for k, v in x.items()
                               if v is not None and k not in ("raw_start", "raw_end"))
            cells.append(esc(x))
        meta_rows.append(f"<tr><th>{esc(key)}</th><td>{'<br>'.join(cells)}</td></tr>")
    body = "\n".join([
        f"<h1>Raw vs clean: {esc(doc.display_title)}</h1>",
        f'<p class="meta"><code>{esc(doc.doc_id)}</code> · <a href="../{esc(doc_page(doc.doc_id))}">annotated text</a>'
        f" · {len(doc.raw):,} raw characters, {len(doc.text):,} cleaned</p>",
        f'<p>Raw lines: {esc(summary)}. Removed lines by kind: '
        f'{esc(", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none")}.</p>',
        '<p class="legend"><span class="seg-kept">kept in the text</span> <span class="seg-dropped">dropped</span> '
        '<span class="seg-metadata">moved to metadata</span> <span class="seg-unaccounted">not accounted for</span>'
        " · the last column shows the cleaned (repaired) text where it differs from the raw line</p>",
        "<h2>Metadata</h2>",
        "<table><tbody>" + "".join(meta_rows) + "</tbody></table>" if meta_rows else "<p>none</p>",
        "<h2>Raw lines</h2>",
        '<table class="raw"><colgroup><col class="n"><col><col class="what"><col></colgroup>'
        "<thead><tr><th>line</th><th>raw</th><th>what the cleaner did</th><th>cleaned text</th></tr></thead><tbody>\n"
        + "\n".join(rows) + "\n</tbody></table>",
    ])
    return _page(site, f"Raw vs clean: {doc.display_title}", body, 1)


# ---- entity pages -------------------------------------------------------------------------------


def _entity_mentions(site: _Site) -> dict[str, list[tuple[Document, Item]]]:
    out: dict[str, list[tuple[Document, Item]]] = {}
    for doc_id in site.shown:
        doc = site.by_id[doc_id]
        for it in site.items[doc_id]:
            if it.layer == "mention" and it.data["entity_id"] is not None:
                out.setdefault(it.data["entity_id"], []).append((doc, it))
    return out


def _entity_page(site: _Site, entity: dict, mentions: list[tuple[Document, Item]]) -> str:
    eid = entity["id"]
    parts = [f"<h1>{esc(entity['name'])}</h1>",
             f'<p class="meta"><span class="chip {_label_class(entity["label"], site.labels)}">{esc(entity["label"])}</span>'
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
            left, right = _context(doc.text, m["start"], m["end"])
            href = f"../{doc_page(doc.doc_id)}#t-{it.key}"
            badges = f" {_side_badges(it)}" if it.side else ""
            rows.append(f'<tr><td class="left"><bdi>{esc(left)}</bdi></td><td class="kw"><a href="{esc(href)}">'
                        f'<span class="chip {_label_class(m["label"], site.labels)}">{esc(m["exact"])}</span></a>{badges}</td>'
                        f'<td class="right">{esc(right)}</td></tr>')
        parts.append(f'<h3><a href="../{esc(doc_page(doc.doc_id))}">{esc(doc.display_title)}</a> '
                     f'<span class="muted">{esc(doc.outlet or "unknown outlet")}, {esc(doc.date or "undated")}</span></h3>')
        parts.append('<table class="kwic"><tbody>' + "\n".join(rows) + "</tbody></table>")
    claims, stances = [], []
    for doc_id in site.shown:
        doc = site.by_id[doc_id]
        for it in site.items[doc_id]:
            href = esc(f"../{doc_page(doc_id)}#{_first_anchor(it)}")
            badges = f" {_side_badges(it)}" if it.side else ""
            if it.layer == "claim" and it.data["claimer"] == eid:
                claims.append(f'<li><a href="{href}">{esc(doc.outlet or doc.doc_id)} {esc(it.data["id"])}</a>{badges}: '
                              f'“{esc(it.data["exact"])}”</li>')
            if it.layer == "stance" and it.data["holder"] == eid:
                stances.append(f'<li><a href="{href}">{esc(doc.outlet or doc.doc_id)} {esc(it.data["id"])}</a>{badges}: '
                               f'{esc(it.data["target"])} {_badge(it.data["polarity"], "pol-" + _token(it.data["polarity"]))}</li>')
    parts.append(f'<h2 id="claims">Claims by {esc(entity["name"])} ({len(claims)})</h2>')
    parts.append("<ul>" + "".join(claims) + "</ul>" if claims else "<p>none</p>")
    parts.append(f'<h2 id="stances">Stances held by {esc(entity["name"])} ({len(stances)})</h2>')
    parts.append("<ul>" + "".join(stances) + "</ul>" if stances else "<p>none</p>")
    return _page(site, f"{entity['name']} — minusma-corpus explorer", "\n".join(parts), 1)


# ---- claims page --------------------------------------------------------------------------------


def _claim_value(site: _Site, doc_id: str, it: Item) -> str:
    """The normalised value of a claim: its quantity, else the normalised dates and amounts inside it."""
    x = it.data
    if x.get("quantity"):
        return _quantity(x["quantity"], with_property=False)
    values = []
    for m in site.items[doc_id]:
        if m.layer == "mention" and m.side == it.side and m.data.get("normalized") and \
                x["start"] <= m.data["start"] and m.data["end"] <= x["end"]:
            value = _normalized(m.data["normalized"])
            if value and value not in values:
                values.append(value)
    return "; ".join(values)


def _cluster_members(site: _Site) -> dict[str, list[tuple[Document, Item]]]:
    out: dict[str, list[tuple[Document, Item]]] = {}
    for doc_id in site.shown:
        for it in site.items[doc_id]:
            if it.layer == "claim" and it.data.get("cluster_id") is not None:
                out.setdefault(it.data["cluster_id"], []).append((site.by_id[doc_id], it))
    return out


def _has_conflict(members) -> bool:
    return any(it.data.get("cluster_relation") == "conflicting" for _d, it in members)


def _ordered_clusters(site: _Site, members) -> list[dict]:
    """Clusters with a conflict first, then by the number of outlets, then by id."""
    return sorted(site.clusters, key=lambda c: (not _has_conflict(members.get(c["id"], [])),
                                                -len({d.doc_id for d, _ in members.get(c["id"], [])}), c["id"]))


def _claims_page(site: _Site) -> str:
    members = _cluster_members(site)
    parts = ["<h1>Claim clusters</h1>",
             '<p class="meta">Claims about the same property across documents, side by side: outlet, quote, '
             "normalised value and relation to the cluster. Clusters with a conflicting member come first and are "
             "marked red.</p>"]
    unknown = sorted(set(members) - site.cluster_ids)
    for c in _ordered_clusters(site, members) + [{"id": u, "property": "(not in claim_clusters.json)",
                                                   "description": ""} for u in unknown]:
        ms = members.get(c["id"], [])
        conflict = _has_conflict(ms)
        outlets = len({d.doc_id for d, _ in ms})
        cards = []
        for doc, it in ms:
            x = it.data
            relation = x.get("cluster_relation") or ""
            href = esc(f"{doc_page(doc.doc_id)}#t-{it.key}")
            value = _claim_value(site, doc.doc_id, it)
            badges = f" {_side_badges(it)}" if it.side else ""
            cards.append(
                f'<div class="member rel-{_token(relation)}"><div><span class="outlet">{esc(doc.outlet or "unknown outlet")}'
                f'</span> <span class="muted">{esc(doc.date or "undated")}</span> '
                f'{_badge(relation, "rel-" + _token(relation))}{badges}</div>'
                f'<blockquote><a href="{href}">“{esc(x["exact"])}”</a></blockquote>'
                f'<div class="value">{esc(value) or "<span class=muted>—</span>"}</div>'
                f'<div class="muted">{esc(x["claim_type"])} · claimer {site.party_link(x["claimer"], x.get("claimer_text"), "")}'
                f' · <code>{esc(x["id"])}</code></div></div>')
        flag = " " + _badge("conflict", "conflict") if conflict else ""
        parts.append(
            f'<section class="cluster{" conflict" if conflict else ""}" id="{esc(cluster_anchor(c["id"]))}">'
            f'<h2>{esc(c["property"])}{flag}</h2>'
            f'<p class="meta"><code>{esc(c["id"])}</code> · {len(ms)} claims from {outlets} documents</p>'
            + (f"<p>{esc(c['description'])}</p>" if c.get("description") else "")
            + (f'<div class="members">{"".join(cards)}</div>' if cards else "<p>no member claims in this annotation set</p>")
            + "</section>")
    return _page(site, "Claim clusters — minusma-corpus explorer", "\n".join(parts), 0)


# ---- index ---------------------------------------------------------------------------------------


def _counts(items: list[Item], side: str) -> tuple[int, int, int]:
    return tuple(sum(1 for it in items if it.layer == layer and it.side == side)
                 for layer in ("mention", "claim", "stance"))  # type: ignore[return-value]


def _index_page(site: _Site) -> str:
    parts = ["<h1>minusma-corpus explorer</h1>", f'<p class="meta">{esc(site.set_names())}</p>']
    if site.diff:
        result = agreement({k: site.a.docs[k] for k in site.shown}, {k: site.b.docs[k] for k in site.shown})
        if result.documents:
            parts.append("<h2>Agreement of B with A</h2>")
            parts.append(_table(("measure", "value"), (f"<tr><td>{esc(k)}</td><td>{esc(v)}</td></tr>"
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
            stance = (f"A {_doc_stance(site, site.a.docs.get(doc.doc_id))}<br>B {_doc_stance(site, site.b.docs.get(doc.doc_id))}"
                      if shown else "")
            extra = f'<td class="num">{n_dis}</td>'
        else:
            counts = "".join(f'<td class="num">{x}</td>' for x in _counts(items, "")) if shown else \
                '<td colspan="3" class="muted">not annotated in this set</td>'
            stance = _doc_stance(site, site.a.docs.get(doc.doc_id)) if shown else ""
            extra = ""
        rows.append(f'<tr><td><a href="{esc(doc_page(doc.doc_id))}">{esc(doc.display_title)}</a><br>'
                    f'<code>{esc(doc.doc_id)}</code></td><td>{esc(doc.outlet or "")}</td><td class="date">{esc(doc.date or "")}</td>'
                    f"{counts}<td>{stance}</td>{extra}<td><a href=\"{esc(raw_page(doc.doc_id))}\">raw vs clean</a></td></tr>")
    headers = ["document", "outlet", "date", "mentions", "claims", "stances", "document stance"]
    if site.diff:
        headers[3:6] = ["mentions A / B", "claims A / B", "stances A / B"]
        headers.append("disagreements")
    headers.append("cleaning")
    parts.append(f'<h2 id="documents">Documents ({len(site.documents)})</h2>')
    parts.append(_table(headers, rows))
    members = _cluster_members(site)
    c_rows = []
    for c in _ordered_clusters(site, members):
        ms = members.get(c["id"], [])
        conflict = _badge("conflict", "conflict") if _has_conflict(ms) else ""
        c_rows.append(f'<tr><td><a href="claims.html#{esc(cluster_anchor(c["id"]))}">{esc(c["id"])}</a></td>'
                      f'<td>{esc(c["property"])}</td><td class="num">{len(ms)}</td>'
                      f'<td class="num">{len({d.doc_id for d, _ in ms})}</td><td>{conflict}</td></tr>')
    parts.append(f'<h2 id="clusters">Claim clusters ({len(site.clusters)}) · <a href="claims.html">side by side</a></h2>')
    parts.append(_table(("cluster", "property", "claims", "documents", ""), c_rows))
    mentions = _entity_mentions(site)
    parts.append(f'<h2 id="entities">Corpus entities ({len(site.kb)})</h2><div class="entities">')
    for label in list(site.labels) + sorted({e["label"] for e in site.kb} - set(site.labels)):
        entities = sorted((e for e in site.kb if e["label"] == label), key=lambda e: (str(e["name"]).lower(), e["id"]))
        if not entities:
            continue
        parts.append(f'<h3><span class="chip {_label_class(label, site.labels)}">{esc(label)}</span> ({len(entities)})</h3><ul>')
        parts.extend(f'<li><a href="{esc(entity_page(e["id"]))}">{esc(e["name"])}</a> '
                     f'<span class="muted">({len(mentions.get(e["id"], []))})</span></li>' for e in entities)
        parts.append("</ul>")
    parts.append("</div>")
    return _page(site, "minusma-corpus explorer", "\n".join(parts), 0)


# ---- the whole site -------------------------------------------------------------------------------


def render_site(documents: Sequence[Document], annotations: AnnotationSet, kb: Sequence[dict],
                clusters: Sequence[dict], *, other: AnnotationSet | None = None,
                labels: Sequence[str] | None = None) -> dict[str, str]:
    """Every page of the site (relative path -> HTML). With ``other``, the diff of ``annotations`` (A)
    and ``other`` (B) over the documents both annotate. Deterministic: the same input gives the same
    bytes."""
    site = _Site(list(documents), annotations, other, list(kb), list(clusters), _labels(labels))
    pages = {"index.html": _index_page(site), "claims.html": _claims_page(site)}
    for i, doc in enumerate(site.documents):
        pages[doc_page(doc.doc_id)] = _document_page(site, i)
        pages[raw_page(doc.doc_id)] = _raw_page(site, doc)
    mentions = _entity_mentions(site)
    for entity in site.kb:
        pages[entity_page(entity["id"])] = _entity_page(site, entity, mentions.get(entity["id"], []))
    pages[MARKER] = json.dumps({"generator": GENERATOR, "pages": sorted([*pages, MARKER])}, indent=1) + "\n"
    return pages


# --------------------------------------------------------------------------------------------
# I/O at the edge
# --------------------------------------------------------------------------------------------


def write_site(out_dir: Path, documents: Sequence[Document], annotations: AnnotationSet, kb: Sequence[dict],
               clusters: Sequence[dict], *, other: AnnotationSet | None = None,
               labels: Sequence[str] | None = None) -> list[Path]:
    """Render the site and write it to ``out_dir`` (new, empty, or an earlier explorer site, whose pages
    that no longer exist are removed). Returns the files written."""
    pages = render_site(documents, annotations, kb, clusters, other=other, labels=labels)
    out_dir = Path(out_dir)
    marker = out_dir / MARKER
    old: list[str] = []
    if out_dir.exists() and any(out_dir.iterdir()):
        try:
            previous = json.loads(marker.read_text(encoding="utf-8"))
            if previous.get("generator") != GENERATOR:
                raise ValueError
            old = list(previous["pages"])
        except (OSError, ValueError, KeyError, TypeError):
            raise ExploreError(f"{out_dir} is not empty and not an explorer site; choose a new or empty directory") from None
    for name in old:
        if name not in pages and not Path(name).is_absolute() and ".." not in Path(name).parts:
            (out_dir / name).unlink(missing_ok=True)
    written = []
    for name, content in pages.items():
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def load_annotation_sets(paths: Sequence[Path]) -> dict[str, dict]:
    """Annotation files (or directories of them), read and schema-checked, by doc_id."""
    from .annotations import read_annotation_file

    out: dict[str, dict] = {}
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise FileNotFoundError(f"{path}: no such annotation file or directory")
        for file in sorted(path.glob("*.json")) if path.is_dir() else [path]:
            data = read_annotation_file(file)
            if data["doc_id"] in out:
                raise ExploreError(f"{file}: a second annotation set of document {data['doc_id']}")
            out[data["doc_id"]] = data
    return out


def explore(out_dir: Path, *, raw_dir: Path, manifest: Path, annotations: Path,
            files: Sequence[Path] = (), diff: Sequence[Path] | None = None, png: Path | None = None) -> list[Path]:
    """``minusma-corpus explore``: the site of the gold set (``annotations/gold``), of ``files`` (annotation
    files or directories), or of the diff of two sets (``diff`` = (A, B)); optionally a PNG of the claims
    page (needs Chromium)."""
    from .annotations import read_json_list
    from .build import process

    documents = [document_from_processed(d) for d in process(raw_dir, manifest)]
    kb = read_json_list(annotations / "entities.json")
    clusters = read_json_list(annotations / "claim_clusters.json")
    other = None
    if diff:
        a_path, b_path = diff
        first = AnnotationSet(str(a_path), load_annotation_sets([a_path]))
        other = AnnotationSet(str(b_path), load_annotation_sets([b_path]))
    else:
        paths = list(files) or [annotations / "gold"]
        first = AnnotationSet(", ".join(map(str, paths)), load_annotation_sets(paths))
    written = write_site(out_dir, documents, first, kb, clusters, other=other)
    if png is not None:
        claims = Path(out_dir) / "claims.html"
        screenshot(claims, png)
        stamp_png(png, text_sha256(claims.read_text(encoding="utf-8")))
        written.append(Path(png))
    return written


def claims_png(png: Path, documents: Sequence[Document], annotations: AnnotationSet, kb: Sequence[dict],
               clusters: Sequence[dict], *, width: int = 1280, height: int = 1800, chromium: str | None = None) -> Path:
    """A PNG of the claims page (for the dataset card), stamped with the sha256 of the page it shows
    (``png_source``), so a test can tell a stale image without a browser."""
    with tempfile.TemporaryDirectory(prefix="minusma-explore-") as site:
        write_site(Path(site), documents, annotations, kb, clusters)
        page = Path(site) / "claims.html"
        screenshot(page, png, width=width, height=height, chromium=chromium)
        stamp_png(png, text_sha256(page.read_text(encoding="utf-8")))
    return Path(png)


def claims_page_sha256(documents: Sequence[Document], annotations: AnnotationSet, kb: Sequence[dict],
                       clusters: Sequence[dict]) -> str:
    """The sha256 of the claims page of these inputs (what ``png_source`` of a fresh ``claims_png`` gives)."""
    return text_sha256(render_site(documents, annotations, kb, clusters)["claims.html"])


_PNG_KEY = b"minusma-explore-source"


def stamp_png(png: Path, source_sha256: str) -> None:
    """Add a tEXt chunk (after IHDR) naming the sha256 of the page the PNG shows."""
    import struct
    import zlib

    data = Path(png).read_bytes()
    body = _PNG_KEY + b"\0" + source_sha256.encode("ascii")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    ihdr_end = 8 + 8 + struct.unpack(">I", data[8:12])[0] + 4
    Path(png).write_bytes(data[:ihdr_end] + chunk + data[ihdr_end:])


def png_source(png: Path) -> str | None:
    """The sha256 stamped by ``stamp_png``, or None."""
    import struct

    data = Path(png).read_bytes()
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I", data[pos:pos + 4])[0], data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"tEXt" and body.startswith(_PNG_KEY + b"\0"):
            return body[len(_PNG_KEY) + 1:].decode("ascii")
        if kind == b"IEND":
            break
        pos += 12 + length
    return None


def find_chromium() -> str | None:
    """A Chromium (or Chrome) binary: ``$MINUSMA_CHROMIUM``, else the first on PATH."""
    if os.environ.get("MINUSMA_CHROMIUM"):
        return os.environ["MINUSMA_CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


def screenshot(page: Path, png: Path, *, width: int = 1280, height: int = 1800, chromium: str | None = None,
               timeout: float = 60) -> Path:
    """A PNG of ``page`` (the top ``width`` × ``height`` pixels), with headless Chromium, offline."""
    binary = chromium or find_chromium()
    if binary is None:
        raise ExploreError("no Chromium found for the screenshot (install Debian's `chromium` or set MINUSMA_CHROMIUM)")
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="minusma-chromium-") as profile:
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},{height}",
                f"--screenshot={png}", Path(page).resolve().as_uri()]
        result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if result.returncode != 0 or not png.exists():
        raise ExploreError(f"chromium could not render {page}: {result.stderr.strip()[-500:]}")
    return png
