"""The raw page: every raw line of an article and what the cleaner did with it."""

from __future__ import annotations

from ..pipeline.process import Document
from .fmt import doc_page, esc
from .model import FURNITURE_DESTINATION
from .page import Site, page_frame
from .textdiff import char_changes, clean_ranges, invisible_only, marked_text, raw_ranges


def raw_lines(doc: Document) -> list[dict]:
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


def _owner_texts(doc: Document, status: str, i: int) -> tuple[int, str, str]:
    """(raw start, raw text, cleaned text) of a block or furniture item."""
    if status == "kept":
        b = doc.blocks[i]
        return b["raw_start"], doc.raw[b["raw_start"]:b["raw_end"]], doc.text[b["start"]:b["end"]]
    f = doc.furniture[i]
    return f["raw_start"], doc.raw[f["raw_start"]:f["raw_end"]], f["text"]


def _raw_line_html(line: dict, changed: list[tuple[int, int]]) -> str:
    """The raw line, coloured by what the cleaner did, with the changed characters marked."""
    out, pos = [], line["start"]
    for status, text in line["segments"]:
        lo, hi = pos, pos + len(text)
        at_end = hi == line["end"]
        local = [(max(s, lo) - lo, min(e, hi) - lo) for s, e in changed
                 if (s < hi and e > lo) or (s == e and (lo <= s < hi or (at_end and s == hi)))]
        inner = marked_text(text, local, "del")
        out.append(f'<span class="seg-{status}">{inner}</span>' if status else inner)
        pos = hi
    return "".join(out)


def render_raw_page(site: Site, doc: Document) -> str:
    lines = raw_lines(doc)
    rows = []
    n_invisible = 0
    for line in lines:
        what, clean, changed = [], [], []
        kinds = []  # per owner whose text the cleaner changed: True when only invisible characters changed
        for status, i in line["owners"]:
            raw_start, raw_text, clean_text = _owner_texts(doc, status, i)
            changes = char_changes(raw_text, clean_text)
            if status == "kept":
                b = doc.blocks[i]
                what.append(f'kept: {esc(b["type"])} <a href="../{esc(doc_page(doc.doc_id))}#b{i}">block {i}</a>')
            else:
                f = doc.furniture[i]
                where = FURNITURE_DESTINATION.get(f["kind"])
                what.append(f"moved to {esc(where)} ({esc(f['kind'])})" if where else f"dropped: {esc(f['kind'])}")
            if changes:
                clean.append(marked_text(clean_text, clean_ranges(changes), "ins"))
                changed += raw_ranges(changes, raw_start)
                kinds.append(invisible_only(raw_text, clean_text, changes))
        if line["status"] == "unaccounted":
            what.append("<strong>not accounted for</strong>")
        cls = line["status"]
        if kinds and all(kinds):
            n_invisible += 1
            cls += " inv-only"
            what.append('<span class="badge inv-only">only invisible characters changed</span>')
        elif kinds:
            what.append('<span class="badge chg">characters changed</span>')
        raw_html = _raw_line_html(line, sorted(changed))
        rows.append(f'<tr id="L{line["number"]}" class="{cls}"><td class="num"><a href="#L{line["number"]}">'
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
        " · the last column shows the cleaned (repaired) text where it differs from the raw line, with the changed "
        'characters marked <del class="chg">in the raw</del> and <ins class="chg">in the clean text</ins>; invisible '
        'characters in a change are drawn as signs: <span class="inv">⍽</span> no-break space, '
        '<span class="inv">·</span> space, <span class="inv">→</span> tab, <span class="inv">↵</span> line break, '
        '<span class="inv">◌</span> other invisible character (hover for its name)</p>',
        f"<p>{n_invisible} lines whose only change is invisible are marked "
        '<span class="badge inv-only">only invisible characters changed</span>.</p>',
        "<h2>Metadata</h2>",
        "<table><tbody>" + "".join(meta_rows) + "</tbody></table>" if meta_rows else "<p>none</p>",
        "<h2>Raw lines</h2>",
        '<table class="raw"><colgroup><col class="n"><col><col class="what"><col></colgroup>'
        "<thead><tr><th>line</th><th>raw</th><th>what the cleaner did</th><th>cleaned text</th></tr></thead><tbody>\n"
        + "\n".join(rows) + "\n</tbody></table>",
    ])
    return page_frame(site, f"Raw vs clean: {doc.display_title}", body, 1)
