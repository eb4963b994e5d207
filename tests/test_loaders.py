"""Loading the release: the real `datasets` library on the release directory, and the installed wheel."""

import os
import subprocess
import sys
import textwrap
import zipfile

import pytest

from support.paths import RELEASE, ROOT


def test_datasets_load_dataset_on_release_dir():
    import datasets

    ds = datasets.load_dataset(str(RELEASE), "sentences", split="train")
    assert ds.num_rows == 213
    assert ds.features["start"] == datasets.Value("int32")
    assert ds.features["text"] == datasets.Value("string")
    row = ds[0]
    docs = datasets.load_dataset(str(RELEASE), "documents", split="train")
    text = {d["doc_id"]: d["text"] for d in docs}[row["doc_id"]]
    assert text[row["start"]:row["end"]] == row["text"]
    blocks_feature = docs.features["blocks"]
    assert isinstance(blocks_feature, datasets.List) and blocks_feature.feature["type"] == datasets.Value("string")
    assert docs.features["credits"].feature["role"] == datasets.Value("string")


def test_default_config_is_documents():
    import datasets

    ds = datasets.load_dataset(str(RELEASE), split="train")
    assert "text" in ds.column_names and ds.num_rows == 5


def test_card_matches_data():
    """The card's num_examples are the Parquet row counts."""
    import pyarrow.parquet as pq
    import yaml

    header = (RELEASE / "README.md").read_text().split("---\n")[1]
    card = yaml.safe_load(header)
    for info in card["dataset_info"]:
        rows = pq.read_metadata(RELEASE / f"{info['config_name']}.parquet").num_rows
        assert info["splits"][0]["num_examples"] == rows


def test_api_load_and_load_dataset():
    import minusma_corpus

    df = minusma_corpus.load("tokens")
    assert list(df.columns) == ["doc_id", "fold", "sentence_id", "token_id", "start", "end", "text", "whitespace"]
    ds = minusma_corpus.load_dataset("sentences")
    assert ds.num_rows == len(minusma_corpus.load("sentences"))
    with pytest.raises(ValueError, match="unknown config 'nonsense'"):
        minusma_corpus.load("nonsense")
    assert minusma_corpus.load("entities")["label"].iloc[0] in minusma_corpus.load("entity_kb")["label"].tolist()


def test_config_names_are_the_release_configs():
    """`CONFIG_NAMES` (kept literal so that the import stays light) lists exactly the built configs."""
    from minusma_corpus import CONFIG_NAMES
    from minusma_corpus.publish.text_tables import CONFIGS
    from minusma_corpus.publish.annotation_tables import ANNOTATION_CONFIGS

    assert CONFIG_NAMES == (*CONFIGS, *ANNOTATION_CONFIGS)
    assert sorted(p.stem for p in RELEASE.glob("*.parquet")) == sorted(CONFIG_NAMES)


def test_import_is_light():
    code = "import sys, minusma_corpus; print(sorted(m for m in ('datasets', 'pandas', 'pyarrow') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """A wheel built from the checkout, the way `pip install .` builds it."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(dist),
                    str(ROOT)], check=True)
    (path,) = dist.glob("minusma_corpus-*.whl")
    return path


def test_wheel_ships_the_release(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for config in ("documents", "sentences", "tokens"):
        assert f"minusma_corpus/release/{config}.parquet" in names
    assert "minusma_corpus/release/README.md" in names


def test_installed_wheel_loads_offline_from_any_directory(wheel, tmp_path):
    """A plain (non-editable) install: the package finds its own release, whatever the working directory."""
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
                   check=True)
    code = textwrap.dedent("""
        import minusma_corpus, pathlib
        assert pathlib.Path(minusma_corpus.__file__).is_relative_to(SITE), minusma_corpus.__file__
        assert minusma_corpus.release_dir().is_relative_to(SITE), minusma_corpus.release_dir()
        print(len(minusma_corpus.load("sentences")), minusma_corpus.load_dataset("documents").num_rows)
    """).replace("SITE", repr(str(site)))
    env = {**os.environ, "PYTHONPATH": str(site)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["213", "5"]
