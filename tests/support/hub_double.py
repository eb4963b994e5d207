"""A minimal, read-only stand-in for the Hugging Face Hub, serving one local directory as a dataset repo.

No Hub-compatible server that serves a local repository is available as a package here, so the tests
use this double: it answers the few endpoints that `huggingface_hub` and `datasets` call to load a
dataset repository (repository info, paths-info, tree listing, and file resolve with HEAD/GET and
ranges), on 127.0.0.1, for one repository id, at one fixed commit. Everything else answers 404.
Point ``HF_ENDPOINT`` at ``HubDouble.url``.
"""

from __future__ import annotations

import hashlib
import http.server
import json
import threading
import urllib.parse
from pathlib import Path

COMMIT = "0" * 40


class HubDouble:
    def __init__(self, repo_id: str, directory: Path):
        self.repo_id, self.directory = repo_id, directory
        self.requests: list[str] = []
        self.files = {p.relative_to(directory).as_posix(): p for p in sorted(directory.rglob("*")) if p.is_file()}
        handler = type("Handler", (_Handler,), {"hub": self})
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> HubDouble:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def entry(self, path: str) -> dict:
        data = self.files[path].read_bytes()
        return {"type": "file", "path": path, "size": len(data), "oid": hashlib.sha1(data).hexdigest(),
                "lfs": None, "lastCommit": None}

    def info(self) -> dict:
        return {"_id": "local", "id": self.repo_id, "author": self.repo_id.split("/")[0], "sha": COMMIT,
                "private": False, "gated": False, "disabled": False, "downloads": 0, "likes": 0, "tags": [],
                "lastModified": "2026-11-23T00:00:00.000Z", "createdAt": "2026-11-23T00:00:00.000Z",
                "siblings": [{"rfilename": f} for f in self.files], "cardData": {}}


class _Handler(http.server.BaseHTTPRequestHandler):
    hub: HubDouble

    def log_message(self, *args) -> None:
        pass

    def _json(self, payload, status: int = 200) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _not_found(self) -> None:
        self.send_response(404)
        self.send_header("X-Error-Code", "EntryNotFound")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _route(self, head: bool = False) -> None:
        hub = self.hub
        path = urllib.parse.urlparse(self.path).path
        hub.requests.append(f"{self.command} {self.path}")
        repo = f"/datasets/{hub.repo_id}/resolve/"
        api = f"/api/datasets/{hub.repo_id}"
        if path.startswith(repo):
            _revision, _, file = urllib.parse.unquote(path[len(repo):]).partition("/")
            return self._file(file, head)
        if path in (api, f"{api}/revision/main", f"{api}/revision/{COMMIT}"):
            return self._json(hub.info())
        if path.startswith(f"{api}/tree/"):
            _revision, _, prefix = urllib.parse.unquote(path[len(f"{api}/tree/"):]).partition("/")
            prefix = prefix.strip("/")
            recursive = "recursive=true" in (urllib.parse.urlparse(self.path).query or "").lower()
            entries, dirs = [], set()
            for f in hub.files:
                if prefix and not f.startswith(prefix + "/"):
                    continue
                rest = f[len(prefix) + 1:] if prefix else f
                if "/" in rest and not recursive:
                    dirs.add((prefix + "/" if prefix else "") + rest.split("/")[0])
                else:
                    entries.append(hub.entry(f))
            return self._json([{"type": "directory", "path": d, "oid": COMMIT} for d in sorted(dirs)] + entries)
        return self._not_found()

    def _file(self, file: str, head: bool) -> None:
        if file not in self.hub.files:
            return self._not_found()
        data = self.hub.files[file].read_bytes()
        etag = f'"{hashlib.sha1(data).hexdigest()}"'
        start, end = 0, len(data)
        status = 200
        if (rng := self.headers.get("Range")) and rng.startswith("bytes="):
            a, _, b = rng[6:].partition("-")
            start = int(a) if a else max(0, len(data) - int(b))
            end = min(len(data), int(b) + 1) if a and b else len(data)
            status = 206
        self.send_response(status)
        self.send_header("Content-Length", str(end - start))
        self.send_header("ETag", etag)
        self.send_header("X-Repo-Commit", COMMIT)
        self.send_header("Accept-Ranges", "bytes")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(data)}")
        self.end_headers()
        if not head:
            self.wfile.write(data[start:end])

    def do_GET(self) -> None:
        self._route()

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length).decode()
        path = urllib.parse.urlparse(self.path).path
        self.hub.requests.append(f"POST {self.path}")
        if path.startswith(f"/api/datasets/{self.hub.repo_id}/paths-info/"):
            form = urllib.parse.parse_qs(body)
            paths = form.get("paths") or json.loads(body or "{}").get("paths", [])
            out = []
            for p in paths:
                p = p.strip("/")
                if p in self.hub.files:
                    out.append(self.hub.entry(p))
                elif any(f.startswith(p + "/") for f in self.hub.files):
                    out.append({"type": "directory", "path": p, "oid": COMMIT})
            return self._json(out)
        return self._not_found()
