"""Building the release directory from the raw corpus: read, clean, segment, write (atomically)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .corpus import check_raw_dir, load_article, read_manifest
from .release import ProcessedDocument, card_markdown, tables, write_parquet
from .segment import segment


@dataclass(frozen=True)
class BuildReport:
    out_dir: Path
    files: dict[str, int]  # file name -> size in bytes
    rows: dict[str, int]  # config -> rows


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


def build(raw_dir: Path, manifest: Path, out_dir: Path) -> BuildReport:
    """Write the release to ``out_dir``. On any error the previous release is left untouched."""
    docs = process(raw_dir, manifest)
    tables_by_config = tables(docs)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    try:
        sizes = {}
        for name, table in tables_by_config.items():
            write_parquet(table, staging / f"{name}.parquet")
            sizes[name] = (staging / f"{name}.parquet").stat().st_size
        (staging / "README.md").write_text(card_markdown(tables_by_config, sizes, __version__), encoding="utf-8")
        _swap(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = {p.name: p.stat().st_size for p in sorted(out_dir.iterdir()) if p.is_file()}
    return BuildReport(out_dir, files, {n: t.num_rows for n, t in tables_by_config.items()})


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with renames, so no reader sees a half-written release."""
    staging.chmod(0o755)
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    old = out_dir.with_name(f".{out_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    out_dir.rename(old)
    staging.rename(out_dir)
    shutil.rmtree(old)
