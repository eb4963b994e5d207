"""Headless Chromium, offline: a PNG of a page, stamped with the sha256 of the page it shows
(``tests/`` reuse ``find_chromium``)."""

from __future__ import annotations

from pathlib import Path
import os
import shutil
import subprocess
import tempfile

from .model import ExploreError


_PNG_KEY = b"minusma-explore-source"


def stamp_png(png: Path, source_sha256: str) -> None:
    """Add a tEXt chunk (after IHDR) naming the sha256 of the page the PNG shows."""
    import struct
    import zlib

    data = Path(png).read_bytes()
    body = _PNG_KEY + b"\0" + source_sha256.encode("ascii")
    chunk = struct.pack(">I", len(body)) + b"tEXt" + body + struct.pack(">I", zlib.crc32(b"tEXt" + body))
    ihdr_end = 8 + 8 + struct.unpack(">I", data[8:12])[0] + 4
    Path(png).write_bytes(data[:ihdr_end] + chunk + data[ihdr_end:])


def png_source(png: Path) -> str | None:
    """The sha256 stamped by ``stamp_png``, or None."""
    import struct

    data = Path(png).read_bytes()
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I", data[pos:pos + 4])[0], data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"tEXt" and body.startswith(_PNG_KEY + b"\0"):
            return body[len(_PNG_KEY) + 1:].decode("ascii")
        if kind == b"IEND":
            break
        pos += 12 + length
    return None


def find_chromium() -> str | None:
    """A Chromium (or Chrome) binary: ``$MINUSMA_CHROMIUM``, else the first on PATH."""
    if os.environ.get("MINUSMA_CHROMIUM"):
        return os.environ["MINUSMA_CHROMIUM"]
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


def screenshot(page: Path, png: Path, *, width: int = 1280, height: int = 1800, chromium: str | None = None,
               timeout: float = 60) -> Path:
    """A PNG of ``page`` (the top ``width`` × ``height`` pixels), with headless Chromium, offline."""
    binary = chromium or find_chromium()
    if binary is None:
        raise ExploreError("no Chromium found for the screenshot (install Debian's `chromium` or set MINUSMA_CHROMIUM)")
    png = Path(png).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="minusma-chromium-") as profile:
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},{height}",
                f"--screenshot={png}", Path(page).resolve().as_uri()]
        result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if result.returncode != 0 or not png.exists():
        raise ExploreError(f"chromium could not render {page}: {result.stderr.strip()[-500:]}")
    return png
