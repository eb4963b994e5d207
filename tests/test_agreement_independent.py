"""Agreement of fully independent passes (issue 9, item 3): coreference of entity mentions across documents
(MUC, B³, CEAF-e, CoNLL F1 by scorch), claim-cluster membership (pairwise F1), check-worthiness κ, relation
agreement, and passes with their own entity inventory and clusters — on small fixtures with known scores."""

import json
import math
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minusma_corpus.annotations.agreement import agreement
from minusma_corpus.annotations.coreference import coreference, entity_clusters, same_cluster_pairs
from minusma_corpus.annotations.layout import read_pass
from minusma_corpus.cli import main
from support.paths import ANNOTATIONS

# The worked example of Pradhan et al. (2014), "Scoring Coreference Partitions of Predicted Mentions: A
# Reference Implementation", fig. 1 / table 1: key {a,b,c} {d,e,f,g}; response {a,b} {c,d} {f,g,h,i}.
KEY = [frozenset("abc"), frozenset("defg")]
RESPONSE = [frozenset("ab"), frozenset("cd"), frozenset("fghi")]


def test_scores_of_the_reference_scorer_paper_example():
    c = coreference(KEY, RESPONSE)
    assert (c.muc.recall, c.muc.precision) == pytest.approx((0.4, 0.4))  # 2/5 and 2/5
    assert (c.b_cubed.recall, c.b_cubed.precision) == pytest.approx((35 / 84, 0.5))  # (4/3+1/3+1/4+1)/7, (2+1+1)/8
    assert (c.ceaf_e.recall, c.ceaf_e.precision) == pytest.approx((0.65, 1.3 / 3))  # φ4: 0.8 + 0.5 over 2 and 3
    f1 = lambda s: 2 * s.recall * s.precision / (s.recall + s.precision)  # noqa: E731
    assert c.conll_f1 == pytest.approx((f1(c.muc) + f1(c.b_cubed) + f1(c.ceaf_e)) / 3)
    assert (c.entities_a, c.mentions_a, c.entities_b, c.mentions_b) == (2, 7, 3, 8)


def _mention(mid, start, label="ORG", entity_id=None):
    return {"id": mid, "start": start, "end": start + 3, "label": label, "entity_id": entity_id}


def _claim(cid, start, cluster_id=None, relation=None, checkworthy=True, claim_type="event"):
    return {"id": cid, "start": start, "end": start + 10, "claim_type": claim_type, "claimer": "AUTHOR",
            "checkworthy": checkworthy, "cluster_id": cluster_id, "cluster_relation": relation}


def _set(mentions=(), claims=()):
    return {"mentions": list(mentions), "claims": list(claims), "stances": [], "document_stance": None}


def _letters_as_sets(clusters, prefix):
    """Two documents whose linked mentions form ``clusters`` of letters (a-e in d1, f-i in d2); entity ids
    carry the pass's own ``prefix`` (ids of two passes are not shared)."""
    docs = {"d1": _set(), "d2": _set()}
    for n, cluster in enumerate(clusters):
        for letter in sorted(cluster):
            doc = "d1" if letter <= "e" else "d2"
            docs[doc]["mentions"].append(_mention(f"m{letter}", 10 * (ord(letter) - 96), entity_id=f"{prefix}{n}"))
    return docs


def test_cross_document_coreference_of_two_passes_with_their_own_ids():
    a, b = _letters_as_sets(KEY, "gold-entity-"), _letters_as_sets(RESPONSE, "x")
    result = agreement(a, b)
    assert result.coreference == coreference(entity_clusters(a), entity_clusters(b))
    assert result.coreference.muc.recall == pytest.approx(0.4)
    assert result.coreference.b_cubed.precision == pytest.approx(0.5)
    assert result.coreference.ceaf_e.recall == pytest.approx(0.65)
    row = dict(result.rows())["coreference CoNLL F1"]
    assert row.startswith(f"F1 {result.coreference.conll_f1:.3f}") and "A 2 entities / 7 mentions" in row


