"""Loading the packaged release. Heavy libraries (pandas, datasets) are imported only when used."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import MinusmaError

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


class ReleaseIntegrityError(MinusmaError):
    """A file of the release does not match its ``SHA256SUMS`` entry."""

    hint = "reinstall the package or rebuild the release (`minusma-corpus build`)"


_VERIFIED: set[tuple[str, int, int]] = set()  # (path, size, mtime) of files checked in this process


def _verified(directory: Path, name: str) -> Path:
    """``directory / name`` after checking it against the release's ``SHA256SUMS`` (once per process and
    file version), so a corrupted or edited file is refused rather than loaded."""
    from .publish.checksums import verify_file

    path = directory / name
    try:
        st = path.stat()
    except OSError:
        raise FileNotFoundError(f"{path}: missing from the release; reinstall the package or rebuild "
                                "(`minusma-corpus build`)") from None
    key = (str(path), st.st_size, st.st_mtime_ns)
    if key not in _VERIFIED:
        if problem := verify_file(directory, name):
            raise ReleaseIntegrityError(f"{problem}; reinstall the package or rebuild the release "
                                        "(`minusma-corpus build`), then `minusma-corpus verify`")
        _VERIFIED.add(key)
    return path


def _parquet(config: str) -> Path:
    if config not in CONFIG_NAMES:
        raise ValueError(f"unknown config {config!r}; choose one of {', '.join(CONFIG_NAMES)}")
    return _verified(release_dir(), f"{config}.parquet")


def load(config: str = "documents") -> pandas.DataFrame:
    """One config of the release as a pandas DataFrame (nested columns as Python lists and dicts)."""
    import pyarrow.parquet as pq

    return pq.read_table(_parquet(config)).to_pandas(types_mapper=None)


def load_dataset(config: str = "documents") -> datasets.Dataset:
    """One config of the release as a ``datasets.Dataset``, loaded through the release's dataset card."""
    import datasets

    _parquet(config)  # validates the name and checks the file
    _verified(release_dir(), "README.md")  # the card, which declares the configs and features
    return datasets.load_dataset(str(release_dir()), config, split="train")
