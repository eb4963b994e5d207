"""A catalogue of malformed inputs, each run through the real command line (``main([...])`` in process).

Every case must end in one-line error messages (``minusma-corpus: error: <file>...: <reason>; <what to do>``)
naming the file (and document where known), a non-zero exit code, no traceback, and an unchanged tree: the
hash of every file under the case's directory is the same before and after."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from minusma_corpus.cli import main
from minusma_corpus.publish.build import build
from support.paths import ANNOTATIONS, CHANGELOG, MANIFEST, RAW

PREFIX = "minusma-corpus: error: "
LATIN1 = "Titre\n\nL’armée a quitté la base de Tessalit.\n".encode("cp1252")


@pytest.fixture(scope="session")
def built_release(tmp_path_factory):
    out = tmp_path_factory.mktemp("catalogue") / "release"
    build(RAW, MANIFEST, out, ANNOTATIONS, CHANGELOG)
    return out


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): "<dir>" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))}


# ---- editing the copied checkout -------------------------------------------------------------------------

def rows(root):
    return [json.loads(line) for line in (root / "corpus/manifest.jsonl").read_text().splitlines() if line.strip()]


def write_rows(root, records, raw_lines=()):
    text = "".join(json.dumps(r) + "\n" for r in records) + "".join(line + "\n" for line in raw_lines)
    (root / "corpus/manifest.jsonl").write_text(text)


def edit_row(field, value):
    def setup(root):
        records = rows(root)
        records[1][field] = value
        write_rows(root, records)
        return ["validate"]
    return setup


def gold(root, n=0) -> Path:
    return sorted((root / "annotations/gold").glob("*.json"))[n]


def gold_json(root, n=0) -> dict:
    return json.loads(gold(root, n).read_text())


def gold_with(change):
    """validate one gold file after ``change(data)`` (or after writing what ``change`` returns, if bytes/str)."""
    def setup(root):
        path = gold(root)
        data = json.loads(path.read_text())
        out = change(data)
        if isinstance(out, bytes):
            path.write_bytes(out)
        elif isinstance(out, str):
            path.write_text(out)
        else:
            path.write_text(json.dumps(data))
        return ["validate", str(path)]
    return setup


def file_with(rel, content, argv):
    def setup(root):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        elif callable(content):
            path.write_text(content(path.read_text()))
        else:
            path.write_text(content)
        return [a.replace("{root}", str(root)) for a in argv]
    return setup


def kb_with(change, name="entities.json"):
    def setup(root):
        path = root / "annotations" / name
        data = json.loads(path.read_text())
        out = change(data)
        path.write_text(out if isinstance(out, str) else json.dumps(data))
        return ["validate"]
    return setup


def raw_setup(change):
    def setup(root):
        first = sorted((root / "corpus/raw").iterdir())[0]
        return change(root, first)
    return setup


def ls_export(tasks_or_text):
    def setup(root):
        path = root / "export.json"
        if isinstance(tasks_or_text, bytes):
            path.write_bytes(tasks_or_text)
        elif isinstance(tasks_or_text, str):
            path.write_text(tasks_or_text)
        else:
            value = tasks_or_text(root) if callable(tasks_or_text) else tasks_or_text
            path.write_text(value if isinstance(value, str) else json.dumps(value))
        (root / "imported").mkdir()
        return ["ls", "import", str(path), "--out", str(root / "imported")]
    return setup


def draft(value):
    def setup(root):
        path = root / "draft.json"
        path.write_bytes(value) if isinstance(value, bytes) else path.write_text(
            value if isinstance(value, str) else json.dumps(value))
        return ["draft", str(path), "--annotator", "me", "--method", "hand", "--out", str(root / "drafts")]
    return setup


def release_setup(change):
    def setup(root):
        release = root / "release"
        return change(root, release)
    return setup


def _tamper(release, name, data: bytes):
    (release / name).write_bytes(data)


def first_doc(root):
    return rows(root)[0]["doc_id"]


def _deep(n=100_000):
    return "[" * n + "]" * n


def _deep_object(n=500):
    """Nested deeper than the package reads (errors.MAX_JSON_DEPTH) but not than Python's parser goes."""
    return '{"a": ' * n + "1" + "}" * n


def _with_deep(value, n=500):
    """``value`` as JSON text with its ``"@deep@"`` string replaced by a list nested ``n`` levels."""
    return json.dumps(value).replace('"@deep@"', _deep(n))


def _deep_label(d):
    d["mentions"][0]["label"] = "@deep@"
    return _with_deep(d)


