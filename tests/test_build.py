"""The release build: reproducible, up to date, atomic, and loud on bad input."""

import json
import re
import shutil
import subprocess
import sys

import pyarrow.parquet as pq
import pytest

from support.paths import ANNOTATIONS, CHANGELOG, MANIFEST, RAW, RELEASE
from minusma_corpus import CONFIG_NAMES
from minusma_corpus.publish.build import build
from minusma_corpus.pipeline.corpus import CorpusError
from minusma_corpus.annotations.fileformat import AnnotationError

CLI = [sys.executable, "-m", "minusma_corpus.cli"]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("a") / "release"
    build(RAW, MANIFEST, out, ANNOTATIONS, CHANGELOG)
    return out


RELEASE_FILES = sorted(["README.md", "LICENSE.md", "SHA256SUMS", "croissant.json", "figures/claim_clusters.svg",
                        *(f"{c}.parquet" for c in CONFIG_NAMES)])


def _files(directory):
    return sorted(p.relative_to(directory).as_posix() for p in directory.rglob("*") if p.is_file())


def test_two_builds_are_byte_identical(built, tmp_path):
    again = tmp_path / "release"
    build(RAW, MANIFEST, again, ANNOTATIONS, CHANGELOG)
    assert _files(built) == _files(again) == RELEASE_FILES
    for name in RELEASE_FILES:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name


def test_committed_release_is_up_to_date(built):
    """corpus/release (shipped in the wheel) is what the code builds from corpus/raw today."""
    assert _files(RELEASE) == RELEASE_FILES, "run `minusma-corpus build`"
    for name in RELEASE_FILES:
        committed, fresh = RELEASE / name, built / name
        if name.endswith(".parquet"):
            # compared as data, so a different pyarrow version writing other bytes is not a failure
            same = pq.read_table(committed).equals(pq.read_table(fresh))
        elif name in ("SHA256SUMS", "croissant.json") or name == "README.md":
            # these hold Parquet checksums or sizes, which depend on the pyarrow version: compare the rest
            strip = lambda t: re.sub(r"[0-9a-f]{64}|(?:download_size|num_bytes|dataset_size): \d+", "#", t)  # noqa: E731
            same = strip(committed.read_text()) == strip(fresh.read_text())
        else:
            same = committed.read_bytes() == fresh.read_bytes()
        assert same, f"{committed} is stale: run `minusma-corpus build`"


