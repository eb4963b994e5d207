"""Guidelines revision 2: every ambiguity the adjudicators of blind pass B listed is mapped to a rule
(Appendix A), the rules it cites exist, the counts it states are the table's, and the gold claims that
the new sections and the appendices quote are the gold's."""

import re

import pytest

from support.paths import ANNOTATIONS, CHANGELOG, ROOT
from minusma_corpus.annotations.fileformat import read_annotation_file

GUIDELINES = (ROOT / "schema" / "GUIDELINES.md").read_text(encoding="utf-8")
DECISIONS = ANNOTATIONS / "passes" / "independent" / "decisions"
KEYS = {"contrapuntal": "C", "dw": "D", "nias": "N", "reuters": "R", "unknown": "U"}
OUTLETS = {"The Contrapuntal": "contrapuntal", "DW": "dw", "NIAS": "nias", "Reuters": "reuters",
           "unknown": "unknown"}
# The proposals files: DW's numbered proposal (its "## 1." heading) and NIAS's optional category.
PROPOSALS = {"DP1", "NP1"}


def section(title: str, text: str = GUIDELINES) -> str:
    start = text.index(title)
    following = re.search(r"^## ", text[start + len(title):], re.M)
    return text[start:start + len(title) + following.start()] if following else text[start:]


def appendix_a_rows() -> dict[str, list[str]]:
    rows = {}
    for line in section("## Appendix A").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and re.fullmatch(r"[A-Z]{1,2}\d+", cells[0]):
            assert cells[0] not in rows, f"Appendix A lists {cells[0]} twice"
            rows[cells[0]] = cells
    return rows


def listed_ambiguities() -> set[str]:
    items = set()
    for path in sorted(DECISIONS.glob("*.decisions.md")):
        key = KEYS[path.name.split("-")[0]]
        text = path.read_text(encoding="utf-8")
        listing = text[text.index("## Guideline ambiguities met"):]
        listing = listing.split("\n## ", 1)[0]
        numbers = re.findall(r"^(\d+)\. ", listing, re.M)
        assert numbers == [str(i) for i in range(1, len(numbers) + 1)], path.name
        items |= {f"{key}{n}" for n in numbers}
    return items


def gold_claims() -> dict[str, dict[str, str]]:
    claims = {}
    for path in sorted((ANNOTATIONS / "gold").glob("*.json")):
        doc = path.name.split("-")[0]
        claims[doc] = {c["id"]: c["exact"] for c in read_annotation_file(path)["claims"]}
    return claims


def test_every_listed_ambiguity_and_proposal_is_in_appendix_a():
    rows = appendix_a_rows()
    expected = listed_ambiguities() | PROPOSALS
    assert len(expected) == 44
    assert set(rows) == expected, (sorted(expected - set(rows)), sorted(set(rows) - expected))


def test_appendix_a_cites_rules_that_exist_and_states_its_own_counts():
    rows = appendix_a_rows()
    defined = set(re.findall(r"\*\*\[([A-Z]\d+)\]", GUIDELINES))
    cited = {label for cells in rows.values() for label in re.findall(r"\[([A-Z]\d+)\]", cells[3])}
    assert cited and cited <= defined, sorted(cited - defined)
    not_adopted = [k for k, cells in rows.items() if cells[2].startswith("not adopted")]
    for k in not_adopted:
        assert "Appendix B" in rows[k][3], k
    summary = re.search(r"(\d+) items: (\d+) adopted .*?, (\d+) not adopted", section("## Appendix A"), re.S)
    assert summary, "Appendix A states no counts"
    assert [int(g) for g in summary.groups()] == [len(rows), len(rows) - len(not_adopted), len(not_adopted)]


def test_appendix_b_items_are_the_not_adopted_ones():
    rows = appendix_a_rows()
    not_adopted = {k for k, cells in rows.items() if cells[2].startswith("not adopted")}
    appendix_b = section("## Appendix B")
    for k in not_adopted:
        assert re.search(rf"\b{k}\b", appendix_b), f"{k} is not adopted but Appendix B does not name it"


