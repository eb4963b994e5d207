"""The raw corpus: the manifest (one row per article) and reading raw files. I/O lives here."""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from ..errors import InputFileError, MinusmaError, check_shape, loads
from ..fileio import sha256_bytes
from .clean import CleaningError, clean

if TYPE_CHECKING:
    import pyarrow as pa

DOC_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OUTLET_ACRONYM = re.compile(r"\(([A-Z]{2,10})\)$")  # "Agence France-Presse (AFP)" -> AFP

TEXT_RIGHTS = (
    "Third-party news text, copyright {holder}. Included (raw and cleaned) for non-commercial research and "
    "text-and-data mining, with attribution to the outlet; minusma-corpus grants no licence to the text."
)


def text_rights(outlet: str | None) -> str:
    """The ``rights`` statement of a manifest row (and of the release's LICENSE) for one outlet."""
    return TEXT_RIGHTS.format(holder=outlet or "its original publisher (the page does not name it)")


def outlet_acronym(outlet: str | None) -> str | None:
    """The acronym an outlet name ends with in brackets, if any."""
    m = OUTLET_ACRONYM.search(outlet or "")
    return m.group(1) if m else None


class CorpusError(MinusmaError):
    """Bad input: names the file (and document) and the reason; each raise site gives the advice that fits
    it (``hint=``), this default only says to look at the file named."""

    hint = "check the file it names and run the command again"


FIX_ROW = "fix that line of the manifest and run the command again"


_STRING_OR_NULL = {"type": ["string", "null"]}
MANIFEST_ROW = {  # the JSON shape of one line of corpus/manifest.jsonl (the fields are checked before)
    "type": "object",
    "properties": {"doc_id": {"type": "string"}, "source_file": {"type": "string"},
                   "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "outlet": _STRING_OR_NULL,
                   "title": _STRING_OR_NULL, "authors": {"type": "array", "items": {"type": "string"}},
                   "date": _STRING_OR_NULL, "language": _STRING_OR_NULL, "url": _STRING_OR_NULL,
                   "rights": {"type": "string"}},
}


@dataclass(frozen=True)
class ManifestRow:
    doc_id: str
    source_file: str
    sha256: str
    outlet: str | None
    title: str | None
    authors: tuple[str, ...]
    date: str | None  # ISO 8601
    language: str | None  # BCP 47
    url: str | None  # never invented: null unless the raw text states it
    rights: str  # who holds the text's copyright and on what terms the corpus includes it

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "authors": list(self.authors)}, ensure_ascii=False)


def iter_manifest(path: Path) -> Iterator[ManifestRow]:
    """The rows of ``corpus/manifest.jsonl``, each validated, read one line at a time (memory does not grow
    with the manifest). Duplicates across rows are not checked here: ``check_corpus`` does that."""
    path = Path(path)
    if path.is_dir():
        raise InputFileError("is a directory, not a manifest (JSON lines)", file=path,
                             hint="give the path of a manifest (JSON lines)")
    names = {f.name for f in fields(ManifestRow)}
    offset = 0
    with path.open("rb") as f:
        for n, data in enumerate(f, start=1):
            try:
                line = data.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as e:
                raise InputFileError(f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {offset + e.start})", file=path,
                                     hint="save it as UTF-8 and run the command again") from None
            offset += len(data)
            if not line.strip():
                continue
            yield _manifest_row(loads(line, path, line=n), names, path, n)


