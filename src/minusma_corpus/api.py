"""Loading the packaged release. Heavy libraries (pandas, datasets) are imported only when used."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datasets
    import pandas

CONFIG_NAMES = ("documents", "sentences", "tokens", "entities", "entity_kb", "claims", "claim_clusters", "stances", "ner")
RELEASE_ENV = "MINUSMA_CORPUS_RELEASE"


def release_dir() -> Path:
    """The release directory: ``$MINUSMA_CORPUS_RELEASE``, else the copy inside the installed package,
    else (in a source checkout) ``corpus/release``."""
    from .resources import resource_path

    if env := os.environ.get(RELEASE_ENV):
        return Path(env)
    try:
        return resource_path("corpus/release", "README.md").parent
    except FileNotFoundError:
        raise FileNotFoundError(f"no release found; run `minusma-corpus build` or set ${RELEASE_ENV}") from None


def _parquet(config: str) -> Path:
    if config not in CONFIG_NAMES:
        raise ValueError(f"unknown config {config!r}; choose one of {', '.join(CONFIG_NAMES)}")
    return release_dir() / f"{config}.parquet"


def load(config: str = "documents") -> pandas.DataFrame:
    """One config of the release as a pandas DataFrame (nested columns as Python lists and dicts)."""
    import pyarrow.parquet as pq

    return pq.read_table(_parquet(config)).to_pandas(types_mapper=None)


def load_dataset(config: str = "documents") -> datasets.Dataset:
    """One config of the release as a ``datasets.Dataset``, loaded through the release's dataset card."""
    import datasets

    _parquet(config)  # validates the name
    return datasets.load_dataset(str(release_dir()), config, split="train")
