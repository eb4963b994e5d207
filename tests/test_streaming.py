"""The streaming build: text configs written batch by batch equal the tables built at once; what the card
needs is kept as running totals; the card's YAML features are those `datasets` derives."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from minusma_corpus.publish.annotation_tables import ANNOTATION_CONFIGS, class_labels
from minusma_corpus.publish.card import features_yaml
from minusma_corpus.publish.text_tables import CARD_INDEX, CONFIGS, TextTableWriter, tables


@pytest.mark.parametrize("batch_docs", [1, 2, 256])
def test_batches_of_any_size_write_the_same_rows(processed, tmp_path, batch_docs):
    docs = list(processed.values())
    writer = TextTableWriter(tmp_path, batch_docs=batch_docs)
    for d in docs:
        writer.add(d)
    summaries = writer.close()
    whole = tables(docs)
    for name, table in whole.items():
        written = pq.read_table(tmp_path / f"{name}.parquet")
        assert written.equals(table), name
        assert pq.ParquetFile(tmp_path / f"{name}.parquet").metadata.num_row_groups == -(-len(docs) // batch_docs)
        s = summaries[name]
        assert (s.schema, s.num_rows) == (table.schema, table.num_rows)
        assert s.slice(0, 1).equals(table.slice(0, 1))
        if batch_docs >= len(docs):
            assert s.nbytes == table.nbytes  # one batch: the card's sizes are those of the whole table
    index = summaries["documents"]
    assert index.select(list(CARD_INDEX)).equals(whole["documents"].select(list(CARD_INDEX)))
    assert index.column("outlet").to_pylist() == whole["documents"].column("outlet").to_pylist()


def test_card_features_are_those_datasets_derives():
    from datasets import ClassLabel, Features, List

    for name, (schema, _desc) in {**CONFIGS, **ANNOTATION_CONFIGS}.items():
        labels = class_labels().get(name, {})
        feats = Features.from_arrow_schema(schema)
        for column, names in labels.items():
            feats[column] = List(ClassLabel(names=names)) if isinstance(feats[column], List) else ClassLabel(names=names)
        assert features_yaml(schema, labels) == feats._to_yaml_list(), name


def test_card_features_refuse_a_type_they_cannot_name():
    with pytest.raises(ValueError, match="no Hugging Face feature"):
        features_yaml(pa.schema([("when", pa.timestamp("s"))]), {})


def test_importing_the_package_imports_neither_datasets_nor_the_cleaner():
    import subprocess
    import sys

    code = ("import sys, minusma_corpus; "
            "print(sorted(m for m in ('datasets', 'ftfy', 'justext', 'importlib.metadata', 'pandas') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
