"""The corpus explorer (`minusma-corpus explore`): static HTML views of an annotation set or of the diff
of two, checked as HTML here and in headless Chromium (tests/support/browser.py) below."""

from __future__ import annotations

import json
import os
import re
import struct
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import given, settings, strategies as st

from support.paths import ANNOTATIONS, MANIFEST, RAW, ROOT
from minusma_corpus import explore as ex
from minusma_corpus.annotations.fileformat import AnnotationError, read_json_list
from minusma_corpus.annotations.layout import read_sets
from minusma_corpus.fileio import text_sha256

ARTIFACTS = ROOT / "test-artifacts"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


class Parsed(HTMLParser):
    """What the tests need from one page: ids, links, scripts, attributes, and the #text element's text
    with the text of every annotation fragment (``data-id``), joined in document order."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: str | None = None
        self.spans: dict[str, str] = {}
        self.fragments: dict[str, int] = {}
        self.csp: str | None = None
        self._cdata: str | None = None
        self.feed(source)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        self.attributes.extend((k, v or "") for k, v in attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if tag == "a" and "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a["content"]
        if a.get("id") == "text":
            self.text = ""
        if "data-id" in a and self._in_text():
            self.fragments[a["data-id"]] = self.fragments.get(a["data-id"], 0) + 1
            self.spans.setdefault(a["data-id"], "")
        if tag in ("script", "style"):
            self._cdata = ""
        if tag not in VOID:
            self.stack.append((tag, a))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._cdata is not None:
            (self.scripts if tag == "script" else self.styles).append(self._cdata)
            self._cdata = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def _in_text(self) -> bool:
        return any(a.get("id") == "text" for _t, a in self.stack)

    def handle_data(self, data):
        if self._cdata is not None:
            self._cdata += data
            return
        if self._in_text():
            self.text += data
            for _t, a in self.stack:
                if "data-id" in a:
                    self.spans[a["data-id"]] += data


def expected_spans(annotation: dict, side: str = "") -> dict[str, str]:
    """Annotation key -> the text its highlighted elements must show (the annotation's ``exact``)."""
    out = {}
    for m in annotation["mentions"]:
        out[ex.mark_key(side, m["id"])] = m["exact"]
    for c in annotation["claims"]:
        key = ex.mark_key(side, c["id"])
        out[key] = c["exact"]
        if c["cue"]:
            out[f"{key}-cue"] = c["cue"]["exact"]
    for s in annotation["stances"]:
        for i, ev in enumerate(s["evidence"]):
            out[f"{ex.mark_key(side, s['id'])}-e{i}"] = ev["exact"]
    return out


def resolve(page: str, href: str) -> tuple[str, str]:
    """(target page, fragment) of a relative link in ``page``, both relative to the site root."""
    parts = urlsplit(urljoin("http://site/" + page, href))
    assert parts.scheme == "http" and parts.netloc == "site", f"{page}: link leaves the site: {href}"
    return parts.path.lstrip("/"), unquote(parts.fragment)


def check_links(pages: dict[str, str]) -> set[str]:
    """Every link of every page resolves to a page of the site and an id in it; returns the pages
    reachable from the index by following links."""
    parsed = {name: Parsed(html) for name, html in pages.items() if name.endswith(".html")}
    links: dict[str, set[str]] = {}
    for name, p in parsed.items():
        links[name] = set()
        for href in p.hrefs:
            target, fragment = resolve(name, href)
            assert target in parsed, f"{name}: link to a missing page: {href}"
            assert not fragment or fragment in parsed[target].ids, f"{name}: link to a missing anchor: {href}"
            links[name].add(target)
    seen, todo = {"index.html"}, deque(["index.html"])
    while todo:
        for target in links[todo.popleft()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def check_page_text(html: str, text: str, spans: dict[str, str]) -> Parsed:
    p = Parsed(html)
    assert p.text == text, "the text of #text differs from the cleaned text"
    assert p.spans == spans
    return p


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


# --------------------------------------------------------------------------------------------
# Fixtures: the corpus, the gold set, a second pass, and a hostile corpus
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def documents(processed):
    return [d.document() for d in processed.values()]


@pytest.fixture(scope="module")
def kb():
    return read_json_list(ANNOTATIONS / "entities.json")


@pytest.fixture(scope="module")
def clusters():
    return read_json_list(ANNOTATIONS / "claim_clusters.json")


@pytest.fixture(scope="module")
def gold():
    return ex.AnnotationSet("annotations/gold", read_sets(ANNOTATIONS / "gold"))


@pytest.fixture(scope="module")
def pass_b():
    return ex.AnnotationSet("annotations/passes/b", read_sets(ANNOTATIONS / "passes" / "b"))


@pytest.fixture(scope="module")
def gold_pages(documents, gold, kb, clusters):
    return ex.render_site(documents, gold, kb, clusters)


@pytest.fixture(scope="module")
def diff_pages(documents, gold, pass_b, kb, clusters):
    return ex.render_site(documents, gold, kb, clusters, other=pass_b)


EVIL = "<script>window.__xss=1</script>\"'&amp;<img src=x onerror=\"window.__xss=2\"></span>"


def evil_corpus():
    """Every field of every input holds markup and quotes."""
    title = f"T {EVIL}"
    body = f"{EVIL} said {EVIL}."
    text = f"{title}\n\n{body}"
    b0 = len(title) + 2
    raw_lines = [f"nav {EVIL}", title, f"By {EVIL}", body, ""]
    raw = "\n".join(raw_lines)
    r_title = raw.index(title)
    r_body = raw.index(body)
    doc = ex.Document(
        doc_id=f"evil {EVIL}", text=text, outlet=EVIL, date=EVIL, title=EVIL, raw=raw,
        blocks=({"type": "title", "start": 0, "end": len(title), "raw_start": r_title, "raw_end": r_title + len(title)},
                {"type": EVIL, "start": b0, "end": len(text), "raw_start": r_body, "raw_end": r_body + len(body)}),
        furniture=({"kind": "navigation", "raw_start": 0, "raw_end": len(raw_lines[0]), "text": f"nav {EVIL}"},
                   {"kind": "byline", "raw_start": raw.index("By "), "raw_end": raw.index("By ") + len(raw_lines[2]),
                    "text": f"By {EVIL}!"},
                   {"kind": EVIL, "raw_start": len(raw) - 1, "raw_end": len(raw), "text": EVIL}),
        metadata={"title": EVIL, "authors": (EVIL,), "captions": ({"text": EVIL, "credit": EVIL, "raw_start": 0,
                                                                   "raw_end": 1},), EVIL: EVIL})
    s1 = b0
    s2 = text.index(EVIL, b0 + len(EVIL))
    said = text.index(" said ") + 1

    def span(s, e):
        return {"start": s, "end": e, "exact": text[s:e], "prefix": EVIL, "suffix": EVIL}

    annotation = {
        "schema_version": EVIL, "doc_id": doc.doc_id, "text_sha256": text_sha256(text),
        "provenance": {"annotator": EVIL, "method": EVIL, "tool": EVIL, "created": EVIL, "status": EVIL},
        "document_stance": {"target": EVIL, "polarity": EVIL},
        "mentions": [
            {"id": f"m1 {EVIL}", "label": EVIL, "entity_id": EVIL, "normalized": None, **span(s1, s1 + len(EVIL))},
            {"id": f"m2 {EVIL}", "label": "DATE", "entity_id": None, **span(s2, s2 + 8),
             "normalized": {"iso": EVIL, "number": 3, "unit": EVIL, "currency": EVIL, "approximate": True}},
        ],
        "claims": [{"id": f"c1 {EVIL}", **span(s1 + 3, len(text)), "claimer": EVIL, "claimer_text": EVIL,
                    "cue": span(said, said + 4), "claim_type": EVIL, "checkworthy": EVIL,
                    "quantity": {"number": 1.5, "unit": EVIL, "approximate": True, "property": EVIL},
                    "cluster_id": EVIL, "cluster_relation": EVIL},
                   {"id": f"c2 {EVIL}", **span(0, s1 + 5), "claimer": "UNNAMED", "claimer_text": EVIL, "cue": None,
                    "claim_type": "event", "checkworthy": True, "quantity": None, "cluster_id": f"{EVIL}2",
                    "cluster_relation": "conflicting"}],
        "stances": [{"id": f"s1 {EVIL}", "holder": "UNNAMED", "holder_text": EVIL, "target": EVIL, "polarity": EVIL,
                     "evidence": [span(2, 20), span(s2, len(text))]}],
    }
    kb = [{"id": EVIL, "label": EVIL, "name": EVIL, "aliases": [EVIL, f"{EVIL}'"], "description": EVIL}]
    clusters = [{"id": EVIL, "property": EVIL, "description": EVIL}]
    other = json.loads(json.dumps(annotation))
    other["mentions"][0]["label"] = "ORG"
    other["claims"] = other["claims"][:1]
    return doc, annotation, other, kb, clusters


# --------------------------------------------------------------------------------------------
# HTML (no browser)
# --------------------------------------------------------------------------------------------


def test_marked_html_nests_where_spans_nest_and_splits_where_they_cross():
    text = "abcdefghijkl"
    marks = [ex.Mark(0, 12, "block", "b0", "blk"), ex.Mark(1, 6, "claim", "A", "claim", family="claim"),
             ex.Mark(4, 9, "claim", "B", "claim", first_attrs=(("id", "t-B"),), family="claim"),
             ex.Mark(4, 9, "evidence", "E", "ev", family="ev"), ex.Mark(2, 3, "mention", "M", "ent"),
             ex.Mark(0, 12, "claim", "C", "claim", last_attrs=(("data-label", "L"),), family="claim"),
             ex.Mark(3, 3, "mention", "empty", "ent"), ex.Mark(5, 40, "mention", "outside", "ent")]
    html = f'<div id="text">{ex.marked_html(text, marks)}</div>'
    p = check_page_text(html, text, {"A": "bcdef", "B": "efghi", "E": "efghi", "M": "c", "C": text})
    assert p.fragments == {"C": 1, "A": 1, "M": 1, "E": 2, "B": 2}  # B and E cross A: each in two fragments
    assert p.ids == ["text", "t-B"] and html.count('data-label="L"') == 1
    assert 'class="claim h2"' in html  # C holds two levels of nested claims: its underline is drawn lowest


def test_gold_site_shows_every_annotation_with_its_exact_text(gold_pages, documents, gold, kb):
    assert set(gold_pages) == {"index.html", "claims.html", ex.MARKER} | {ex.doc_page(d.doc_id) for d in documents} \
        | {ex.raw_page(d.doc_id) for d in documents} | {ex.entity_page(e["id"]) for e in kb}
    for doc in documents:
        spans = expected_spans(gold.docs[doc.doc_id])
        p = check_page_text(gold_pages[ex.doc_page(doc.doc_id)], doc.text, spans)
        annotation = gold.docs[doc.doc_id]
        n = len(annotation["mentions"]) + len(annotation["claims"]) + len(annotation["stances"])
        assert len([i for i in p.ids if i.startswith("ann-")]) == n  # one table row per annotation
        assert "Problems" not in gold_pages[ex.doc_page(doc.doc_id)]


def test_links_resolve_and_the_index_reaches_every_document_entity_and_cluster(gold_pages, documents, kb, clusters):
    reachable = check_links(gold_pages)
    assert reachable == {name for name in gold_pages if name.endswith(".html")}
    index = Parsed(gold_pages["index.html"])
    for c in clusters:
        assert f"claims.html#{ex.cluster_anchor(c['id'])}" in index.hrefs
    assert {ex.doc_page(d.doc_id) for d in documents} <= set(index.hrefs)
    assert {ex.entity_page(e["id"]) for e in kb} <= set(index.hrefs)


def test_pages_load_nothing_from_outside_and_allow_only_their_own_style_and_script(gold_pages, diff_pages):
    for pages in (gold_pages, diff_pages):
        for name, html in pages.items():
            if not name.endswith(".html"):
                continue
            p = Parsed(html)
            assert p.srcs == [] and len(p.scripts) == 1 and len(p.styles) == 1, name
            assert not any(v.startswith(("http:", "https:", "//")) for _k, v in p.attributes), name
            assert p.csp == (f"default-src 'none'; style-src '{ex.csp_hash(p.styles[0])}'; script-src "
                             f"'{ex.csp_hash(p.scripts[0])}'; img-src data:; base-uri 'none'; form-action 'none'")
    assert json.loads(gold_pages[ex.MARKER])["pages"] == sorted(gold_pages)


def test_claims_page_puts_members_side_by_side_and_conflicts_first(gold_pages, gold, clusters):
    html = gold_pages["claims.html"]
    sections = html.split('<section class="cluster')[1:]
    assert len(sections) == len(clusters)
    conflicting = {c["cluster_id"] for a in gold.docs.values() for c in a["claims"]
                   if c["cluster_relation"] == "conflicting"}
    assert conflicting, "the gold set has conflicting claims"
    flags = [s.startswith(' conflict"') for s in sections]
    assert flags == sorted(flags, reverse=True) and sum(flags) == len(conflicting)
    members = sum(1 for a in gold.docs.values() for c in a["claims"] if c["cluster_id"])
    assert html.count('<div class="member ') == members
    assert "13,000 personnel" in html  # normalised values are shown


def test_raw_view_accounts_for_every_raw_line(gold_pages, documents):
    for doc in documents:
        p = Parsed(gold_pages[ex.raw_page(doc.doc_id)])
        rows = [i for i in p.ids if i.startswith("L")]
        assert len(rows) == doc.raw.count("\n") + 1
        lines = ex.raw_lines(doc)
        owners = {o for line in lines for o in line["owners"]}
        assert {("kept", i) for i in range(len(doc.blocks))} <= owners
        assert {i for s, i in owners if s != "kept"} == set(range(len(doc.furniture)))
        assert [line["number"] for line in lines if line["status"] == "unaccounted"] == [], doc.doc_id
        for f in doc.furniture:
            where = ex.FURNITURE_DESTINATION.get(f["kind"])
            assert (f"moved to {where} ({f['kind']})" if where else f"dropped: {f['kind']}") in gold_pages[ex.raw_page(doc.doc_id)]


def test_diff_pairs_annotations_as_agreement_does():
    def m(i, s, e, label="GPE", entity="mali"):
        return {"id": i, "start": s, "end": e, "exact": "x", "label": label, "entity_id": entity, "normalized": None}

    def c(i, s, e, claimer="AUTHOR"):
        return {"id": i, "start": s, "end": e, "exact": "x", "claimer": claimer, "claimer_text": None, "cue": None,
                "claim_type": "event", "checkworthy": True, "quantity": None, "cluster_id": None, "cluster_relation": None}

    def st(i, holder, polarity):
        return {"id": i, "holder": holder, "holder_text": None, "target": "minusma", "polarity": polarity,
                "evidence": [{"start": 0, "end": 3, "exact": "x"}]}

    a = {"mentions": [m("m1", 0, 4), m("m2", 10, 14), m("m3", 20, 24)], "claims": [c("c1", 0, 9), c("c2", 30, 40)],
         "stances": [st("s1", "AUTHOR", "FAVOR"), st("s2", "mali", "AGAINST")]}
    b = {"mentions": [m("x1", 0, 4), m("x2", 10, 14, "ORG", "un"), m("x3", 50, 54)], "claims": [c("y1", 2, 9, "mali")],
         "stances": [st("t1", "AUTHOR", "FAVOR"), st("t2", "mali", "NONE")]}
    got = {(it.key, it.status, it.partner, it.note) for it in ex.diff_items(a, b)}
    assert got == {
        ("a-m1", "match", "b-x1", ""), ("b-x1", "match", "a-m1", ""),
        ("a-m2", "changed", "b-x2", "label; entity_id"), ("b-x2", "changed", "a-m2", "label; entity_id"),
        ("a-m3", "only-a", None, ""), ("b-x3", "only-b", None, ""),
        ("a-c1", "changed", "b-y1", "span; claimer"), ("b-y1", "changed", "a-c1", "span; claimer"),
        ("a-c2", "only-a", None, ""),
        ("a-s1", "match", "b-t1", ""), ("b-t1", "match", "a-s1", ""),
        ("a-s2", "changed", "b-t2", "polarity"), ("b-t2", "changed", "a-s2", "polarity"),
    }


def test_diff_site_shows_both_sets_and_their_disagreements(diff_pages, documents, gold, pass_b):
    from minusma_corpus.annotations.agreement import disagreements

    both = [d for d in documents if d.doc_id in pass_b.docs]
    assert both
    for doc in both:
        a, b = gold.docs[doc.doc_id], pass_b.docs[doc.doc_id]
        html = diff_pages[ex.doc_page(doc.doc_id)]
        check_page_text(html, doc.text, {**expected_spans(a, "a"), **expected_spans(b, "b")})
        lines = disagreements(a, b)
        assert f"Disagreements ({len(lines)})" in html
        assert all(ex.esc(line) in html for line in lines)
        assert "st-only-a" in html or "st-only-b" in html or "st-changed" in html
    others = [d for d in documents if d.doc_id not in pass_b.docs]
    for doc in others:
        assert Parsed(diff_pages[ex.doc_page(doc.doc_id)]).spans == {}
    assert "Agreement of B with A" in diff_pages["index.html"]
    assert check_links(diff_pages) == {name for name in diff_pages if name.endswith(".html")}


def test_output_is_deterministic_and_rewrites_only_its_own_directory(tmp_path, documents, gold, kb, clusters, gold_pages):
    assert ex.render_site(documents, gold, kb, clusters) == gold_pages
    out = tmp_path / "site"
    ex.write_site(out, documents, gold, kb, clusters)
    first = {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert {str(k) for k in first} == set(gold_pages)
    ex.write_site(out, documents, gold, kb[:3], clusters)  # entities dropped from the KB lose their pages
    assert not (out / ex.entity_page(kb[3]["id"])).exists()
    ex.write_site(out, documents, gold, kb, clusters)
    assert {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == first
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "notes.txt").write_text("mine")
    with pytest.raises(ex.ExploreError, match="not an explorer site"):
        ex.write_site(tmp_path / "other", documents, gold, kb, clusters)


def test_markup_and_quotes_in_every_field_are_escaped():
    doc, annotation, other, kb, clusters = evil_corpus()
    one = ex.AnnotationSet(EVIL, {doc.doc_id: annotation})
    for pages, spans in ((ex.render_site([doc], one, kb, clusters), expected_spans(annotation)),
                         (ex.render_site([doc], one, kb, clusters, other=ex.AnnotationSet(EVIL, {doc.doc_id: other})),
                          {**expected_spans(annotation, "a"), **expected_spans(other, "b")})):
        for name, html in pages.items():
            if not name.endswith(".html"):
                continue
            p = Parsed(html)
            assert "<script>window" not in html and "<img" not in html and "</span>\"" not in html, name
            assert len(p.scripts) == 1 and p.scripts[0] == ex.asset("explore.js"), name
            assert "img" not in p.tags and not any(k.startswith("on") for k, _v in p.attributes), name
            assert p.srcs == []
        page = pages[ex.doc_page(doc.doc_id)]
        p = check_page_text(page, doc.text, spans)
        assert any(EVIL in v for k, v in p.attributes if k == "title")  # attributes keep the text, escaped
        assert ex.esc(EVIL) in pages[ex.raw_page(doc.doc_id)] and ex.esc(EVIL) in pages["claims.html"]
        assert ex.esc(EVIL) in pages[ex.entity_page(EVIL)]
        check_links(pages)


def test_a_spans_mismatch_is_reported_not_hidden(documents, kb, clusters):
    doc = documents[0]
    bad = {"schema_version": "1.0.0", "doc_id": doc.doc_id, "text_sha256": "0" * 64, "provenance": {},
           "document_stance": None, "claims": [], "stances": [],
           "mentions": [{"id": "m1", "label": "GPE", "entity_id": None, "normalized": None, "start": 0, "end": 4,
                         "exact": "nope"},
                        {"id": "m2", "label": "GPE", "entity_id": None, "normalized": None, "start": 10 ** 6,
                         "end": 10 ** 6 + 1, "exact": "x"}]}
    html = ex.render_site([doc], ex.AnnotationSet("import", {doc.doc_id: bad}), kb, clusters)[ex.doc_page(doc.doc_id)]
    assert "text_sha256 differs" in html and "exact &#x27;nope&#x27; differs" in html and "outside the text" in html
    assert 'class="ent lab-x bad"' not in html and "ent lab-2 bad" in html


def test_explore_renders_a_set_of_files_and_a_diff(tmp_path, documents):
    one = ANNOTATIONS / "passes" / "a" / f"{documents[0].doc_id}.json"
    written = ex.explore(tmp_path / "one", raw_dir=RAW, manifest=MANIFEST, annotations=ANNOTATIONS, files=[one])
    assert tmp_path / "one" / "index.html" in written
    index = (tmp_path / "one" / "index.html").read_text(encoding="utf-8")
    assert index.count("not annotated in this set") == len(documents) - 1 and ex.esc(str(one)) in index
    ex.explore(tmp_path / "diff", raw_dir=RAW, manifest=MANIFEST, annotations=ANNOTATIONS,
               diff=[ANNOTATIONS / "gold", ANNOTATIONS / "passes" / "b"])
    assert "Agreement of B with A" in (tmp_path / "diff" / "index.html").read_text(encoding="utf-8")
    with pytest.raises(AnnotationError, match="second annotation set"):
        read_sets([one, one])


def test_char_changes_mark_the_repaired_mojibake_and_draw_invisible_characters():
    from minusma_corpus.explore.textdiff import char_changes, clean_ranges, invisible_only, marked_text, raw_ranges

    raw, clean = "in Mali\u00a0\u00e2\u20ac\u0153to go", "in Mali \u201cto go"
    changes = char_changes(raw, clean)
    assert changes and not invisible_only(raw, clean, changes)
    raw_html = marked_text(raw, raw_ranges(changes), "del")
    assert '<del class="chg">' in raw_html and "\u00e2\u20ac\u0153" in raw_html
    assert '<span class="inv" title="U+00A0 NO-BREAK SPACE">\u237d</span>' in raw_html  # ⍽ for the no-break space
    clean_html = marked_text(clean, clean_ranges(changes), "ins")
    assert '<ins class="chg">' in clean_html and "\u201c" in clean_html
    assert 'title="U+0020 SPACE">\u00b7</span>' in clean_html  # the space that replaced it: ·
    # only white space changed: a no-break space made plain, a doubled space collapsed, a tab removed
    for raw, clean in (("a\u00a0b", "a b"), ("a  b", "a b"), ("a\tb", "ab"), ("a\u200bb", "ab")):
        changes = char_changes(raw, clean)
        assert invisible_only(raw, clean, changes), raw
        assert '<span class="inv"' in marked_text(raw, raw_ranges(changes), "del"), raw
    assert char_changes("same", "same") == [] and not invisible_only("same", "same", [])
    # a removed character leaves a visible gap mark on the side that lost nothing
    assert 'class="chg gap"' in marked_text("ab", clean_ranges(char_changes("a-b", "ab")), "ins")
    # markup in a change is escaped
    assert "<b>" not in marked_text("<b>x", raw_ranges(char_changes("<b>x", "x")), "del")


@settings(deadline=None)
@given(st.text(alphabet="ab \u00a0\t\u201c<&", max_size=30), st.text(alphabet="ab \u00a0\t\u201c<&", max_size=30))
def test_char_changes_rebuild_the_clean_text_and_name_only_changed_characters(raw, clean):
    from minusma_corpus.explore.textdiff import char_changes, invisible_only

    changes = char_changes(raw, clean)
    out, pos = [], 0
    for c in changes:
        out.append(raw[pos:c.raw_start])
        out.append(clean[c.clean_start:c.clean_end])
        pos = c.raw_end
    assert "".join(out) + raw[pos:] == clean
    assert bool(changes) == (raw != clean)
    if invisible_only(raw, clean, changes):  # then only white space differs
        assert raw != clean and "".join(raw.split()) == "".join(clean.split())
    if "".join(raw.split()) != "".join(clean.split()):
        assert not invisible_only(raw, clean, changes)


def test_raw_view_marks_changed_characters_and_lines_whose_only_change_is_invisible(gold_pages, documents):
    seen_visible = seen_invisible = 0
    for doc in documents:
        html = gold_pages[ex.raw_page(doc.doc_id)]
        rows = {int(m.group(1)): m.group(2) for m in re.finditer(r'<tr id="L(\d+)" class="([^"]*)"', html)}
        for line in ex.raw_lines(doc):
            pairs = [(doc.raw[b["raw_start"]:b["raw_end"]], doc.text[b["start"]:b["end"]])
                     for s, i in line["owners"] if s == "kept" for b in [doc.blocks[i]]]
            pairs += [(doc.raw[f["raw_start"]:f["raw_end"]], f["text"])
                      for s, i in line["owners"] if s != "kept" for f in [doc.furniture[i]]]
            changed = [(r, c) for r, c in pairs if r != c]
            only_space = bool(changed) and all("".join(r.split()) == "".join(c.split()) for r, c in changed)
            assert ("inv-only" in rows[line["number"]].split()) == only_space, (doc.doc_id, line["number"])
            seen_invisible += only_space
            seen_visible += bool(changed) and not only_space
        assert html.count('<del class="chg') >= sum(1 for b in doc.blocks
                                                      if doc.raw[b["raw_start"]:b["raw_end"]] != doc.text[b["start"]:b["end"]])
    assert seen_invisible and seen_visible  # the corpus has both kinds: the test sees each
    assert "\u00e2\u20ac\u0153</del>" in "".join(gold_pages[ex.raw_page(d.doc_id)] for d in documents)  # mojibake marked


def test_cut_titles_end_with_an_ellipsis_and_an_unnamed_outlet_shows_a_dash(gold_pages, documents):
    from minusma_corpus.pipeline.process import shorten

    assert shorten("short", 10) == "short"
    assert shorten("one two three four", 12) == "one two…" and len(shorten("x" * 50, 12)) == 12
    for doc in documents:
        first = doc.text.strip().split("\n", 1)[0]
        if not doc.title and len(first) > 90:
            assert doc.display_title.endswith("…") and len(doc.display_title) <= 90
            assert first.startswith(doc.display_title[:-1])
    assert any(not d.title for d in documents)
    index = gold_pages["index.html"]
    for doc in documents:
        row = index[index.index(f"<code>{ex.esc(doc.doc_id)}</code>"):]
        outlet_cell = row[row.index("<td>") + 4:row.index("</td>", row.index("<td>"))]
        assert outlet_cell == (ex.esc(doc.outlet) if doc.outlet else '<span class="muted" title="no outlet named">—</span>')


def test_tags_are_empty_inline_elements_on_the_first_fragment_only():
    text = "abcdefghij"
    marks = [ex.Mark(0, 10, "block", "b0", "blk"), ex.Mark(1, 6, "claim", "A", "claim", family="claim", tag="A <x>"),
             ex.Mark(4, 9, "evidence", "E", "ev", family="ev", tag="E → t: AGAINST")]
    html = f'<div id="text">{ex.marked_html(text, marks)}</div>'
    check_page_text(html, text, {"A": "bcdef", "E": "efghi"})  # tags add no text
    assert html.count('class="tag tag-claim" data-tag="A &lt;x&gt;"></span>') == 1
    assert html.count('class="tag tag-ev"') == 1  # E is split in two fragments; its tag only on the first


def test_search_filters_and_pager_are_marked_up(gold_pages, gold, kb):
    index, claims = Parsed(gold_pages["index.html"]), Parsed(gold_pages["claims.html"])
    for page, target in ((gold_pages["index.html"], "documents-table"), (gold_pages["index.html"], "entity-list"),
                         (gold_pages["claims.html"], "cluster-list")):
        assert f'data-filter-for="{target}"' in page and f'id="{target}"' in page
    assert ("data-item", "") in index.attributes and ("data-f-conflict", "yes") in claims.attributes
    assert sum(1 for k, _ in index.attributes if k == "data-f-label") == len(kb)
    minusma = gold_pages[ex.entity_page("minusma")]
    assert 'id="mention-list" data-page-size="25"' in minusma
    n = sum(1 for a in gold.docs.values() for m in a["mentions"] if m["entity_id"] == "minusma")
    assert n > 25 and minusma.count('class="kwrow" data-item') == n


# --------------------------------------------------------------------------------------------
# In headless Chromium
# --------------------------------------------------------------------------------------------

SPANS_JS = """(() => {
  const text = document.getElementById("text");
  if (!text) return null;
  const spans = {}, visible = {};
  for (const el of text.querySelectorAll("[data-id]")) {
    const k = el.getAttribute("data-id");
    spans[k] = (spans[k] || "") + el.textContent;
    visible[k] = visible[k] || el.getClientRects().length > 0;
  }
  return {text: text.textContent, spans, hidden: Object.keys(visible).filter(k => !visible[k])};
})()"""
PAGE_JS = """({links: [...document.querySelectorAll("a[href]")].map(a => a.href),
  ids: [...document.querySelectorAll("[id]")].map(e => e.id), xss: window.__xss === undefined ? null : window.__xss})"""


@pytest.fixture(scope="module")
def browser():
    from support.browser import Browser, BrowserUnavailable, ensure_chromium

    try:
        binary = ensure_chromium()
    except BrowserUnavailable as e:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Chromium for the explorer tests: {e}")
        pytest.skip(str(e))
    with Browser.launch(binary) as b:
        yield b


@pytest.fixture(scope="module")
def page(browser):
    return browser.new_page()


def visit_site(browser, root: Path, expected: dict[str, dict[str, str]], texts: dict[str, str],
               entity_pages: int | None = None) -> None:
    """Load every page of the site at ``root`` (or only the first ``entity_pages`` entity pages): no
    console errors, every link resolves, and on document pages the highlighted text of every annotation
    equals its exact text (and is visible)."""
    pages = [p for p in json.loads((root / ex.MARKER).read_text(encoding="utf-8"))["pages"] if p.endswith(".html")]
    if entity_pages is not None:
        entities = [p for p in pages if p.startswith("entities/")]
        pages = [p for p in pages if p not in entities[entity_pages:]]
    names = {(root / name).resolve().as_uri(): name for name in pages}
    ids, links = {}, {}
    for url, page in browser.visit(list(names)):
        name = names[url]
        assert page.errors == [], f"{name}: {page.errors}"
        info = page.evaluate(PAGE_JS)
        assert info["xss"] is None, name
        ids[url], links[url] = set(info["ids"]), info["links"]
        if name in expected:
            got = page.evaluate(SPANS_JS)
            assert got["text"] == texts[name], name
            assert got["spans"] == expected[name], name
            assert got["hidden"] == [], name
    for url, hrefs in links.items():
        for href in hrefs:
            target, _, fragment = href.partition("#")
            if target not in ids and entity_pages is not None and "/entities/" in target:
                assert Path(unquote(urlsplit(target).path)).exists(), f"{url}: link to a missing page {href}"
                continue
            assert target in ids, f"{url}: link to a missing page {href}"
            assert not fragment or unquote(fragment) in ids[target], f"{url}: link to a missing anchor {href}"


@pytest.mark.browser
def test_browser_gold_site_loads_cleanly_links_resolve_and_spans_match(browser, tmp_path_factory, documents, gold, kb, clusters):
    root = tmp_path_factory.mktemp("explore-gold")
    ex.write_site(root, documents, gold, kb, clusters)
    visit_site(browser, root, {ex.doc_page(d.doc_id): expected_spans(gold.docs[d.doc_id]) for d in documents},
               {ex.doc_page(d.doc_id): d.text for d in documents})


@pytest.mark.browser
def test_browser_diff_site(browser, tmp_path_factory, documents, gold, pass_b, kb, clusters):
    """The diff site; its entity pages are the gold site's template with badges, so ten of them do."""
    root = tmp_path_factory.mktemp("explore-diff")
    ex.write_site(root, documents, gold, kb, clusters, other=pass_b)
    both = [d for d in documents if d.doc_id in pass_b.docs]
    visit_site(browser, root, {ex.doc_page(d.doc_id): {**expected_spans(gold.docs[d.doc_id], "a"),
                                                   **expected_spans(pass_b.docs[d.doc_id], "b")} for d in both},
               {ex.doc_page(d.doc_id): d.text for d in both}, entity_pages=10)


@pytest.mark.browser
def test_browser_escaping_runs_no_injected_code(browser, tmp_path):
    doc, annotation, other, kb, clusters = evil_corpus()
    one = ex.AnnotationSet(EVIL, {doc.doc_id: annotation})
    ex.write_site(tmp_path / "one", [doc], one, kb, clusters)
    visit_site(browser, tmp_path / "one", {ex.doc_page(doc.doc_id): expected_spans(annotation)},
               {ex.doc_page(doc.doc_id): doc.text})
    ex.write_site(tmp_path / "two", [doc], one, kb, clusters, other=ex.AnnotationSet(EVIL, {doc.doc_id: other}))
    visit_site(browser, tmp_path / "two", {ex.doc_page(doc.doc_id): {**expected_spans(annotation, "a"),
                                                                  **expected_spans(other, "b")}},
               {ex.doc_page(doc.doc_id): doc.text})


@pytest.mark.browser
def test_browser_click_shows_attributes_toggles_hide_layers_and_screenshots(page, tmp_path, documents, gold, kb, clusters):
    ex.write_site(tmp_path, documents, gold, kb, clusters)
    doc = next(d for d in documents if d.doc_id.startswith("reuters")) if any(
        d.doc_id.startswith("reuters") for d in documents) else documents[0]
    claim = next(c for c in gold.docs[doc.doc_id]["claims"] if c["cue"])
    page.goto(tmp_path / ex.doc_page(doc.doc_id))
    page.evaluate(f'document.querySelector(\'[data-id="{claim["id"]}-cue"]\').click()')
    panel = page.evaluate('document.getElementById("panel").innerText')
    assert f"claim {claim['id']}" in panel and claim["exact"] in panel and claim["cue"]["exact"] in panel
    page.evaluate(f'document.querySelector(\'[data-id="{claim["id"]}"]\').dispatchEvent(new MouseEvent("mouseover", {{bubbles: true}}))')
    assert page.evaluate('document.querySelectorAll("#text .hl").length') >= 2  # the claim and its cue
    page.evaluate('document.querySelector("input[data-toggle=ent]").click()')
    assert page.evaluate('document.body.classList.contains("hide-ent")')
    page.evaluate('document.querySelector("input[data-toggle=ent]").click()')
    assert page.errors == []
    shot = page.screenshot(ARTIFACTS / "explore-document.png")
    width, height = png_size(shot)
    assert width >= 1000 and height > 1500
    page.goto(tmp_path / "claims.html")
    assert page.errors == []
    page.screenshot(ARTIFACTS / "explore-claims.png")


@pytest.mark.browser
def test_explore_png_of_the_claims_page_is_stamped_with_that_page(browser, tmp_path):
    site, png = tmp_path / "site", tmp_path / "cli.png"  # `minusma-corpus explore --png`
    written = ex.explore(site, raw_dir=RAW, manifest=MANIFEST, annotations=ANNOTATIONS, png=png)
    assert written[-1] == png and png_size(png) == (1280, 1800)
    assert ex.png_source(png) == text_sha256((site / "claims.html").read_text(encoding="utf-8"))
    image_module = pytest.importorskip("PIL.Image")  # the stamped chunk keeps the file a valid PNG
    with image_module.open(png) as image:
        image.load()
        assert image.size == (1280, 1800) and image.text.get("minusma-explore-source") == ex.png_source(png)


@pytest.mark.browser
def test_browser_catches_console_errors_exceptions_blocked_loads_and_csp_violations(page, tmp_path):
    """The checks above are only as good as the error capture: a page that does everything wrong."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                   "script-src 'sha256-" + "A" * 43 + "='\"></head><body><img src=\"missing.png\">"
                   "<script>console.error('x')</script></body></html>", encoding="utf-8")
    page.goto(bad)
    assert any("Content Security Policy" in e for e in page.errors) and any("missing.png" in e for e in page.errors)
    ok = tmp_path / "ok.html"
    ok.write_text("<!DOCTYPE html><html><body><script>console.error('boom'); null.x;</script></body></html>",
                  encoding="utf-8")
    page.goto(ok)
    assert any("boom" in e for e in page.errors) and any(e.startswith("exception:") for e in page.errors)


def test_cli_explore(tmp_path, capsys):
    from minusma_corpus import cli

    common = ["--raw", str(RAW), "--manifest", str(MANIFEST), "--annotations", str(ANNOTATIONS)]
    assert cli.main(["explore", "--out", str(tmp_path / "gold"), *common]) == 0
    assert (tmp_path / "gold" / "index.html").exists() and "open" in capsys.readouterr().out
    assert cli.main(["explore", "--out", str(tmp_path / "diff"), "--diff", str(ANNOTATIONS / "gold"),
                     str(ANNOTATIONS / "passes" / "b"), *common]) == 0
    assert "Agreement of B with A" in (tmp_path / "diff" / "index.html").read_text(encoding="utf-8")
    assert cli.main(["explore", "--out", str(tmp_path / "x"), str(ANNOTATIONS / "gold"), "--diff", "a", "b", *common]) == 1
    assert cli.main(["explore", "--out", str(tmp_path / "gold"), str(tmp_path / "missing.json"), *common]) == 1
    assert "no such annotation file" in capsys.readouterr().err


# --------------------------------------------------------------------------------------------
# The explorer's reading aids in headless Chromium at 1400 × 1000 (screenshots in test-artifacts/)
# --------------------------------------------------------------------------------------------

WIDE = (1400, 1000)
VISIBLE_JS = """(sel) => [...document.querySelectorAll(sel)].filter(e => e.getClientRects().length > 0)"""


@pytest.fixture(scope="module")
def wide(browser):
    page = browser.new_page()
    browser.call("Emulation.setDeviceMetricsOverride", {"width": WIDE[0], "height": WIDE[1], "deviceScaleFactor": 1,
                                                        "mobile": False}, page.session)
    return page


@pytest.fixture(scope="module")
def gold_site(tmp_path_factory, documents, gold, kb, clusters):
    root = tmp_path_factory.mktemp("explore-wide")
    ex.write_site(root, documents, gold, kb, clusters)
    return root


def visible(page, selector: str) -> int:
    return page.evaluate(f"({VISIBLE_JS})({json.dumps(selector)}).length")


def search(page, bar: str, query: str, **facets: str) -> str:
    """Type ``query`` into the search box of the filter bar for ``#bar`` and choose ``facets``; returns
    the bar's count text."""
    return page.evaluate(f"""(() => {{
      const bar = document.querySelector('[data-filter-for="{bar}"]');
      for (const [name, value] of Object.entries({json.dumps(facets)})) {{
        const sel = bar.querySelector(`select[data-facet="${{name}}"]`);
        sel.value = value; sel.dispatchEvent(new Event("change"));
      }}
      const box = bar.querySelector("input[type=search]");
      box.value = {json.dumps(query)}; box.dispatchEvent(new Event("input"));
      return bar.querySelector(".count").textContent;
    }})()""")


def shot(page, name: str) -> Path:
    path = page.screenshot(ARTIFACTS / name, full_page=False)
    assert png_size(path) == WIDE
    return path


@pytest.mark.browser
def test_browser_search_and_filter_documents_entities_and_claims(wide, gold_site, documents, gold, kb, clusters):
    wide.goto(gold_site / "index.html")
    n_docs = len(documents)
    assert visible(wide, "#documents-table tr[data-item]") == n_docs
    reuters = next(d for d in documents if d.outlet == "Reuters")
    assert search(wide, "documents-table", "reuters") == f"1 of {n_docs} match"
    assert wide.evaluate(f"({VISIBLE_JS})('#documents-table tr[data-item]')[0].textContent").count(reuters.doc_id) == 1
    assert search(wide, "documents-table", "RÉUTERS  vote") == f"1 of {n_docs} match"  # case, accents, words
    assert search(wide, "documents-table", "no such words") == f"0 of {n_docs} match"
    assert visible(wide, "#documents-table tr[data-item]") == 0
    polarity = {d.doc_id: ((gold.docs.get(d.doc_id) or {}).get("document_stance") or {}).get("polarity") or "none"
                for d in documents}
    for value in set(polarity.values()):
        assert search(wide, "documents-table", "", stance=value).split()[0] == str(
            sum(1 for v in polarity.values() if v == value))
        assert visible(wide, "#documents-table tr[data-item]") == sum(1 for v in polarity.values() if v == value)
    assert search(wide, "documents-table", "", stance="") == f"{n_docs} shown"
    # entities: by name, alias or id, and by label; empty label groups hide their heading
    assert search(wide, "entity-list", "minusma") != f"{len(kb)} shown"
    names = wide.evaluate(f"({VISIBLE_JS})('#entity-list li').map(li => li.querySelector('a').textContent)")
    expected = [e["name"] for e in kb if "minusma" in " ".join([e["name"], e["id"], *e.get("aliases", [])]).lower()]
    assert sorted(names) == sorted(expected)
    search(wide, "entity-list", "", label="GPE")
    labels = wide.evaluate(f"({VISIBLE_JS})('#entity-list li').map(li => li.dataset.fLabel)")
    assert labels and set(labels) == {"GPE"} and len(labels) == sum(1 for e in kb if e["label"] == "GPE")
    assert visible(wide, "#entity-list h3") == 1
    wide.evaluate("document.getElementById('entities').scrollIntoView()")
    shot(wide, "explore-index-entities-filtered.png")
    search(wide, "entity-list", "", label="")
    # claim clusters: conflicts only, then a word from a member quote
    wide.goto(gold_site / "claims.html")
    assert visible(wide, "#cluster-list section.cluster") == len(clusters)
    search(wide, "cluster-list", "", conflict="yes")
    assert 0 < visible(wide, "#cluster-list section.cluster") == visible(wide, "#cluster-list section.cluster.conflict")
    assert visible(wide, "#cluster-list section.cluster:not(.conflict)") == 0
    count = search(wide, "cluster-list", "Reuters", conflict="")
    shown = wide.evaluate(f"({VISIBLE_JS})('#cluster-list section.cluster').map(s => s.textContent)")
    assert shown and all("Reuters" in t for t in shown) and count == f"{len(shown)} of {len(clusters)} match"
    assert wide.errors == []
    shot(wide, "explore-claims-search.png")


@pytest.mark.browser
def test_browser_entity_page_uses_the_full_width_and_pages_its_mentions(wide, gold_site, gold):
    n = sum(1 for a in gold.docs.values() for m in a["mentions"] if m["entity_id"] == "minusma")
    wide.goto(gold_site / ex.entity_page("minusma"))
    wide.evaluate("document.getElementById('mentions').scrollIntoView()")
    geometry = wide.evaluate("""(() => {
      const main = document.querySelector("main"), cs = getComputedStyle(main);
      const inner = main.getBoundingClientRect().width - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const rows = [...document.querySelectorAll("#mention-list .kwrow")].filter(r => r.getClientRects().length);
      return {inner, rows: rows.map(r => r.getBoundingClientRect().width),
              right: rows.map(r => r.querySelector(".right").getBoundingClientRect().right - r.getBoundingClientRect().right),
              kw: rows.map(r => { const k = r.querySelector(".kw").getBoundingClientRect(); return (k.left + k.right) / 2; })};
    })()""")
    assert len(geometry["rows"]) == 25  # the first page of 25
    assert min(geometry["rows"]) >= 0.98 * geometry["inner"] and geometry["inner"] > 1200  # full width, not ~820 px
    assert max(abs(x) for x in geometry["right"]) < 1  # the right context reaches the row's edge
    assert max(geometry["kw"]) - min(geometry["kw"]) < 60  # keywords in a column
    shot(wide, "explore-entity-minusma.png")
    where = wide.evaluate("document.querySelector('.pager .where').textContent")
    assert where == f"page 1 of {-(-n // 25)} (1–25 of {n})"
    first = wide.evaluate(f"({VISIBLE_JS})('#mention-list .kwrow').map(r => r.textContent)")
    pages = [first]
    while wide.evaluate("!document.querySelector('.pager button[data-page]:last-child').disabled"):
        wide.evaluate("document.querySelector('.pager button:last-child').click()")
        pages.append(wide.evaluate(f"({VISIBLE_JS})('#mention-list .kwrow').map(r => r.textContent)"))
    assert [len(p) for p in pages] == [25] * (n // 25) + ([n % 25] if n % 25 else [])
    assert sum(len(p) for p in pages) == n
    # headings show only for the documents on the page; a search narrows the mentions and restarts at page 1
    heads = wide.evaluate(f"({VISIBLE_JS})('#mention-list h3').length")
    assert 1 <= heads < 5
    count = search(wide, "mention-list", "peacekeepers")
    matched = int(count.split()[0])
    assert 0 < matched < n and visible(wide, "#mention-list .kwrow") == min(25, matched)
    assert all("peacekeepers" in t.lower() for t in wide.evaluate(f"({VISIBLE_JS})('#mention-list .kwrow').map(r => r.textContent)"))
    assert wide.errors == []


TAGS_JS = """(() => {
  const boxes = [...document.querySelectorAll("#text .tag")].filter(e => e.getClientRects().length)
    .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom, e.dataset.tag]; });
  const hits = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, b] = [boxes[i], boxes[j]];
    if (Math.min(a[2], b[2]) - Math.max(a[0], b[0]) > 0.5 && Math.min(a[3], b[3]) - Math.max(a[1], b[1]) > 0.5)
      hits.push(a[4] + " × " + b[4]);
  }
  return {n: boxes.length, hits, empty: boxes.filter(b => b[2] - b[0] < 2 || b[3] - b[1] < 2).length};
})()"""


@pytest.mark.browser
def test_browser_claim_and_stance_tags_never_overlap(wide, browser, tmp_path, gold_site, documents, gold, pass_b, kb, clusters):
    for doc in documents:
        expected = sum(1 for c in gold.docs[doc.doc_id]["claims"]) + \
            sum(len(s["evidence"]) for s in gold.docs[doc.doc_id]["stances"])
        for width in (WIDE[0], 900):  # also where the panel drops below the text
            browser.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": WIDE[1], "deviceScaleFactor": 1,
                                                                "mobile": False}, wide.session)
            wide.goto(gold_site / ex.doc_page(doc.doc_id))
            got = wide.evaluate(TAGS_JS)
            assert got["n"] == expected and got["empty"] == 0, (doc.doc_id, width)
            assert got["hits"] == [], (doc.doc_id, width, got["hits"][:5])
    browser.call("Emulation.setDeviceMetricsOverride", {"width": WIDE[0], "height": WIDE[1], "deviceScaleFactor": 1,
                                                        "mobile": False}, wide.session)
    diff_root = tmp_path / "diff"  # two sets: twice the tags, in the same lines
    ex.write_site(diff_root, documents, gold, kb, clusters, other=pass_b)
    for doc in (d for d in documents if d.doc_id in pass_b.docs):
        wide.goto(diff_root / ex.doc_page(doc.doc_id))
        got = wide.evaluate(TAGS_JS)
        assert got["n"] > 0 and got["hits"] == [], (doc.doc_id, got["hits"][:5])
    reuters = next(d for d in documents if d.outlet == "Reuters")
    wide.goto(gold_site / ex.doc_page(reuters.doc_id))
    wide.evaluate("document.getElementById('text').scrollIntoView()")
    shot(wide, "explore-document-tags.png")
    wide.evaluate('document.querySelector("input[data-toggle=claim]").click()')
    assert visible(wide, "#text .tag-claim") == 0 and visible(wide, "#text .tag-ev") > 0
    assert wide.errors == []


@pytest.mark.browser
def test_browser_raw_audit_highlights_changed_and_invisible_characters(wide, gold_site, documents):
    seen = {"visible": 0, "invisible": 0}
    for doc in documents:
        wide.goto(gold_site / ex.raw_page(doc.doc_id))
        got = wide.evaluate("""(() => ({
          del: [...document.querySelectorAll("td.line del.chg")].filter(e => e.getClientRects().length).length,
          ins: [...document.querySelectorAll("td.clean ins.chg")].filter(e => e.getClientRects().length).length,
          nbsp: [...document.querySelectorAll("td.line del.chg .inv")].filter(e => e.textContent === "\u237d"
                 && e.getBoundingClientRect().width > 2).length,
          invOnly: [...document.querySelectorAll("tr.inv-only")].filter(r => r.querySelector(".badge.inv-only")).length,
          visibleChanged: document.querySelectorAll("tr .badge.chg").length}))()""")
        assert got["del"] + got["ins"] == 0 or (got["del"] > 0 and got["ins"] > 0), doc.doc_id
        seen["visible"] += got["visibleChanged"]
        seen["invisible"] += got["invOnly"]
        if got["nbsp"]:
            seen["nbsp"] = doc.doc_id
        assert wide.errors == []
    assert seen["visible"] and seen["invisible"] and "nbsp" in seen
    mojibake = next(d for d in documents if "\u00e2\u20ac" in d.raw)
    wide.goto(gold_site / ex.raw_page(mojibake.doc_id))
    wide.evaluate("[...document.querySelectorAll('tr')].find(r => r.querySelector('.badge.chg')).scrollIntoView()")
    assert "\u00e2\u20ac" in wide.evaluate("[...document.querySelectorAll('td.line del.chg')].map(e => e.textContent).join('')")
    shot(wide, "explore-raw-audit.png")


@pytest.mark.browser
def test_browser_cut_titles_show_an_ellipsis_and_an_unnamed_outlet_a_dash(wide, gold_site, documents):
    wide.goto(gold_site / "index.html")
    cells = wide.evaluate("[...document.querySelectorAll('#documents-table tr[data-item]')].map(r => "
                          "[r.cells[0].querySelector('a').textContent, r.cells[1].textContent])")
    for doc, (title, outlet) in zip(documents, cells):
        assert title == doc.display_title and outlet == (doc.outlet or "—")
    assert any(t.endswith("…") for t, _ in cells) and any(o == "—" for _, o in cells)
    shot(wide, "explore-index.png")
    cut = next(d for d in documents if d.display_title.endswith("…"))
    wide.goto(gold_site / ex.doc_page(cut.doc_id))
    assert wide.evaluate("document.querySelector('h1').textContent").endswith("…")
    assert wide.evaluate("(h => h.scrollWidth <= h.clientWidth)(document.querySelector('h1'))")