@given(st.lists(st.integers(0, 5), min_size=1, max_size=25), st.permutations(range(6)))
def test_coreference_ignores_the_names_of_entities(assignment, renaming):
    """Renaming the entities of one pass changes no score; a pass scored against itself scores 1."""
    a = {"d": _set([_mention(f"m{i}", 10 * i, entity_id=f"e{k}") for i, k in enumerate(assignment)])}
    b = {"d": _set([_mention(f"m{i}", 10 * i, entity_id=f"other-{renaming[k]}") for i, k in enumerate(assignment)])}
    c = agreement(a, b).coreference
    assert c.b_cubed.f1 == c.ceaf_e.f1 == 1.0
    assert c.muc.f1 == (1.0 if len(assignment) > len(set(assignment)) else 0.0)  # MUC: 0 when all singletons


def test_claim_cluster_membership_is_pairwise_f1_by_hand():
    a = _set(claims=[_claim("c1", 0, "x", "consistent"), _claim("c2", 20, "x", "conflicting"),
                     _claim("c3", 40, "x", "conflicting"), _claim("c4", 60)])
    b = _set(claims=[_claim("k1", 1, "p", "consistent"), _claim("k2", 21, "p", "consistent"),
                     _claim("k3", 41, "q", "conflicting"), _claim("k9", 80, "q", "consistent")])
    result = agreement({"d": a}, {"d": b})
    pairs = result.spans["claim cluster pairs"]  # A: 12 13 23; B: 12 (k1~c1, k2~c2) and 3-k9
    assert (pairs.matched, pairs.in_a, pairs.in_b) == (1, 3, 2)
    assert (pairs.precision, pairs.recall) == (0.5, 1 / 3) and math.isclose(pairs.f1, 0.4)
    assert result.categorical["cluster relation (members in both)"].pairs == [
        ("consistent", "consistent"), ("conflicting", "consistent"), ("conflicting", "conflicting")]
    assert result.categorical["claim cluster relation"].n == 3  # c4 and k9 do not overlap: not paired
    assert same_cluster_pairs([("x", 1), ("x", 2), ("y", 3)]) == {frozenset({1, 2})}


def test_check_worthiness_kappa_by_hand():
    flags_a = [True, True, True, False, False, True, True, False]
    flags_b = [True, True, False, False, True, True, True, False]
    a = _set(claims=[_claim(f"c{i}", 20 * i, checkworthy=f) for i, f in enumerate(flags_a)])
    b = _set(claims=[_claim(f"c{i}", 20 * i, checkworthy=f) for i, f in enumerate(flags_b)])
    score = agreement({"d": a}, {"d": b}).categorical["check-worthiness"]
    assert score.n == 8 and score.observed == 0.75
    # p_e = (5*5 + 3*3) / 64 (A: 5 true 3 false; B: 5 true 3 false)
    assert math.isclose(score.cohen_kappa, (0.75 - 34 / 64) / (1 - 34 / 64))


# --------------------------------------------------------------------------------------------
# Passes with their own inventory and clusters
# --------------------------------------------------------------------------------------------


def _independent_copy(src, out, prefix):
    """A copy of a pass with its own entities.json and claim_clusters.json: every id renamed."""
    out.mkdir(parents=True)
    kb = json.loads((ANNOTATIONS / "entities.json").read_text())
    clusters = json.loads((ANNOTATIONS / "claim_clusters.json").read_text())
    (out / "entities.json").write_text(json.dumps([{**e, "id": prefix + e["id"]} for e in kb]))
    (out / "claim_clusters.json").write_text(json.dumps([{**c, "id": prefix + c["id"]} for c in clusters]))
    parties = ("AUTHOR", "UNNAMED")
    for path in sorted(src.glob("*.json")):
        data = json.loads(path.read_text())
        for m in data["mentions"]:
            m["entity_id"] = m["entity_id"] and prefix + m["entity_id"]
        for c in data["claims"]:
            c["claimer"] = c["claimer"] if c["claimer"] in parties else prefix + c["claimer"]
            c["cluster_id"] = c["cluster_id"] and prefix + c["cluster_id"]
        for s in data["stances"]:
            s["holder"] = s["holder"] if s["holder"] in parties else prefix + s["holder"]
        (out / path.name).write_text(json.dumps(data))
    return out


