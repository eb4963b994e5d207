"""The cleaner's title, breadcrumb and dateline rules on synthetic pages (written for these tests)."""

from typing import get_args

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minusma_corpus.pipeline.clean import clean, is_headline_like, is_navigation_trail
from minusma_corpus.pipeline.records import FurnitureKind

HEADLINE = "Peacekeepers leave their last camp in northern Mali"
PARAGRAPHS = [
    "The United Nations mission handed over its last camp in the north to the army on Thursday, officials said.",
    "Residents of the town said they feared the departure would leave them exposed to armed groups in the region.",
]
FOOTER = "© 2023 Sahel Wire. All rights reserved."


def page(breadcrumb: str | None, sep: str, lead: str = "", before_headline: tuple[str, ...] = ()) -> str:
    head = [*before_headline, *([breadcrumb] if breadcrumb else []), HEADLINE, "By Awa Traore", "July 20, 2023",
            "Share this article"]
    body = [lead + PARAGRAPHS[0], PARAGRAPHS[1], FOOTER]
    return sep.join(head) + "\n\n" + "\n\n".join(body) + "\n"


def furniture(doc) -> dict[str, str]:
    return {f.text: f.kind for f in doc.furniture}


def assert_every_line_accounted_for(raw: str, doc) -> None:
    """Provenance: every non-blank raw line is a block of the text or a furniture line, exactly once."""
    spans = sorted([(b.raw_start, b.raw_end) for b in doc.blocks] + [(f.raw_start, f.raw_end) for f in doc.furniture])
    offset, expected = 0, []
    for line in raw.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped)
            expected.append((start, start + len(stripped)))
        offset += len(line)
    assert spans == expected
    for b in doc.blocks:
        assert len(doc.text[b.start:b.end]) > 0


@pytest.mark.parametrize("trail", ["Home | World | Africa", "Home > World > Africa", "Home » World » Africa",
                                   "News › Africa"])
@pytest.mark.parametrize("sep", ["\n", "\n\n"], ids=["one-group", "blank-lines"])
def test_breadcrumb_is_navigation_and_headline_is_title(trail, sep):
    raw = page(trail, sep)
    doc = clean(raw)
    assert doc.metadata.title == HEADLINE
    assert furniture(doc)[trail] == "navigation"
    assert furniture(doc)["Share this article"] == "prompt"
    assert furniture(doc)[FOOTER] == "site_description"
    assert doc.metadata.captions == ()
    assert doc.metadata.authors == ("Awa Traore",)
    assert doc.metadata.date == "2023-07-20"
    assert doc.text == "\n\n".join([HEADLINE, *PARAGRAPHS])
    assert_every_line_accounted_for(raw, doc)


@pytest.mark.parametrize("sep", ["\n", "\n\n"], ids=["one-group", "blank-lines"])
def test_same_title_without_breadcrumb(sep):
    assert clean(page(None, sep)).metadata.title == HEADLINE


def test_trail_ending_in_the_headline_is_navigation():
    for trail in [f"Home » Africa » {HEADLINE}", f"Home World {HEADLINE}"]:
        doc = clean(page(trail, "\n\n"))
        assert doc.metadata.title == HEADLINE
        assert furniture(doc)[trail] == "navigation"


@pytest.mark.parametrize("label", ["Homepage", "Sign in", "Menu Content", "Sahel Wire", "Log in with your account",
                                   "Newsletters and alerts for readers", "Search for: [ ] [Search]",
                                   "Latest update July 20, 2023 12:49 AM", "Discover our latest editorial picks",
                                   "Bridging the gap", "corkLoad mobile navigation"])
def test_site_labels_are_not_the_title(label):
    raw = page(None, "\n\n", before_headline=(label,))
    doc = clean(raw)
    assert doc.metadata.title == HEADLINE
    assert label not in doc.text
    assert_every_line_accounted_for(raw, doc)


