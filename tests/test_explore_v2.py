"""The explorer's claims page under schema 2.0.0: each member's value, scope, derived relation (with what it
conflicts with) and the justification of an override — on a migrated and filled copy of the gold."""

import copy
import html
import re

import pytest

from minusma_corpus import explore as ex
from minusma_corpus.annotations.fileformat import read_json_list
from minusma_corpus.annotations.layout import read_sets
from minusma_corpus.annotations.schema import load_schema
from test_schema_v2 import mission_size_gold, v2  # noqa: F401  (v2 is a fixture)


@pytest.fixture
def site_v2(v2, tmp_path, processed):
    root = mission_size_gold(tmp_path / "annotations")
    sets = read_sets(root / "gold")
    return ([d.document() for d in processed.values()], sets, read_json_list(root / "entities.json"),
            read_json_list(root / "claim_clusters.json"))


def _members(page: str) -> dict[str, str]:
    """The text of each member card, by the start of its quote."""
    cards = re.findall(r'<div class="member.*?</code></div>(?:<div.*?</div>)*</div>', page, re.S)
    out = {}
    for card in cards:
        text = html.unescape(re.sub(r"<[^>]+>", " ", card))
        quote = re.search(r"“(.*?)”", text).group(1)
        out[quote[:25]] = " ".join(text.split())
    return out


def test_claims_page_shows_value_scope_and_derived_relation(site_v2):
    documents, sets, kb, clusters = site_v2
    page = ex.render_site(documents, ex.AnnotationSet("gold v2", sets), kb, clusters)["claims.html"]
    assert "value: count in persons · reference scope: subject: minusma · population: all_personnel · as_of: 2023-06" \
        in html.unescape(page)
    cards = _members(page)
    fifteen = next(v for k, v in cards.items() if k.startswith("which comprises around 15"))
    assert "about 15,000 persons" in fifteen and "derived conflicting" in fifteen
    assert "incompatible with" in fifteen and "Reuters: 13,000 persons" in fifteen and "DW: about 13,000 persons" in fifteen
    soldiers = next(v for k, v in cards.items() if k.startswith("More than 13,000 soldiers"))
    assert "at least 13,000 persons" in soldiers and "scope: population: uniformed" in soldiers
    assert "derived different_scope (scope differs in population)" in soldiers
    assert "override:" not in page


def test_an_override_shows_its_justification_escaped(site_v2):
    documents, sets, kb, clusters = site_v2
    sets = copy.deepcopy(sets)
    member = next(c for d in sets.values() for c in d["claims"] if c["exact"].startswith("More than 13,000 soldiers"))
    member.update(cluster_relation="consistent", relation_justification="<b>troops</b> are most of the mission")
    page = ex.render_site(documents, ex.AnnotationSet("gold v2", sets), kb, clusters)["claims.html"]
    assert "&lt;b&gt;troops&lt;/b&gt; are most of the mission" in page and "<b>troops</b>" not in page
    soldiers = next(v for k, v in _members(page).items() if k.startswith("More than 13,000 soldiers"))
    assert "consistent" in soldiers and "derived different_scope" in soldiers and "override:" in soldiers


def test_a_comparison_derives_each_set_on_its_own(site_v2):
    documents, sets, kb, clusters = site_v2
    other = copy.deepcopy(sets)
    for d in other.values():
        for c in d["claims"]:
            if c["exact"].startswith("which comprises around 15,000"):
                c["cluster_value"] = {**c["cluster_value"], "number": 13000}
    page = ex.render_site(documents, ex.AnnotationSet("a", sets), kb, clusters,
                          other=ex.AnnotationSet("b", other))["claims.html"]
    cards = [v for k, v in _members(page).items() if k.startswith("which comprises around 15")]
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "about 13,000 persons" in text and "about 15,000 persons" in text  # each side its own value
    assert cards and "derived" in page


def test_no_member_details_under_schema_1(processed):
    """Under schema 1.x (the last 1.x schema.yaml, a fixture from git history), with the gold and clusters as
    1.1.0 recorded them: each member with its hand-labelled relation, conflicts first; no value, scope or
    derived relation (nor would there be for 2.0.0 sets: nothing is derived under schema 1)."""
    from minusma_corpus.explore.claims import derivations
    from minusma_corpus.explore.page import Site
    from support.paths import ANNOTATIONS
    from support.schema1 import as_1_1_0, clusters_1, schema_1

    s1 = schema_1()
    documents = [d.document() for d in processed.values()]
    sets = {doc_id: as_1_1_0(d) for doc_id, d in read_sets(ANNOTATIONS / "gold").items()}
    kb, clusters = read_json_list(ANNOTATIONS / "entities.json"), clusters_1(read_json_list(ANNOTATIONS / "claim_clusters.json"))
    page = ex.render_site(documents, ex.AnnotationSet("gold", sets), kb, clusters, schema=s1)["claims.html"]
    body = re.sub(r"<p class=\"meta\">.*?</p>", "", page, flags=re.S)
    assert "derived" not in body and "scope:" not in page and "value:" not in page
    members = [c for d in sets.values() for c in d["claims"] if c["cluster_id"]]
    badges = re.findall(r'<div class="member rel-([a-z_]+)">', page)  # one card per member, with its relation
    assert sorted(badges) == sorted(c["cluster_relation"] for c in members) and "conflicting" in badges
    assert page.index('class="cluster conflict"') < page.index('class="cluster"')  # conflicts first

    v2_sets = ex.AnnotationSet("gold", read_sets(ANNOTATIONS / "gold"))  # values present, but schema 1 derives nothing
    assert not derivations(Site(documents, v2_sets, None, kb, clusters, tuple(s1.entity_labels), s1))
    assert derivations(Site(documents, v2_sets, None, kb, read_json_list(ANNOTATIONS / "claim_clusters.json"), (),
                            load_schema()))
