"""Agreement statistics, checked against values worked out by hand."""

import math

from minusma_corpus.annotations.agreement import CategoricalScore, agreement


def test_kappa_and_alpha_by_hand():
    score = CategoricalScore([("A", "A"), ("A", "B"), ("B", "B"), ("B", "B")])
    assert score.observed == 0.75
    assert math.isclose(score.cohen_kappa, 0.5)  # p_e = (2*1 + 2*3) / 16
    assert math.isclose(score.krippendorff_alpha, 1 - 0.25 / (30 / 56))  # D_o = 2/8, D_e = (64-9-25)/56
    assert CategoricalScore([("A", "A"), ("B", "B")]).cohen_kappa == 1.0


def _mention(start, end, label, entity_id=None):
    return {"start": start, "end": end, "label": label, "entity_id": entity_id}


def _set(mentions=(), claims=(), stances=(), doc_stance="AGAINST"):
    return {"mentions": list(mentions), "claims": list(claims), "stances": list(stances),
            "document_stance": {"target": "minusma_termination", "polarity": doc_stance}}


def test_span_f1_exact_and_overlap_and_linking():
    a = _set([_mention(0, 4, "GPE", "mali"), _mention(10, 17, "MISSION", "minusma"), _mention(20, 30, "PERSON", "diop")])
    b = _set([_mention(0, 4, "GPE", "mali"), _mention(10, 18, "MISSION", "minusma"), _mention(40, 44, "ORG", "un")])
    result = agreement({"d": a}, {"d": b})
    exact, overlap = result.spans["mentions (exact, labelled)"], result.spans["mentions (overlap, labelled)"]
    assert (exact.matched, exact.in_a, exact.in_b) == (1, 3, 3)
    assert (overlap.matched, overlap.precision, overlap.recall) == (2, 2 / 3, 2 / 3)
    assert result.categorical["entity linking"].pairs == [("mali", "mali")]


def test_claims_and_stances():
    claim = lambda s, e, t, rel: {"start": s, "end": e, "claim_type": t, "claimer": "AUTHOR", "cluster_relation": rel}  # noqa: E731
    stance = lambda h, t, p: {"holder": h, "target": t, "polarity": p}  # noqa: E731
    a = _set(claims=[claim(0, 10, "event", None), claim(20, 30, "quantity", "conflicting")],
             stances=[stance("AUTHOR", "minusma", "FAVOR"), stance("mali", "minusma", "AGAINST")])
    b = _set(claims=[claim(0, 12, "event", None), claim(20, 30, "quantity", "consistent")],
             stances=[stance("AUTHOR", "minusma", "FAVOR"), stance("mali", "minusma", "NONE")], doc_stance="NONE")
    result = agreement({"d": a}, {"d": b})
    assert result.spans["claims (exact)"].matched == 1 and result.spans["claims (overlap)"].matched == 2
    assert result.categorical["claim cluster relation"].pairs == [("none", "none"), ("conflicting", "consistent")]
    assert result.categorical["stance polarity"].observed == 0.5
    assert result.categorical["document stance"].pairs == [("AGAINST", "NONE")]
