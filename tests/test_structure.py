"""The package's layering, and the small shared pieces the restructure introduced (fileio, the one pairing
of two annotation sets, the one entry point to processed documents, validation that returns what it read)."""

import ast
import math
import os
import stat
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minusma_corpus.annotations.agreement import CategoricalScore, agreement, disagreements, pair_annotations
from minusma_corpus.annotations.layout import AnnotationLayout, read_sets
from minusma_corpus.annotations.validate import validate_files
from minusma_corpus.explore.items import diff_items
from minusma_corpus.fileio import replace_between, write_atomic
from minusma_corpus.pipeline.corpus import read_manifest
from minusma_corpus.pipeline.process import process_article, read_article
from support import heavy
from support.paths import ANNOTATIONS, RAW, ROOT

PACKAGE = ROOT / "src" / "minusma_corpus"
# pipeline <- annotations <- publish <- {api, engine, labelstudio, explore} <- cli; fileio, safepath and resources below them all
LAYER = {"fileio": 0, "errors": 0, "progress": 0, "safepath": 0, "resources": 0, "version": 0, "pipeline": 1, "annotations": 2, "publish": 3, "api": 4,
         "engine": 4, "engine_ray": 4, "labelstudio": 4,
         "explore": 4, "cli": 5}


def _imports(path: Path):
    """(module imported, names taken) of every ``from`` import of a module of the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts[:-1] if path.name != "__init__.py" else parts[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[: len(package) - node.level + 1]
            target = (*base, *(node.module.split(".") if node.module else ()))
            yield target, [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("minusma_corpus"):
            yield tuple(node.module.split(".")), [a.name for a in node.names]


def _layer(module: tuple[str, ...]) -> int | None:
    return LAYER.get(module[1]) if len(module) > 1 else None


def test_no_import_runs_from_a_lower_layer_to_a_higher_one_or_between_labelstudio_and_explore():
    bad = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = path.relative_to(PACKAGE.parent).with_suffix("").parts
        for target, names in _imports(path):
            if len(here) > 1 and _layer(here) is not None and _layer(target) is not None:
                if _layer(target) > _layer(here) or {here[1], target[1]} == {"labelstudio", "explore"}:
                    bad.append(f"{path.relative_to(ROOT)} imports {'.'.join(target)}")
    assert bad == []


def test_no_module_imports_another_modules_private_name():
    bad = [f"{path.relative_to(ROOT)}: {name} from {'.'.join(target)}"
           for path in sorted(PACKAGE.rglob("*.py")) for target, names in _imports(path)
           for name in names if name.startswith("_") and not name.startswith("__")]
    assert bad == []


def test_no_code_package_is_named_like_the_data_the_wheel_installs():
    assert not {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} & {"release", "schema", "build"}


# ---- fileio -------------------------------------------------------------------------------------------


def test_write_atomic_keeps_the_mode_of_a_replaced_file_and_gives_a_new_one_the_umask_mode(tmp_path):
    old = tmp_path / "script.sh"
    old.write_text("old")
    old.chmod(0o750)
    write_atomic(old, "new")
    assert old.read_text() == "new" and stat.S_IMODE(old.stat().st_mode) == 0o750
    mask = os.umask(0o022)
    try:
        write_atomic(tmp_path / "sub" / "new.txt", "x")
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "sub" / "new.txt").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.rglob("*") if p.name.startswith(".")] == []  # no temporary file left


_TEXT = st.text(alphabet=st.characters(blacklist_characters="<>"), max_size=40)


@given(_TEXT, _TEXT, _TEXT, _TEXT)
def test_replace_between_replaces_only_what_stands_between_the_markers(head, old, tail, new):
    text = f"{head}<b>{old}<e>{tail}"
    assert replace_between(text, "<b>", "<e>", new) == f"{head}<b>{new}<e>{tail}"
    assert replace_between(replace_between(text, "<b>", "<e>", new), "<b>", "<e>", old) == text


def test_replace_between_refuses_a_text_without_the_markers():
    with pytest.raises(ValueError, match="markers"):
        replace_between("no markers here", "<b>", "<e>", "x")


# ---- agreement statistics against the textbook formulas -------------------------------------------------


def _alpha_by_hand(pairs):
    """Nominal α for two coders: 1 - D_o / D_e over the coincidence matrix."""
    values = Counter(v for pair in pairs for v in pair)
    total = 2 * len(pairs)
    observed = sum(a != b for a, b in pairs) * 2 / total
    expected = (total * total - sum(v * v for v in values.values())) / (total * (total - 1))
    return 1.0 if expected == 0 else 1 - observed / expected


_PAIRS = st.lists(st.tuples(st.sampled_from("abcd"), st.sampled_from("abcde")), min_size=1, max_size=40)


@settings(max_examples=200, deadline=None)
@given(_PAIRS)
def test_krippendorff_alpha_of_the_library_is_the_textbook_value_and_symmetric(pairs):
    score = CategoricalScore(pairs)
    assert math.isclose(score.krippendorff_alpha, _alpha_by_hand(pairs), abs_tol=1e-12)
    swapped = CategoricalScore([(b, a) for a, b in pairs])
    assert math.isclose(score.krippendorff_alpha, swapped.krippendorff_alpha, abs_tol=1e-12)
    assert math.isclose(score.cohen_kappa, swapped.cohen_kappa, abs_tol=1e-12)


# ---- one pairing for `agreement --diff` and the explorer's diff --------------------------------------------


def test_the_explorer_diff_and_agreement_diff_pair_the_same_annotations(gold):
    pass_b = read_sets(ANNOTATIONS / "passes" / "b")
    for doc_id in sorted(set(gold) & set(pass_b)):
        a, b = gold[doc_id], pass_b[doc_id]
        items = diff_items(a, b)
        paired = pair_annotations(a, b)
        assert sum(it.status in ("match", "changed") for it in items) == 2 * sum(map(len, paired.values()))
        only = Counter(it.status for it in items if it.status.startswith("only-"))
        lines = disagreements(a, b)
        assert only["only-a"] == sum(line.startswith(("mention only in A", "claim only in A", "stance only in A"))
                                     for line in lines)
        assert only["only-b"] == sum(line.startswith(("mention only in B", "claim only in B", "stance only in B"))
                                     for line in lines)
    assert agreement(gold, pass_b).documents


# ---- one entry point to processed documents; validation reads each file once -----------------------------


def test_process_article_is_what_process_gives_for_each_document(processed):
    from support.paths import MANIFEST

    for position, row in enumerate(read_manifest(MANIFEST)[:3]):
        one = process_article(read_article(RAW, row), row, position)
        assert one == processed[row.doc_id]
        assert one.document().text == one.text and one.document().meta["title"] == row.title


def test_validate_files_returns_the_sets_it_validated(processed, gold):
    layout = AnnotationLayout(ANNOTATIONS)
    result = validate_files(layout.gold_files(), {k: d.text for k, d in processed.items()}, layout)
    assert result.problems == [] and result.sets == gold
    assert (result.kb, result.clusters) == (layout.read_kb(), layout.read_clusters())


def test_heavy_tests_say_how_to_enable_them():
    for marker in heavy.MARKERS:
        assert heavy.VARIABLE in heavy.skip_reason(marker)
    assert f"{heavy.VARIABLE}=1" in (ROOT / ".ci" / "run").read_text()
