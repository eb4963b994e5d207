"""Sentence splitting, paragraphs and tokens on news text, and against the hand-made gold."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

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


@pytest.mark.parametrize("text, expected", [
    # numbered and lettered list items inside a line
    ("1.) Close the base 2.) Hand over the camp", ["1.) Close the base", "2.) Hand over the camp"]),
    ("1) Close the base. 2) Hand over the camp.", ["1) Close the base.", "2) Hand over the camp."]),
    ("(1) Close the base (2) Hand over the camp", ["(1) Close the base", "(2) Hand over the camp"]),
    # a list run in after a colon stays in its sentence
    ("Steps: (1) close the base (2) hand over the camp.", ["Steps: (1) close the base (2) hand over the camp."]),
    ("a. Troops leave b. Police stay c. Donors pay", ["a. Troops leave", "b. Police stay", "c. Donors pay"]),
    ("i. Troops leave. ii. Police stay.", ["i. Troops leave.", "ii. Police stay."]),
    ("He demanded two things: a) a ceasefire. b) Talks in Algiers.", ["He demanded two things: a) a ceasefire. b) Talks in Algiers."]),
    # not a list: numbers after words, and a lone item
    ("Mali scored 1. Then Niger scored 2. Then it rained.", ["Mali scored 1.", "Then Niger scored 2.", "Then it rained."]),
    ("Plan a. No, plan b.", ["Plan a.", "No, plan b."]),
    # abbreviations before numbers, and the same words elsewhere
    ("The figures are on p. 12 of the report. It is long.", ["The figures are on p. 12 of the report.", "It is long."]),
    ("See pp. 4-7 and Fig. 2 for the map.", ["See pp. 4-7 and Fig. 2 for the map."]),
    ("Resolution No. 2690 ended it. Few objected.", ["Resolution No. 2690 ended it.", "Few objected."]),
    ("Asked if they would stay, he said no. The troops left.", ["Asked if they would stay, he said no.", "The troops left."]),
    # times before a capital
    ("The convoy left Gao at 7 P.M. Mr. Traore then called the base.",
     ["The convoy left Gao at 7 P.M.", "Mr. Traore then called the base."]),
    ("At 9 a.m. Dr. Sow opened the clinic.", ["At 9 a.m. Dr. Sow opened the clinic."]),
    ("The vote is at 3 p.m. Tuesday in New York.", ["The vote is at 3 p.m. Tuesday in New York."]),
    ("The curfew starts at 10 p.m. The streets empty.", ["The curfew starts at 10 p.m.", "The streets empty."]),
    # a sentence ending in a single capital
    ("The decision was made by my brother and I. Nobody asked us.", ["The decision was made by my brother and I.", "Nobody asked us."]),
    ("Veterans of World War I. They marched.", ["Veterans of World War I.", "They marched."]),
    ("Vitamin A. Diop wrote about it.", ["Vitamin A. Diop wrote about it."]),  # an initial, as far as a splitter can tell
    # ellipsis conventions
    ("The mission . . . was never funded.", ["The mission . . . was never funded."]),
    ("The mission was . . . I cannot say more.", ["The mission was . . . I cannot say more."]),
    ("They stayed for years . . . . Then they left.", ["They stayed for years . . . .", "Then they left."]),
    ("They stayed for years. . . . Then they left.", ["They stayed for years. . . .", "Then they left."]),
    ("Nobody expected it.... The mission ended.", ["Nobody expected it....", "The mission ended."]),
    ("The camp closed. ... The next week the town fell.", ["The camp closed.", "... The next week the town fell."]),
    ("It ended . . .", ["It ended . . ."]),
])
def test_lists_abbreviations_times_initials_ellipses(text, expected):
    assert sentences(text) == expected


_ALPHABET = "abI Mr.No5p1)(:…\"”ivx "


@given(st.text(alphabet=_ALPHABET + "\n", max_size=80))
def test_sentence_spans_are_ordered_trimmed_and_within_lines(text):
    spans = split_sentences(text)
    previous_end = 0
    for s, e in spans:
        assert previous_end <= s < e <= len(text)
        piece = text[s:e]
        assert piece == piece.strip() and "\n" not in piece
        previous_end = e
    # every non-space character is in a sentence
    covered = {i for s, e in spans for i in range(s, e)}
    assert covered >= {i for i, c in enumerate(text) if not c.isspace()}


def test_paragraph_spans():
    text = "Title\n\nFirst paragraph. Two.\n\nSecond"
    assert [text[s:e] for s, e in paragraph_spans(text)] == ["Title", "First paragraph. Two.", "Second"]


@pytest.mark.parametrize("text, expected", [
    ("It cost $1.2 billion.", ["It", "cost", "$", "1.2", "billion", "."]),
    ("Mali’s U.N. vote was 15-0 on Dec. 31.", ["Mali", "’s", "U.N.", "vote", "was", "15-0", "on", "Dec.", "31", "."]),
    ("Cote d’Ivoire and al Qaeda-linked groups", ["Cote", "d’Ivoire", "and", "al", "Qaeda", "-", "linked", "groups"]),
    ("Tuareg-led Malian-French anti-West 21-year-old COVID-19", ["Tuareg", "-", "led", "Malian", "-", "French", "anti",
                                                                   "-", "West", "21", "-", "year", "-", "old", "COVID-19"]),
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
