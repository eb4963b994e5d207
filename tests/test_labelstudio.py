"""Label Studio mapping without a server: the labeling config, export, import, every malformed-export
error, agreement and adjudication, and the file-based CLI commands. (The same round trips through a real
Label Studio server are in test_labelstudio_server.py.)"""

import copy
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from support.paths import ANNOTATIONS, MANIFEST, RAW
from minusma_corpus import labelstudio as ls
from minusma_corpus.annotations.fileformat import check, read_annotation_file, read_json_list
from minusma_corpus.annotations.schema import load_schema

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "labelstudio"
GOLD_FILES = sorted((ANNOTATIONS / "gold").glob("*.json"))
PASS_FILES = sorted((ANNOTATIONS / "passes").glob("*/*.json"))


@pytest.fixture(scope="module")
def documents(processed):
    return {k: d.document() for k, d in processed.items()}


@pytest.fixture(scope="module")
def texts(documents):
    return {k: d.text for k, d in documents.items()}


@pytest.fixture(scope="module")
def unicode_doc():
    """A synthetic document with flags, emoji (with skin tones and ZWJ), mathematical letters outside the
    BMP, combining accents and \\r\\n, annotated with every kind of attribute (under schema 2.0.0 also
    cluster values and scopes: ``unicode_fixture``)."""
    doc, data, _clusters = unicode_fixture()
    return doc, data


def unicode_fixture():
    """The unicode document, its annotation set and the clusters it refers to, at the schema's version."""
    raw = json.loads((FIXTURES / "unicode_document.json").read_text(encoding="utf-8"))
    doc = ls.Document(raw["doc_id"], raw["text"], **raw["meta"])
    clusters = read_json_list(ANNOTATIONS / "claim_clusters.json")
    if not load_schema().has_cluster_values:
        return doc, raw["annotations"], clusters
    from minusma_corpus.annotations.fileformat import migrate

    v2 = json.loads((FIXTURES / "unicode_document_v2.json").read_text(encoding="utf-8"))
    data = migrate(raw["annotations"], "unicode_document.json", explicit=True)
    for c in data["claims"]:
        if c["id"] in v2["members"]:
            c.update(v2["members"][c["id"]], legacy_relation=None)
    return doc, data, v2["clusters"]


def one_task(documents, data, mode="annotations", **changes):
    [task] = ls.export_tasks([documents[data["doc_id"]]], {data["doc_id"]: [data]}, mode)
    task = json.loads(json.dumps(task))
    task.update({"id": 7, **changes})
    for i, a in enumerate(task.get(mode, [])):
        a.setdefault("id", 70 + i)
        if mode == "annotations":
            a.setdefault("completed_by", {"id": 1, "email": "alice@example.org"})
    return task


def import_error(tasks, texts, **kw) -> str:
    with pytest.raises(ls.LabelStudioError) as e:
        ls.import_tasks(tasks, texts, **kw)
    return str(e.value)


# --------------------------------------------------------------------------------------------
# Labeling config
# --------------------------------------------------------------------------------------------


def test_config_is_generated_from_the_schema():
    s = load_schema()
    root = ET.fromstring(ls.label_config())
    labels = {el.get("name"): [c.get("value") for c in el] for el in root.iter("Labels")}
    assert labels == {"mention": list(s.entity_labels), "claim": ["CLAIM"], "cue": ["CUE"], "evidence": ["EVIDENCE"]}
    choices = {el.get("name"): [c.get("value") for c in el] for el in root.iter("Choices")}
    assert choices["claim_type"] == list(s.claim_types)
    assert choices["cluster_relation"] == list(s.cluster_relations)
    assert choices["stance_target"] == list(s.stance_targets)
    assert choices["polarity"] == choices["document_stance"] == list(s.stance_polarities)
    assert [r.get("value") for r in root.iter("Relation")] == ["claimer", "cue", "evidence"]
    per_region = {el.get("name") for el in root.iter() if el.get("perRegion") == "true"}
    assert per_region == set(ls.all_fields(s.has_cluster_values))  # every per-region field the import reads, no other
    assert {el.get("name") for el in root.iter("Text")} == {"text"}
    assert "disagreements" in ls.label_config(adjudication=True)
    assert ls.label_config() == ls.label_config()  # deterministic


