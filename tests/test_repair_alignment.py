"""The raw <-> cleaned character alignment (``offset_map``) holds for any input, at linear cost.

The invariant is stated in ``minusma_corpus.pipeline.repair``'s docstring and checked by ``alignment_check``.
Example counts come from the hypothesis profile (tests/conftest.py): "ci" (default) or "nightly".
"""

from __future__ import annotations

import inspect

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from support.alignment_check import check_offset_map, repaired_from
from minusma_corpus import clean
from minusma_corpus.pipeline.clean import CleaningError
from minusma_corpus.pipeline import repair
from minusma_corpus.pipeline.repair import align, repair_text

# Pieces of text: ASCII words, accented and astral characters, every kind of space and line break,
# zero-width and control characters, HTML entities, and mojibake of random non-ASCII text.
WORDS = st.sampled_from(["The", "mission", "de", "paix", "Mali", "a", "dit", "que", "UN", "MINUSMA", "2023",
                         "peace,", "vote.", "(Reuters)", "Ã", "Â", "&", "&amp;", "&eacute;", "&#39;", ";"])
NON_ASCII = st.text(alphabet=st.characters(min_codepoint=0xA1, max_codepoint=0x10FFFF,
                                           exclude_categories=("Cs", "Zl", "Zp", "Cc")), min_size=1, max_size=6)
SPACES = st.sampled_from([" ", "  ", "\xa0", "\xa0\xa0", "\t", "\u2002", "\u2009", "\u200a", "\u202f",
                          "\u3000", " \xa0 ", "\u1680", "\u205f"])
BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\u2028", "\x85"])
ODD = st.sampled_from(["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\x00", "\x1b[31m", "\x7f", "\x9d",
                       "😀", "𝔘", "\U0001f1f2\U0001f1f1", "“", "”", "’", "—", "é", "e\u0301", "ﬁ"])


@st.composite
def mojibake(draw) -> str:
    text = draw(NON_ASCII)
    codec = draw(st.sampled_from(["cp1252", "latin-1"]))
    return text.encode("utf-8").decode(codec, errors="replace" if codec == "cp1252" else "strict")


PIECE = st.one_of(WORDS, WORDS, WORDS, SPACES, SPACES, BREAKS, ODD, NON_ASCII, mojibake(), mojibake())


@st.composite
def articles(draw, max_pieces: int = 60) -> str:
    """A prose line (so that clean() finds a body) among random lines, optionally one very long line."""
    body = "Le ministre a dit que la mission de paix quittera le Mali bientôt, selon l'ONU."
    pieces = draw(st.lists(PIECE, max_size=max_pieces))
    cut = draw(st.integers(0, len(pieces)))
    before, after = "".join(pieces[:cut]), "".join(pieces[cut:])
    if draw(st.booleans()):  # the random text inside the prose line rather than around it
        return f"Title\n\n{body[:20]}{before}{body[20:]} {after}\n"
    return f"{before}\n{body}\n{after}"


