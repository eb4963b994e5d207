"""Sentence splitting, paragraphs and tokens on news text, and against the hand-made gold."""

import pytest

from support.paths import GOLD_SENTENCES
from minusma_corpus import paragraph_spans, split_sentences, tokenize
from minusma_corpus.annotations.evaluate import BoundaryScore, GoldError, boundary_score, read_sentence_gold


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize("text, expected", [
    ("The U.N. Security Council voted. It was unanimous.", ["The U.N. Security Council voted.", "It was unanimous."]),
    ("Troops leave by Dec. 31. Then the base closes.", ["Troops leave by Dec. 31.", "Then the base closes."]),
    ("DAKAR (Reuters) – The U.N. mission ends. Troops leave.", ["DAKAR (Reuters) – The U.N. mission ends.", "Troops leave."]),
    ('"It is over," he said. "We leave now." Then silence.', ['"It is over," he said.', '"We leave now."', "Then silence."]),
    ("He said: “The mission failed.” Others disagreed.", ["He said: “The mission failed.”", "Others disagreed."]),
    ("It cost $1.2 billion a year. The vote was 15-0.", ["It cost $1.2 billion a year.", "The vote was 15-0."]),
    ("John F. Kennedy spoke. So did Mr. Diop and Dr. Tine.", ["John F. Kennedy spoke.", "So did Mr. Diop and Dr. Tine."]),
    ("They met at St. Louis Cathedral. Talks began.", ["They met at St. Louis Cathedral.", "Talks began."]),
    ("The talks stalled... Nobody knew why. And then… Silence.", ["The talks stalled...", "Nobody knew why.", "And then…", "Silence."]),
    ("Wait... not yet.", ["Wait... not yet."]),
    ('"Why now?" Diop asked. He left.', ['"Why now?" Diop asked.', "He left."]),
    ("Is it over? Yes! It is.", ["Is it over?", "Yes!", "It is."]),
    ("Sanctions hit the U.S. The talks failed.", ["Sanctions hit the U.S.", "The talks failed."]),
    ("The U.S. Army left.", ["The U.S. Army left."]),
    ("1. Rising anti-West sentiments", ["1. Rising anti-West sentiments"]),
    ("A heading\nA paragraph. Two sentences.", ["A heading", "A paragraph.", "Two sentences."]),
    ("  Leading space. Trailing space.  ", ["Leading space.", "Trailing space."]),
    ("", []),
])
def test_news_sentences(text, expected):
    assert sentences(text) == expected


def test_paragraph_spans():
    text = "Title\n\nFirst paragraph. Two.\n\nSecond"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["Title", "First paragraph. Two.", "Second"]


@pytest.mark.parametrize("text, expected", [
    ("It cost $1.2 billion.", ["It", "cost", "$", "1.2", "billion", "."]),
    ("Mali’s U.N. vote was 15-0 on Dec. 31.", ["Mali", "’s", "U.N.", "vote", "was", "15-0", "on", "Dec.", "31", "."]),
    ("Cote d’Ivoire and al Qaeda-linked groups", ["Cote", "d’Ivoire", "and", "al", "Qaeda-linked", "groups"]),
    ("“1,100 troops,” he said…", ["“", "1,100", "troops", ",", "”", "he", "said", "…"]),
])
def test_tokens(text, expected):
    assert [text[s:e] for s, e in tokenize(text)] == expected


def test_tokens_cover_all_non_space_characters(processed):
    for d in processed.values():
        text = d.clean.text
        covered = set()
        for t in d.tokens:
            assert text[t.start:t.end].strip() == text[t.start:t.end] != ""
            covered.update(range(t.start, t.end))
        assert covered == {i for i, c in enumerate(text) if not c.isspace()}


def test_sentences_nest_in_paragraphs(processed):
    for d in processed.values():
        blocks = d.clean.blocks
        for s in d.sentences:
            assert blocks[s.paragraph].start <= s.start < s.end <= blocks[s.paragraph].end


def test_against_gold(processed):
    """The gold was written by reading (see DATACARD.md); the splitter must reproduce it."""
    total = BoundaryScore(0, 0, 0)
    for doc_id, d in processed.items():
        gold = read_sentence_gold(GOLD_SENTENCES / f"{doc_id}.txt", d.clean.text)
        total += boundary_score(gold, [(s.start, s.end) for s in d.sentences])
    assert total.tp == 213
    assert total.f1 >= 0.99, total


def test_gold_reader_refuses_text_it_cannot_anchor(tmp_path):
    path = tmp_path / "gold.txt"
    path.write_text("First.\nThird.\n")
    with pytest.raises(GoldError, match="not found"):
        read_sentence_gold(path, "First. Second. Third.")
    path.write_text("First.\n")
    with pytest.raises(GoldError, match="after the last"):
        read_sentence_gold(path, "First. Second.")