def test_config_and_export_pass_the_sdk_validator(documents, gold):
    from label_studio_sdk.label_interface import LabelInterface

    interface = LabelInterface(ls.label_config())
    assert interface.validate() is None
    tasks = ls.export_tasks(documents.values(), {k: [v] for k, v in gold.items()})
    for task in tasks:
        for prediction in task["predictions"]:
            assert interface.validate_prediction(prediction, return_errors=True) == []


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def test_export_one_task_per_document(documents, gold):
    tasks = ls.export_tasks(documents.values(), {k: [v] for k, v in gold.items()}, "predictions")
    assert [t["data"]["doc_id"] for t in tasks] == list(documents)
    for t in tasks:
        d = t["data"]
        assert d["text"] == documents[d["doc_id"]].text and d["schema_version"] == load_schema().version
        assert {"title", "outlet", "date", "url", "language", "text_sha256"} <= set(d)
        [p] = t["predictions"]
        provenance = gold[d["doc_id"]]["provenance"]
        assert p["model_version"] == f"{provenance['status']}: {provenance['annotator']}"
        assert "annotations" not in t
        assert d["minusma"]["exported"] == [{"content_sha256": ls.content_sha256(gold[d["doc_id"]]),
                                             "provenance": provenance}]
    review = ls.export_tasks(documents.values(), {k: [v] for k, v in gold.items()}, "annotations")
    assert all("predictions" not in t and len(t["annotations"]) == 1 for t in review)
    assert [t["annotations"][0]["result"] for t in review] == [t["predictions"][0]["result"] for t in tasks]
    bare = ls.export_tasks(documents.values())
    assert all(set(t) == {"data"} for t in bare)


def test_export_region_ids_are_our_ids(documents, gold):
    data = gold["reuters-undated-vote-to-end-mission"]
    result = ls.to_result(data, documents[data["doc_id"]].text)
    ids = {r["id"] for r in result if "id" in r}
    assert {m["id"] for m in data["mentions"]} <= ids and {c["id"] for c in data["claims"]} <= ids
    assert {f"{s['id']}.evidence[{i}]" for s in data["stances"] for i in range(len(s["evidence"]))} <= ids
    assert {f"{c['id']}.cue" for c in data["claims"] if c["cue"]} <= ids
    claimers = [r for r in result if r.get("labels") == ["claimer"]]
    assert claimers, "claims by an entity are linked to a mention of it"
    for r in claimers:
        claim = next(c for c in data["claims"] if c["id"] == r["from_id"])
        mention = next(m for m in data["mentions"] if m["id"] == r["to_id"])
        assert mention["entity_id"] == claim["claimer"]


def test_export_refuses_stale_or_misplaced_annotations(documents, gold):
    data = copy.deepcopy(gold["reuters-undated-vote-to-end-mission"])
    data["mentions"][0]["start"] += 1
    with pytest.raises(ls.LabelStudioError, match=r"annotation m001: span 1-5 'DAKAR' is not the text"):
        ls.export_tasks([documents[data["doc_id"]]], {data["doc_id"]: [data]})
    data = {**gold["reuters-undated-vote-to-end-mission"], "text_sha256": "0" * 64}
    with pytest.raises(ls.LabelStudioError, match="made on another text"):
        ls.export_tasks([documents[data["doc_id"]]], {data["doc_id"]: [data]})
    with pytest.raises(ls.LabelStudioError, match="document nowhere: annotation set for a document that is not"):
        ls.export_tasks([documents[data["doc_id"]]], {"nowhere": [data]})
    with pytest.raises(ValueError, match="mode"):
        ls.export_tasks([], {}, "both")


# --------------------------------------------------------------------------------------------
# Round trip (file): export -> import is the identity
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["predictions", "annotations"])
def test_round_trip_identity_of_gold_and_passes(documents, texts, kb, mode):
    sets = [read_annotation_file(p) for p in GOLD_FILES + PASS_FILES]
    for data in sets:
        task = one_task(documents, data, mode)
        report = ls.import_tasks([task], texts, predictions=True, kb=kb[0], clusters=kb[1])
        [got] = report.sets
        assert got.data == data
        assert json.dumps(got.data, ensure_ascii=False) == json.dumps(data, ensure_ascii=False)  # key order too


