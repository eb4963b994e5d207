"""The release's figure: claim clusters across outlets (SVG, generated from the release tables)."""

from __future__ import annotations

import html

import pyarrow as pa

from ..pipeline.corpus import outlet_acronym


_COLOURS = {"consistent": "#2e7d32", "conflicting": "#c62828", "different_scope": "#f9a825"}


def clusters_svg(tables_by_config: dict[str, pa.Table]) -> str:
    """A matrix: one row per claim cluster, one column per outlet, a dot per claim coloured by relation."""
    docs = tables_by_config["documents"].select(["doc_id", "outlet"]).to_pylist()
    def short(outlet: str | None) -> str:
        return outlet_acronym(outlet) or outlet or "(outlet not named)"

    columns = [(d["doc_id"], short(d["outlet"])) for d in docs]
    clusters = [c for c in tables_by_config["claim_clusters"].to_pylist() if c["members"]]
    left, top, col_w, row_h = 230, 120, 110, 22
    width, height = left + col_w * len(columns) + 20, top + row_h * len(clusters) + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           '<text x="10" y="20" font-size="15" font-weight="bold">Claims across outlets, by cluster</text>']
    for j, (_doc, outlet) in enumerate(columns):
        x = left + col_w * j + col_w / 2
        out.append(f'<text x="{x:.0f}" y="{top - 10}" text-anchor="start" transform="rotate(-30 {x:.0f} {top - 10})">'
                   f'{html.escape(outlet[:28])}</text>')
    for i, c in enumerate(clusters):
        y = top + row_h * i + row_h / 2
        fill = "#fdecea" if c["has_conflict"] else ("#f5f5f5" if i % 2 else "white")
        out.append(f'<rect x="0" y="{y - row_h / 2:.0f}" width="{width}" height="{row_h}" fill="{fill}"/>')
        out.append(f'<text x="10" y="{y + 4:.0f}">{html.escape(c["cluster_id"])}</text>')
        for j, (doc, _outlet) in enumerate(columns):
            members = [m for m in c["members"] if m["doc_id"] == doc]
            for k, m in enumerate(members[:4]):
                x = left + col_w * j + col_w / 2 + (k - (min(len(members), 4) - 1) / 2) * 12
                title = html.escape(f"{m['text']} ({m['relation']})")
                out.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="5" fill="{_COLOURS[m["relation"]]}">'
                           f'<title>{title}</title></circle>')
    y = top + row_h * len(clusters) + 30
    for k, (relation, colour) in enumerate(_COLOURS.items()):
        x = 10 + k * 160
        out.append(f'<circle cx="{x + 5}" cy="{y}" r="5" fill="{colour}"/><text x="{x + 15}" y="{y + 4}">{relation}</text>')
    out.append(f'<text x="{10 + 3 * 160}" y="{y + 4}">(rows shaded red hold a conflict)</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
