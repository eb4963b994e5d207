"""The annotation lead's loop without a server: an export with two annotators is pulled into
DIR/<annotator>/, stamped as passes (never gold), compared with `agreement` as the pull says, a region that
disagrees with the knowledge base is refused with how to proceed or skipped with --skip-invalid; the API
token the server script stores is found by the `ls` commands. (Through a real server: test_labelstudio_server.py.)"""

import json
import os
import shlex
import stat

import pytest

from minusma_corpus.annotations.fileformat import read_annotation_file
from minusma_corpus.cli import main
from minusma_corpus.labelstudio import credentials
from support.paths import ANNOTATIONS, MANIFEST, RAW

CORPUS = ["--raw", str(RAW), "--manifest", str(MANIFEST), "--annotations", str(ANNOTATIONS)]
DOC = "reuters-undated-vote-to-end-mission"


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """A Label Studio export of the five documents: alice submitted the gold unchanged, bob changed one
    document stance of each document (so the two passes disagree)."""
    path = tmp_path_factory.mktemp("export") / "tasks.json"
    assert main(["ls", "export", "--out", str(path), "--as", "annotations", *CORPUS]) == 0
    tasks = json.loads(path.read_text())
    for n, task in enumerate(tasks):
        alice = {**task["annotations"][0], "id": 10 + n, "completed_by": {"email": "alice@example.org"}}
        bob = json.loads(json.dumps({**alice, "id": 20 + n, "completed_by": {"email": "bob@example.org"}}))
        stance = next(r for r in bob["result"] if r["from_name"] == "document_stance")
        stance["value"]["choices"] = ["NONE" if stance["value"]["choices"] != ["NONE"] else "FAVOR"]
        task.update(id=n + 1, annotations=[alice, bob])
    path.write_text(json.dumps(tasks))
    return tasks


def _write(tmp_path, tasks):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks))
    return path


def test_pull_writes_passes_stamped_with_their_annotator_and_the_next_commands_work(export, tmp_path, capsys):
    out = tmp_path / "passes" / "round1"
    assert main(["ls", "import", str(_write(tmp_path, export)), "--out", str(out), *CORPUS]) == 0
    printed = capsys.readouterr().out
    assert sorted(p.name for p in out.iterdir()) == ["alice-example-org", "bob-example-org"]
    for annotator in ("alice", "bob"):
        for path in sorted((out / f"{annotator}-example-org").glob("*.json")):
            provenance = read_annotation_file(path)["provenance"]
            assert provenance["status"] == "pass" and provenance["annotator"] == f"{annotator}@example.org", path
    gold_method = read_annotation_file(ANNOTATIONS / "gold" / f"{DOC}.json")["provenance"]["method"]
    assert gold_method in read_annotation_file(out / "alice-example-org" / f"{DOC}.json")["provenance"]["method"]
    steps = [line.split("#")[0].strip() for line in printed.split("next:\n", 1)[1].splitlines()]
    agreement_steps = [s for s in steps if s.startswith("minusma-corpus agreement")]
    assert len(agreement_steps) == 2
    for step in agreement_steps:  # the printed commands run as printed
        assert main(shlex.split(step)[1:]) == 0, step
    report = capsys.readouterr().out
    assert "## gold (A) vs alice-example-org (B)" not in report  # named by path, A = the gold directory
    assert f"## {ANNOTATIONS / 'gold'} (A) vs alice-example-org (B)" in report
    assert "## alice-example-org (A) vs bob-example-org (B)" in report
    assert report.count("document stance") == 3 and "documents: " in report


