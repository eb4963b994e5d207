"""Plain typed records shared by the pipeline stages.

Every span is a pair of character offsets (Python code points, end exclusive). Offsets named
``start``/``end`` point into a document's cleaned ``text``; ``raw_start``/``raw_end`` point into the
decoded raw article.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

BlockType = Literal["title", "heading", "paragraph"]

# What the cleaner did with a raw line that is not part of the cleaned text.
FurnitureKind = Literal[
    "navigation",  # "Skip to content"
    "prompt",  # share/summary/comment prompts, read-time badges, "Click here"
    "masthead",  # site or institution header lines above the title
    "byline",  # "By Jane Doe" -> metadata.authors
    "date",  # a dateline holding the publication date -> metadata.date
    "caption",  # photo caption or image description -> metadata.captions
    "credit",  # contributor/editor/photo credits -> metadata.credits
    "correction",  # correction notes -> metadata.corrections
    "author_bio",  # "About the author" and the bio -> metadata.author_bios
    "site_description",  # the outlet describing itself
    "link_list",  # related/next/previous article headlines and other link lists
    "end_marker",  # "Leave a Reply", "Previous Article", "Print Bookmark", ...
]


@dataclass(frozen=True)
class Block:
    """One title, heading or paragraph of the cleaned text, and the raw slice it came from."""

    type: BlockType
    start: int
    end: int
    raw_start: int
    raw_end: int


@dataclass(frozen=True)
class Furniture:
    """A raw line kept out of the cleaned text, with the reason (its kind)."""

    kind: FurnitureKind
    raw_start: int
    raw_end: int
    text: str  # the repaired line


@dataclass(frozen=True)
class Caption:
    text: str
    credit: str | None
    raw_start: int
    raw_end: int


@dataclass(frozen=True)
class Credit:
    role: str  # photo | contributor | reporting | writing | editing | additional_reporting | ...
    name: str


@dataclass(frozen=True)
class OffsetSegment:
    """Aligns ``text[start:end]`` with ``raw[raw_start:raw_end]``.

    Segments where both lengths are equal and the characters are identical map character by
    character; other segments (a repaired mojibake sequence, a collapsed run of spaces) map as a whole.
    """

    start: int
    end: int
    raw_start: int
    raw_end: int


@dataclass(frozen=True)
class DocumentMetadata:
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None  # ISO 8601 (YYYY-MM-DD)
    outlet: str | None = None
    dateline: str | None = None  # place name of a news-agency dateline ("DAKAR")
    captions: tuple[Caption, ...] = ()
    credits: tuple[Credit, ...] = ()
    corrections: tuple[str, ...] = ()
    author_bios: tuple[str, ...] = ()


@dataclass(frozen=True)
class CleanDocument:
    """A cleaned article: text, its blocks, metadata and the map back to the raw article."""

    text: str
    blocks: tuple[Block, ...]
    metadata: DocumentMetadata
    furniture: tuple[Furniture, ...] = ()
    offset_map: tuple[OffsetSegment, ...] = field(default=(), repr=False)

    def paragraphs(self) -> list[tuple[int, int]]:
        """Spans of every block (title, headings and paragraphs), in text order."""
        return [(b.start, b.end) for b in self.blocks]

    def raw_offset(self, offset: int) -> int:
        """The raw offset that the cleaned character at ``offset`` came from."""
        from bisect import bisect_right

        starts = [s.start for s in self.offset_map]
        i = bisect_right(starts, offset) - 1
        if i < 0 or offset >= self.offset_map[i].end:
            raise ValueError(f"offset {offset} is not inside a block of the cleaned text")
        seg = self.offset_map[i]
        if seg.end - seg.start == seg.raw_end - seg.raw_start:
            return seg.raw_start + (offset - seg.start)
        return seg.raw_start


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int  # index of the block holding the sentence


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    sentence: int
