"""The gold annotations: complete, valid, and released as typed configs."""

import json
import shutil
import subprocess
import sys

import pytest

from support.paths import ANNOTATIONS, MANIFEST, RAW, RELEASE, ROOT
from minusma_corpus.annotations.fileformat import read_annotation_file
from minusma_corpus.annotations.schema import load_schema

CLI = [sys.executable, "-m", "minusma_corpus.cli"]
GOLD = sorted((ANNOTATIONS / "gold").glob("*.json"))


def test_every_document_has_complete_gold(processed):
    assert sorted(p.stem for p in GOLD) == sorted(processed)
    for path in GOLD:
        a = read_annotation_file(path)
        assert a["provenance"]["status"] == "gold"
        assert a["document_stance"] is not None, path
        assert len(a["mentions"]) >= 40 and len(a["claims"]) >= 10 and len(a["stances"]) >= 3, path
        assert {m["label"] for m in a["mentions"]} >= {"GPE", "ORG", "MISSION", "DATE"}, path


def test_validate_passes_on_the_gold():
    result = subprocess.run([*CLI, "validate", "--annotations", str(ANNOTATIONS), "--raw", str(RAW),
                             "--manifest", str(MANIFEST)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"{len(GOLD)} annotation files, 0 problems" in result.stdout


def test_validate_fails_loudly_on_a_broken_file(tmp_path):
    annotations = tmp_path / "annotations"
    shutil.copytree(ANNOTATIONS, annotations)
    path = annotations / "gold" / GOLD[0].name
    data = json.loads(path.read_text())
    data["mentions"][0]["exact"] = "not the text"
    data["claims"][0]["claimer"] = "nobody-at-all"
    path.write_text(json.dumps(data))
    result = subprocess.run([*CLI, "validate", "--annotations", str(annotations), "--raw", str(RAW),
                             "--manifest", str(MANIFEST)], capture_output=True, text=True)
    assert result.returncode == 1
    doc = data["doc_id"]
    assert f"document {doc}: annotation {data['mentions'][0]['id']}: exact 'not the text'" in result.stderr
    assert f"document {doc}: annotation {data['claims'][0]['id']}: claimer 'nobody-at-all'" in result.stderr


def test_every_entity_mentioned_is_in_the_kb_and_aliases_are_used():
    kb = {e["id"]: e for e in json.loads((ANNOTATIONS / "entities.json").read_text())}
    for path in GOLD:
        for m in read_annotation_file(path)["mentions"]:
            if m["entity_id"]:
                assert m["exact"] in kb[m["entity_id"]]["aliases"], (path.name, m["id"], m["exact"])


def test_cross_document_coreference():
    """One person, body or agreement is one entity across documents."""
    docs_of = {}
    for path in GOLD:
        for m in read_annotation_file(path)["mentions"]:
            if m["entity_id"]:
                docs_of.setdefault(m["entity_id"], set()).add(path.stem)
    assert len(docs_of["minusma"]) == 5 and len(docs_of["mali"]) == 5
    assert len(docs_of["abdoulaye-diop"]) >= 2 and len(docs_of["wagner-group"]) >= 4


def test_clusters_record_disagreements():
    import pyarrow.parquet as pq

    clusters = pq.read_table(RELEASE / "claim_clusters.parquet").to_pylist()
    multi = [c for c in clusters if c["outlets"] >= 2]
    assert len(multi) >= 5
    assert any(c["has_conflict"] for c in multi)


@pytest.mark.parametrize("config", ["entities", "entity_kb", "claims", "claim_clusters", "stances", "ner"])
def test_annotation_configs_load_with_class_labels(config):
    import datasets

    ds = datasets.load_dataset(str(RELEASE), config, split="train")
    assert ds.num_rows > 0
    schema = load_schema()
    if config in ("entities", "entity_kb"):
        assert ds.features["label"].names == list(schema.entity_labels)
    if config == "claims":
        assert ds.features["claim_type"].names == list(schema.claim_types)
    if config == "stances":
        assert ds.features["polarity"].names == list(schema.stance_polarities)
        assert ds.features["target"].names == list(schema.stance_targets)
    if config == "ner":
        tags = ds.features["ner_tags"].feature
        assert tags.names == schema.bio_tags
        row = ds[0]
        assert len(row["tokens"]) == len(row["ner_tags"])


def test_ner_tags_follow_the_mentions(processed):
    """Every mention's tokens carry B-/I- tags of its label, and tags outside mentions are O."""
    from minusma_corpus.publish.annotation_tables import bio_tags

    for path in GOLD:
        a = read_annotation_file(path)
        d = processed[a["doc_id"]]
        tags = [t for sentence in bio_tags(d, a["mentions"]) for t in sentence]
        for m in a["mentions"]:
            covered = [i for i, t in enumerate(d.tokens) if t.start < m["end"] and m["start"] < t.end]
            assert covered, (path.name, m["id"])
            assert [tags[i][2:] for i in covered] == [m["label"]] * len(covered)
        inside = {i for m in a["mentions"] for i, t in enumerate(d.tokens) if t.start < m["end"] and m["start"] < t.end}
        assert all(tags[i] == "O" for i in range(len(tags)) if i not in inside)


def test_datacard_figures_match_the_release():
    from minusma_corpus.publish.stats import BEGIN, END, stats_markdown

    card = (ROOT / "DATACARD.md").read_text()
    block = card.split(BEGIN, 1)[1].split(END, 1)[0]
    assert block.strip() == stats_markdown(RELEASE).strip(), "run `minusma-corpus stats --write DATACARD.md`"


def _block(name):
    card = (ROOT / "DATACARD.md").read_text()
    return card.split(f"<!-- BEGIN {name} -->", 1)[1].split(f"<!-- END {name} -->", 1)[0].strip().strip("`").strip()


def test_datacard_agreement_is_what_the_command_prints():
    from minusma_corpus.annotations.agreement import agreement

    sets = [{a["doc_id"]: a for a in map(read_annotation_file, sorted((ANNOTATIONS / "passes" / p).glob("*.json")))}
            for p in ("a", "b")]
    assert _block("AGREEMENT") == agreement(*sets).report()


def test_datacard_independent_agreement_is_what_the_command_prints():
    """The fully independent double annotation of all five articles (pass A vs blind pass B, each with
    its own inventory and clusters), as `minusma-corpus agreement` prints it."""
    from minusma_corpus.annotations.agreement import agreement
    from minusma_corpus.annotations.layout import read_pass

    pass_a, pass_b = (read_pass(ANNOTATIONS / "passes" / "independent" / p) for p in ("a", "b"))
    assert pass_a.kb is not None and pass_b.kb is not None  # each pass brings its own inventory
    assert len(pass_a.sets) == len(pass_b.sets) == 5
    assert all(s["provenance"]["status"] == "pass" for s in pass_b.sets.values())
    assert _block("AGREEMENT-INDEPENDENT") == agreement(pass_a.sets, pass_b.sets, align_entities=True).report()


def test_datacard_preannotation_figures_are_what_the_command_prints(processed):
    from minusma_corpus.annotations.preannotate import evaluate_leave_one_out, evaluation_table

    gold = {p.stem: read_annotation_file(p) for p in GOLD}
    counts = evaluate_leave_one_out({k: d.clean.text for k, d in processed.items()}, gold,
                                    {k: d.row.date for k, d in processed.items()})
    assert _block("PREANNOTATION") == evaluation_table(counts)
