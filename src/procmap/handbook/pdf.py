"""`procmap handbook --format pdf`: the printable handbook via headless Chromium.

The print document (`site.print_document`: a process per chapter, diagrams fitted to
A4) is written to a private temporary directory and printed with Chromium's
``--print-to-pdf``. Without Chromium the command stops with what to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from procmap.handbook.site import HandbookError

__all__ = ["find_chromium", "html_to_pdf"]

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable",
              "chrome")
TIMEOUT = 300.0


def find_chromium() -> str | None:
    """The Chromium (or Chrome) binary: $PROCMAP_CHROMIUM, else the first on PATH."""
    configured = os.environ.get("PROCMAP_CHROMIUM")
    if configured:
        return shutil.which(configured)
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium_args(binary: str, profile: str) -> list[str]:
    args = [binary, "--headless=new", "--disable-gpu", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-sync",
            "--disable-background-networking", "--mute-audio",
            f"--user-data-dir={profile}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return args


def html_to_pdf(document: str) -> bytes:
    """Print an HTML document to PDF bytes (A4, the stylesheet's print rules)."""
    binary = find_chromium()
    if binary is None:
        raise HandbookError(
            "--format pdf needs Chromium to print the handbook, and none was found: "
            "install it (Debian/Ubuntu: sudo apt-get install chromium; macOS: brew install "
            "--cask chromium) or set PROCMAP_CHROMIUM to a Chrome/Chromium binary; "
            "--format html works without it")
    with tempfile.TemporaryDirectory(prefix="procmap-pdf-") as folder:
        page = os.path.join(folder, "handbook.html")
        out = os.path.join(folder, "handbook.pdf")
        with open(page, "w", encoding="utf-8") as handle:
            handle.write(document)
        args = [*chromium_args(binary, os.path.join(folder, "profile")),
                "--no-pdf-header-footer", "--print-to-pdf-no-header",
                f"--print-to-pdf={out}", "file://" + page]
        try:
            done = subprocess.run(args, capture_output=True, timeout=TIMEOUT, check=False,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise HandbookError(f"Chromium took longer than {TIMEOUT:g}s to print the "
                                "handbook") from exc
        except OSError as exc:
            raise HandbookError(f"cannot run {binary}: {exc.strerror or exc}") from exc
        if not os.path.isfile(out) or os.path.getsize(out) == 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise HandbookError(f"Chromium could not print the handbook (exit code "
                                f"{done.returncode}): {detail[0][:300]}")
        with open(out, "rb") as handle:
            return handle.read()
