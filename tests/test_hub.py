"""The Hub release: card metadata, Croissant, and the user path `datasets.load_dataset("<org>/<name>", config)`
against a Hub served on 127.0.0.1 (a minimal documented double, tests/support/hub_double.py) — offline."""

import itertools
import os
import subprocess
import sys

import pytest

from support.paths import RELEASE, ROOT
from support.hub_double import HubDouble
from minusma_corpus import CONFIG_NAMES

REPO = "minusma-corpus/minusma-corpus"


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """The release served as a Hub dataset repo; HF_ENDPOINT points at it, with a fresh cache."""
    with HubDouble(REPO, RELEASE) as double:
        saved = {k: os.environ.get(k) for k in ("HF_ENDPOINT", "HF_HOME", "HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE")}
        os.environ.update({"HF_ENDPOINT": double.url, "HF_HOME": str(tmp_path_factory.mktemp("hf")),
                           "HF_DATASETS_OFFLINE": "0", "HF_HUB_OFFLINE": "0"})
        try:
            yield double
        finally:
            for k, v in saved.items():
                os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)


def _load(config, **kwargs):
    """`datasets.load_dataset` in a fresh process, so the endpoint and cache settings are read as a user's are."""
    code = (f"import datasets, itertools, json; ds = datasets.load_dataset({REPO!r}, {config!r}, split='train', **{kwargs!r});"
            "it = iter(ds); rows = list(itertools.islice(it, 2));"
            # read to the end: a partial read of a streamed Parquet dataset can abort the interpreter at exit
            # ("terminate called without an active exception", datasets 5.2 / pyarrow 25-26, upstream)
            "all(True for _ in it);"
            "print(json.dumps({'features': {k: type(v).__name__ for k, v in ds.features.items()}, 'n': len(rows)}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=os.environ.copy(), timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    import json

    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_every_config_loads_from_the_served_hub(hub, config):
    result = _load(config)
    assert result["n"] >= 1
    if config in ("entities", "claims", "stances"):
        assert "ClassLabel" in result["features"].values()


@pytest.mark.parametrize("config", CONFIG_NAMES)
def test_every_config_streams_from_the_served_hub(hub, config):
    assert _load(config, streaming=True)["n"] >= 1


def test_the_double_only_served_the_repo(hub):
    assert any("/resolve/" in r and ".parquet" in r for r in hub.requests)


def test_card_metadata_passes_the_libraries_validators():
    """The YAML header as the Hub libraries read it: configs, dataset_info and task categories."""
    from datasets.info import DatasetInfosDict
    from datasets.utils.metadata import MetadataConfigs, known_task_ids
    from huggingface_hub import DatasetCard

    card = DatasetCard.load(RELEASE / "README.md")
    data = card.data
    configs = MetadataConfigs.from_dataset_card_data(data)
    assert list(configs) == list(CONFIG_NAMES)
    assert [name for name, c in configs.items() if c.get("default")] == ["documents"]
    infos = DatasetInfosDict.from_dataset_card_data(data)
    assert set(infos) == set(CONFIG_NAMES)
    assert set(data.task_categories) <= set(known_task_ids)
    for key in ("pretty_name", "license", "language", "task_ids", "size_categories", "annotations_creators",
                "language_creators", "source_datasets", "multilinguality", "tags"):
        assert data.get(key), key
    assert data.license == "other" and (RELEASE / data.license_link).is_file()
    text = card.text
    for heading in ("## Loading", "## Configs", "## One record of each config", "## Labels", "## How it was built",
                    "## Known limitations and biases", "## Licensing", "## Citation"):
        assert heading in text
    assert "figures/claim_clusters.svg" in text and (RELEASE / "figures/claim_clusters.svg").is_file()


def test_croissant_validates_and_reads_records():
    import mlcroissant as mlc

    dataset = mlc.Dataset(jsonld=str(RELEASE / "croissant.json"))
    assert not dataset.metadata.issues.errors
    files = {d.name: d for d in dataset.metadata.distribution}
    assert set(files) == {f"{c}.parquet" for c in CONFIG_NAMES}
    import hashlib

    for name, f in files.items():
        assert f.sha256 == hashlib.sha256((RELEASE / name).read_bytes()).hexdigest()
    sentence = next(iter(dataset.records(record_set="sentences")))
    assert sentence["sentences/text"] == b"Reassessing MINUSMA and Mali\xe2\x80\x99s Security Transition"
    document = next(iter(dataset.records(record_set="documents")))
    assert document["documents/blocks"][0]["documents/blocks/type"] == b"title"  # nested list of structs
    claim = next(iter(dataset.records(record_set="claims")))
    assert set(claim["claims/quantity"]) == {f"claims/quantity/{k}" for k in ("number", "unit", "approximate", "property")}
    for record_set in CONFIG_NAMES:
        assert list(itertools.islice(dataset.records(record_set=record_set), 1))


def test_push_to_hub_dry_run_lists_the_release():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "push_to_hub.py"), REPO, "--dry-run"],
                         capture_output=True, text=True, env={**os.environ, "HF_TOKEN": ""})
    assert out.returncode == 0, out.stderr
    listed = {line.split()[0]: int(line.split()[1].replace(",", "")) for line in out.stdout.splitlines()[1:]}
    expected = {p.relative_to(RELEASE).as_posix(): p.stat().st_size for p in RELEASE.rglob("*") if p.is_file()}
    assert listed == expected
