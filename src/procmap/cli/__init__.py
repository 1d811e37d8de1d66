"""The command line: one thin module per command; nothing else knows the terminal.

Help text is made when the command modules are imported, before the command line is
parsed, so its language is chosen here, first: `--lang` in the arguments, else the
environment (PROCMAP_LANG, the locale). Each command then sets the language of its
output with `use_language` (which also reads procmap.toml's `lang`).
"""

import sys

from procmap.i18n import help_language, set_language

set_language(help_language(sys.argv[1:]))
