#!/usr/bin/env python3
"""Sentence segmentation benchmark: minusma_corpus vs pysbd vs spaCy's rule-based sentencizer.

Every segmenter gets the same input, one block (title, heading or paragraph) at a time, from the
cleaned texts of the release, and is scored against the hand-made gold (corpus/gold/sentences) on
sentence-end offsets: over all sentences, and over block-internal boundaries only (the hard ones; a
block's end is always a sentence end). Speed is MB (UTF-8) of text per second on one core, measured
over repeated passes until each segmenter has run for at least --seconds.

    python scripts/bench_segment.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=3.0, help="minimum timed run per segmenter (default 3)")
    args = ap.parse_args(argv)

    from minusma_corpus.pipeline.process import process
    from minusma_corpus.annotations.evaluate import BoundaryScore, boundary_score, read_sentence_gold

    docs = process(ROOT / "corpus/raw", ROOT / "corpus/manifest.jsonl")
    blocks = []  # (doc, block_start, block_text)
    gold_ends, gold_internal = [], []
    for d in docs:
        gold = read_sentence_gold(ROOT / "corpus/gold/sentences" / f"{d.row.doc_id}.txt", d.clean.text)
        block_ends = {b.end for b in d.clean.blocks}
        gold_ends.append([(d.row.doc_id, s, e) for s, e in gold])
        gold_internal.append([(d.row.doc_id, s, e) for s, e in gold if e not in block_ends])
        blocks.extend((d, b.start, d.clean.text[b.start : b.end], b.end) for b in d.clean.blocks)
    total_bytes = sum(len(t.encode("utf-8")) for _d, _s, t, _e in blocks)

    print(f"corpus: {len(docs)} documents, {len(blocks)} blocks, {total_bytes:,} bytes; "
          f"gold: {sum(map(len, gold_ends))} sentences, {sum(map(len, gold_internal))} block-internal boundaries")
    print(f"python {platform.python_version()} on {platform.machine()}, one process (one core)\n")
    header = f"{'segmenter':34} {'MB/s':>8} {'P':>6} {'R':>6} {'F1':>6} {'F1 internal':>12}"
    print(header)
    print("-" * len(header))
    for name, split in segmenters():
        predicted = []
        for d, offset, text, end in blocks:
            for s, e in split(text):
                s, e = strip_span(text, s, e)
                if s < e:
                    predicted.append((d.row.doc_id, offset + s, offset + e, end))
        score_all = BoundaryScore(0, 0, 0)
        score_internal = BoundaryScore(0, 0, 0)
        for gold, internal in zip(gold_ends, gold_internal):
            doc_id = gold[0][0]
            pred = [(s, e) for i, s, e, _b in predicted if i == doc_id]
            pred_internal = [(s, e) for i, s, e, b in predicted if i == doc_id and e != b]
            score_all += boundary_score([(s, e) for _i, s, e in gold], pred)
            score_internal += boundary_score([(s, e) for _i, s, e in internal], pred_internal)
        passes, start = 0, time.perf_counter()
        while True:
            for _d, _o, text, _e in blocks:
                split(text)
            passes += 1
            elapsed = time.perf_counter() - start
            if elapsed >= args.seconds:
                break
        mbps = total_bytes * passes / elapsed / 1e6
        print(f"{name:34} {mbps:8.2f} {score_all.precision:6.3f} {score_all.recall:6.3f} {score_all.f1:6.3f} "
              f"{score_internal.f1:12.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