def test_a_pass_with_its_own_inventory_scores_as_with_shared_ids(tmp_path, capsys):
    b = _independent_copy(ANNOTATIONS / "passes" / "b", tmp_path / "b", "pass-b-")
    own = read_pass(b)
    assert own.kb and own.clusters and set(own.sets) == {p.stem for p in (ANNOTATIONS / "passes" / "b").glob("*.json")}
    shared = agreement(read_pass(ANNOTATIONS / "passes" / "a").sets, read_pass(ANNOTATIONS / "passes" / "b").sets)
    renamed = agreement(read_pass(ANNOTATIONS / "passes" / "a").sets, own.sets, align_entities=True)
    assert renamed.rows() == shared.rows()  # every figure: entities aligned by their mentions, not by name
    assert renamed.coreference == shared.coreference
    assert renamed.spans["claim cluster pairs"] == shared.spans["claim cluster pairs"]
    assert renamed.categorical["check-worthiness"].pairs == shared.categorical["check-worthiness"].pairs
    assert main(["agreement", str(ANNOTATIONS / "passes" / "a"), str(b)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == shared.report()
    assert "coreference CoNLL F1" in out and "claim cluster pairs" in out and "check-worthiness" in out


def test_an_id_missing_from_the_pass_inventory_is_one_clear_line(tmp_path, capsys):
    b = _independent_copy(ANNOTATIONS / "passes" / "b", tmp_path / "b", "pass-b-")
    kb = json.loads((b / "entities.json").read_text())
    used = next(m["entity_id"] for p in sorted(b.glob("*-*.json")) for m in json.loads(p.read_text())["mentions"]
                if m["entity_id"])
    gone = next(e["id"] for e in kb if e["id"] == used)
    (b / "entities.json").write_text(json.dumps([e for e in kb if e["id"] != gone]))
    assert main(["agreement", str(ANNOTATIONS / "passes" / "a"), str(b)]) == 1
    err = capsys.readouterr().err
    assert f"is not in the pass's own entities.json" in err and gone in err and "Traceback" not in err


def test_a_broken_pass_inventory_names_its_file(tmp_path, capsys):
    b = tmp_path / "b"
    shutil.copytree(ANNOTATIONS / "passes" / "b", b)
    (b / "claim_clusters.json").write_text("{not json")
    (b / "entities.json").write_text(json.dumps([]))
    assert main(["agreement", str(ANNOTATIONS / "passes" / "a"), str(b)]) == 1
    err = capsys.readouterr().err
    assert f"{b / 'claim_clusters.json'}: line 1: not valid JSON" in err and "Traceback" not in err


def test_entity_alignment_maps_entities_by_their_mentions_not_their_names():
    from minusma_corpus.annotations.coreference import entity_alignment

    a = {"d": _set([_mention("m1", 0, entity_id="mali"), _mention("m2", 10, entity_id="mali"),
                    _mention("m3", 20, entity_id="un"), _mention("m4", 30, entity_id="diop")])}
    b = {"d": _set([_mention("m1", 0, entity_id="b1"), _mention("m2", 10, entity_id="b1"),
                    _mention("m3", 20, entity_id="mali"), _mention("m9", 90, entity_id="b7")])}
    assert entity_alignment(a, b) == {"b1": "mali", "mali": "un"}  # b7 shares no mention: not aligned
    result = agreement(a, b, align_entities=True)
    assert result.categorical["entity linking"].pairs == [("mali", "mali"), ("mali", "mali"), ("un", "un")]
    assert agreement(a, b).categorical["entity linking"].pairs == [("mali", "b1"), ("mali", "b1"), ("un", "mali")]


def test_the_diff_names_differing_cluster_values_and_scopes():
    from minusma_corpus.annotations.agreement import disagreements

    x = {**_claim("c1", 0, "x", "consistent"), "exact": "about 15,000", "quantity": None, "cue": None,
         "cluster_value": {"type": "count", "number": 15000, "unit": "persons", "bound": "approximate"},
         "cluster_scope": {"population": None}, "relation_justification": None}
    y = {**x, "id": "k1", "cluster_value": {**x["cluster_value"], "number": 13000},
         "cluster_scope": {"population": "troops"}}
    [line] = disagreements(_set(claims=[x]), _set(claims=[y]))
    assert "cluster_value: A" in line and "'number': 13000" in line and "cluster_scope: A {'population': None}" in line
    assert "relation_justification" not in line
