"""Segmentation of cleaned text into paragraphs, sentences and tokens (character offsets into the text).

Rule-based and regex-driven, written for English news prose:

* a line break ends a sentence; each paragraph (or heading) is split on its own;
* a candidate boundary is sentence-final punctuation (``.``, ``!``, ``?``, ``…``, ``...``) plus any
  closing quotes or brackets, followed by white space and an upper-case letter, digit or opening quote;
* a period does not end a sentence after a title or other abbreviation that is always followed by
  more text ("Mr.", "Dr.", "St.", "Gen."), after a single initial ("John F. Kennedy"), or after a
  month abbreviation followed by a number ("Dec. 31");
* after a dotted acronym ("U.N.", "U.S."), the sentence ends only if the next word is a common
  sentence opener ("The", "It", "But", ...);
* a quotation ending in "?" or "!" does not end the sentence when a reporting clause follows
  (``"Why now?" Diop asked.``);
* "No.", "p.", "pp.", "Fig.", "Vol." ... do not end a sentence before a number ("No. 5", "p. 55"), but do
  before a word ("he said no. The ...");
* a time ("at 6 P.M.") or other dotted acronym ends the sentence before an honorific ("Mr.", "Dr.") when
  at least three words precede it ("He left the bank at 6 P.M. Mr. Smith ..." but not "At 5 a.m. Mr. ...");
* a single capital ends the sentence before a common opener ("World War I. The ..."), and "I" after a
  lower-case word does before any capital ("you and I. Did you ...");
* list items in a line ("1.) ... 2.) ...", "a. ... b. ...", "(i) ... (ii) ...": markers of one style with
  consecutive numbers) each start a sentence, unless the list is run in after a colon ("two things: a) ... b) ...");
* ellipses: a spaced ". . ." marks an omission inside a sentence, ". . . ." (and "....") ends one, and an
  ellipsis standing after a sentence end opens the next sentence ("It closed. ... The next week").
"""

from __future__ import annotations

import re

from .records import Sentence, Token

# Abbreviations after which a period never ends a sentence (they precede a name or more text).
_TITLES = frozenset(
    """mr mrs ms mx dr prof st mt ft gen col lt sgt capt cpl maj adm cmdr gov sen rep pres supt insp
    rev fr sr jr messrs mme mlle hon amb vs v approx ca cf e.g i.e al""".split()
)
# Abbreviations that precede a number ("No. 5", "p. 55", "Fig. 3"); before a word, "no." is the word.
_NUMBER_ABBREVIATIONS = frozenset("no nos p pp vol vols fig figs ch art sec para pt op".split())
# Honorifics: after a dotted acronym or a time ("at 6 P.M. Mr. Smith"), they start a new sentence.
_HONORIFICS = frozenset("mr mrs ms mx dr prof".split())
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
_OPENERS = frozenset(
    """the a an it its he she they we i this that these those there but and in on at after before
    however meanwhile his her their our as if when while what who why how no yes some many most
    several one two three four five six seven eight nine ten according under since despite""".split()
)
_REPORTING_VERBS = re.compile(
    r"\s+(?:[A-Z][\w.'’-]*\s+){0,3}(?:said|says|asked|asks|added|adds|told|tells|wrote|writes|"
    r"stated|states|explained|commented|replied|insisted|warned|noted|continued|concluded)\b"
)

_OPENING = r"[\"'“‘«(\[]"
_CLOSING = r"[\"'”’»)\]]"
_ELLIPSIS = r"(?:\.(?: \.){2,3}|\.\.\.+|…)"  # ". . ." (spaced), ". . . ." (ellipsis + period), "...", "…"
_CANDIDATE = re.compile(
    # a spaced ellipsis, "..." or more periods, or a run of sentence-final marks; the first mark is matched
    # before the alternatives (and they look back at it) so that the scan skips to it quickly
    rf"[.!?…](?:(?<=\.)(?: \.){{2,3}}(?!\S)|(?<=\.)\.\.+|[.!?…]*){_CLOSING}*"
    # followed by a capital, a digit, or a free-standing ellipsis that opens the next sentence
    rf"(?=\s+(?:{_ELLIPSIS}\s+)?{_OPENING}?[A-Z0-9À-ÖØ-Þ])"
)
_LINE = re.compile(r"[^\n]+")
_WORD_BEFORE = re.compile(r"([\w.’'-]*)$")
_WORD_BEFORE_SPACE = re.compile(r"(\S*)\s+$")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_TIME = re.compile(r"\d\s*$")
# List markers: "1." "1.)" "1)" "(1)" "a." "b)" "iv." followed by white space and more text.
_MARKER = r"\(?(\d{1,2}|[a-z]|[ivx]{1,5})(\.\)|\)|\.)(?=\s+\S)"
_LIST_MARKER_FIRST = re.compile(_MARKER)  # at the start of a line
_LIST_MARKER = re.compile(" " + _MARKER)  # after a space (a literal first character keeps the scan fast)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
          "xi": 11, "xii": 12}


