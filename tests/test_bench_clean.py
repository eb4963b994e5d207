"""The cleaning benchmark runs end to end on a page set of the documented format (synthetic here;
its figures on the development pages are measured by running it, see DATACARD.md)."""

import importlib.util
import json
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench_clean.py"

BODY = ("Aid agencies warned on Monday that the number of people who need food assistance in the north of the "
        "country has doubled since the start of the year, as the rainy season cut the roads.")
MORE = ("Officials in the regional capital said they had asked the government for more trucks, but that none "
        "had arrived by the end of the week, and that stocks would run out within days.")
PAGE = f"""Home
World
Sport
Food aid needs double in the north

{BODY}
{MORE}

Most popular
Heatwave grips the south
Election results in full
© 2024 Example Media. All rights reserved.
"""


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_clean", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rows(out: str) -> dict[str, list[str]]:
    table = {}
    for line in out.splitlines():
        for name in ("minusma_corpus", "jusText", "keep-all"):
            if line.startswith(name):
                table[name] = line[26:].split()
    return table


def test_bench_clean_scores_every_method(bench, tmp_path, capsys):
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "a.txt").write_text(PAGE, encoding="utf-8")
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"a": {"with": [BODY[:40], MORE[-40:]],
                                     "without": ["Heatwave grips", "All rights reserved"]}}), encoding="utf-8")
    assert bench.main([str(pages), str(key), "--seconds", "0.01", "--per-page"]) == 0
    table = rows(capsys.readouterr().out)
    assert set(table) == {"minusma_corpus", "jusText", "keep-all"}
    p, r, f1, removal = (float(x) for x in table["minusma_corpus"][:4])
    assert (p, r, f1, removal) == (1.0, 1.0, 1.0, 1.0)
    p, r, f1, removal = (float(x) for x in table["keep-all"][:4])
    assert (p, r, removal) == (0.5, 1.0, 0.0)


def test_counts_follow_the_documented_metric(bench):
    entry = {"with": ["a  b", "zz"], "without": ["c d", "yy"]}
    assert bench.counts("x a\nb c   d", entry) == (1, 1, 1, 1)  # whitespace collapsed on both sides
    assert bench.prf(1, 1, 1) == (0.5, 0.5, 0.5)
    assert bench.prf(0, 0, 0) == (0.0, 0.0, 0.0)


def test_missing_page_is_one_clear_line(bench, tmp_path, capsys):
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"gone": {"with": [], "without": []}}), encoding="utf-8")
    assert bench.main([str(tmp_path), str(key)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "gone.txt" in err[0] and "missing" in err[0]


def test_malformed_key_is_one_clear_line(bench, tmp_path, capsys):
    key = tmp_path / "key.json"
    key.write_text(json.dumps({"a": ["not", "a", "key"]}), encoding="utf-8")
    assert bench.main([str(tmp_path), str(key)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a snippet key" in err[0]
