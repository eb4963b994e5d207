"""The release's columns researchers rely on: BIO tags that hold every gold mention exactly, token white
space that rebuilds the text, document-level folds shared by every config, and load()'s types."""

import math

import pyarrow.parquet as pq
import pytest
from hypothesis import given, strategies as st

import minusma_corpus
from minusma_corpus.api import CONFIG_NAMES
from minusma_corpus.publish.annotation_tables import MisalignedMention, bio_tags
from minusma_corpus.publish.folds import folds
from support.paths import MANIFEST, RELEASE


def _rows(config):
    return pq.read_table(RELEASE / f"{config}.parquet").to_pylist()


def test_one_b_tag_per_gold_mention():
    entities = _rows("entities")
    ner = _rows("ner")
    b_tags = [t for r in ner for t in r["ner_tags"] if t.startswith("B-")]
    assert len(b_tags) == len(entities) == 492
    # and each mention is exactly the tokens of its B-/I- run
    tokens = _rows("tokens")
    spans = {}
    for r in ner:
        doc_tokens = [t for t in tokens if t["doc_id"] == r["doc_id"] and t["sentence_id"] == r["sentence_id"]]
        run = None
        for tok, tag in zip(doc_tokens, r["ner_tags"] + ["O"]):
            if run and not tag.startswith("I-"):
                spans[(r["doc_id"], run[0], run[1])] = run[2]
                run = None
            if tag.startswith("B-"):
                run = [tok["start"], tok["end"], tag[2:]]
            elif tag.startswith("I-"):
                run[1] = tok["end"]
        if run:
            spans[(r["doc_id"], run[0], run[1])] = run[2]
    assert spans == {(e["doc_id"], e["start"], e["end"]): e["label"] for e in entities}


def test_hyphenated_names_are_whole_tokens():
    ner = _rows("ner")
    pairs = {(tok, tag) for r in ner for tok, tag in zip(r["tokens"], r["ner_tags"])}
    assert ("Tuareg", "B-NORP") in pairs and ("led", "O") in pairs
    triples = [list(zip(r["tokens"][i:i + 3], r["ner_tags"][i:i + 3])) for r in ner for i in range(len(r["tokens"]))]
    assert [("Malian", "B-NORP"), ("-", "O"), ("French", "B-NORP")] in triples  # two mentions, two B- tags


def test_a_mention_inside_a_token_is_refused(processed):
    d = next(iter(processed.values()))
    t = d.tokens[0]
    bad = {"id": "m999", "exact": d.text[t.start:t.end - 1], "start": t.start, "end": t.end - 1, "label": "ORG"}
    with pytest.raises(MisalignedMention, match=f"{d.doc_id}: mention m999 .* token boundaries"):
        bio_tags(d, [bad])


def test_tokens_whitespace_rebuilds_every_document():
    documents = {d["doc_id"]: d["text"] for d in _rows("documents")}
    tokens = _rows("tokens")
    for doc_id, text in documents.items():
        doc_tokens = sorted((t for t in tokens if t["doc_id"] == doc_id), key=lambda t: t["token_id"])
        first = doc_tokens[0]["start"]
        assert "".join(t["text"] + t["whitespace"] for t in doc_tokens) == text[first:]
        assert all(t["whitespace"].strip() == "" for t in doc_tokens)
        assert any("\n" in t["whitespace"] for t in doc_tokens)  # paragraph breaks are kept


def test_tokens_whitespace_on_a_spacy_doc():
    """The trap of the issue: a spaCy Doc built from tokens + whitespace has the document's offsets."""
    import spacy
    from spacy.util import get_words_and_spaces

    documents = {d["doc_id"]: d["text"] for d in _rows("documents")}
    tokens = _rows("tokens")
    doc_id = next(iter(documents))
    doc_tokens = [t for t in tokens if t["doc_id"] == doc_id]
    text = "".join(t["text"] + t["whitespace"] for t in doc_tokens)
    words, spaces = get_words_and_spaces([t["text"] for t in doc_tokens], text)
    doc = spacy.tokens.Doc(spacy.blank("en").vocab, words=words, spaces=spaces)
    offset = doc_tokens[0]["start"]
    for e in (e for e in _rows("entities") if e["doc_id"] == doc_id):
        span = doc.char_span(e["start"] - offset, e["end"] - offset)
        assert span is not None and span.text == e["text"]


