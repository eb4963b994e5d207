"""The offset-map invariant of ``minusma_corpus.pipeline.repair`` (see its module docstring), as one checker."""

from __future__ import annotations

import re

import ftfy.bad_codecs  # noqa: F401  (registers "sloppy-windows-1252")
import ftfy.fixes
from ftfy.chardata import CHARMAP_ENCODINGS

from minusma_corpus.pipeline.records import CleanDocument
from minusma_corpus.pipeline.repair import repair_text


def _decode_lead(ch: str) -> int:
    """How long the UTF-8 sequence is that a Windows-1252 character stands for the lead byte of (0: none)."""
    try:
        b = ch.encode("sloppy-windows-1252")[0]
    except UnicodeError:
        return 0
    return 2 if 0xC2 <= b <= 0xDF else 3 if 0xE0 <= b <= 0xEF else 4 if 0xF0 <= b <= 0xF4 else 0


def _decode_unit(chunk: str, encoding: str) -> str | None:
    """The character whose UTF-8 bytes ``chunk`` is, read in ``encoding``."""
    lead = _decode_lead(chunk[0])
    if "\ufffd" in chunk[1:] and lead and len(chunk) == lead:  # a lossy sequence: "Â�", "ð’—�"
        return "\ufffd"
    for text in (chunk.replace(" ", "\xa0"), chunk):  # ftfy restores a byte 0xA0 that became a space
        try:
            ch = text.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
        if len(ch) == 1:
            return ftfy.fixes.fix_c1_controls(ch)
    return None


def _decode_units(text: str, encoding: str) -> str:
    """Every 2-4 characters that are the UTF-8 bytes of one character read in ``encoding``, decoded."""
    text = re.sub(r"\s+", " ", text)  # runs of white space became one space before ftfy ran
    text = ftfy.fixes.unescape_html(text) if "<" not in text else text
    out, i = [], 0
    while i < len(text):
        for size in (2, 3, 4):
            ch = _decode_unit(text[i:i + size], encoding) if i + size <= len(text) and text[i] >= "\x80" else None
            if ch is not None:
                out.append(ch)
                i += size
                break
        else:
            out.append(ftfy.fixes.fix_c1_controls(text[i]))
            i += 1
    return "".join(out)


def is_mojibake_of(source: str, cleaned: str) -> bool:
    """Whether ``source`` is ``cleaned`` encoded as UTF-8 and read as Windows-1252 (or another single-byte
    encoding ftfy knows), one to three times over, in whole or in parts."""
    for encoding in CHARMAP_ENCODINGS:
        text = source
        for _ in range(3):
            decoded = _decode_units(text, encoding)
            if decoded == cleaned or decoded.strip(" ") == cleaned.strip(" "):
                return True
            if decoded == text:
                break
            text = decoded
    return False


def repaired_from(source: str, cleaned: str) -> bool:
    """Whether the raw ``source`` is what ``cleaned`` was repaired from (a changed segment, as a whole)."""
    return is_mojibake_of(source, cleaned) or repair_text(source) == cleaned.strip(" ")


def check_offset_map(raw: str, doc: CleanDocument) -> None:
    """Assert the alignment invariant for every block of ``doc`` cleaned from ``raw``."""
    text, segments = doc.text, doc.offset_map
    by_block: dict[int, list] = {}
    starts = [b.start for b in doc.blocks]
    for seg in segments:
        assert seg.start < seg.end, ("empty cleaned side", seg)
        assert seg.raw_start < seg.raw_end, ("cleaned characters map to an empty raw range", seg)
        k = max(i for i, s in enumerate(starts) if s <= seg.start)
        by_block.setdefault(k, []).append(seg)
    for k, block in enumerate(doc.blocks):
        segs = by_block.get(k, [])
        # Tiling of the block's cleaned text, in order; raw ranges in order, inside the block's raw slice.
        assert segs and segs[0].start == block.start and segs[-1].end == block.end, (block, segs[:1], segs[-1:])
        pos, raw_pos = block.start, block.raw_start
        for seg in segs:
            assert seg.start == pos, ("gap or overlap in the cleaned text", seg)
            assert seg.raw_start >= raw_pos, ("raw ranges overlap or go backwards", seg)
            assert repair_text(raw[raw_pos:seg.raw_start]) == "", ("raw characters dropped between segments",
                                                                  seg, raw[raw_pos:seg.raw_start])
            cleaned, source = text[seg.start:seg.end], raw[seg.raw_start:seg.raw_end]
            if cleaned != source:  # a change maps as a whole to what it was repaired from
                assert repaired_from(source, cleaned), ("not what the raw range repairs to", seg, cleaned, source)
            pos, raw_pos = seg.end, seg.raw_end
        assert pos == block.end
        assert raw_pos <= block.raw_end and repair_text(raw[raw_pos:block.raw_end]) == "", (block, raw[raw_pos:])
        # Every cleaned character resolves to a raw character it came from.
        for i in (block.start, block.end - 1):
            r = doc.raw_offset(i)
            assert block.raw_start <= r < block.raw_end
