"""Round trips through a real Label Studio server, installed and started by the session fixture below
(its own virtual environment under the cache directory, bound to 127.0.0.1, a preset user and API token,
stopped by its process id). Marked ``labelstudio``: they run (and install Label Studio when it is missing)
only with MINUSMA_HEAVY_TESTS=1 (see tests/support/heavy.py)."""

import copy
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support.paths import ANNOTATIONS, MANIFEST, RAW, ROOT
from minusma_corpus import labelstudio as ls
from minusma_corpus.labelstudio import server as lss
from minusma_corpus.annotations.fileformat import read_annotation_file, read_json_list
from test_labelstudio import unicode_fixture

pytestmark = pytest.mark.labelstudio

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "labelstudio"
GOLD_FILES = sorted((ANNOTATIONS / "gold").glob("*.json"))


@pytest.fixture(scope="session")
def server():
    t0 = time.perf_counter()
    srv = lss.start()
    print(f"\nLabel Studio {lss.LABEL_STUDIO_VERSION} ready at {srv.url} in {time.perf_counter() - t0:.1f} s "
          f"(this start: {srv.startup_seconds:.1f} s)", file=sys.stderr)
    yield srv
    srv.stop()
    assert not srv.alive() and not srv.data_dir.exists()


@pytest.fixture(scope="session")
def client(server):
    return server.client()


@pytest.fixture(scope="module")
def documents(processed):
    return {k: d.document() for k, d in processed.items()}


def _title(name: str) -> str:
    return f"{name}-{time.time_ns()}"


# --------------------------------------------------------------------------------------------
# The server itself
# --------------------------------------------------------------------------------------------


def test_server_is_local_and_keeps_secrets_out_of_its_log(server, client):
    assert server.url == f"http://127.0.0.1:{server.port}"
    log = server.log_path.read_text(encoding="utf-8", errors="replace")
    assert lss.bound_address(log) == ("127.0.0.1", server.port)
    assert server.api_key not in log and server.password not in log
    listening = Path("/proc/net/tcp").read_text().splitlines()[1:]
    ours = [line.split() for line in listening if line.split()[3] == "0A" and
            int(line.split()[1].split(":")[1], 16) == server.port]
    assert ours and all(row[1].split(":")[0] == "0100007F" for row in ours)  # 127.0.0.1 only, not 0.0.0.0
    tcp6 = Path("/proc/net/tcp6")
    if tcp6.exists():  # and not on any IPv6 address either
        assert not [line for line in tcp6.read_text().splitlines()[1:] if line.split()[3] == "0A" and
                    int(line.split()[1].rsplit(":", 1)[1], 16) == server.port]
    assert client.users.whoami().email == server.username


def test_labeling_config_accepted_on_project_creation(client):
    config = ls.label_config()
    project = client.projects.create(title=_title("config"), label_config=config)
    assert client.projects.get(project.id).label_config == config
    adjudication = client.projects.create(title=_title("config-adjudication"),
                                          label_config=ls.label_config(adjudication=True))
    assert adjudication.id != project.id


def test_busy_port_is_refused_not_moved():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        import tempfile

        before = set(Path(tempfile.gettempdir()).glob("minusma-label-studio-*"))
        with pytest.raises(lss.ServerError, match=f"port {port} on 127.0.0.1 is busy"):
            lss.start(port=port)
        assert set(Path(tempfile.gettempdir()).glob("minusma-label-studio-*")) == before  # nothing left behind


def test_start_and_stop_by_process_id_and_restart_on_the_same_data(tmp_path):
    data_dir = tmp_path / "ls-data"
    first = lss.start(data_dir)
    try:
        assert first.startup_seconds < 60 and first.new_user
        first.client().projects.create(title="kept", label_config=ls.label_config())
    finally:
        first.stop()
    assert not first.alive()
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", first.port)) != 0
    assert data_dir.exists()  # a given data directory is kept
    second = lss.start(data_dir)  # user and token read back from the server's own database
    try:
        assert not second.new_user and second.api_key == first.api_key
        assert [p.title for p in second.client().projects.list()] == ["kept"]
    finally:
        second.stop()


