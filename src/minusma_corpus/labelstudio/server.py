"""A local Label Studio server: installed in its own virtual environment, started on 127.0.0.1 with a
preset user and API token, stopped by its own process id.

* Install: ``label-studio`` (pinned, ``LABEL_STUDIO_VERSION``) goes into its own venv under the cache
  directory (``$MINUSMA_CORPUS_CACHE``, else ``$XDG_CACHE_HOME/minusma-corpus``, else
  ``~/.cache/minusma-corpus``), never into the project's environment: its pins (pyarrow, …) clash with
  ours. It is reused when present; concurrent installs wait for each other (a lock file).
* Start: a fresh data directory takes ~40 s (database migrations), so the first start keeps a migrated
  *template* data directory in the cache (no user, no secret key) and every later start copies it (~5 s).
* The server is bound to 127.0.0.1 (``--internal-host``; Label Studio's default is 0.0.0.0) on a port
  that is free when we start it; Label Studio silently moves to port+1 when a port is busy, so the port
  it really bound is read back from its log and checked, and the API token is checked on that port.
* The user and its legacy API token come from the environment of the server process
  (``LABEL_STUDIO_USERNAME``, ``LABEL_STUDIO_PASSWORD``, ``LABEL_STUDIO_USER_TOKEN``, with
  ``LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN=true``, which only works when the organisation is created, i.e.
  on the first start of a data directory). Secrets are never written to files of the repository or to
  logs; a random token and password are made when none is given.
* No outside calls: ``LATEST_VERSION_CHECK=false``, empty Sentry DSNs, ``COLLECT_ANALYTICS=false``, and
  HTTP(S) proxies pointing at a closed local port, so that anything else the server might fetch fails at
  once instead of leaving the machine.
* Stop: SIGTERM to the server's process group (it is started in its own session), then SIGKILL.
"""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

LABEL_STUDIO_VERSION = os.environ.get("MINUSMA_LABEL_STUDIO_VERSION", "1.23.2")
DEFAULT_USERNAME = "annotator@minusma-corpus.local"
HOST = "127.0.0.1"


class ServerError(RuntimeError):
    """The Label Studio server could not be installed, started or reached."""