def test_round_trip_identity_of_the_unicode_document(unicode_doc, kb):
    doc, data = unicode_doc
    assert "\r\n" in doc.text and "\u0301" in doc.text and any(ord(c) > 0xFFFF for c in doc.text)
    assert not check(data, doc.text, kb[0], unicode_fixture()[2], "fixture")
    for mode in ("predictions", "annotations"):
        [task] = ls.export_tasks([doc], {doc.doc_id: [data]}, mode)
        for item in task[mode]:
            for r in item["result"]:
                if r.get("type") == "labels":  # the quote Label Studio shows is the code-point slice
                    assert r["value"]["text"] == doc.text[r["value"]["start"]:r["value"]["end"]]
        [got] = ls.import_tasks([json.loads(json.dumps(task))], {doc.doc_id: doc.text}, predictions=True).sets
        assert got.data == data
        assert isinstance(got.data["claims"][2]["quantity"]["number"], float)  # 13000.0 stays a float


# --------------------------------------------------------------------------------------------
# Import: annotators, provenance, what is skipped, ids of regions drawn in Label Studio
# --------------------------------------------------------------------------------------------


def test_several_annotators_are_kept_apart(documents, texts, gold, tmp_path):
    data = gold["reuters-undated-vote-to-end-mission"]
    task = one_task(documents, data)
    changed = copy.deepcopy(task["annotations"][0])
    choice = next(r for r in changed["result"] if r["from_name"] == "document_stance")
    choice["value"]["choices"] = ["NONE"]
    changed.update({"id": 81, "completed_by": {"id": 2, "email": "bob@example.org"},
                    "updated_at": "2026-12-01T10:00:00Z"})
    task["annotations"].append(changed)
    report = ls.import_tasks([task], texts)
    alice, bob = report.sets
    assert alice.data == data  # unchanged: keeps the provenance it was exported with
    assert bob.data["document_stance"]["polarity"] == "NONE"
    assert bob.data["provenance"] == {"annotator": "bob@example.org",
                                      "method": "annotation in Label Studio (task 7, annotation 81)",
                                      "tool": "Label Studio (minusma-corpus ls import)", "created": "2026-12-01",
                                      "status": "pass"}
    files = ls.arrange(report)
    assert sorted(map(str, files)) == [f"alice-example-org/{data['doc_id']}.json", f"bob-example-org/{data['doc_id']}.json"]
    with pytest.raises(ls.LabelStudioError, match="annotation 81 \\(bob@example.org\\): more than one annotation set"):
        ls.arrange(report, "flat")
    written = ls.write_sets(files, tmp_path)
    assert [read_annotation_file(p) for p in written] == [alice.data, bob.data]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["alice-example-org", "bob-example-org"]  # no staging left


def test_cancelled_drafts_and_empty_tasks_are_reported(documents, texts, gold):
    data = gold["reuters-undated-vote-to-end-mission"]
    task = one_task(documents, data)
    task["annotations"][0]["was_cancelled"] = True
    task["drafts"] = [{"id": 5, "user": "carol@example.org", "result": []}]
    empty = {"id": 8, "data": {**task["data"]}, "annotations": [], "predictions": []}
    report = ls.import_tasks([task, empty], texts)
    assert report.sets == []
    assert report.skipped == [
        f"task 7 (document {data['doc_id']}): draft 5 by carol@example.org (not submitted)",
        f"task 7 (document {data['doc_id']}): annotation 70 (alice@example.org) was cancelled (skipped)",
        f"task 7 (document {data['doc_id']}): no submitted annotation",
        f"task 8 (document {data['doc_id']}): no submitted annotation",
    ]
    assert "skipped: task 8" in report.summary()


def test_predictions_are_imported_only_on_request(documents, texts, gold):
    data = gold["reuters-undated-vote-to-end-mission"]
    task = one_task(documents, data, "predictions")
    assert ls.import_tasks([task], texts).sets == []
    [p] = ls.import_tasks([task], texts, predictions=True).sets
    assert p.source == "prediction" and p.data == data and p.slug.startswith("prediction-gold")
    task["predictions"][0]["result"] = [r for r in task["predictions"][0]["result"] if r.get("id") != "m001"]
    [p] = ls.import_tasks([task], texts, predictions=True).sets  # changed: attributed to the model version
    assert p.data["provenance"]["status"] == "predicted" and p.data["provenance"]["annotator"].startswith("gold: ")


