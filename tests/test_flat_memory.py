"""Issue 14: the build's memory does not grow with the number of documents. The manifest is read a line
at a time and checked with the ids as Arrow strings; the card, licence and figure are written a part at a
time from the written documents file; the build's Python heap at 640 documents is that at 40."""

import dataclasses
import shutil
import tracemalloc
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from support.paths import ANNOTATIONS, MANIFEST, ROOT
from minusma_corpus.fileio import sha256_bytes
from minusma_corpus.pipeline.corpus import CorpusError, check_corpus, iter_manifest, read_manifest


def _write_corpus(directory, rows, files=None):
    """A corpus directory: ``rows`` (ManifestRows) as its manifest, a raw file per row (or ``files``)."""
    (directory / "raw").mkdir(parents=True)
    with (directory / "manifest.jsonl").open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(row.to_json() + "\n")
    for name in files if files is not None else {r.source_file for r in rows}:
        (directory / "raw" / name).write_bytes(b"x")
    return directory


def _rows(ids, files):
    base = read_manifest(MANIFEST)[0]
    return [dataclasses.replace(base, doc_id=i, source_file=f, sha256=sha256_bytes(b"x")) for i, f in zip(ids, files)]


def _reference(ids, files, on_disk):
    """The checks as they were written with every row in memory (``Counter`` and sets)."""
    for key, values in (("doc_id", ids), ("source_file", files)):
        if dupes := sorted(v for v, n in Counter(values).items() if n > 1):
            return f"duplicate {key}: {', '.join(dupes)}"
    if missing := sorted(set(files) - set(on_disk)):
        return f"files listed in the manifest are missing: {', '.join(missing)}"
    if unlisted := sorted(set(on_disk) - set(files)):
        return f"files not in the manifest: {', '.join(unlisted)}"
    return None


_ID = st.sampled_from(["a", "b", "c", "d", "a-b", "c-d"])
_FILE = st.sampled_from(["1.txt", "2.txt", "3.txt", "4.txt"])


@given(ids=st.lists(_ID, max_size=6), files=st.lists(_FILE, max_size=6), on_disk=st.sets(_FILE))
def test_check_corpus_finds_what_the_in_memory_checks_found(tmp_path_factory, ids, files, on_disk):
    n = min(len(ids), len(files))
    ids, files = ids[:n], files[:n]
    corpus = _write_corpus(tmp_path_factory.mktemp("c"), _rows(ids, files), sorted(on_disk))
    expected = _reference(ids, files, on_disk)
    if expected is None:
        assert check_corpus(corpus / "raw", corpus / "manifest.jsonl") == n
    else:
        with pytest.raises(CorpusError) as e:
            check_corpus(corpus / "raw", corpus / "manifest.jsonl")
        reason = str(e.value).split(": ", 1)[1].replace(f" ({corpus / 'manifest.jsonl'})", "")
        assert reason.startswith(expected)


def test_the_manifest_is_read_a_line_at_a_time(tmp_path):
    """The first row comes before a broken line further down is read (nothing reads the file whole)."""
    manifest = tmp_path / "manifest.jsonl"
    rows = read_manifest(MANIFEST)
    manifest.write_text(rows[0].to_json() + "\n" + rows[1].to_json() + "\n{not json\n", encoding="utf-8")
    it = iter_manifest(manifest)
    assert next(it) == rows[0] and next(it) == rows[1]
    with pytest.raises(Exception, match=r"line 3.*not valid JSON|not valid JSON.*line 3"):
        next(it)
    assert list(iter_manifest(MANIFEST)) == rows


def _synthetic(directory, n):
    """A corpus of ``n`` documents (the five seeds' manifest rows, renamed) and annotations without gold."""
    seeds = read_manifest(MANIFEST)
    rows = [dataclasses.replace(seeds[i % len(seeds)], doc_id=f"synthetic-{i:05d}", source_file=f"{i:05d}.txt",
                                sha256=sha256_bytes(b"x")) for i in range(n)]
    _write_corpus(directory / "corpus", rows)
    (directory / "annotations" / "gold").mkdir(parents=True)
    for name in ("entities.json", "claim_clusters.json"):
        shutil.copy(ANNOTATIONS / name, directory / "annotations" / name)
    return directory


def _build_peak(directory, n):
    """The peak of the Python heap during a build of ``n`` documents (tracemalloc)."""
    from minusma_corpus.publish.build import build

    root = _synthetic(directory, n)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        build(root / "corpus" / "raw", root / "corpus" / "manifest.jsonl", root / "release", root / "annotations",
              ROOT / "CHANGELOG.md")
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_builds_heap_does_not_grow_with_the_number_of_documents(processed, tmp_path, monkeypatch):
    """Cleaning is per document, so a processed seed stands in for each synthetic article (the writing is
    what is measured), 16 documents per row group. Before the streaming card and manifest, 640 documents
    needed 0.9 MB more than 40 (3.2 against 2.3 MB); now 0.04 MB more."""
    import minusma_corpus.pipeline.process as process
    import minusma_corpus.publish.text_tables as text_tables

    seeds = list(processed.values())
    monkeypatch.setattr(text_tables, "BATCH_DOCS", 16)
    monkeypatch.setattr(process, "process_article",
                        lambda raw, row, position=0: dataclasses.replace(seeds[position % len(seeds)], row=row,
                                                                         position=position))
    _build_peak(tmp_path / "warm-up", 40)  # imports and caches
    small, large = _build_peak(tmp_path / "small", 40), _build_peak(tmp_path / "large", 640)
    assert large < small + 256 * 1024, (small, large)
    card = (tmp_path / "large" / "release" / "README.md").read_text(encoding="utf-8")
    assert "| 639 | `synthetic-00639` |" in card and "640 English news articles, 0 annotated" in card
