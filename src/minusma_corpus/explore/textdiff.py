"""What the cleaner changed inside a kept line, character by character, with invisible changes made visible.

``char_changes`` aligns a raw span with its cleaned text (``difflib.SequenceMatcher``, no junk heuristic)
and returns the changed ranges; ``marked_text`` renders one side with those ranges highlighted, and every
invisible character inside them drawn as a visible sign (``⍽`` for a no-break space, ``·`` for a space,
``→`` for a tab, ``↵`` for a line break, ``◌`` for any other invisible or control character) whose
tooltip names the character; ``invisible_only`` says whether a change cannot be seen in the plain text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
import unicodedata

from .fmt import esc


@dataclass(frozen=True)
class Change:
    """One changed range: ``raw[raw_start:raw_end]`` became ``clean[clean_start:clean_end]``."""

    op: str  # replace | delete | insert
    raw_start: int
    raw_end: int
    clean_start: int
    clean_end: int


SIGNS = {"\u00a0": "⍽", "\u202f": "⍽", "\u2007": "⍽", " ": "·", "\t": "→", "\n": "↵", "\r": "↵"}


def char_changes(raw: str, clean: str) -> list[Change]:
    """The ranges where ``raw`` and ``clean`` differ (empty when they are equal)."""
    if raw == clean:
        return []
    matcher = SequenceMatcher(None, raw, clean, autojunk=False)
    return [Change(op, i1, i2, j1, j2) for op, i1, i2, j1, j2 in matcher.get_opcodes() if op != "equal"]


def is_invisible(ch: str) -> bool:
    """White space, and characters drawn as nothing (format and control characters)."""
    return ch.isspace() or unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp")


def sign(ch: str) -> str | None:
    """The visible sign of an invisible character, else None."""
    if not is_invisible(ch):
        return None
    return SIGNS.get(ch, "◌")


def char_name(ch: str) -> str:
    return f"U+{ord(ch):04X} {unicodedata.name(ch, 'control character')}"


def invisible_only(raw: str, clean: str, changes: Sequence[Change]) -> bool:
    """True when there are changes and every changed character, on either side, is invisible."""
    return bool(changes) and all(is_invisible(ch) for c in changes
                                 for ch in raw[c.raw_start:c.raw_end] + clean[c.clean_start:c.clean_end])


def _shown(text: str) -> str:
    out = []
    for ch in text:
        mark = sign(ch)
        out.append(f'<span class="inv" title="{esc(char_name(ch))}">{mark}</span>' if mark else esc(ch))
    return "".join(out)


def marked_text(text: str, ranges: Sequence[tuple[int, int]], tag: str) -> str:
    """``text`` as HTML, each of ``ranges`` (sorted, disjoint) wrapped in ``<tag class="chg">`` with its
    invisible characters drawn as signs; an empty range (a point where the other side has characters)
    becomes an empty ``<tag class="chg gap">`` so the reader sees where something was removed."""
    out, pos = [], 0
    for start, end in ranges:
        out.append(esc(text[pos:start]))
        cls = "chg" if end > start else "chg gap"
        out.append(f'<{tag} class="{cls}">{_shown(text[start:end])}</{tag}>')
        pos = end
    out.append(esc(text[pos:]))
    return "".join(out)


def raw_ranges(changes: Sequence[Change], offset: int = 0) -> list[tuple[int, int]]:
    return [(c.raw_start + offset, c.raw_end + offset) for c in changes]


def clean_ranges(changes: Sequence[Change]) -> list[tuple[int, int]]:
    return [(c.clean_start, c.clean_end) for c in changes]
