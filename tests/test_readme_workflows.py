"""The README's workflows, run as written: "Adding an article" on a copy of the repository (offline), and
"Annotating in Label Studio" against a real server (marked ``labelstudio``: MINUSMA_HEAVY_TESTS=1).

Each runs the README's ```sh block line by line; the only substitutions are the article to add (a
synthetic fixture), ``minusma-corpus``/``python`` (this interpreter, with the checkout's ``src``), and
for the server a free port and a private data directory instead of 8080 and ~/.local/share."""

import json
import os
import re
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.paths import ROOT

README = ROOT / "README.md"
ARTICLE = Path(__file__).resolve().parent / "fixtures" / "articles" / "sahel_wire_synthetic.txt"
NEW_DOC = "sahel-2023-07-20-peacekeepers-hand-over-last"


def readme_commands(section: str) -> list[str]:
    """The command lines of the first ```sh block of a README section (comments dropped)."""
    text = README.read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", body, re.S).group(1)
    lines = [line.split("   #")[0].split("  # ")[0].strip() for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def _env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("MINUSMA_CORPUS_RELEASE", "LABEL_STUDIO_API_KEY")}
    return {**env, "PYTHONPATH": str(ROOT / "src"), **extra}


def _local(line: str) -> str:
    py = shlex.quote(sys.executable)
    line = re.sub(r"(^|&& )minusma-corpus ", rf"\1{py} -m minusma_corpus.cli ", line)
    line = re.sub(r"^(\.venv/bin/)?python ", f"{py} ", line)
    return line


