"""What the dataset card and the data card tell users: examples as `datasets` returns them, the size
category of the largest config, how to install, folds and streaming, no path outside the repository."""

import json
import re

import pytest

import minusma_corpus
from minusma_corpus.publish.card import size_category
from support.paths import RELEASE, ROOT

CARD = (RELEASE / "README.md").read_text(encoding="utf-8")


def _example(config):
    m = re.search(rf"\*\*`{config}`\*\*\n\n```json\n(.*?)\n```", CARD, re.S)
    return json.loads(m.group(1))


@pytest.mark.parametrize("config, columns", [("ner", ["ner_tags"]), ("entities", ["label"]), ("claims", ["claim_type"]),
                                             ("stances", ["target", "polarity"])])
def test_examples_show_classlabel_ids_as_datasets_returns_them(config, columns):
    first = minusma_corpus.load_dataset(config)[0]
    example = _example(config)
    for column in columns:
        assert example[column] == first[column]
        assert isinstance(example[column], (int, list)) and not isinstance(example[column], str)
    if config == "ner":
        assert example["tokens"] == first["tokens"]


@pytest.mark.parametrize("rows, bucket", [(0, "n<1K"), (999, "n<1K"), (1000, "1K<n<10K"), (4596, "1K<n<10K"),
                                          (10_000, "10K<n<100K"), (2_000_000, "1M<n<10M")])
def test_size_category(rows, bucket):
    assert size_category(rows) == bucket


def test_card_size_category_is_the_largest_configs():
    import pyarrow.parquet as pq
    from huggingface_hub import DatasetCard

    largest = max(pq.read_metadata(p).num_rows for p in RELEASE.glob("*.parquet"))
    assert DatasetCard.load(RELEASE / "README.md").data.size_categories == [size_category(largest)]
    assert largest > 1000


def test_cards_say_how_to_install_and_point_only_inside_the_repository():
    datacard = (ROOT / "DATACARD.md").read_text(encoding="utf-8")
    for text in (CARD, datacard):
        assert "pip install minusma-corpus" not in text
        assert "shared/seeds" not in text
    assert "not on PyPI" in CARD and "pip install ." in CARD


def test_card_documents_folds_and_streaming():
    assert 'ds.filter(lambda r: r["fold"] != k)' in CARD
    assert "read each iterator to the end" in CARD
    assert "hyphen" in CARD and "one `B-` tag per mention" in CARD
