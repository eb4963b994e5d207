#!/usr/bin/env python3
"""Cost of ``clean`` + ``split_sentences`` on pages of many lines, by shape: linear cost shows as a flat
microseconds-per-KB column when the page grows tenfold.

Shapes (deterministic, synthetic): a long menu before the article, thousands of one-sentence paragraphs
or lines, one line without breaks, a run of name lines after the headline, a long "Related" list, a
caption before every paragraph. Each is cleaned at --lines and ten times --lines; CPU seconds of this
process, best of --repeat.

    python scripts/bench_clean_shapes.py [--lines 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import time

P = ("The minister said on Friday that the United Nations mission would leave the country by the end of the "
     "year, after ten years. ")
SHAPES = {
    "menu before the article": lambda n: "\n".join(f"Section news item {i} about" for i in range(n)) + "\n\n" + P,
    "one-sentence paragraphs": lambda n: "\n\n".join(P for _ in range(n)),
    "one-sentence lines": lambda n: "\n".join(P for _ in range(n)),
    "one line": lambda n: P * n,
    "name lines after the headline": lambda n: "UN ends the peacekeeping mission in Mali now\n\n"
    + "\n".join("John Smith" for _ in range(n)) + "\n\n" + P,
    "related list": lambda n: P + "\n\nRelated\n" + "\n".join(f"Story {i} here" for i in range(n)),
    "caption before each paragraph": lambda n: "\n\n".join(f"Photo: Someone {i}/AFP\n{P}" for i in range(n)),
}


def cpu_seconds(fn, raw: str, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.process_time()
        fn(raw)
        best = min(best, time.process_time() - t)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from minusma_corpus import clean, split_sentences

    def run(raw: str) -> None:
        split_sentences(clean(raw).text)

    sizes = (args.lines, 10 * args.lines)
    print(f"python {platform.python_version()}, {platform.machine()}, one process, CPU seconds (best of {args.repeat})")
    print(f"{'shape':32} {'lines':>7} {'KB':>8} {'CPU s':>7} {'us/KB':>7}   {'lines':>7} {'KB':>8} {'CPU s':>7} {'us/KB':>7}  ratio")
    for name, make in SHAPES.items():
        cells, per_kb = [], []
        for n in sizes:
            raw = make(n)
            kb = len(raw.encode("utf-8")) / 1000
            s = cpu_seconds(run, raw, args.repeat)
            per_kb.append(s / kb * 1e6)
            cells.append(f"{n:>7} {kb:>8.0f} {s:>7.2f} {per_kb[-1]:>7.0f}")
        print(f"{name:32} {'   '.join(cells)}  {per_kb[1] / per_kb[0]:5.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