def _region(rid, control, label, start, end, text):
    return {"id": rid, "from_name": control, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}


def _field(rid, name, start, end, **value):
    kind = "choices" if "choices" in value else "textarea"
    return {"id": rid, "from_name": name, "to_name": "text", "type": kind, "value": {"start": start, "end": end, **value}}


def test_regions_drawn_in_label_studio_get_stable_ids(documents, texts):
    doc = documents["reuters-undated-vote-to-end-mission"]
    t = doc.text
    claim = (18, 118)
    result = [
        _region("m001", "mention", "GPE", 0, 5, t), _field("m001", "entity_id", 0, 5, text=["dakar"]),
        _region("Xk3Fq9ZaLm", "mention", "ORG", 22, 43, t),
        _field("Xk3Fq9ZaLm", "entity_id", 22, 43, text=["un-security-council"]),
        _region("p0Q1w2E3r4", "mention", "DATE", 62, 68, t),
        _field("p0Q1w2E3r4", "norm_approximate", 62, 68, choices=["no"]),
        _region("AbCdEfGhIj", "claim", "CLAIM", *claim, t),
        _field("AbCdEfGhIj", "claim_type", *claim, choices=["prediction"]),
        _field("AbCdEfGhIj", "checkworthy", *claim, choices=["yes"]),
        _region("ev1", "evidence", "EVIDENCE", 125, 216, t),
        _region("ev0", "evidence", "EVIDENCE", 1227, 1326, t),
        _field("ev0", "holder", 1227, 1326, text=["AUTHOR"]),
        _field("ev0", "stance_target", 1227, 1326, choices=["malian_transitional_authorities"]),
        _field("ev0", "polarity", 1227, 1326, choices=["AGAINST"]),
        # no relation labels, and drawn in either direction: recognised by what they join
        {"from_id": "Xk3Fq9ZaLm", "to_id": "AbCdEfGhIj", "type": "relation", "direction": "left", "labels": []},
        {"from_id": "ev1", "to_id": "ev0", "type": "relation", "direction": "right"},
    ]
    task = {"id": 3, "data": {"text": t, "doc_id": doc.doc_id, "schema_version": load_schema().version},
            "annotations": [{"id": 9, "completed_by": {"email": "dan@example.org"}, "result": result}]}
    [s] = ls.import_tasks([task], texts).sets
    assert [m["id"] for m in s.data["mentions"]] == ["m001", "m002", "m003"]
    assert s.data["mentions"][2]["normalized"] == {"iso": None, "number": None, "unit": None, "currency": None,
                                                   "approximate": False}
    [c] = s.data["claims"]
    assert (c["id"], c["claimer"], c["cue"], c["quantity"]) == ("c001", "un-security-council", None, None)
    [st] = s.data["stances"]
    assert st["id"] == "s001" and [e["start"] for e in st["evidence"]] == [1227, 125]
    assert st["evidence"][1]["prefix"] == t[125 - 32:125]  # quote selectors recomputed from the text


# --------------------------------------------------------------------------------------------
# Malformed exports: one test per case, each with its message; nothing is written
# --------------------------------------------------------------------------------------------

DOC = "reuters-undated-vote-to-end-mission"


@pytest.fixture()
def task(documents, gold):
    return one_task(documents, gold[DOC])


def _result(task):
    return task["annotations"][0]["result"]


def _find(task, rid, control):
    return next(r for r in _result(task) if r.get("id") == rid and r.get("from_name") == control)


WHERE = f"task 7 (document {DOC}), annotation 70 (alice@example.org)"


def test_error_unknown_label(task, texts):
    _find(task, "m001", "mention")["value"]["labels"] = ["CITY"]
    assert import_error([task], texts) == (
        f"{WHERE}, region m001: unknown label 'CITY' in 'mention' (schema {load_schema().version} labels: PERSON, ORG, GPE, LOC, NORP, "
        "EVENT, LAW, MISSION, ARMED_GROUP, DATE, MONEY, QUANTITY)\n"
        f"{WHERE}, region m001: entity_id: a per-region field of a region that has no label")


