"""Corpus explorer: a static HTML site of an annotated corpus (``minusma-corpus explore``).

The site opens from disk (no server, no external fonts, scripts or CDNs; every page carries a
Content-Security-Policy that allows only its own inline style and script, by hash)::

    index.html             documents (outlet, date, title, counts per layer, document stance),
                           claim clusters and corpus entities, each list with a search box and filters
    docs/<doc_id>.html     the cleaned text with every annotation highlighted, a legend, layer toggles,
                           a panel with the attributes of the clicked annotation, and the annotation tables
    raw/<doc_id>.html      raw vs clean: every raw line and what the cleaner did with it, the changed
                           characters marked and invisible changes drawn (``⍽`` for a no-break space)
    entities/<id>.html     one corpus entity: aliases and every mention in context (full width, grouped by
                           document, searchable, 25 a page), its claims and stances
    claims.html            every cross-document claim cluster, members side by side, conflicts first;
                           searchable, filtered by conflict
    explore.json           the list of pages (marks the directory as an explorer site)

Any annotation set renders (gold, predicted, one annotator's pass, an import under review), and so does
the diff of two sets (``other``): matches and disagreements coloured, as in ``agreement --diff``.

In a document page every annotation is one or more ``<span data-id=KEY>`` fragments whose text, joined
in document order, is the annotation's ``exact`` text; overlapping annotations are nested where they
nest and split into fragments where they cross. KEY is ``mark_key(side, id)`` (mentions, claims and
stances), ``KEY-cue`` for a claim's cue and ``KEY-e<i>`` for a stance's i-th evidence span. Labels and
tags are drawn with CSS pseudo-elements, so the text content of the page's ``#text`` element is the
cleaned text itself.

Claim and stance tags are empty inline-block elements (``<span class="tag" data-tag=…>``) that take room
in their line, so they wrap like words and never overlap. Search, filters and paging are plain JS in
``assets/explore.js`` over ``data-item`` elements (``page.filter_bar``); without JS everything shows.

Modules: ``model`` (input records), ``fmt`` (escaping, paths, formatters), ``markup`` (the nested-span
algorithm), ``textdiff`` (what the cleaner changed, character by character), ``items`` (one set or a diff), ``page`` (what pages share), one module per page (``document``,
``raw``, ``entities``, ``claims``, ``index``), ``site`` (render and write, the ``explore`` command) and
``chromium`` (a PNG of a page with headless Chromium, stamped with the sha256 of the page it shows).
Everything is pure (plain data in, HTML strings out) except ``site.write_site``, ``site.explore`` and
``chromium``. Builds on ``annotations`` and ``pipeline``.
"""

from ..pipeline.process import Document
from .chromium import find_chromium, png_source, screenshot, stamp_png
from .fmt import asset, cluster_anchor, csp_hash, doc_page, entity_page, esc, mark_key, raw_page
from .items import Item, diff_items, single_items
from .markup import Mark, marked_html
from .model import FURNITURE_DESTINATION, MARKER, AnnotationSet, ExploreError
from .raw import raw_lines
from .site import explore, render_site, write_site

__all__ = [
    "FURNITURE_DESTINATION", "MARKER", "AnnotationSet", "Document", "ExploreError", "Item", "Mark", "asset",
    "cluster_anchor", "csp_hash", "diff_items", "doc_page", "entity_page", "esc", "explore", "find_chromium",
    "mark_key", "marked_html", "png_source", "raw_lines", "raw_page", "render_site", "screenshot", "single_items",
    "stamp_png", "write_site",
]