def test_every_config_with_a_doc_id_has_the_same_folds():
    manifest_order = [line.split('"doc_id": "')[1].split('"')[0] for line in MANIFEST.read_text().splitlines() if line]
    expected = {doc_id: k for k, doc_id in enumerate(manifest_order)}
    with_doc_id = [c for c in CONFIG_NAMES if "doc_id" in pq.read_schema(RELEASE / f"{c}.parquet").names]
    assert set(with_doc_id) == {"documents", "sentences", "tokens", "entities", "claims", "stances", "ner"}
    for config in with_doc_id:
        table = pq.read_table(RELEASE / f"{config}.parquet", columns=["doc_id", "fold"])
        assert str(table.schema.field("fold").type) == "int32"
        assert {(r["doc_id"], r["fold"]) for r in table.to_pylist()} <= set(expected.items()), config


def test_folds_in_datasets_leave_one_document_out():
    ds = minusma_corpus.load_dataset("sentences")
    for k in sorted(set(ds["fold"])):
        train, test = ds.filter(lambda r: r["fold"] != k), ds.filter(lambda r: r["fold"] == k)
        assert len(set(test["doc_id"])) == 1 and not set(test["doc_id"]) & set(train["doc_id"])
        assert len(train) + len(test) == len(ds)


@given(st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=12),
       st.lists(st.text(min_size=1, max_size=8), unique=True, max_size=5))
def test_folds_are_stable_when_articles_are_appended(existing, added):
    added = [a for a in added if a not in existing]
    before, after = folds(existing), folds(existing + added)
    assert {d: after[d] for d in existing} == before
    assert sorted(after.values()) == list(range(len(existing) + len(added)))


def test_folds_refuse_repeated_ids():
    with pytest.raises(ValueError, match="repeat in the manifest: a"):
        folds(["a", "b", "a"])


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_load_types_and_missing_values(config):
    import numpy as np

    df = minusma_corpus.load(config)

    def check(value, where):
        assert not isinstance(value, np.ndarray), where
        assert not (isinstance(value, float) and math.isnan(value)), where
        if isinstance(value, list):
            for v in value:
                check(v, where)
        elif isinstance(value, dict):
            for k, v in value.items():
                check(v, f"{where}.{k}")

    for column in df.columns:
        if df[column].dtype == object:
            for value in df[column]:
                check(value, f"{config}.{column}")
        else:
            assert df[column].dtype.kind in "iufb" and not df[column].isna().any()


def test_load_missing_outlet_is_none():
    df = minusma_corpus.load("documents")
    assert None in list(df["outlet"]) and df["outlet"].isna().sum() == 1
    assert isinstance(df["authors"][0], list) and isinstance(df["blocks"][0][0], dict)
    assert df["fold"].dtype == "int32"


_PARTIAL_READ = """
import itertools, sys
import minusma_corpus
ds = minusma_corpus.load_dataset(sys.argv[1], streaming=True)
rows = list(itertools.islice(ds, 2))
assert len(rows) == 2 and set(rows[0]) == set(ds.features), rows
print("ok")
"""


def test_load_dataset_streaming_survives_partial_reads_20_times():
    """A partial read of `load_dataset(..., streaming=True)`, then exit: 20 processes in a row, none aborts."""
    import datasets
    import os
    import subprocess
    import sys

    assert isinstance(minusma_corpus.load_dataset("ner", streaming=True), datasets.IterableDataset)
    for i in range(20):
        config = CONFIG_NAMES[i % len(CONFIG_NAMES)]
        run = subprocess.run([sys.executable, "-c", _PARTIAL_READ, config], capture_output=True, text=True,
                             env=os.environ.copy(), timeout=300)
        assert run.returncode == 0 and run.stdout.strip() == "ok", (i, config, run.returncode, run.stderr[-2000:])


_PIECES = st.sampled_from(list("aZé1 -–.’'\n\t,$") + ["U.N.", "Mr.", "15-0", "al-Qaeda", "COVID-19"]) | st.characters()


@given(st.lists(_PIECES, max_size=40).map("".join))
def test_tokens_and_their_whitespace_rebuild_any_text(text):
    import re

    from minusma_corpus import tokenize
    from minusma_corpus.pipeline.records import Token
    from minusma_corpus.pipeline.segment import trailing_whitespace

    tokens = [Token(s, e, 0) for s, e in tokenize(text)]
    whitespace = trailing_whitespace(text, tokens)
    assert all(w.strip() == "" for w in whitespace)  # every non-space character is in a token
    if tokens:
        assert "".join(text[t.start:t.end] + w for t, w in zip(tokens, whitespace)) == text[tokens[0].start:]
        assert text[:tokens[0].start].strip() == ""
    for t in tokens:  # a hyphen before a letter is never inside a token: names in compounds are whole tokens
        assert not re.search(r"-(?=[^\W\d_])", text[t.start:t.end]), text[t.start:t.end]
