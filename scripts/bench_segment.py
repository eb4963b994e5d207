#!/usr/bin/env python3
"""Sentence segmentation benchmark: minusma_corpus vs pysbd vs spaCy's rule-based sentencizer.

Every segmenter gets the same input, one block (title, heading or paragraph) at a time, and is scored on
sentence-end offsets: over all sentences, and over block-internal boundaries only (the hard ones; a
block's end is always a sentence end). Speed is MB (UTF-8) of text per CPU second of the process (one core;
CPU time rather than wall time, so that other work on a shared machine does not count), measured
over repeated passes until each segmenter has run for at least --seconds.

Two test sets, each printed as its own table:

* the corpus: the cleaned texts of the release against the hand-made gold (corpus/gold/sentences);
* with ``--gum DIR``, a directory of GUM-format JSON files (``text`` with paragraphs separated by a blank
  line, gold ``sentences`` as ``[start, end]`` code-point spans), e.g. the GUM news development set.
  Text the splitter's rules were not written from.

    python scripts/bench_segment.py [--seconds 3] [--gum DIR]
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Block:
    doc_id: str
    start: int  # offset of the block in its document
    end: int
    text: str


@dataclass(frozen=True)
class TestSet:
    name: str
    blocks: list[Block]
    gold: dict[str, list[tuple[int, int]]]  # doc_id -> gold sentence spans


def segmenters():
    from minusma_corpus import split_sentences

    yield "minusma_corpus", split_sentences

    import pysbd

    seg = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def pysbd_spans(text):
        return [(s.start, s.end) for s in seg.segment(text)]

    yield f"pysbd {pysbd.__version__}", pysbd_spans

    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")

    def spacy_spans(text):
        return [(s.start_char, s.end_char) for s in nlp(text).sents]

    yield f"spaCy {spacy.__version__} sentencizer", spacy_spans


def strip_span(text, start, end):
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def corpus_set() -> TestSet:
    from minusma_corpus.pipeline.process import process
    from minusma_corpus.annotations.evaluate import read_sentence_gold

    docs = process(ROOT / "corpus/raw", ROOT / "corpus/manifest.jsonl")
    blocks, gold = [], {}
    for d in docs:
        gold[d.row.doc_id] = read_sentence_gold(ROOT / "corpus/gold/sentences" / f"{d.row.doc_id}.txt", d.clean.text)
        blocks.extend(Block(d.row.doc_id, b.start, b.end, d.clean.text[b.start:b.end]) for b in d.clean.blocks)
    return TestSet("corpus gold (in-sample)", blocks, gold)


class GumError(Exception):
    pass


def gum_set(directory: Path) -> TestSet:
    """A directory of GUM-format JSON files; each paragraph (text between blank lines) is one block."""
    files = sorted(directory.glob("*.json"))
    if not files:
        raise GumError(f"{directory}: no *.json files (expected GUM-format documents with 'text' and 'sentences')")
    blocks, gold = [], {}
    for path in files:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            text, spans = data["text"], [tuple(s) for s in data["sentences"]]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise GumError(f"{path}: not a GUM-format document ({e.__class__.__name__}: {e}); "
                           "it needs 'text' and 'sentences' [[start, end], ...]") from None
        gold[path.stem] = spans
        blocks.extend(Block(path.stem, m.start(), m.end(), m.group(0)) for m in re.finditer(r"[^\n]+(?:\n[^\n]+)*", text))
    return TestSet(f"GUM-format set {directory} ({len(files)} documents)", blocks, gold)


def run(test: TestSet, seconds: float) -> None:
    from minusma_corpus.annotations.evaluate import BoundaryScore, boundary_score

    block_ends = {(b.doc_id, b.end) for b in test.blocks}
    total_bytes = sum(len(b.text.encode("utf-8")) for b in test.blocks)
    internal_gold = {d: [(s, e) for s, e in g if (d, e) not in block_ends] for d, g in test.gold.items()}
    print(f"{test.name}: {len(test.gold)} documents, {len(test.blocks)} blocks, {total_bytes:,} bytes; "
          f"gold: {sum(map(len, test.gold.values()))} sentences, "
          f"{sum(map(len, internal_gold.values()))} block-internal boundaries")
    header = f"{'segmenter':34} {'MB/s':>8} {'P':>6} {'R':>6} {'F1':>6} {'F1 internal':>12}"
    print(header)
    print("-" * len(header))
    for name, split in segmenters():
        predicted: dict[str, list[tuple[int, int, int]]] = {d: [] for d in test.gold}
        for b in test.blocks:
            for s, e in split(b.text):
                s, e = strip_span(b.text, s, e)
                if s < e:
                    predicted[b.doc_id].append((b.start + s, b.start + e, b.end))
        score_all = BoundaryScore(0, 0, 0)
        score_internal = BoundaryScore(0, 0, 0)
        for doc_id, gold in test.gold.items():
            pred = predicted[doc_id]
            score_all += boundary_score(gold, [(s, e) for s, e, _b in pred])
            score_internal += boundary_score(internal_gold[doc_id], [(s, e) for s, e, b in pred if e != b])
        passes, start = 0, time.process_time()
        while True:
            for b in test.blocks:
                split(b.text)
            passes += 1
            elapsed = time.process_time() - start
            if elapsed >= seconds:
                break
        mbps = total_bytes * passes / elapsed / 1e6
        print(f"{name:34} {mbps:8.2f} {score_all.precision:6.3f} {score_all.recall:6.3f} {score_all.f1:6.3f} "
              f"{score_internal.f1:12.3f}")
    print()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=3.0, help="minimum timed run per segmenter (default 3)")
    ap.add_argument("--gum", type=Path, default=None, metavar="DIR",
                    help="also score a directory of GUM-format JSON documents (text + gold sentence spans)")
    args = ap.parse_args(argv)
    try:
        sets = [corpus_set()] + ([gum_set(args.gum)] if args.gum else [])
    except GumError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    print(f"python {platform.python_version()} on {platform.machine()}, one process (one core)\n")
    for test in sets:
        run(test, args.seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
