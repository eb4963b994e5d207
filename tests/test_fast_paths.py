"""Every fast path of the pipeline gives the result of the slow path it skips, on random text.

Example counts come from the hypothesis profile (tests/conftest.py): "ci" (default) or "nightly".
"""

from __future__ import annotations

import ftfy
from hypothesis import example, given
from hypothesis import strategies as st

from minusma_corpus.pipeline import repair

# Pieces that ftfy may change (mojibake, entities, controls, separators, U+FFFC it deletes) and pieces that
# it keeps (ASCII words, correct punctuation and letters), so that both paths are taken.
WORDS = st.sampled_from(["The", "mission", "de", "paix", "Mali", "a", "said", "2023", "(Reuters)", " ", "  ",
                         "“", "”", "’", "‘", "—", "–", "…", "é", "Ã", "Â", "â€", "Ã©", "Â ", "&", "&amp;",
                         "&eacute;", "\ufffc", "\ufeff", "\x1b[31m", "\x9d", "\u2028", "\r", "\xa0", "ГўВЂВ"])
NON_ASCII = st.text(alphabet=st.characters(min_codepoint=0x80, max_codepoint=0x10FFFF, exclude_categories=("Cs",)),
                    min_size=1, max_size=4)


@st.composite
def mojibake(draw) -> str:
    text = draw(NON_ASCII)
    codec = draw(st.sampled_from(["cp1252", "latin-1", "macroman"]))
    return text.encode("utf-8").decode(codec, errors="replace")


LINES = st.lists(st.one_of(WORDS, WORDS, WORDS, NON_ASCII, mojibake(), st.text(max_size=8)), max_size=40).map("".join)


def _repair_without_fast_path(raw: str) -> str:
    return ftfy.fix_text(repair._SPACES.sub(" ", raw), repair._FTFY_CONFIG).strip(" ")


@given(LINES)
@example("x" * 40 + "Ã©" + "y" * 40)  # mojibake far from the line's start and end
@example("“Quoted” — ‘fine’ … " * 5 + "Ã©")  # mojibake after correct non-ASCII, beyond the first window
@example("Â ")
@example("a\ufffcb")
def test_repair_text_fast_path_gives_ftfys_output(raw):
    assert repair.repair_text(raw) == _repair_without_fast_path(raw)


def test_ftfys_badness_expression_matches_no_more_characters_than_the_fast_path_searches_around():
    try:
        from re import _parser as sre_parse  # Python 3.11+
    except ImportError:  # Python 3.10
        import sre_parse
    from ftfy.badness import BADNESS_RE

    assert sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags).getwidth()[1] <= repair._BADNESS_REACH


@given(LINES)
def test_ftfy_keeps_what_the_fast_path_says_it_keeps(raw):
    text = repair._SPACES.sub(" ", raw)
    if repair._ftfy_keeps(text):
        assert ftfy.fix_text(text, repair._FTFY_CONFIG) == text


# --------------------------------------------------------------------------------------------
# jusText paragraphs computed once (boilerplate._Paragraph) against jusText's own paragraphs
# --------------------------------------------------------------------------------------------

TEXT_PIECES = st.sampled_from(["the", "of", "and", "Mali", "UN", "mission", "said", "peace", "©", "&copy", " ", "  ",
                               "\t", "\xa0", "\u2009", "\u200b", ".", ",", "’s", "É", "İ", "ſ", "ΣΑΣ", "\x85"])
LINE_TEXTS = st.lists(st.one_of(TEXT_PIECES, TEXT_PIECES, TEXT_PIECES, st.text(max_size=6)), max_size=60).map("".join)


def _justext_paragraph(text: str):
    from justext.core import PathInfo
    from justext.paragraph import Paragraph

    paragraph = Paragraph(PathInfo().append("body").append("p"))
    paragraph.append_text(text)
    return paragraph


@given(st.lists(LINE_TEXTS, max_size=12))
@example(["The mission of the United Nations in Mali and the peace that it was there to keep for all of us."] * 3
         + ["Short line", "Names, Names, Names"])
