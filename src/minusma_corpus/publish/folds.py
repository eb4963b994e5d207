"""Document-level folds for cross-validation: leave one document out.

Every config with a ``doc_id`` carries a ``fold`` column: the document's position in the corpus manifest
(``corpus/manifest.jsonl``, 0-based). New articles are appended to the manifest, so adding one gives it a
new fold and leaves every existing fold number unchanged; the same document has the same fold in every
config. Fold ``k``'s test set is document ``k``; its training set is every other document::

    train = ds.filter(lambda r: r["fold"] != k); test = ds.filter(lambda r: r["fold"] == k)
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

FOLD = ("fold", pa.int32())


def folds(doc_ids: Sequence[str]) -> dict[str, int]:
    """doc_id -> fold, for the documents in manifest order (one fold per document)."""
    if len(set(doc_ids)) != len(doc_ids):
        duplicates = sorted({d for d in doc_ids if doc_ids.count(d) > 1})
        raise ValueError(f"document ids repeat in the manifest: {', '.join(duplicates)}; give each article its own id")
    return {doc_id: i for i, doc_id in enumerate(doc_ids)}
