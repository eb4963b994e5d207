"""minusma-corpus: an annotated news corpus on the 2023 termination of MINUSMA, and its pipeline.

Public API::

    clean(raw) -> CleanDocument            # raw article text -> cleaned text, blocks, metadata
    split_sentences(text) -> [(start, end)]
    tokenize(text) -> [(start, end)]
    load(config) -> pandas.DataFrame       # the packaged release, offline (None for missing, lists for nested)
    load_dataset(config, streaming=False) -> datasets.Dataset (IterableDataset when streaming)
    release_dir() -> pathlib.Path          # where the packaged release lives
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .version import __version__
from .api import CONFIG_NAMES, load, load_dataset, release_dir

if TYPE_CHECKING:
    from .pipeline.clean import CleaningError, clean
    from .pipeline.records import Block, CleanDocument, DocumentMetadata
    from .pipeline.segment import paragraph_spans, split_sentences, tokenize

# The pipeline's names are imported on first use (PEP 562), so that `import minusma_corpus` (to load the
# release) does not import the cleaner's libraries (ftfy, jusText).
_LAZY = {
    "CleaningError": "pipeline.clean", "clean": "pipeline.clean",
    "Block": "pipeline.records", "CleanDocument": "pipeline.records", "DocumentMetadata": "pipeline.records",
    "paragraph_spans": "pipeline.segment", "split_sentences": "pipeline.segment", "tokenize": "pipeline.segment",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])

__all__ = [
    "CONFIG_NAMES",
    "Block",
    "CleanDocument",
    "CleaningError",
    "DocumentMetadata",
    "__version__",
    "clean",
    "load",
    "load_dataset",
    "paragraph_spans",
    "release_dir",
    "split_sentences",
    "tokenize",
]