def test_density_classes_are_jusTexts_on_its_own_paragraphs(texts):
    from justext.core import classify_paragraphs, revise_paragraph_classification

    from minusma_corpus.pipeline import boilerplate

    mine = boilerplate.density_paragraphs(texts)
    theirs = [_justext_paragraph(t) for t in texts]
    for a, b in zip(mine, theirs):
        assert (a.text, len(a), a.words_count) == (b.text, len(b), b.words_count)
        assert a.stopwords_count(boilerplate._stoplist()) == b.stopwords_count(boilerplate._stoplist())
        assert (a.dom_path, a.xpath) == (b.dom_path, b.xpath)
    classify_paragraphs(theirs, boilerplate._stoplist())
    context_free = [p.cf_class for p in theirs]
    revise_paragraph_classification(theirs)
    assert boilerplate.density_classes(texts) == (context_free, [p.class_type for p in theirs])
    # the context of a prefix, from the paragraphs of the whole (as clean._body_extent uses them)
    for k in range(len(texts) + 1):
        assert boilerplate.context_classes(mine[:k]) == boilerplate.density_classes(texts[:k])[1]


# --------------------------------------------------------------------------------------------
# Expressions run only where they can match, or rewritten to scan faster
# --------------------------------------------------------------------------------------------

CAPTION_PIECES = st.sampled_from(["Image", "Photo", "photograph", "Picture", "Foto", "Pic", " source", " credit", " by",
                                  ":", ": ", " ", "(", ")", ".", "!", "?", ";", "Reuters", "AFP/Getty", "Jane Doe",
                                  "/", ",", "İ", "ſ"])
CAPTION_LINES = st.lists(st.one_of(CAPTION_PIECES, CAPTION_PIECES, st.text(max_size=5)), max_size=25).map("".join)


def _groups(m):
    return None if m is None else (m.span(), m.groupdict())


@given(CAPTION_LINES)
@example("Soldiers on patrol in Gao. Photo: Jane Doe/REUTERS")
@example("The vote, said Diop: it is over. Image: A. B")
@example("Photo Source: Adama Diarra, Reuters")
def test_caption_credit_precheck_matches_the_expression(text):
    from minusma_corpus.pipeline import clean

    assert _groups(clean.match_caption_credit(text)) == _groups(clean.CAPTION_CREDIT.match(text))


SENTENCE_PIECES = st.sampled_from([".", "..", "...", "....", ". . .", ". . . .", " . . . ", "!", "?", "?!", "…", "”",
                                   "’", ")", "\"", " ", "  ", "\n", "The", "it", "Mr", "U.S", "A", "1", "«", "“",
                                   "É", "x", "said"])
SENTENCE_TEXTS = st.lists(st.one_of(SENTENCE_PIECES, SENTENCE_PIECES, st.text(max_size=4)), max_size=40).map("".join)


@given(SENTENCE_TEXTS)
@example("It closed. . . . The next week. ... Then... A")
def test_sentence_candidates_are_those_of_the_plain_expression(text):
    import re

    from minusma_corpus.pipeline import segment

    fast = r"[.!?…](?:(?<=\.)(?: \.){2,3}(?!\S)|(?<=\.)\.\.+|[.!?…]*)"
    assert segment._CANDIDATE.pattern.startswith(fast)
    plain = re.compile(r"(?:\.(?: \.){2,3}(?!\S)|\.\.\.+|[.!?…]+)" + segment._CANDIDATE.pattern[len(fast):])
    assert [m.span() for m in segment._CANDIDATE.finditer(text)] == [m.span() for m in plain.finditer(text)]


TOKEN_PIECES = st.sampled_from(["Mr.", "mrs.", "Sept.", "sept", "No.", "no", "St.", "ſt.", "İ.", "KAPT.", "Capt.", "Dec.",
                                " ", "  ", "\n", "5", "$", "U.N.", "Jr.", "ab.", "abcde.", "’s", "n't", "-", "x", "."])
