#!/usr/bin/env python3
"""Scale benchmark: the single-process streaming build and the engine (``minusma-corpus process``) on N
synthetic articles, side by side.

Synthetic articles are the corpus's own raw articles with their body paragraphs shuffled (deterministic:
``--seed``), about 6 KB each, written as a corpus directory (``manifest.jsonl`` + ``raw/``). Every run is
a child process; the table gives documents per second of wall time and the peak memory of the child's
whole process tree (RSS summed over the child and its descendants, sampled every 0.1 s from /proc; for
Ray that includes its raylet, object store and workers). A first line gives the rate of clean + segment
alone (``process_article``) in documents per CPU second of one core.

    python scripts/bench_scale.py --n 1000 10000 [--runs build local ray1 ray2] [--work DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = {
    "build": "single-process streaming build (`minusma-corpus build`)",
    "local": "engine local (one process, `process --engine local`)",
    "ray1": "engine ray, 1 worker",
    "ray2": "engine ray, 2 workers",
}


def synthetic_corpus(directory: Path, n: int, seed: int) -> None:
    """``n`` articles made from the corpus's raw articles: head and tail kept, body paragraphs shuffled."""
    from minusma_corpus.fileio import sha256_bytes
    from minusma_corpus.pipeline.corpus import ManifestRow, read_manifest

    seeds = read_manifest(ROOT / "corpus" / "manifest.jsonl")
    texts = [(ROOT / "corpus" / "raw" / r.source_file).read_text(encoding="utf-8") for r in seeds]
    rng = random.Random(seed)
    (directory / "raw").mkdir(parents=True)
    with (directory / "manifest.jsonl").open("w", encoding="utf-8") as manifest:
        for i in range(n):
            k = i % len(seeds)
            paragraphs = texts[k].split("\n\n")
            head, body, tail = paragraphs[:4], paragraphs[4:-3], paragraphs[-3:]
            rng.shuffle(body)
            data = "\n\n".join(head + body + tail).encode("utf-8")
            name = f"{i:07d}.txt"
            (directory / "raw" / name).write_bytes(data)
            base = seeds[k]
            row = ManifestRow(f"synthetic-{i:07d}", name, sha256_bytes(data), base.outlet, base.title, base.authors,
                              base.date, base.language, None, base.rights)
            manifest.write(row.to_json() + "\n")


def empty_annotations(directory: Path) -> None:
    """The corpus's knowledge base and clusters with no gold file (synthetic documents have none)."""
    (directory / "gold").mkdir(parents=True)
    for name in ("entities.json", "claim_clusters.json"):
        shutil.copy(ROOT / "annotations" / name, directory / name)


def _tree_rss(pid: int) -> int:
    """RSS in bytes of ``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2:].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * page
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def measure(command: list[str], env: dict) -> tuple[float, int, int]:
    """(wall seconds, peak tree RSS, ru_maxrss of the child) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stderr.read().decode()[-3000:]}")
    return wall, max(peak[0], usage.ru_maxrss * 1024), usage.ru_maxrss * 1024


def clean_segment_rate(corpus: Path, limit: int) -> float:
    """Documents per CPU second of ``process_article`` (read and decode excluded)."""
    from minusma_corpus.pipeline.corpus import read_manifest
    from minusma_corpus.pipeline.process import process_article, read_article

    rows = read_manifest(corpus / "manifest.jsonl")[:limit]
    raws = [read_article(corpus / "raw", r) for r in rows]
    start = time.process_time()
    for raw, row in zip(raws, rows):
        process_article(raw, row)
    return len(rows) / (time.process_time() - start)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", nargs="+", choices=list(RUNS), default=list(RUNS))
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--work", type=Path, help="where to write the synthetic corpora (default: a temporary directory)")
    parser.add_argument("--rate-docs", type=int, default=500, help="documents timed for the clean + segment rate")
    args = parser.parse_args(argv)

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    cli = [sys.executable, "-m", "minusma_corpus.cli"]
    work = Path(tempfile.mkdtemp(prefix="bench-scale-", dir=args.work))
    print(f"# bench_scale: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    try:
        annotations = work / "annotations"
        empty_annotations(annotations)
        for n in args.n:
            corpus = work / f"corpus-{n}"
            synthetic_corpus(corpus, n, args.seed)
            size = sum(p.stat().st_size for p in (corpus / "raw").iterdir()) / n
            rate = clean_segment_rate(corpus, min(n, args.rate_docs))
            print(f"\nN = {n:,} ({size / 1000:.1f} KB per article); clean + segment alone: {rate:.0f} documents "
                  f"per CPU second (one core, {min(n, args.rate_docs)} documents)")
            print("| run | wall s | documents/s | peak memory (MB) |")
            print("|---|---:|---:|---:|")
            for run in args.runs:
                out = work / f"out-{n}-{run}"
                if run == "build":
                    command = [*cli, "build", "--raw", str(corpus / "raw"), "--manifest", str(corpus / "manifest.jsonl"),
                               "--annotations", str(annotations), "--changelog", str(ROOT / "CHANGELOG.md"),
                               "--out", str(out)]
                elif run == "local":
                    command = [*cli, "process", str(corpus), "--out", str(out), "--engine", "local"]
                else:
                    command = [*cli, "process", str(corpus), "--out", str(out), "--engine", "ray",
                               "--workers", run[-1]]
                wall, peak, _own = measure(command, env)
                print(f"| {RUNS[run]} | {wall:.1f} | {n / wall:.0f} | {peak / 1e6:.0f} |", flush=True)
                shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(corpus)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
