"""`minusma-corpus process`: the pipeline over many documents, in this process or on Ray Data, gives the
same rows as the release build (the one per-document code path)."""

import importlib.util
import json
import subprocess
import sys
import tomllib

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from support import heavy
from support.paths import ANNOTATIONS, ROOT
from minusma_corpus.engine import EngineError, config_table, process_batch, read_output, run
from minusma_corpus.publish.text_tables import CONFIGS

CLI = [sys.executable, "-m", "minusma_corpus.cli"]
KEYS = {"documents": ["doc_id"], "sentences": ["doc_id", "sentence_id"], "tokens": ["doc_id", "token_id"],
        "preannotations": ["doc_id", "mention_id"]}
N_SYNTHETIC = 200


def _bench_scale():
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "scripts" / "bench_scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A corpus directory of synthetic articles, and the same articles as a JSONL crawl table."""
    corpus = tmp_path_factory.mktemp("synthetic") / "corpus"
    _bench_scale().synthetic_corpus(corpus, N_SYNTHETIC, seed=14)
    return corpus


@pytest.fixture(scope="module")
def single_process(synthetic, tmp_path_factory):
    """The text configs as the release build writes them (single process, streaming)."""
    from minusma_corpus.pipeline.process import process_stream
    from minusma_corpus.publish.build import write_text_configs

    out = tmp_path_factory.mktemp("build")
    write_text_configs(out, process_stream(synthetic / "raw", synthetic / "manifest.jsonl"), set())
    return {name: pq.read_table(out / f"{name}.parquet") for name in CONFIGS}


def _sorted(table: pa.Table, config: str) -> pa.Table:
    return table.sort_by([(k, "ascending") for k in KEYS[config]])


def _assert_same(out_dir, expected):
    for name, table in expected.items():
        got = read_output(out_dir, name)
        assert got.schema.remove_metadata().equals(table.schema.remove_metadata()), name
        assert _sorted(got, name).equals(_sorted(table, name)), f"{name} differs from the single-process build"


@pytest.fixture(scope="module")
def local_output(synthetic, tmp_path_factory):
    return run(synthetic, tmp_path_factory.mktemp("local") / "out", "local", batch_size=50,
               preannotate_kb=ANNOTATIONS / "entities.json", created="2026-11-29")


def test_local_engine_equals_the_build(local_output, single_process):
    assert local_output.documents == N_SYNTHETIC
    _assert_same(local_output.out_dir, single_process)


def test_preannotations_are_the_pre_annotators_mentions(local_output, synthetic):
    from minusma_corpus.annotations.layout import AnnotationLayout
    from minusma_corpus.annotations.preannotate import gazetteer_from_kb, preannotate
    from minusma_corpus.publish.annotation_tables import ENTITIES

    got = read_output(local_output.out_dir, "preannotations")
    assert got.schema.remove_metadata().equals(ENTITIES.remove_metadata())
    assert set(got.column("provenance").combine_chunks().field("status").to_pylist()) == {"predicted"}
    first = read_output(local_output.out_dir, "documents").slice(0, 1).to_pylist()[0]
    expected = preannotate(first["doc_id"], first["text"], gazetteer_from_kb(AnnotationLayout(ANNOTATIONS).read_kb()),
                           first["date"], created="2026-11-29")
    mine = got.filter(pa.compute.equal(got.column("doc_id"), first["doc_id"]))
    assert mine.column("mention_id").to_pylist() == [m["id"] for m in expected["mentions"]]
    assert mine.column("start").to_pylist() == [m["start"] for m in expected["mentions"]]
    assert local_output.rows["preannotations"] == got.num_rows > 0


