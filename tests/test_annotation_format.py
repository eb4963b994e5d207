"""Schema, annotation files, quote anchoring, drafts and validation — on a small synthetic document."""

import json

import pytest

from minusma_corpus.annotations.anchor import AnchorError, find_quote, reanchor, selector
from minusma_corpus.annotations.fileformat import (
    MIGRATIONS, AnnotationError, check, dumps_annotation, migrate, parse_iso, read_annotation_file,
    schema_problems, write_annotation_file,
)
from minusma_corpus.fileio import text_sha256
from minusma_corpus.annotations.authoring import DraftError, from_draft
from minusma_corpus.annotations.schema import SchemaVersionError, generated_files, json_schema, load_schema
from support.paths import ROOT

TEXT = ("Mali asks MINUSMA to leave\n\n"
        "On June 16, Foreign Minister Abdoulaye Diop told MINUSMA to leave. About 170 peacekeepers have died, "
        "the U.N. says. Diop said the mission had failed. It cost $1.2 billion a year.")
KB = [
    {"id": "mali", "label": "GPE", "name": "Mali", "aliases": ["Mali"], "description": "Country."},
    {"id": "minusma", "label": "MISSION", "name": "MINUSMA", "aliases": ["MINUSMA"], "description": "Mission."},
    {"id": "abdoulaye-diop", "label": "PERSON", "name": "Abdoulaye Diop", "aliases": ["Abdoulaye Diop", "Diop"],
     "description": "Foreign minister."},
    {"id": "united-nations", "label": "ORG", "name": "United Nations", "aliases": ["U.N."], "description": "UN."},
]
CLUSTERS = [{"id": "peacekeeper-deaths", "property": "number of MINUSMA peacekeepers killed", "description": "Toll.",
             "value_type": "count", "unit": "persons", "reference_scope": {"subject": "minusma", "cause": "all_causes"}}]
DRAFT = {
    "doc_id": "synthetic-doc",
    "document_stance": {"target": "minusma_termination", "polarity": "NONE"},
    "mentions": [
        {"text": "Mali", "label": "GPE", "entity_id": "mali"},
        {"text": "MINUSMA", "label": "MISSION", "entity_id": "minusma", "all": True},
        {"text": "Abdoulaye Diop", "label": "PERSON", "entity_id": "abdoulaye-diop"},
        {"text": "Diop", "label": "PERSON", "entity_id": "abdoulaye-diop", "all": True},
        {"text": "June 16", "label": "DATE", "normalized": {"iso": "2023-06-16"}},
        {"text": "About 170 peacekeepers", "label": "QUANTITY",
         "normalized": {"number": 170, "unit": "peacekeepers", "approximate": True}},
        {"text": "U.N.", "label": "ORG", "entity_id": "united-nations"},
        {"text": "$1.2 billion", "label": "MONEY", "normalized": {"number": 1.2e9, "currency": "USD"}},
    ],
    "claims": [
        {"text": "About 170 peacekeepers have died", "claimer": "united-nations", "cue": {"text": "says"},
         "claim_type": "quantity", "checkworthy": True,
         "quantity": {"number": 170, "unit": "peacekeepers", "approximate": True,
                      "property": "number of MINUSMA peacekeepers killed"},
         "cluster_id": "peacekeeper-deaths", "cluster_relation": "consistent",
         "cluster_value": {"type": "count", "number": 170, "unit": "persons", "bound": "approximate"},
         "cluster_scope": {"subject": None, "cause": None}},
        {"text": "the mission had failed", "claimer": "abdoulaye-diop", "cue": {"text": "said", "context": "Diop said"},
         "claim_type": "evaluation", "checkworthy": False},
    ],
    "stances": [
        {"holder": "abdoulaye-diop", "target": "minusma", "polarity": "AGAINST",
         "evidence": [{"text": "Diop said the mission had failed."}]},
    ],
}
if load_schema().has_cluster_values:  # schema 2.0.0: a cluster declares its value type, a member its value
    CLUSTERS[0].update(value_type="count", unit="persons", reference_scope={"subject": "minusma", "cause": "all_causes"})
    DRAFT["claims"][0].update(cluster_value={"type": "count", "number": 170, "unit": "persons", "bound": "approximate"},
                              cluster_scope={"subject": None, "cause": None})


