"""The environment of procmap subprocesses in tests (a module, not a conftest, so that
test modules can import it by a unique name: `from testenv import cli_env`)."""

from __future__ import annotations

import os
from collections.abc import Mapping

# Variables that change procmap's output: tests set them explicitly when they matter.
OUTPUT_ENV = ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR", "PROCMAP_DEBUG", "COLUMNS",
              "PROCMAP_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE")


def cli_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """os.environ without the variables that change procmap's output; English interface
    text (LANG=C.UTF-8) unless a test asks for another language in `extra`."""
    env = {k: v for k, v in os.environ.items() if k not in OUTPUT_ENV}
    env["PYTHONIOENCODING"] = "utf-8"
    env["LANG"] = "C.UTF-8"
    env.update(extra or {})
    return env


def english_process_environment() -> None:
    """Make in-process runs (typer's CliRunner) speak English like the goldens."""
    for name in ("PROCMAP_LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        os.environ.pop(name, None)
    os.environ["LANG"] = "C.UTF-8"