# --------------------------------------------------------------------------------------------
# Round-trip identity through the server
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["predictions", "annotations"])
def test_round_trip_identity_of_every_gold_document(client, documents, gold, kb, mode):
    tasks = ls.export_tasks(documents.values(), {k: [v] for k, v in gold.items()}, mode)
    report = ls.push(client, _title(f"round-trip-{mode}"), tasks)
    assert report.created and report.uploaded == len(documents)
    exported = ls.pull_export(client, report.project_id)
    assert len(exported) == len(documents)
    imported = ls.import_tasks(exported, {k: d.text for k, d in documents.items()}, predictions=True,
                               kb=kb[0], clusters=kb[1])
    got = {s.doc_id: s.data for s in imported.sets}
    assert len(imported.sets) == len(gold)
    for doc_id, data in gold.items():
        assert got[doc_id] == data, doc_id
    files = ls.arrange(imported, "flat")
    for path, data in files.items():  # byte for byte the files of annotations/gold
        from minusma_corpus.annotations.fileformat import dumps_annotation

        assert dumps_annotation(data) == (ANNOTATIONS / "gold" / path).read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", ["predictions", "annotations"])
def test_round_trip_identity_of_the_unicode_document(client, kb, mode):
    doc, data, clusters = unicode_fixture()  # at the schema's version
    [task] = ls.export_tasks([doc], {doc.doc_id: [data]}, mode)
    report = ls.push(client, _title(f"unicode-{mode}"), [task])
    [exported] = ls.pull_export(client, report.project_id)
    assert exported["data"]["text"] == doc.text  # \r\n, combining accents and astral characters kept
    result = exported[mode][0]["result"]
    spans = [r["value"] for r in result if r.get("type") == "labels"]
    assert spans and all(doc.text[v["start"]:v["end"]] == v["text"] for v in spans)  # code-point offsets
    [got] = ls.import_tasks([exported], {doc.doc_id: doc.text}, predictions=True, kb=kb[0], clusters=clusters).sets
    assert got.data == data


def test_several_annotators_cancelled_and_empty_tasks_on_the_server(client, documents, gold):
    doc_id = "reuters-undated-vote-to-end-mission"
    data = gold[doc_id]
    emails = []
    for name in ("alice", "bob"):
        email = f"{name}-{time.time_ns()}@example.org"
        client.users.create(username=email, email=email, password=os.urandom(12).hex())
        emails.append(email)
    [task] = ls.export_tasks([documents[doc_id]], {doc_id: [data]}, "annotations")
    changed = copy.deepcopy(task["annotations"][0])
    next(r for r in changed["result"] if r["from_name"] == "document_stance")["value"]["choices"] = ["FAVOR"]
    cancelled = {"result": [], "was_cancelled": True, "completed_by": {"email": emails[0]}}
    task["annotations"] = [{**task["annotations"][0], "completed_by": {"email": emails[0]}},
                           {**changed, "completed_by": {"email": emails[1]}}, cancelled]
    [empty] = ls.export_tasks([documents["dw-2023-07-04-foreseeable-disaster"]])
    report = ls.push(client, _title("annotators"), [task, empty])
    exported = ls.pull_export(client, report.project_id)
    imported = ls.import_tasks(exported, {k: d.text for k, d in documents.items()})
    by_name = {s.name: s.data for s in imported.sets}
    assert sorted(by_name) == sorted(emails)
    assert by_name[emails[0]] == data  # unchanged: keeps its provenance
    assert by_name[emails[1]]["document_stance"]["polarity"] == "FAVOR"
    assert by_name[emails[1]]["provenance"]["annotator"] == emails[1]
    assert [line.split(": ", 1)[1] for line in imported.skipped] == [
        f"annotation {next(a['id'] for a in exported[0]['annotations'] if a['was_cancelled'])} ({emails[0]}) was "
        "cancelled (skipped)", "no submitted annotation"]
    assert "agreement" in ls.agreement_report(imported)


def test_adjudication_through_the_server_imports_as_gold(client, documents, kb, tmp_path):
    """Two annotators disagree; the review project shows the disagreements; the reviewer's submission
    comes back as gold."""
    tasks = []
    for i, doc_id in enumerate(sorted(p.stem for p in (ANNOTATIONS / "passes" / "b").glob("*.json"))):
        a = read_annotation_file(ANNOTATIONS / "passes" / "a" / f"{doc_id}.json")
        b = read_annotation_file(ANNOTATIONS / "passes" / "b" / f"{doc_id}.json")
        [task] = ls.export_tasks([documents[doc_id]], {doc_id: [a, b]}, "annotations")
        task["data"]["minusma"]["exported"] = []
        for annotation, who in zip(task["annotations"], ("pass-a@example.org", "pass-b@example.org")):
            annotation["completed_by"] = {"email": who}
        task.update({"id": i + 1})
        tasks.append(task)
    texts = {k: d.text for k, d in documents.items()}
    annotators = ls.import_tasks(json.loads(json.dumps(tasks)), texts)
    review = ls.adjudication_tasks(annotators, documents)
    assert len(review) == 2 and all(t["data"]["disagreements"] for t in review)
    for t in review:  # the reviewer (here: the server's user) submits pass B's version
        t["annotations"] = [{"result": t["predictions"][1]["result"]}]
    report = ls.push(client, _title("adjudication"), review, ls.label_config(adjudication=True))
    exported = ls.pull_export(client, report.project_id)
    gold = ls.import_tasks(exported, texts, kb=kb[0], clusters=kb[1])
    files = ls.arrange(gold, "flat")
    assert len(files) == 2
    for data in files.values():
        assert data["provenance"]["status"] == "gold" and data["provenance"]["annotator"] == client.users.whoami().email
        b = read_annotation_file(ANNOTATIONS / "passes" / "b" / f"{data['doc_id']}.json")
        assert {k: v for k, v in data.items() if k != "provenance"} == {k: v for k, v in b.items() if k != "provenance"}


