#!/usr/bin/env python3
"""Cost of ``minusma_corpus.clean`` on one-line pages (minified text, a copy-paste without line breaks).

Each page is a single line of deterministic synthetic prose (seeded) with some mojibake (``Ã©``,
``â€œ…â€\\x9d``, ``Ã `` for ``à``), no-break spaces and an HTML entity now and then, at 1 KB, 10 KB,
100 KB and 1 MB (UTF-8). For each size it prints the seconds ``clean()`` takes (best of --repeat) and
MB/s, and the share of that time spent in ftfy's repair and in the raw <-> clean alignment, so that
linear cost shows as a flat MB/s column.

    python scripts/bench_clean_lines.py [--sizes 1e3 1e4 1e5 1e6] [--repeat 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import platform
import pstats
import random
import sys
import time

WORDS = ("the peacekeeping mission in Mali will leave the country by the end of the year after the Security "
         "Council voted unanimously on Friday to end its mandate at the request of the transitional "
         "government in Bamako").split()
ODD = ["sécurité", "“the mission”", "à", "Guterres said", "l’ONU", "&amp;", "opération", "Président"]


def mojibake(text: str) -> str:
    return text.encode("utf-8").decode("cp1252", errors="replace").replace("\ufffd", "\x9d")


def page(size: int, seed: int = 0) -> str:
    """One line of about ``size`` UTF-8 bytes: prose; one word in 50 mojibake, one in 25 other non-ASCII
    (or ``&amp;``), one space in six a no-break space."""
    rnd = random.Random(seed)
    words: list[str] = []
    nbytes = 0
    while nbytes < size:
        w = rnd.choice(WORDS)
        r = rnd.random()
        if r < 0.02:
            w = mojibake(rnd.choice(ODD))
        elif r < 0.06:
            w = rnd.choice(ODD)
        sep = "\xa0" if rnd.random() < 0.16 else " "
        if rnd.random() < 0.08:
            w += "."
        words.append(w + sep)
        nbytes += len((w + sep).encode("utf-8"))
    return "".join(words).rstrip() + " and the mission ends."


def timed(fn, *args, repeat: int):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn(*args)
        best = min(best, time.perf_counter() - t)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", type=float, default=[1e3, 1e4, 1e5, 1e6])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print the top functions for the largest size")
    args = parser.parse_args(argv)

    from minusma_corpus import clean
    from minusma_corpus.pipeline.repair import align, repair_text

    print(f"python {platform.python_version()}, {platform.machine()}, one process")
    print(f"{'size':>10} {'bytes':>9} {'clean s':>9} {'MB/s':>7} {'ftfy s':>8} {'align s':>8} {'segments':>9}")
    for size in args.sizes:
        raw = page(int(size))
        nbytes = len(raw.encode("utf-8"))
        seconds, doc = timed(clean, raw, repeat=args.repeat)
        ftfy_s, repaired = timed(repair_text, raw, repeat=args.repeat)
        align_s, segments = timed(align, raw, 0, repaired, 0, repeat=args.repeat)
        assert doc.text == repaired
        print(f"{int(size):>10} {nbytes:>9} {seconds:>9.3f} {nbytes / seconds / 1e6:>7.2f} {ftfy_s:>8.3f} "
              f"{align_s:>8.3f} {len(segments):>9}")
    if args.profile:
        raw = page(int(max(args.sizes)))
        profile = cProfile.Profile()
        profile.runcall(clean, raw)
        pstats.Stats(profile, stream=sys.stdout).sort_stats("cumulative").print_stats(18)
    return 0


if __name__ == "__main__":
    sys.exit(main())