def cache_dir() -> Path:
    if os.environ.get("MINUSMA_CORPUS_CACHE"):
        return Path(os.environ["MINUSMA_CORPUS_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "minusma-corpus"


def _log(message: str) -> None:
    print(f"[label-studio] {message}", file=sys.stderr, flush=True)


@contextmanager
def _locked(path: Path):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def venv_dir(version: str = LABEL_STUDIO_VERSION) -> Path:
    return cache_dir() / f"label-studio-{version}-venv"


def executable(version: str = LABEL_STUDIO_VERSION) -> Path:
    return venv_dir(version) / "bin" / "label-studio"


def ensure_installed(version: str = LABEL_STUDIO_VERSION, python: str | None = None) -> Path:
    """The ``label-studio`` executable of the cached venv, installing it (pip, from the package index)
    if it is not there yet."""
    target = venv_dir(version)
    exe = executable(version)

    def install() -> None:
        # built at its final path (a venv cannot be moved); complete once the marker file is written
        try:
            shutil.rmtree(target, ignore_errors=True)
            subprocess.run([python or _base_python(), "-m", "venv", str(target)], check=True)
            pip = [str(target / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
            done = subprocess.run([*pip, "install", f"label-studio=={version}"], capture_output=True, text=True)
            if done.returncode != 0:
                raise ServerError(f"pip install label-studio=={version} failed:\n{done.stdout[-3000:]}\n"
                                  f"{done.stderr[-3000:]}")
            if not exe.exists():
                raise ServerError(f"label-studio {version} installed but {exe} is missing")
            (target / ".complete").write_text(f"label-studio {version}\n")
        except BaseException:
            shutil.rmtree(target, ignore_errors=True)
            raise

    _once(lambda: (target / ".complete").exists() and exe.exists(), cache_dir() / f".label-studio-{version}.lock",
          install, f"installing label-studio {version} into {target} (once; about a minute)",
          f"installed label-studio {version}")
    return exe


def _once(done: Callable[[], bool], lock: Path, make: Callable[[], None], starting: str, finished: str) -> None:
    """``make()`` unless ``done()``, under a lock file, so that concurrent processes wait for each other."""
    if done():
        return
    with _locked(lock):
        if done():
            return
        _log(starting)
        t0 = time.perf_counter()
        make()
        _log(f"{finished} in {time.perf_counter() - t0:.0f} s")


def _base_python() -> str:
    """A Python to make the venv with: the interpreter of this process (a venv of its own base)."""
    return getattr(sys, "_base_executable", None) or sys.executable


def server_env(data_dir: Path, *, username: str, password: str, token: str) -> dict[str, str]:
    """The environment of the server process (the user, the token, no outside calls)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LABEL_STUDIO_", "HEARTEX_", "DJANGO_")) and k not in (
               "SENTRY_DSN", "FRONTEND_SENTRY_DSN", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "HOST", "PORT")}
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens, connections fail at once
    env.update({
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": username,
        "LABEL_STUDIO_PASSWORD": password,
        "LABEL_STUDIO_USER_TOKEN": token,
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
        "LATEST_VERSION_CHECK": "false",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "COLLECT_ANALYTICS": "false",
        "LOG_LEVEL": "WARNING",
        "HTTP_PROXY": closed, "HTTPS_PROXY": closed, "http_proxy": closed, "https_proxy": closed,
        "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        "PYTHONUNBUFFERED": "1",
    })
    return env


def ensure_template(version: str = LABEL_STUDIO_VERSION) -> Path:
    """A migrated data directory without any user or secret, copied by every start."""
    exe = ensure_installed(version)
    template = cache_dir() / f"label-studio-{version}-template"

    def initialise() -> None:
        staging = Path(tempfile.mkdtemp(prefix=f".label-studio-{version}-template-", dir=cache_dir()))
        try:
            env = server_env(staging, username="", password="", token="")
            for key in ("LABEL_STUDIO_USERNAME", "LABEL_STUDIO_PASSWORD", "LABEL_STUDIO_USER_TOKEN"):
                env.pop(key)
            done = subprocess.run([str(exe), "version", "--data-dir", str(staging)], env=env, capture_output=True,
                                  text=True, cwd=staging, stdin=subprocess.DEVNULL)
            if done.returncode != 0 or not (staging / "label_studio.sqlite3").exists():
                raise ServerError(f"label-studio could not initialise a data directory:\n{done.stderr[-3000:]}")
            (staging / ".env").unlink(missing_ok=True)  # holds a generated SECRET_KEY: each copy makes its own
            (staging / ".complete").write_text("")
            shutil.rmtree(template, ignore_errors=True)
            staging.rename(template)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise

    _once(lambda: (template / ".complete").exists(), cache_dir() / f".label-studio-{version}-template.lock",
          initialise, "initialising a template data directory (database migrations, once; about 40 s)", "template ready")
    return template


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:  # Label Studio itself asks "localhost"
        s.settimeout(0.5)
        return s.connect_ex(("localhost", port)) != 0


_BOUND = re.compile(r"Starting development server at http://([0-9.]+|\[[0-9a-f:]+\]|[\w.-]+):(\d+)/")


def bound_address(log: str) -> tuple[str, int] | None:
    """The address Label Studio says it bound (Django's runserver line), or None before it says so."""
    m = _BOUND.search(log)
    return (m.group(1), int(m.group(2))) if m else None


@dataclass
class Server:
    url: str
    port: int
    pid: int
    data_dir: Path
    username: str
    api_key: str = field(repr=False)
    password: str = field(repr=False)
    log_path: Path
    owns_data_dir: bool = True
    startup_seconds: float = 0.0
    process: subprocess.Popen | None = field(default=None, repr=False)
    new_user: bool = True  # False: an existing data directory, whose user keeps its first password

    def client(self):
        from .client import connect

        return connect(self.url, self.api_key)

    def alive(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self, timeout: float = 15) -> None:
        """Stop the server by its own process group; remove its data directory if it made it."""
        if self.alive():
            try:
                os.killpg(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + timeout
            while self.alive() and time.monotonic() < deadline:
                time.sleep(0.1)
            if self.alive():
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                while self.alive():
                    time.sleep(0.1)
        if self.owns_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _get(url: str, token: str | None = None, timeout: float = 2) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"} if token else {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # local: never through a proxy
    try:
        with opener.open(request, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def stored_user(data_dir: Path) -> tuple[str, str] | None:
    """(e-mail, API token) of the first user of an existing data directory, read from Label Studio's own
    database (so that a person's server can be restarted without the token being kept anywhere else)."""
    import sqlite3

    db = Path(data_dir) / "label_studio.sqlite3"
    if not db.exists():
        return None
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        row = con.execute("SELECT u.email, t.key FROM htx_user u JOIN authtoken_token t ON t.user_id = u.id "
                          "ORDER BY u.id LIMIT 1").fetchone()
    return (row[0], row[1]) if row else None


def start(data_dir: Path | None = None, *, port: int | None = None, username: str | None = None,
          password: str | None = None, token: str | None = None, version: str = LABEL_STUDIO_VERSION,
          timeout: float = 240) -> Server:
    """Install (if needed) and start Label Studio on 127.0.0.1; return when it answers with our token.

    ``data_dir``: a directory to keep (a person's work); by default a temporary one, removed by ``stop``.
    An existing data directory keeps the user and token it was first started with.
    ``port``: by default a free one. ``username``/``password``/``token``: by default
    ``LABEL_STUDIO_USERNAME``/``LABEL_STUDIO_PASSWORD``/``LABEL_STUDIO_API_KEY`` from the environment, else
    (a data directory already used) its user and token, else a fixed user name and a random password and
    token.
    """
    exe = ensure_installed(version)
    template = ensure_template(version)
    if port is not None and not port_is_free(port):
        raise ServerError(f"port {port} on {HOST} is busy (Label Studio would silently move to {port + 1}); "
                          "choose another port")
    owns = data_dir is None
    data_dir = Path(tempfile.mkdtemp(prefix="minusma-label-studio-") if owns else data_dir).resolve()
    try:
        existing = stored_user(data_dir)
        if existing is None:
            data_dir.mkdir(parents=True, exist_ok=True)
            for item in template.iterdir():
                if item.name != ".complete" and not (data_dir / item.name).exists():
                    (shutil.copytree if item.is_dir() else shutil.copy2)(item, data_dir / item.name)
        if existing and not (token or os.environ.get("LABEL_STUDIO_API_KEY")):
            username, token = username or existing[0], existing[1]
        username = username or os.environ.get("LABEL_STUDIO_USERNAME") or DEFAULT_USERNAME
        password = password or os.environ.get("LABEL_STUDIO_PASSWORD") or secrets.token_urlsafe(18)
        token = token or os.environ.get("LABEL_STUDIO_API_KEY") or secrets.token_hex(20)
        if not 5 < len(token) <= 40:
            raise ServerError("the API token must have 6 to 40 characters")
        for _attempt in range(1 if port is not None else 3):
            chosen = port if port is not None else free_port()
            if port is None and not port_is_free(chosen):
                continue
            server = _launch(exe, data_dir, chosen, username, password, token, timeout)
            if server is not None:
                server.owns_data_dir = owns
                server.new_user = existing is None
                return server
        raise ServerError(f"Label Studio did not bind {HOST}:{port or 'a port of our choice'} (it moves to another "
                          "port when one is busy)")
    except BaseException:
        if owns:
            shutil.rmtree(data_dir, ignore_errors=True)
        raise


def _launch(exe: Path, data_dir: Path, port: int, username: str, password: str, token: str,
            timeout: float) -> Server | None:
    """Start the server on ``port``; None if it bound another port (it was then stopped)."""
    t0 = time.perf_counter()
    log_path = data_dir / "server.log"
    offset = log_path.stat().st_size if log_path.exists() else 0  # a kept data directory has older runs' logs
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(exe), "start", "--no-browser", "--internal-host", HOST, "--port", str(port),
             "--data-dir", str(data_dir)],
            env=server_env(data_dir, username=username, password=password, token=token), cwd=data_dir,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(f"http://{HOST}:{port}", port, process.pid, data_dir, username, token, password, log_path,
                    owns_data_dir=False, process=process)
    deadline = time.monotonic() + timeout
    try:
        while True:
            if process.poll() is not None:
                raise ServerError(f"Label Studio exited with code {process.returncode} while starting; its log "
                                  f"({log_path}):\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise ServerError(f"Label Studio did not become ready in {timeout:.0f} s; its log ({log_path}):\n"
                                  f"{_tail(log_path)}")
            with open(log_path, "rb") as log:
                log.seek(offset)
                bound = bound_address(log.read().decode("utf-8", "replace"))
            if bound is not None:
                if bound != (HOST, port):
                    _log(f"Label Studio bound {bound[0]}:{bound[1]} instead of {HOST}:{port}; stopping it")
                    server.stop()
                    return None
                status, _ = _get(f"{server.url}/health")
                if status == 200:
                    status, body = _get(f"{server.url}/api/current-user/whoami", token)
                    if status == 200 and f'"email":"{username}"' in body.replace(" ", ""):
                        break
                    raise ServerError(f"the server on {server.url} does not accept our API token (status {status}): "
                                      "a data directory keeps the token of its first start")
            time.sleep(0.2)
    except BaseException:
        server.stop()
        raise
    server.startup_seconds = time.perf_counter() - t0
    return server


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
