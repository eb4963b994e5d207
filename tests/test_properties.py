"""Invariants on random input (hypothesis; the "ci" profile of conftest.py runs 2,000 examples each, the
"nightly" one 20,000): sentence spans, the Label Studio export -> import round trip, re-anchoring after edits."""

import json

from hypothesis import assume, given
from hypothesis import strategies as st

from minusma_corpus import split_sentences
from minusma_corpus.annotations.anchor import CONTEXT, AnchorError, anchor, find_quote, selector
from minusma_corpus.annotations.schema import json_schema, load_schema
from minusma_corpus.fileio import text_sha256
from minusma_corpus.labelstudio import Document, export_tasks, import_tasks

SCHEMA = load_schema()

# ---- split_sentences ---------------------------------------------------------------------------------------

WORDS = ["Mali", "the", "U.N.", "Dr.", "MINUSMA", "said", "13,000", "troops", "Bamako", "é", "🇲🇱", "𝔘𝔑", "e\u0301",
         "a", "1.", "(AFP)", "“We", "leave”"]
PUNCT = [".", "!", "?", "…", ";", ",", ":", "—", "’", "\"", ".”", "?!"]
SPACE = [" ", "  ", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u2009", "\u200b", "\u3000", "\r"]
pieces = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(PUNCT), st.sampled_from(SPACE),
                            st.text(max_size=4)), max_size=60).map("".join)


@given(st.one_of(pieces, st.text(max_size=200)))
def test_sentence_spans_are_ordered_disjoint_trimmed_and_cover_every_non_space_character(text):
    spans = split_sentences(text)
    covered = [0] * len(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert not text[start].isspace() and not text[end - 1].isspace()
        for i in range(start, end):
            covered[i] += 1
        previous_end = end
    assert all(covered[i] == 1 for i, c in enumerate(text) if not c.isspace()), (text, spans)


# ---- Label Studio export -> import -------------------------------------------------------------------------

LETTERS = "abcdeMALIé — ,.’“”🇲🇱👩🏽\u200d🚒𝔘𝔑\u0301\r\n"
LINKED = SCHEMA.linked_labels
NORMALIZED = SCHEMA.normalized_labels  # label -> date | money | quantity
CLAIM_TYPES = [t for t in SCHEMA.claim_types if t != "quantity"]
DOCUMENT_TARGET = json_schema()["properties"]["document_stance"]["anyOf"][0]["properties"]["target"]["const"]


def _span(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


NUMBERS = [0, 7, 13000, 1.5, 13000.0, 10**12, 0.25]


def _normalized(kind: str, n: int) -> dict:
    """A normalized value of a kind, varied by ``n`` (ints and floats, each kept as such by the round trip)."""
    value = {"iso": None, "number": None, "unit": None, "currency": None, "approximate": n % 2 == 0}
    if kind == "date":
        value["iso"] = [None, "2023", "2023-06", "2023-06-30", "2023-06/2023-12"][n % 5]
    elif kind == "money":
        value.update(number=NUMBERS[n % len(NUMBERS)], currency=["USD", "EUR", "XOF"][n % 3])
    else:
        value.update(number=NUMBERS[n % len(NUMBERS)], unit=["troops", "km", "peacekeepers"][n % 3])
    return value


# Under schema 2.0.0 a claim also carries its (here empty) cluster value fields, in the files' order.
V2_CLAIM_FIELDS = ({"cluster_value": None, "cluster_scope": None, "relation_justification": None, "legacy_relation": None}
                   if SCHEMA.has_cluster_values else {})


@st.composite
def annotated_texts(draw):
    text = draw(st.text(alphabet=LETTERS, min_size=10, max_size=80))
    cuts = sorted(set(draw(st.lists(st.integers(0, len(text)), min_size=2, max_size=8))))
    spans = [s for a, b in zip(cuts[::2], cuts[1::2]) if (s := _span(text, a, b))]
    mentions = []
    for n, (start, end) in enumerate(spans, 1):
        label, variant = draw(st.sampled_from(list(SCHEMA.entity_labels))), draw(st.integers(0, 99))
        linked = label in LINKED
        mentions.append({"id": f"m{n:03d}", "label": label, "entity_id": f"entity-{n}" if linked else None,
                         "normalized": None if linked else _normalized(NORMALIZED[label], variant),
                         **selector(text, start, end)})
    claim_spans = sorted({s for a, b in draw(st.lists(st.tuples(st.integers(0, len(text)), st.integers(0, len(text))),
                                                      max_size=2))
                          if (s := _span(text, min(a, b), max(a, b)))})
    claims = [{"id": f"c{n:03d}", **selector(text, s, e), "claimer": SCHEMA.author_holder, "claimer_text": None,
               "cue": None, "claim_type": draw(st.sampled_from(CLAIM_TYPES)), "checkworthy": draw(st.booleans()),
               "quantity": None, "cluster_id": None, "cluster_relation": None, **V2_CLAIM_FIELDS}
              for n, (s, e) in enumerate(claim_spans, 1)]
    stances = [{"id": f"s{n:03d}", "holder": SCHEMA.author_holder, "holder_text": None,
                "target": draw(st.sampled_from(list(SCHEMA.stance_targets))),
                "polarity": draw(st.sampled_from(list(SCHEMA.stance_polarities))),
                "evidence": [selector(text, c["start"], c["end"])]}
               for n, c in enumerate(claims[: draw(st.integers(0, len(claims)))], 1)]
    document_stance = draw(st.one_of(st.none(), st.sampled_from(list(SCHEMA.stance_polarities)).map(
        lambda p: {"target": DOCUMENT_TARGET, "polarity": p})))
    data = {"schema_version": SCHEMA.version, "doc_id": "random-doc", "text_sha256": text_sha256(text),
            "provenance": {"annotator": "hypothesis", "method": "random", "tool": "tests", "created": "2026-11-29",
                           "status": draw(st.sampled_from(list(SCHEMA.statuses)))},
            "document_stance": document_stance, "mentions": mentions, "claims": claims, "stances": stances}
    return text, data


@given(annotated_texts(), st.sampled_from(["predictions", "annotations"]))
def test_label_studio_export_then_import_gives_back_the_same_annotation_set(sample, mode):
    text, data = sample
    [task] = export_tasks([Document("random-doc", text)], {"random-doc": [data]}, mode)
    task = json.loads(json.dumps(task))  # what a server stores and gives back
    task["id"] = 1
    for i, item in enumerate(task[mode]):
        item["id"] = 10 + i
        item.setdefault("completed_by", {"id": 1, "email": "annotator@example.org"})
    [got] = import_tasks([task], {"random-doc": text}, predictions=True).sets
    assert got.data == data


# ---- re-anchoring after an edit ----------------------------------------------------------------------------

VOCABULARY = ["Mali", "MINUSMA", "the", "mission", "said", ".", ",", " ", " ", "\n"]  # few words: many repeats


@st.composite
def edited(draw):
    text = "".join(draw(st.lists(st.sampled_from(VOCABULARY), min_size=3, max_size=80)))
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 20)))
    at = draw(st.integers(0, len(text)))
    removed = draw(st.integers(0, min(10, len(text) - at)))
    inserted = "".join(draw(st.lists(st.sampled_from(VOCABULARY), max_size=6)))
    return text, (start, end), (at, removed, inserted)


