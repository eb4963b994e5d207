"""Where the API token of a person's local Label Studio is kept, so that ``ls push``/``ls pull`` find it.

``scripts/start_annotation_server.py`` stores the token of the server it starts in
``$XDG_DATA_HOME/minusma-corpus/label-studio-token.json`` (else ``~/.local/share/...``), readable by the
user only (mode 0600), never in the repository; ``connect`` reads it when ``LABEL_STUDIO_API_KEY`` is unset
and the server's URL is the one stored.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import loads

ENV = "LABEL_STUDIO_API_KEY"


@dataclass(frozen=True)
class StoredToken:
    url: str
    token: str


def token_file() -> Path:
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "minusma-corpus" / "label-studio-token.json"


def _same(url_a: str, url_b: str) -> bool:
    norm = lambda u: u.rstrip("/").replace("//localhost:", "//127.0.0.1:")  # noqa: E731
    return norm(url_a) == norm(url_b)


def save_token(url: str, token: str, path: Path | None = None) -> Path:
    """Store the token of the server at ``url`` (replacing any other), created with mode 0600."""
    path = path or token_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".token-", dir=path.parent)  # mkstemp makes it 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump({"url": url.rstrip("/"), "token": token}, f)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_token(url: str, path: Path | None = None) -> StoredToken | None:
    """The stored token if it is the one of the server at ``url`` (None if there is none, or another
    server's)."""
    path = path or token_file()
    try:
        data = loads(path.read_text(encoding="utf-8"), path)  # (a ValueError if not JSON)
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("token"), str) or not isinstance(data.get("url"), str):
        return None
    return StoredToken(data["url"], data["token"]) if _same(data["url"], url) else None


def api_key(url: str) -> str | None:
    """``LABEL_STUDIO_API_KEY``, else the token stored for ``url``."""
    return os.environ.get(ENV) or (stored.token if (stored := read_token(url)) else None)
