"""The command line: one thin module per command; nothing else knows the terminal.

Help text is made when the command modules are imported, before the command line is
parsed, so its language is chosen here, first: `--lang` in the arguments, else the
environment (PROCMAP_LANG, the locale). Each command then sets the language of its
output with `use_language` (which also reads procmap.toml's `lang`).
"""

import sys

from procmap.i18n import help_language, set_language

set_language(help_language(sys.argv[1:]))


def main() -> None:
    """The `procmap` command. `--version` is answered before typer and the commands are
    imported (it is what scripts and CI ask most often, and it should cost no more than
    starting Python)."""
    if sys.argv[1:] in (["--version"], ["-V"]):
        from procmap import __version__

        sys.stdout.write(f"procmap {__version__}\n")
        return
    if "validate" in sys.argv[1:5]:
        from procmap.loader.parallel import prefetch

        prefetch(sys.argv[1:])  # the workers parse while typer and pydantic load
    from procmap.cli.app import main as run

    run()
