"""Refusals a new user meets, through the real command line: one line per problem, each
``minusma-corpus: error: <file>[: document][: annotation]: <reason>; <what to do>``, only the real problems,
and nothing written."""

import json
import shutil
import subprocess
import sys

import pytest

from support.paths import ANNOTATIONS, MANIFEST, RAW, ROOT

CLI = [sys.executable, "-m", "minusma_corpus.cli"]
BROKEN = "reuters-undated-vote-to-end-mission.json"


def run(*args, cwd=ROOT):
    return subprocess.run([*CLI, *map(str, args)], capture_output=True, text=True, cwd=cwd)


def error_lines(result) -> list[str]:
    lines = result.stderr.splitlines()
    assert result.returncode != 0 and "Traceback" not in result.stderr and "this is a bug" not in result.stderr
    assert lines and all(line.startswith("minusma-corpus: error: ") and "; " in line for line in lines), lines
    return lines


@pytest.fixture(params=["truncated", "too deep"])
def one_broken_file(request, tmp_path):
    annotations = tmp_path / "annotations"
    shutil.copytree(ANNOTATIONS, annotations)
    path = annotations / "gold" / BROKEN
    if request.param == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    else:
        path.write_text("[" * 200 + "]" * 200)
    return annotations


@pytest.mark.parametrize("command", [["validate"], ["build", "--out", "OUT"], ["export", "--format", "jsonl", "--out", "OUT"]])
def test_one_broken_annotation_file_is_the_only_problem_reported(one_broken_file, command, tmp_path):
    out = tmp_path / "new" / "out"
    result = run(*[str(out) if c == "OUT" else c for c in command], "--annotations", one_broken_file)
    (line,) = error_lines(result)
    assert f"gold/{BROKEN}: " in line and ("not valid JSON" in line or "nested too deeply" in line)
    if command[0] != "validate":
        assert "nothing was" in line
    assert not (tmp_path / "new").exists()


def test_a_source_file_outside_the_raw_directory_is_refused_naming_the_manifest_given(tmp_path):
    rows = MANIFEST.read_text(encoding="utf-8").splitlines()
    first = json.loads(rows[0])
    manifest = tmp_path / "other.jsonl"
    manifest.write_text("\n".join([rows[0], json.dumps({**json.loads(rows[1]), "source_file": "../../README.md"}),
                                   *rows[2:]]) + "\n", encoding="utf-8")
    (line,) = error_lines(run("build", "--manifest", manifest, "--out", tmp_path / "out"))
    doc_id = json.loads(rows[1])["doc_id"]
    assert line.startswith(f"minusma-corpus: error: {manifest}: document {doc_id}: line 2: ")
    assert "outside the raw directory" in line and "corpus/manifest.jsonl" not in line and first["doc_id"] not in line


@pytest.mark.parametrize("args", [["agreement", "/etc/passwd"], ["clean", "NOT_UTF8"], ["validate", "--manifest", "BAD_JSONL"]])
def test_advice_fits_the_error(args, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe article")
    jsonl = tmp_path / "m.jsonl"
    jsonl.write_text('{"doc_id": \n', encoding="utf-8")
    args = [{"NOT_UTF8": bad, "BAD_JSONL": jsonl}.get(a, a) for a in args]
    for line in error_lines(run(*args)):
        assert "corpus/manifest.jsonl" not in line and "fix the raw file" not in line