def test_error_span_text_differs_from_the_text_at_its_offsets(task, texts):
    _find(task, "m003", "mention")["value"].update({"start": 23, "end": 44})  # shifted by one code point
    message = import_error([task], texts)
    assert message.startswith(f"{WHERE}, region m003: region text 'U.N. Security Council' differs from the text at "
                              "23-44: '.N. Security Council '")


def test_error_span_outside_the_text(task, texts):
    _find(task, "m001", "mention")["value"].update({"start": 10**6, "end": 10**6 + 5})
    assert f"{WHERE}, region m001: span 1000000-1000005 is outside the text" in import_error([task], texts)


def test_error_unknown_task(task, texts):
    task["data"]["doc_id"] = "not-in-the-corpus"
    assert import_error([task], texts) == (
        "task 7 (document not-in-the-corpus): unknown task: document 'not-in-the-corpus' is not in the corpus")


def test_error_schema_version_mismatch(task, texts):
    task["data"]["schema_version"] = "0.9.0"
    assert import_error([task], texts) == (
        f"task 7 (document {DOC}): schema version mismatch: the task was exported with schema '0.9.0', this package "
        f"has {load_schema().version} (re-export the tasks, or migrate)")


def test_error_task_text_differs_from_the_corpus(task, texts):
    task["data"]["text"] = task["data"]["text"].replace("\n", "\r\n")
    assert "the task's text differs from the document's cleaned text" in import_error([task], texts)


def test_error_unknown_control(task, texts):
    _result(task).append({"id": "m001", "from_name": "sentiment", "to_name": "text", "type": "choices",
                          "value": {"choices": ["x"]}})
    assert import_error([task], texts) == (
        f"{WHERE}, region m001: unknown control 'sentiment' (not in the labeling config of schema {load_schema().version})")


def test_error_unknown_choice(task, texts):
    _find(task, "c001", "claim_type")["value"]["choices"] = ["rumour"]
    message = import_error([task], texts)
    assert message.startswith(f"{WHERE}, region c001: claim_type: unknown choice 'rumour' (schema choices: event, "
                              "quantity, causal, prediction, evaluation)")
    assert f"{WHERE}, region c001: claim without claim_type" in message


def test_error_not_a_number(task, texts):
    _find(task, "m005", "norm_number")["value"]["text"] = ["ten"]
    assert import_error([task], texts) == (
        f"{WHERE}, region m005: norm_number: 'ten' is not a number (write it as JSON: 13000, 1.2)")


def test_error_claim_without_claimer_type_and_checkworthiness(task, texts):
    task["annotations"][0]["result"] = [r for r in _result(task) if not (
        r.get("id") == "c001" and r.get("from_name") in ("claimer", "claim_type", "checkworthy"))]
    assert import_error([task], texts).splitlines() == [
        f"{WHERE}, region c001: claim without claim_type", f"{WHERE}, region c001: claim without checkworthy",
        f"{WHERE}, region c001: claim without claimer (an entity id, AUTHOR or UNNAMED, or a claimer relation to a "
        "mention)"]


def test_error_claimer_contradicts_its_relation(task, texts, gold):
    claim = next(c for c in gold[DOC]["claims"] if c["claimer"] not in ("AUTHOR", "UNNAMED"))
    _find(task, claim["id"], "claimer")["value"]["text"] = ["AUTHOR"]
    assert f"region {claim['id']}: claimer 'AUTHOR' differs from the entity '{claim['claimer']}'" in import_error(
        [task], texts)


def test_error_dangling_relation(task, texts):
    _result(task).append({"from_id": "c001", "to_id": "gone", "type": "relation", "direction": "right",
                          "labels": ["cue"]})
    assert import_error([task], texts) == (
        f"{WHERE}, region relation c001 -> gone: relation to a region that is not in the annotation")


def test_error_relation_with_the_wrong_label(task, texts):
    rel = next(r for r in _result(task) if r.get("labels") == ["cue"])
    rel["labels"] = ["claimer"]
    assert "relation labelled ['claimer'] joins a claim and a cue region: it must be 'cue'" in import_error(
        [task], texts)


