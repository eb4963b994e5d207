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
  (``"Why now?" Diop asked.``).
"""

from __future__ import annotations

import re

from .records import Sentence, Token

# Abbreviations after which a period never ends a sentence (they precede a name or a number).
_TITLES = frozenset(
    """mr mrs ms mx dr prof st mt ft gen col lt sgt capt cpl maj adm cmdr gov sen rep pres supt insp
    rev fr sr jr messrs mme mlle hon amb no nos vol vs v fig approx ca cf e.g i.e al""".split()
)
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

_CANDIDATE = re.compile(
    r"(?:\.\.\.|[.!?…]+)[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9À-ÖØ-Þ])"
)
_LINE = re.compile(r"[^\n]+")
_WORD_BEFORE = re.compile(r"([\w.’'-]*)$")
_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")


def _is_boundary(text: str, line_start: int, dot: int, end: int) -> bool:
    """Whether the candidate whose punctuation starts at ``dot`` and ends at ``end`` ends a sentence."""
    mark = text[dot]
    closing = text[dot:end].lstrip(".!?…")
    if mark in "!?" and closing and _REPORTING_VERBS.match(text, end):
        return False
    if mark != "." or text.startswith("...", dot):
        return True
    word = _WORD_BEFORE.search(text, max(line_start, dot - 40), dot).group(1)
    bare = word.rstrip(".").lower()
    if not bare:
        return True
    next_word = text[end:end + 40].split(None, 1)[0].strip("\"'“‘«([") if text[end:end + 40].split() else ""
    if bare in _TITLES:
        return False
    if bare in _MONTHS and next_word[:1].isdigit():
        return False
    if len(word) == 1 and word.isupper():  # an initial: "John F. Kennedy"
        return False
    if bare.isdigit() and not text[line_start:dot - len(word)].strip():  # a list number: "1. Rising ..."
        return False
    if _DOTTED_ACRONYM.match(word + "."):
        return next_word.lower().rstrip(",") in _OPENERS
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)``; no span crosses a line break or includes outer white space."""
    spans: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        line_start, line_end = line.span()
        start = line_start
        for m in _CANDIDATE.finditer(text, line_start, line_end):
            if _is_boundary(text, line_start, m.start(), m.end()):
                _append(text, spans, start, m.end())
                start = m.end()
        _append(text, spans, start, line_end)
    return spans


def _append(text: str, spans: list[tuple[int, int]], start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs (and title and headings): text between blank lines."""
    return [m.span() for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text)]


_TOKEN = re.compile(
    r"""
      (?:[A-Za-z]\.){2,}(?![A-Za-z])                                  # U.N.  U.S.
    | (?i:(?:mr|mrs|ms|dr|prof|st|gen|col|lt|sgt|capt|maj|gov|sen|rep|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|no|vs|jr|sr)\.)(?=\s+[\w$])
    | \d+(?:[.,:/-]\d+)*(?:\w*)                                       # 1,100  1.2  15-0  2015  21st
    | [’']s\b | n[’']t\b                                            # clitics: Mali ’s, do n't
    | \w+(?:-\w+)*(?:[’'](?![st]\b)\w+)*(?:-\w+)*                     # words, hyphenated, d’Ivoire
    | \.\.\. | -- | [^\w\s]                                          # punctuation, one mark each
    """,
    re.X,
)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token spans in ``text[start:end]`` (Penn-Treebank-like: "$" "1.2", "Mali" "’s")."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


def segment(text: str, paragraphs: list[tuple[int, int]] | None = None) -> tuple[list[Sentence], list[Token]]:
    """Sentences (with their paragraph index) and tokens (with their sentence index) of ``text``."""
    paragraphs = paragraph_spans(text) if paragraphs is None else paragraphs
    sentences: list[Sentence] = []
    tokens: list[Token] = []
    for p_index, (p_start, p_end) in enumerate(paragraphs):
        for s_start, s_end in split_sentences(text[p_start:p_end]):
            s = Sentence(p_start + s_start, p_start + s_end, p_index)
            tokens.extend(Token(a, b, len(sentences)) for a, b in tokenize(text, s.start, s.end))
            sentences.append(s)
    return sentences, tokens
