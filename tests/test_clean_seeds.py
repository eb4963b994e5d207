"""The cleaner on the five seed articles: provenance, completeness, and no furniture in the text."""

import json

import pytest

from support.paths import MANIFEST, RAW
from minusma_corpus.pipeline.corpus import read_manifest
from minusma_corpus.pipeline.repair import repair_text

# What a careful reader of each raw file expects (written from the raw files, not from the output).
EXPECTED = {
    "unknown-undated-reassessing-minusma": {
        "headings": ["massacres and rapes", "Spanish mission in Mali"],
        "paragraphs": 10,
        "first": "The United Nations’ top international mission",
        "last": "The Sahel remains volatile, with Mali at its center.",
    },
    "dw-2023-07-04-foreseeable-disaster": {
        "headings": ["'A matter of national sovereignty'", "Between approval and skepticism",
                     "Security likely to deteriorate", "Will an orderly withdrawal succeed?"],
        "paragraphs": 16,
        "first": "Pressured by the Malian military junta",
        "last": "The assessment of MINUSMA and the consequences of its premature ending has only just started.",
        "captions": 11,
    },
    "nias-undated-minusma-has-failed": {
        "headings": ["A profile on MINUSMA", "MINUSMA’s termination: Three reasons why",
                     "1. Rising anti-West sentiments", "2. Mali’s accussations", "3. Role of Russian mercenaries",
                     "MINUSMA and Mali: Two Takeaways"],
        "paragraphs": 14,
        "first": "On 30 June, the UN Security Council unanimously voted",
        "last": "pushing out MINUSMA puts the Malians at a greater humanitarian risk.",
    },
    "contrapuntal-2023-07-01-un-ends-mission": {
        "headings": [],
        "paragraphs": 15,
        "first": "The United Nations Security Council (UNSC) has voted",
        "last": "spokesperson Olivier Salgado and human rights chief Guillaume Ngefa.",
        "captions": 1,
    },
    "reuters-undated-vote-to-end-mission": {
        "headings": [],
        "paragraphs": 6,
        "first": "DAKAR (Reuters) – The U.N. Security Council is set to vote",
        "last": "will now likely cease.",
    },
}

FURNITURE = [
    "Skip to", "No time to read", "Get a summary", "Previous Article", "Next Article", "Tamara Falc", "Donetsk",
    "Leave a Reply", "Your email address", "Required fields", "The Contrapuntal", "Click here", "Don't Miss",
    "mins read", "Image:", "Photo Source", "NIAS Course", "National Institute of Advanced Studies", "Bangalore",
    "GP alerts", "About the author", "Postgraduate Scholar", "Print Bookmark", "CWA #", "Africa This Week",
    "contributed to this article", "This article was corrected", "Edited by", "Reporting by", "Editing by",
    "By Edward McAllister", "Aerial view of downtown Bamako", "Ivorian soldiers of the UN", "July 4, 2023",
    "Nithyashree RB", "Thank you, Wagne",
]


def test_expected_structure(processed):
    assert set(processed) == set(EXPECTED)
    for doc_id, exp in EXPECTED.items():
        doc = processed[doc_id].clean
        texts = {t: [doc.text[b.start:b.end] for b in doc.blocks if b.type == t] for t in ("heading", "paragraph")}
        assert texts["heading"] == exp["headings"], doc_id
        assert len(texts["paragraph"]) == exp["paragraphs"], doc_id
        assert texts["paragraph"][0].startswith(exp["first"]), doc_id
        assert texts["paragraph"][-1].endswith(exp["last"]), doc_id
        assert len(doc.metadata.captions) == exp.get("captions", 0), doc_id


@pytest.mark.parametrize("needle", FURNITURE)
def test_no_furniture_in_text(processed, needle):
    for doc_id, d in processed.items():
        assert needle not in d.clean.text, (doc_id, needle)


def test_every_block_is_the_repaired_raw_slice(processed):
    for doc_id, d in processed.items():
        text, raw = d.clean.text, d.raw
        assert text == "\n\n".join(text[b.start:b.end] for b in d.clean.blocks), doc_id
        for b in d.clean.blocks:
            assert text[b.start:b.end] == repair_text(raw[b.raw_start:b.raw_end]), (doc_id, b)


