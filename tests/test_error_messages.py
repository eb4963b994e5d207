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


def test_the_packaged_release_date_is_the_changelog_date_of_the_version():
    from minusma_corpus.publish.build import release_date
    from minusma_corpus.version import __release_date__, __version__

    assert release_date(ROOT / "CHANGELOG.md", __version__) == __release_date__


def test_build_works_from_another_directory_with_explicit_paths(tmp_path):
    out = tmp_path / "release"
    result = run("build", "--raw", RAW, "--manifest", MANIFEST, "--annotations", ANNOTATIONS, "--out", out, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (out / "croissant.json").read_bytes() == (ROOT / "corpus" / "release" / "croissant.json").read_bytes()


def test_counts_are_singular_for_one(tmp_path):
    one = sorted((ANNOTATIONS / "gold").glob("*.json"))[0]
    result = run("validate", one)
    assert result.returncode == 0 and "1 annotation file, 0 problems" in result.stdout
    result = run("build", "--out", tmp_path / "out")
    sizes = [line for line in result.stdout.splitlines() if line.endswith(" bytes")]
    assert len({line.index(" bytes") for line in sizes}) == 1, sizes  # one column, however long a name
    assert any("figures/claim_clusters.svg" in line for line in sizes)


@pytest.mark.parametrize("paths", [["annotations/gold"], ["annotations/passes/independent/a"],
                                   sorted(str(p.relative_to(ROOT)) for p in (ANNOTATIONS / "passes/independent/a").glob("*.json"))])
def test_validate_takes_a_directory_or_its_globbed_files_with_its_own_inventory(paths):
    result = run("validate", *paths)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("5 annotation files, 0 problems")


def test_stats_of_a_damaged_release_names_the_file(tmp_path):
    release = tmp_path / "release"
    shutil.copytree(ROOT / "corpus" / "release", release)
    documents = release / "documents.parquet"
    documents.write_bytes(documents.read_bytes()[:1000])
    lines = error_lines(run("stats", "--release", release))
    assert any("documents.parquet" in line for line in lines), lines


def _jsonl(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


TEXT = "The minister said on Friday that the United Nations mission would leave Mali by the end of the year."


@pytest.mark.parametrize("rows, expected", [
    ([{"doc_id": "a", "raw_text": 5}], "document a: raw_text is empty, missing or not a string"),
    ([{"doc_id": "a", "raw_text": "  "}], "document a: raw_text holds only white space"),
    ([{"doc_id": 7, "raw_text": TEXT}], "doc_id 7 is not a non-empty string"),
    ([{"doc_id": "a", "raw_text": TEXT}, {"doc_id": "a", "raw_text": TEXT}], "1 doc_id(s) occur more than once ('a')"),
    ([{"doc_id": "a", "raw_text": TEXT}, "[1, 2]"], "line 2: a JSONL row is a JSON object"),
    ([{"doc_id": "a", "raw_text": TEXT}, {"doc_id": "b"}], "line 2: missing column(s) raw_text"),
    (["[" * 500 + "]" * 500], "JSON nested too deeply"),
])
def test_process_refuses_a_bad_table_row_in_one_line_naming_the_input(tmp_path, rows, expected):
    table = _jsonl(tmp_path / "crawl.jsonl", rows)
    result = run("process", str(table), "--out", str(tmp_path / "out"))
    lines = error_lines(result)
    assert len(lines) == 1 and str(table) in lines[0] and expected in lines[0], result.stderr
    assert not (tmp_path / "out").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["crawl.jsonl"]


def test_process_refuses_a_truncated_parquet_input_in_one_line(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    whole = tmp_path / "whole.parquet"
    pq.write_table(pa.table({"doc_id": ["a"], "raw_text": [TEXT]}), whole)
    cut = tmp_path / "crawl.parquet"
    cut.write_bytes(whole.read_bytes()[:-20])
    result = run("process", str(cut), "--out", str(tmp_path / "out"))
    lines = error_lines(result)
    assert len(lines) == 1 and str(cut) in lines[0] and "not a readable Parquet file" in lines[0], result.stderr
    assert "bug" not in result.stderr and not (tmp_path / "out").exists()
