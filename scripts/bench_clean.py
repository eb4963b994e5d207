#!/usr/bin/env python3
"""Boilerplate-removal benchmark: minusma_corpus.clean vs jusText vs keeping everything.

DIR holds plain-text page dumps ``<id>.txt`` (navigation, share prompts, related lists, captions and
footers still in); KEY is a JSON snippet key ``{id: {"with": [...], "without": [...]}}``: snippets
that must survive cleaning and snippets that must be removed. The metric is the snippet metric of
the benchmark's ``score.py``: after collapsing whitespace, a "with" snippet present in the output is
a true positive (absent: a false negative), a "without" snippet present is a false positive (absent:
a true negative); counts are pooled over all pages (micro average).

Every method gets the same text:
- ``minusma_corpus``: ``clean(raw).text`` (a page it cannot clean scores as empty output);
- ``jusText``: the page with each non-blank line as one HTML paragraph, English stop-word list,
  default thresholds; the paragraphs it classifies as "good" are kept;
- ``keep-all``: the page unchanged.

Speed is documents per second on one core over the whole directory (repeated until at least
--seconds have passed).

    python scripts/bench_clean.py DIR KEY [--per-page] [--write-dir OUT]

Nothing is written unless --write-dir is given (then one cleaned ``<id>.txt`` per page for
``minusma_corpus``, for inspection or for the benchmark's own score.py).
"""

from __future__ import annotations

import argparse
import html
import json
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path


def norm(text: str) -> str:
    return " ".join(text.split())


def counts(text: str, entry: dict) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) of one page, as the benchmark's score.py counts them."""
    t = norm(text)
    tp = sum(1 for s in entry["with"] if norm(s) in t)
    fp = sum(1 for s in entry["without"] if norm(s) in t)
    return tp, fp, len(entry["with"]) - tp, len(entry["without"]) - fp


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ours(raw: str) -> str:
    from minusma_corpus import CleaningError, clean

    try:
        return clean(raw).text
    except CleaningError:
        return ""


def make_justext() -> Callable[[str], str]:
    import justext

    stoplist = justext.get_stoplist("English")

    def run(raw: str) -> str:
        lines = [ln.strip() for ln in raw.splitlines() if ln.strip()]
        page = "<html><body>" + "".join(f"<p>{html.escape(ln)}</p>" for ln in lines) + "</body></html>"
        paragraphs = justext.justext(page.encode("utf-8"), stoplist, encoding="utf-8")
        return "\n\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    return run


def keep_all(raw: str) -> str:
    return raw


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir", type=Path, help="directory of plain-text pages <id>.txt")
    ap.add_argument("key", type=Path, help="snippet key JSON {id: {with: [...], without: [...]}}")
    ap.add_argument("--per-page", action="store_true", help="also print per-page F1 for every method")
    ap.add_argument("--seconds", type=float, default=1.0, help="minimum timed run per method (default 1)")
    ap.add_argument("--write-dir", type=Path, help="write minusma_corpus's cleaned pages here")
    args = ap.parse_args(argv)

    try:
        key = json.loads(args.key.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"error: cannot read the key {args.key}: {exc}; give the key.json of the page set", file=sys.stderr)
        return 2
    if not isinstance(key, dict) or not all(
        isinstance(e, dict) and isinstance(e.get("with"), list) and isinstance(e.get("without"), list) for e in key.values()
    ):
        print(f"error: {args.key} is not a snippet key {{id: {{\"with\": [...], \"without\": [...]}}}}; "
              "give the key.json of the page set", file=sys.stderr)
        return 2
    pages: dict[str, str] = {}
    for pid in sorted(key):
        path = args.dir / f"{pid}.txt"
        if not path.is_file():
            print(f"error: page {path} named in {args.key} is missing; give the directory of the pages", file=sys.stderr)
            return 2
        pages[pid] = path.read_text(encoding="utf-8", errors="replace")

    methods = [("minusma_corpus", ours), ("jusText (lines as <p>)", make_justext()), ("keep-all", keep_all)]
    rows = []
    per_page: dict[str, list[float]] = {pid: [] for pid in pages}
    for name, fn in methods:
        outputs = {pid: fn(raw) for pid, raw in pages.items()}
        tot = [0, 0, 0, 0]
        for pid, text in outputs.items():
            c = counts(text, key[pid])
            tot = [a + b for a, b in zip(tot, c)]
            per_page[pid].append(prf(c[0], c[1], c[2])[2])
        n, start = 0, time.perf_counter()
        while n == 0 or time.perf_counter() - start < args.seconds:
            for raw in pages.values():
                fn(raw)
            n += len(pages)
        docs_s = n / (time.perf_counter() - start)
        rows.append((name, *prf(tot[0], tot[1], tot[2]), tot[3] / (tot[1] + tot[3]) if tot[1] + tot[3] else 0.0, docs_s))
        if name == "minusma_corpus" and args.write_dir:
            args.write_dir.mkdir(parents=True, exist_ok=True)
            for pid, text in outputs.items():
                (args.write_dir / f"{pid}.txt").write_text(text, encoding="utf-8")

    n_with = sum(len(e["with"]) for e in key.values())
    n_without = sum(len(e["without"]) for e in key.values())
    print(f"{len(pages)} pages, {n_with} body snippets, {n_without} boilerplate snippets (pooled counts)")
    print(f"python {platform.python_version()} on {platform.machine()}, one process (one core)\n")
    print(f"{'method':26} {'P':>6} {'R':>6} {'F1':>6} {'removal':>8} {'docs/s':>9}")
    for name, p, r, f, removal, docs_s in rows:
        print(f"{name:26} {p:6.3f} {r:6.3f} {f:6.3f} {removal:8.3f} {docs_s:9.1f}")
    if args.per_page:
        print(f"\n{'page (F1)':46} " + " ".join(f"{name.split()[0][:14]:>14}" for name, *_ in rows))
        for pid, fs in per_page.items():
            print(f"{pid[:46]:46} " + " ".join(f"{f:14.3f}" for f in fs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