def test_short_headline_is_title_when_nothing_better():
    doc = clean("Sign in\n\nTroops leave Mali\n\nBy Ann Lee\n\n" + "\n\n".join(PARAGRAPHS) + "\n")
    assert doc.metadata.title == "Troops leave Mali"
    assert furniture(doc)["Sign in"] == "masthead"


def test_no_headline_like_line_gives_no_title():
    raw = "Homepage\n\nSign in\n\n" + "\n\n".join(PARAGRAPHS) + "\n"
    doc = clean(raw)
    assert doc.metadata.title is None
    assert {f.kind for f in doc.furniture} == {"masthead"}


@pytest.mark.parametrize(("lead", "place", "outlet"), [
    ("TIMBUKTU, Mali — ", "TIMBUKTU", None),
    ("TIMBUKTU, Mali – ", "TIMBUKTU", None),
    ("TIMBUKTU, Mali - ", "TIMBUKTU", None),
    ("BAMAKO, Mali (Reuters) – ", "BAMAKO", "Reuters"),
    ("NEW YORK, United States — ", "NEW YORK", None),
    ("", None, None),
    ("UN-backed forces said on Thursday that ", None, None),
    ("Officials in Gao, Mali — who spoke on condition of anonymity — said ", None, None),
])
def test_leading_dateline(lead, place, outlet):
    doc = clean(page("Home | World", "\n\n", lead=lead))
    assert doc.metadata.dateline == place
    assert doc.metadata.outlet == outlet
    first = next(b for b in doc.blocks if b.type == "paragraph")
    assert doc.text[first.start:first.end].startswith(lead)  # the dateline stays in the text


def test_headline_and_trail_predicates():
    assert is_navigation_trail("Home | World | Africa")
    assert is_navigation_trail("News » Africa » A long headline about the mission in Mali")
    assert not is_navigation_trail("Mali's junta ends the UN mission after ten years | Sahel Wire")
    assert not is_navigation_trail("A headline without any separator at all")
    assert is_headline_like(HEADLINE)
    assert is_headline_like("Mali Junta Expels UN Envoy")  # capitalised, but five words
    assert not is_headline_like("A Nature Research Journal")  # four capitalised words: a name
    assert not is_headline_like("Menu Content")
    assert not is_headline_like("Home | World | Africa")


_HEADER_LINES = st.sampled_from([
    "Home | World | Africa", "Homepage", "Sign in", "Menu Content", "Sahel Wire", "• Politics", "• Africa",
    "Search for: [ ] [Search]", "Share this article", "July 20, 2023", "By Awa Traore", HEADLINE,
    "Home » Africa » " + HEADLINE, "Security deteriorates in the centre of the country",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_HEADER_LINES, st.sampled_from(["\n", "\n\n"])), max_size=8))
def test_any_header_keeps_provenance_and_a_headline_like_title(header):
    raw = "".join(line + sep for line, sep in header) + "\n" + "\n\n".join(PARAGRAPHS) + "\n"
    doc = clean(raw)
    assert_every_line_accounted_for(raw, doc)
    assert doc.metadata.title is None or is_headline_like(doc.metadata.title)
    assert doc.text.endswith(PARAGRAPHS[1])
    assert {f.kind for f in doc.furniture} <= set(get_args(FurnitureKind))


def test_manifest_warns_when_no_headline_is_found(tmp_path):
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    cli = [sys.executable, "-m", "minusma_corpus.cli", "manifest"]
    untitled, titled = tmp_path / "untitled.txt", tmp_path / "titled.txt"
    untitled.write_text("Homepage\n\nSign in\n\n" + "\n\n".join(PARAGRAPHS) + "\n")
    titled.write_text(page("Home | World | Africa", "\n"))
    out = subprocess.run([*cli, str(untitled)], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and json.loads(out.stdout)["title"] is None
    assert out.stderr.count("\n") == 1 and "untitled.txt: no headline found" in out.stderr
    out = subprocess.run([*cli, str(titled)], capture_output=True, text=True, env=env)
    assert out.returncode == 0 and json.loads(out.stdout)["title"] == HEADLINE and out.stderr == ""