def test_error_cue_without_claim(task, texts):
    rel = next(r for r in _result(task) if r.get("labels") == ["cue"])
    _result(task).remove(rel)
    assert import_error([task], texts) == (
        f"{WHERE}, region {rel['to_id']}: cue region not linked to a claim by a 'cue' relation")


def test_error_evidence_without_stance(task, texts):
    rel = next(r for r in _result(task) if r.get("labels") == ["evidence"])
    _result(task).remove(rel)
    assert import_error([task], texts) == (
        f"{WHERE}, region {rel['to_id']}: evidence region belongs to no stance: give it holder, stance_target and "
        "polarity, or link it from its stance's first evidence region by an 'evidence' relation")


def test_error_two_labels_on_one_region(task, texts):
    _result(task).append(_region("m001", "claim", "CLAIM", 0, 5, task["data"]["text"]))
    assert import_error([task], texts) == f"{WHERE}, region m001: region has two labels (mention GPE and claim CLAIM)"


def test_error_predictions_exported_as_ids(documents, gold, texts):
    task = one_task(documents, gold[DOC], "predictions")
    task["predictions"] = [12]
    assert import_error([task], texts, predictions=True) == (
        f"task 7 (document {DOC}): prediction 12 is an id, not an object: export with full predictions (`ls pull` "
        "does; in the UI: export snapshot with predictions)")


def test_error_knowledge_base_check(task, texts, kb):
    _find(task, "m001", "entity_id")["value"]["text"] = ["atlantis"]
    assert import_error([task], texts, kb=kb[0], clusters=kb[1]) == (
        f"{WHERE}, region m001: entity_id 'atlantis' is not in the knowledge base")


def test_error_all_problems_of_all_tasks_together(documents, gold, texts):
    a = one_task(documents, gold[DOC])
    b = one_task(documents, gold["dw-2023-07-04-foreseeable-disaster"], id=8)
    _find(a, "m001", "mention")["value"]["labels"] = ["CITY"]
    b["data"]["schema_version"] = "0.9.0"
    lines = import_error([a, b], texts).splitlines()
    assert lines[0].startswith("task 7 ") and lines[-1].startswith("task 8 ")


def test_error_nothing_written(documents, gold, texts, tmp_path):
    """The CLI: one bad task among good ones writes no file at all."""
    from minusma_corpus.cli import main

    good = one_task(documents, gold["dw-2023-07-04-foreseeable-disaster"], id=1)
    bad = one_task(documents, gold[DOC])
    _find(bad, "m003", "mention")["value"]["text"] = "UN Security Council"
    export = tmp_path / "export.json"
    export.write_text(json.dumps([good, bad]), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["ls", "import", str(export), "--out", str(out), *_corpus_args()]) == 1
    assert not out.exists()


def _corpus_args():
    return ["--raw", str(RAW), "--manifest", str(MANIFEST), "--annotations", str(ANNOTATIONS)]


# --------------------------------------------------------------------------------------------
# Agreement and adjudication
# --------------------------------------------------------------------------------------------


def _two_annotator_export(documents):
    """Passes A and B of the two doubly annotated documents as two annotators of one task each."""
    tasks = []
    for i, doc_id in enumerate(sorted(p.stem for p in (ANNOTATIONS / "passes" / "b").glob("*.json"))):
        a = read_annotation_file(ANNOTATIONS / "passes" / "a" / f"{doc_id}.json")
        b = read_annotation_file(ANNOTATIONS / "passes" / "b" / f"{doc_id}.json")
        [task] = ls.export_tasks([documents[doc_id]], {doc_id: [a, b]}, "annotations")
        task["id"] = i + 1
        for n, (annotation, who) in enumerate(zip(task["annotations"], ("pass-a@example.org", "pass-b@example.org"))):
            annotation.update({"id": 10 * (i + 1) + n, "completed_by": {"email": who}})
        task["data"]["minusma"]["exported"] = []  # as if made in Label Studio: attributed to the annotators
        tasks.append(json.loads(json.dumps(task)))
    return tasks


