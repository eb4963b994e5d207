"""Unicode repair of raw article lines, and the character alignment between a raw and a repaired line.

Policy (documented in DATACARD.md):

* Mojibake (UTF-8 read as Windows-1252, such as ``â€œ`` for ``“``) is repaired with ftfy.
* Correct text is not altered: curly quotes, dashes, ligatures, full-width characters and the
  Unicode normalisation form stay as published (ftfy's ``uncurl_quotes``, ``fix_latin_ligatures``,
  ``fix_character_width`` and ``normalization`` are switched off).
* Non-breaking and other fixed-width spaces become ordinary spaces *before* ftfy runs (ftfy leaves
  ``\\xa0â€œ`` unrepaired otherwise), and every run of horizontal white space becomes one space. The
  raw text keeps the original characters; ``CleanDocument.offset_map`` maps back to them.

Alignment invariant (``align``; checked on random text by ``tests/test_repair_alignment.py``). For a raw
line ``raw`` and its repaired text ``repaired = repair_text(raw)``, ``align`` returns segments
``(start, end, raw_start, raw_end)`` such that:

1. the segments tile ``repaired`` exactly, in order, and their raw ranges are in order and do not
   overlap; no segment is empty on either side (every cleaned character maps to at least one raw one);
2. a segment is either *kept* (``repaired[start:end] == raw[raw_start:raw_end]``, mapping character by
   character) or *changed*, mapping as a whole: a space that replaced a run of spaces, no-break spaces,
   tabs or other Unicode spaces maps to that run, and a repaired sequence maps to the raw sequence ftfy
   made it from (``é`` to ``Ã©``, ``“`` to ``â€œ``, ``é`` to ``&eacute;``, ``&`` to ``&amp;``): either
   the raw range is the UTF-8 bytes of the repaired characters read in a single-byte encoding ftfy knows
   (Windows-1252, Latin-1, MacRoman, ...; a space standing for byte 0xA0; possibly twice over), or
   ``repair_text(raw[raw_start:raw_end]) == repaired[start:end].strip(" ")``;
3. the raw characters no segment covers are dropped ones: white space (outer spaces of the line) and
   characters ftfy removes (U+FEFF, control characters, terminal escapes), that is
   ``repair_text(gap) == ""``; what else ftfy deletes belongs to the repair it is part of.

Cost is linear in the line length:

1. spaces are normalised (and HTML entities decoded, as ftfy does first) with a map kept as they are
   replaced;
2. ftfy's output is walked against that text: equal stretches are skipped by slice comparison, and each
   difference is closed where both agree again — one mojibake character (2-4 characters that are its
   UTF-8 bytes), a lossy sequence, a C1 control, a terminal escape, or else the nearest agreement within
   a bounded look-ahead (ftfy keeps ASCII as it is, so one comes soon);
3. a change that is not one mojibake character and that ftfy does not make of its stretch alone (ftfy
   reads context) is widened with its neighbours until it does;
4. the result is composed with the map of step 1; unchanged lines cost one comparison.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

import ftfy
import ftfy.bad_codecs  # noqa: F401  (registers ftfy's sloppy encodings)
from ftfy.badness import BADNESS_RE
from ftfy.chardata import CHARMAP_ENCODINGS, CONTROL_CHARS, HTML_ENTITY_RE
from ftfy.fixes import ANSI_RE, remove_control_chars, remove_terminal_escapes, unescape_html

from .records import OffsetSegment

# U+00A0 NO-BREAK SPACE, U+2007 FIGURE SPACE, U+202F NARROW NO-BREAK SPACE, and the other
# Unicode space separators; tabs and form feeds.
_SPACES = re.compile(r"[\t\x0b\x0c \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")

_FTFY_CONFIG = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    normalization=None,
    explain=False,
)

# How far (in characters of both texts together) a difference is searched for its end before the
# look-ahead is widened, and at most (which bounds the cost per difference); and how many equal
# characters make a better anchor than one.
_LOOKAHEAD = 48
_MAX_LOOKAHEAD = 768
_ANCHOR = 2
_ANCHOR_SLACK = 8


# Printable characters that ftfy's ``remove_control_chars`` deletes (U+FFFC), from ftfy's own table.
_FTFY_REMOVES_PRINTABLE = tuple(chr(c) for c in sorted(CONTROL_CHARS) if chr(c).isprintable())
# How far around a non-ASCII character ftfy's badness expression is searched: at least its longest match
# (7 characters, "ГўВЂВ" and two more; tests/test_fast_paths.py checks it against ftfy's expression).
_BADNESS_REACH = 8


def repair_text(raw: str) -> str:
    """Repair one raw line: spaces normalised, mojibake fixed, outer white space stripped."""
    # A printable line has no white space but plain spaces (tabs, no-break and other spaces are not printable).
    spaced = raw if raw.isprintable() and "  " not in raw else _SPACES.sub(" ", raw)
    if _ftfy_keeps(spaced):
        return spaced.strip(" ")
    return ftfy.fix_text(spaced, _FTFY_CONFIG).strip(" ")


def _ftfy_keeps(text: str) -> bool:
    """True only if ``ftfy.fix_text(text, _FTFY_CONFIG) == text`` (a cheap, sufficient test; False says nothing).

    With the configuration above, ftfy changes a line only through: an HTML entity (``&``); a character
    that is not printable (C0 and C1 controls, line and paragraph separators, surrogates, terminal
    escapes, format characters such as U+FEFF), or one of the printable characters it deletes (from its
    own table); or mojibake, which it looks for only where its badness expression (``is_bad``) matches —
    never in ASCII text (ftfy returns ASCII unchanged), and every match holds a non-ASCII character, so
    searching around each non-ASCII character is the same as searching the whole line.
    """
    if "&" in text or not text.isprintable() or len(text) > _FTFY_CONFIG.max_decode_length:
        return False
    if text.isascii():
        return True
    if any(ch in text for ch in _FTFY_REMOVES_PRINTABLE):
        return False
    window_start, window_end = 0, -1
    for m in _NON_ASCII.finditer(text):
        start, end = max(0, m.start() - _BADNESS_REACH), m.end() + _BADNESS_REACH
        if start > window_end:
            if window_end >= 0 and BADNESS_RE.search(text, window_start, window_end):
                return False
            window_start = start
        window_end = end
    return not BADNESS_RE.search(text, window_start, window_end)


def align(raw: str, raw_start: int, repaired: str, start: int) -> list[OffsetSegment]:
    """Segments aligning ``repaired`` (at ``start`` in the cleaned text) with ``raw`` (at ``raw_start``).

    ``repaired`` must be ``repair_text(raw)``; see the module docstring for what the segments guarantee.
    """
    if not repaired:
        return []
    if raw == repaired:
        return [OffsetSegment(start, start + len(raw), raw_start, raw_start + len(raw))]
    spaced, runs = _normalise_spaces(raw)
    pairs = [(0, len(spaced), 0, len(repaired), True)] if spaced == repaired else _pairs(spaced, repaired)
    return _compose(pairs, runs, raw_start, start)


# --------------------------------------------------------------------------------------------
# Step 1: raw -> space-normalised text, keeping the map
# --------------------------------------------------------------------------------------------


# A run of white space that is not a single plain space (those stay as they are), or an HTML entity.
_OTHER_SPACE = r"[\t\x0b\x0c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]"
_SPACE_OR_ENTITY = re.compile(
    rf"(?P<space>{_OTHER_SPACE}{_SPACES.pattern[:-1]}*|  {_SPACES.pattern[:-1]}*| {_OTHER_SPACE}{_SPACES.pattern[:-1]}*)"
    rf"|{HTML_ENTITY_RE.pattern}"
)


def _normalise_spaces(raw: str) -> tuple[str, list[tuple[int, int, int]]]:
    """The space-normalised text, HTML entities decoded, and its replacements.

    Each replacement ``(position, raw start, raw end)`` is one character of the normalised text standing
    for ``raw[raw start:raw end]``: a run of spaces (not a single plain space), or an HTML entity that ftfy
    decodes into one character (ftfy decodes entities first, and only in a line without ``<``). Aligning
    with ftfy's output afterwards then sees ``&eacute;Â`` as the mojibake ``éÂ`` it is to ftfy.
    """
    entities = "<" not in raw and len(raw) <= _FTFY_CONFIG.max_decode_length
    parts: list[str] = []
    runs: list[tuple[int, int, int]] = []
    pos = 0  # in raw
    out = 0  # in the normalised text
    for m in _SPACE_OR_ENTITY.finditer(raw):
        a, b = m.span()
        if m.group("space") is not None:
            char = " "
        else:
            char = unescape_html(m.group()) if entities else ""
            if len(char) != 1:
                continue
        parts.append(raw[pos:a])
        out += a - pos
        runs.append((out, a, b))
        parts.append(char)
        out += 1
        pos = b
    parts.append(raw[pos:])
    return "".join(parts), runs


# --------------------------------------------------------------------------------------------
# Step 2: space-normalised text <-> ftfy's output
# --------------------------------------------------------------------------------------------

# (s0, s1, f0, f1, kept): kept is True for equal stretches, False for a change still to verify, None for a
# change known to be one mojibake character.
Pair = tuple[int, int, int, int, "bool | None"]


def _common_prefix(s: str, i: int, f: str, j: int) -> int:
    """Length of the common prefix of ``s[i:]`` and ``f[j:]``, found by galloping slice comparisons."""
    limit = min(len(s) - i, len(f) - j)
    k, step = 0, 8
    while k < limit:
        size = min(step, limit - k)
        if s[i + k : i + k + size] == f[j + k : j + k + size]:
            k += size
            step *= 2
        elif size == 1:
            break
        else:
            step = max(1, size // 2)
    return k


def _agrees(s: str, i: int, f: str, j: int, width: int) -> bool:
    """Whether both texts end at ``i``/``j``, or agree on the next ``width`` characters (fewer at an end)."""
    n, m = len(s), len(f)
    if i == n or j == m:
        return i == n and j == m
    k = min(width, n - i, m - j)
    return s[i : i + k] == f[j : j + k]


def _to_byte(ch: str) -> int | None:
    """The byte a character of Windows-1252/Latin-1 mojibake stands for (None for other characters)."""
    o = ord(ch)
    if o < 256:
        return o
    try:
        return ch.encode("cp1252")[0]
    except UnicodeEncodeError:
        return None


def _continuations(lead: int | None) -> int:
    """How many continuation bytes a UTF-8 lead byte announces (0 if it is not a lead byte)."""
    if lead is None:
        return 0
    return 1 if 0xC2 <= lead <= 0xDF else 2 if 0xE0 <= lead <= 0xEF else 3 if 0xF0 <= lead <= 0xF4 else 0


def _wants_more_bytes(run: str) -> bool:
    """Whether mojibake ``run`` ends inside a UTF-8 sequence (its byte 0xA0 became a no-break space)."""
    cont = 0
    for ch in reversed(run[-4:]):
        b = _to_byte(ch)
        if b is None:
            return False
        if 0x80 <= b <= 0xBF:
            cont += 1
            continue
        return cont < _continuations(b)
    return False


def _mojibake_size(s: str, i: int, f: str, j: int, end: int | None = None) -> int:
    """How many characters of ``s[i:end]`` are the mojibake of ``f[j]`` (0 if none)."""
    end = len(s) if end is None else end
    if j < len(f):
        if f[j] == "\ufffd" and s[i] != "\ufffd":
            # A lossy sequence ("Â�", "ð�¡¡") that ftfy replaced by one replacement character: as long as
            # the UTF-8 sequence its first byte announces.
            size = 1 + _continuations(_to_byte(s[i]))
            chunk = s[i : i + size]
            if size > 1 and i + size <= end and "\ufffd" in chunk:
                if all(ch == "\ufffd" or _to_byte(ch) is not None for ch in chunk):
                    return size
        if i < end and "\x80" <= s[i] <= "\x9f" and _c1(s[i]) == f[j]:
            return 1  # a C1 control read as Windows-1252 ("\x91" -> "‘")
        for size in (2, 3, 4):
            if i + size <= end and _decodes_to(s[i : i + size], f[j]):
                return size
    return 0


def _c1(ch: str) -> str:
    try:
        return ch.encode("latin-1").decode("cp1252")
    except UnicodeDecodeError:
        return ch


def _repair_starts(s: str, i: int, f: str, j: int) -> bool:
    """Whether a repair ftfy makes (mojibake or an HTML entity) starts at ``s[i]`` and ``f[j]``."""
    if _mojibake_size(s, i, f, j):
        return True
    entity = HTML_ENTITY_RE.match(s, i)
    return bool(entity) and (text := unescape_html(entity.group())) != entity.group() and f.startswith(text, j)


def _close(s: str, i: int, f: str, j: int) -> tuple[int, int, bool]:
    """Where the difference starting at ``s[i]`` / ``f[j]`` ends: the next point where both agree; and
    whether it is known to be one mojibake character."""
    n, m = len(s), len(f)
    escape = ANSI_RE.match(s, i)
    if escape:
        return escape.end(), j, False  # a terminal escape, which ftfy removes
    entity = HTML_ENTITY_RE.match(s, i)
    if entity and j < m:
        text = unescape_html(entity.group())
        if text != entity.group() and f.startswith(text, j) and text:
            return entity.end(), j + len(text), False
    size = _mojibake_size(s, i, f, j)  # one character's UTF-8 bytes read as Windows-1252 ("Ã©" -> "é")
    if size:
        if s[i + size - 1] == " " and f.startswith(" ", j + 1) and not s.startswith(" ", i + size):
            return i + size, j + 2, True  # "Ã " -> "à " before a word: ftfy puts a space back
        return i + size, j + 1, True
    if i < n and j < m and s[i] >= "\x80" and f[j] >= "\x80":
        # Mojibake: a run of non-ASCII characters repaired into a run of non-ASCII characters.
        i2 = _NON_ASCII.match(s, i).end()  # type: ignore[union-attr]
        j2 = _NON_ASCII.match(f, j).end()  # type: ignore[union-attr]
        if i2 < n and s[i2] == " " and _wants_more_bytes(s[i:i2]):
            # ftfy restores a byte 0xA0 that became a space ("Ã " -> "à", or "à " before a word).
            return (i2 + 1, j2 + 1, False) if j2 < m and f[j2] == " " else (i2 + 1, j2, False)
        if _agrees(s, i2, f, j2, 1):
            return i2, j2, False
    width = _LOOKAHEAD
    while True:
        # The nearest point where both agree again on two characters (or a repair starts there); failing
        # that, on one character, unless two agree a few characters further on.
        first, first_d = None, 0
        for d in range(1, width + 1):
            if first and d > first_d + _ANCHOR_SLACK:
                return first[0], first[1], False
            for dj in range(0, d // 2 + 1):  # ftfy's repairs never lengthen the text: dj <= di
                i2, j2 = i + d - dj, j + dj
                if i2 > n or j2 > m:
                    continue
                if _agrees(s, i2, f, j2, _ANCHOR) or _repair_starts(s, i2, f, j2):
                    return i2, j2, False
                if not first and _agrees(s, i2, f, j2, 1):
                    first, first_d = (i2, j2), d
        if first:
            return first[0], first[1], False
        if width >= min(n - i + m - j, _MAX_LOOKAHEAD):
            return n, m, False  # nothing agrees any more: the rest is one change (never seen in practice)
        width *= 4


def _decodes_to(chunk: str, target: str) -> bool:
    """Whether mojibake ``chunk`` is the UTF-8 bytes of ``target`` read as Windows-1252 or Latin-1, or as
    one of the other single-byte encodings ftfy knows (MacRoman, Windows-1251, ...)."""
    if chunk[0] < "\x80" or any(ch < "\x80" and ch != " " for ch in chunk[1:]):
        return False  # mojibake is non-ASCII throughout (but for a space standing for byte 0xA0)
    data = []
    for ch in chunk:
        b = 0xA0 if ch == " " else _to_byte(ch)  # a space may stand for a no-break space, byte 0xA0
        if b is None:
            break
        data.append(b)
    else:
        if _utf8(bytes(data), target):
            return True
        if 0xC2 <= data[0] <= 0xF4:
            return False  # Windows-1252 mojibake, of another character or of another length
    for encoding in CHARMAP_ENCODINGS[2:]:
        try:
            if _utf8(chunk.encode(encoding), target):
                return True
        except UnicodeEncodeError:
            continue
    return False


def _utf8(data: bytes, target: str) -> bool:
    try:
        decoded = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if decoded != target and len(decoded) == 1 and "\x80" <= decoded <= "\x9f":
        decoded = _c1(decoded)  # a C1 control, which ftfy then reads as Windows-1252 ("Â€" -> "\x80" -> "€")
    return decoded == target


def _refine(s: str, i: int, i2: int, f: str, j: int, j2: int) -> list[Pair]:
    """Split a changed stretch into repaired characters and kept ones, as far as each can be told apart.

    A repaired character is the UTF-8 decoding of 2 to 4 characters of mojibake; what cannot be told
    (double mojibake, a sequence ftfy decoded by context) stays one change from there on.
    """
    out: list[Pair] = []
    x, y = i, j
    while x < i2 and y < j2:
        size = _mojibake_size(s, x, f, y, i2)
        if size:
            out.append((x, x + size, y, y + 1, None))
            x, y = x + size, y + 1
        else:
            if s[x] != f[y]:
                escape = ANSI_RE.match(s, x, i2)
                if escape:
                    out.append((x, escape.end(), y, y, False))  # a terminal escape, which ftfy removes
                    x = escape.end()
                    continue
                if x + 1 < i2 and (s[x + 1] == f[y] or _mojibake_size(s, x + 1, f, y) or _removed(s[x])):
                    out.append((x, x + 1, y, y, False))  # a character ftfy deleted (joins a neighbour)
                    x += 1
                    continue
                break
            if out and out[-1][4]:
                out[-1] = (out[-1][0], x + 1, out[-1][2], y + 1, True)
            else:
                out.append((x, x + 1, y, y + 1, True))
            x, y = x + 1, y + 1
    if x < i2 or y < j2:
        out.append((x, i2, y, j2, False))
    return out


def _pairs(s: str, f: str) -> list[Pair]:
    """Kept and changed stretches of ``s`` (space-normalised) and ``f`` (repaired), tiling both."""
    n, m = len(s), len(f)
    out: list[Pair] = []
    i = j = 0
    while i < n and j < m:
        k = _common_prefix(s, i, f, j)
        if k and i + k < n:
            # An HTML entity that ftfy decoded starts with "&" and perhaps more the texts share ("&amp;"):
            # the change starts at the "&".
            amp = s.rfind("&", max(i, i + k - 32), i + k)
            if amp >= 0 and (entity := HTML_ENTITY_RE.match(s, amp)) and entity.end() > i + k:
                k = amp - i
        if k:
            out.append((i, i + k, j, j + k, True))
            i, j = i + k, j + k
            continue
        i2, j2, known = _close(s, i, f, j)
        if known:
            out.append((i, i2, j, j2, None))
        elif j2 == j and out and out[-1][4]:
            # Characters ftfy deleted after a kept stretch: slide the deletion left as far as the text
            # allows, so that it joins what it belongs to ("&amp;amp;" -> "&amp;": "&" <- "&amp;").
            a, _, b, _, _ = out.pop()
            t = 0
            while t < i - a and s[i - 1 - t] == s[i2 - 1 - t]:
                t += 1
            if i - t > a:
                out.append((a, i - t, b, j - t, True))
            out.append((i - t, i2 - t, j - t, j - t, False))
            if t:
                out.append((i2 - t, i2, j - t, j, True))
        else:
            out.extend(_refine(s, i, i2, f, j, j2))
        i, j = i2, j2
    if i < n or j < m:
        out.append((i, n, j, m, False))
    return _settle(s, f, _absorb(s, out))


def _removed(text: str) -> bool:
    """Whether ftfy removes ``text`` altogether (control and format characters, terminal escapes, spaces)."""
    return not remove_control_chars(remove_terminal_escapes(text)).strip(" ")


def _absorb(s: str, pairs: list[Pair]) -> list[Pair]:
    """Fold stretches empty on one side (characters ftfy deleted or, never seen, inserted) into a neighbour:
    the change after it, else the change before it, else the kept character before (after) it."""
    pairs = [p for p in pairs if not (p[2] == p[3] and _removed(s[p[0] : p[1]]))]  # dropped: U+FEFF, ...
    out: list[Pair] = []
    pending: tuple[int, int] | None = None  # start (s, f) of what the next pair takes in
    for k, (s0, s1, f0, f1, kept) in enumerate(pairs):
        if pending is not None:
            if kept and s1 - s0 > 1 and f1 - f0 > 1:
                out.append((pending[0], s0 + 1, pending[1], f0 + 1, False))
                s0, f0 = s0 + 1, f0 + 1
            else:
                s0, f0, kept = pending[0], pending[1], False
            pending = None
        if s0 < s1 and f0 < f1:
            out.append((s0, s1, f0, f1, kept))
        elif k + 1 < len(pairs) and not pairs[k + 1][4] or not out:
            pending = (s0, f0)
        else:
            ps0, ps1, pf0, pf1, pkept = out.pop()
            if pkept and ps1 - ps0 > 1:
                out.append((ps0, ps1 - 1, pf0, pf1 - 1, True))
                ps0, pf0 = ps1 - 1, pf1 - 1
            out.append((ps0, s1, pf0, f1, False))
    if pending is not None:  # an empty-sided stretch at the end, after nothing but dropped characters
        if out:
            ps0, _, pf0, _, _ = out.pop()
            out.append((ps0, pairs[-1][1], pf0, pairs[-1][3], False))
        elif pairs and pairs[-1][1] > pending[0] and pairs[-1][3] > pending[1]:
            out.append((pending[0], pairs[-1][1], pending[1], pairs[-1][3], False))
    return out


def _verified(s: str, f: str, pair: Pair) -> bool:
    """Whether a change is one mojibake character, or what ftfy makes of its stretch on its own."""
    s0, s1, f0, f1, _ = pair
    if f1 - f0 == 2 and f[f1 - 1] == " " and s[s1 - 1] == " ":
        f1 -= 1  # "Ã " -> "à " before a word
    if f1 - f0 == 1 and _mojibake_size(s, s0, f, f0, s1) == s1 - s0:
        return True
    return repair_text(s[s0:s1]) == f[f0:f1].strip(" ")


def _settle(s: str, f: str, pairs: list[Pair]) -> list[Pair]:
    """Widen each change that ftfy does not make of its stretch alone (ftfy also reads context: a run of
    mixed mojibake fragments) with its neighbours, until it does; the whole line always does."""
    out: list[Pair] = []
    for pair in pairs:
        out.append(pair)
        steps = 0
        while out[-1][4] is False and len(out) > 1 and not _verified(s, f, out[-1]):
            b, a = out.pop(), out.pop()
            steps += 1
            if a[4] and a[1] - a[0] > 8 and steps < 16:  # take in a few kept characters at a time
                cut = a[1] - 8
                out.append((a[0], cut, a[2], a[3] - 8, True))
                a = (cut, a[1], a[3] - 8, a[3], True)
            out.append((a[0], b[1], a[2], b[3], False))
    # A change at the start that ftfy makes only with what follows: take in the next stretch.
    while len(out) > 1 and out[0][4] is False and not _verified(s, f, out[0]):
        a, b = out[0], out[1]
        if b[4] and b[1] - b[0] > 8:
            out[0:2] = [(a[0], b[0] + 8, a[2], b[2] + 8, False), (b[0] + 8, b[1], b[2] + 8, b[3], True)]
        else:
            out[0:2] = [(a[0], b[1], a[2], b[3], False)]
    return out


# --------------------------------------------------------------------------------------------
# Step 3: compose with the space map, to raw offsets
# --------------------------------------------------------------------------------------------


def _compose(pairs: list[Pair], runs: list[tuple[int, int, int]], raw_start: int, start: int) -> list[OffsetSegment]:
    run_at = [r[0] for r in runs]
    shift = []  # raw offset minus normalised offset after each run
    total = 0
    for p, a, b in runs:
        total += (b - a) - 1
        shift.append(total)

    def raw_begin(p: int) -> int:
        k = bisect_right(run_at, p) - 1
        if k >= 0 and run_at[k] == p:
            return runs[k][1]
        return p + (shift[k] if k >= 0 else 0)

    def raw_stop(p: int) -> int:  # raw end of normalised character p
        k = bisect_right(run_at, p) - 1
        if k >= 0 and run_at[k] == p:
            return runs[k][2]
        return p + 1 + (shift[k] if k >= 0 else 0)

    spans: list[list] = []  # [f0, f1, r0, r1, kept], adjacent kept spans merged

    def emit(f0: int, f1: int, r0: int, r1: int, kept: bool) -> None:
        if kept and spans and spans[-1][4] and spans[-1][1] == f0 and spans[-1][3] == r0:
            spans[-1][1], spans[-1][3] = f1, r1
        else:
            spans.append([f0, f1, r0, r1, kept])

    for s0, s1, f0, f1, kept in pairs:
        if not kept:
            emit(f0, f1, raw_begin(s0), raw_stop(s1 - 1), False)
            continue
        k = bisect_left(run_at, s0)
        while s0 < s1:
            if k < len(runs) and run_at[k] < s1:
                p = run_at[k]
                if p > s0:
                    emit(f0, f0 + p - s0, raw_begin(s0), raw_stop(p - 1), True)
                    f0 += p - s0
                emit(f0, f0 + 1, runs[k][1], runs[k][2], False)
                f0, s0, k = f0 + 1, p + 1, k + 1
            else:
                emit(f0, f0 + s1 - s0, raw_begin(s0), raw_stop(s1 - 1), True)
                s0 = s1
    return [OffsetSegment(start + f0, start + f1, raw_start + r0, raw_start + r1) for f0, f1, r0, r1, _ in spans]