@pytest.fixture
def annotation():
    return from_draft(DRAFT, TEXT, annotator="test", method="synthetic", created="2026-11-23")


def test_draft_places_every_quote(annotation):
    spans = [(m["exact"], m["label"]) for m in annotation["mentions"]]
    assert spans == [("Mali", "GPE"), ("MINUSMA", "MISSION"), ("June 16", "DATE"), ("Abdoulaye Diop", "PERSON"),
                     ("MINUSMA", "MISSION"), ("About 170 peacekeepers", "QUANTITY"), ("U.N.", "ORG"),
                     ("Diop", "PERSON"), ("$1.2 billion", "MONEY")]
    assert [m["id"] for m in annotation["mentions"]] == [f"m{i:03d}" for i in range(1, 10)]
    for m in annotation["mentions"]:
        assert TEXT[m["start"]:m["end"]] == m["exact"]
    assert annotation["claims"][1]["cue"]["exact"] == "said"
    assert schema_problems(annotation, "x") == []
    assert check(annotation, TEXT, KB, CLUSTERS, "x") == []


@pytest.mark.parametrize("bad, message", [
    ({"text": "MINUSMA", "label": "MISSION", "entity_id": "minusma"}, "occurs 2 times"),
    ({"text": "Wagner", "label": "ARMED_GROUP", "entity_id": "wagner"}, "occurs 0 times"),
    ({"text": "Diop", "label": "PERSON", "entity_id": "x", "context": "Diop"}, "context 'Diop' occurs 2 times"),
])
def test_draft_refuses_quotes_it_cannot_place(bad, message):
    with pytest.raises(DraftError, match=message):
        from_draft({**DRAFT, "mentions": [bad]}, TEXT, annotator="t", method="m")


@pytest.mark.parametrize("edit, expected", [
    (lambda a: a["mentions"][0].update(exact="Malu"), "annotation m001: exact 'Malu' differs from the text"),
    (lambda a: a["mentions"][0].update(entity_id="atlantis"), "annotation m001: entity_id 'atlantis' is not in the knowledge base"),
    (lambda a: a["mentions"][0].update(label="LOC"), "annotation m001: label LOC differs from entity mali's label GPE"),
    (lambda a: a["mentions"][2]["normalized"].update(iso="2023-02-30"), "annotation m003: normalized.iso '2023-02-30'"),
    (lambda a: a["claims"][0].update(claimer="nobody"), "annotation c001: claimer 'nobody'"),
    (lambda a: a["claims"][0].update(cluster_id="no-such"), "annotation c001: cluster_id 'no-such'"),
    (lambda a: a["claims"][1].update(claimer="UNNAMED"), "annotation c002: an UNNAMED claimer needs claimer_text"),
    (lambda a: a["stances"][0]["evidence"][0].update(start=0), "annotation s001.evidence[0]: exact"),
    (lambda a: a["mentions"][1].update(start=a["mentions"][0]["start"], end=a["mentions"][0]["end"] + 1,
                                       exact=TEXT[a["mentions"][0]["start"]:a["mentions"][0]["end"] + 1]),
     "annotation m002: overlaps mention m001"),
    (lambda a: a.update(text_sha256="0" * 64), "synthetic-doc: text_sha256 differs"),
])
def test_check_names_document_annotation_and_problem(annotation, edit, expected):
    edit(annotation)
    problems = [str(p) for p in check(annotation, TEXT, KB, CLUSTERS, "annotations/gold/synthetic-doc.json")]
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("annotations/gold/synthetic-doc.json: document synthetic-doc") for p in problems)