def test_agreement_of_annotators_is_the_gold_agreement(documents, texts):
    from minusma_corpus.annotations.agreement import agreement

    report = ls.import_tasks(_two_annotator_export(documents), texts)
    sets = ls.by_annotator(report)
    assert sorted(sets) == ["pass-a@example.org", "pass-b@example.org"]
    table = ls.agreement_report(report)
    expected = agreement(sets["pass-a@example.org"], sets["pass-b@example.org"]).table()
    assert expected in table and "A = pass-a@example.org, B = pass-b@example.org: 2 documents" in table
    a_files = {p.stem: read_annotation_file(p) for p in (ANNOTATIONS / "passes" / "a").glob("*.json")}
    b_files = {p.stem: read_annotation_file(p) for p in (ANNOTATIONS / "passes" / "b").glob("*.json")}
    assert expected == agreement(a_files, b_files).table()  # the same figures as `minusma-corpus agreement`


def test_adjudication_tasks_and_their_import_as_gold(documents, texts, kb, tmp_path):
    from minusma_corpus.annotations.agreement import disagreements

    report = ls.import_tasks(_two_annotator_export(documents), texts)
    review = json.loads(json.dumps(ls.adjudication_tasks(report, documents)))
    assert len(review) == 2
    for task in review:
        doc_id = task["data"]["doc_id"]
        a, b = (s.data for s in report.sets if s.doc_id == doc_id)
        assert task["data"]["disagreements"].splitlines() == [
            f"A = pass-a@example.org, B = pass-b@example.org: {d}" for d in disagreements(a, b)]
        assert [p["model_version"] for p in task["predictions"]] == ["pass-a@example.org", "pass-b@example.org"]
        # the reviewer starts from pass A's prediction and submits it
        task["id"] = 100
        task["annotations"] = [{"id": 5, "completed_by": {"email": "lead@example.org"}, "updated_at": "2026-12-02T00:00:00Z",
                                "result": task["predictions"][0]["result"]}]
    adjudicated = ls.import_tasks(review, texts, kb=kb[0], clusters=kb[1])
    files = ls.arrange(adjudicated, "flat")
    assert sorted(map(str, files)) == sorted(f"{t['data']['doc_id']}.json" for t in review)
    for data in files.values():
        assert data["provenance"] == {
            "annotator": "lead@example.org", "status": "gold", "created": "2026-12-02",
            "method": "adjudication in Label Studio of the annotation sets of pass-a@example.org, pass-b@example.org",
            "tool": "Label Studio (minusma-corpus ls import)"}
        passes_a = read_annotation_file(ANNOTATIONS / "passes" / "a" / f"{data['doc_id']}.json")
        assert {k: v for k, v in data.items() if k != "provenance"} == {
            k: v for k, v in passes_a.items() if k != "provenance"}
    ls.write_sets(files, tmp_path / "gold")
    assert len(list((tmp_path / "gold").glob("*.json"))) == 2


# --------------------------------------------------------------------------------------------
# CLI (file-based commands: no server)
# --------------------------------------------------------------------------------------------


def test_cli_config_export_import(tmp_path, capsys, gold):
    from minusma_corpus.cli import main

    assert main(["ls", "config", "--out", str(tmp_path / "config.xml")]) == 0
    assert (tmp_path / "config.xml").read_text() == ls.label_config() + "\n"
    tasks_file = tmp_path / "tasks.json"
    assert main(["ls", "export", "--out", str(tasks_file), "--as", "annotations", *_corpus_args()]) == 0
    tasks = json.loads(tasks_file.read_text())
    assert len(tasks) == 5 and all(len(t["annotations"]) == 1 for t in tasks)
    for n, t in enumerate(tasks):
        t["id"] = n + 1
        t["annotations"][0].update({"id": n + 1, "completed_by": {"email": "alice@example.org"}})
    tasks_file.write_text(json.dumps(tasks))
    capsys.readouterr()
    assert main(["ls", "import", str(tasks_file), "--out", str(tmp_path / "out"), "--dry-run", *_corpus_args()]) == 0
    assert "would write" in capsys.readouterr().out and not (tmp_path / "out").exists()
    assert main(["ls", "import", str(tasks_file), "--out", str(tmp_path / "out"), "--flat", *_corpus_args()]) == 0
    for p in GOLD_FILES:  # unchanged content: the gold files come back byte for byte
        assert (tmp_path / "out" / p.name).read_bytes() == p.read_bytes()


