"""The derived-relation rule of schema 2.0.0: every worked example of schema/GUIDELINES.md section 2.1,
and the rule's invariants (property-based)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minusma_corpus.annotations.cluster_relations import (
    CategoryValue, DateValue, Member, NumberValue, compatible, date_value, derive, different_fields, is_round,
    value_from_json,
)


def n(number, bound="exact", unit="persons"):
    return NumberValue(number, unit, bound)


def d(iso, bound="exact"):
    return date_value({"date": iso, "bound": bound})


def relations(reference, members):
    return {k: v.relation for k, v in derive(reference, [Member(k, val, scope) for k, val, scope in members]).items()}


# ---- worked examples of the guidelines --------------------------------------------------------------

def test_mission_size():
    ref = {"subject": "minusma", "population": "all_personnel", "as_of": "2023-06"}
    scope = lambda population=None, as_of=None: {"subject": None, "population": population, "as_of": as_of}  # noqa: E731
    members = [
        ("nias/over-17000-feb-2023", n(17000, "lower"), scope("all_personnel", "2023-02")),
        ("contrapuntal/around-15000", n(15000, "approximate"), scope("all_personnel")),
        ("reuters/13000-strong", n(13000), scope("all_personnel")),
        ("dw/approximately-13000-peacekeepers", n(13000, "approximate"), scope("all_personnel")),
        ("dw/more-than-13000-soldiers-and-police", n(13000, "lower"), scope("uniformed")),
        ("unknown/11739-blue-helmets", n(11739, "approximate"), scope("troops")),
        ("unknown/1600-police", n(1600), scope("police")),
        ("unknown/nearly-4000-civilians", n(4000, "approximate"), scope("civilian_staff")),
    ]
    got = derive(ref, [Member(*m) for m in members])
    assert {k: v.relation for k, v in got.items()} == {
        "nias/over-17000-feb-2023": "different_scope",
        "contrapuntal/around-15000": "conflicting",
        "reuters/13000-strong": "conflicting",
        "dw/approximately-13000-peacekeepers": "conflicting",
        "dw/more-than-13000-soldiers-and-police": "different_scope",
        "unknown/11739-blue-helmets": "different_scope",
        "unknown/1600-police": "different_scope",
        "unknown/nearly-4000-civilians": "different_scope",
    }
    assert got["nias/over-17000-feb-2023"].different_fields == ("as_of",)
    assert got["contrapuntal/around-15000"].conflicts_with == ("reuters/13000-strong", "dw/approximately-13000-peacekeepers")
    assert got["reuters/13000-strong"].conflicts_with == ("contrapuntal/around-15000",)
    assert compatible(n(13000), n(13000, "approximate"))


def test_peacekeeper_deaths():
    ref = {"subject": "minusma", "population": "all_personnel", "cause": "all_causes", "since": "2013"}
    s = lambda cause=None: {"subject": None, "population": "all_personnel", "cause": cause, "since": None}  # noqa: E731
    assert relations(ref, [
        ("nias/303-personnel", n(303), s()),
        ("contrapuntal/303-peacekeepers", n(303), s()),
        ("unknown/300-blue-helmets", n(300), s()),
        ("reuters/about-170-in-fighting", n(170, "approximate"), s("hostile_acts")),
    ]) == {"nias/303-personnel": "consistent", "contrapuntal/303-peacekeepers": "consistent",
           "unknown/300-blue-helmets": "consistent", "reuters/about-170-in-fighting": "different_scope"}


def test_mandate_end():
    ref = {"subject": "minusma"}
    got = relations(ref, [
        ("a/30-june", d("2023-06-30"), {"subject": None}),
        ("nias/until-30-december", d("2023-12-30"), {"subject": None}),
        ("dw/has-expired", d("2023-07-04", "upper"), {"subject": None}),
    ])
    assert got == {"a/30-june": "conflicting", "nias/until-30-december": "conflicting", "dw/has-expired": "conflicting"}
    # DW's "has expired" (by 4 July) agrees with 30 June and conflicts only with 30 December
    assert compatible(d("2023-07-04", "upper"), d("2023-06-30"))
    assert not compatible(d("2023-07-04", "upper"), d("2023-12-30"))


def test_annual_cost_in_two_currencies_is_not_compared():
    ref = {"subject": "minusma", "basis": "authorised"}
    usd = NumberValue(1.2e9, "USD_per_year", "exact")
    eur = NumberValue(1.1e9, "EUR_per_year", "approximate")
    assert compatible(usd, eur) is None
    assert relations(ref, [("c/usd", usd, {"subject": None, "basis": None}),
                           ("u/eur", eur, {"subject": None, "basis": None})]) == {"c/usd": "consistent", "u/eur": "consistent"}


def test_vote_result():
    ref = {"subject": "un-security-council"}
    assert relations(ref, [
        ("contrapuntal/15-0", CategoryValue("adopted_unanimously"), {"subject": None}),
        ("nias/unanimously", CategoryValue("adopted_unanimously"), {"subject": "un-security-council"}),
        ("nias/we-voted-in-favour", CategoryValue("voted_in_favour"), {"subject": "united-states"}),
        ("contrapuntal/we-voted-in-favor", CategoryValue("voted_in_favour"), {"subject": "united-states"}),
    ]) == {"contrapuntal/15-0": "consistent", "nias/unanimously": "consistent",
           "nias/we-voted-in-favour": "different_scope", "contrapuntal/we-voted-in-favor": "different_scope"}


def test_agreement_year():
    assert relations({"subject": "algiers-accords"}, [
        ("reuters/known-as", d("2015"), {"subject": None}),
        ("unknown/signed-in-2015", d("2015"), {"subject": None}),
    ]) == {"reuters/known-as": "consistent", "unknown/signed-in-2015": "consistent"}


@pytest.mark.parametrize("a, b, expected", [
    (n(300, "lower"), n(5000), True),           # "over 300" agrees with any value >= 300
    (n(300, "lower"), n(275), True),            # ... and with 275: 300 is round, gap 25 <= 30
    (n(303, "lower"), n(270), False),           # 303 is not round, 270 is not: the gap counts
    (n(303), n(300), True),                     # round number: within 10%
    (n(303), n(301), False),                    # two exact, non-round numbers: equal or not
    (n(13000), n(15000, "approximate"), False),  # gap 2,000 > 1,500
    (n(14000, "approximate"), n(15000, "approximate"), True),
    (n(500, "upper"), n(450), True),            # "up to 500"
    (n(1000, "upper"), n(1200), False),         # gap 200 > 120
    (n(3, unit="events"), n(2, unit="events"), False),
    (n(2, unit="events"), n(2, unit="persons"), None),
])
def test_number_compatibility(a, b, expected):
    assert compatible(a, b) is expected
    assert compatible(b, a) is expected


@pytest.mark.parametrize("a, b, expected", [
    (d("2023"), d("2023-06-30"), True),         # equal at the stated precision
    (d("2023-06"), d("2023-07-01"), False),
    (d("2023-06", "approximate"), d("2023-07-01"), True),  # widened by a month
    (d("2022", "approximate"), d("2021-03"), True),
    (d("2022"), d("2021-03"), False),
    (date_value({"start": "2023-07", "end": "2023-12-31", "bound": "exact"}), d("2023-12"), True),
    (d("2013", "lower"), d("2023-06-30"), True),  # "since 2013"
    (d("2023-12-31", "upper"), d("2024-01-01"), False),  # "by 31 December"
])
def test_date_compatibility(a, b, expected):
    assert compatible(a, b) is expected
    assert compatible(b, a) is expected


def test_scope_fields():
    assert different_fields({"as_of": "2023-06"}, {"as_of": "2023-06-30"}) == ()
    assert different_fields({"as_of": "2023-06"}, {"as_of": "2023-02"}) == ("as_of",)
    assert different_fields({"place": ["mali"]}, {"place": ["mali", "niger"]}) == ("place",)
    assert different_fields({"place": ["niger", "mali"]}, {"place": ["mali", "niger"]}) == ()
    assert different_fields({"cause": "all_causes"}, {"cause": None}) == ()  # null = unstated = the reference


def test_value_from_json_and_rounding():
    assert value_from_json({"type": "count", "number": 303, "unit": "persons", "bound": "exact"}) == n(303)
    assert value_from_json({"type": "category", "category": "adopted_unanimously"}) == CategoryValue("adopted_unanimously")
    v = value_from_json({"type": "date", "start": "2023-07", "end": "2023-12-31", "bound": "exact"})
    assert (v.first, v.last, v.precision) == (date(2023, 7, 1), date(2023, 12, 31), "month")
    assert [is_round(x) for x in (300, 13000, 1.1e9, 303, 50, 2015)] == [True, True, True, False, False, False]
    with pytest.raises(ValueError):
        date_value({"start": "2024", "end": "2023", "bound": "exact"})


# ---- invariants ---------------------------------------------------------------------------------------

numbers = st.builds(NumberValue, st.integers(-10**7, 10**7).map(float), st.sampled_from(["persons", "events"]),
                    st.sampled_from(["exact", "approximate", "lower", "upper"]))
dates = st.builds(lambda day, bound: date_value({"date": day.isoformat(), "bound": bound}),
                  st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.sampled_from(["exact", "approximate", "lower", "upper"]))
scopes = st.fixed_dictionaries({"population": st.sampled_from([None, "all_personnel", "troops"]),
                                "as_of": st.sampled_from([None, "2023-06", "2023-02"])})


@given(numbers, numbers)
def test_compatibility_is_symmetric_and_reflexive(a, b):
    assert compatible(a, b) == compatible(b, a)
    assert compatible(a, a) is True


@given(dates, dates)
def test_date_compatibility_is_symmetric_and_reflexive(a, b):
    assert compatible(a, b) == compatible(b, a)
    assert compatible(a, a) is True


@given(st.lists(st.tuples(numbers, scopes), max_size=8))
def test_derivation_invariants(items):
    ref = {"population": "all_personnel", "as_of": "2023-06"}
    members = [Member(f"m{i}", v, s) for i, (v, s) in enumerate(items)]
    got = derive(ref, members)
    assert set(got) == {m.key for m in members}
    same = [m for m in members if not different_fields(ref, m.scope)]
    for m in members:
        r = got[m.key]
        assert (r.relation == "different_scope") == (m not in same)
        if r.relation == "consistent":
            assert all(compatible(m.value, o.value) is not False for o in same)
        if r.relation == "conflicting":
            assert r.conflicts_with and all(compatible(m.value, dict((x.key, x.value) for x in members)[k]) is False
                                            for k in r.conflicts_with)
            # conflicts are mutual
            assert all(m.key in got[k].conflicts_with for k in r.conflicts_with)


def test_release_value_text():
    from minusma_corpus.publish.release_clusters import value_text

    assert value_text({"type": "count", "number": 17000, "unit": "persons", "bound": "lower"}) == "at least 17,000 persons"
    assert value_text({"type": "amount", "number": 1.2e9, "unit": "USD_per_year", "bound": "exact"}) == \
        "1,200,000,000 USD_per_year"
    assert value_text({"type": "date", "date": "2023-07-04", "bound": "upper"}) == "by 2023-07-04"
    assert value_text({"type": "date", "start": "2023-07", "end": "2023-12-31", "bound": "exact"}) == "2023-07/2023-12-31"
    assert value_text({"type": "category", "category": "adopted_unanimously"}) == "adopted_unanimously"
    assert value_text(None) is None