def test_claims_cited_in_appendices_b_and_c_exist_with_the_quoted_text():
    claims = gold_claims()
    text = section("## Appendix B") + section("## Appendix C")
    cited = 0
    outlet = "|".join(re.escape(o) for o in OUTLETS)
    for match in re.finditer(rf"({outlet}) ((?:c\d{{3}}(?: \"[^\"]+\")?(?:, | and | vs )?)+)", text):
        doc = OUTLETS[match.group(1)]
        for cid, quote in re.findall(r"(c\d{3})(?: \"([^\"]+)\")?", match.group(2)):
            assert cid in claims[doc], f"{doc} {cid} is not a gold claim"
            for piece in filter(None, (p.strip(" ,.") for p in quote.split("…"))):
                assert piece in claims[doc][cid], f"{doc} {cid}: {piece!r} not in {claims[doc][cid]!r}"
            cited += 1
    assert cited >= 20


@pytest.mark.parametrize("title", ["### 2.2 ", "### 2.3 ", "### 2.4 "])
def test_quoted_examples_of_revision_2_are_gold_claim_spans(title):
    """Every bold quotation of the new sections ("**…**") is a gold claim's span or a part of one
    (pieces between ellipses, in order), so the examples describe the gold."""
    spans = [" ".join(e.split()) for doc in gold_claims().values() for e in doc.values()]
    start = GUIDELINES.index(title)
    body = GUIDELINES[start:GUIDELINES.index("\n#", start + 1)]
    quotes = [" ".join(q.split()) for q in re.findall(r"\"\*\*(.+?)\*\*\"", body, re.S)]
    assert quotes
    for quote in quotes:
        pieces = [p.strip(" ,.") for p in quote.split("…") if p.strip(" ,.")]
        pattern = ".*".join(re.escape(p) for p in pieces)
        assert any(re.search(pattern, span) for span in spans), f"{title.strip()}: {quote!r} is no gold span"


def test_appendix_c_records_an_outcome_with_a_reason_for_every_item():
    """Appendix C is the record of the revision-2 gold corrections: each row says fixed, kept or left
    (an Appendix B item), and why."""
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in section("## Appendix C").splitlines() if re.match(r"\| \[[A-Z]\d+\]|\| B\d", line)]
    assert len(rows) >= 11
    for cells in rows:
        assert len(cells) == 4, cells
        outcome, _, reason = cells[3].partition(":")
        assert outcome.split()[0] in {"fixed", "kept", "left"}, cells
        assert len(reason.split()) >= 5, f"{cells[1]}: no reason given"
        if cells[0].startswith("B"):
            assert "Appendix B" in cells[3], cells


TRAILING_PUNCTUATION = re.compile(r"[.!?;:,]\W*$")
ABBREVIATION = re.compile(r"\b(?:[A-Z]\.){2,}$")  # "U.N." may end a span: its period is the abbreviation's
LINKING_WORD = re.compile(r"(?:but|and|Despite|with)\b")


def test_gold_claim_spans_are_trimmed_as_rule_s7_says():
    """[S7]: no claim span ends with sentence-final punctuation (also inside closing quotation marks) or
    begins with a linking word."""
    for doc, claims in gold_claims().items():
        for cid, exact in claims.items():
            assert not (TRAILING_PUNCTUATION.search(exact) and not ABBREVIATION.search(exact)), (doc, cid, exact[-40:])
            assert not LINKING_WORD.match(exact), (doc, cid, exact[:40])


def gold_claim_records() -> dict[str, dict[str, dict]]:
    return {path.name.split("-")[0]: {c["id"]: c for c in read_annotation_file(path)["claims"]}
            for path in sorted((ANNOTATIONS / "gold").glob("*.json"))}


def test_attributed_gold_claims_leave_the_speaker_and_cue_outside_the_span():
    """Section 2 (span, attribution chains): a claim with a source other than the outlet does not
    contain its cue ("Guterres called for …" is not the span; what is called for is)."""
    for doc, claims in gold_claim_records().items():
        for cid, claim in claims.items():
            cue = claim.get("cue")
            if cue and claim["claimer"] != "AUTHOR":
                inside = claim["start"] <= cue["start"] and cue["end"] <= claim["end"]
                assert not inside, (doc, cid, cue["exact"], claim["exact"][:60])