@given(edited())
def test_reanchoring_after_an_edit_finds_the_quote_where_it_went_or_refuses(sample):
    text, (start, end), (at, removed, inserted) = sample
    new = text[:at] + inserted + text[at + removed:]
    span = selector(text, start, end)
    try:
        placed = anchor(new, span)
    except AnchorError:
        return  # refusing is always allowed; what is checked is that a placement is never wrong
    assert new[placed["start"]:placed["end"]] == span["exact"]
    assert placed == selector(new, placed["start"], placed["end"])
    far = at + removed <= start - CONTEXT or at >= end + CONTEXT  # the edit leaves the span and its context alone
    if far and (removed or inserted):
        where = start if at >= end else start + len(inserted) - removed  # where the annotated characters went

        def context(i):
            return new[max(0, i - CONTEXT):i + (end - start) + CONTEXT]

        # placed where they went, or at a place that reads the same (prefix, quote and suffix)
        assert placed["start"] == where or context(placed["start"]) == context(where), (text, new, span, placed, where)


@given(st.lists(st.sampled_from(VOCABULARY), min_size=22, max_size=32).map("".join), st.data())
def test_a_quote_whose_whole_context_occurs_twice_is_refused_wherever_it_was(text, data):
    assume(len(text) > 2 * CONTEXT + 3)
    start = data.draw(st.integers(CONTEXT, len(text) - CONTEXT - 3))
    end = data.draw(st.integers(start + 3, min(len(text) - CONTEXT, start + 15)))
    span = selector(text, start, end)
    shift = data.draw(st.text(alphabet="xyz", max_size=10))
    new = shift + text + "\n" + text  # the annotated passage, with its context, is now there twice
    try:
        placed = find_quote(new, span["exact"], span["prefix"], span["suffix"], near=data.draw(st.integers(0, len(new))))
    except AnchorError:
        return
    raise AssertionError(f"placed at {placed} although the passage occurs twice: {new!r} {span}")


# ---- any JSON in a Label Studio export is refused cleanly -------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers(-2, 40) | st.floats(allow_nan=False) | st.text(max_size=3)
json_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner,
                                                                                        max_size=2), max_leaves=4)
REGION_KEYS = ["id", "type", "from_name", "to_name", "value", "from_id", "to_id", "labels", "direction"]


@st.composite
def hostile_tasks(draw):
    """Tasks shaped like an export, with any JSON value put anywhere an export has one."""
    region = draw(st.dictionaries(st.sampled_from(REGION_KEYS), json_values, max_size=6))
    if draw(st.booleans()):
        region["value"] = draw(st.dictionaries(st.sampled_from(["start", "end", "text", "labels", "choices"]),
                                               json_values, max_size=5))
    annotation = {"id": draw(json_values), "result": draw(st.one_of(json_values, st.just([region]))),
                  "completed_by": draw(json_values), "was_cancelled": draw(json_values)}
    data = {"doc_id": "random-doc", "schema_version": SCHEMA.version, "text": "Mali said it. MINUSMA left."}
    if draw(st.booleans()):
        data = draw(st.dictionaries(st.sampled_from(["doc_id", "schema_version", "text", "minusma"]), json_values))
    return [{"id": draw(json_values), "data": data,
             draw(st.sampled_from(["annotations", "predictions"])): draw(st.one_of(json_values, st.just([annotation])))}]


@given(hostile_tasks())
def test_any_json_in_an_export_is_imported_or_refused_with_a_label_studio_error(tasks):
    from minusma_corpus.labelstudio import LabelStudioError

    try:
        import_tasks(tasks, {"random-doc": "Mali said it. MINUSMA left."}, predictions=True)
    except LabelStudioError:
        pass