def _deep_task(root):
    return [{"id": 9, "data": {"doc_id": first_doc(root), "meta": "@deep@"}}]


CASES = {
    # ---- raw files ----
    "clean a directory": (lambda root: ["clean", str(root / "corpus/raw")], ["raw", "directory"]),
    "clean a missing file": (lambda root: ["clean", str(root / "nope.txt")], ["nope.txt", "No such file"]),
    "clean a non-UTF-8 file": (file_with("latin1.txt", LATIN1, ["clean", "{root}/latin1.txt"]),
                               ["latin1.txt", "not UTF-8"]),
    "clean an empty file": (file_with("empty.txt", "  \n", ["clean", "{root}/empty.txt"]), ["empty.txt", "empty"]),
    "raw file edited after the manifest": (raw_setup(lambda root, p: (p.write_bytes(p.read_bytes() + b"x"),
                                                                      ["validate"])[1]), ["sha256 differs", "document"]),
    "raw file missing": (raw_setup(lambda root, p: (p.unlink(), ["validate"])[1]), ["corpus/raw", "missing"]),
    "raw file not in the manifest": (file_with("corpus/raw/extra.txt", "Title\n\nText.\n", ["validate"]),
                                     ["corpus/raw", "extra.txt", "not in the manifest"]),
    "--raw is a file": (lambda root: ["validate", "--raw", str(root / "corpus/manifest.jsonl")],
                        ["manifest.jsonl", "Not a directory"]),
    "--raw is missing": (lambda root: ["validate", "--raw", str(root / "nowhere")], ["nowhere", "No such file"]),
    "manifest names a directory as raw file": (raw_setup(lambda root, p: (p.unlink(), p.mkdir(), ["validate"])[2]),
                                               ["corpus/raw", "missing"]),
    # ---- manifest ----
    "manifest missing": (file_with("corpus/manifest.jsonl", None, ["validate"]), ["manifest.jsonl", "No such file"]),
    "manifest is a directory": (lambda root: ["validate", "--manifest", str(root / "corpus")], ["corpus", "directory"]),
    "manifest line not JSON": (lambda root: (write_rows(root, rows(root), ['{"doc_id": ']), ["validate"])[1],
                               ["manifest.jsonl", "line 6", "not valid JSON"]),
    "manifest row is an array": (lambda root: (write_rows(root, rows(root), ["[1, 2]"]), ["validate"])[1],
                                 ["manifest.jsonl", "line 6", "JSON object"]),
    "manifest row without url": (lambda root: (write_rows(root, [{k: v for k, v in r.items() if k != "url"}
                                                                 for r in rows(root)]), ["validate"])[1],
                                 ["manifest.jsonl", "line 1", "fields must be"]),
    "manifest authors is a number": (edit_row("authors", 3), ["manifest.jsonl", "line 2", "at authors", "number where array expected"]),
    "manifest title is a list": (edit_row("title", ["a"]), ["manifest.jsonl", "line 2", "title"]),
    "manifest sha256 not hex": (edit_row("sha256", "xyz"), ["manifest.jsonl", "line 2", "sha256"]),
    "manifest doc_id with spaces": (edit_row("doc_id", "Bad Id"), ["manifest.jsonl", "line 2", "doc_id"]),
    "manifest date not ISO": (edit_row("date", "July 4"), ["manifest.jsonl", "line 2", "ISO 8601"]),
    "manifest duplicate doc_id": (lambda root: (write_rows(root, [*rows(root), rows(root)[0]]), ["validate"])[1],
                                  ["manifest.jsonl", "duplicate doc_id"]),
    "manifest line nested too deeply": (lambda root: (write_rows(root, rows(root), [_deep()]), ["validate"])[1],
                                        ["manifest.jsonl", "line 6", "nested too deeply"]),
    "manifest field nested 500 levels": (
        lambda root: (write_rows(root, rows(root), [_with_deep({**rows(root)[0], "authors": "@deep@"})]),
                      ["validate"])[1], ["manifest.jsonl", "line 6", "nested too deeply"]),
    "manifest not UTF-8": (file_with("corpus/manifest.jsonl", b'{"doc_id": "\xe9"}\n', ["validate"]),
                           ["manifest.jsonl", "not UTF-8"]),
    # ---- annotation files ----
    "gold top level is []": (gold_with(lambda d: "[]"), ["annotations/gold/", "not an object"]),
    "gold not UTF-8": (gold_with(lambda d: json.dumps(d).replace("é", "e").encode("utf-8") + b"\xff"),
                       ["annotations/gold/", "not UTF-8"]),
    "gold truncated": (gold_with(lambda d: json.dumps(d)[:200]), ["annotations/gold/", "not valid JSON"]),
    "gold schema_version is a number": (gold_with(lambda d: d.update(schema_version=1)),
                                        ["annotations/gold/", "schema_version 1 is not a version string"]),
    "gold without schema_version": (gold_with(lambda d: (d.pop("schema_version"), None)[1]), ["annotations/gold/", "no schema_version"]),
    "gold schema_version from the future": (gold_with(lambda d: d.update(schema_version="99.0.0")),
                                            ["annotations/gold/", "newer than this package"]),
    "gold nested too deeply": (gold_with(lambda d: _deep()), ["annotations/gold/", "nested too deeply"]),
    "gold nested 500 levels": (gold_with(lambda d: _deep_object()), ["annotations/gold/", "nested too deeply"]),
    "gold label nested 500 levels": (gold_with(_deep_label), ["annotations/gold/", "nested too deeply"]),
    "migrate a file nested too deeply": (file_with("deep.json", _deep(), ["migrate", "{root}/deep.json"]),
                                         ["deep.json", "nested too deeply"]),
    "migrate a file nested 500 levels": (file_with("deep.json", _deep_object(), ["migrate", "{root}/deep.json"]),
                                         ["deep.json", "nested too deeply"]),
    "migrate a non-UTF-8 file": (file_with("latin1.json", b'{"a": "\xe9"}', ["migrate", "{root}/latin1.json"]),
                                 ["latin1.json", "not UTF-8"]),
    "migrate a JSON array": (file_with("list.json", "[1]", ["migrate", "{root}/list.json"]),
                             ["list.json", "not an object"]),
    "draft nested too deeply": (draft(_deep()), ["draft.json", "nested too deeply"]),
    "draft nested 500 levels": (draft(_deep_object()), ["draft.json", "nested too deeply"]),
    "gold mentions is an object": (gold_with(lambda d: d.update(mentions={})), ["annotations/gold/", "mentions"]),
    "gold mention without id": (gold_with(lambda d: (d["mentions"][0].pop("id"), None)[1]), ["annotations/gold/", "document", "'id'"]),
    "gold span moved": (gold_with(lambda d: d["mentions"][0].update(start=d["mentions"][0]["start"] + 1)),
                        ["annotations/gold/", "document", "annotation m001"]),
    "gold file is a directory": (lambda root: ["validate", str(root / "annotations")],
                                 ["annotations", "directory"]),
    "gold of a document not in the manifest": (gold_with(lambda d: d.update(doc_id="no-such-doc")),
                                                ["annotations/gold/", "document no-such-doc", "not in the manifest"]),
    "reanchor a document missing from the manifest": (
        lambda root: (gold(root).write_text(gold(root).read_text().replace(gold_json(root)["doc_id"], "no-such-doc")),
                      ["reanchor", str(gold(root))])[1],
        ["annotations/gold/", "no-such-doc", "not in"]),
    "agreement of a missing set": (lambda root: ["agreement", str(root / "annotations/gold"), str(root / "nope")],
                                   ["nope", "no such annotation file"]),
    "draft top level is a list": (draft([]), ["draft.json", "not a JSON object"]),
    "draft not JSON": (draft("{ nope"), ["draft.json", "not valid JSON"]),
    "draft of an unknown document": (draft({"doc_id": "no-such-doc"}), ["draft.json", "unknown doc_id"]),
    "draft mentions is a number": (draft({"doc_id": "x", "mentions": 3}), ["draft.json", "at mentions"]),
    "draft quote is a number": (draft({"doc_id": "x", "mentions": [{"text": 5}]}), ["draft.json", "at mentions/0/text"]),
    "draft doc_id is a number": (draft({"doc_id": 5}), ["draft.json", "at doc_id"]),
    "draft quote not in the text": (lambda root: draft({"doc_id": first_doc(root), "mentions": [
        {"text": "no such words anywhere", "label": "GPE"}]})(root), ["draft.json", "document", "occurs 0 times"]),
    "agreement of a KB file as an annotation set": (lambda root: ["agreement", str(root / "annotations/entities.json"),
                                                                  str(root / "annotations/gold")],
                                                    ["entities.json", "not an object"]),
    "preannotate an unknown document": (lambda root: ["preannotate", "no-such-doc", "--out", str(root / "pre")],
                                        ["corpus/manifest.jsonl", "no-such-doc"]),
    "ls export of an unknown document": (lambda root: ["ls", "export", "no-such-doc"],
                                         ["corpus/manifest.jsonl", "no-such-doc"]),
    "explore --out a file": (lambda root: ["explore", "--out", str(root / "annotations/entities.json")],
                             ["entities.json"]),
    "ls config --out a directory": (lambda root: ["ls", "config", "--out", str(root / "annotations")],
                                    ["annotations", "directory"]),
    "schema --write into a file": (lambda root: ["schema", "--write", "--dir", str(root / "annotations/entities.json")],
                                   ["entities.json", "Not a directory"]),
    # ---- knowledge base and clusters ----
    "KB truncated": (kb_with(lambda d: json.dumps(d)[:300]), ["entities.json", "not valid JSON"]),
    "KB is an object": (kb_with(lambda d: json.dumps({"entities": d})), ["entities.json", "not a knowledge base"]),
    "KB entry without id": (kb_with(lambda d: (d[0].pop("id"), None)[1]), ["entities.json", "at 0", "'id' is a required"]),
    "KB id is a number": (kb_with(lambda d: d[1].update(id=7)), ["entities.json", "at 1/id"]),
    "KB aliases is a string": (kb_with(lambda d: d[2].update(aliases="x")), ["entities.json", "at 2/aliases"]),
    "KB missing": (file_with("annotations/entities.json", None, ["validate"]), ["entities.json", "No such file"]),
    "KB not UTF-8": (file_with("annotations/entities.json", b"[\xff]", ["validate"]), ["entities.json", "not UTF-8"]),
    "KB nested too deeply": (kb_with(lambda d: _deep()), ["entities.json", "nested too deeply"]),
    "KB entry nested 500 levels": (kb_with(lambda d: _with_deep([{**d[0], "description": "@deep@"}])),
                                   ["entities.json", "nested too deeply"]),
    "clusters nested too deeply": (kb_with(lambda d: _deep(), "claim_clusters.json"),
                                   ["claim_clusters.json", "nested too deeply"]),
    "clusters nested 500 levels": (kb_with(lambda d: _deep_object(), "claim_clusters.json"),
                                   ["claim_clusters.json", "nested too deeply"]),
    "KB duplicate id": (kb_with(lambda d: d.append(dict(d[0]))), ["entities.json", "duplicate entity id"]),
    "clusters truncated": (kb_with(lambda d: json.dumps(d)[:100], "claim_clusters.json"),
                           ["claim_clusters.json", "not valid JSON"]),
    "cluster without property": (kb_with(lambda d: (d[0].pop("property"), None)[1], "claim_clusters.json"),
                                 ["claim_clusters.json", "'property' is a required"]),
    "clusters is a string": (kb_with(lambda d: json.dumps("clusters"), "claim_clusters.json"),
                             ["claim_clusters.json", "not a list of claim clusters"]),
    # ---- Label Studio exports ----
    "LS export is a dict": (ls_export({"tasks": []}), ["export.json", "not a list of tasks"]),
    "LS export not JSON": (ls_export("[{"), ["export.json", "not valid JSON"]),
    "LS export not UTF-8": (ls_export(b"[\xff]"), ["export.json", "not UTF-8"]),
    "LS export nested too deeply": (ls_export(_deep()), ["export.json", "nested too deeply"]),
    "LS task nested 500 levels": (ls_export(lambda root: _with_deep(_deep_task(root))),
                                  ["export.json", "nested too deeply"]),
    "LS adjudicate export nested too deeply": (
        lambda root: (ls_export(_deep())(root), ["ls", "adjudicate", str(root / "export.json"), "--out",
                                                 str(root / "adj.json")])[1], ["export.json", "nested too deeply"]),
    "explore --out an earlier site whose record is nested too deeply": (
        file_with("site/explore.json", _deep(), ["explore", "--out", "{root}/site"]), ["site", "not an explorer site"]),
    "LS task without data": (ls_export([{"id": 3}]), ["export.json", "task 3", "no data object"]),
    "LS task of an unknown document": (ls_export([{"id": 4, "data": {"doc_id": "no-such-doc"}}]),
                                       ["export.json", "task 4", "no-such-doc"]),
    "LS task annotations is a number": (
        ls_export(lambda root: [{"id": 5, "data": {"doc_id": first_doc(root), "schema_version": "1.0.0"},
                                 "annotations": 3}]), ["export.json", "task 5"]),
    "LS export missing": (lambda root: ["ls", "import", str(root / "none.json"), "--out", str(root / "o")],
                          ["none.json", "No such file"]),
    "LS adjudicate export is a dict": (lambda root: (ls_export({})(root), ["ls", "adjudicate", str(root / "export.json"),
                                                                          "--out", str(root / "adj.json")])[1],
                                       ["export.json", "not a list of tasks"]),
    # ---- release files ----
    "verify a tampered Parquet file": (release_setup(lambda root, r: (_tamper(r, "claims.parquet", b"PAR1"),
                                                                      ["verify", str(r)])[1]),
                                       ["release", "claims.parquet", "sha256 differs"]),
    "verify without SHA256SUMS": (release_setup(lambda root, r: ((r / "SHA256SUMS").unlink(), ["verify", str(r)])[1]),
                                  ["release", "SHA256SUMS", "missing"]),
    "verify a SHA256SUMS with a bad line": (
        release_setup(lambda root, r: ((r / "SHA256SUMS").write_text("nonsense\n" + (r / "SHA256SUMS").read_text()),
                                       ["verify", str(r)])[1]), ["SHA256SUMS", "not a 'sha256  path' line"]),
    "verify a missing directory": (lambda root: ["verify", str(root / "nowhere")], ["nowhere", "not a directory"]),
    "stats of a directory that is not a release": (lambda root: ["stats", "--release", str(root / "annotations")],
                                                   ["annotations"]),
    "stats --write a file without the block": (file_with("notes.md", "# notes\n", ["stats", "--release",
                                                                                  "{root}/release", "--write",
                                                                                  "{root}/notes.md"]),
                                               ["notes.md", "no stats block"]),
    "stats --write a directory": (lambda root: ["stats", "--release", str(root / "release"), "--write",
                                                str(root / "annotations")], ["annotations", "directory"]),
    "build --out a file": (file_with("thesis.md", "work\n", ["build", "--out", "{root}/thesis.md"]),
                           ["thesis.md", "nothing was changed"]),
    "build --out a directory of user files": (lambda root: ["build", "--out", str(root / "annotations")],
                                              ["annotations", "nothing was changed"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_malformed_input_is_refused_with_one_clear_line_and_changes_nothing(name, tmp_path, monkeypatch, capsys,
                                                                           built_release):
    root = tmp_path / "checkout"
    (root / "corpus").mkdir(parents=True)
    shutil.copytree(RAW, root / "corpus/raw")
    shutil.copy(MANIFEST, root / "corpus/manifest.jsonl")
    shutil.copytree(ANNOTATIONS, root / "annotations")
    shutil.copytree(built_release, root / "release")
    shutil.copy(CHANGELOG, root / "CHANGELOG.md")
    monkeypatch.chdir(root)
    setup, expected = CASES[name]
    argv = setup(root)
    before = tree(tmp_path)

    code = main(argv)

    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code != 0, (out, err)
    assert "Traceback" not in err and "Traceback" not in out
    assert lines and all(line.startswith(PREFIX) for line in lines), err
    assert "this is a bug" not in err, err
    assert all("; " in line for line in lines), err  # each says what to do
    assert any(all(e in line for e in expected) for line in lines), (expected, err)
    assert tree(tmp_path) == before


def test_the_catalogue_has_at_least_forty_cases():
    assert len(CASES) >= 40


# ---- the depth limit of JSON input (errors.loads) ---------------------------------------------------------

from hypothesis import given, strategies as st  # noqa: E402

from minusma_corpus.errors import MAX_JSON_DEPTH, InputFileError, loads, nesting_exceeds  # noqa: E402

_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=3),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3),
                     max_leaves=20)


def _levels(value) -> int:
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
    return 0 if children is None else 1 + max((_levels(c) for c in children), default=0)


def _wrapped(value, n):
    for i in range(n):
        value = [value] if i % 2 else {"k": value}
    return value


@given(_JSON, st.integers(0, 12), st.integers(0, 12))
def test_nesting_exceeds_counts_levels_of_arrays_and_objects(value, extra, limit):
    value = _wrapped(value, extra)
    assert nesting_exceeds(value, limit) == (_levels(value) > limit)


@given(_JSON, st.integers(0, MAX_JSON_DEPTH + 5))
def test_loads_reads_what_is_at_most_the_limit_deep_and_refuses_the_rest_naming_the_file(value, extra):
    value = _wrapped(value, extra)
    text = json.dumps(value)
    if _levels(value) <= MAX_JSON_DEPTH:
        assert loads(text, "f.json") == value
    else:
        with pytest.raises(InputFileError, match=r"^f\.json: line 3: JSON nested too deeply"):
            loads(text, "f.json", line=3)
