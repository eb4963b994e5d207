"""Progress bars (tqdm) for the steps that can take more than a few seconds: on standard error, and only
when it is a terminal, so that logs, pipes and tests get nothing."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import IO, TypeVar

T = TypeVar("T")


def shown(stream: IO | None = None) -> bool:
    """Whether bars are drawn on ``stream`` (default: standard error): only on a terminal."""
    stream = stream if stream is not None else sys.stderr
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def bar(total: int | None, desc: str, *, unit: str = "it", stream: IO | None = None):
    """A bar to ``update(n)`` by hand (a context manager); draws nothing when ``stream`` is not a terminal."""
    from tqdm import tqdm

    stream = stream if stream is not None else sys.stderr
    return tqdm(total=total, desc=desc, unit=unit, file=stream, disable=not shown(stream), leave=False,
                dynamic_ncols=True)


def progress(items: Iterable[T], desc: str, *, total: int | None = None, unit: str = "it",
             stream: IO | None = None) -> Iterator[T]:
    """``items``, with a bar while they are consumed (none when ``stream`` is not a terminal)."""
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    with bar(total, desc, unit=unit, stream=stream) as b:
        for item in items:
            yield item
            b.update(1)