def test_the_call_example_of_section_2_is_the_gold_claim_it_quotes():
    """The call example ("Decisions added after the agreement study" and the claim-type table) shows
    the span, cue and claimer of the gold claim, with the speaker and verb outside the span."""
    start = GUIDELINES.index("### Decisions added after the agreement study")
    decisions = GUIDELINES[start:GUIDELINES.index("### 2.2 ", start)]
    match = re.search(r"the\s+span is \"([^\"]+)\", the cue \"([^\"]+)\",\s+the claimer\s+`([a-z-]+)`",
                      decisions)
    assert match, "the call example states no span, cue and claimer"
    span, cue, claimer = match.groups()
    pieces = [" ".join(p.split()).strip(" ,.“”") for p in span.split("…") if p.strip(" ,.“”")]
    found = [c for claims in gold_claim_records().values() for c in claims.values()
             if c["cue"] and c["cue"]["exact"] == cue and c["claimer"] == claimer
             and all(p in c["exact"] for p in pieces)]
    assert len(found) == 1, (span, cue, claimer)
    assert found[0]["claim_type"] == "event" and cue not in found[0]["exact"]
    table = section("## 2. Claims").split("* **checkworthy**")[0]
    row = next(line for line in table.splitlines() if line.strip().startswith("| `prediction`"))
    assert f'"{span.split("…")[0].strip()}' in row and f'cue "{cue}"' in row, row


def test_appendix_c_records_every_appendix_b_item_that_names_gold_claims():
    """The header says the Appendix B items were left as they are and Appendix C's last rows record
    them: every Appendix B item that cites gold claims has a row, and the header names those rows."""
    appendix_b = section("## Appendix B")
    items = re.split(r"^\* \*\*(B\d)", appendix_b, flags=re.M)[1:]
    citing = {key for key, body in zip(items[::2], items[1::2]) if re.search(r"\bc\d{3}\b", body)}
    rows = {line.split("|")[1].strip()
            for line in section("## Appendix C").splitlines() if re.match(r"\| B\d", line)}
    assert citing and rows == citing, (sorted(citing), sorted(rows))
    header = GUIDELINES.split("**Contents.**")[0]
    named = set(re.findall(r"\bB\d\b", re.split(r"[;)]", header.split("last rows:", 1)[1], maxsplit=1)[0]))
    assert named == citing, named


def github_anchor(heading: str) -> str:
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def test_contents_links_resolve_and_a_precedence_rule_is_stated():
    headings = {github_anchor(h) for h in re.findall(r"^#{2,3} (.+)$", GUIDELINES, re.M)}
    contents = GUIDELINES[GUIDELINES.index("**Contents.**"):GUIDELINES.index("**Precedence.**")]
    anchors = re.findall(r"\]\(#([^)]+)\)", contents)
    assert len(anchors) >= 12
    assert set(anchors) <= headings, sorted(set(anchors) - headings)
    for label in ("2.2", "2.3", "2.4", "Appendix A", "Appendix B", "Appendix C", "Decisions added"):
        assert label in contents, label
    precedence = GUIDELINES[GUIDELINES.index("**Precedence.**"):].split("\n\n")[0]
    assert "2.2–2.4" in precedence and "Appendix A" in precedence and "win" in precedence


def test_changelog_references_name_a_release_that_exists():
    """References to the data CHANGELOG name one of its sections (no "Unreleased" that is not there)."""
    headings = set(re.findall(r"^## (.+)$", CHANGELOG.read_text(encoding="utf-8"), re.M))
    for path in (ROOT / "schema" / "GUIDELINES.md", ROOT / "schema" / "CHANGELOG.md", ROOT / "DATACARD.md"):
        text = path.read_text(encoding="utf-8")
        if "Unreleased" not in {h.split(" ")[0] for h in headings}:
            assert "Unreleased" not in text, path.name
        for ref in re.findall(r"`## ([^`]+)`", text):
            assert ref in headings, (path.name, ref)
