"""Sentence-boundary gold files and boundary precision/recall/F1."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import MinusmaError
from .agreement import precision_recall_f1


class GoldError(MinusmaError):
    """A sentence-boundary gold file that does not fit its text."""

    hint = "correct the gold file (one sentence per line, in the order of the text)"


def read_sentence_gold(path: Path, text: str) -> list[tuple[int, int]]:
    """Spans of a gold file (one sentence per line, a blank line between blocks), anchored in ``text``.

    Sentences are found in order; anything between two sentences must be white space, so the gold can
    neither skip nor reorder text.
    """
    spans, pos = [], 0
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line:
            continue
        start = text.find(line, pos)
        if start < 0 or text[pos:start].strip():
            raise GoldError(f"{path}:{n}: sentence not found at the next position of the text: {line[:60]!r}")
        spans.append((start, start + len(line)))
        pos = start + len(line)
    if text[pos:].strip():
        raise GoldError(f"{path}: text after the last gold sentence: {text[pos:pos + 60]!r}")
    return spans


@dataclass(frozen=True)
class BoundaryScore:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return precision_recall_f1(self.tp, self.tp + self.fp, self.tp + self.fn)[0]

    @property
    def recall(self) -> float:
        return precision_recall_f1(self.tp, self.tp + self.fp, self.tp + self.fn)[1]

    @property
    def f1(self) -> float:
        return precision_recall_f1(self.tp, self.tp + self.fp, self.tp + self.fn)[2]

    def __add__(self, other: BoundaryScore) -> BoundaryScore:
        return BoundaryScore(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def boundary_score(gold: list[tuple[int, int]], predicted: list[tuple[int, int]]) -> BoundaryScore:
    """Scores sentence *end* offsets (trailing white space ignored by the spans themselves)."""
    g, p = {e for _s, e in gold}, {e for _s, e in predicted}
    return BoundaryScore(len(g & p), len(p - g), len(g - p))
