"""The Label Studio mapping under schema 2.0.0 (cluster values, scopes, justifications), without a server:
the generated config carries the member fields, and the round trip of migrated and filled gold is the
identity; and under schema 1.x (the last 1.x schema.yaml, a fixture from git history) none of that."""

import json
import xml.etree.ElementTree as ET

import pytest

from minusma_corpus import labelstudio as ls
from minusma_corpus.annotations.fileformat import migrate, read_annotation_file, read_json_list, schema_problems
from support.paths import ANNOTATIONS
from support.schema1 import as_1_1_0, clusters_1, schema_1
from test_labelstudio import documents, texts  # noqa: F401  (fixtures)
from test_schema_v2 import mission_size_gold, v2  # noqa: F401  (v2 is a fixture)

MEMBER = ("cluster_value", "cluster_scope", "relation_justification", "legacy_relation")


@pytest.fixture
def gold_v2(v2, tmp_path):
    """Migrated 2.0.0 gold: the mission-size members filled in, one of them with an overridden relation."""
    root = mission_size_gold(tmp_path / "annotations")
    sets = [read_annotation_file(p) for p in sorted((root / "gold").glob("*.json"))]
    members = [c for d in sets for c in d["claims"] if c["cluster_id"]]
    assert len(members) >= 5 and all(c["cluster_value"] for c in members)
    members[0]["relation_justification"] = "an override, with a reason — «quoted» and non-ASCII"
    return sets, read_json_list(root / "entities.json"), read_json_list(root / "claim_clusters.json")


def _task(documents, data, mode, schema=None):
    [task] = ls.export_tasks([documents[data["doc_id"]]], {data["doc_id"]: [data]}, mode, schema)
    task = json.loads(json.dumps(task))
    task["id"] = 7
    for i, a in enumerate(task[mode]):
        a["id"] = 70 + i
        a.setdefault("completed_by", {"id": 1, "email": "alice@example.org"})
    return task


def test_v2_config_has_the_member_fields(v2):
    root = ET.fromstring(ls.label_config())
    per_region = {el.get("name") for el in root.iter() if el.get("perRegion") == "true"}
    assert per_region == set(ls.all_fields(True)) and set(MEMBER) <= per_region
    choices = {el.get("name"): [c.get("value") for c in el] for el in root.iter("Choices")}
    assert choices["legacy_relation"] == list(v2.cluster_relations)
    assert "schema 2.0.0" in ls.label_config()


def test_v1_config_has_no_member_fields():
    """Under schema 1.x (the fixture from git history) the config has the claim's cluster fields of 1.x and
    none of the member fields 2.0.0 added."""
    config = ls.label_config(schema_1())
    per_region = {el.get("name") for el in ET.fromstring(config).iter() if el.get("perRegion") == "true"}
    assert not per_region & set(MEMBER) and {"cluster_id", "cluster_relation"} <= per_region
    assert per_region == set(ls.all_fields(False)) and "schema 1.1.0" in config
    assert set(MEMBER) <= {el.get("name") for el in ET.fromstring(ls.label_config()).iter()}  # schema.yaml's: 2.0.0


def test_v2_config_passes_the_sdk_validator(v2, gold_v2, documents):
    from label_studio_sdk.label_interface import LabelInterface

    sets, _, _ = gold_v2
    interface = LabelInterface(ls.label_config())
    assert interface.validate() is None
    for task in ls.export_tasks(documents.values(), {d["doc_id"]: [d] for d in sets}):
        for prediction in task["predictions"]:
            assert interface.validate_prediction(prediction, return_errors=True) == []


@pytest.mark.parametrize("mode", ["predictions", "annotations"])
def test_round_trip_identity_of_2_0_0_gold(v2, gold_v2, documents, texts, mode):
    sets, kb, clusters = gold_v2
    for data in sets:
        report = ls.import_tasks([_task(documents, data, mode)], texts, predictions=True, kb=kb, clusters=clusters)
        [got] = report.sets
        assert got.data == data
        assert json.dumps(got.data, ensure_ascii=False) == json.dumps(data, ensure_ascii=False)  # key order too


def test_round_trip_of_a_migrated_file_keeps_the_legacy_relation(v2, documents, texts):
    """A file straight out of the migration (members with legacy_relation, no value yet) survives a trip
    through Label Studio, so that the values can be filled in there."""
    path = sorted((ANNOTATIONS / "gold").glob("*.json"))[0]
    data = json.loads(path.read_text())
    if data["schema_version"] != "2.0.0":
        data = migrate(data, str(path), explicit=True)
    legacy = [c["legacy_relation"] for c in data["claims"] if c.get("legacy_relation")]
    [got] = ls.import_tasks([_task(documents, data, "annotations")], texts).sets
    assert got.data == data
    assert [c["legacy_relation"] for c in got.data["claims"] if c.get("legacy_relation")] == legacy


