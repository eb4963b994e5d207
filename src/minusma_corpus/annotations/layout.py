"""Where the annotation files live, and the one way to read them.

Layout of an annotations directory (``annotations/`` in the checkout)::

    entities.json                the entity knowledge base: id, label, name, aliases, description
    claim_clusters.json          cross-document claim clusters: id, property, description
    gold/<doc_id>.json           the gold annotation set of each document
    passes/<name>/<doc_id>.json  independent annotation passes (agreement), kept as produced
    passes/<name>/entities.json, passes/<name>/claim_clusters.json
                                 a fully independent pass's own inventory and clusters (optional; its ids
                                 are its own, see ``read_pass``)
"""

from __future__ import annotations

import errno
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .fileformat import AnnotationError, Problem, check_kb, read_annotation_file, read_json_list
from .schema import load_schema

KB_FILE, CLUSTERS_FILE = "entities.json", "claim_clusters.json"  # beside annotation files: not annotation sets


@dataclass(frozen=True)
class AnnotationLayout:
    root: Path

    @property
    def kb(self) -> Path:
        return self.root / KB_FILE

    @property
    def clusters(self) -> Path:
        return self.root / CLUSTERS_FILE

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
    if not path.is_dir():
        return [path]
    return sorted(p for p in path.glob("*.json") if p.name not in (KB_FILE, CLUSTERS_FILE))


def annotator_dirs(path: Path) -> dict[str, Path]:
    """The annotation sets a path holds, by name: a directory of annotator directories (what ``ls pull``
    writes: ``DIR/<annotator>/<doc_id>.json``, no file of its own) gives one set per annotator; anything
    else (a set directory, a file) is one set named after itself."""
    path = Path(path)
    if path.is_dir() and not any(path.glob("*.json")):
        subs = {d.name: d for d in sorted(path.iterdir()) if d.is_dir() and any(d.glob("*.json"))}
        if subs:
            return subs
    return {str(path): path}


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


@dataclass(frozen=True)
class AnnotationPass:
    """The annotation sets of one pass, with its own entity inventory and clusters when it has them."""

    source: Path
    sets: dict[str, dict]
    kb: list[dict] | None = None  # the pass directory's entities.json, if any
    clusters: list[dict] | None = None  # the pass directory's claim_clusters.json, if any


def _own_list(path: Path) -> list[dict] | None:
    if not path.is_file():
        return None
    try:
        data = read_json_list(path)
    except json.JSONDecodeError as e:
        raise AnnotationError([Problem(str(path), None, None, f"not valid JSON: {e}")]) from None
    if not isinstance(data, list) or not all(isinstance(x, dict) and "id" in x for x in data):
        raise AnnotationError([Problem(str(path), None, None, "expected a JSON list of objects with an id")])
    return data


def read_pass(path: Path) -> AnnotationPass:
    """The annotation sets of a file or directory (``read_sets``); a directory's own ``entities.json`` and
    ``claim_clusters.json`` are read too, and every entity and cluster id of its sets must be in them."""
    path = Path(path)
    sets = read_sets(path)
    kb = _own_list(path / KB_FILE) if path.is_dir() else None
    clusters = _own_list(path / CLUSTERS_FILE) if path.is_dir() else None
    problems = inventory_problems(path, sets, kb, clusters)
    if problems:
        raise AnnotationError(problems)
    return AnnotationPass(path, sets, kb, clusters)


def inventory_problems(path: Path, sets: dict[str, dict], kb: list[dict] | None,
                       clusters: list[dict] | None) -> list[Problem]:
    """Ids of ``sets`` missing from the pass's own inventory or clusters (not checked when it has none)."""
    problems = []
    if kb is not None and clusters is not None:
        problems += check_kb(kb, clusters, str(path / KB_FILE), str(path / CLUSTERS_FILE))
    schema = load_schema()
    parties = {schema.author_holder, schema.unnamed_holder}
    entity_ids = {e["id"] for e in kb} if kb is not None else None
    cluster_ids = {c["id"] for c in clusters} if clusters is not None else None
    for doc_id, data in sets.items():
        def missing(annotation_id: str, what: str, value: str, known: set[str] | None, file: str) -> None:
            if known is not None and value is not None and value not in known:
                problems.append(Problem(str(path), doc_id, annotation_id,
                                        f"{what} {value!r} is not in the pass's own {file}: add it there"))

        for m in data["mentions"]:
            missing(m["id"], "entity_id", m["entity_id"], entity_ids, KB_FILE)
        for c in data["claims"]:
            if c["claimer"] not in parties:
                missing(c["id"], "claimer", c["claimer"], entity_ids, KB_FILE)
            missing(c["id"], "cluster_id", c["cluster_id"], cluster_ids, CLUSTERS_FILE)
        for st in data["stances"]:
            if st["holder"] not in parties:
                missing(st["id"], "holder", st["holder"], entity_ids, KB_FILE)
    return problems