TOKEN_TEXTS = st.lists(st.one_of(TOKEN_PIECES, TOKEN_PIECES, st.text(max_size=4)), max_size=40).map("".join)


@given(TOKEN_TEXTS)
@example("Mr. Diop met Gen. Sangaré on Dec. 3 at St. Louis; No. 5 and ſt. X")
def test_tokens_are_those_of_the_expression_without_its_look_ahead(text):
    import re

    from minusma_corpus.pipeline import segment

    guard = r"(?=\w{1,4}\.)"
    assert guard in segment._TOKEN.pattern
    plain = re.compile(segment._TOKEN.pattern.replace(guard, ""), segment._TOKEN.flags)
    assert [m.span() for m in segment._TOKEN.finditer(text)] == [m.span() for m in plain.finditer(text)]


TOPIC_PIECES = st.sampled_from(["newsletter", "NEWSLETTERS", "subscribe", "unſubſcribe", "Sign up", "sign-me up", "signing in",
                                "log in", "LOGGING IN", "password", "ınbox", "İNBOX", "e-mail address", "email alerts",
                                "cookie", "Browser", "JavaScript", "privacy policy", "terms of use", "terms and conditions",
                                "ad blocker", "adblocker", "K", "you", " ", "-", "x", "é"])
TOPIC_TEXTS = st.lists(st.one_of(TOPIC_PIECES, TOPIC_PIECES, st.text(max_size=4)), max_size=20).map("".join)


@given(TOPIC_TEXTS)
@example("Sıgn up for our newsletter")
def test_site_topic_precheck_matches_the_expression(text):
    from minusma_corpus.pipeline import boilerplate

    assert boilerplate.mentions_site_topic(text) == bool(boilerplate._SITE_TOPIC.search(text))


# Header lines for the trail check: words that make headline-like lines, and lines that end in them.
HEADER_WORDS = st.sampled_from(["Home", "World", "Africa", "UN", "ends", "mission", "in", "Mali", "the", "peace", "", "a"])
HEADER_LINES = st.lists(st.lists(HEADER_WORDS, min_size=1, max_size=8).map(" ".join), max_size=12)


@given(HEADER_LINES)
@example(["Home World UN ends mission in Mali", "UN ends mission in Mali"])
@example(["Home  UN ends mission in Mali", " UN ends mission in Mali", "UN ends mission in Mali"])
def test_trail_check_by_hashed_suffixes_equals_the_pairwise_check(texts):
    from minusma_corpus.pipeline.clean import _ending_in_a_later_headline, _Line, is_headline_like

    header = [_Line(text, 0, 0, i) for i, text in enumerate(texts)]
    pairwise = {i for i, ln in enumerate(header)
                if any(len(later.text) < len(ln.text) and ln.text.endswith(" " + later.text) and is_headline_like(later.text)
                       for later in header[i + 1:])}
    assert {header.index(ln) for ln in _ending_in_a_later_headline(header)} == pairwise


@given(st.lists(st.sampled_from(["good", "bad", "neargood", "short"]), max_size=30))
@example(["short", "neargood", "short", "bad", "short", "good", "neargood", "neargood", "bad", "short"])
def test_linear_context_step_equals_jusTexts(cf_classes):
    """The context step without jusText's walk (quadratic in runs of short lines) gives jusText's classes."""
    from justext.core import PathInfo, revise_paragraph_classification
    from justext.paragraph import Paragraph

    from minusma_corpus.pipeline import boilerplate

    theirs = []
    for c in cf_classes:
        p = Paragraph(PathInfo().append("body").append("p"))
        p.append_text("x")
        p.cf_class, p.heading = c, False  # set by jusText's classify_paragraphs, as in boilerplate
        theirs.append(p)
    revise_paragraph_classification(theirs)
    assert boilerplate.revised_classes(cf_classes) == [p.class_type for p in theirs]