def _task_with_value(documents, sets, text: str) -> tuple[dict, dict]:
    """A task of a gold document whose first cluster member's cluster_value field says ``text``."""
    data = next(d for d in sets if any(c["cluster_id"] for c in d["claims"]))
    member = next(c for c in data["claims"] if c["cluster_id"])
    task = _task(documents, data, "annotations")
    [field] = [r for r in task["annotations"][0]["result"]
               if r.get("id") == member["id"] and r.get("from_name") == "cluster_value"]
    field["value"]["text"] = [text]
    return task, member


def test_a_value_edited_in_label_studio_is_imported_and_attributed(v2, gold_v2, documents, texts):
    task, member = _task_with_value(documents, gold_v2[0],
                                    '{"type": "count", "number": 12000, "unit": "persons", "bound": "upper"}')
    [got] = ls.import_tasks([task], texts).sets
    [claim] = [c for c in got.data["claims"] if c["id"] == member["id"]]
    assert claim["cluster_value"] == {"type": "count", "number": 12000, "unit": "persons", "bound": "upper"}
    assert got.data["provenance"]["annotator"] == "alice@example.org"  # changed content: the annotator's


@pytest.mark.parametrize("text, message", [
    ("about 15,000", "cluster_value: 'about 15,000' is not JSON"),
    ("[15000]", "cluster_value: '[15000]' is not a JSON object"),
    ("[" * 100_000 + "]" * 100_000, f"cluster_value: {'[' * 60!r} is JSON nested too deeply"),
    ('{"a": ' * 500 + "1" + "}" * 500, "is JSON nested too deeply (more than 100 levels"),
    ('{"type": "count", "number": "many", "unit": "persons", "bound": "exact"}', "cluster_value"),
])
def test_v2_error_bad_cluster_value(v2, gold_v2, documents, texts, text, message):
    task, member = _task_with_value(documents, gold_v2[0], text)
    with pytest.raises(ls.LabelStudioError) as e:
        ls.import_tasks([task], texts)
    assert message in str(e.value) and f"region {member['id']}" in str(e.value)


@pytest.fixture
def gold_1():
    """The gold as schema 1.1.0 files, valid under the 1.1.0 fixture schema (with the 1.x clusters)."""
    s1 = schema_1()
    sets = [as_1_1_0(read_annotation_file(p)) for p in sorted((ANNOTATIONS / "gold").glob("*.json"))]
    kb, clusters = read_json_list(ANNOTATIONS / "entities.json"), clusters_1(read_json_list(ANNOTATIONS / "claim_clusters.json"))
    for data in sets:
        assert not schema_problems(data, data["doc_id"], s1)
    assert schema_problems(sets[0], "x")  # not a valid file of schema.yaml's 2.0.0
    return s1, sets, kb, clusters


def test_round_trip_identity_of_1_1_0_gold_under_schema_1(gold_1, documents, texts):
    s1, sets, kb, clusters = gold_1
    for data in sets:
        task = _task(documents, data, "annotations", s1)
        assert task["data"]["schema_version"] == "1.1.0"
        assert not {r.get("from_name") for r in task["annotations"][0]["result"]} & set(MEMBER)
        [got] = ls.import_tasks([task], texts, kb=kb, clusters=clusters, schema=s1).sets
        assert {**got.data, "provenance": data["provenance"]} == data
    with pytest.raises(ls.LabelStudioError, match="schema version mismatch"):  # a 1.1.0 task under 2.0.0
        ls.import_tasks([_task(documents, sets[0], "annotations", s1)], texts)


def test_member_fields_are_refused_under_schema_1(gold_1, documents, texts):
    s1, sets, kb, clusters = gold_1
    data = sets[0]
    task = _task(documents, data, "annotations", s1)
    claim = data["claims"][0]
    task["annotations"][0]["result"].append(
        {"id": claim["id"], "from_name": "cluster_value", "to_name": "text", "type": "textarea",
         "value": {"start": claim["start"], "end": claim["end"], "text": ['{"type": "count"}']}})
    with pytest.raises(ls.LabelStudioError) as e:
        ls.import_tasks([task], texts, kb=kb, clusters=clusters, schema=s1)
    assert "cluster_value is a field of schema 2.0.0" in str(e.value) and f"region {claim['id']}" in str(e.value)


def test_round_trip_identity_of_the_unicode_document_at_2_0_0(v2, kb):
    """The unicode fixture migrated and filled (unicode_document_v2.json): a justification with emoji, quotes,
    a backslash and \\r\\n, values of three types, through a JSON round trip of the tasks."""
    from minusma_corpus.annotations.fileformat import check
    from test_labelstudio import unicode_fixture

    doc, data, clusters = unicode_fixture()
    assert data["schema_version"] == "2.0.0"
    assert {c["cluster_value"]["type"] for c in data["claims"] if c["cluster_id"]} == {"date", "count", "category"}
    assert not check(data, doc.text, kb[0], clusters, "fixture")
    for mode in ("predictions", "annotations"):
        [task] = ls.export_tasks([doc], {doc.doc_id: [data]}, mode)
        [got] = ls.import_tasks([json.loads(json.dumps(task))], {doc.doc_id: doc.text}, predictions=True,
                                kb=kb[0], clusters=clusters).sets
        assert json.dumps(got.data, ensure_ascii=False) == json.dumps(data, ensure_ascii=False)