def _words_between(text: str, start: int, end: int) -> int:
    return len(text[start:end].split())


def _is_boundary(text: str, line_start: int, sentence_start: int, dot: int, end: int) -> bool:
    """Whether the candidate whose punctuation starts at ``dot`` and ends at ``end`` ends a sentence."""
    mark = text[dot]
    closing = text[dot:end].lstrip(".!?… ")
    if mark in "!?" and closing and _REPORTING_VERBS.match(text, end):
        return False
    if mark == "." and " " in text[dot:end]:  # a spaced ellipsis
        if text.count(".", dot, end) < 4:  # ". . ." marks an omission inside a sentence; ". . . ." ends one
            return False
        return True
    if mark in ".…" and dot > line_start and text[dot - 1].isspace():
        # a free-standing ellipsis right after a sentence end opens the next sentence: "over. ... The"
        before = text[line_start:dot].rstrip()
        if before and before[-1] in ".!?" + "\"'”’»)]":
            return False
    if mark != "." or text.startswith("...", dot):
        return True
    word = _WORD_BEFORE.search(text, max(line_start, dot - 40), dot).group(1)
    bare = word.rstrip(".").lower()
    if not bare:
        return True
    following = text[end:end + 40].split(None, 1)
    next_word = following[0].strip("\"'“‘«([") if following else ""
    next_bare = next_word.rstrip(".,").lower()
    if bare in _TITLES:
        return False
    if bare in _NUMBER_ABBREVIATIONS and next_word[:1].isdigit():
        return False
    if bare in _MONTHS and next_word[:1].isdigit():
        return False
    if len(word) == 1 and word.isupper():  # an initial ("John F. Kennedy"), or a word: "you and I.", "World War I."
        if next_bare in _OPENERS:
            return True
        if word == "I":
            previous = _WORD_BEFORE_SPACE.search(text, max(line_start, dot - 41), dot - 1)
            return bool(previous and previous.group(1)[:1].islower())
        return False
    if bare.isdigit() and not text[line_start:dot - len(word)].strip():  # a list number: "1. Rising ..."
        return False
    if _DOTTED_ACRONYM.match(word + "."):
        if next_bare in _OPENERS:
            return True
        # "... left the bank at 6 P.M. Mr. Smith then ..." (but "At 5 a.m. Mr. Smith went ...": too short)
        return next_bare in _HONORIFICS and _words_between(text, sentence_start, dot - len(word)) >= 3
    return True


def _list_markers(text: str, line_start: int, line_end: int) -> list[tuple[int, int, bool]]:
    """Spans of the list markers of a line that form a sequence ("1.) ... 2.) ...", "a. ... b. ..."), and whether
    the list is run in after a colon ("two things: a) ... b) ...").

    A marker belongs to a list when the next or previous marker of the same style (same punctuation,
    digits, letters or roman numerals) carries the next or previous number; the first of a list is 1, "a"
    or "i", or starts the line."""
    matches = _LIST_MARKER.findall(text, line_start, line_end)
    first = _LIST_MARKER_FIRST.match(text, line_start, line_end)
    if len(matches) + (first is not None) < 2:
        return []
    found = []
    for m in ([first] if first else []) + list(_LIST_MARKER.finditer(text, line_start, line_end)):
        label, punct = m.group(1), m.group(2)
        start = m.start(1) - 1 if m.start(1) > line_start and text[m.start(1) - 1] == "(" else m.start(1)
        paren = text[start] == "("
        if paren and punct != ")":
            continue
        values = []
        if label.isdigit():
            values.append(("digit", int(label)))
        else:
            if len(label) == 1:
                values.append(("letter", ord(label) - ord("a") + 1))
            if label in _ROMAN:
                values.append(("roman", _ROMAN[label]))
        if values:
            found.append((start, m.end(), (paren, punct), values))
    if len(found) < 2:
        return []
    in_list: set[int] = set()
    run_in: set[int] = set()  # markers of a list run in after a colon
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        if a[2] != b[2]:
            continue
        for kind, value in a[3]:
            if (kind, value + 1) in b[3]:
                # a sequence starts at the start of the line, or with 1 / a / i after punctuation (": 1. ...",
                # "• 1. ...") - not after a word, as in "scored 1. Then scored 2."
                before = text[line_start:a[0]].rstrip()
                if i not in in_list and before and (value != 1 or before[-1].isalnum()):
                    continue
                if i in run_in or (i not in in_list and before.endswith(":")):
                    run_in.update((i, i + 1))
                in_list.update((i, i + 1))
                break
    return [(found[i][0], found[i][1], i in run_in) for i in sorted(in_list)]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)``; no span crosses a line break or includes outer white space."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        line_start, line_end = line.span()
        markers = _list_markers(text, line_start, line_end)
        start = line_start
        if not markers:
            for m in _CANDIDATE.finditer(text, line_start, line_end):
                if _is_boundary(text, line_start, start, m.start(), m.end()):
                    _append(text, spans, start, m.end())
                    start = m.end()
            _append(text, spans, start, line_end)
            continue
        in_marker = {i for s, e, _r in markers for i in range(s, e)}
        # each item of a list starts a sentence; a list run in after a colon stays in its sentence ("sins: a) ... b) ...")
        cuts = [s for s, _e, run_in in markers if not run_in and text[line_start:s].strip()]
        k = 0
        for m in _CANDIDATE.finditer(text, line_start, line_end):
            while k < len(cuts) and cuts[k] <= m.start():
                _append(text, spans, start, cuts[k])
                start, k = max(start, cuts[k]), k + 1
            if m.start() in in_marker:
                continue
            if _is_boundary(text, line_start, start, m.start(), m.end()):
                _append(text, spans, start, m.end())
                start = m.end()
        for cut in cuts[k:]:
            _append(text, spans, start, cut)
            start = max(start, cut)
        _append(text, spans, start, line_end)
    return spans


