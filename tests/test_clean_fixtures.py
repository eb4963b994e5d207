"""The cleaner on short articles in other sites' styles (not the seeds): its rules are generic."""

import pytest

from minusma_corpus import CleaningError, clean
from minusma_corpus.pipeline.records import Credit

NEWSPAPER = """Skip to main content
Menu

Sudan talks stall as both sides dig in

By Jane Smith and Omar Ali

Published 12 March 2024

Peace talks between the two warring parties in Sudan stalled on Tuesday, mediators said, as fighting spread to the east of the country.

Soldiers patrol a market in Port Sudan. Photograph: John Doe/AP

“We are further apart than we were a month ago,” one mediator told reporters. The talks, hosted in Jeddah, had been seen as the best chance of a ceasefire.

What the mediators want

The mediators are seeking a 30-day truce and humanitarian corridors into Darfur and Kordofan.

Share on Facebook
Share on Twitter

Most popular
Heatwave grips southern Europe
Election results: live updates
The best films of the year
"""


def test_newspaper_layout():
    doc = clean(NEWSPAPER)
    m = doc.metadata
    assert m.title == "Sudan talks stall as both sides dig in"
    assert m.authors == ("Jane Smith", "Omar Ali")
    assert m.date == "2024-03-12"
    assert [c.credit for c in m.captions] == ["John Doe/AP"]
    assert [doc.text[b.start:b.end] for b in doc.blocks if b.type == "heading"] == ["What the mediators want"]
    assert sum(b.type == "paragraph" for b in doc.blocks) == 3
    for furniture in ("Skip to", "Menu", "Photograph", "Share on", "Most popular", "Heatwave", "By Jane"):
        assert furniture not in doc.text
    assert "“We are further apart" in doc.text  # curly quotes kept


BLOG = """5 min read
Posted on: 3 May 2022

Why peacekeeping budgets keep shrinking

Donor states have cut their contributions to UN peacekeeping for the third year running, and the missions that remain are being asked to do more with less.

Photo by Maria Lopez

The trend is most visible in the Sahel, where several missions have closed since 2020.

About the author
Kofi Mensah is a researcher at a policy institute in Accra. He writes on security in West Africa.

Leave a comment
Comments
Great article, thanks!
"""


def test_blog_layout():
    doc = clean(BLOG)
    m = doc.metadata
    assert m.title == "Why peacekeeping budgets keep shrinking"
    assert m.date == "2022-05-03"
    assert Credit("photo", "Maria Lopez") in m.credits
    assert m.author_bios == ("Kofi Mensah is a researcher at a policy institute in Accra. He writes on security in West Africa.",)
    assert doc.text.endswith("several missions have closed since 2020.")
    assert "Great article" not in doc.text and "min read" not in doc.text


AGENCY = """NAIROBI, Kenya (AP) — Kenya’s parliament on Thursday approved the deployment of 1,000 police officers to Haiti, despite a court challenge.

The vote followed a heated debate. Opposition lawmakers said the mission was unconstitutional.

Additional reporting by Ana Gomez; Editing by Tom Brown

Correction: An earlier version of this story misstated the number of officers.

Related Articles
Haiti gangs expand control
Kenya court rules on deployment
"""


def test_agency_layout():
    doc = clean(AGENCY)
    m = doc.metadata
    assert m.title is None
    assert m.outlet == "AP" and m.dateline == "NAIROBI, Kenya".split(",")[0]
    assert Credit("additional_reporting", "Ana Gomez") in m.credits and Credit("editing", "Tom Brown") in m.credits
    assert m.corrections == ("Correction: An earlier version of this story misstated the number of officers.",)
    assert [b.type for b in doc.blocks] == ["paragraph", "paragraph"]
    assert "Haiti gangs" not in doc.text


def test_mojibake_repaired_and_correct_text_kept():
    raw = ("Title of the piece\n\n"
           "The minister said the mission\u00a0â€œhas failedâ€\x9d and that Mali’s army â€” not the UN — would lead. "
           "The café owner, “Zoë”, agreed… ﬁnally.\n")
    doc = clean(raw)
    body = doc.text[doc.blocks[1].start:doc.blocks[1].end]
    assert "mission “has failed” and that Mali’s army — not the UN — would lead." in body
    assert "The café owner, “Zoë”, agreed… ﬁnally." in body  # accents, curly quotes, ligature untouched
    assert "\u00a0" not in doc.text  # non-breaking spaces become ordinary spaces


def test_raw_offsets_map_back():
    raw = "Headline here\n\nThe\u00a0\u00a0mission\u00a0â€œendedâ€\x9d in December, officials said today.\n"
    doc = clean(raw)
    i = doc.text.index("“")
    assert raw[doc.raw_offset(i):].startswith("â€œ")
    j = doc.text.index("December")
    assert raw[doc.raw_offset(j):doc.raw_offset(j) + 8] == "December"
    with pytest.raises(ValueError):
        doc.raw_offset(doc.blocks[0].end)  # the blank line between blocks maps to nothing


@pytest.mark.parametrize("raw, reason", [
    ("", "empty"),
    ("   \n\n \n", "empty"),
    ("Skip to content\nHome\nMenu\n\nLeave a Reply\n", "no recognisable article body"),
])
def test_bad_input(raw, reason):
    with pytest.raises(CleaningError, match=reason):
        clean(raw)