# --------------------------------------------------------------------------------------------
# CLI push / pull, the one-command script and the benchmark
# --------------------------------------------------------------------------------------------


def _corpus_args():
    return ["--raw", str(RAW), "--manifest", str(MANIFEST), "--annotations", str(ANNOTATIONS)]


def test_cli_push_then_pull(server, monkeypatch, tmp_path, capsys):
    from minusma_corpus.cli import main

    monkeypatch.setenv("LABEL_STUDIO_API_KEY", server.api_key)
    project = _title("cli")
    push = ["ls", "push", "--url", server.url, "--project", project, "--as", "annotations", *_corpus_args()]
    assert main(push) == 0
    assert "(created)" in capsys.readouterr().out
    assert main(push) == 0  # again: the project is updated, no document uploaded twice
    out = capsys.readouterr().out
    assert "(updated)" in out and "0 tasks uploaded" in out and out.count("already in project") == 5
    pull = ["ls", "pull", "--url", server.url, "--project", project, "--out", str(tmp_path / "gold"), "--flat",
            "--save-export", str(tmp_path / "export.json"), *_corpus_args()]
    assert main(pull) == 0
    for p in GOLD_FILES:
        assert (tmp_path / "gold" / p.name).read_bytes() == p.read_bytes()
    assert len(json.loads((tmp_path / "export.json").read_text())) == 5
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "wrong-token-0000")
    assert main(pull) == 1
    assert "the server answered 401" in capsys.readouterr().err


def test_start_annotation_server_script_loads_the_corpus(tmp_path):
    env = {**os.environ, "LABEL_STUDIO_PASSWORD": "not-printed-1234", "XDG_DATA_HOME": str(tmp_path / "home")}
    env.pop("LABEL_STUDIO_API_KEY", None)
    port = lss.free_port()
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "start_annotation_server.py"), "--port", str(port),
                           "--data-dir", str(tmp_path / "data"), "--exit-after-load"],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr
    assert f"Label Studio is running: http://127.0.0.1:{port}" in done.stdout
    assert "5 documents uploaded" in done.stdout and "not-printed-1234" not in done.stdout
    assert "Label Studio stopped." in done.stdout
    token = next(line.split(": ", 1)[1] for line in done.stdout.splitlines() if line.startswith("API token: "))
    stored = json.loads((tmp_path / "home" / "minusma-corpus" / "label-studio-token.json").read_text())
    assert stored == {"url": f"http://127.0.0.1:{port}", "token": token} and token not in done.stderr
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0


def test_bench_script_runs(server):
    env = {**os.environ, "LABEL_STUDIO_API_KEY": server.api_key}
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_labelstudio.py"), "--tasks", "10",
                           "--url", server.url], capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    steps = {line.split()[0] for line in done.stdout.splitlines() if line.rstrip().endswith(" s")}
    assert {"export", "push", "pull", "import"} <= steps
    assert "round trip identical: 10/10" in done.stdout


# --------------------------------------------------------------------------------------------
# The Label Studio frontend (headless Chromium): its offsets are Python code points
# --------------------------------------------------------------------------------------------


def _wait_for(page, expression: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        time.sleep(0.25)
    raise TimeoutError(f"waited {timeout} s for {expression}")


def _drag(page, x0: float, y0: float, x1: float, y1: float) -> None:
    """A real mouse selection (press, move, release), as a person selects text."""
    for kind, x, y, buttons in (("mousePressed", x0, y0, 1), ("mouseMoved", (x0 + x1) / 2, y1, 1),
                                ("mouseMoved", x1, y1, 1), ("mouseReleased", x1, y1, 0)):
        page.browser.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left",
                                                       "buttons": buttons, "clickCount": 1}, page.session)
        time.sleep(0.05)


