"""Start a local Label Studio for a person, with the corpus loaded, in one command:

    .venv/bin/python scripts/start_annotation_server.py

Installs Label Studio into its own environment under ~/.cache/minusma-corpus (once, about a minute),
starts it on http://127.0.0.1:8080 with a persistent data directory (~/.local/share/minusma-corpus/
label-studio: the work survives restarts), creates the project ``minusma-corpus`` with the labeling
config generated from the schema, uploads every document of the manifest with its gold annotations as
pre-annotations (documents already in the project are left alone), prints where to log in, and runs until
Ctrl-C, when it stops the server by its process id.

The user is LABEL_STUDIO_USERNAME / LABEL_STUDIO_PASSWORD from the environment, else a default user with
a random password printed once here (it is not stored anywhere but in Label Studio's own database). The
API token is printed once here and stored for ``ls push``/``ls pull`` in
``~/.local/share/minusma-corpus/label-studio-token.json`` (``$XDG_DATA_HOME``; mode 0600, never in the
repository), which they read when LABEL_STUDIO_API_KEY is unset. When done, pull the work back with:

    minusma-corpus ls pull --out annotations/passes/<round>
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from minusma_corpus import labelstudio as ls  # noqa: E402
from minusma_corpus.labelstudio import server as server_mod  # noqa: E402
from minusma_corpus.labelstudio.credentials import save_token  # noqa: E402


def default_data_dir() -> Path:
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "minusma-corpus" / "label-studio"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--data-dir", type=Path, default=default_data_dir(), help="kept between runs (default: %(default)s)")
    p.add_argument("--project", default="minusma-corpus")
    p.add_argument("--from", dest="sources", type=Path, action="append", default=None,
                   help="annotation sets to pre-load (default: annotations/gold); repeatable")
    p.add_argument("--as", dest="mode", choices=["predictions", "annotations"], default="predictions")
    p.add_argument("--no-annotations", action="store_true", help="load the texts only")
    p.add_argument("--exit-after-load", action="store_true", help="stop once the corpus is loaded (for tests)")
    args = p.parse_args(argv)

    from minusma_corpus.annotations.fileformat import read_annotation_file
    from minusma_corpus.pipeline.process import process

    docs = {d.row.doc_id: d.document()
            for d in process(ROOT / "corpus" / "raw", ROOT / "corpus" / "manifest.jsonl")}
    sets: dict[str, list[dict]] = {}
    if not args.no_annotations:
        for source in args.sources or [ROOT / "annotations" / "gold"]:
            for path in sorted(source.glob("*.json")) if source.is_dir() else [source]:
                data = read_annotation_file(path)
                sets.setdefault(data["doc_id"], []).append(data)
    tasks = ls.export_tasks(docs.values(), sets, args.mode)

    t0 = time.perf_counter()
    server = server_mod.start(args.data_dir, port=args.port)
    stop = {"now": False}

    def on_signal(signum, frame):
        stop["now"] = True

    signal.signal(signal.SIGTERM, on_signal)
    try:
        report = ls.push(server.client(), args.project, tasks)
        print(f"\nLabel Studio is running: {server.url}  (started in {time.perf_counter() - t0:.0f} s, "
              f"process {server.pid}, data in {server.data_dir})")
        print(f"project {args.project!r} (id {report.project_id}): {report.uploaded} documents uploaded"
              + (f", {len(report.skipped)} already there" if report.skipped else ""))
        print(f"log in as: {server.username}")
        if server.new_user:
            shown = "from LABEL_STUDIO_PASSWORD" if os.environ.get("LABEL_STUDIO_PASSWORD") else server.password
            print(f"password:  {shown}")
        else:
            print("password:  the one of this data directory's first start (reset: "
                  f"{server_mod.executable()} reset_password --data-dir {server.data_dir})")
        stored = save_token(server.url, server.api_key)
        print(f"API token: {server.api_key}\n  (stored in {stored}, readable by you only: `minusma-corpus ls push`/"
              "`ls pull` use it when LABEL_STUDIO_API_KEY is unset)")
        print(f"pull the work with\n  minusma-corpus ls pull --url {server.url} --project {args.project} "
              "--out annotations/passes/<round>")
        if args.exit_after_load:
            return 0
        print("Ctrl-C stops the server.", flush=True)
        while not stop["now"] and server.alive():
            time.sleep(0.5)
        if not server.alive():
            print(f"Label Studio stopped by itself; see {server.log_path}", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print("Label Studio stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