def test_table_input_equals_the_directory_input(synthetic, single_process, tmp_path):
    """A crawler's table (doc_id, raw_text and the manifest's columns) gives the same rows."""
    from minusma_corpus.pipeline.corpus import read_manifest

    rows = read_manifest(synthetic / "manifest.jsonl")
    table = tmp_path / "crawl.jsonl"
    table.write_text("".join(json.dumps({**r.__dict__, "authors": list(r.authors),
                                          "raw_text": (synthetic / "raw" / r.source_file).read_text(encoding="utf-8")})
                             + "\n" for r in rows[:40]), encoding="utf-8")
    report = run(table, tmp_path / "out", "local")
    expected = {name: t.filter(pa.compute.is_in(t.column("doc_id"), pa.array([r.doc_id for r in rows[:40]])))
                for name, t in single_process.items()}
    _assert_same(report.out_dir, expected)


def test_nested_batch_gives_each_document_its_own_rows(processed):
    """The nested batch (a list column per document) flattens back to the release's rows, in order."""
    from minusma_corpus.publish.text_tables import record_batch

    docs = sorted(processed.values(), key=lambda d: -len(d.tokens))[:3]
    batch = pa.Table.from_pylist([{**d.row.__dict__, "authors": list(d.row.authors), "raw_text": d.raw,
                                   "position": d.position} for d in docs])
    nested = process_batch(batch)
    for name in CONFIGS:
        assert config_table(nested, name).equals(pa.Table.from_batches([record_batch(name, docs)])), name


def test_bad_input_is_one_line_and_writes_nothing(tmp_path):
    bad = tmp_path / "crawl.jsonl"
    bad.write_text(json.dumps({"doc_id": "x", "text": "no raw_text column"}) + "\n", encoding="utf-8")
    result = subprocess.run([*CLI, "process", str(bad), "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert result.returncode == 1 and "missing column(s) raw_text" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["crawl.jsonl"]
    csv = tmp_path / "crawl.csv"
    csv.write_text("doc_id,raw_text\n", encoding="utf-8")
    with pytest.raises(EngineError, match="unknown input type"):
        run(csv, tmp_path / "out", "local")


def test_ray_extra_is_the_one_the_heavy_tests_install():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert extras["ray"] == [heavy.RAY_REQUIREMENT]


@pytest.mark.ray
def test_ray_engine_in_local_mode_equals_the_build(synthetic, single_process, local_output, tmp_path, caplog):
    heavy.ensure_ray()
    caplog.set_level("DEBUG", logger="minusma_corpus.engine_ray")
    report = run(synthetic, tmp_path / "out", "ray", workers=2, batch_size=40,
                 preannotate_kb=ANNOTATIONS / "entities.json", created="2026-11-29")
    assert report.documents == N_SYNTHETIC
    assert len(list((report.out_dir / "tokens").glob("*.parquet"))) >= 1
    _assert_same(report.out_dir, single_process)
    pre = {"preannotations": read_output(local_output.out_dir, "preannotations")}
    _assert_same(report.out_dir, pre)
    # one task per staged shard of 4 x 40 documents (two here), so two workers have two tasks to run at once
    # (a fused read -> process -> write chain once bundled every shard into a single task)
    assert "MapBatches(process_shards): 2 tasks executed" in caplog.text


@pytest.mark.ray
def test_ray_engine_reports_a_documents_error_as_one_line(synthetic, tmp_path):
    """An edited raw file, found inside a Ray task: the document's own line, no traceback, nothing written."""
    import shutil

    heavy.ensure_ray()
    corpus = tmp_path / "corpus"
    shutil.copytree(synthetic, corpus)
    raw = sorted((corpus / "raw").iterdir())[-1]
    raw.write_text(raw.read_text(encoding="utf-8") + "edited", encoding="utf-8")
    result = subprocess.run([*CLI, "process", str(corpus), "--out", str(tmp_path / "out"), "--engine", "ray",
                             "--workers", "2", "--batch-size", "40"], capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert f"minusma-corpus: error: {raw}: document synthetic-{N_SYNTHETIC - 1:07d}: sha256 differs" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()