def _manifest_row(record, names: set[str], path: Path, n: int) -> ManifestRow:
    if not isinstance(record, dict):
        raise CorpusError("a manifest row is a JSON object, one per line", file=path, line=n, hint=FIX_ROW)
    if set(record) != names:
        raise CorpusError(f"fields must be {sorted(names)}, got {sorted(record)}", file=path, line=n, hint=FIX_ROW)
    check_shape(record, MANIFEST_ROW, path, "a manifest row", line=n)
    row = ManifestRow(**{**record, "authors": tuple(record["authors"])})
    if not DOC_ID.match(row.doc_id):
        raise CorpusError(f"doc_id {row.doc_id!r} is not lower-case words joined by '-'", file=path, line=n,
                          hint=FIX_ROW)
    if row.date is not None and not ISO_DATE.match(row.date):
        raise CorpusError(f"date {row.date!r} is not ISO 8601 (YYYY-MM-DD)", file=path, doc=row.doc_id, line=n,
                          hint=FIX_ROW)
    if Path(row.source_file).name != row.source_file or row.source_file in ("", ".", ".."):
        raise CorpusError(f"source_file {row.source_file!r} lies outside the raw directory", file=path,
                          doc=row.doc_id, line=n,
                          hint="give the name of a file in the raw directory (no directory part), and put the "
                               "file there")
    return row


def read_manifest(path: Path) -> list[ManifestRow]:
    """Read and validate ``corpus/manifest.jsonl`` (every row in memory: for a large corpus, see
    ``check_corpus`` and ``iter_manifest``)."""
    rows = list(iter_manifest(path))
    _check_unique(path, {key: _strings(getattr(r, key) for r in rows) for key in _UNIQUE})
    return rows


_UNIQUE = ("doc_id", "source_file")


class _StringColumn:
    """Strings appended one at a time, kept as Arrow string arrays (a few bytes per value, no Python
    object per value), ``chunk`` values at a time."""

    def __init__(self, chunk: int = 1024) -> None:
        self._chunks: list = []
        self._pending: list[str] = []
        self._chunk = chunk

    def append(self, value: str) -> None:
        self._pending.append(value)
        if len(self._pending) == self._chunk:
            self._seal()

    def _seal(self) -> None:
        import pyarrow as pa

        self._chunks.append(pa.array(self._pending, pa.string()))
        self._pending = []

    def array(self) -> pa.Array:
        import pyarrow as pa

        self._seal()
        return pa.chunked_array(self._chunks, pa.string()).combine_chunks()


def _strings(values: Iterable[str]) -> pa.Array:
    column = _StringColumn()
    for v in values:
        column.append(v)
    return column.array()


def _check_unique(path: Path, columns: dict[str, pa.Array]) -> None:
    import pyarrow.compute as pc

    for key, values in columns.items():
        counts = pc.value_counts(values)
        dupes = sorted(counts.field("values").filter(pc.greater(counts.field("counts"), 1)).to_pylist())
        if dupes:
            raise CorpusError(f"duplicate {key}: {', '.join(dupes)}", file=path,
                              hint=f"give every row of the manifest its own {key}")


def check_corpus(raw_dir: Path, manifest: Path) -> int:
    """Validate every manifest row, check that doc_ids and source files are unique and that the raw directory
    holds exactly the files the manifest lists, in one pass over the manifest; returns the number of rows.
    Only the ids and file names are kept meanwhile, as Arrow strings (tens of bytes per document)."""
    columns = {key: _StringColumn() for key in _UNIQUE}
    count = 0
    for row in iter_manifest(manifest):
        count += 1
        for key, column in columns.items():
            column.append(getattr(row, key))
    arrays = {key: column.array() for key, column in columns.items()}
    _check_unique(manifest, arrays)
    _check_files(raw_dir, arrays["source_file"], manifest)
    return count


def decode_raw(data: bytes, path: Path) -> str:
    """Strict UTF-8 (a byte-order mark is dropped); anything else is an error naming the file."""
    if not data.strip():
        raise CorpusError("the file is empty", file=path, hint="give the raw article (the page as fetched)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise CorpusError(f"not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})", file=path,
                          hint="save it as UTF-8 and run the command again") from None


def check_raw_dir(raw_dir: Path, rows: list[ManifestRow], manifest: Path | str = "the manifest") -> None:
    """Every raw file is in the manifest and every manifest row has its raw file."""
    _check_files(raw_dir, _strings(r.source_file for r in rows), manifest)


