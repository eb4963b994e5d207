"""The site: ``render_site`` (every page, pure), ``write_site`` and the ``explore`` command (I/O at the edge)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
import json

from ..annotations.schema import Schema, load_schema
from ..errors import loads
from ..fileio import text_sha256
from ..progress import progress
from ..annotations.layout import AnnotationLayout, read_sets
from ..pipeline.process import Document, process
from .chromium import screenshot, stamp_png
from .claims import render_claims_page
from .document import render_document_page
from .entities import entity_mentions, render_entity_page
from .fmt import doc_page, entity_page, label_names, raw_page
from .index import render_index_page
from .model import AnnotationSet, ExploreError, GENERATOR, MARKER
from .page import Site
from .raw import render_raw_page


def render_site(documents: Sequence[Document], annotations: AnnotationSet, kb: Sequence[dict],
                clusters: Sequence[dict], *, other: AnnotationSet | None = None,
                labels: Sequence[str] | None = None, schema: Schema | None = None) -> dict[str, str]:
    """Every page of the site (relative path -> HTML). With ``other``, the diff of ``annotations`` (A)
    and ``other`` (B) over the documents both annotate. ``schema``: the annotation schema the sets follow
    (by default schema.yaml's). Deterministic: the same input gives the same bytes."""
    schema = schema or load_schema()
    site = Site(list(documents), annotations, other, list(kb), list(clusters), label_names(labels, schema), schema)
    pages = {"index.html": render_index_page(site), "claims.html": render_claims_page(site)}
    for i, doc in enumerate(site.documents):
        pages[doc_page(doc.doc_id)] = render_document_page(site, i)
        pages[raw_page(doc.doc_id)] = render_raw_page(site, doc)
    mentions = entity_mentions(site)
    for entity in site.kb:
        pages[entity_page(entity["id"])] = render_entity_page(site, entity, mentions.get(entity["id"], []))
    pages[MARKER] = json.dumps({"generator": GENERATOR, "pages": sorted([*pages, MARKER])}, indent=1) + "\n"
    return pages


def write_site(out_dir: Path, documents: Sequence[Document], annotations: AnnotationSet, kb: Sequence[dict],
               clusters: Sequence[dict], *, other: AnnotationSet | None = None,
               labels: Sequence[str] | None = None, schema: Schema | None = None) -> list[Path]:
    """Render the site and write it to ``out_dir`` (new, empty, or an earlier explorer site, whose pages
    that no longer exist are removed). Returns the files written."""
    pages = render_site(documents, annotations, kb, clusters, other=other, labels=labels, schema=schema)
    out_dir = Path(out_dir)
    marker = out_dir / MARKER
    old: list[str] = []
    if out_dir.exists() and any(out_dir.iterdir()):
        try:
            previous = loads(marker.read_text(encoding="utf-8"), marker)  # (a ValueError if not JSON)
            if previous.get("generator") != GENERATOR:
                raise ValueError
            old = list(previous["pages"])
        except (OSError, ValueError, KeyError, TypeError):
            raise ExploreError(f"{out_dir} is not empty and not an explorer site; choose a new or empty directory") from None
    for name in old:
        if name not in pages and not Path(name).is_absolute() and ".." not in Path(name).parts:
            (out_dir / name).unlink(missing_ok=True)
    written = []
    for name, content in progress(pages.items(), "writing pages", unit="page"):
        path = out_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def explore(out_dir: Path, *, raw_dir: Path, manifest: Path, annotations: Path,
            files: Sequence[Path] = (), diff: Sequence[Path] | None = None, png: Path | None = None) -> list[Path]:
    """``minusma-corpus explore``: the site of the gold set (``annotations/gold``), of ``files`` (annotation
    files or directories), or of the diff of two sets (``diff`` = (A, B)); optionally a PNG of the claims
    page (needs Chromium)."""
    documents = [d.document() for d in process(raw_dir, manifest)]
    layout = AnnotationLayout(annotations)
    kb, clusters = layout.read_kb(), layout.read_clusters()
    other = None
    if diff:
        a_path, b_path = diff
        first = AnnotationSet(str(a_path), read_sets(a_path))
        other = AnnotationSet(str(b_path), read_sets(b_path))
    else:
        paths = list(files) or [layout.gold]
        first = AnnotationSet(", ".join(map(str, paths)), read_sets(paths))
    written = write_site(out_dir, documents, first, kb, clusters, other=other)
    if png is not None:
        claims = Path(out_dir) / "claims.html"
        screenshot(claims, png)
        stamp_png(png, text_sha256(claims.read_text(encoding="utf-8")))
        written.append(Path(png))
    return written
