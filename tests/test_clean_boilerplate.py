"""The cleaner's generic boilerplate rules on whole web-page dumps (synthetic pages written here).

Each page mimics a plain-text dump of a news page (menus, share bars, notices, related-story blocks
inside the body, footers); the tests check what survives, what goes, and under which kind.
"""

from hypothesis import given, settings
from hypothesis import strategies as st

from minusma_corpus import CleaningError, clean
from minusma_corpus.pipeline import boilerplate
from minusma_corpus.pipeline.repair import repair_text

P1 = ("Aid agencies warned on Monday that the number of people who need food assistance in the north of "
      "the country has doubled since the start of the year.")
P2 = ("The warning came as the rainy season began, cutting off roads to several towns that depend on "
      "convoys for their supplies.")
P3 = ("Officials in the regional capital said they had asked the government for more trucks, but that "
      "none had arrived by the end of the week.")
P4 = ("A spokesperson for the ministry said that a new plan would be presented to donors at a meeting "
      "in the capital later this month.")
P5 = ("Until then, the agencies said, they would have to reduce the rations they give to families who "
      "have fled the fighting in the countryside.")


def kinds_of(doc, needle):
    return [f.kind for f in doc.furniture if needle in f.text]


def accounted_for(doc, raw):
    """Every non-blank raw line is a block or a furniture item (nothing silently dropped)."""
    covered = sorted([(b.raw_start, b.raw_end) for b in doc.blocks] + [(f.raw_start, f.raw_end) for f in doc.furniture])
    pos = 0
    for start, end in covered:
        if raw[pos:start].strip():
            return False
        pos = end
    return not raw[pos:].strip()


RELATED_INSIDE = f"""Food aid needs double in the north

{P1}
{P2}
Related
• Floods cut the road to the border
• Donors meet in Geneva next week
{P3}
{P4}
Read more
Fuel prices rise for a third month
{P5}
Most popular
• Heatwave grips the south
• Election results in full
• Ten things to do this weekend
"""


def test_related_block_inside_the_body_does_not_end_the_article():
    doc = clean(RELATED_INSIDE)
    for p in (P1, P2, P3, P4, P5):
        assert p in doc.text
    for link in ("Related", "Floods cut the road", "Donors meet", "Read more", "Fuel prices rise",
                 "Most popular", "Heatwave", "Ten things"):
        assert link not in doc.text, link
    assert kinds_of(doc, "Floods cut the road") == ["link_list"]
    assert kinds_of(doc, "Fuel prices rise") == ["link_list"]
    assert kinds_of(doc, "Most popular") == ["end_marker"]
    assert accounted_for(doc, RELATED_INSIDE)


SHARE_BAR_BEFORE_BODY = f"""Menu
Our reporters choose the stories they cover independently of our advertisers and sponsors.
1. Home
2. World
3. Africa
Food aid needs double in the north
By Jane Doe
Facebook
Twitter
Email
Copy Link
Comments
{P1}
{P2}
{P3}
About Jane Doe
Jane Doe is a correspondent who has covered West Africa for ten years from her base in Dakar.
Read the latest from Jane Doe
"""


def test_comment_count_in_a_share_bar_before_the_body_does_not_end_the_article():
    doc = clean(SHARE_BAR_BEFORE_BODY)
    for p in (P1, P2, P3):
        assert p in doc.text
    assert "Copy Link" not in doc.text and "Comments" not in doc.text
    # The author box after the body is a bio, not body text.
    assert "correspondent who has covered" not in doc.text
    assert doc.metadata.author_bios == (
        "Jane Doe is a correspondent who has covered West Africa for ten years from her base in Dakar.",)
    assert doc.metadata.authors == ("Jane Doe",)
    assert accounted_for(doc, SHARE_BAR_BEFORE_BODY)


