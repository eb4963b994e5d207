"""Marked-up text: overlapping spans as nested and split ``<span>`` fragments.

In a document page every annotation is one or more ``<span data-id=KEY>`` fragments whose text, joined
in document order, is the annotation's ``exact`` text; overlapping annotations are nested where they
nest and split into fragments where they cross. Labels and tags are drawn with CSS pseudo-elements (tags
inside an empty inline-block ``<span class="tag">``), so the text content of the page's ``#text`` element is
the cleaned text itself."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .fmt import esc, html_attrs
from .model import RANK


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
    tag: str = ""  # a tag drawn at the start of the first fragment (an empty ``<span class="tag">``, see below)


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
        return (RANK[m.kind] != 0, -m.end, RANK[m.kind], m.key)

    for i, p in enumerate(points):
        new = starting.get(p, [])
        reopen: list[Mark] = []
        outermost = any(RANK[m.kind] == 0 for m in new)
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


def tag_html(tag: str, family: str) -> str:
    """A tag as an empty inline-block element that draws ``data-tag`` with CSS: it takes room in its line
    (so tags wrap like words and never overlap) and adds nothing to the text content."""
    return f'<span class="tag tag-{esc(family or "x")}" data-tag="{esc(tag)}"></span>'


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
        out.append(f"<span{html_attrs(pairs)}>")
        if child.first and m.tag:
            out.append(tag_html(m.tag, m.family))
        _serialize(child, out)
        out.append("</span>")