def test_agreement_of_the_pull_directory_alone_needs_two_annotators(export, tmp_path, capsys):
    out = tmp_path / "one"
    only_alice = [{**t, "annotations": t["annotations"][:1]} for t in export]
    assert main(["ls", "import", str(_write(tmp_path, only_alice)), "--out", str(out), *CORPUS]) == 0
    capsys.readouterr()
    assert main(["agreement", str(out)]) == 1
    assert "holds one annotation set; give a second one" in capsys.readouterr().err
    assert main(["agreement", str(ANNOTATIONS / "gold"), str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"]  # one pair: the JSON of one comparison, as before


def _kb_mismatch(export):
    """bob labels a GPE mention (linked to a GPE entity) LOC in one document."""
    tasks = json.loads(json.dumps(export))
    task = next(t for t in tasks if t["data"]["doc_id"] == DOC)
    region = next(r for r in task["annotations"][1]["result"]
                  if r["from_name"] == "mention" and r["value"]["labels"] == ["GPE"])
    region["value"]["labels"] = ["LOC"]
    return tasks, region["id"]


def test_a_region_against_the_kb_is_refused_with_how_to_proceed(export, tmp_path, capsys):
    tasks, rid = _kb_mismatch(export)
    out = tmp_path / "out"
    assert main(["ls", "import", str(_write(tmp_path, tasks)), "--out", str(out), *CORPUS]) == 1
    err = capsys.readouterr().err
    assert f"(document {DOC}), annotation" in err and f"region {rid}: label LOC differs from entity" in err
    assert "--skip-invalid" in err and "--no-kb-check" in err and "entities.json" in err and "nothing was written" in err
    assert not out.exists()
    assert main(["ls", "import", str(_write(tmp_path, tasks)), "--out", str(out), "--no-kb-check", *CORPUS]) == 0


def test_skip_invalid_writes_the_valid_sets_and_lists_the_rest_per_document(export, tmp_path, capsys):
    tasks, rid = _kb_mismatch(export)
    out = tmp_path / "out"
    assert main(["ls", "import", str(_write(tmp_path, tasks)), "--out", str(out), "--skip-invalid", *CORPUS]) == 1
    captured = capsys.readouterr()
    assert len(list((out / "alice-example-org").glob("*.json"))) == 5
    assert sorted(p.stem for p in (out / "bob-example-org").glob("*.json")) == sorted(
        t["data"]["doc_id"] for t in tasks if t["data"]["doc_id"] != DOC)
    assert "1 document with invalid annotation sets" in captured.err
    assert f"  document {DOC}:\n" in captured.err and f"region {rid}: label LOC differs" in captured.err
    assert "9 annotation sets of 5 documents" in captured.out


def test_the_server_scripts_token_is_found_by_the_ls_commands(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    assert credentials.api_key("http://127.0.0.1:8080") is None
    path = credentials.save_token("http://127.0.0.1:8080/", "secret-token-1234")
    assert path == credentials.token_file() and path.is_relative_to(tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert credentials.api_key("http://127.0.0.1:8080") == "secret-token-1234"
    assert credentials.api_key("http://localhost:8080/") == "secret-token-1234"
    assert credentials.api_key("http://127.0.0.1:8081") is None  # another server's token is not sent
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "from-the-environment")
    assert credentials.api_key("http://127.0.0.1:8080") == "from-the-environment"
    credentials.save_token("http://127.0.0.1:9000", "other-token-5678")  # replaced, still 0600
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and [p.name for p in path.parent.iterdir()] == [path.name]
    path.write_text("not json")
    monkeypatch.delenv("LABEL_STUDIO_API_KEY")
    assert credentials.api_key("http://127.0.0.1:9000") is None
    assert os.environ.get("LABEL_STUDIO_API_KEY") is None


def test_an_adjudication_pulled_per_annotator_stays_gold(export, tmp_path, capsys):
    review = tmp_path / "review.json"
    assert main(["ls", "adjudicate", str(_write(tmp_path, export)), "--out", str(review), *CORPUS]) == 0
    tasks = json.loads(review.read_text())
    assert len(tasks) == 5
    for n, task in enumerate(tasks):  # the lead submits alice's version
        task.update(id=100 + n, annotations=[{"id": 200 + n, "completed_by": {"email": "lead@example.org"},
                                              "result": task["predictions"][0]["result"]}])
    review.write_text(json.dumps(tasks))
    out = tmp_path / "adjudicated"
    assert main(["ls", "import", str(review), "--out", str(out), *CORPUS]) == 0
    files = sorted(out.glob("*/*.json"))
    assert len(files) == 5
    assert {(p["status"], p["annotator"]) for p in (read_annotation_file(f)["provenance"] for f in files)} == {
        ("gold", "lead@example.org")}
