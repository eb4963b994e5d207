"""The release's figure: claim clusters across outlets (SVG, generated from the release tables)."""

from __future__ import annotations

import html
from typing import Iterator

import pyarrow as pa

from ..pipeline.corpus import outlet_acronym
from .text_tables import rows


_COLOURS = {"consistent": "#2e7d32", "conflicting": "#c62828", "different_scope": "#f9a825"}


def clusters_svg(tables_by_config: dict[str, pa.Table]) -> str:
    return "".join(clusters_svg_chunks(tables_by_config))


def _short(outlet: str | None) -> str:
    return outlet_acronym(outlet) or outlet or "(outlet not named)"


def clusters_svg_chunks(tables_by_config: dict[str, pa.Table]) -> Iterator[str]:
    """A matrix: one row per claim cluster, one column per outlet, a dot per claim coloured by relation.
    Written a part at a time; the documents (one column each) are read a batch at a time."""
    docs = tables_by_config["documents"]
    clusters = [c for c in tables_by_config["claim_clusters"].to_pylist() if c["members"]]
    members = {m["doc_id"] for c in clusters for m in c["members"]}
    column_of = {r["doc_id"]: j for j, r in enumerate(rows(docs, ["doc_id"])) if r["doc_id"] in members}
    left, top, col_w, row_h = 230, 120, 110, 22
    width, height = left + col_w * docs.num_rows + 20, top + row_h * len(clusters) + 60
    yield "\n".join([f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
                     f'font-family="sans-serif" font-size="12">',
                     f'<rect width="{width}" height="{height}" fill="white"/>',
                     '<text x="10" y="20" font-size="15" font-weight="bold">Claims across outlets, by cluster</text>'])
    for j, r in enumerate(rows(docs, ["outlet"])):
        x = left + col_w * j + col_w / 2
        yield (f'\n<text x="{x:.0f}" y="{top - 10}" text-anchor="start" transform="rotate(-30 {x:.0f} {top - 10})">'
               f'{html.escape(_short(r["outlet"])[:28])}</text>')
    out = [""]
    for i, c in enumerate(clusters):
        y = top + row_h * i + row_h / 2
        fill = "#fdecea" if c["has_conflict"] else ("#f5f5f5" if i % 2 else "white")
        out.append(f'<rect x="0" y="{y - row_h / 2:.0f}" width="{width}" height="{row_h}" fill="{fill}"/>')
        out.append(f'<text x="10" y="{y + 4:.0f}">{html.escape(c["cluster_id"])}</text>')
        by_doc: dict[str, list] = {}
        for m in c["members"]:
            by_doc.setdefault(m["doc_id"], []).append(m)
        for doc, doc_members in sorted(by_doc.items(), key=lambda item: column_of.get(item[0], -1)):
            if doc not in column_of:
                continue
            j = column_of[doc]
            for k, m in enumerate(doc_members[:4]):
                x = left + col_w * j + col_w / 2 + (k - (min(len(doc_members), 4) - 1) / 2) * 12
                title = html.escape(f"{m['text']} ({m['relation']})")
                out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="5" fill="{_COLOURS[m["relation"]]}">'
                           f'<title>{title}</title></circle>')
    y = top + row_h * len(clusters) + 30
    for k, (relation, colour) in enumerate(_COLOURS.items()):
        x = 10 + k * 160
        out.append(f'<circle cx="{x + 5}" cy="{y}" r="5" fill="{colour}"/><text x="{x + 15}" y="{y + 4}">{relation}</text>')
    out.append(f'<text x="{10 + 3 * 160}" y="{y + 4}">(rows shaded red hold a conflict)</text>')
    out.append("</svg>")
    yield "\n".join(out) + "\n"
