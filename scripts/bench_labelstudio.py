"""Benchmark: push and pull of N tasks (default 1,000) with pre-annotations against a local Label Studio.

    .venv/bin/python scripts/bench_labelstudio.py [--tasks 1000] [--url URL]

The tasks are the gold documents, repeated under new doc ids (each with all its gold annotations as a
prediction). Without ``--url`` a local server is started (and stopped) for the run; with ``--url`` the
server's API key is read from LABEL_STUDIO_API_KEY. Reports seconds for each step:

    export   annotation sets -> tasks JSON (in memory)
    push     create the project and upload the tasks (``ls.push``: pre-serialised JSON, one POST, or
             batches of --batch)
    sdk      the same tasks through the bare SDK (``client.projects.import_tasks``, which encodes them
             with its ``jsonable_encoder``), into a new project
    post     the same tasks as one raw POST of the same bytes (httpx, no SDK), into a new project
    pull     export snapshot from the server, downloaded and parsed
    import   Label Studio JSON -> annotation sets (with every check), compared with the originals
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from minusma_corpus import labelstudio as ls  # noqa: E402
from minusma_corpus.labelstudio import server as server_mod  # noqa: E402


def raw_post(url: str, client, project_id: int, tasks: list[dict], batch: int | None) -> None:
    """The tasks as pre-serialised JSON, POSTed with httpx alone (the serialisation is timed too)."""
    import httpx

    headers = {"Authorization": client._client_wrapper.get_headers()["Authorization"],
               "Content-Type": "application/json"}
    step = batch or len(tasks)
    with httpx.Client(base_url=url.rstrip("/"), timeout=3600) as http:
        for i in range(0, len(tasks), step):
            body = json.dumps(tasks[i:i + step], ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            http.post(f"/api/projects/{project_id}/import", params={"return_task_ids": "false"}, content=body,
                      headers=headers).raise_for_status()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--tasks", type=int, default=1000)
    p.add_argument("--batch", type=int, default=None, help="tasks per upload request (default: one request)")
    p.add_argument("--url", default=None, help="an existing server (API key from LABEL_STUDIO_API_KEY)")
    args = p.parse_args(argv)

    from minusma_corpus.annotations.fileformat import read_annotation_file
    from minusma_corpus.fileio import text_sha256
    from minusma_corpus.pipeline.process import process

    docs = {d.row.doc_id: d.document()
            for d in process(ROOT / "corpus" / "raw", ROOT / "corpus" / "manifest.jsonl")}
    gold = [read_annotation_file(f) for f in sorted((ROOT / "annotations" / "gold").glob("*.json"))]
    documents, sets, texts = [], {}, {}
    for i in range(args.tasks):
        g = gold[i % len(gold)]
        doc_id = f"{g['doc_id']}-copy-{i:05d}"
        documents.append(ls.Document(doc_id, docs[g["doc_id"]].text, docs[g["doc_id"]].meta))
        sets[doc_id] = [{**g, "doc_id": doc_id}]
        texts[doc_id] = docs[g["doc_id"]].text
        assert sets[doc_id][0]["text_sha256"] == text_sha256(texts[doc_id])
    regions = sum(len(g["mentions"]) + len(g["claims"]) + sum(len(s["evidence"]) for s in g["stances"])
                  for g in (gold[i % len(gold)] for i in range(args.tasks)))

    timings: dict[str, float] = {}
    server = None
    t0 = time.perf_counter()
    if args.url:
        client, url = ls.connect(args.url), args.url
    else:
        server = server_mod.start()
        client, url = server.client(), server.url
        timings["server start"] = time.perf_counter() - t0
    try:
        t = time.perf_counter()
        tasks = ls.export_tasks(documents, sets, "predictions")
        timings["export"] = time.perf_counter() - t
        size = len(json.dumps(tasks, ensure_ascii=False).encode("utf-8"))

        t = time.perf_counter()
        report = ls.push(client, f"bench-{args.tasks}-{int(time.time() * 1000)}", tasks, batch=args.batch)
        timings["push"] = time.perf_counter() - t

        stamp = int(time.time() * 1000)
        config = ls.label_config()
        t = time.perf_counter()  # each of push, sdk and post creates its project: the same work
        sdk_project = client.projects.create(title=f"bench-sdk-{stamp}", label_config=config)
        step = args.batch or len(tasks)
        for i in range(0, len(tasks), step):
            client.projects.import_tasks(sdk_project.id, request=tasks[i:i + step], return_task_ids=False)
        timings["sdk"] = time.perf_counter() - t

        t = time.perf_counter()
        post_project = client.projects.create(title=f"bench-post-{stamp}", label_config=config)
        raw_post(url, client, post_project.id, tasks, args.batch)
        timings["post"] = time.perf_counter() - t

        t = time.perf_counter()
        exported = ls.pull_export(client, report.project_id)
        timings["pull"] = time.perf_counter() - t

        t = time.perf_counter()
        imported = ls.import_tasks(exported, texts, predictions=True)
        timings["import"] = time.perf_counter() - t
        got = {s.doc_id: s.data for s in imported.sets}
        identical = sum(got.get(d) == v[0] for d, v in sets.items())
    finally:
        if server is not None:
            server.stop()

    print(f"Label Studio at {url}: {args.tasks} tasks with pre-annotations ({regions:,} regions, "
          f"{size / 1e6:.1f} MB of tasks JSON), " + (f"batches of {args.batch}" if args.batch else "one request"))
    for step, seconds in timings.items():
        print(f"{step:<13} {seconds:8.2f} s")
    print(f"push / post: {timings['push'] / timings['post']:.2f}×; sdk / post: {timings['sdk'] / timings['post']:.2f}×")
    print(f"round trip identical: {identical}/{args.tasks}")
    return 0 if identical == args.tasks else 1


if __name__ == "__main__":
    sys.exit(main())