NOTICES = f"""We use cookies to improve your experience on our website. By continuing you accept our cookie policy.
Food aid needs double in the north

{P1}

{P2}

Sign up for our newsletter
Never miss a story: get the morning briefing in your inbox every day.
Subscribers can manage their email preferences at any time.

{P3}

To read the full story, please subscribe. If you are already a subscriber, log in here.
[ ] Yes, send me offers from partners by email.

{P4}

Tags: food aid, north, rainy season

Nature 12, 34-35 (2024)
Latest on:
© 2024 Example Media Group. All rights reserved.
"""


def test_notices_copyright_and_tags_are_removed():
    doc = clean(NOTICES)
    for p in (P1, P2, P3, P4):
        assert p in doc.text
    for needle in ("cookies", "newsletter", "inbox", "email preferences", "please subscribe", "offers from partners",
                   "Tags:", "Nature 12", "Latest on", "All rights reserved"):
        assert needle not in doc.text, needle
    assert kinds_of(doc, "We use cookies") == ["prompt"]
    assert kinds_of(doc, "Never miss a story") == ["prompt"]
    # Not addressed to the reader, but on the same subject and next to a notice: part of it.
    assert kinds_of(doc, "Subscribers can manage") == ["prompt"]
    assert kinds_of(doc, "All rights reserved") == ["site_description"]
    assert kinds_of(doc, "Tags:") == ["link_list"]
    assert accounted_for(doc, NOTICES)


GLUED_NAVIGATION = f"""Food aid needs double in the north

{P1}
{P2}
{P3}
Facebook
Twitter
Previous articleFloods cut the road to the border
Next articleDonors meet in Geneva next week
ABOUT US
Example Press is an independent news source covering the Sahel and West Africa since 2010.
"""


def test_previous_next_article_glued_to_its_headline_ends_the_article():
    doc = clean(GLUED_NAVIGATION)
    assert doc.text.endswith(P3)
    assert "independent news source" not in doc.text
    assert kinds_of(doc, "Previous article") == ["end_marker"]
    assert kinds_of(doc, "independent news source") == ["site_description"]
    assert doc.metadata.outlet == "Example Press"


SHARE_BAR_INSIDE = f"""Food aid needs double in the north

Aid agencies say the number of people in need has doubled since January.
By Jane Doe
Facebook
Twitter
12 Comments
{P1}
{P2}
{P3}
12 Comments
Great article, thanks for reporting this.
"""


def test_comment_count_after_the_standfirst_does_not_end_the_article():
    doc = clean(SHARE_BAR_INSIDE)
    for p in (P1, P2, P3):
        assert p in doc.text
    assert "Great article" not in doc.text
    assert kinds_of(doc, "12 Comments") == ["link_list", "end_marker"]


LIVE_BLOG = f"""Live: food aid needs double in the north

10:42 Jane Doe
Roads cut
{P1}
{P2}
10:15 Jane Doe
More on the donors' meeting
{P3}
09:58 Jane Doe
{P4}
{P5}
More on this story
• Floods cut the road to the border
• Donors meet in Geneva next week
"""


def test_live_blog_entries_survive_in_body_markers():
    doc = clean(LIVE_BLOG)
    for p in (P1, P2, P3, P4, P5):
        assert p in doc.text
    assert "Floods cut the road" not in doc.text and "More on this story" not in doc.text


def test_a_real_heading_before_the_last_paragraph_is_kept():
    raw = f"Food aid needs double\n\n{P1}\n\n{P2}\n\nWhat happens next\n\n{P3}\n\nShare this\n"
    doc = clean(raw)
    assert [doc.text[b.start:b.end] for b in doc.blocks if b.type == "heading"] == ["What happens next"]
    assert doc.text.endswith(P3)


def test_a_numbered_section_heading_is_not_a_bullet():
    raw = (f"Food aid needs double\n\n{P1}\n\n{P2}\n\n1. The roads\n\n{P3}\n\n• Floods cut the road to the border\n\n"
           f"{P4}\n")
    doc = clean(raw)
    assert [doc.text[b.start:b.end] for b in doc.blocks if b.type == "heading"] == ["1. The roads"]
    assert kinds_of(doc, "Floods cut the road") == ["link_list"]


