"""Where the annotation files live, and the one way to read them.

Layout of an annotations directory (``annotations/`` in the checkout)::

    entities.json                the entity knowledge base: id, label, name, aliases, description
    claim_clusters.json          cross-document claim clusters: id, property, description
    gold/<doc_id>.json           the gold annotation set of each document
    passes/<name>/<doc_id>.json  independent annotation passes (agreement), kept as produced
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .fileformat import AnnotationError, Problem, read_annotation_file, read_json_list


@dataclass(frozen=True)
class AnnotationLayout:
    root: Path

    @property
    def kb(self) -> Path:
        return self.root / "entities.json"

    @property
    def clusters(self) -> Path:
        return self.root / "claim_clusters.json"

    @property
    def gold(self) -> Path:
        return self.root / "gold"

    def gold_files(self) -> list[Path]:
        return annotation_files(self.gold)

    def read_kb(self) -> list[dict]:
        return read_json_list(self.kb)

    def read_clusters(self) -> list[dict]:
        return read_json_list(self.clusters)


def annotation_files(path: Path) -> list[Path]:
    """The annotation files of a directory (sorted), or the one file ``path`` names."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(errno.ENOENT, "no such annotation file or directory", str(path))
    return sorted(path.glob("*.json")) if path.is_dir() else [path]


def read_sets(paths: Path | Iterable[Path]) -> dict[str, dict]:
    """The annotation sets of files or directories of them, read and schema-checked, by doc_id.

    A second set of one document is an error naming the file (sets are never silently replaced)."""
    out: dict[str, dict] = {}
    for path in [paths] if isinstance(paths, (str, Path)) else paths:
        for file in annotation_files(path):
            data = read_annotation_file(file)
            if data["doc_id"] in out:
                raise AnnotationError([Problem(str(file), data["doc_id"], None,
                                               "a second annotation set of this document (give one set per document)")])
            out[data["doc_id"]] = data
    return out