@st.composite
def long_lines(draw) -> str:
    """One very long line: random pieces repeated to some kilobytes, with a sentence end."""
    pieces = draw(st.lists(st.one_of(WORDS, SPACES, ODD, mojibake()), min_size=1, max_size=30))
    unit = " ".join(pieces)
    reps = draw(st.integers(1, 1_000 // max(1, len(unit)) + 1))  # cost at 1 MB: scripts/bench_clean_lines.py
    return "Le ministre a dit que " + (unit * reps).replace("\n", " ") + " la mission quittera le Mali."


def _check(raw: str) -> None:
    try:
        doc = clean(raw)
    except CleaningError:
        return
    check_offset_map(raw, doc)


@settings(suppress_health_check=[HealthCheck.too_slow])
@example("\xa0 \xa0 \xa0 The The Ã© The The  Ã.\n" + "Le ministre a dit que la mission quittera le Mali bientôt.\n")
@example("Le ministre a dit\xa0Ã©\xa0\xa0  que la mission de paix quittera le Mali bientôt.\n")
@example("Le ministre a dit voilÃ la caf&eacute; &amp;&amp;amp; x \x00 abc \ufeffc Ã©é Ð¼Ð¸Ñ€ x Â y â€œokâ€\x9d.")
@given(articles())
def test_offset_map_invariant_on_random_articles(raw):
    _check(raw)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(long_lines())
def test_offset_map_invariant_on_long_lines(raw):
    _check(raw)


@given(st.lists(st.one_of(WORDS, SPACES, ODD, NON_ASCII, mojibake()), max_size=20)
       .map(lambda pieces: " ".join("".join(pieces).splitlines()).strip()))
def test_align_invariant_on_single_lines(line):
    """align() directly, on any single line (no cleaner rules in between)."""
    repaired = repair_text(line)
    segments = align(line, 100, repaired, 7)
    if not repaired:
        assert segments == []
        return
    pos, raw_pos = 7, 100
    for seg in segments:
        assert seg.start == pos and seg.end > seg.start and seg.raw_end > seg.raw_start >= raw_pos
        assert repair_text(line[raw_pos - 100:seg.raw_start - 100]) == ""  # only dropped characters
        cleaned, source = repaired[seg.start - 7:seg.end - 7], line[seg.raw_start - 100:seg.raw_end - 100]
        assert cleaned == source or repaired_from(source, cleaned)
        pos, raw_pos = seg.end, seg.raw_end
    assert pos == 7 + len(repaired) and repair_text(line[raw_pos - 100:]) == ""


def test_known_counterexamples_map_every_character():
    raw = "Le ministre a dit\xa0Ã©\xa0\xa0  que la mission de paix quittera le Mali bientôt.\n"
    doc = clean(raw)
    i = doc.text.index("é")
    seg = next(s for s in doc.offset_map if s.start <= i < s.end)
    assert (doc.text[seg.start:seg.end], raw[seg.raw_start:seg.raw_end]) == ("é", "Ã©")
    space = next(s for s in doc.offset_map if s.start == i + 1)
    assert raw[space.raw_start:space.raw_end] == "\xa0\xa0  "  # the space maps to the run it replaced
    raw = "\xa0 \xa0 \xa0 The The Ã© The The  Ã.\nLe ministre a dit que la mission quittera le Mali bientôt.\n"
    doc = clean(raw)
    assert all(s.raw_end > s.raw_start for s in doc.offset_map)
    assert doc.raw_offset(doc.text.index("é")) == raw.index("Ã©")


def test_quotes_map_to_their_mojibake():
    raw = "Guterres said \xa0â€œthe mission endsâ€\x9d on Friday, according to the United Nations.\n"
    doc = clean(raw)
    pairs = [(doc.text[s.start:s.end], raw[s.raw_start:s.raw_end]) for s in doc.offset_map]
    assert ("“", "â€œ") in pairs and ("”", "â€\x9d") in pairs and (" ", " \xa0") in pairs


def _alignment_work(line: str, monkeypatch) -> int:
    """Work done aligning one line, counted deterministically (no clock): one unit per call of a helper of
    the alignment module, plus one per character handed to ftfy for verification."""
    work = 0
    for name, fn in list(vars(repair).items()):
        if inspect.isfunction(fn) and fn.__module__ == repair.__name__ and name != "align":
            def counted(*args, _fn=fn, _name=name, **kwargs):
                nonlocal work
                work += 1 + (len(args[0]) if _name == "repair_text" and args else 0)
                return _fn(*args, **kwargs)
            monkeypatch.setattr(repair, name, counted)
    repaired = repair_text(line)
    work = 0
    segments = repair.align(line, 0, repaired, 0)
    monkeypatch.undo()
    assert segments[-1].end == len(repaired)
    return work


def test_alignment_cost_is_linear(monkeypatch):
    """Ten times the line, about ten times the work (difflib, used before, took 36 s for 40 KB).

    Speed itself is measured by ``scripts/bench_clean_lines.py``, not here: a clock in a test fails on a
    busy machine."""
    unit = "Le ministre a dit\xa0Ã©\xa0que la mission de paix â€œquitteraâ€\x9d le Mali. "
    work = {size: _alignment_work((unit * (size // len(unit) + 1))[:size], monkeypatch) for size in (2_000, 20_000)}
    assert work[2_000] > 100  # the counter sees the alignment's work
    assert work[20_000] < 12 * work[2_000], work