def _check_files(raw_dir: Path, listed: pa.Array, manifest: Path | str) -> None:
    import pyarrow.compute as pc

    on_disk = _strings(e.name for e in os.scandir(raw_dir) if e.is_file() and not e.name.startswith("."))
    if missing := sorted(listed.filter(pc.invert(pc.is_in(listed, value_set=on_disk))).to_pylist()):
        raise CorpusError(f"files listed in the manifest ({manifest}) are missing: {', '.join(missing)}", file=raw_dir,
                          hint=f"restore them, or remove their rows from {manifest}")
    if unlisted := sorted(on_disk.filter(pc.invert(pc.is_in(on_disk, value_set=listed))).to_pylist()):
        raise CorpusError(f"files not in the manifest ({manifest}): {', '.join(unlisted)}", file=raw_dir,
                          hint=f"add their rows to {manifest} (`minusma-corpus manifest FILE` proposes them)")


def slug(text: str, words: int = 5) -> str:
    stop = {"a", "an", "the", "of", "and", "in", "on", "to", "for", "s"}
    tokens = [t for t in re.findall(r"[a-z0-9]+", text.lower().replace("’", "'").replace("'s", "")) if t not in stop]
    return "-".join(tokens[:words]) or "article"


# "© 2023 Sahel Wire", "Copyright (c) 2021-2023 Sahel Wire Ltd. All rights reserved.", "© Sahel Wire 2023"
_COPYRIGHT_LINE = re.compile(
    r"^[^\w(©]*(?:copyright\b\s*)?(?:©|\(c\))?\s*(?:copyright\b\s*)?(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?\s*)?"
    r"(?P<holder>[^\s\d.,;|©][^.,;|©]*?)\s*(?:,?\s*\d{4}(?:\s*[-–]\s*\d{2,4})?)?\s*(?:[.,;|]|all rights reserved|$)",
    re.I)
_MARK = re.compile(r"©|\(c\)|^\W*copyright\b", re.I)
_NOT_A_HOLDER = re.compile(r"^(?:all rights reserved|the authors?|its authors?|the copyright holders?|copyright|"
                           r"unless otherwise (?:noted|stated)|by)\b", re.I)


def copyright_holder(line: str) -> str | None:
    """The holder a copyright line names ("© 2023 Sahel Wire" -> "Sahel Wire"), or None: the line must
    carry a copyright mark, and the holder must be a short capitalised name (not "All rights reserved")."""
    line = line.strip()
    if not _MARK.search(line) or len(line) > 200:
        return None
    m = _COPYRIGHT_LINE.match(line)
    if not m:
        return None
    holder = m.group("holder").strip()
    words = holder.split()
    if not words or len(words) > 6 or not holder[0].isupper() or _NOT_A_HOLDER.match(holder):
        return None
    return holder


def copyright_outlet(raw: str) -> str | None:
    """The holder of the last copyright line of a raw page (the footer's), if it names one."""
    for line in reversed(raw.splitlines()):
        if holder := copyright_holder(line):
            return holder
    return None


def propose_row(path: Path, language: str | None = None) -> ManifestRow:
    """A manifest row for a new raw file, from what the cleaned text states (review before committing);
    the outlet, when the cleaner finds none, from the page's copyright line."""
    data = path.read_bytes()
    raw = decode_raw(data, path)
    try:
        meta = clean(raw).metadata
    except CleaningError as e:
        raise CorpusError(e.reason, file=path, hint=CleaningError.hint) from None
    if not meta.outlet and (holder := copyright_outlet(raw)):
        from dataclasses import replace

        meta = replace(meta, outlet=holder)
    outlet = slug(re.sub(r"\(([A-Z]+)\)$", "", meta.outlet or ""), 1) if meta.outlet else "unknown"
    acronym = outlet_acronym(meta.outlet)
    if acronym:
        outlet = acronym.lower()
    doc_id = f"{outlet}-{meta.date or 'undated'}-{slug(meta.title or clean(raw).text[:120], 4)}"
    return ManifestRow(doc_id, path.name, sha256_bytes(data), meta.outlet, meta.title, meta.authors, meta.date,
                       language, None, text_rights(meta.outlet))
