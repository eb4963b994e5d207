"""`minusma-corpus export`: each format read back with its own reader (spaCy's CoNLL converter and seqeval,
spaCy's DocBin and `spacy train`, a brat standoff parser, the `datasets` JSON reader) and compared with the gold."""

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings, strategies as st

from minusma_corpus.publish.exports import ExportError, export_documents, export_files, write_export
from minusma_corpus.publish.folds import folds
from support.paths import ANNOTATIONS, MANIFEST, RAW, ROOT

MENTIONS = 492


@pytest.fixture(scope="module")
def docs():
    from minusma_corpus.annotations.layout import AnnotationLayout, read_sets
    from minusma_corpus.pipeline.process import process

    processed = process(RAW, MANIFEST)
    gold = read_sets(AnnotationLayout(ANNOTATIONS).gold)
    return export_documents(processed, gold, folds([d.doc_id for d in processed]))


@pytest.fixture(scope="module")
def exported(docs, tmp_path_factory):
    """Every format written through the command line, as a user runs it."""
    out = tmp_path_factory.mktemp("export")
    for fmt in ("conll2003", "spacy", "brat", "jsonl"):
        run = subprocess.run([sys.executable, "-m", "minusma_corpus.cli", "export", "--format", fmt, "--out", str(out / fmt)],
                             cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
        assert run.returncode == 0, run.stderr
    return out


def _gold_token_spans(doc):
    """(first token, last token + 1, label) of each gold mention."""
    first = {t.start: i for i, t in enumerate(doc.tokens)}
    after = {t.end: i + 1 for i, t in enumerate(doc.tokens)}
    return sorted((first[m["start"]], after[m["end"]], m["label"]) for m in doc.annotation["mentions"])


# --------------------------------------------------------------------------------------------
# CoNLL-2003
# --------------------------------------------------------------------------------------------


def test_conll_read_by_spacy_convert_and_seqeval(docs, exported):
    from seqeval.metrics.sequence_labeling import get_entities
    from spacy.training.converters import conll_ner_to_docs

    b_tags = 0
    for doc in docs:
        data = (exported / "conll2003" / f"{doc.doc_id}.conll").read_text(encoding="utf-8")
        (converted,) = conll_ner_to_docs(data, n_sents=0, no_print=True)
        assert [t.text for t in converted] == [doc.text[t.start:t.end] for t in doc.tokens]
        assert sum(1 for t in converted if t.is_sent_start) == len(doc.sentences)
        spacy_spans = sorted((e.start, e.end, e.label_) for e in converted.ents)
        assert spacy_spans == _gold_token_spans(doc)
        tags = [line.split()[-1] for line in data.splitlines()[1:] if line.strip()]
        seqeval_spans = sorted((s, e + 1, label) for label, s, e in get_entities(tags))
        assert seqeval_spans == spacy_spans
        b_tags += sum(t.startswith("B-") for t in tags)
    assert b_tags == MENTIONS


# --------------------------------------------------------------------------------------------
# spaCy DocBin
# --------------------------------------------------------------------------------------------


def test_spacy_docbin_holds_text_sentences_entities_and_spans(docs, exported):
    import spacy
    from spacy.tokens import DocBin

    vocab = spacy.blank("en").vocab
    for doc in docs:
        (sdoc,) = DocBin().from_disk(exported / "spacy" / f"{doc.doc_id}.spacy").get_docs(vocab)
        offset = sdoc.user_data["offset"]
        assert sdoc.user_data["doc_id"] == doc.doc_id and sdoc.user_data["fold"] == doc.fold
        assert sdoc.text == doc.text[offset:]
        assert len(list(sdoc.sents)) == len(doc.sentences)
        a = doc.annotation
        assert sorted((e.start_char + offset, e.end_char + offset, e.label_, e.kb_id_) for e in sdoc.ents) == sorted(
            (m["start"], m["end"], m["label"], m["entity_id"] or "") for m in a["mentions"])
        assert sorted((s.start_char + offset, s.end_char + offset, s.label_) for s in sdoc.spans["claims"]) == sorted(
            (c["start"], c["end"], c["claim_type"]) for c in a["claims"])
        assert len(sdoc.spans["claim_cues"]) == sum(1 for c in a["claims"] if c["cue"])
        assert sorted((s.start_char + offset, s.end_char + offset, s.label_) for s in sdoc.spans["stance_evidence"]) == sorted(
            (e["start"], e["end"], f"{s['target']}/{s['polarity']}") for s in a["stances"] for e in s["evidence"])


def test_spacy_train_reads_the_export(exported, tmp_path):
    config = tmp_path / "config.cfg"
    spacy = [sys.executable, "-m", "spacy"]
    subprocess.run([*spacy, "init", "config", "-l", "en", "-p", "ner", str(config)], check=True, capture_output=True)
    run = subprocess.run([*spacy, "train", str(config), "--paths.train", str(exported / "spacy"), "--paths.dev",
                          str(exported / "spacy"), "--training.max_steps", "2", "--training.eval_frequency", "1"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert "ENTS_F" in run.stdout


# --------------------------------------------------------------------------------------------
# brat standoff
# --------------------------------------------------------------------------------------------


def read_ann(text: str) -> dict:
    """A minimal brat standoff reader (https://brat.nlplab.org/standoff.html): text-bound annotations with
    fragments, relations, attributes, normalisations and notes."""
    out = {"T": {}, "R": [], "A": [], "N": {}, "#": {}}
    for line in text.splitlines():
        ident, _, rest = line.partition("\t")
        if ident[0] == "T":
            head, _, covered = rest.partition("\t")
            label, _, offsets = head.partition(" ")
            frags = [tuple(map(int, f.split())) for f in offsets.split(";")]
            out["T"][ident] = (label, frags, covered)
        elif ident[0] == "R":
            rel, a1, a2 = rest.split()
            out["R"].append((rel, a1.split(":")[1], a2.split(":")[1]))
        elif ident[0] == "A":
            out["A"].append(tuple(rest.split()))
        elif ident[0] == "N":
            head, _, _name = rest.partition("\t")
            _ref, target, db_id = head.split()
            out["N"][target] = db_id.split(":", 1)[1]
        elif ident[0] == "#":
            head, _, note = rest.partition("\t")
            out["#"][head.split()[1]] = note
        else:
            raise AssertionError(f"unknown annotation {line!r}")
    return out


def test_brat_holds_every_layer(docs, exported):
    conf = (exported / "brat" / "annotation.conf").read_text()
    assert "[entities]" in conf and "Claimer\tArg1:Claim" in conf
    for doc in docs:
        text = (exported / "brat" / f"{doc.doc_id}.txt").read_text(encoding="utf-8")
        assert text == doc.text
        ann = read_ann((exported / "brat" / f"{doc.doc_id}.ann").read_text(encoding="utf-8"))
        for label, frags, covered in ann["T"].values():  # the covered text is the text of the fragments
            assert covered == " ".join(text[s:e] for s, e in frags) and "\n" not in covered
        attrs = {}
        for a in ann["A"]:
            attrs.setdefault(a[1], {})[a[0]] = a[2] if len(a) > 2 else True
        a = doc.annotation
        entities = {t: (f[0][0], f[-1][1], label) for t, (label, f, _c) in ann["T"].items()
                    if label not in ("Claim", "Cue", "Stance")}
        assert sorted((*v, ann["N"].get(t)) for t, v in entities.items()) == sorted(
            (m["start"], m["end"], m["label"], m["entity_id"]) for m in a["mentions"])
        claims = {t: f for t, (label, f, _c) in ann["T"].items() if label == "Claim"}
        assert sorted((f[0][0], f[-1][1], attrs[t]["ClaimType"], attrs[t].get("Checkworthy", False),
                       attrs[t].get("ClusterRelation")) for t, f in claims.items()) == sorted(
            (c["start"], c["end"], c["claim_type"], c["checkworthy"], c["cluster_relation"]) for c in a["claims"])
        span_of = {t: (f[0][0], f[-1][1]) for t, (_l, f, _c) in ann["T"].items()}
        cues = sorted((span_of[c], span_of[q]) for rel, c, q in ann["R"] if rel == "Cue")
        assert cues == sorted(((c["start"], c["end"]), (c["cue"]["start"], c["cue"]["end"])) for c in a["claims"] if c["cue"])
        # a claimer that is a corpus entity points to a mention of that entity
        for rel, source, target in ann["R"]:
            if rel in ("Claimer", "Holder"):
                who = "claimer" if rel == "Claimer" else "holder"
                assert f"{who}={ann['N'][target]}" in ann["#"][source]
        linked = {c["id"] for c in a["claims"] if c["claimer"] in {m["entity_id"] for m in a["mentions"]}}
        assert sum(rel == "Claimer" for rel, _s, _t in ann["R"]) == len(linked)
        stances = sorted((tuple(map(tuple, f)), attrs[t]["Target"], attrs[t]["Polarity"])
                         for t, (label, f, _c) in ann["T"].items() if label == "Stance")
        assert stances == sorted((tuple((e["start"], e["end"]) for e in sorted(s["evidence"], key=lambda e: e["start"])),
                                  s["target"], s["polarity"]) for s in a["stances"] if s["evidence"])


# --------------------------------------------------------------------------------------------
# JSONL
# --------------------------------------------------------------------------------------------


def test_jsonl_read_by_datasets(docs, exported):
    import datasets

    ds = datasets.load_dataset("json", data_files=str(exported / "jsonl" / "documents.jsonl"), split="train")
    assert ds["doc_id"] == [d.doc_id for d in docs] and ds["fold"] == [d.fold for d in docs]
    for record, doc in zip(ds, docs):
        assert "".join(record["text"][t["start"]:t["end"]] + t["whitespace"] for t in record["tokens"]) == \
            record["text"][record["tokens"][0]["start"]:]
        assert [(m["id"], m["start"], m["end"], m["label"], m["entity_id"]) for m in record["mentions"]] == [
            (m["id"], m["start"], m["end"], m["label"], m["entity_id"]) for m in doc.annotation["mentions"]]
        assert all(record["text"][m["start"]:m["end"]] == m["exact"] for m in record["mentions"])
        assert [c["id"] for c in record["claims"]] == [c["id"] for c in doc.annotation["claims"]]
        assert record["document_stance"] == doc.annotation["document_stance"]
    assert sum(len(r["mentions"]) for r in ds) == MENTIONS


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def test_export_refuses_to_replace_a_file_it_did_not_write(docs, tmp_path):
    files = export_files("conll2003", docs[:2])
    foreign = tmp_path / f"{docs[1].doc_id}.conll"
    foreign.write_text("mine")
    with pytest.raises(ExportError, match="exists and was not written by"):
        write_export("conll2003", files, tmp_path)
    assert foreign.read_text() == "mine" and sorted(p.name for p in tmp_path.iterdir()) == [foreign.name]


def test_export_replaces_its_own_files_and_removes_its_stale_ones(docs, tmp_path):
    write_export("conll2003", export_files("conll2003", docs[:2]), tmp_path)
    write_export("conll2003", export_files("conll2003", docs[1:3]), tmp_path)  # document 0 gone, 2 added
    assert sorted(p.name for p in tmp_path.glob("*.conll")) == sorted(f"{d.doc_id}.conll" for d in docs[1:3])
    edited = tmp_path / f"{docs[1].doc_id}.conll"
    edited.write_text("edited by hand")
    with pytest.raises(ExportError, match="changed since"):
        write_export("conll2003", export_files("conll2003", docs[1:3]), tmp_path)
    assert edited.read_text() == "edited by hand"


@pytest.mark.parametrize("record", ["[" * 100_000 + "]" * 100_000, "[1, 2]", '{"a.conll": 3}', "\u00ff".encode("latin-1")])
def test_a_broken_record_of_an_earlier_export_stops_the_export(docs, tmp_path, record):
    path = tmp_path / ".minusma-export-conll2003.json"
    path.write_bytes(record if isinstance(record, bytes) else record.encode())
    with pytest.raises(ExportError, match="unreadable record of an earlier export"):
        write_export("conll2003", export_files("conll2003", docs[:1]), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


def test_cli_refusal_is_one_line(tmp_path):
    (tmp_path / "documents.jsonl").write_text("{}\n")
    run = subprocess.run([sys.executable, "-m", "minusma_corpus.cli", "export", "--format", "jsonl", "--out", str(tmp_path)],
                         cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert run.returncode != 0 and "Traceback" not in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "documents.jsonl" in run.stderr
    assert (tmp_path / "documents.jsonl").read_text() == "{}\n"


def test_a_mention_that_is_not_whole_tokens_stops_the_export(docs):
    doc = docs[0]
    t = doc.tokens[0]
    bad = {**doc.annotation, "mentions": [{"id": "m999", "start": t.start, "end": t.end - 1, "label": "ORG",
                                           "entity_id": None, "normalized": None, "exact": doc.text[t.start:t.end - 1]}]}
    from dataclasses import replace

    with pytest.raises(ExportError, match=f"{doc.doc_id}: mention m999 .*token boundaries"):
        export_files("conll2003", [replace(doc, annotation=bad)])


# --------------------------------------------------------------------------------------------
# Any document: the IOB tags and the brat spans give back exactly the mentions
# --------------------------------------------------------------------------------------------


_WORDS = st.lists(st.sampled_from(["Mali", "U.N.", "Tuareg-led", "troops", ",", "15-0", "said", "Bamako’s", "\n\n"]),
                  min_size=1, max_size=30)


@st.composite
def _documents(draw):
    from minusma_corpus.pipeline.segment import segment
    from minusma_corpus.publish.exports import ExportDocument, Token

    text = " ".join(draw(_WORDS)).strip() or "Mali"
    sentences, tokens = segment(text)
    labels = ["GPE", "ORG", "NORP"]
    mentions, i = [], 0
    while i < len(tokens):  # non-overlapping runs of whole tokens within a sentence
        length = draw(st.integers(0, 3))
        run = tokens[i:i + length]
        if run and len({t.sentence for t in run}) == 1 and draw(st.booleans()):
            start, end = run[0].start, run[-1].end
            mentions.append({"id": f"m{len(mentions):03}", "start": start, "end": end, "exact": text[start:end],
                             "label": draw(st.sampled_from(labels)), "entity_id": None, "normalized": None})
        i += max(length, 1)
    annotation = {"mentions": mentions, "claims": [], "stances": [], "document_stance": None}
    return ExportDocument("doc", 0, text, tuple((s.start, s.end) for s in sentences),
                          tuple(Token(t.start, t.end, t.sentence) for t in tokens), annotation)


@settings(max_examples=60, deadline=None)
@given(_documents())
def test_iob_and_brat_give_back_every_mention(doc):
    from seqeval.metrics.sequence_labeling import get_entities

    from minusma_corpus.publish.exports import brat_ann, iob_tags

    expected = sorted((m["start"], m["end"], m["label"]) for m in doc.annotation["mentions"])
    tags = iob_tags(doc)
    assert sum(t.startswith("B-") for t in tags) == len(expected)
    assert sorted((doc.tokens[s].start, doc.tokens[e].end, label) for label, s, e in get_entities(tags)) == expected
    ann = read_ann(brat_ann(doc, "AUTHOR", "UNNAMED"))
    assert sorted((f[0][0], f[-1][1], label) for label, f, _c in ann["T"].values()) == expected
