"""Generic boilerplate evidence for the cleaner: text density, the extent of the main body, notices.

Pure functions over lists of line texts; ``clean.py`` combines them with its own wording rules.

- **Text density.** jusText's paragraph classifier (stop-word density, length, context), run on the
  lines of a plain-text page as if each were an HTML paragraph: its English stop-word list and
  default thresholds, unchanged. A line jusText calls "good" reads like running text in context.
- **Body extent.** The main body is the stretch of lines where running text outweighs furniture:
  the maximum-sum segment of per-line scores (words of a line of running text count for it, words
  of any other line against it), as in Finn, Kushmerick & Smyth's body-text extraction (2001).
  Short link lines inside an article do not split it; a long run of menus and teasers after it does.
- **Notices.** Lines that address the reader about the site rather than the story: copyright
  footers, newsletter/subscription/paywall prompts, cookie and browser notices, consent check boxes,
  tag lists.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import justext
from justext.core import PathInfo, classify_paragraphs
from justext.paragraph import Paragraph

#: Leading list marks of a plain-text dump ("• ", "□ ", "- ", "* ", "1. "), stripped before matching.
BULLET = re.compile(r"^(?:[•□■▪▫◦●○·‣∙*+–-]|\d{1,2}[.)])\s+")

COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\ball rights reserved\b|^copyright\b", re.I)

# A notice speaks to the reader (you, your), or of the site itself ("this site", "our newsletter"),
# about the site: newsletters, subscriptions, paywalls, accounts, cookies, browsers, consent.
_READER = re.compile(
    r"\b(?:you|your|yours|yourself|you['’](?:re|ll|ve|d)|sign me up|this (?:web ?)?(?:site|page)|"
    r"our (?:newsletters?|web ?site|site|app|journalism|reporting|(?:top |best |latest )?stories|e-?mails?|"
    r"readers|subscribers|members|community|terms|privacy policy|cookie policy))\b",
    re.I,
)
# Reported speech is the story's, not the site's: a quoted or attributed line is no notice.
_REPORTED = re.compile(r"[\"“”]|\b(?:said|says|told)\b")
_SITE_TOPIC = re.compile(
    r"\b(?:newsletters?|subscri(?:be|bed|ber|bers|bing|ption|ptions)|unsubscribe|sign(?:ing)?[- ]?(?:me )?up|"
    r"log(?:ging)? ?in|sign(?:ing)? ?in|password|inbox|e-?mail (?:address|updates|alerts|newsletter)|cookies?|browser|javascript|"
    r"privacy (?:policy|notice|statement)|terms (?:of (?:use|service)|and conditions)|ad ?blocker)\b",
    re.I,
)
CONSENT_BOX = re.compile(r"^\[\s?[xX✓]?\s?\]")
TAGS = re.compile(r"^(?:tags|tagged(?: with| in)?|topics|filed under|categories|related topics|more about)\s*:?\s*", re.I)


def strip_bullet(text: str) -> str:
    return BULLET.sub("", text, count=1)


def is_copyright(text: str) -> bool:
    return bool(COPYRIGHT.search(text))


def is_notice(text: str, on_topic: bool | None = None) -> bool:
    """A line about the site addressed to the reader: subscription, newsletter, cookie, browser, consent.
    ``on_topic``: ``mentions_site_topic(text)`` if the caller has it already."""
    if CONSENT_BOX.match(text):
        return True
    if on_topic is None:
        on_topic = mentions_site_topic(text)
    return bool(on_topic and _READER.search(text)) and not _REPORTED.search(text)


# A lower-case piece of every alternative of ``_SITE_TOPIC``: a line holding none of them cannot match it, and
# the expression (the costliest of the notices) is not run.
_SITE_TOPIC_PIECES = ("newsletter", "subscri", "sign", "log", "password", "inbox", "mail", "cookie", "browser",
                      "javascript", "privacy", "terms", "blocker")


def mentions_site_topic(text: str) -> bool:
    return _may_mention_site_topic(text) and bool(_SITE_TOPIC.search(text))


def _may_mention_site_topic(text: str) -> bool:
    """False only where ``_SITE_TOPIC`` cannot match: no piece of it in the lower-cased line. (Python's
    case-insensitive matching also takes "İ" and "ı" for "i", "ſ" for "s" and the Kelvin sign for "k", which
    ``lower`` does not: with one of them the answer is True.)"""
    if not text.isascii() and ("ı" in text or "İ" in text or "ſ" in text or "\u212a" in text):
        return True
    folded = text.lower()
    return any(piece in folded for piece in _SITE_TOPIC_PIECES)


def is_tag_line(text: str) -> bool:
    """ "Tags:", "Tagged: Mali, UN", "Filed under: Africa"."""
    t = strip_bullet(text)
    m = TAGS.match(t)
    if not m:
        return False
    rest = t[m.end():]
    # The label alone, or the label and a list of terms (no sentence).
    return m.group(0).rstrip().endswith(":") or not rest or not re.search(r"[.!?]$", rest)


@lru_cache(maxsize=1)
def _stoplist() -> frozenset[str]:
    return frozenset(w.lower() for w in justext.get_stoplist("English"))


class _Paragraph(Paragraph):
    """A jusText paragraph of one line whose text, words and stop words are computed once (jusText
    re-joins and re-normalises the text on every access: ``len``, word count, density)."""

    def __init__(self, path: PathInfo | _FixedPath, text: str) -> None:
        super().__init__(path)
        if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
            # Its only white space is single spaces between words: jusText's normalisation keeps it as it is.
            self.text_nodes.append(text)
            self._text = text
        else:
            self.append_text(text)
            self._text = super().text
        self._words = self._text.split()

    @property
    def text(self) -> str:
        return self._text

    @property
    def words_count(self) -> int:
        return len(self._words)

    def stopwords_count(self, stopwords) -> int:
        return sum(map(stopwords.__contains__, map(str.lower, self._words)))


class _FixedPath:
    """A jusText ``PathInfo`` whose ``dom`` and ``xpath`` are computed once (each paragraph reads them)."""

    def __init__(self, path: PathInfo) -> None:
        self.dom, self.xpath = path.dom, path.xpath


def density_paragraphs(texts: Sequence[str]) -> list[Paragraph]:
    """Each line as one jusText paragraph, classified without context (``cf_class``): "good",
    "neargood", "short" (under 70 characters) or "bad" (low stop-word density, copyright sign)."""
    path = _FixedPath(PathInfo().append("body").append("p"))
    paragraphs = [_Paragraph(path, text) for text in texts]
    classify_paragraphs(paragraphs, _stoplist())
    return paragraphs


def context_classes(paragraphs: Sequence[Paragraph]) -> list[str]:
    """jusText's classes in context ("good" or "bad") of paragraphs classified by ``density_paragraphs``:
    its full algorithm, neighbours deciding short and near-good lines, among these paragraphs only."""
    return revised_classes([p.cf_class for p in paragraphs])


def revised_classes(cf_classes: Sequence[str]) -> list[str]:
    """jusText's ``revise_paragraph_classification`` (3.0) of paragraphs that are not headings (every
    line here is one ``<p>``), step for step, in time linear in the paragraphs.

    jusText finds each short or near-good paragraph's nearest good/bad neighbours by walking the list,
    which is quadratic in a run of such paragraphs (thousands of one-line list items or captions take
    minutes). Here the neighbours come from "nearest so far" passes; the classes are jusText's
    (``tests/test_fast_paths.py`` checks them against jusText's function on random sequences)."""
    n = len(cf_classes)
    classes = list(cf_classes)

    def nearest(kinds: frozenset[str], step: int) -> list[str]:
        """For each paragraph, the class of the nearest one before (step 1) or after (-1) of ``kinds``."""
        found, last = [""] * n, "bad"
        for i in range(n)[::step]:
            found[i] = last
            if classes[i] in kinds:
                last = classes[i]
        return found

    good_or_bad, not_short = frozenset({"good", "bad"}), frozenset({"good", "bad", "neargood"})
    prev_gb, next_gb, prev_ns, next_ns = (nearest(good_or_bad, 1), nearest(good_or_bad, -1),
                                          nearest(not_short, 1), nearest(not_short, -1))
    short = {}
    for i in range(n):  # short paragraphs, all decided by the classes before this step
        if classes[i] != "short":
            continue
        before, after = prev_gb[i], next_gb[i]
        if before == after:
            short[i] = before
        elif (before == "bad" and prev_ns[i] == "neargood") or (after == "bad" and next_ns[i] == "neargood"):
            short[i] = "good"
        else:
            short[i] = "bad"
    for i, c in short.items():
        classes[i] = c

    next_gb = nearest(good_or_bad, -1)
    before = "bad"
    for i in range(n):  # near-good paragraphs, in order: the one before is already decided
        if classes[i] == "neargood":
            classes[i] = "bad" if (before, next_gb[i]) == ("bad", "bad") else "good"
        before = classes[i]
    return classes


def density_classes(texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """jusText's classes of each line, each line taken as one paragraph: (context-free, in context).

    Context-free: "good", "neargood", "short" (under 70 characters) or "bad" (low stop-word density,
    copyright sign). In context (jusText's full algorithm, neighbours deciding short and near-good
    lines): "good" or "bad".
    """
    paragraphs = density_paragraphs(texts)
    return [p.cf_class for p in paragraphs], context_classes(paragraphs)


def body_extent(scores: Sequence[float]) -> tuple[int, int] | None:
    """(first, last) index of the maximum-sum contiguous segment of ``scores``; None if all <= 0."""
    best, best_span = 0.0, None
    run, run_start = 0.0, 0
    for i, s in enumerate(scores):
        if run <= 0:
            run, run_start = 0.0, i
        run += s
        if run > best:
            best, best_span = run, (run_start, i)
    return best_span