@pytest.mark.parametrize("edit, message", [
    (lambda a: a["mentions"][0].update(label="COUNTRY"), "mentions/0/label"),
    (lambda a: a["claims"][0].update(claim_type="rumour"), "claims/0/claim_type"),
    (lambda a: a["stances"][0].update(target="the_weather"), "stances/0/target"),
    (lambda a: a["provenance"].update(status="silver"), "provenance/status"),
    (lambda a: a["mentions"][0].pop("prefix"), "'prefix' is a required property"),
])
def test_json_schema_rejects_unknown_labels_and_fields(annotation, edit, message, tmp_path):
    edit(annotation)
    path = tmp_path / "synthetic-doc.json"
    path.write_text(json.dumps(annotation))
    with pytest.raises(AnnotationError, match=message):
        read_annotation_file(path)
    with pytest.raises(AnnotationError):
        write_annotation_file(tmp_path / "out.json", annotation)
    assert not (tmp_path / "out.json").exists()


def test_round_trip_and_one_annotation_per_line(annotation, tmp_path):
    path = tmp_path / "synthetic-doc.json"
    write_annotation_file(path, annotation)
    assert read_annotation_file(path) == annotation
    lines = path.read_text().splitlines()
    assert sum('"id": "m' in line for line in lines) == len(annotation["mentions"])


def test_versions(annotation, tmp_path, monkeypatch):
    with pytest.raises(SchemaVersionError, match="newer than this package"):
        migrate({**annotation, "schema_version": "9.0.0"}, "f.json")
    with pytest.raises(SchemaVersionError, match="unknown schema_version 0.1.0"):
        migrate({**annotation, "schema_version": "0.1.0"}, "f.json")
    with pytest.raises(SchemaVersionError, match="not a semantic version"):
        migrate({**annotation, "schema_version": "one"}, "f.json")
    # a registered migration is applied, step by step, up to the current version
    old = {k: v for k, v in annotation.items() if k != "document_stance"} | {"schema_version": "0.9.0"}
    monkeypatch.setitem(MIGRATIONS, "0.9.0", (load_schema().version, lambda d: {**d, "document_stance": None}))
    assert migrate(old, "f.json") == {**annotation, "document_stance": None}


def test_reanchor_moves_spans_and_refuses_lost_quotes(annotation):
    new_text = TEXT.replace("Mali asks MINUSMA to leave", "Mali asks the mission, MINUSMA, to leave")
    moved = reanchor(annotation, new_text)
    assert check(moved, new_text, KB, CLUSTERS, "x") == []
    assert moved["mentions"][1]["start"] == annotation["mentions"][1]["start"] + len("the mission, ")
    with pytest.raises(AnchorError, match="document synthetic-doc: annotation m001: quote 'Mali' is not in the text"):
        reanchor(annotation, new_text.replace("Mali", "Mail"))
    assert annotation["mentions"][1]["start"] == 10  # the original is untouched


def test_find_quote_uses_context_and_refuses_ambiguity():
    text = "MINUSMA left. Then MINUSMA returned. MINUSMA left."
    second = selector(text, 19, 26)
    assert find_quote(text, "MINUSMA", second["prefix"], second["suffix"]) == 19
    with pytest.raises(AnchorError, match="do not single one out"):
        find_quote(text, "MINUSMA", "", "")


@pytest.mark.parametrize("value, ok", [("2023-06-30", True), ("2023-07", True), ("2013", True),
                                       ("2023-07-01/2023-12-31", True), ("2023-12-31/2023-07-01", False),
                                       ("June 2023", False), ("2023-13", False)])
def test_parse_iso(value, ok):
    assert parse_iso(value) is ok


def test_generated_schema_files_are_up_to_date():
    for path, content in generated_files(ROOT / "schema").items():
        assert path.read_text(encoding="utf-8") == content, f"{path} is stale: run `minusma-corpus schema --write`"


def test_json_schema_is_valid_draft_2020_12():
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(json_schema())
    assert json_schema()["properties"]["mentions"]["items"]["properties"]["label"]["enum"] == list(load_schema().entity_labels)
