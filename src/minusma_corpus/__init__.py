"""minusma-corpus: an annotated news corpus on the 2023 termination of MINUSMA, and its pipeline.

Public API::

    clean(raw) -> CleanDocument            # raw article text -> cleaned text, blocks, metadata
    split_sentences(text) -> [(start, end)]
    tokenize(text) -> [(start, end)]
    load(config) -> pandas.DataFrame       # the packaged release, offline (None for missing, lists for nested)
    load_dataset(config, streaming=False) -> datasets.Dataset (IterableDataset when streaming)
    release_dir() -> pathlib.Path          # where the packaged release lives
"""

from .version import __version__
from .api import CONFIG_NAMES, load, load_dataset, release_dir
from .pipeline.clean import CleaningError, clean
from .pipeline.records import Block, CleanDocument, DocumentMetadata
from .pipeline.segment import paragraph_spans, split_sentences, tokenize

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