# ---------------------------------------------------------------------------------------------
# The evidence functions
# ---------------------------------------------------------------------------------------------


def test_body_extent_is_the_maximum_sum_segment():
    assert boilerplate.body_extent([-3, -1, 20, -2, 15, -40, 5]) == (2, 4)
    assert boilerplate.body_extent([-1, -2]) is None
    assert boilerplate.body_extent([]) is None


@given(st.lists(st.integers(-50, 50), max_size=40))
def test_body_extent_is_optimal(scores):
    span = boilerplate.body_extent(scores)
    best = max([sum(scores[i:j + 1]) for i in range(len(scores)) for j in range(i, len(scores))], default=0)
    if span is None:
        assert best <= 0
    else:
        assert sum(scores[span[0]:span[1] + 1]) == best > 0


def test_density_classes_use_jusText_stop_word_density():
    long1, long2 = P1 + " " + P2, P3 + " " + P4  # over 200 characters: jusText's "good" length
    texts = ["Home", "Top Stories Sport Weather Markets Video", long1, "Read the report", long2]
    context_free, in_context = boilerplate.density_classes(texts)
    assert context_free == ["short", "short", "good", "short", "good"]
    assert in_context == ["bad", "bad", "good", "good", "good"]  # a short line between good ones is good
    names = "Mali, Niger, Burkina Faso, Chad, Sudan, Mauritania, Senegal, Guinea, Benin, Togo, Ghana and Nigeria"
    assert boilerplate.density_classes([names])[0] == ["bad"]  # long, but few stop words


def test_notice_wording():
    assert boilerplate.is_notice("You are using a browser version with limited support for CSS.")
    assert boilerplate.is_notice("Get our daily edition by email and never miss our top stories. Free sign up")
    assert boilerplate.is_notice("[ ] I agree to the terms of use")
    # A story about subscriptions, not addressed to the reader, is not a notice.
    assert not boilerplate.is_notice("The streaming service said subscriber numbers fell by two million.")
    assert not boilerplate.is_notice(P1)
    # Reported speech and the story's own "we" are not the site speaking.
    assert not boilerplate.is_notice("“You must sign up for the programme by Friday,” the minister said.")
    assert not boilerplate.is_notice("We are ready to sign up to the ceasefire if our demands are met.")
    assert boilerplate.is_copyright("© 2020 Example Interactive Inc. All Rights Reserved.")
    assert not boilerplate.is_copyright(P2)
    assert boilerplate.is_tag_line("Tagged:") and boilerplate.is_tag_line("• Tags: Mali, UN")
    assert not boilerplate.is_tag_line("Topics of the talks included the withdrawal of the mission.")


# ---------------------------------------------------------------------------------------------
# Invariants on arbitrary pages
# ---------------------------------------------------------------------------------------------

_POOL = [P1, P2, P3, P4, P5, "Related", "Most read", "Comments", "About Jane Doe", "Tags: a, b", "• A headline here",
         "Home", "Sign up for our newsletter", "© 2024 Example", "Image: J. Doe/AP", "By Jane Doe", "July 4, 2023",
         "Previous articleA headline", "", "  ", "Short heading", "Read more", "[ ]", "10:42 Jane Doe"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_POOL), max_size=30), st.sampled_from(["\n", "\r\n", "\n\n"]))
def test_every_line_accounted_for_on_any_page(chosen, newline):
    raw = newline.join(chosen)
    try:
        doc = clean(raw)
    except CleaningError:
        assert not any(p in chosen for p in (P1, P2, P3, P4, P5))
        return
    assert accounted_for(doc, raw)
    assert doc.text == "\n\n".join(doc.text[b.start:b.end] for b in doc.blocks)
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == repair_text(raw[b.raw_start:b.raw_end])
        for i in range(b.start, b.end):
            assert b.raw_start <= doc.raw_offset(i) < b.raw_end