def _run(line: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    done = subprocess.run(["bash", "-c", line], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
    return done


# --------------------------------------------------------------------------------------------
# Adding an article (offline)
# --------------------------------------------------------------------------------------------


def test_adding_an_article_as_the_readme_says(tmp_path):
    repo = tmp_path / "repo"
    for part in ("corpus/raw", "corpus/release", "annotations"):
        shutil.copytree(ROOT / part, repo / part)
    for part in ("corpus/manifest.jsonl", "CHANGELOG.md"):
        shutil.copy2(ROOT / part, repo / part)
    commands = readme_commands("Adding an article")
    assert commands[0] == "cp ~/Downloads/article.txt corpus/raw/article.txt"
    outputs = []
    for line in commands:
        outputs.append(_run(_local(line.replace("~/Downloads/article.txt", shlex.quote(str(ARTICLE)))), repo, _env()))
    rows = [json.loads(line) for line in (repo / "corpus" / "manifest.jsonl").read_text().splitlines()]
    assert len(rows) == 6 and rows[-1]["doc_id"] == NEW_DOC
    assert rows[-1]["outlet"] == "Sahel Wire"  # from the copyright line "© 2023 Sahel Wire. All rights reserved."
    assert not (repo / "row.jsonl").exists()
    build_out = next(o.stdout for line, o in zip(commands, outputs) if " build" in line)
    assert "note: 1 document(s) have no gold annotations" in build_out and build_out.rstrip().endswith(NEW_DOC)
    assert outputs[-1].stdout == "6\n"  # load() sees the rebuilt release, no reinstall

    import minusma_corpus

    release = repo / "corpus" / "release"
    documents = minusma_corpus.load("documents", release=release)
    assert len(documents) == 6 and NEW_DOC in set(documents["doc_id"])
    assert set(minusma_corpus.load("sentences", release=release)["doc_id"]) >= {NEW_DOC}
    assert NEW_DOC not in set(minusma_corpus.load("ner", release=release)["doc_id"])
    assert minusma_corpus.load_dataset("documents", release=release).num_rows == 6
    assert len(minusma_corpus.load("documents")) == 5  # the checkout's own release is untouched
    card = (release / "README.md").read_text(encoding="utf-8")
    assert "6 English news articles, 5 annotated" in card
    assert f"1 of the 6 articles have no gold annotations yet (`{NEW_DOC}`)" in card
    with pytest.raises(FileNotFoundError, match="not a release directory"):
        minusma_corpus.load("documents", release=repo / "corpus")


def test_in_a_checkout_load_reads_the_checkouts_release(tmp_path):
    """What an editable install (`pip install -e .`) gives: the package runs from src/, no release is
    copied next to it, so load() reads corpus/release, and a rebuild is seen without reinstalling. Run
    as the checkout's code (src/ first on the path), whatever is installed in this environment."""
    import os
    import subprocess
    import sys

    code = ("import minusma_corpus, sys; from minusma_corpus.api import release_dir; "
            "print(minusma_corpus.__file__); print(release_dir())")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("MINUSMA_CORPUS_RELEASE", None)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path,
                         check=True).stdout.splitlines()
    assert Path(out[0]).resolve().is_relative_to(ROOT / "src")
    assert Path(out[1]).resolve() == (ROOT / "corpus" / "release").resolve()


# --------------------------------------------------------------------------------------------
# The Label Studio loop (a real server)
# --------------------------------------------------------------------------------------------


def _annotate(client, project_id: int) -> list[str]:
    """Two annotators submit every task: the server's user accepts the pre-annotation, a second user
    changes the document stance. Returns their e-mails."""

    me = client.users.whoami()
    other_email = f"bob-{time.time_ns()}@example.org"
    other = client.users.create(username=other_email, email=other_email, password=os.urandom(12).hex())
    for task in client.tasks.list(project=project_id, fields="all"):
        [prediction] = [p for p in (task.predictions or [])][:1]
        result = prediction.result if hasattr(prediction, "result") else prediction["result"]
        client.annotations.create(id=task.id, result=result, completed_by=me.id)
        changed = json.loads(json.dumps(result))
        stance = next(r for r in changed if r["from_name"] == "document_stance")
        stance["value"]["choices"] = ["NONE" if stance["value"]["choices"] != ["NONE"] else "FAVOR"]
        client.annotations.create(id=task.id, result=changed, completed_by=other.id)
    return [me.email, other_email]


@pytest.mark.labelstudio
def test_label_studio_loop_as_the_readme_says(tmp_path):
    from minusma_corpus.labelstudio import server as lss
    from minusma_corpus.labelstudio.client import connect, find_project
    from minusma_corpus.labelstudio.importer import slugify

    commands = readme_commands("Annotating in Label Studio")
    start, *loop = commands
    assert start == ".venv/bin/python scripts/start_annotation_server.py"
    assert loop[0] == "minusma-corpus ls pull --out annotations/passes/round1"
    repo = tmp_path / "repo"
    for part in ("corpus/raw", "annotations"):
        shutil.copytree(ROOT / part, repo / part)
    shutil.copy2(ROOT / "corpus" / "manifest.jsonl", repo / "corpus" / "manifest.jsonl")
    data_home = tmp_path / "data-home"  # the token file and the server's data, not the user's own
    env = _env(XDG_DATA_HOME=str(data_home), LABEL_STUDIO_PASSWORD="readme-test-password")
    port = lss.free_port()
    url = f"http://127.0.0.1:{port}"
    script = _local(start.replace(".venv/bin/python scripts/", f"python {ROOT}/scripts/")) + f" --port {port}"
    server = subprocess.Popen(["bash", "-c", f"exec {script}"], cwd=repo, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=True)
    printed = []
    try:
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:  # until the script says the server is ready
            line = server.stdout.readline()
            if not line:
                pytest.fail(f"the script stopped: {server.stderr.read()}")
            printed.append(line)
            if line.startswith("Ctrl-C stops the server"):
                break
        out = "".join(printed)
        assert f"Label Studio is running: {url}" in out and "5 documents uploaded" in out
        token = re.search(r"^API token: (\S+)$", out, re.M).group(1)
        token_file = data_home / "minusma-corpus" / "label-studio-token.json"
        assert json.loads(token_file.read_text()) == {"url": url, "token": token}
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        assert "readme-test-password" not in out and out.count(token) == 1  # printed once, to this person

        client = connect(url, token)
        emails = _annotate(client, find_project(client, "minusma-corpus").id)

        outputs = []
        for line in loop:  # the token comes from the file the script wrote (LABEL_STUDIO_API_KEY is unset)
            outputs.append(_run(_local(line.replace("minusma-corpus ls pull", f"minusma-corpus ls pull --url {url}")),
                                repo, env))
        pulled = repo / "annotations" / "passes" / "round1"
        assert sorted(p.name for p in pulled.iterdir()) == sorted(slugify(e) for e in emails)
        for email in emails:
            for path in sorted((pulled / slugify(email)).glob("*.json")):
                provenance = json.loads(path.read_text())["provenance"]
                assert provenance["status"] == "pass" and provenance["annotator"] == email, path
            assert len(list((pulled / slugify(email)).glob("*.json"))) == 5
        assert "next:" in outputs[0].stdout and "minusma-corpus agreement annotations/gold " in outputs[0].stdout
        gold_vs, pairs = outputs[1].stdout, outputs[2].stdout
        assert gold_vs.count("## annotations/gold (A) vs ") == 2 and "share no document" not in gold_vs
        assert pairs.count(" (A) vs ") == 1 and "document stance" in pairs
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the script stops its server by its process id
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    assert "Label Studio stopped." in server.stdout.read()