def test_cli_export_selected_documents_and_sources(tmp_path):
    from minusma_corpus.cli import main

    out = tmp_path / "t.json"
    args = ["ls", "export", DOC, "--from", str(ANNOTATIONS / "passes" / "a"), "--from", str(ANNOTATIONS / "passes" / "b"),
            "--out", str(out), *_corpus_args()]
    assert main(args) == 0
    [task] = json.loads(out.read_text())
    assert len(task["predictions"]) == 2
    assert main(["ls", "export", "no-such-doc", "--out", str(out), *_corpus_args()]) == 1


def test_cli_is_discoverable(capsys):
    import argparse

    from minusma_corpus.cli.labelstudio import add_parsers

    p = argparse.ArgumentParser(prog="minusma-corpus")
    add_parsers(p.add_subparsers(dest="command"))
    with pytest.raises(SystemExit):
        p.parse_args(["ls", "--help"])
    out = capsys.readouterr().out
    for command in ("config", "export", "import", "push", "pull", "adjudicate"):
        assert re.search(rf"^\s+{command}\s", out, re.M), command


def test_server_commands_need_the_api_key_from_the_environment(monkeypatch, capsys):
    from minusma_corpus.cli import main

    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    assert main(["ls", "pull", "--out", "x", "--url", "http://127.0.0.1:9"]) == 1
    assert "no API key: set LABEL_STUDIO_API_KEY" in capsys.readouterr().err


def test_bound_address_is_read_from_the_server_log():
    from minusma_corpus.labelstudio.server import bound_address

    assert bound_address("...\nStarting development server at http://127.0.0.1:8081/\nQuit") == ("127.0.0.1", 8081)
    assert bound_address("Initializing database..") is None


# --------------------------------------------------------------------------------------------
# Ids from the export never become paths of their own; writing is all or nothing
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", ["../../../../../../../../outside", "/tmp/abs", "..", "a/b", ".hidden"])
def test_cli_refuses_an_annotation_id_that_would_leave_the_output_directory(documents, gold, tmp_path, capsys,
                                                                           hostile):
    from minusma_corpus.cli import main

    task = one_task(documents, gold[DOC], id=1)
    twin = copy.deepcopy(task["annotations"][0])
    twin["id"] = hostile  # a second set by the same annotator: its file name is built from its id
    task["annotations"].append(twin)
    export = tmp_path / "deep" / "er" / "export.json"
    export.parent.mkdir(parents=True)
    export.write_text(json.dumps([task]), encoding="utf-8")
    out = tmp_path / "deep" / "er" / "out"
    before = sorted(p for p in tmp_path.rglob("*"))
    assert main(["ls", "import", str(export), "--out", str(out), *_corpus_args()]) == 1
    err = capsys.readouterr().err
    assert "cannot be used in a file name" in err and "task 1" in err and "Traceback" not in err
    assert sorted(p for p in tmp_path.rglob("*")) == before  # nothing written, inside or outside --out


def test_write_sets_refuses_paths_outside_and_writes_nothing(tmp_path, gold):
    from minusma_corpus.safepath import UnsafePathError

    data = gold[DOC]
    out = tmp_path / "out"
    with pytest.raises(UnsafePathError, match="not a relative path inside"):
        ls.write_sets({Path("a") / "ok.json": data, Path("../escape.json"): data}, out)
    assert not out.exists() and not (tmp_path / "escape.json").exists()


def test_write_sets_is_all_or_nothing_when_a_move_fails(tmp_path, gold):
    data = gold[DOC]
    out = tmp_path / "out"
    (out / "alice").mkdir(parents=True)
    previous = out / "alice" / f"{DOC}.json"
    previous.write_text("previous version\n", encoding="utf-8")
    (out / "bob").write_text("a file where a directory is needed\n", encoding="utf-8")
    with pytest.raises(OSError):
        ls.write_sets({Path("alice") / f"{DOC}.json": data, Path("bob") / f"{DOC}.json": data}, out)
    assert previous.read_text(encoding="utf-8") == "previous version\n"  # restored
    assert sorted(p.name for p in out.rglob("*")) == sorted(["alice", f"{DOC}.json", "bob"])