_SELECT_TEXT = r"""
(() => {
  const walker = document.createTreeWalker(document.querySelector('.lsf-main-view') || document.body,
                                           NodeFilter.SHOW_TEXT);
  const found = [];
  for (let node; (node = walker.nextNode());) if (node.data.includes(%(quote)s)) found.push(node);
  const node = found[found.length - 1];  // the labeling view's text, not the task table's preview
  const i = node.data.indexOf(%(quote)s), range = document.createRange();
  range.setStart(node, i);
  range.setEnd(node, i + %(quote)s.length);
  const rects = range.getClientRects(), a = rects[0], b = rects[rects.length - 1];
  return [a.left + 1, (a.top + a.bottom) / 2, b.right - 1, (b.top + b.bottom) / 2];
})()
"""


def test_label_studio_frontend_uses_code_point_offsets(server, client, kb):
    """In the real Label Studio UI: the regions of the Unicode document are shown where they belong and the
    frontend serialises them unchanged; a region drawn with the mouse after flags, emoji, mathematical letters,
    a combining accent and \\r\\n gets Python code-point offsets; and the annotator's submission imports."""
    from support.browser import Browser  # tests/support/browser.py: headless Chromium over CDP (Debian's package if missing)

    doc, data, _clusters = unicode_fixture()  # at the schema's version
    [task] = ls.export_tasks([doc], {doc.doc_id: [data]}, "annotations")
    project = ls.push(client, _title("frontend"), [task]).project_id
    task_id = next(iter(client.tasks.list(project=project))).id
    with Browser.launch(width=1400, height=1000) as chromium:
        page = chromium.new_page()
        page.goto(f"{server.url}/user/login/")
        page.evaluate(f"""(() => {{
            document.querySelector('input[name=email]').value = {json.dumps(server.username)};
            document.querySelector('input[name=password]').value = {json.dumps(server.password)};
            document.querySelector('form').submit(); }})()""")
        _wait_for(page, "location.pathname !== '/user/login/'")
        page.goto(f"{server.url}/projects/{project}/data?task={task_id}")
        expected = len([r for r in task["annotations"][0]["result"] if r.get("type") == "labels"])
        spans = "Htx.annotationStore.selected.regions.filter(r => r.globalOffsets)"  # not the document stance
        _wait_for(page, f"window.Htx && Htx.annotationStore.selected && {spans}.length === {expected}")
        shown = page.evaluate(f"{spans}.map(r => [r.cleanId, r.globalOffsets.start, r.globalOffsets.end, r.text])")
        assert len(shown) == expected
        for rid, start, end, quote in shown:  # where the browser shows each region, in code points
            assert doc.text[start:end] == quote, rid
        serialized = page.evaluate("Htx.annotationStore.selected.serializeAnnotation()")
        [same] = ls.import_tasks([{**task, "id": task_id, "annotations": [{"id": 1, "result": serialized}]}],
                                 {doc.doc_id: doc.text}).sets
        assert same.data == data  # what an annotator's "Update" sends imports as the original

        page.evaluate("[...document.querySelectorAll('.lsf-label')].find(e => e.textContent.trim()"
                      ".startsWith('ORG')).click()")
        quote = "café owners"
        _drag(page, *page.evaluate(_SELECT_TEXT % {"quote": json.dumps(quote)}))
        drawn = _wait_for(page, "Htx.annotationStore.selected.serializeAnnotation().filter(r => r.type === 'labels'"
                                f" && r.value.text === {json.dumps(quote)})")
        start = doc.text.index(quote)
        assert [(r["value"]["start"], r["value"]["end"]) for r in drawn] == [(start, start + len(quote))]
        assert len(doc.text[:start].encode("utf-16-le")) // 2 > start  # UTF-16 offsets would differ here
        page.evaluate("[...document.querySelectorAll('button')].find(b => b.textContent.trim() === 'Update')"
                      ".click()")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            [exported] = ls.pull_export(client, project)
            if len(exported["annotations"][0]["result"]) > len(task["annotations"][0]["result"]):
                break
            time.sleep(0.5)
    [submitted] = ls.import_tasks([exported], {doc.doc_id: doc.text}).sets
    new = [m for m in submitted.data["mentions"] if m["exact"] == quote]
    assert [(m["id"], m["label"], m["start"]) for m in new] == [("m009", "ORG", start)]
    assert submitted.data["provenance"]["annotator"] == server.username  # changed: attributed to its annotator
    without = {**submitted.data, "mentions": [m for m in submitted.data["mentions"] if m["exact"] != quote]}
    assert {k: v for k, v in without.items() if k != "provenance"} == {
        k: v for k, v in data.items() if k != "provenance"}
