"""Options and helpers that several command groups share."""

from __future__ import annotations

import argparse
from pathlib import Path


def corpus_options(p: argparse.ArgumentParser, annotations: bool = False) -> None:
    """``--raw`` and ``--manifest`` (and with ``annotations``, ``--annotations``), with the checkout's defaults."""
    p.add_argument("--raw", type=Path, default=Path("corpus/raw"), help="raw article directory (default: corpus/raw)")
    p.add_argument("--manifest", type=Path, default=Path("corpus/manifest.jsonl"), help="default: corpus/manifest.jsonl")
    if annotations:
        p.add_argument("--annotations", type=Path, default=Path("annotations"),
                       help="annotations directory with gold/, entities.json and claim_clusters.json (default: annotations)")


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``n`` with its noun, singular for one: ``count(1, "file")`` is "1 file", ``count(2, "file")`` "2 files"."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def corpus_texts(args: argparse.Namespace) -> dict[str, str]:
    """doc_id -> cleaned text of the corpus that ``--raw`` and ``--manifest`` name."""
    from ..pipeline.process import process, texts

    return texts(process(args.raw, args.manifest))
