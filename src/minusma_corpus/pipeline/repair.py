"""Unicode repair of raw article lines, and the character alignment between a raw and a repaired line.

Policy (documented in DATACARD.md):

* Mojibake (UTF-8 read as Windows-1252, such as ``â€œ`` for ``“``) is repaired with ftfy.
* Correct text is not altered: curly quotes, dashes, ligatures, full-width characters and the
  Unicode normalisation form stay as published (ftfy's ``uncurl_quotes``, ``fix_latin_ligatures``,
  ``fix_character_width`` and ``normalization`` are switched off).
* Non-breaking and other fixed-width spaces become ordinary spaces *before* ftfy runs (ftfy leaves
  ``\\xa0â€œ`` unrepaired otherwise), and every run of horizontal white space becomes one space. The
  raw text keeps the original characters; ``CleanDocument.offset_map`` maps back to them.
"""

from __future__ import annotations

import difflib
import re

import ftfy

from .records import OffsetSegment

# U+00A0 NO-BREAK SPACE, U+2007 FIGURE SPACE, U+202F NARROW NO-BREAK SPACE, and the other
# Unicode space separators; tabs and form feeds.
_SPACES = re.compile(r"[\t\x0b\x0c \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")

_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    normalization=None,
    explain=False,
)


def repair_text(raw: str) -> str:
    """Repair one raw line: spaces normalised, mojibake fixed, outer white space stripped."""
    spaced = _SPACES.sub(" ", raw)
    return ftfy.fix_text(spaced, _FTFY_CONFIG).strip(" ")


def align(raw: str, raw_start: int, repaired: str, start: int) -> list[OffsetSegment]:
    """Segments aligning ``repaired`` (at ``start`` in the cleaned text) with ``raw`` (at ``raw_start``)."""
    matcher = difflib.SequenceMatcher(None, raw, repaired, autojunk=False)
    segments = []
    for _tag, i1, i2, j1, j2 in matcher.get_opcodes():
        # Peel white space off both ends of a replaced region (a no-break space that became a space),
        # so that the repaired characters map to their own raw sequence.
        while i1 < i2 and j1 < j2 and raw[i1].isspace() and repaired[j1].isspace():
            segments.append(OffsetSegment(start + j1, start + j1 + 1, raw_start + i1, raw_start + i1 + 1))
            i1, j1 = i1 + 1, j1 + 1
        tail = []
        while i1 < i2 and j1 < j2 and raw[i2 - 1].isspace() and repaired[j2 - 1].isspace():
            tail.append(OffsetSegment(start + j2 - 1, start + j2, raw_start + i2 - 1, raw_start + i2))
            i2, j2 = i2 - 1, j2 - 1
        if j1 < j2:  # (raw characters with no counterpart, such as dropped spaces, map to nothing)
            segments.append(OffsetSegment(start + j1, start + j2, raw_start + i1, raw_start + i2))
        segments.extend(reversed(tail))
    return segments