def test_every_raw_line_is_accounted_for(processed):
    """Each non-blank raw line is a block or a furniture item with a kind: nothing silently dropped."""
    for doc_id, d in processed.items():
        covered = sorted([(b.raw_start, b.raw_end) for b in d.clean.blocks]
                         + [(f.raw_start, f.raw_end) for f in d.clean.furniture])
        pos = 0
        for start, end in covered:
            assert not d.raw[pos:start].strip(), (doc_id, d.raw[pos:start][:80])
            pos = end
        assert not d.raw[pos:].strip(), doc_id


def test_offset_map_covers_every_character(processed):
    for doc_id, d in processed.items():
        doc = d.clean
        for b in doc.blocks:
            for i in range(b.start, b.end):
                r = doc.raw_offset(i)
                assert b.raw_start <= r < b.raw_end, (doc_id, i)
                if doc.text[i].isalnum() and d.raw[r] == doc.text[i]:
                    continue
                # repaired or normalised characters map to the raw sequence they came from
                assert repair_text(d.raw[r:r + 3])[:1] in (doc.text[i], "") or d.raw[r].isspace(), (doc_id, i)


def test_mojibake_repaired_and_quotes_kept(processed):
    for doc_id, d in processed.items():
        assert "â€" not in d.clean.text and "Ã" not in d.clean.text, doc_id
        assert "\u00a0" not in d.clean.text, doc_id
    contrapuntal = processed["contrapuntal-2023-07-01-un-ends-mission"].clean.text
    assert "Reconciliation in Mali “to continue honoring the ceasefire as MINUSMA withdraws”, Haq added." in contrapuntal
    assert "Secretary-General António Guterres called" in contrapuntal
    dw = processed["dw-2023-07-04-foreseeable-disaster"].clean.text
    assert "equipment — ranging from helicopters to armored vehicles —" in dw
    assert '"exceedingly strained"' in dw  # straight quotes as published stay straight


def test_manifest_metadata_is_what_the_text_states(processed):
    """The curated manifest neither invents nor misses what the cleaner reads off the page."""
    for row in read_manifest(MANIFEST):
        meta = processed[row.doc_id].clean.metadata
        assert (row.title, row.authors, row.date, row.outlet) == (meta.title, meta.authors, meta.date, meta.outlet)
        assert row.url is None  # no seed states its URL


def test_metadata_of_seeds(processed):
    dw = processed["dw-2023-07-04-foreseeable-disaster"].clean.metadata
    assert {(c.role, c.name) for c in dw.credits} >= {
        ("contributor", "Mahamadou Kane"), ("contributor", "Brahima Tounkara"), ("contributor", "Frejus Quenum"),
        ("editing", "Cristina Krippahl"), ("photo", "Fatoma Coulibaly/REUTERS")}
    assert dw.corrections == ("This article was corrected on July 4, 2023, to specify Assimi Goita's current rank as Colonel.",)
    reuters = processed["reuters-undated-vote-to-end-mission"].clean.metadata
    assert reuters.dateline == "DAKAR" and reuters.outlet == "Reuters"
    assert {(c.role, c.name) for c in reuters.credits} == {("reporting", "Edward McAllister"), ("editing", "Alison Williams")}
    nias = processed["nias-undated-minusma-has-failed"].clean.metadata
    assert nias.author_bios == ("Nithyashree RB is a Postgraduate Scholar at Stella Maris College, Chennai.",)
    assert ("photo", "Adama Diarra, Reuters") in {(c.role, c.name) for c in nias.credits}


def test_raw_files_are_the_seeds_byte_for_byte():
    import hashlib

    seeds = RAW.parents[2] / "shared" / "seeds"
    for row in (json.loads(line) for line in MANIFEST.read_text().splitlines()):
        raw = (RAW / row["source_file"]).read_bytes()
        assert hashlib.sha256(raw).hexdigest() == row["sha256"]
        if seeds.is_dir():  # shared/ sits beside the checkout here and in CI
            assert raw == (seeds / row["source_file"]).read_bytes()
