"""Building the release directory from the raw corpus: read, clean, segment, write (atomically)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..version import __release_date__, __version__
from ..annotations.fileformat import AnnotationError
from ..annotations.layout import AnnotationLayout
from ..annotations.validate import validate_files
from ..fileio import sha256_file
from ..pipeline.corpus import CorpusError
from ..pipeline.process import ProcessedDocument, process_stream, texts
from ..safepath import check_replaceable, discard_staging, exclusive, install_dir, remove_stale, staging_dir
from .annotation_tables import ANNOTATION_CONFIGS, AnnotatedCorpus, annotation_tables, class_labels
from .card import FIGURE, card_chunks, license_chunks
from .checksums import CHECKSUMS, checksums_text
from .croissant import croissant
from .figure import clusters_svg_chunks
from .text_tables import CONFIGS, TextTableWriter, write_parquet


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    files: dict[str, int]  # file name -> size in bytes
    rows: dict[str, int]  # config -> rows
    warnings: list[str]  # left-overs not removed, a previous release not removed


def annotated(docs: list[ProcessedDocument], annotations: Path) -> AnnotatedCorpus:
    """The gold annotations of ``docs`` (the documents that have a gold file), validated (any problem stops
    the build); each file is read and validated once."""
    layout = AnnotationLayout(annotations)
    valid = validate_files(layout.gold_files(), texts(docs), layout)
    if valid.problems:
        raise AnnotationError(valid.problems, hint="nothing was built: fix the annotation file (`minusma-corpus "
                              "validate` checks them all) and build again")
    return AnnotatedCorpus(docs, valid.sets, valid.kb, valid.clusters)


def release_date(changelog: Path, version: str) -> str:
    """The date of ``version``'s entry in CHANGELOG.md ("## 0.1.0 — 2026-11-23")."""
    import re

    from ..errors import read_text

    m = re.search(rf"^## {re.escape(version)} — (\d{{4}}-\d{{2}}-\d{{2}})\s*$", read_text(changelog, "a changelog"), re.M)
    if not m:
        raise CorpusError(f"no entry for version {version}", file=changelog,
                          hint=f"add a heading '## {version} — YYYY-MM-DD' (or leave out --changelog)")
    return m.group(1)


def build(raw_dir: Path, manifest: Path, out_dir: Path, annotations: Path, changelog: Path | None = None) -> BuildReport:
    """Write the release to ``out_dir``. On any error the previous release is left untouched; a directory
    that is not a release (or empty) is never replaced. The release is dated by ``version.__release_date__``,
    or by ``changelog``'s entry for the version when one is given."""
    check_replaceable(out_dir.resolve())  # before the work, so a wrong --out fails at once
    date_published = __release_date__ if changelog is None else release_date(changelog, __version__)
    docs = process_stream(raw_dir, manifest)  # checks the manifest and raw directory before any writing
    gold_ids = {p.stem for p in AnnotationLayout(annotations).gold_files()}
    descriptions = {name: desc for name, (_schema, desc) in {**CONFIGS, **ANNOTATION_CONFIGS}.items()}
    out_dir = out_dir.resolve()
    created = missing_parents(out_dir)  # made for the lock and staging; removed again if the build fails
    try:
        with exclusive(out_dir):
            warnings = remove_stale(out_dir)
            check_replaceable(out_dir)
            staging = staging_dir(out_dir)
            try:
                rows = _write_release(staging, docs, gold_ids, annotations, descriptions, date_published)
                warnings += install_dir(staging, out_dir)
            except BaseException:
                discard_staging(staging, out_dir)
                raise
    except BaseException:
        remove_empty(created)
        raise
    files = {p.relative_to(out_dir).as_posix(): p.stat().st_size for p in sorted(out_dir.rglob("*")) if p.is_file()}
    return BuildReport(out_dir, files, rows, warnings)


def missing_parents(path: Path) -> list[Path]:
    """The ancestors of ``path`` that do not exist yet, deepest first."""
    return [p for p in path.parents if not p.exists()]


def remove_empty(directories: list[Path]) -> None:
    """Remove ``directories`` (deepest first), which this run created, while they are empty."""
    for d in directories:
        try:
            d.rmdir()
        except OSError:
            return


def write_text_configs(staging: Path, docs: Iterable[ProcessedDocument], keep: set[str]) -> tuple[dict, list]:
    """Stream ``docs`` into the text configs; returns their summaries and the documents whose id is in
    ``keep`` (the gold ones, which the annotation configs need whole)."""
    writer = TextTableWriter(staging)
    kept = []
    try:
        for d in docs:
            writer.add(d)
            if d.doc_id in keep:
                kept.append(d)
        return writer.close(), kept
    except BaseException:
        writer.abort()
        raise


def _write_release(staging: Path, docs: Iterable[ProcessedDocument], gold_ids: set[str], annotations: Path,
                   descriptions: dict, date_published: str) -> dict[str, int]:
    text_summaries, gold_docs = write_text_configs(staging, docs, gold_ids)
    annotation = annotation_tables(annotated(gold_docs, annotations))
    for name, table in annotation.items():
        write_parquet(table, staging / f"{name}.parquet")
    tables_by_config = {**text_summaries, **annotation}
    sizes, digests = {}, {}
    for name in tables_by_config:
        path = staging / f"{name}.parquet"
        sizes[name], digests[path.name] = path.stat().st_size, sha256_file(path)
    files = {  # each written a part at a time: the per-document parts are read back from the written files
        "README.md": card_chunks(tables_by_config, sizes, __version__, descriptions, class_labels()),
        "LICENSE.md": license_chunks(tables_by_config),
        FIGURE: clusters_svg_chunks(tables_by_config),
        "croissant.json": [json.dumps(croissant(tables_by_config, descriptions, digests, __version__, date_published),
                                      ensure_ascii=False, indent=1) + "\n"],
    }
    for name, chunks in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        with (staging / name).open("w", encoding="utf-8") as f:
            f.writelines(chunks)
    (staging / CHECKSUMS).write_text(checksums_text(staging), encoding="utf-8")
    return {name: t.num_rows for name, t in tables_by_config.items()}