def test_verify_detects_tampering(built, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    ok = subprocess.run([*CLI, "verify", str(copy)], capture_output=True, text=True)
    assert ok.returncode == 0 and "OK" in ok.stdout
    with open(copy / "claims.parquet", "ab") as f:
        f.write(b"x")
    (copy / "stray.txt").write_text("x")
    (copy / "LICENSE.md").unlink()
    bad = subprocess.run([*CLI, "verify", str(copy)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "claims.parquet: sha256 differs" in bad.stderr
    assert "LICENSE.md: missing" in bad.stderr and "stray.txt: not listed" in bad.stderr


def test_cli_build_prints_what_it_wrote(tmp_path):
    out = tmp_path / "rel"
    result = subprocess.run([*CLI, "build", "--raw", str(RAW), "--manifest", str(MANIFEST), "--out", str(out),
                             "--annotations", str(ANNOTATIONS), "--changelog", str(CHANGELOG)],
                            capture_output=True, text=True, check=True)
    assert "documents.parquet" in result.stdout and "sentences 213" in result.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no staging left behind


def _corpus_copy(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(RAW, raw)
    manifest = tmp_path / "manifest.jsonl"
    shutil.copy(MANIFEST, manifest)
    return raw, manifest


def _replace_raw(raw, manifest, source_file, data):
    import hashlib

    (raw / source_file).write_bytes(data)
    rows = [json.loads(line) for line in manifest.read_text().splitlines()]
    for row in rows:
        if row["source_file"] == source_file:
            row["sha256"] = hashlib.sha256(data).hexdigest()
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows))


@pytest.mark.parametrize("data, reason", [
    ("Titre\n\nL’armée a quitté la base.".encode("cp1252"), "not UTF-8"),
    (b"", "empty"),
    (b"Skip to content\nMenu\n\nLeave a Reply\n", "no recognisable article body"),
])
def test_bad_raw_file_fails_and_keeps_previous_release(tmp_path, data, reason):
    raw, manifest = _corpus_copy(tmp_path)
    out = tmp_path / "release"
    build(raw, manifest, out, ANNOTATIONS, CHANGELOG)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    _replace_raw(raw, manifest, "002_93340c338be8f046.txt", data)
    result = subprocess.run([*CLI, "build", "--raw", str(raw), "--manifest", str(manifest), "--out", str(out),
                             "--annotations", str(ANNOTATIONS), "--changelog", str(CHANGELOG)],
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert "002_93340c338be8f046.txt" in result.stderr and reason in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.jsonl", "raw", "release"]


def test_edited_raw_file_is_refused(tmp_path):
    raw, manifest = _corpus_copy(tmp_path)
    with open(raw / "001_5fcd22bafeeb8d23.txt", "ab") as f:
        f.write(b"\nAn added line.\n")
    with pytest.raises(CorpusError, match=r"001_5fcd22bafeeb8d23.txt: document dw-2023-07-04-foreseeable-disaster: sha256"):
        build(raw, manifest, tmp_path / "out", ANNOTATIONS, CHANGELOG)


def test_unlisted_and_missing_raw_files_are_refused(tmp_path):
    raw, manifest = _corpus_copy(tmp_path)
    (raw / "new_article.txt").write_text("Title\n\nA body paragraph that is long enough to count as prose here.\n")
    with pytest.raises(CorpusError, match="not in the manifest.*new_article.txt"):
        build(raw, manifest, tmp_path / "out", ANNOTATIONS, CHANGELOG)
    (raw / "new_article.txt").unlink()
    (raw / "004_afadfacde918633e.txt").unlink()
    with pytest.raises(CorpusError, match="missing: 004_afadfacde918633e.txt"):
        build(raw, manifest, tmp_path / "out", ANNOTATIONS, CHANGELOG)


@pytest.mark.parametrize("edit, message", [
    (lambda r: r.update(doc_id="Bad Id"), "doc_id 'Bad Id'"),
    (lambda r: r.update(date="July 4, 2023"), "is not ISO 8601"),
    (lambda r: r.pop("url"), "fields must be"),
])
def test_bad_manifest_rows_are_refused(tmp_path, edit, message):
    raw, manifest = _corpus_copy(tmp_path)
    rows = [json.loads(line) for line in manifest.read_text().splitlines()]
    edit(rows[1])
    manifest.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(CorpusError, match=rf"manifest.jsonl: (document \S+: )?line 2: .*{message}"):
        build(raw, manifest, tmp_path / "out", ANNOTATIONS, CHANGELOG)


def test_manifest_command_proposes_rows(tmp_path):
    result = subprocess.run([*CLI, "manifest", str(RAW / "001_5fcd22bafeeb8d23.txt"), "--language", "en"],
                            capture_output=True, text=True, check=True)
    row = json.loads(result.stdout)
    assert row["doc_id"].startswith("dw-2023-07-04-") and row["outlet"] == "DW" and row["url"] is None


def test_invalid_annotations_stop_the_build(tmp_path):
    out = tmp_path / "release"
    build(RAW, MANIFEST, out, ANNOTATIONS, CHANGELOG)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    annotations = tmp_path / "annotations"
    shutil.copytree(ANNOTATIONS, annotations)
    path = sorted((annotations / "gold").glob("*.json"))[0]
    data = json.loads(path.read_text())
    data["stances"][0]["target"] = "the_weather"
    path.write_text(json.dumps(data))
    with pytest.raises(AnnotationError, match=rf"(?s){path.name}.*annotation s001: stances/0/target"):
        build(RAW, MANIFEST, out, annotations, CHANGELOG)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
