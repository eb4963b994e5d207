"""Building the release directory from the raw corpus: read, clean, segment, write (atomically)."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .annotations import read_annotation_file, read_json_list
from .corpus import CorpusError, check_raw_dir, load_article, read_manifest
from .card import CHECKSUMS, FIGURE, card_markdown, checksums_text, clusters_svg, croissant, license_markdown, sha256_file
from .safepath import check_replaceable, exclusive, install_dir, remove_stale, staging_dir
from .release import CONFIGS, ProcessedDocument, tables, write_parquet
from .release_annotations import ANNOTATION_CONFIGS, AnnotatedCorpus, annotation_tables, class_labels
from .segment import segment
from .validate import AnnotationLayout, validate_files


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    files: dict[str, int]  # file name -> size in bytes
    rows: dict[str, int]  # config -> rows
    warnings: list[str]  # left-overs not removed, a previous release not removed


def process(raw_dir: Path, manifest: Path) -> list[ProcessedDocument]:
    """Read, check, clean and segment every article of the manifest (in manifest order)."""
    rows = read_manifest(manifest)
    check_raw_dir(raw_dir, rows)
    docs = []
    for row in rows:
        raw, clean_doc = load_article(raw_dir / row.source_file, row)
        sentences, tokens = segment(clean_doc.text, clean_doc.paragraphs())
        docs.append(ProcessedDocument(row, raw, clean_doc, sentences, tokens))
    return docs


def annotated(docs: list[ProcessedDocument], annotations: Path) -> AnnotatedCorpus:
    """The gold annotations of ``docs``, validated (any problem stops the build)."""
    layout = AnnotationLayout(annotations)
    files = sorted(layout.gold.glob("*.json"))
    problems = validate_files(files, {d.row.doc_id: d.clean.text for d in docs}, layout)
    if problems:
        raise CorpusError("invalid annotations (run `minusma-corpus validate`):\n" + "\n".join(map(str, problems)))
    gold = {a["doc_id"]: a for a in map(read_annotation_file, files)}
    return AnnotatedCorpus(docs, gold, read_json_list(layout.kb), read_json_list(layout.clusters))


def release_date(changelog: Path, version: str) -> str:
    """The date of ``version``'s entry in CHANGELOG.md ("## 0.1.0 — 2026-11-23")."""
    import re

    m = re.search(rf"^## {re.escape(version)} — (\d{{4}}-\d{{2}}-\d{{2}})\s*$", changelog.read_text(encoding="utf-8"), re.M)
    if not m:
        raise CorpusError(f"{changelog}: no entry for version {version} (add '## {version} — YYYY-MM-DD')")
    return m.group(1)


def build(raw_dir: Path, manifest: Path, out_dir: Path, annotations: Path, changelog: Path) -> BuildReport:
    """Write the release to ``out_dir``. On any error the previous release is left untouched; a directory
    that is not a release (or empty) is never replaced."""
    check_replaceable(out_dir.resolve())  # before the work, so a wrong --out fails at once
    date_published = release_date(changelog, __version__)
    docs = process(raw_dir, manifest)
    tables_by_config = {**tables(docs), **annotation_tables(annotated(docs, annotations))}
    descriptions = {name: desc for name, (_schema, desc) in {**CONFIGS, **ANNOTATION_CONFIGS}.items()}
    out_dir = out_dir.resolve()
    with exclusive(out_dir):
        warnings = remove_stale(out_dir)
        check_replaceable(out_dir)
        staging = staging_dir(out_dir)
        try:
            _write_release(staging, tables_by_config, descriptions, date_published)
            warnings += install_dir(staging, out_dir)
        except BaseException:
            if staging.exists() and staging.name.startswith(f".{out_dir.name}-staging-"):
                shutil.rmtree(staging, ignore_errors=True)
            raise
    files = {p.relative_to(out_dir).as_posix(): p.stat().st_size for p in sorted(out_dir.rglob("*")) if p.is_file()}
    return BuildReport(out_dir, files, {n: t.num_rows for n, t in tables_by_config.items()}, warnings)


def _write_release(staging: Path, tables_by_config: dict, descriptions: dict, date_published: str) -> None:
    sizes, digests = {}, {}
    for name, table in tables_by_config.items():
        path = staging / f"{name}.parquet"
        write_parquet(table, path)
        sizes[name], digests[path.name] = path.stat().st_size, sha256_file(path)
    card = card_markdown(tables_by_config, sizes, __version__, descriptions, class_labels())
    files = {
        "README.md": card,
        "LICENSE.md": license_markdown(tables_by_config),
        FIGURE: clusters_svg(tables_by_config),
        "croissant.json": json.dumps(croissant(tables_by_config, descriptions, digests, __version__, date_published),
                                     ensure_ascii=False, indent=1) + "\n",
    }
    for name, content in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(content, encoding="utf-8")
    (staging / CHECKSUMS).write_text(checksums_text(staging), encoding="utf-8")