def strip_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """``(start, end)`` without the white space at its ends, or None when nothing else is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _append(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    if span := strip_span(text, start, end):
        spans.append(span)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs (and title and headings): text between blank lines."""
    return [m.span() for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text)]


# (The look-ahead before the abbreviations only saves trying them where no word of one to four characters
# and a period follows: it changes no token.)
_TOKEN = re.compile(
    r"""
      (?:[A-Za-z]\.){2,}(?![A-Za-z])                                  # U.N.  U.S.
    | (?=\w{1,4}\.)(?i:(?:mr|mrs|ms|dr|prof|st|gen|col|lt|sgt|capt|maj|gov|sen|rep|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|no|vs|jr|sr)\.)(?=\s+[\w$])
    | \d+(?:[.,:/-]\d+)*(?:\w*)                                       # 1,100  1.2  15-0  2015  21st
    | [’']s\b | n[’']t\b                                            # clitics: Mali ’s, do n't
    | \w+(?:-(?=\d)\w+)*(?:[’'](?![st]\b)\w+)*(?:-(?=\d)\w+)*         # words, d’Ivoire, COVID-19 (not Tuareg-led)
    | \.\.\. | -- | [^\w\s]                                          # punctuation, one mark each
    """,
    re.X,
)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token spans in ``text[start:end]`` (Penn-Treebank-like: "$" "1.2", "Mali" "’s").

    A hyphen before a letter is a token of its own ("Tuareg-led" → "Tuareg" "-" "led", "al Qaeda-linked"
    → "al" "Qaeda" "-" "linked"), as in OntoNotes and spaCy's English tokeniser, so that a name inside a
    hyphenated compound is a whole token; a hyphen before a digit is kept ("15-0", "COVID-19")."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def trailing_whitespace(text: str, tokens) -> list[str]:
    """The text after each token up to the next one (the last: up to the end of ``text``), as spaCy's
    ``whitespace_``; the tokens (with ``start``/``end``) cover every non-space character, so these are white
    space, and ``"".join(text[t.start:t.end] + w ...)`` rebuilds ``text`` from the first token on."""
    ends = [t.end for t in tokens]
    starts = [t.start for t in tokens[1:]] + [len(text)]
    return [text[e:s] for e, s in zip(ends, starts)]


def segment(text: str, paragraphs: list[tuple[int, int]] | None = None) -> tuple[list[Sentence], list[Token]]:
    """Sentences (with their paragraph index) and tokens (with their sentence index) of ``text``."""
    paragraphs = paragraph_spans(text) if paragraphs is None else paragraphs
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        for s_start, s_end in split_sentences(text[p_start:p_end]):
            s = Sentence(p_start + s_start, p_start + s_end, p_index)
            index = len(sentences)
            tokens += [Token(m.start(), m.end(), index) for m in _TOKEN.finditer(text, s.start, s.end)]  # tokenize()
            sentences.append(s)
    return sentences, tokens
