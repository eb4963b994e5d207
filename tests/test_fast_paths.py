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


@given(LINES)
def test_ftfy_keeps_what_the_fast_path_says_it_keeps(raw):
    text = repair._SPACES.sub(" ", raw)
    if repair._ftfy_keeps(text):
        assert ftfy.fix_text(text, repair._FTFY_CONFIG) == text
