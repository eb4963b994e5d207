"""Text-quote anchoring (W3C TextQuoteSelector: exact + prefix + suffix) of spans in a cleaned text.

Every stored span carries both its offsets and its quote, so that when the cleaned text changes the
annotations can be moved (``reanchor``) — or refused, with a clear error, when the quote is no longer
found exactly once.
"""

from __future__ import annotations

from typing import Any

from ..errors import MinusmaError
from ..fileio import text_sha256

CONTEXT = 32


class AnchorError(MinusmaError):
    """A quote that cannot be placed in the text (absent or ambiguous)."""

    def in_file(self, file) -> AnchorError:
        """The same error, naming the annotation file."""
        return AnchorError(self.reason, file=file, doc=self.doc, annotation=self.annotation, line=self.line)

    hint = "re-annotate the span by hand in the new text (nothing was written)"


def fits(text: str, start: Any, end: Any) -> bool:
    """``start``-``end`` are offsets of a non-empty span of ``text``."""
    return isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)


def span_problem(text: str, start: Any, end: Any, exact: Any, width: int = 40) -> str | None:
    """Why the span ``start``-``end`` with quote ``exact`` does not sit on ``text`` (None when it does): the one
    "span fits the text" check of validation, export and the explorer."""
    if not fits(text, start, end):
        return f"span {start}-{end} is outside the text (length {len(text)})"
    if text[start:end] != exact:
        return f"exact {str(exact)[:width]!r} differs from the text at {start}-{end}: {text[start:end][:width]!r}"
    return None


def selector(text: str, start: int, end: int) -> dict[str, Any]:
    """The span ``text[start:end]`` as offsets plus quote selector."""
    if not fits(text, start, end):
        raise AnchorError(f"span {start}-{end} is outside the text (length {len(text)}) or empty")
    return {
        "start": start,
        "end": end,
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT) : start],
        "suffix": text[end : end + CONTEXT],
    }


def occurrences(text: str, quote: str) -> list[int]:
    """Every start offset of ``quote`` in ``text``, overlapping ones included ("aliMa" twice in "aliMaliMa")."""
    starts, i = [], text.find(quote)
    while i != -1 and quote:
        starts.append(i)
        i = text.find(quote, i + 1)
    return starts


def find_quote(text: str, exact: str, prefix: str = "", suffix: str = "", near: int | None = None) -> int:
    """Start offset of the occurrence of ``exact`` whose surroundings best match ``prefix``/``suffix``.

    An occurrence whose surroundings are exactly the stored prefix and suffix wins outright (two such are
    an error). Otherwise each occurrence is scored by the similarity of the text before and after it to the stored prefix
    and suffix (difflib ratios, 0 to 2). Occurrences within 0.1 of the best are ties; a tie is broken
    by closeness to ``near`` (the old offset), and an unbroken tie is an error.
    """
    import difflib

    starts = occurrences(text, exact)
    if not starts:
        raise AnchorError(f"quote {exact[:60]!r} is not in the text")
    if len(starts) == 1:
        return starts[0]
    # Where the stored prefix and suffix are still there unchanged, that place is the quote's (and two such
    # places are a tie no offset can break); only when none is left do near matches compete.
    intact = [s for s in starts if text[max(0, s - len(prefix)):s] == prefix
              and text[s + len(exact):s + len(exact) + len(suffix)] == suffix]
    if len(intact) == 1:
        return intact[0]
    if len(intact) > 1:
        raise AnchorError(f"quote {exact[:60]!r} occurs {len(starts)} times and its prefix/suffix do not single one "
                          f"out ({len(intact)} places read the same)")

    def score(start: int) -> float:
        before = text[max(0, start - len(prefix)) : start]
        after = text[start + len(exact) : start + len(exact) + len(suffix)]
        return (difflib.SequenceMatcher(None, prefix, before).ratio() if prefix else 0.0) + (
            difflib.SequenceMatcher(None, suffix, after).ratio() if suffix else 0.0)

    scored = sorted(((score(s), s) for s in starts), reverse=True)
    best = scored[0][0]
    if scored[1][0] == best:  # two places that read the same around the quote: which one is meant is unknown
        raise AnchorError(f"quote {exact[:60]!r} occurs {len(starts)} times and its prefix/suffix do not single one "
                          f"out ({sum(sc == best for sc, _ in scored)} places read the same)")
    ties = [s for sc, s in scored if sc >= best - 0.1]
    if len(ties) > 1 and near is not None:
        ties.sort(key=lambda s: abs(s - near))
        if abs(ties[0] - near) < abs(ties[1] - near):
            return ties[0]
    if best == 0 or len(ties) > 1:
        raise AnchorError(
            f"quote {exact[:60]!r} occurs {len(starts)} times and its prefix/suffix do not single one out"
        )
    return ties[0]


def anchor(text: str, span: dict[str, Any]) -> dict[str, Any]:
    """Place a stored span in ``text``: its offsets if the quote is still there, else found by its quote."""
    start, end, exact = span["start"], span["end"], span["exact"]
    if text[start:end] == exact and text[max(0, start - len(span.get("prefix", ""))) : start] == span.get("prefix", ""):
        return selector(text, start, end)
    new_start = find_quote(text, exact, span.get("prefix", ""), span.get("suffix", ""), near=start)
    return selector(text, new_start, new_start + len(exact))


def spans_of(annotation_set: dict) -> list[tuple[str, dict]]:
    """Every span object in an annotation file, with a label naming where it sits."""
    found: list[tuple[str, dict]] = [(m["id"], m) for m in annotation_set["mentions"]]
    for c in annotation_set["claims"]:
        found.append((c["id"], c))
        if c.get("cue"):
            found.append((f"{c['id']}.cue", c["cue"]))
    for s in annotation_set["stances"]:
        found.extend((f"{s['id']}.evidence[{i}]", e) for i, e in enumerate(s["evidence"]))
    return found


def reanchor(annotation_set: dict, new_text: str) -> dict:
    """A copy of ``annotation_set`` with every span moved into ``new_text``.

    Raises ``AnchorError`` naming the document and annotation id of the first span whose quote is no
    longer found exactly once; nothing is changed in that case.
    """
    import copy

    moved = copy.deepcopy(annotation_set)
    for where, span in spans_of(moved):
        try:
            span.update(anchor(new_text, span))
        except AnchorError as e:
            raise AnchorError(e.reason, doc=annotation_set["doc_id"], annotation=where) from None
    moved["text_sha256"] = text_sha256(new_text)
    return moved
