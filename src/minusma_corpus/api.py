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


def _parquet(config: str, release: str | Path | None = None) -> Path:
    if config not in CONFIG_NAMES:
        raise ValueError(f"unknown config {config!r}; choose one of {', '.join(CONFIG_NAMES)}")
    return _verified(_directory(release), f"{config}.parquet")


def _directory(release: str | Path | None) -> Path:
    """``release`` (a release directory, e.g. a rebuilt ``corpus/release``) or the default one."""
    if release is None:
        return release_dir()
    if not (Path(release) / "SHA256SUMS").is_file():
        raise FileNotFoundError(f"{release}: not a release directory (no SHA256SUMS); build one with "
                                "`minusma-corpus build --out DIR`")
    return Path(release)


def load(config: str = "documents", release: str | Path | None = None) -> pandas.DataFrame:
    """One config of the release as a pandas DataFrame, with one rule for types and missing values:

    * integer, float and boolean columns without missing values are NumPy columns (``int32``, ``float64``,
      ``bool``);
    * every other column has ``object`` dtype and holds plain Python values: ``str``, ``int``, ``float``,
      ``bool``, nested columns as Python ``list`` and ``dict`` (never NumPy arrays), and ``None`` for a
      missing value, at top level and inside nested columns alike (never ``NaN``).

    So ``df["authors"][0]`` is a ``list`` and ``df["outlet"].isna()`` finds the unnamed outlet.

    ``release``: a release directory to read instead of the installed one (e.g. ``"corpus/release"`` after
    adding an article and rebuilding, without reinstalling)."""
    import pyarrow.parquet as pq

    return to_pandas(pq.read_table(_parquet(config, release)))


def to_pandas(table) -> pandas.DataFrame:
    """An Arrow table as a DataFrame, typed as :func:`load` documents."""
    import pandas as pd
    import pyarrow as pa

    columns = {}
    for name, column in zip(table.column_names, table.columns):
        kind = column.type
        if (pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_boolean(kind)) and not column.null_count:
            columns[name] = column.to_numpy()
        else:
            columns[name] = pd.Series(column.to_pylist(), dtype=object)
    return pd.DataFrame(columns, columns=table.column_names)


def load_dataset(config: str = "documents", release: str | Path | None = None,
                 streaming: bool = False) -> datasets.Dataset | datasets.IterableDataset:
    """One config of the release as a ``datasets.Dataset``, loaded through the release's dataset card.

    Label columns are ``ClassLabel`` features: ``datasets`` returns their integer ids, and
    ``ds.features["ner_tags"].feature.int2str(i)`` (``ds.features["label"].int2str(i)``) their names.

    With ``streaming=True``, an ``IterableDataset`` with the same rows and features, iterated from the local
    Arrow copy of the release (which is small), not from ``datasets``' streaming Parquet reader: a partial read
    of that reader (``itertools.islice(ds, 2)``) can abort the interpreter at exit ("terminate called without
    an active exception"; datasets 5.2 with pyarrow 25 and 26, upstream). When you stream the release from
    the Hub yourself, read each iterator to the end (or let the program go on long enough for it to finish).

    ``release``: as for :func:`load`."""
    import datasets

    _parquet(config, release)  # validates the name and checks the file
    directory = _directory(release)
    _verified(directory, "README.md")  # the card, which declares the configs and features
    ds = datasets.load_dataset(str(directory), config, split="train")
    return ds.to_iterable_dataset() if streaming else ds
